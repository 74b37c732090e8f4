/**
 * Police intelligence export (issue 12), the model: pure, no I/O. Each report in a selection
 * is judged on its own consent answers (crypto/SPEC.md §Report schema: only `yes` permits):
 *
 * - `shareWithPolice` not `yes` (no, unsure, unanswered), or the report could not be read:
 *   nothing from it, not even its id; the left-out list counts it ("1 report left out: consent").
 * - `shareWithPolice: yes`: the offender and the incident only, coarsened like a warning
 *   (month and part of day; place only as the organisation regions the coordinator picks).
 * - plus `wantPoliceSupport: yes`: also the one contact route the person gave, which is the
 *   scheme itself (reporters give no phone or email; they read replies in their anonymous
 *   mailbox), so the export says "contact through the scheme, quoting this reference".
 *
 * Free text in the reporter's words (the account, "other" answers, the venue or site name,
 * the area) can identify them and is never exported. Offender and vehicle texts are
 * exported only when the redaction check (client/lib/redaction.ts) finds nothing in them.
 * Reports are named by export references (R1, R2…), never by their server ids; the case
 * notes keep the mapping for the coordinators.
 */
import { extractIdentifiers, type Report } from '../crypto/index.js';
import { redactionFlags, type FlagKind } from '../client/lib/redaction.js';

export const EXPORT_FORMAT = 'tipline-police-export';
export const EXPORT_VERSION = 1;

/** One selected report as the console holds it. */
export interface ExportSource {
  /** the server id: used only to pair region choices and notes, never exported */
  id: string;
  status: 'ok' | 'undecryptable' | 'invalid';
  report?: Report;
  /** whether the reporter has an anonymous reply mailbox (the only contact route there is) */
  hasMailbox: boolean;
  attachments: number;
  followUps: number;
}

export interface ExportOptions {
  /** the organisation's name, from its verified profile */
  scheme: string;
  /** YYYY-MM-DD */
  created: string;
  /** a random reference for this export, also written in the case notes */
  exportId: string;
  /** region names the coordinator chose per report id (the only place exported) */
  regions?: Readonly<Record<string, readonly string[]>>;
}

export type ConsentBasis = 'anonymous' | 'full-report-support';

export interface ExportedReport {
  ref: string;
  consent: ConsentBasis;
  incident: {
    types: string[];
    /** YYYY-MM */
    month?: string;
    partOfDay?: string;
    regions?: string[];
    setting?: string;
    contactMethod?: string;
  };
  offender?: Partial<Record<'count' | 'gender' | 'ageRange' | 'height' | 'build' | 'hair' | 'skin' | 'accent' | 'nameGiven' | 'clothing' | 'marks', string>>;
  vehicle?: { make?: string; model?: string; colour?: string; plate?: string; plateIsPartial?: boolean };
  identifiers?: { phones?: string[]; emails?: string[]; usernames?: string[] };
  /** other references in this export that share an offender identifier */
  linkedTo?: string[];
  contactRoute?: { kind: 'through-scheme'; instructions: string };
}

export type LeftOutClass =
  | 'whole-report'
  | 'reporter-details'
  | 'contact-route'
  | 'reporters-words'
  | 'exact-place'
  | 'exact-date'
  | 'flagged-text'
  | 'photos'
  | 'messages';

export interface LeftOut {
  /** the export reference; absent for whole reports left out (they get no reference) */
  ref?: string;
  /** how many reports, for whole reports left out */
  reports?: number;
  what: LeftOutClass;
  /** field names (never their contents) */
  fields?: string[];
  why: string;
}

export interface ExportModel {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportId: string;
  created: string;
  scheme: string;
  notice: string;
  reports: ExportedReport[];
  leftOut: LeftOut[];
}

/** What the export did with each selected report: for the case notes, never exported. */
export interface ExportOutcome {
  id: string;
  ref?: string;
  consent?: ConsentBasis;
  leftOut?: 'consent' | 'unreadable';
}

export const NOTICE =
  'Shared by the scheme as intelligence, with the consent of each person who reported, and only as far as each consent allows. ' +
  'Nobody named here agreed to be contacted by police except through the scheme, where a report says so.';

const WHY = {
  consent: 'consent: the person did not agree to share this report with police',
  unreadable: 'the report could not be read, so its consent is unknown',
  reporterDetails: 'details about the person who reported are never shared',
  contactAnonymous: 'consent is for anonymous sharing only: no contact route',
  contactNone: 'the person asked for support but has no reply mailbox, so there is no contact route',
  words: "free text in the reporter's own words can identify them",
  place: 'finer than the warning rules allow: only regions chosen by the coordinator are shared',
  date: 'finer than the warning rules allow: only the month is shared',
  photos: 'photos can identify the person who reported and are never shared',
  messages: 'messages between the person and the scheme are never shared',
} as const;

