/**
 * Redaction help for the warning composer (pure, no crypto, no DOM): what in a draft could
 * identify the reporter or someone other than the offender. Each flag names the field, the
 * exact span and why; the composer shows them beside the text and a coordinator may override
 * them. Heuristics: they find the usual slips (a number copied from the account, a house
 * number and street, "at 10:45", "my friend Jade"), not every possible one.
 */

/** The parts of a report (crypto/report.ts) this module reads; any report object fits. */
export interface ReportLike {
  consent?: { publishWarning?: string };
  onBehalfOf?: { forSomeoneElse: boolean; theyConsented: boolean };
  account?: string;
  area?: string;
  contactDetail?: string;
  incidentOther?: string;
  settingOther?: string;
  offender?: { nameGiven?: string; clothing?: string; marks?: string; hair?: string; skin?: string; accent?: string };
  vehicle?: { make?: string; model?: string; colour?: string; plate?: string };
  identifiers?: { phones?: string[]; emails?: string[]; usernames?: string[] };
}

export type FlagKind =
  /** a phone number or email from the report that is not one of the offender's identifiers */
  | 'reporter-contact'
  /** a phone number or email that is in neither the report nor the offender's identifiers */
  | 'other-contact'
  /** one of the offender's identifiers written out in full (use the masked identifier list) */
  | 'unmasked-identifier'
  | 'address'
  | 'exact-time'
  | 'exact-date'
  | 'personal-name';

export interface RedactionFlag {
  kind: FlagKind;
  /** the draft field the span is in */
  field: string;
  start: number;
  end: number;
  text: string;
}

/** Digits of a phone-like string, compared on the last 9 so `+44 7700 900123` equals `07700 900123`. */
export function phoneKey(s: string): string {
  return s.replace(/\D/g, '').slice(-9);
}

const PHONE = /(?<![\w+])\+?\d[\d\s().-]{5,}\d(?!\w)/g;
const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[A-Za-z]{2,}/g;
const STREET_WORDS =
  'street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|court|ct|place|pl|crescent|terrace|gardens|grove|hill|square|sq|park|mews|row|walk|strada|str|bulevardul|bd|calea';
