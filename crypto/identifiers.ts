/**
 * Identifier extraction and normalisation, one module for the coordinator console (linking
 * reports) and the browser (checking a number). A normalised identifier is a key
 * `kind:value`; two reports share an offender identifier when they share a key.
 *
 * - phone: E.164 (libphonenumber-js with its small "min" metadata; national numbers are read
 *   as UK numbers), so "07700 900123" and "+44 7700 900123" are both `phone:+447700900123`;
 *   a number libphonenumber cannot place keeps its digits (`phone:?0044...`).
 * - email: trimmed, NFKC, lower case.
 * - plate: letters and digits only, upper case; a partial plate is `plate-part:` and matches
 *   every plate that contains it.
 * - handle: usernames and handles, lower case, without a leading @ and inner spacing collapsed.
 * - url: host (without www.) and path, lower case, no scheme, query or trailing slash.
 * - site: the advert site or app named as the contact detail.
 * - name: a name the offender used.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { Report } from './report.js';

export const MATCH_KINDS = ['phone', 'email', 'plate', 'plate-part', 'handle', 'url', 'site', 'name'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export interface Identifier {
  kind: MatchKind;
  /** The normalised key, `kind:value`. */
  key: string;
  /** The value as the reporter wrote it. */
  raw: string;
}

/** The country assumed for numbers written without an international prefix. */
export const DEFAULT_COUNTRY = 'GB';

function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** E.164 form of a phone number, or undefined when it has fewer than 6 digits. */
export function normalizePhone(raw: string): string | undefined {
  const s = raw.normalize('NFKC');
  const digits = s.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 17) return undefined;
  const p = parsePhoneNumberFromString(s, DEFAULT_COUNTRY);
  if (p && p.isPossible()) return p.number;
  return '?' + digits;
}

export function normalizeEmail(raw: string): string | undefined {
  const s = fold(raw).replace(/^mailto:/, '');
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? s : undefined;
}

export function normalizePlate(raw: string): string | undefined {
  const s = raw.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return s.length >= 2 ? s : undefined;
}

