/**
 * The keyring: who the coordinators are, signed by the offline organisation root key
 * (SPEC.md §Keyring).
 */
import * as z from './schema.js';
import { englishIssues } from './schema.js';
import { base64Padded, equalBytes, fromBase64Padded, utf8 } from './bytes.js';
import { DocumentError } from './errors.js';
import { HybridRecipient } from './hybrid.js';
import { primitives } from './primitives.js';
import { parseEnvelope, parseJsonPayload, signDocument, verifyDocument, type SignedEnvelope } from './signed.js';

/**
 * reports: read and reply to reports; warnings: publish warnings; members: decide member
 * applications; admin: sign the organisation profile (SPEC.md §Organisation profile).
 */
export const ROLES = ['reports', 'warnings', 'members', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Coordinator {
  id: string;
  name: string;
  /** age1pq1... (hybrid post-quantum recipient, canonical lower case) */
  recipient: string;
  /** padded base64 of the 32-byte Ed25519 public key */
  signingKey: string;
  roles: Role[];
}

export interface Keyring {
  /** integer >= 1 */
  version: number;
  /** YYYY-MM-DD */
  issued: string;
  /** YYYY-MM-DD; the keyring is valid through the end of this day, UTC */
  expires: string;
  coordinators: Coordinator[];
}

export const MAX_COORDINATORS = 50;
/** `expires` is at most this many days after `issued` (SPEC.md §Keyring, issued, expires). */
export const MAX_KEYRING_DAYS = 180;
const DAY_MS = 86_400_000;

/** A keyring failure: `message` is always 'invalid keyring'; `detail` says why (never key material). */
export class KeyringError extends DocumentError {
  constructor(readonly detail: string) {
    super('invalid keyring');
  }
}

/** Milliseconds since the epoch at the start (00:00 UTC) of a YYYY-MM-DD day, or undefined when not a real date. */
export function dayStart(s: string): number | undefined {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  if (d > days) return undefined;
  return Date.UTC(y, mo - 1, d);
}

// Display names are shown to reporters and members: no control characters and no
// bidirectional overrides that could make one name look like another.
const UNSAFE_NAME = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

const date = z.string().check(z.refine((s) => dayStart(s) !== undefined, 'not a YYYY-MM-DD date'));

const signingKey = z.string().check(
  z.refine((s) => {
    try {
      return fromBase64Padded(s).length === 32;
    } catch {
      return false;
    }
  }, 'not canonical padded base64 of a 32-byte Ed25519 public key'),
);

const recipient = z.string().check(
  z.superRefine((s, ctx) => {
    if (/^age1(?!pq1)/i.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'X25519 recipients are not allowed; keyring recipients must be hybrid (age1pq1...)' });
      return;
    }
    let ok = false;
    try {
      ok = HybridRecipient.parse(s).toString() === s;
    } catch {
      ok = false;
    }
    if (!ok) ctx.addIssue({ code: 'custom', message: 'not a canonical (lower-case) age1pq1 hybrid recipient' });
  }),
);

const coordinatorSchema = z.strictObject({
  id: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'id must be 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit')),
  name: z.string().check(
    z.minLength(1),
    z.maxLength(100),
    z.refine((s) => s === s.trim(), 'name has leading or trailing white space'),
    z.refine((s) => !UNSAFE_NAME.test(s), 'name contains control, bidirectional-override or unpaired surrogate characters'),
  ),
  recipient,
  signingKey,
  roles: z
    .array(z.enum(ROLES))
    .check(
      z.minLength(1, 'a coordinator needs at least one role'),
      z.refine((r) => new Set(r).size === r.length, 'duplicate role'),
    ),
});

/** The strict schema of a keyring payload (unknown keys rejected at every level). */
export const keyringSchema = z
  .strictObject({
    version: z.number().check(z.int(), z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
    issued: date,
    expires: date,
    coordinators: z.array(coordinatorSchema).check(z.minLength(1), z.maxLength(MAX_COORDINATORS)),
  })
  .check(
    z.superRefine((k, ctx) => {
      const issued = dayStart(k.issued);
      const expires = dayStart(k.expires);
      if (issued !== undefined && expires !== undefined && issued > expires) {
        ctx.addIssue({ code: 'custom', path: ['expires'], message: 'expires is before issued' });
      }
      if (issued !== undefined && expires !== undefined && expires - issued > MAX_KEYRING_DAYS * DAY_MS) {
        ctx.addIssue({ code: 'custom', path: ['expires'], message: `expires is more than ${MAX_KEYRING_DAYS} days after issued` });
      }
      const ids = new Set<string>();
      const keys = new Set<string>();
      const recipients = new Set<string>();
      k.coordinators.forEach((c, i) => {
        const id = c.id.toLowerCase();
        if (ids.has(id)) ctx.addIssue({ code: 'custom', path: ['coordinators', i, 'id'], message: 'duplicate coordinator id' });
        if (keys.has(c.signingKey)) ctx.addIssue({ code: 'custom', path: ['coordinators', i, 'signingKey'], message: 'duplicate signing key' });
        if (recipients.has(c.recipient)) ctx.addIssue({ code: 'custom', path: ['coordinators', i, 'recipient'], message: 'duplicate recipient' });
        ids.add(id);
        keys.add(c.signingKey);
        recipients.add(c.recipient);
      });
    }),
  );

function validate(value: unknown, rootPublicKey: Uint8Array): Keyring {
  // The detail quotes the first issue's message, in English whatever the page's language.
  const r = keyringSchema.safeParse(value, { error: englishIssues });
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') + ': ' : '';
    throw new KeyringError(where + issue.message);
  }
  const k = r.data as Keyring;
  // Canonical padded base64 is unique, so comparing strings compares keys.
  const root = base64Padded(rootPublicKey);
  k.coordinators.forEach((c, i) => {
    if (c.signingKey === root) throw new KeyringError(`coordinators.${i}.signingKey: the root key must not be a coordinator key`);
  });
  return k;
}