const ADDRESS = [
  new RegExp(`\\b\\d{1,4}[a-z]?,?\\s+(?:[A-Z][\\w'-]*\\s+){1,3}(?:${STREET_WORDS})\\b\\.?`, 'gi'),
  /\b(?:flat|apartment|apt|room|unit|suite|house)\s+(?:no\.?\s*)?\d+[a-z]?\b/gi,
  /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/g, // UK postcode
];
const TIMES = [/\b(?:[01]?\d|2[0-3])[:.h][0-5]\d\b(?:\s?[ap](?:\.m\.|m\b))?/gi, /\b(?:1[0-2]|0?[1-9])\s?[ap](?:\.m\.|m\b)/gi, /\b(?:1[0-2]|0?[1-9])\s?o'?\s?clock\b/gi];
const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATES = [
  /\b\d{4}-\d{2}-\d{2}\b/g,
  /\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b/g,
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\b`, 'gi'),
  new RegExp(`\\b(?:${MONTHS})\\s+\\d{1,2}(?:st|nd|rd|th)?\\b`, 'gi'),
  /\b(?:last|this|on)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b/gi,
  /\b(?:yesterday|today|tonight|last night)\b/gi,
];
const NAME_CUES = /\b(?:my name is|i am|i'm|called|named|my (?:friend|flatmate|maid|driver|colleague|boyfriend|girlfriend|partner|sister|brother)|mr|mrs|ms|miss|dr)\.?\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)/g;
const NOT_NAMES = new Set(
  (
    'I A The He She They We It His Her Their Our My This That There Then When After Before Do Don Take Be Avoid Never Always ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December ' +
    'Police Man Woman Client Car Van Taxi Uber Hotel WhatsApp Signal Telegram SMS OK'
  ).split(' '),
);

function spans(re: RegExp, text: string): [number, number][] {
  const out: [number, number][] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** Phone numbers and emails written anywhere in the report's free text: the reporter's own details may be among them. */
function reportContacts(r: ReportLike | undefined): { phones: Set<string>; emails: Set<string> } {
  const texts = [r?.account, r?.contactDetail, r?.incidentOther, r?.settingOther, r?.area, r?.offender?.clothing, r?.offender?.marks].filter(
    (s): s is string => typeof s === 'string',
  );
  const phones = new Set<string>();
  const emails = new Set<string>();
  for (const t of texts) {
    for (const [a, b] of spans(PHONE, t)) if (t.slice(a, b).replace(/\D/g, '').length >= 7) phones.add(phoneKey(t.slice(a, b)));
    for (const [a, b] of spans(EMAIL, t)) emails.add(t.slice(a, b).toLowerCase());
  }
  return { phones, emails };
}

/**
 * Flags for every draft field. `allowedWords` are capitalised words that are not personal
 * names here (region names, vehicle makes; the report's vehicle and the offender's given
 * name are added automatically: the offender may be named).
 */
export function redactionFlags(report: ReportLike | undefined, draft: Readonly<Record<string, string | undefined>>, allowedWords: readonly string[] = []): RedactionFlag[] {
  const offenderPhones = new Set((report?.identifiers?.phones ?? []).map(phoneKey).filter((k) => k.length >= 6));
  const offenderEmails = new Set((report?.identifiers?.emails ?? []).map((e) => e.trim().toLowerCase()));
  const offenderText = [...(report?.identifiers?.usernames ?? []), report?.vehicle?.plate].filter((s): s is string => !!s && s.length >= 4);
  const fromReport = reportContacts(report);
  const allowed = new Set(
    [...allowedWords, report?.vehicle?.make, report?.vehicle?.model, report?.vehicle?.colour, report?.offender?.nameGiven, report?.contactDetail]
      .filter((s): s is string => !!s)
      .flatMap((s) => s.split(/\s+/)),
  );
  const flags: RedactionFlag[] = [];
  for (const [field, text] of Object.entries(draft)) {
    if (!text) continue;
    const add = (kind: FlagKind, [start, end]: [number, number]) => {
      if (flags.some((f) => f.field === field && f.start < end && start < f.end)) return;
      flags.push({ kind, field, start, end, text: text.slice(start, end) });
    };
    for (const s of spans(EMAIL, text)) {
      const e = text.slice(s[0], s[1]).toLowerCase();
      add(offenderEmails.has(e) ? 'unmasked-identifier' : fromReport.emails.has(e) ? 'reporter-contact' : 'other-contact', s);
    }
    for (const s of spans(PHONE, text)) {
      const raw = text.slice(s[0], s[1]);
      const digits = raw.replace(/\D/g, '').length;
      if (digits < 7 || /^\d{4}-\d{2}-\d{2}$/.test(raw.trim())) continue;
      const k = phoneKey(raw);
      add(offenderPhones.has(k) ? 'unmasked-identifier' : fromReport.phones.has(k) ? 'reporter-contact' : 'other-contact', s);
    }
    for (const id of offenderText) {
      for (let i = text.toLowerCase().indexOf(id.toLowerCase()); i >= 0; i = text.toLowerCase().indexOf(id.toLowerCase(), i + 1)) {
        add('unmasked-identifier', [i, i + id.length]);
      }
    }
    for (const re of ADDRESS) for (const s of spans(re, text)) add('address', s);
    for (const re of DATES) for (const s of spans(re, text)) add('exact-date', s);
    for (const re of TIMES) for (const s of spans(re, text)) add('exact-time', s);
    NAME_CUES.lastIndex = 0;
    for (let m = NAME_CUES.exec(text); m; m = NAME_CUES.exec(text)) {
      const name = m[1]!;
      if (name.split(/\s+/).every((w) => allowed.has(w) || NOT_NAMES.has(w))) continue;
      const start = m.index + m[0].length - name.length;
      add('personal-name', [start, start + name.length]);
    }
    // A capitalised word in the middle of a sentence that is not a known word may be a name.
    for (const m of text.matchAll(/(?<=[a-z,;]\s+)[A-Z][a-z'-]{2,}(?:\s+[A-Z][a-z'-]{2,})?/g)) {
      const words = m[0].split(/\s+/);
      if (words.every((w) => allowed.has(w) || NOT_NAMES.has(w))) continue;
      add('personal-name', [m.index!, m.index! + m[0].length]);
    }
  }
  return flags.sort((a, b) => (a.field === b.field ? a.start - b.start : a.field < b.field ? -1 : 1));
}

/** Why a report's consent does not allow a warning. */
export class ConsentRefused extends Error {
  constructor(readonly reason: 'publish-warning-no' | 'publish-warning-unsure' | 'publish-warning-missing' | 'third-party-no-consent') {
    super('consent does not allow a warning');
    this.name = 'ConsentRefused';
  }
}

/**
 * A warning may start from a report only when the reporter answered `yes` to publishing one
 * (and, reporting for someone else, that person consented). Anything else refuses.
 * @throws ConsentRefused
 */
export function assertWarningConsent(report: ReportLike): void {
  const a = report.consent?.publishWarning;
  if (a === 'no') throw new ConsentRefused('publish-warning-no');
  if (a === 'unsure') throw new ConsentRefused('publish-warning-unsure');
  if (a !== 'yes') throw new ConsentRefused('publish-warning-missing');
  if (report.onBehalfOf?.forSomeoneElse && !report.onBehalfOf.theyConsented) throw new ConsentRefused('third-party-no-consent');
}
