/**
 * The report wizard's answers, held in memory only, and their translation into the shared
 * report document (crypto/report.ts). Every answer is optional except the incident type and
 * the answer to "may we publish a warning", which a warning cannot do without.
 */
// The values alone (no zod): the first screen draws before the crypto is loaded.
import {
  AGE_RANGES,
  BUILDS,
  CONTACT_METHODS,
  GENDERS,
  HEIGHTS,
  INCIDENT_TYPES,
  OFFENDER_COUNTS,
  REPORT_LIMITS,
  SETTINGS,
  TIME_BANDS,
} from '../../crypto/report-values.js';
import type { Answer, IncidentType, Report } from '../lib/crypto.js';
import type { Lang, MessageKey } from '../i18n/index.js';
import { reportLanguage } from '../i18n/languages.js';

export type { Answer, IncidentType, Report };
export { AGE_RANGES, BUILDS, CONTACT_METHODS, GENDERS, HEIGHTS, INCIDENT_TYPES, OFFENDER_COUNTS, SETTINGS, TIME_BANDS };
export const LIMITS = REPORT_LIMITS;

export interface FormState {
  incidentTypes: IncidentType[];
  incidentOther: string;
  /** How the date was given: a day picked from the calendar, or an approximation (SPEC.md §Report schema, datePrecision). */
  when: '' | WhenKind;
  /** YYYY-MM when `when` is 'month'. */
  month: string;
  /** YYYY-MM-DD when `when` is 'exact'. */
  date: string;
  timeBand: string;
  area: string;
  setting: string;
  settingOther: string;
  contactMethod: string;
  contactDetail: string;
  count: string;
  gender: string;
  ageRange: string;
  height: string;
  build: string;
  hair: string;
  skin: string;
  accent: string;
  nameGiven: string;
  clothing: string;
  marks: string;
  phones: string[];
  emails: string[];
  usernames: string[];
  make: string;
  model: string;
  colour: string;
  plate: string;
  plateIsPartial: boolean;
  account: string;
  publishWarning: '' | Answer;
  shareWithPolice: '' | Answer;
  wantPoliceSupport: '' | Answer;
  wantCaseworker: '' | Answer;
  behalf: '' | 'self' | 'other';
  theyConsented: '' | 'yes' | 'no';
}

export function emptyForm(): FormState {
  return {
    incidentTypes: [],
    incidentOther: '',
    when: '',
    month: '',
    date: '',
    timeBand: '',
    area: '',
    setting: '',
    settingOther: '',
    contactMethod: '',
    contactDetail: '',
    count: '',
    gender: '',
    ageRange: '',
    height: '',
    build: '',
    hair: '',
    skin: '',
    accent: '',
    nameGiven: '',
    clothing: '',
    marks: '',
    phones: [],
    emails: [],
    usernames: [],
    make: '',
    model: '',
    colour: '',
    plate: '',
    plateIsPartial: false,
    account: '',
    publishWarning: '',
    shareWithPolice: '',
    wantPoliceSupport: '',
    wantCaseworker: '',
    behalf: '',
    theyConsented: '',
  };
}

export const WHEN_KINDS = ['today', 'yesterday', 'days', 'week', 'weeks', 'month', 'exact'] as const;
export type WhenKind = (typeof WHEN_KINDS)[number];

/**
 * The full report. "Who is reporting" is asked on the intro, before anything else, so that
 * every later question can be worded for a third party when that is the answer.
 */
export const FULL_STEPS = [
  'intro',
  'what',
  'when',
  'where',
  'contact',
  'person',
  'ids',
  'vehicle',
  'account',
  'photos',
  'publish',
  'police',
  'policeSupport',
  'caseworker',
  'summary',
] as const;
/** The quick report for someone who was just attacked: four short steps and the check (more can be added later with the code). */
export const QUICK_STEPS = ['intro', 'what', 'whenWhere', 'them', 'consent', 'summary'] as const;
export type Step = (typeof FULL_STEPS)[number] | (typeof QUICK_STEPS)[number];
export type Path = 'quick' | 'full';
export function stepsOf(path: Path): readonly Step[] {
  return path === 'quick' ? QUICK_STEPS : FULL_STEPS;
}
/** Kept for the summary's links: every step that exists in either path. */
export const STEPS: readonly Step[] = [...FULL_STEPS, 'whenWhere', 'them', 'consent'];
export const CONSENT_STEPS = ['publish', 'police', 'policeSupport', 'caseworker'] as const;
export type ConsentStep = (typeof CONSENT_STEPS)[number];
export const CONSENT_FIELD: Readonly<Record<ConsentStep, 'publishWarning' | 'shareWithPolice' | 'wantPoliceSupport' | 'wantCaseworker'>> = {
  publish: 'publishWarning',
  police: 'shareWithPolice',
  policeSupport: 'wantPoliceSupport',
  caseworker: 'wantCaseworker',
};

/** Trimmed value, or undefined when empty. */
function opt(s: string): string | undefined {
  const v = s.trim();
  return v === '' ? undefined : v;
}

/** Free text keeps its line breaks but loses surrounding blank space. */
function optText(s: string): string | undefined {
  const v = s.replace(/\r\n?/g, '\n').trim();
  return v === '' ? undefined : v;
}

function list(values: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const v of values) {
    const x = v.trim();
    if (x !== '' && !out.includes(x)) out.push(x);
  }
  return out.length > 0 ? out : undefined;
}

function compact<T extends object>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

