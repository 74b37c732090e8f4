/**
 * Ed25519 signed documents over exact payload bytes (SPEC.md §Signed documents).
 *
 * The signature covers `utf8(label) || 0x00 || payload`, where the label names the
 * document kind and version. Verification works on the decoded payload bytes and
 * returns those same bytes; the caller parses them. Nothing is ever re-serialised
 * before verifying.
 */
import { base64Padded, concat, equalBytes, fromBase64Padded, fromUtf8, utf8 } from './bytes.js';
import { DocumentError } from './errors.js';
import { primitives } from './primitives.js';

/** One domain-separation label per document kind and version. */
export const DOCUMENT_LABELS = {
  keyring: 'tipline/v1 keyring',
  warning: 'tipline/v1 warning',
  withdrawal: 'tipline/v1 withdrawal',
  profile: 'tipline/v1 profile',
  statistics: 'tipline/v1 statistics',
} as const;
export type DocumentKind = keyof typeof DOCUMENT_LABELS;

/** Wire form, JSON. payload = padded base64 of the exact payload bytes (UTF-8 JSON); never re-serialised before verifying. */
export interface SignedEnvelope {
  v: 1;
  kind: DocumentKind;
  payload: string;
  /** padded base64 of the 32-byte Ed25519 public key */
  signer: string;
  /** padded base64 of the 64-byte Ed25519 signature */
  signature: string;
}

/** Largest payload a signed document may carry, in bytes (before base64). */
export const MAX_DOCUMENT_PAYLOAD = 1 << 20;
/** Largest envelope accepted as JSON text, in UTF-16 code units (the base64 payload plus a little). */
export const MAX_ENVELOPE_LENGTH = 4 * Math.ceil(MAX_DOCUMENT_PAYLOAD / 3) + 1024;

const ENVELOPE_KEYS = ['kind', 'payload', 'signature', 'signer', 'v'] as const;
const SEED_SIZE = 32;
const PUBLIC_KEY_SIZE = 32;
const SIGNATURE_SIZE = 64;

function isKind(k: unknown): k is DocumentKind {
  return typeof k === 'string' && Object.prototype.hasOwnProperty.call(DOCUMENT_LABELS, k);
}

/**
 * The exact bytes an Ed25519 signature of a document covers:
 * `utf8(label) || 0x00 || payload`.
 */
export function documentMessage(kind: DocumentKind, payload: Uint8Array): Uint8Array {
  if (!isKind(kind)) throw new DocumentError('wrong document kind');
  return concat(utf8(DOCUMENT_LABELS[kind]), new Uint8Array([0]), payload);
}

/**
 * Sign the exact payload bytes as a document of the given kind.
 * @throws DocumentError('invalid document') when the payload is larger than {@link MAX_DOCUMENT_PAYLOAD}
 * @throws Error('invalid signing key') when the seed is not 32 bytes
 */
export function signDocument(kind: DocumentKind, payload: Uint8Array, signingSeed: Uint8Array): SignedEnvelope {
  if (!(signingSeed instanceof Uint8Array) || signingSeed.length !== SEED_SIZE) throw new Error('invalid signing key');
  if (!(payload instanceof Uint8Array) || payload.length > MAX_DOCUMENT_PAYLOAD) throw new DocumentError('invalid document');
  const p = primitives();
  const signature = p.ed25519Sign(signingSeed, documentMessage(kind, payload));
  return {
    v: 1,
    kind,
    payload: base64Padded(payload),
    signer: base64Padded(p.ed25519PublicKey(signingSeed)),
    signature: base64Padded(signature),
  };
}

function decodeField(s: unknown, size?: number, max?: number): Uint8Array {
  if (typeof s !== 'string') throw new DocumentError('invalid document');
  let b: Uint8Array;
  try {
    b = fromBase64Padded(s);
  } catch {
    throw new DocumentError('invalid document');
  }
  if (size !== undefined && b.length !== size) throw new DocumentError('invalid document');
  if (max !== undefined && b.length > max) throw new DocumentError('invalid document');
  return b;
}

interface DecodedEnvelope {
  env: SignedEnvelope;
  payload: Uint8Array;
  signer: Uint8Array;
  signature: Uint8Array;
}