const FLAG_WHY: Record<FlagKind, string> = {
  'reporter-contact': 'may hold the reporter\'s phone number or email',
  'other-contact': 'holds a phone number or email that is not one of the offender\'s identifiers',
  'unmasked-identifier': 'holds an offender identifier',
  address: 'may hold an address',
  'exact-time': 'may hold an exact time',
  'exact-date': 'may hold an exact date',
  'personal-name': 'may hold a personal name',
};

/** The contact route for a report whose person asked for support to make a full report. */
export function contactInstructions(scheme: string, ref: string, exportId: string): string {
  return `The person asked for support to make a full police report. Contact them only through ${scheme}, quoting export ${exportId}, report ${ref}: the scheme passes messages on through the person's anonymous reply mailbox.`;
}

/** The consent basis of a report, or why it is left out. Only `yes` permits (SPEC.md §Report schema). */
export function consentOf(s: ExportSource): ConsentBasis | 'consent' | 'unreadable' {
  if (s.status !== 'ok' || !s.report) return 'unreadable';
  const c = s.report.consent;
  if (c.shareWithPolice !== 'yes') return 'consent';
  return c.wantPoliceSupport === 'yes' ? 'full-report-support' : 'anonymous';
}

const OFFENDER_ENUMS = ['count', 'gender', 'ageRange', 'height', 'build'] as const;
const OFFENDER_TEXTS = ['hair', 'skin', 'accent', 'nameGiven', 'clothing', 'marks'] as const;
const VEHICLE_TEXTS = ['make', 'model', 'colour'] as const;
const LINK_KINDS = new Set(['phone', 'email', 'plate', 'handle', 'url']);

const nonEmpty = <T extends object>(o: T): T | undefined => (Object.keys(o).length > 0 ? o : undefined);

/** One report's exported part and its own left-out entries. */
function exportOne(s: ExportSource, r: Report, ref: string, basis: ConsentBasis, opts: ExportOptions): { out: ExportedReport; left: LeftOut[] } {
  const left: LeftOut[] = [];
  const omit = (what: LeftOutClass, why: string, fields?: string[]) => {
    if (fields && fields.length === 0) return;
    left.push({ ref, what, ...(fields ? { fields } : {}), why });
  };

  const regions = [...(opts.regions?.[s.id] ?? [])];
  const incident: ExportedReport['incident'] = {
    types: [...r.incidentTypes],
    ...(r.date ? { month: r.date.slice(0, 7) } : {}),
    ...(r.timeBand ? { partOfDay: r.timeBand } : {}),
    ...(regions.length > 0 ? { regions } : {}),
    ...(r.setting ? { setting: r.setting } : {}),
    ...(r.contactMethod ? { contactMethod: r.contactMethod } : {}),
  };

  // Offender and vehicle texts pass the redaction check or stay out; an offender
  // identifier written in them is expected (police get the identifiers in full).
  const o = r.offender ?? {};
  const v = r.vehicle ?? {};
  const texts: Record<string, string | undefined> = {};
  for (const k of OFFENDER_TEXTS) texts[`offender.${k}`] = o[k];
  for (const k of VEHICLE_TEXTS) texts[`vehicle.${k}`] = v[k];
  const flagged = new Map<string, FlagKind>();
  for (const f of redactionFlags(r, texts)) if (f.kind !== 'unmasked-identifier' && !flagged.has(f.field)) flagged.set(f.field, f.kind);
  for (const [field, kind] of flagged) omit('flagged-text', `the redaction check: ${FLAG_WHY[kind]}`, [field]);

  const offender: NonNullable<ExportedReport['offender']> = {};
  for (const k of OFFENDER_ENUMS) if (o[k]) offender[k] = o[k];
  for (const k of OFFENDER_TEXTS) if (o[k] && !flagged.has(`offender.${k}`)) offender[k] = o[k];
  const vehicle: NonNullable<ExportedReport['vehicle']> = {};
  for (const k of VEHICLE_TEXTS) if (v[k] && !flagged.has(`vehicle.${k}`)) vehicle[k] = v[k];
  if (v.plate) {
    vehicle.plate = v.plate;
    if (v.plateIsPartial !== undefined) vehicle.plateIsPartial = v.plateIsPartial;
  }
  const ids = r.identifiers ?? {};
  const identifiers = nonEmpty({
    ...(ids.phones?.length ? { phones: [...ids.phones] } : {}),
    ...(ids.emails?.length ? { emails: [...ids.emails] } : {}),
    ...(ids.usernames?.length ? { usernames: [...ids.usernames] } : {}),
  });

  const out: ExportedReport = { ref, consent: basis, incident };
  if (nonEmpty(offender)) out.offender = offender;
  if (nonEmpty(vehicle)) out.vehicle = vehicle;
  if (identifiers) out.identifiers = identifiers;
  if (basis === 'full-report-support' && s.hasMailbox) {
    out.contactRoute = { kind: 'through-scheme', instructions: contactInstructions(opts.scheme, ref, opts.exportId) };
  }

  const present = (fields: [string, unknown][]) => fields.filter(([, x]) => x !== undefined).map(([n]) => n);
  omit('reporter-details', WHY.reporterDetails, present([
    ['language', r.language],
    ['onBehalfOf', r.onBehalfOf],
    ['consent.publishWarning', r.consent.publishWarning],
    ['consent.wantCaseworker', r.consent.wantCaseworker],
    ...(basis === 'anonymous' ? [] : ([['replyRecipient', r.replyRecipient]] as [string, unknown][])),
  ]));
  if (basis === 'anonymous' && (s.hasMailbox || r.replyRecipient)) omit('contact-route', WHY.contactAnonymous, ['replyRecipient']);
  if (basis === 'full-report-support' && !s.hasMailbox) left.push({ ref, what: 'contact-route', why: WHY.contactNone });
  omit('reporters-words', WHY.words, present([
    ['account', r.account],
    ['incidentOther', r.incidentOther],
    ['settingOther', r.settingOther],
    ['contactDetail', r.contactDetail],
  ]));
  omit('exact-place', WHY.place, present([['area', r.area]]));
  if (r.date && r.datePrecision !== 'month') omit('exact-date', WHY.date, ['date']);
  if (s.attachments > 0) left.push({ ref, what: 'photos', fields: [`${s.attachments} attachment${s.attachments === 1 ? '' : 's'}`], why: WHY.photos });
  if (s.followUps > 0) left.push({ ref, what: 'messages', fields: [`${s.followUps} follow-up message${s.followUps === 1 ? '' : 's'}`], why: WHY.messages });
  return { out, left };
}

