/**
 * The report document (SPEC.md §Report schema), shared by the reporter's browser, the server's
 * no-JavaScript form and the coordinator console. Every pick-list is an enum of stable machine
 * values; the UI translates them. Every object is strict and every string and array is bounded,
 * so the largest valid report pads to at most 64 KiB.
 */
import { z } from 'zod';
import { fromUtf8, utf8 } from './bytes.js';
import { DocumentError } from './errors.js';
import { HybridRecipient } from './hybrid.js';
import { pad, unpad } from './padding.js';

// Pages run under a CSP without 'unsafe-eval'; stop zod probing `new Function` (which such a CSP
// reports as a violation). Must run before any schema below is built.
z.config({ jitless: true });

export const INCIDENT_TYPES = [
  'violence',
  'sexual-assault',
  'robbery',
  'refused-to-pay',
  'stealthing', // condom removed or damaged without consent
  'threats',
  'blackmail', // including threats to out the worker
  'stalking-harassment',
  'verbal-abuse',
  'time-waster',
  'fake-client', // a setup
  'drugging',
  'held-against-will', // including kidnapping
  'impersonating-police',
  'other',
] as const;
/** night 00–06, morning 06–12, afternoon 12–18, evening 18–24 (local time). */
export const TIME_BANDS = ['night', 'morning', 'afternoon', 'evening'] as const;
export const SETTINGS = ['outcall-home', 'hotel', 'incall', 'street-outdoor', 'car', 'online-phone', 'other'] as const;
export const CONTACT_METHODS = [
  'phone-call',
  'sms-messaging', // SMS, WhatsApp, Signal, Telegram...
  'website-app',
  'social-media',
  'street',
  'venue',
  'agency',
  'other',
] as const;
export const ANSWERS = ['yes', 'no', 'unsure'] as const;
export const GENDERS = ['man', 'woman', 'non-binary', 'other'] as const;
export const AGE_RANGES = ['under-18', '18-24', '25-34', '35-44', '45-54', '55-64', '65-plus'] as const;
export const HEIGHTS = ['short', 'average', 'tall', 'very-tall'] as const;
export const BUILDS = ['slim', 'average', 'athletic', 'stocky', 'heavy'] as const;
export const OFFENDER_COUNTS = ['one', 'two', 'three-or-more'] as const;
export const LANGUAGES = ['en', 'ro'] as const;

/** Length limits in UTF-16 code units (what `String.length` and HTML `maxlength` count). */
export const REPORT_LIMITS = Object.freeze({
  short: 80,
  vehiclePart: 40,
  plate: 16,
  description: 300,
  account: 10_000,
  phone: 32,
  email: 254,
  username: 200,
  phones: 5,
  emails: 5,
  usernames: 10,
  replyRecipient: 2000,
});

// Any character but C0/C1 controls and lone surrogates (which \p{Cs} matches under the u flag).
const SINGLE_LINE = /^[^\p{Cc}\p{Cs}]*$/u;
// Free text may also hold tab, line feed and carriage return (browsers submit textareas with CRLF).
const MULTI_LINE = /^(?:[\t\n\r]|[^\p{Cc}\p{Cs}])*$/u;
// Identifiers are matched across reports, so also no format characters (bidi overrides,
// zero-width joiners) and no line or paragraph separators that would make equal-looking values differ.
const IDENTIFIER = /^[^\p{Cc}\p{Cs}\p{Cf}\p{Zl}\p{Zp}]*$/u;

const text = (max: number) => z.string().min(1).max(max).regex(SINGLE_LINE);
const multiline = (max: number) => z.string().min(1).max(max).regex(MULTI_LINE);
const identifier = (max: number) => z.string().min(1).max(max).regex(IDENTIFIER);
const answer = z.enum(ANSWERS);
const L = REPORT_LIMITS;

const offenderSchema = z.strictObject({
  count: z.enum(OFFENDER_COUNTS).optional(),
  gender: z.enum(GENDERS).optional(),
  ageRange: z.enum(AGE_RANGES).optional(),
  height: z.enum(HEIGHTS).optional(),
  build: z.enum(BUILDS).optional(),
  hair: text(L.short).optional(),
  /** Skin colour or ethnicity in the reporter's words. */
  skin: text(L.short).optional(),
  accent: text(L.short).optional(),
  /** A name the offender used. */
  nameGiven: text(L.short).optional(),
  clothing: multiline(L.description).optional(),
  /** Tattoos, scars, piercings, anything distinctive. */
  marks: multiline(L.description).optional(),
});

