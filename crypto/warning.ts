/**
 * Warnings, corrections and withdrawals (SPEC.md §Warnings): versioned schemas shared by the
 * coordinator console (which signs them) and the members' pages (which verify them against
 * the root-pinned keyring). A correction is a warning that names the warning it supersedes;
 * a withdrawal is its own document kind. Every one is signed by a keyring coordinator
 * holding the `warnings` role.
 */
import * as z from './schema.js';
import { englishIssues } from './schema.js';
import { base64Raw, fromBase64Padded, utf8 } from './bytes.js';
import { DocumentError } from './errors.js';
import { sha256 } from './hkdf.js';
import { dayStart, findCoordinator, type Coordinator, type Keyring } from './keyring.js';
import { REGION_ID } from './profile.js';
import { INCIDENT_TYPES, TIME_BANDS, type IncidentType } from './report.js';
import { parseEnvelope, parseJsonPayload, signDocument, verifyDocument, type SignedEnvelope } from './signed.js';

export const IDENTIFIER_KINDS = ['phone', 'email', 'username', 'plate', 'other'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface MaskedIdentifier {
  kind: IdentifierKind;
  /** e.g. `07*** ***123`: never the whole identifier (see {@link maskIdentifier}) */
  masked: string;
}

export interface Warning {
  schemaVersion: 1;
  /** YYYY-MM-DD: the day it was signed */
  published: string;
  /** region ids of the organisation profile */
  regions: string[];
  /** YYYY-MM: when it happened, coarsened */
  month: string;
  partOfDay?: (typeof TIME_BANDS)[number];
  incidentTypes: IncidentType[];
  /** what happened, in general terms */
  summary?: string;
  offender?: string;
  vehicle?: string;
  identifiers?: MaskedIdentifier[];
  /** private-check tags: opaque padded base64, 16 to 64 bytes each (§Warnings) */
  checkTags?: string[];
  advice?: string;
  /** a correction: the id of the warning it replaces */
  supersedes?: string;
}

export interface Withdrawal {
  schemaVersion: 1;
  published: string;
  /** the id of the warning withdrawn */
  withdraws: string;
  reason?: string;
}

export const WARNING_LIMITS = {
  regions: 20,
  summary: 2000,
  offender: 1000,
  vehicle: 300,
  identifiers: 20,
  masked: 64,
  checkTags: 50,
  advice: 2000,
  reason: 500,
} as const;

/** A warning document failure: `message` is 'invalid warning'; `detail` says why. */
export class WarningError extends DocumentError {
  constructor(readonly detail: string) {
    super('invalid warning');
  }
}

const UNSAFE = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
const UNSAFE_MULTILINE = /[\p{Cs}\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
const text = (max: number, multiline = false) =>
  z.string().check(
    z.minLength(1),
    z.maxLength(max),
    z.refine((s) => !(multiline ? UNSAFE_MULTILINE : UNSAFE).test(s), 'control, bidirectional-override or unpaired surrogate characters'),
  );

/** A warning id: base64url (no padding) of the first 16 bytes of SHA-256 of the payload bytes. */
export const WARNING_ID = /^[A-Za-z0-9_-]{21}[AQgw]$/;
const unique = <T>(a: T[]) => new Set(a).size === a.length;

/** Identifier characters that do not count as content when checking a mask. */
const SEPARATORS = /[\s\-.@+()_/]/u;

/** True when a masked identifier hides enough: at least 3 `*` and at least a third of its content characters. */
export function isMasked(s: string): boolean {
  let stars = 0;
  let content = 0;
  for (const ch of s) {
    if (SEPARATORS.test(ch)) continue;
    content++;
    if (ch === '*') stars++;
  }
  return stars >= 3 && stars * 3 >= content;
}

// Schemas are built on first use (see crypto/profile.ts): the reporter's page drops this code.
function build() {
  const warningIdSchema = z.string().check(z.regex(WARNING_ID, 'not a warning id'));
  const day = z.string().check(z.refine((s) => dayStart(s) !== undefined, 'not a YYYY-MM-DD date'));

  const identifierSchema = z.strictObject({
    kind: z.enum(IDENTIFIER_KINDS),
    masked: text(WARNING_LIMITS.masked).check(z.refine(isMasked, 'identifier is not masked (at least 3 * and a third of its characters)')),
  });

  const checkTag = z.string().check(
    z.refine((s) => {
      try {
        const n = fromBase64Padded(s).length;
        return n >= 16 && n <= 64;
      } catch {
        return false;
      }
    }, 'check tag must be canonical padded base64 of 16-64 bytes'),
  );

  const warningSchema = z.strictObject({
    schemaVersion: z.literal(1),
    published: day,
    regions: z
      .array(z.string().check(z.regex(REGION_ID, 'not a region id')))
      .check(z.minLength(1), z.maxLength(WARNING_LIMITS.regions), z.refine(unique, 'duplicate region')),
    month: z.string().check(
      z.refine((s) => /^[0-9]{4}-[0-9]{2}$/.test(s) && dayStart(`${s}-01`) !== undefined, 'month must be YYYY-MM'),
    ),
    partOfDay: z.optional(z.enum(TIME_BANDS)),
    incidentTypes: z.array(z.enum(INCIDENT_TYPES)).check(z.minLength(1), z.maxLength(INCIDENT_TYPES.length), z.refine(unique, 'duplicate incident type')),
    summary: z.optional(text(WARNING_LIMITS.summary, true)),
    offender: z.optional(text(WARNING_LIMITS.offender, true)),
    vehicle: z.optional(text(WARNING_LIMITS.vehicle)),
    identifiers: z.optional(z.array(identifierSchema).check(z.minLength(1), z.maxLength(WARNING_LIMITS.identifiers))),
    checkTags: z.optional(z.array(checkTag).check(z.minLength(1), z.maxLength(WARNING_LIMITS.checkTags), z.refine(unique, 'duplicate check tag'))),
    advice: z.optional(text(WARNING_LIMITS.advice, true)),
    supersedes: z.optional(warningIdSchema),
  });

  const withdrawalSchema = z.strictObject({
    schemaVersion: z.literal(1),
    published: day,
    withdraws: warningIdSchema,
    reason: z.optional(text(WARNING_LIMITS.reason, true)),
  });
  return { warningSchema, withdrawalSchema };
}
let built: ReturnType<typeof build> | undefined;
const schemas = () => (built ??= build());
/** The strict schema of a warning (or correction) payload (built on first use). */
export const warningSchema = () => schemas().warningSchema;
/** The strict schema of a withdrawal payload (built on first use). */
export const withdrawalSchema = () => schemas().withdrawalSchema;

function check<T>(schema: z.Schema<unknown>, value: unknown): T {
  const r = schema.safeParse(value, { error: englishIssues });
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new WarningError((issue.path.length > 0 ? issue.path.join('.') + ': ' : '') + issue.message);
  }
  return r.data as T;
}

/**
 * The id of a warning or withdrawal: base64url of SHA-256(payload bytes)[0..16].
 */
export function documentId(payload: Uint8Array): string {
  return base64Raw(sha256(payload).subarray(0, 16)).replace(/\+/g, '-').replace(/\//g, '_');
}

const WARNING_KEYS = [
  'schemaVersion',
  'published',
  'regions',
  'month',
  'partOfDay',
  'incidentTypes',
  'summary',
  'offender',
  'vehicle',
  'identifiers',
  'checkTags',
  'advice',
  'supersedes',
] as const;

/**
 * The payload bytes of a warning: validated, keys in the schema's order, absent fields left out.
 * @throws WarningError when the warning breaks a rule
 */
export function encodeWarning(w: Warning): Uint8Array {
  const v = check<Warning>(warningSchema(), w) as unknown as Record<string, unknown>;
  const o: Record<string, unknown> = {};
  for (const k of WARNING_KEYS) if (v[k] !== undefined) o[k] = k === 'identifiers' ? (v[k] as MaskedIdentifier[]).map((i) => ({ kind: i.kind, masked: i.masked })) : v[k];
  return utf8(JSON.stringify(o));
}

/** The payload bytes of a withdrawal. @throws WarningError */
export function encodeWithdrawal(w: Withdrawal): Uint8Array {
  const v = check<Withdrawal>(withdrawalSchema(), w);
  return utf8(
    JSON.stringify({ schemaVersion: 1, published: v.published, withdraws: v.withdraws, ...(v.reason !== undefined ? { reason: v.reason } : {}) }),
  );
}

/** Sign a warning (or correction) with a coordinator's seed; returns the envelope and its id. @throws WarningError */
export function signWarning(w: Warning, seed: Uint8Array): { id: string; envelope: SignedEnvelope } {
  const payload = encodeWarning(w);
  return { id: documentId(payload), envelope: signDocument('warning', payload, seed) };
}

/** Sign a withdrawal with a coordinator's seed. @throws WarningError */
export function signWithdrawal(w: Withdrawal, seed: Uint8Array): { id: string; envelope: SignedEnvelope } {
  const payload = encodeWithdrawal(w);
  return { id: documentId(payload), envelope: signDocument('withdrawal', payload, seed) };
}

/** The signing keys of the keyring's coordinators with the `warnings` role. */
export function warningSigners(keyring: Keyring): Uint8Array[] {
  return keyring.coordinators.filter((c) => c.roles.includes('warnings')).map((c) => fromBase64Padded(c.signingKey));
}

export type VerifiedDocument =
  | { kind: 'warning'; id: string; warning: Warning; signer: Coordinator }
  | { kind: 'withdrawal'; id: string; withdrawal: Withdrawal; signer: Coordinator };

/**
 * Verify a warning, correction or withdrawal envelope against a keyring the caller verified
 * against the pinned root: a kind of `warning` or `withdrawal`, signed by a coordinator
 * holding the `warnings` role, canonical UTF-8 JSON, the strict schema of its kind.
 * @throws DocumentError('untrusted signer' | 'invalid signature' | 'invalid warning');
 *   'invalid warning' is a WarningError with `detail`
 */
export function verifyWarningDocument(env: SignedEnvelope | string, keyring: Keyring): VerifiedDocument {
  let parsed: SignedEnvelope;
  try {
    parsed = parseEnvelope(env);
  } catch {
    throw new WarningError('not a signed document envelope');
  }
  if (parsed.kind !== 'warning' && parsed.kind !== 'withdrawal') throw new WarningError(`document kind is ${parsed.kind}`);
  const { payload, signer } = verifyDocument(parsed, parsed.kind, warningSigners(keyring));
  let value: unknown;
  try {
    value = parseJsonPayload(payload);
  } catch {
    throw new WarningError('payload is not canonical UTF-8 JSON');
  }
  const id = documentId(payload);
  const coordinator = findCoordinator(keyring, signer)!;
  if (parsed.kind === 'warning') return { kind: 'warning', id, warning: check<Warning>(warningSchema(), value), signer: coordinator };
  return { kind: 'withdrawal', id, withdrawal: check<Withdrawal>(withdrawalSchema(), value), signer: coordinator };
}

/**
 * Mask an identifier for reading: phone numbers keep their first 2 and last 3 digits when
 * they have 10 or more (`07123 456123` → `07*** ***123`), fewer otherwise; email addresses
 * keep the first character of the local part and the domain's last label; other
 * identifiers keep their first and last 2 letters or digits when long enough. Separators
 * (space, `-`, `.`, `@`, `+`, parentheses, `_`, `/`) stay. The result always passes {@link isMasked}.
 */
export function maskIdentifier(kind: IdentifierKind, value: string): string {
  const s = value.trim().replace(/\s+/g, ' ');
  const content = (ch: string) => !SEPARATORS.test(ch);
  const maskRun = (chars: string[], keepStart: number, keepEnd: number): string[] => {
    const n = chars.filter(content).length;
    let seen = 0;
    return chars.map((ch) => {
      if (!content(ch)) return ch;
      const i = seen++;
      return i < keepStart || i >= n - keepEnd ? ch : '*';
    });
  };
  const keep = (n: number): [number, number] => (n >= 10 ? [2, 3] : n >= 6 ? [1, 2] : [0, 0]);
  let out: string;
  if (kind === 'email' && s.includes('@')) {
    const at = s.lastIndexOf('@');
    const local = [...s.slice(0, at)];
    const domain = s.slice(at + 1);
    const dot = domain.lastIndexOf('.');
    const masked = maskRun(local, local.filter(content).length >= 4 ? 1 : 0, 0).join('');
    const dom = dot > 0 ? maskRun([...domain.slice(0, dot)], 0, 0).join('') + domain.slice(dot) : maskRun([...domain], 0, 0).join('');
    out = `${masked}@${dom}`;
  } else {
    const chars = [...s];
    const n = chars.filter(content).length;
    const [a, b] = kind === 'phone' ? keep(n) : n >= 8 ? [1, 2] : [0, 0];
    out = maskRun(chars, a, b).join('');
  }
  // Very short identifiers (or ones mostly made of separators) are hidden entirely.
  return isMasked(out) ? out.slice(0, WARNING_LIMITS.masked) : '***';
}