/** Offender identifier keys of an exported report (only what it exports, so a left-out field never links). */
function linkKeys(x: ExportedReport): Set<string> {
  const probe: Report = {
    schemaVersion: 1,
    incidentTypes: ['other'],
    consent: { publishWarning: 'no' },
    ...(x.identifiers ? { identifiers: x.identifiers } : {}),
    ...(x.vehicle?.plate ? { vehicle: { plate: x.vehicle.plate, ...(x.vehicle.plateIsPartial !== undefined ? { plateIsPartial: x.vehicle.plateIsPartial } : {}) } } : {}),
  };
  return new Set(extractIdentifiers(probe).filter((i) => LINK_KINDS.has(i.kind)).map((i) => i.key));
}

/**
 * The export of a selection (one report, several, linked ones): each report judged on its
 * own consent, reports numbered R1, R2… in selection order, the left-out list per report and
 * per field class, whole reports left out counted without any reference.
 * Pure and total: never throws for any source (an unreadable report is left out).
 */
export function buildExport(sources: readonly ExportSource[], opts: ExportOptions): { model: ExportModel; outcomes: ExportOutcome[] } {
  const reports: ExportedReport[] = [];
  const leftOut: LeftOut[] = [];
  const outcomes: ExportOutcome[] = [];
  const whole = { consent: 0, unreadable: 0 };
  const seen = new Set<string>();
  for (const s of sources) {
    if (seen.has(s.id)) continue;
    seen.add(s.id);
    const basis = consentOf(s);
    if (basis === 'consent' || basis === 'unreadable') {
      whole[basis]++;
      outcomes.push({ id: s.id, leftOut: basis });
      continue;
    }
    const ref = `R${reports.length + 1}`;
    const { out, left } = exportOne(s, s.report!, ref, basis, opts);
    reports.push(out);
    leftOut.push(...left);
    outcomes.push({ id: s.id, ref, consent: basis });
  }
  const keys = reports.map(linkKeys);
  reports.forEach((x, i) => {
    const linked = reports.filter((_, j) => j !== i && [...keys[j]!].some((k) => keys[i]!.has(k))).map((y) => y.ref);
    if (linked.length > 0) x.linkedTo = linked;
  });
  if (whole.consent > 0) leftOut.unshift({ reports: whole.consent, what: 'whole-report', why: WHY.consent });
  if (whole.unreadable > 0) leftOut.unshift({ reports: whole.unreadable, what: 'whole-report', why: WHY.unreadable });
  return {
    model: { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportId: opts.exportId, created: opts.created, scheme: opts.scheme, notice: NOTICE, reports, leftOut },
    outcomes,
  };
}

/** The JSON file: the model as it is (export.schema.json), two-space indented. */
export function exportJson(model: ExportModel): string {
  return JSON.stringify(model, null, 2) + '\n';
}