const vehicleSchema = z.strictObject({
  make: text(L.vehiclePart).optional(),
  model: text(L.vehiclePart).optional(),
  colour: text(L.vehiclePart).optional(),
  plate: identifier(L.plate).optional(),
  plateIsPartial: z.boolean().optional(),
});

const identifiersSchema = z.strictObject({
  phones: z.array(identifier(L.phone)).max(L.phones).optional(),
  emails: z.array(identifier(L.email)).max(L.emails).optional(),
  /** Usernames, ad profile names or profile URLs. */
  usernames: z.array(identifier(L.username)).max(L.usernames).optional(),
});

const consentSchema = z.strictObject({
  /** May an anonymised warning be published to members? Required: no warning without an answer. */
  publishWarning: answer,
  /** May the details be shared anonymously with police as intelligence? */
  shareWithPolice: answer.optional(),
  /** Does the person want support to make a full police report? */
  wantPoliceSupport: answer.optional(),
  /** Does the person want contact from a caseworker? */
  wantCaseworker: answer.optional(),
});

const onBehalfOfSchema = z
  .strictObject({
    forSomeoneElse: z.boolean(),
    theyConsented: z.boolean(),
  })
  .refine((o) => !o.forSomeoneElse || o.theyConsented, {
    message: 'a report for someone else needs their consent',
    path: ['theyConsented'],
  });

const replyRecipientSchema = z
  .string()
  .max(L.replyRecipient)
  .regex(/^age1pq1[02-9ac-hj-np-z]+$/)
  .refine(
    (s) => {
      try {
        HybridRecipient.parse(s);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'invalid recipient' },
  );

export const reportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** The language the reporter used (the coordinator may need it to reply). */
  language: z.enum(LANGUAGES).optional(),
  /** At least one, no duplicates. */
  incidentTypes: z
    .array(z.enum(INCIDENT_TYPES))
    .min(1)
    .max(INCIDENT_TYPES.length)
    .refine((a) => new Set(a).size === a.length, { message: 'duplicate incident type' }),
  /** The reporter's words when 'other' is among the types. */
  incidentOther: text(L.short).optional(),
  /** YYYY-MM-DD, a real calendar date; the UI keeps it out of the future. */
  date: z.iso.date().optional(),
  timeBand: z.enum(TIME_BANDS).optional(),
  /** Coarse area (town, district, road), never an address. */
  area: text(L.short).optional(),
  setting: z.enum(SETTINGS).optional(),
  settingOther: text(L.short).optional(),
  contactMethod: z.enum(CONTACT_METHODS).optional(),
  /** Name of the website, app, venue or agency. */
  contactDetail: text(L.short).optional(),
  /** What happened, in the reporter's words. */
  account: multiline(L.account).optional(),
  offender: offenderSchema.optional(),
  vehicle: vehicleSchema.optional(),
  identifiers: identifiersSchema.optional(),
  consent: consentSchema,
  /** Absent means the reporter reports for themselves. */
  onBehalfOf: onBehalfOfSchema.optional(),
  /** The mailbox's reply recipient (age1pq1...), so coordinators can answer. */
  replyRecipient: replyRecipientSchema.optional(),
});

export type Report = z.infer<typeof reportSchema>;
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export type Answer = (typeof ANSWERS)[number];

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Validate, serialise as UTF-8 JSON and pad. The caller then age-encrypts the result.
 * @throws DocumentError('invalid report') when `r` does not satisfy {@link reportSchema}
 */
export function encodeReport(r: Report): Uint8Array {
  const parsed = reportSchema.safeParse(r);
  if (!parsed.success) throw new DocumentError('invalid report');
  return pad(utf8(JSON.stringify(parsed.data)));
}

/**
 * Unpad, decode strict UTF-8 JSON and validate against {@link reportSchema}.
 * The result is still hostile text: render it as text, never as HTML.
 * @throws DocumentError('invalid report') for bad padding, bad UTF-8, bad JSON or a schema violation
 */
export function decodeReport(padded: Uint8Array): Report {
  let value: unknown;
  try {
    const body = unpad(padded);
    // The strict decoder would silently drop a byte order mark; encodeReport never writes one.
    if (BOM.every((b, i) => body[i] === b)) throw new Error('bom');
    value = JSON.parse(fromUtf8(body));
  } catch {
    throw new DocumentError('invalid report');
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success) throw new DocumentError('invalid report');
  return parsed.data;
}