/** The payload bytes of a keyring: its JSON in a fixed key order, as UTF-8. */
export function encodeKeyring(k: Keyring): Uint8Array {
  return utf8(
    JSON.stringify({
      version: k.version,
      issued: k.issued,
      expires: k.expires,
      coordinators: k.coordinators.map((c) => ({
        id: c.id,
        name: c.name,
        recipient: c.recipient,
        signingKey: c.signingKey,
        roles: [...c.roles],
      })),
    }),
  );
}

/**
 * Validate and sign a keyring with the organisation root seed.
 * @throws KeyringError ('invalid keyring', with `detail`) when the keyring breaks a rule
 * @throws Error('invalid signing key') when the seed is not 32 bytes
 */
export function signKeyring(k: Keyring, rootSeed: Uint8Array): SignedEnvelope {
  if (!(rootSeed instanceof Uint8Array) || rootSeed.length !== 32) throw new Error('invalid signing key');
  const payload = encodeKeyring(validate(k, primitives().ed25519PublicKey(rootSeed)));
  return signDocument('keyring', payload, rootSeed);
}

/**
 * Verify a keyring envelope (object or JSON text) against the pinned root public key, in
 * this order: envelope shape and kind, signer and signature, payload (canonical JSON,
 * strict schema, `expires` at most {@link MAX_KEYRING_DAYS} days after `issued`), version
 * (not below `minVersion`; equal is fine so a client can fetch the same keyring again),
 * expiry (valid through the end of the `expires` day, UTC), then not yet valid (before the
 * start of the day before `issued`: a clock may be behind, but a keyring dated far ahead
 * would stretch the cap).
 * @throws DocumentError('invalid signature' | 'invalid keyring' | 'keyring version rollback' | 'keyring expired' | 'keyring not yet valid');
 *   'invalid keyring' is a KeyringError with `detail`
 * @throws TypeError when rootPublicKey, now or minVersion is malformed (a programming error)
 */
export function verifyKeyring(
  env: SignedEnvelope | string,
  rootPublicKey: Uint8Array,
  opts: { now?: Date; minVersion?: number } = {},
): Keyring {
  if (!(rootPublicKey instanceof Uint8Array) || rootPublicKey.length !== 32) throw new TypeError('invalid root public key');
  const now = opts.now ?? new Date();
  if (!(now instanceof Date) || !Number.isFinite(now.getTime())) throw new TypeError('invalid date');
  const minVersion = opts.minVersion ?? 0;
  if (!Number.isSafeInteger(minVersion) || minVersion < 0) throw new TypeError('invalid minimum version');

  let parsed: SignedEnvelope;
  try {
    parsed = parseEnvelope(env);
  } catch {
    throw new KeyringError('not a signed document envelope');
  }
  if (parsed.kind !== 'keyring') throw new KeyringError(`document kind is ${parsed.kind}, not keyring`);
  let payload: Uint8Array;
  try {
    ({ payload } = verifyDocument(parsed, 'keyring', [rootPublicKey]));
  } catch {
    // 'untrusted signer' and a bad signature are the same thing to a client: not from the root key.
    throw new DocumentError('invalid signature');
  }
  let value: unknown;
  try {
    value = parseJsonPayload(payload);
  } catch {
    throw new KeyringError('payload is not canonical UTF-8 JSON');
  }
  const k = validate(value, rootPublicKey);
  if (k.version < minVersion) throw new DocumentError('keyring version rollback');
  if (now.getTime() >= dayStart(k.expires)! + DAY_MS) throw new DocumentError('keyring expired');
  if (now.getTime() < dayStart(k.issued)! - DAY_MS) throw new DocumentError('keyring not yet valid');
  return k;
}

/**
 * Every coordinator's hybrid recipient (reports are encrypted to all of them).
 * @throws Error('invalid recipient') for a keyring that did not come from verifyKeyring and holds a bad recipient
 */
export function keyringRecipients(k: Keyring): HybridRecipient[] {
  return k.coordinators.map((c) => HybridRecipient.parse(c.recipient));
}

/** The coordinator whose signing key is this 32-byte Ed25519 public key, if any. */
export function findCoordinator(k: Keyring, signingKey: Uint8Array): Coordinator | undefined {
  if (signingKey.length !== 32) return undefined;
  for (const c of k.coordinators) {
    let key: Uint8Array;
    try {
      key = fromBase64Padded(c.signingKey);
    } catch {
      continue;
    }
    if (equalBytes(key, signingKey)) return c;
  }
  return undefined;
}