/** host/path of a URL-looking string (scheme optional), or undefined. */
export function normalizeUrl(raw: string): string | undefined {
  const s = fold(raw);
  const m = /^(?:https?:\/\/)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(\/[^\s?#]*)?/.exec(s);
  if (!m || !/[a-z]/.test(m[1]!.split('.').pop()!)) return undefined;
  if (!/^https?:\/\//.test(s) && !m[2] && !/^www\./.test(s)) return undefined;
  return (m[1]! + (m[2] ?? '')).replace(/\/+$/, '');
}

export function normalizeHandle(raw: string): string | undefined {
  const s = fold(raw).replace(/^@+/, '');
  return s.length >= 2 ? s : undefined;
}

function add(out: Map<string, Identifier>, kind: MatchKind, value: string | undefined, raw: string): void {
  if (value === undefined) return;
  const key = `${kind}:${value}`;
  if (!out.has(key)) out.set(key, { kind, key, raw });
}

const EMAIL_IN_TEXT = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/gi;
const URL_IN_TEXT = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
// Phone-like runs: a + or a leading 0, then digits with spaces, dots, dashes or brackets.
// (libphonenumber's own text finder accepts only numbers valid in its metadata, which drops
// the fictional and newly allocated ranges reporters also write.)
const PHONE_IN_TEXT = /(?<![\d+])(?:\+|\(?0)[\d ().-]{7,18}\d(?!\d)/g;

/** Phone numbers, emails and URLs mentioned in free text. */
function fromText(out: Map<string, Identifier>, text: string): void {
  for (const m of text.matchAll(EMAIL_IN_TEXT)) add(out, 'email', normalizeEmail(m[0]), m[0]);
  for (const m of text.matchAll(URL_IN_TEXT)) add(out, 'url', normalizeUrl(m[0]), m[0]);
  for (const m of text.matchAll(PHONE_IN_TEXT)) add(out, 'phone', normalizePhone(m[0]), m[0].trim());
}

/** Every identifier in a (schema-valid) report, each key once. */
export function extractIdentifiers(r: Report): Identifier[] {
  const out = new Map<string, Identifier>();
  const ids = r.identifiers;
  for (const p of ids?.phones ?? []) add(out, 'phone', normalizePhone(p), p);
  for (const e of ids?.emails ?? []) add(out, 'email', normalizeEmail(e) ?? fold(e), e);
  for (const u of ids?.usernames ?? []) {
    const url = normalizeUrl(u);
    if (url) add(out, 'url', url, u);
    else {
      add(out, 'handle', normalizeHandle(u), u);
      // "dave_x on AdultWork": the handle alone also links.
      const first = /^@?([^\s]+)\s+(?:on|at|@)\s+\S/i.exec(u.trim());
      if (first) add(out, 'handle', normalizeHandle(first[1]!), u);
    }
  }
  const plate = r.vehicle?.plate;
  if (plate) add(out, r.vehicle?.plateIsPartial ? 'plate-part' : 'plate', normalizePlate(plate), plate);
  if (r.contactDetail) {
    const url = normalizeUrl(r.contactDetail);
    add(out, url ? 'url' : 'site', url ?? normalizeHandle(r.contactDetail), r.contactDetail);
  }
  if (r.offender?.nameGiven) add(out, 'name', normalizeHandle(r.offender.nameGiven), r.offender.nameGiven);
  for (const t of [r.account, r.offender?.marks, r.offender?.clothing, r.incidentOther]) if (t) fromText(out, t);
  return [...out.values()];
}

/**
 * The identifier keys a search box entry could mean: "07700 900123" gives the phone key,
 * "AB12 CDE" the plate keys, "@dave" the handle key, and so on.
 */
export function queryKeys(q: string): string[] {
  const keys = new Set<string>();
  const t = q.trim();
  if (!t) return [];
  if (/^[+()\d\s.-]{6,}$/.test(t)) {
    const p = normalizePhone(t);
    if (p) keys.add(`phone:${p}`);
  }
  const email = normalizeEmail(t);
  if (email) keys.add(`email:${email}`);
  const url = normalizeUrl(t);
  if (url) keys.add(`url:${url}`);
  const plate = normalizePlate(t);
  if (plate && /\d/.test(plate) && /[A-Z]/.test(plate) && plate.length <= 8) {
    keys.add(`plate:${plate}`);
    keys.add(`plate-part:${plate}`);
  }
  const h = normalizeHandle(t);
  if (h) {
    keys.add(`handle:${h}`);
    keys.add(`name:${h}`);
    keys.add(`site:${h}`);
  }
  return [...keys];
}

/** Whether a partial plate (normalised) could be the full plate (normalised). */
export function partialPlateMatches(part: string, full: string): boolean {
  return part.length >= 2 && full.includes(part);
}

// ---- private check (SPEC.md §Private check) ----

/** What a member may check: each has one normalisation, shared by the console and the browser. */
export const CHECK_KINDS = ['phone', 'email', 'plate', 'username'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/**
 * The normalised key a private check hashes, `kind:value`: phone E.164 (national numbers
 * read as UK, so "07700 900123", "+44 7700 900123" and "0044 7700900123" agree), email
 * lower case, plate letters and digits upper case (any spacing or case), username lower
 * case without a leading @.
 * @returns undefined when `raw` cannot be an identifier of that kind
 */
export function checkKey(kind: CheckKind, raw: string): string | undefined {
  const v =
    kind === 'phone'
      ? /^[+()\d\s.-]+$/.test(raw.normalize('NFKC').trim())
        ? normalizePhone(raw)
        : undefined
      : kind === 'email'
        ? normalizeEmail(raw)
        : kind === 'plate'
          ? normalizePlate(raw)
          : normalizeHandle(raw);
  if (v === undefined || v.length > 200) return undefined;
  return `${kind}:${v}`;
}

/** The kind a typed value most likely is (the member can change it): email, phone, plate, else username. */
export function guessCheckKind(raw: string): CheckKind {
  const t = raw.normalize('NFKC').trim();
  if (t.includes('@') && normalizeEmail(t)) return 'email';
  if (/^[+()\d\s.-]{6,}$/.test(t)) return 'phone';
  const plate = t.toUpperCase().replace(/[\s-]/g, '');
  if (/^[A-Z0-9]{2,8}$/.test(plate) && /\d/.test(plate) && /[A-Z]/.test(plate)) return 'plate';
  return 'username';
}
