/**
 * The warning composer's state (no UI, no crypto): the draft as the coordinator edits it,
 * redaction flags on its free text (lib/redaction.ts) with the coordinator's overrides, and
 * the warning the preview shows and the console process signs.
 */
import type { Warning } from '../../crypto/index.js';
import { redactionFlags, type RedactionFlag, type ReportLike } from '../lib/redaction.js';
import { t } from './i18n.js';

export const TEXT_FIELDS = ['summary', 'offender', 'vehicle', 'advice'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export interface Draft {
  regions: string[];
  month: string;
  partOfDay?: Warning['partOfDay'];
  incidentTypes: Warning['incidentTypes'];
  summary: string;
  offender: string;
  vehicle: string;
  /** Masked; `tag` is the identifier's private-check tag, when it has one (crypto/SPEC.md §Private check). */
  identifiers: (NonNullable<Warning['identifiers']>[number] & { tag?: string })[];
  /** Tags a correction carries over from the warning it corrects (not paired with identifiers). */
  carriedTags: string[];
  advice: string;
  supersedes?: string;
}

export interface Region {
  id: string;
  name: string;
}

export interface Published {
  id: string;
  day: string;
  warning: Warning;
  signer: string;
}

export const thisMonth = () => new Date().toISOString().slice(0, 7);

export function emptyDraft(): Draft {
  return { regions: [], month: thisMonth(), incidentTypes: [], summary: '', offender: '', vehicle: '', identifiers: [], carriedTags: [], advice: '' };
}

/** A draft from the console process's first draft or a published warning (a correction). */
export function draftFrom(w: Partial<Warning> & { identifiers?: Draft['identifiers'] }, supersedes?: string): Draft {
  return {
    ...emptyDraft(),
    regions: w.regions ?? [],
    month: w.month ?? thisMonth(),
    ...(w.partOfDay ? { partOfDay: w.partOfDay } : {}),
    incidentTypes: w.incidentTypes ?? [],
    summary: w.summary ?? '',
    offender: w.offender ?? '',
    vehicle: w.vehicle ?? '',
    identifiers: w.identifiers ?? [],
    carriedTags: supersedes ? (w.checkTags ?? []) : [],
    advice: w.advice ?? '',
    ...(supersedes ? { supersedes } : {}),
  };
}

/** The warning members will see (the day is the day it is signed). */
export function previewOf(d: Draft): Warning {
  const w: Warning = { schemaVersion: 1, published: new Date().toISOString().slice(0, 10), regions: d.regions, month: d.month, incidentTypes: d.incidentTypes };
  if (d.partOfDay) w.partOfDay = d.partOfDay;
  for (const f of TEXT_FIELDS) if (d[f].trim()) w[f] = d[f].trim();
  if (d.identifiers.length > 0) w.identifiers = d.identifiers.map((i) => ({ kind: i.kind, masked: i.masked }));
  const tags = [...new Set([...d.carriedTags, ...d.identifiers.flatMap((i) => (i.tag ? [i.tag] : []))])];
  if (tags.length > 0) w.checkTags = tags;
  if (d.supersedes) w.supersedes = d.supersedes;
  return w;
}

/** What the console process is asked to sign: the preview without the day. */
export function bodyOf(d: Draft): Omit<Warning, 'schemaVersion' | 'published'> {
  const { schemaVersion: _v, published: _p, ...rest } = previewOf(d);
  return rest;
}

/** A flag is overridden by its field and exact text, so it stays overridden while the rest of the text changes. */
export const flagKey = (f: RedactionFlag) => `${f.field}\u0000${f.text}`;

export function flagsOf(d: Draft, report: ReportLike | undefined, regions: Region[]): RedactionFlag[] {
  const words = regions.flatMap((r) => r.name.split(/\s+/));
  return redactionFlags(report, { summary: d.summary, offender: d.offender, vehicle: d.vehicle, advice: d.advice }, words);
}

export const FLAG_LABELS: Record<RedactionFlag['kind'], string> = {
  'reporter-contact': t('draft.flag.reporterContact'),
  'other-contact': t('draft.flag.otherContact'),
  'unmasked-identifier': t('draft.flag.unmaskedIdentifier'),
  address: t('draft.flag.address'),
  'exact-time': t('draft.flag.exactTime'),
  'exact-date': t('draft.flag.exactDate'),
  'personal-name': t('draft.flag.personalName'),
};

/** Why the draft cannot be published yet, or an empty list. */
export function problems(d: Draft, flags: RedactionFlag[], overridden: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (d.regions.length === 0) out.push(t('draft.problem.region'));
  if (d.incidentTypes.length === 0) out.push(t('draft.problem.incident'));
  if (!/^\d{4}-\d{2}$/.test(d.month)) out.push(t('draft.problem.month'));
  const open = flags.filter((f) => !overridden.has(flagKey(f))).length;
  if (open > 0) out.push(t('draft.problem.flags', { n: open }));
  return out;
}