function decodeEnvelope(input: unknown): DecodedEnvelope {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_ENVELOPE_LENGTH) throw new DocumentError('invalid document');
    try {
      value = JSON.parse(input);
    } catch {
      throw new DocumentError('invalid document');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DocumentError('invalid document');
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new DocumentError('invalid document');
  const keys = Object.keys(value).sort();
  if (keys.length !== ENVELOPE_KEYS.length || keys.some((k, i) => k !== ENVELOPE_KEYS[i])) {
    throw new DocumentError('invalid document');
  }
  const o = value as Record<string, unknown>;
  if (o.v !== 1 || !isKind(o.kind)) throw new DocumentError('invalid document');
  const payload = decodeField(o.payload, undefined, MAX_DOCUMENT_PAYLOAD);
  const signer = decodeField(o.signer, PUBLIC_KEY_SIZE);
  const signature = decodeField(o.signature, SIGNATURE_SIZE);
  const env: SignedEnvelope = {
    v: 1,
    kind: o.kind,
    payload: o.payload as string,
    signer: o.signer as string,
    signature: o.signature as string,
  };
  return { env, payload, signer, signature };
}

/**
 * Parse an envelope from JSON text (a string is always treated as JSON text) or from an
 * already parsed value. Exactly the keys v, kind, payload, signer, signature; v = 1; a
 * known kind; canonical padded base64; a 32-byte signer, a 64-byte signature and a payload
 * of at most {@link MAX_DOCUMENT_PAYLOAD} bytes. Returns a fresh plain object.
 * @throws DocumentError('invalid document') for anything not of the envelope's exact shape
 */
export function parseEnvelope(input: string | unknown): SignedEnvelope {
  return decodeEnvelope(input).env;
}

/**
 * Verify the signature over `utf8(label(kind)) || 0x00 || payload`. The signer must be
 * one of trustedSigners (32-byte Ed25519 public keys). Returns the exact payload bytes
 * that were verified: parse these, never the envelope again.
 * The envelope is re-checked with {@link parseEnvelope} first, so untyped input is safe.
 * @throws DocumentError('invalid document' | 'wrong document kind' | 'untrusted signer' | 'invalid signature')
 */
export function verifyDocument(
  env: SignedEnvelope,
  kind: DocumentKind,
  trustedSigners: readonly Uint8Array[],
): { payload: Uint8Array; signer: Uint8Array } {
  const d = decodeEnvelope(env);
  if (!isKind(kind) || d.env.kind !== kind) throw new DocumentError('wrong document kind');
  let trusted = false;
  for (const t of trustedSigners) {
    if (t.length === PUBLIC_KEY_SIZE && equalBytes(t, d.signer)) trusted = true;
  }
  if (!trusted) throw new DocumentError('untrusted signer');
  if (!primitives().ed25519Verify(d.signer, documentMessage(kind, d.payload), d.signature)) {
    throw new DocumentError('invalid signature');
  }
  return { payload: d.payload, signer: d.signer };
}

/**
 * Decode verified payload bytes as JSON: strict UTF-8 without a byte order mark, then
 * JSON.parse. With `canonical` (the default) the bytes must also be exactly
 * `utf8(JSON.stringify(value))` of the parsed value: no whitespace, no duplicate keys,
 * no needless escapes, shortest number forms. So a signed byte string has one meaning
 * for every JSON parser. Schema validation is the caller's job.
 * @throws DocumentError(message) when the bytes are not (canonical) UTF-8 JSON
 */
export function parseJsonPayload(
  payload: Uint8Array,
  opts: { message?: string; canonical?: boolean } = {},
): unknown {
  const message = opts.message ?? 'invalid document';
  if (payload[0] === 0xef && payload[1] === 0xbb && payload[2] === 0xbf) throw new DocumentError(message);
  let text: string;
  let value: unknown;
  try {
    text = fromUtf8(payload);
    value = JSON.parse(text);
  } catch {
    throw new DocumentError(message);
  }
  if (opts.canonical !== false && JSON.stringify(value) !== text) throw new DocumentError(message);
  return value;
}