/** The report document exactly as it will be encrypted (without the reply recipient, added at send time). */
export function toReport(f: FormState, lang: Lang): Report {
  const r: Record<string, unknown> = {
    schemaVersion: 1,
    language: reportLanguage(lang),
    incidentTypes: INCIDENT_TYPES.filter((t) => f.incidentTypes.includes(t)),
    incidentOther: f.incidentTypes.includes('other') ? opt(f.incidentOther) : undefined,
    ...reportDate(f),
    timeBand: opt(f.timeBand),
    area: opt(f.area),
    setting: opt(f.setting),
    settingOther: f.setting === 'other' ? opt(f.settingOther) : undefined,
    contactMethod: opt(f.contactMethod),
    contactDetail: f.contactMethod ? opt(f.contactDetail) : undefined,
    account: optText(f.account),
    offender: compact({
      count: opt(f.count),
      gender: opt(f.gender),
      ageRange: opt(f.ageRange),
      height: opt(f.height),
      build: opt(f.build),
      hair: opt(f.hair),
      skin: opt(f.skin),
      accent: opt(f.accent),
      nameGiven: opt(f.nameGiven),
      clothing: optText(f.clothing),
      marks: optText(f.marks),
    }),
    vehicle: compact({
      make: opt(f.make),
      model: opt(f.model),
      colour: opt(f.colour),
      plate: opt(f.plate),
      plateIsPartial: opt(f.plate) && f.plateIsPartial ? true : undefined,
    }),
    identifiers: compact({ phones: list(f.phones), emails: list(f.emails), usernames: list(f.usernames) }),
    consent: compact({
      publishWarning: f.publishWarning || undefined,
      shareWithPolice: f.shareWithPolice || undefined,
      wantPoliceSupport: f.wantPoliceSupport || undefined,
      wantCaseworker: f.wantCaseworker || undefined,
    }),
    onBehalfOf: f.behalf === 'other' ? { forSomeoneElse: true, theyConsented: f.theyConsented === 'yes' } : undefined,
  };
  return compact(r) as Report;
}

/** Today as YYYY-MM-DD in local time. */
export function today(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

function daysAgo(n: number, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - n);
  return today(d);
}

/** The last twelve months, newest first, as YYYY-MM. */
export function recentMonths(now = new Date()): string[] {
  const out: string[] = [];
  for (let i = 0; i < 12; i++) {
    const d = new Date(now.getFullYear(), now.getMonth() - i, 1);
    out.push(today(d).slice(0, 7));
  }
  return out;
}

/**
 * The report's date and how precise it is. An approximation is sent as a representative day
 * with its precision ('week': within a few days of it; 'month': some day in that month), so a
 * coordinator never reads "about a week ago" as an exact day.
 */
export function reportDate(f: FormState, now = new Date()): { date?: string; datePrecision?: 'day' | 'week' | 'month' } {
  switch (f.when) {
    case 'today':
      return { date: daysAgo(0, now), datePrecision: 'day' };
    case 'yesterday':
      return { date: daysAgo(1, now), datePrecision: 'day' };
    case 'days':
      return { date: daysAgo(3, now), datePrecision: 'week' };
    case 'week':
      return { date: daysAgo(7, now), datePrecision: 'week' };
    case 'weeks':
      return { date: daysAgo(14, now), datePrecision: 'week' };
    case 'month':
      return /^\d{4}-\d{2}$/.test(f.month) ? { date: `${f.month}-01`, datePrecision: 'month' } : {};
    case 'exact':
      return f.date ? { date: f.date, datePrecision: 'day' } : {};
    default:
      return {};
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()./-]{3,31}$/;

export type Errors = Partial<Record<string, MessageKey>>;

/** Problems with one step's answers, keyed by field (list fields as `phones.0`). */
export function stepErrors(step: Step, f: FormState): Errors {
  const e: Errors = {};
  switch (step) {
    case 'intro':
      if (f.behalf === 'other' && f.theyConsented !== 'yes') e.theyConsented = 'behalf.needConsent';
      break;
    case 'what':
      if (f.incidentTypes.length === 0) e.incidentTypes = 'what.required';
      break;
    case 'when':
    case 'whenWhere':
      if (f.when === 'exact' && f.date && f.date > today()) e.date = 'when.dateFuture';
      if (f.when === 'month' && !f.month) e.month = 'when.monthRequired';
      break;
    case 'them':
    case 'ids':
      f.phones.forEach((p, i) => {
        const v = p.trim();
        if (v && (!PHONE.test(v) || !/[0-9].*[0-9].*[0-9]/.test(v))) e[`phones.${i}`] = 'ids.invalidPhone';
      });
      f.emails.forEach((m, i) => {
        const v = m.trim();
        if (v && !EMAIL.test(v)) e[`emails.${i}`] = 'ids.invalidEmail';
      });
      break;
    case 'publish':
    case 'consent':
      if (!f.publishWarning) e.publishWarning = 'consent.required';
      break;
    default:
      break;
  }
  return e;
}

/** True when the person has typed or chosen anything (leaving would then lose it). */
export function hasAnswers(f: FormState): boolean {
  const blank = emptyForm() as unknown as Record<string, unknown>;
  return Object.entries(f).some(([k, v]) => JSON.stringify(v) !== JSON.stringify(blank[k]));
}

/** The first step with a problem, or undefined when the whole report is ready. */
export function firstInvalidStep(f: FormState, lang: Lang, path: Path, valid: (r: Report) => boolean): Step | undefined {
  for (const s of stepsOf(path)) if (Object.keys(stepErrors(s, f)).length > 0) return s;
  if (!valid(toReport(f, lang))) return 'summary';
  return undefined;
}
