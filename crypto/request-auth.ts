/**
 * Signed HTTP requests (SPEC.md §Request signatures): coordinators sign with their
 * keyring key, reporters with their mailbox key. The server keeps the replay cache.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { base64Padded, concat, fromBase64Padded, utf8 } from './bytes.js';
import { DocumentError } from './errors.js';
import { primitives } from './primitives.js';

export type RequestScope = 'coordinator' | 'mailbox';

/** One domain-separation label per scope. */
export const REQUEST_LABELS: Readonly<Record<RequestScope, string>> = {
  coordinator: 'tipline/v1 coordinator-request',
  mailbox: 'tipline/v1 mailbox-request',
};

/** Header names, lower case. */
export const REQUEST_HEADERS = {
  key: 'tipline-key',
  timestamp: 'tipline-timestamp',
  signature: 'tipline-signature',
} as const;

/** Default accepted clock difference, either side, in seconds. */
export const DEFAULT_REQUEST_WINDOW = 120;
/** Longest path (with query) that can be signed. */
export const MAX_SIGNED_PATH = 4096;

export interface RequestToSign {
  method: string;
  /** path + query exactly as sent, e.g. `/api/mailboxes/abc?since=3` */
  path: string;
  body: Uint8Array;
  /** unix seconds */
  timestamp: number;
}

const METHOD = /^[A-Za-z]{1,16}$/;
// Visible ASCII only: a request target is percent-encoded, and no newline can occur.
const PATH = /^\/[\x21-\x7e]*$/;
const TIMESTAMP = /^(0|[1-9][0-9]{0,15})$/;

function isScope(s: unknown): s is RequestScope {
  return s === 'coordinator' || s === 'mailbox';
}

/**
 * The exact bytes a request signature covers:
 * `utf8(label) || 0x00 || METHOD || 0x0a || path || 0x0a || decimal(timestamp) || 0x0a || SHA-256(body)`.
 * @throws DocumentError('invalid request') when method, path or timestamp cannot be framed unambiguously
 */
export function requestMessage(scope: RequestScope, method: string, path: string, timestamp: number, body: Uint8Array): Uint8Array {
  if (!isScope(scope)) throw new DocumentError('invalid request');
  if (!METHOD.test(method) || path.length > MAX_SIGNED_PATH || !PATH.test(path)) throw new DocumentError('invalid request');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new DocumentError('invalid request');
  if (!(body instanceof Uint8Array)) throw new DocumentError('invalid request');
  const text = `${REQUEST_LABELS[scope]}\0${method.toUpperCase()}\n${path}\n${timestamp}\n`;
  return concat(utf8(text), sha256(body));
}

/**
 * Sign a request. Returns the headers to add:
 * `{ 'tipline-key': base64 public key, 'tipline-timestamp': decimal, 'tipline-signature': base64 signature }`.
 * @throws DocumentError('invalid request') when method, path or timestamp is malformed
 * @throws Error('invalid signing key') when the seed is not 32 bytes
 */
export function signRequest(scope: RequestScope, req: RequestToSign, seed: Uint8Array): Record<string, string> {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new Error('invalid signing key');
  const message = requestMessage(scope, req.method, req.path, req.timestamp, req.body);
  const p = primitives();
  return {
    [REQUEST_HEADERS.key]: base64Padded(p.ed25519PublicKey(seed)),
    [REQUEST_HEADERS.timestamp]: String(req.timestamp),
    [REQUEST_HEADERS.signature]: base64Padded(p.ed25519Sign(seed, message)),
  };
}

function decode(s: string, size: number): Uint8Array {
  let b: Uint8Array;
  try {
    b = fromBase64Padded(s);
  } catch {
    throw new DocumentError('invalid signature');
  }
  if (b.length !== size) throw new DocumentError('invalid signature');
  return b;
}

/**
 * Check a signed request: the three headers, the clock window (|now - timestamp| <= windowSeconds)
 * and the signature over label(scope), method, path, timestamp and SHA-256(body).
 * Returns the signer's public key (the caller decides whether that key may do this) and the
 * signature, which the caller keeps in its replay cache until `timestamp + windowSeconds` has passed.
 * @param now unix seconds
 * @throws DocumentError('missing signature' | 'invalid signature' | 'stale request')
 * @throws TypeError when now or windowSeconds is not a finite number (a programming error)
 */
export function verifyRequest(
  scope: RequestScope,
  req: { method: string; path: string; body: Uint8Array; headers: (name: string) => string | undefined },
  now: number,
  windowSeconds: number = DEFAULT_REQUEST_WINDOW,
): { publicKey: Uint8Array; signature: Uint8Array; timestamp: number } {
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('invalid time');
  if (typeof windowSeconds !== 'number' || !Number.isFinite(windowSeconds) || windowSeconds < 0) {
    throw new TypeError('invalid window');
  }
  const keyHeader = req.headers(REQUEST_HEADERS.key);
  const timestampHeader = req.headers(REQUEST_HEADERS.timestamp);
  const signatureHeader = req.headers(REQUEST_HEADERS.signature);
  if (keyHeader === undefined || timestampHeader === undefined || signatureHeader === undefined) {
    throw new DocumentError('missing signature');
  }
  if (typeof keyHeader !== 'string' || typeof timestampHeader !== 'string' || typeof signatureHeader !== 'string') {
    throw new DocumentError('invalid signature');
  }
  const publicKey = decode(keyHeader, 32);
  const signature = decode(signatureHeader, 64);
  if (!TIMESTAMP.test(timestampHeader)) throw new DocumentError('invalid signature');
  const timestamp = Number(timestampHeader);
  if (!Number.isSafeInteger(timestamp)) throw new DocumentError('invalid signature');
  let message: Uint8Array;
  try {
    message = requestMessage(scope, req.method, req.path, timestamp, req.body);
  } catch {
    throw new DocumentError('invalid signature');
  }
  // The cheap check first: a request outside the window is refused without an Ed25519 verification.
  if (Math.abs(now - timestamp) > windowSeconds) throw new DocumentError('stale request');
  if (!primitives().ed25519Verify(publicKey, message, signature)) throw new DocumentError('invalid signature');
  return { publicKey, signature, timestamp };
}
