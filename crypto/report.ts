/**
 * The report document (SPEC.md §Report schema), shared by the reporter's browser, the server's
 * no-JavaScript form and the coordinator console. Every pick-list is an enum of stable machine
 * values; the UI translates them. Every object is strict and every string and array is bounded,
 * so the largest valid report pads to at most 64 KiB.
 */
import * as z from './schema.js';
import { fromUtf8, utf8 } from './bytes.js';
import { DocumentError } from './errors.js';
import { HybridRecipient } from './hybrid.js';
import { pad, unpad } from './padding.js';

import { AGE_RANGES, ANSWERS, BUILDS, CONTACT_METHODS, GENDERS, HEIGHTS, INCIDENT_TYPES, LANGUAGES, OFFENDER_COUNTS, REPORT_LIMITS, SETTINGS, TIME_BANDS } from './report-values.js';

export { AGE_RANGES, ANSWERS, BUILDS, CONTACT_METHODS, GENDERS, HEIGHTS, INCIDENT_TYPES, LANGUAGES, OFFENDER_COUNTS, REPORT_LIMITS, SETTINGS, TIME_BANDS };

// Any character but C0/C1 controls and lone surrogates (which \p{Cs} matches under the u flag).
const SINGLE_LINE = /^[^\p{Cc}\p{Cs}]*$/u;
// Free text may also hold tab, line feed and carriage return (browsers submit textareas with CRLF).
const MULTI_LINE = /^(?:[\t\n\r]|[^\p{Cc}\p{Cs}])*$/u;
// Identifiers are matched across reports, so also no format characters (bidi overrides,
// zero-width joiners) and no line or paragraph separators that would make equal-looking values differ.
const IDENTIFIER = /^[^\p{Cc}\p{Cs}\p{Cf}\p{Zl}\p{Zp}]*$/u;

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(SINGLE_LINE));
const multiline = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(MULTI_LINE));
const identifier = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(IDENTIFIER));
const answer = z.enum(ANSWERS);
const L = REPORT_LIMITS;

const offenderSchema = z.strictObject({
  count: z.optional(z.enum(OFFENDER_COUNTS)),
  gender: z.optional(z.enum(GENDERS)),
  ageRange: z.optional(z.enum(AGE_RANGES)),
  height: z.optional(z.enum(HEIGHTS)),
  build: z.optional(z.enum(BUILDS)),
  hair: z.optional(text(L.short)),
  /** Skin colour or ethnicity in the reporter's words. */
  skin: z.optional(text(L.short)),
  accent: z.optional(text(L.short)),
  /** A name the offender used. */
  nameGiven: z.optional(text(L.short)),
  clothing: z.optional(multiline(L.description)),
  /** Tattoos, scars, piercings, anything distinctive. */
  marks: z.optional(multiline(L.description)),
});

const vehicleSchema = z.strictObject({
  make: z.optional(text(L.vehiclePart)),
  model: z.optional(text(L.vehiclePart)),
  colour: z.optional(text(L.vehiclePart)),
  plate: z.optional(identifier(L.plate)),
  plateIsPartial: z.optional(z.boolean()),
});

const identifiersSchema = z.strictObject({
  phones: z.optional(z.array(identifier(L.phone)).check(z.maxLength(L.phones))),
  emails: z.optional(z.array(identifier(L.email)).check(z.maxLength(L.emails))),
  /** Usernames, ad profile names or profile URLs. */
  usernames: z.optional(z.array(identifier(L.username)).check(z.maxLength(L.usernames))),
});

const consentSchema = z.strictObject({
  /** May an anonymised warning be published to members? Required: no warning without an answer. */
  publishWarning: answer,
  /** May the details be shared anonymously with police as intelligence? */
  shareWithPolice: z.optional(answer),
  /** Does the person want support to make a full police report? */
  wantPoliceSupport: z.optional(answer),
  /** Does the person want contact from a caseworker? */
  wantCaseworker: z.optional(answer),
});

const onBehalfOfSchema = z
  .strictObject({
    forSomeoneElse: z.boolean(),
    theyConsented: z.boolean(),
  })
  .check(
    z.refine((o) => !o.forSomeoneElse || o.theyConsented, {
      message: 'a report for someone else needs their consent',
      path: ['theyConsented'],
    }),
  );

const replyRecipientSchema = z.string().check(
  z.maxLength(L.replyRecipient),
  z.regex(/^age1pq1[02-9ac-hj-np-z]+$/),
  z.refine(
    (s) => {
      try {
        HybridRecipient.parse(s);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'invalid recipient' },
  ),
);

export const reportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** The language the reporter used (the coordinator may need it to reply). */
  language: z.optional(z.enum(LANGUAGES)),
  /** At least one, no duplicates. */
  incidentTypes: z
    .array(z.enum(INCIDENT_TYPES))
    .check(
      z.minLength(1),
      z.maxLength(INCIDENT_TYPES.length),
      z.refine((a) => new Set(a).size === a.length, { message: 'duplicate incident type' }),
    ),
  /** The reporter's words when 'other' is among the types. */
  incidentOther: z.optional(text(L.short)),
  /** YYYY-MM-DD, a real calendar date; the UI keeps it out of the future. */
  date: z.optional(z.iso.date()),
  /** How precise `date` is: 'week' means within a few days of it, 'month' some day in its month. Absent: unknown (read as 'day'). */
  datePrecision: z.optional(z.enum(['day', 'week', 'month'])),
  timeBand: z.optional(z.enum(TIME_BANDS)),
  /** Coarse area (town, district, road), never an address. */
  area: z.optional(text(L.short)),
  setting: z.optional(z.enum(SETTINGS)),
  settingOther: z.optional(text(L.short)),
  contactMethod: z.optional(z.enum(CONTACT_METHODS)),
  /** Name of the website, app, venue or agency. */
  contactDetail: z.optional(text(L.short)),
  /** What happened, in the reporter's words. */
  account: z.optional(multiline(L.account)),
  offender: z.optional(offenderSchema),
  vehicle: z.optional(vehicleSchema),
  identifiers: z.optional(identifiersSchema),
  consent: consentSchema,
  /** Absent means the reporter reports for themselves. */
  onBehalfOf: z.optional(onBehalfOfSchema),
  /** The mailbox's reply recipient (age1pq1...), so coordinators can answer. */
  replyRecipient: z.optional(replyRecipientSchema),
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
