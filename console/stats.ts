/**
 * Statistics over the decrypted cases (issue 12), pure: counts by month, incident type,
 * region, setting and consent answer; reports linked to another report; reports that became
 * warnings; days from report to first reply. The console shows these unsuppressed to
 * coordinators only; what leaves the machine is {@link quarterPeriods} run through
 * crypto's `suppress`.
 *
 * A report counts in the month (and quarter) the server received it, never its incident
 * date: a closed quarter then never gains reports, so it can be published once and frozen.
 * Only reports that decrypted and passed the schema count.
 */
import { ANSWERS, INCIDENT_TYPES, SETTINGS, quarterDays, type ProfileRegion, type RawPeriod, type RawTable, type Report } from '../crypto/index.js';

export interface StatsCase {
  /** YYYY-MM-DD the server received the report */
  day: string;
  report: Report;
  /** Shares an identifier with another report (one offender, probably). */
  linked: boolean;
  /** Its case was ever marked `warning-published`. */
  warned: boolean;
  hasMailbox: boolean;
  /** YYYY-MM-DD of the first coordinator reply, if any. */
  firstReplyDay?: string;
}

export const REPLY_BUCKETS = ['day-0', 'days-1-2', 'days-3-7', 'days-8-30', 'days-31-plus', 'no-reply', 'no-mailbox'] as const;
const CONSENT = [
  ['consent-publish-warning', 'publishWarning'],
  ['consent-share-with-police', 'shareWithPolice'],
  ['consent-police-support', 'wantPoliceSupport'],
  ['consent-caseworker', 'wantCaseworker'],
] as const;

const DAY_MS = 86_400_000;
/** Whole days from `a` to `b` (YYYY-MM-DD), at least 0. */
export function daysBetween(a: string, b: string): number {
  return Math.max(0, Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS));
}

function replyBucket(c: StatsCase): (typeof REPLY_BUCKETS)[number] {
  if (!c.hasMailbox) return 'no-mailbox';
  if (!c.firstReplyDay) return 'no-reply';
  const d = daysBetween(c.day, c.firstReplyDay);
  return d === 0 ? 'day-0' : d <= 2 ? 'days-1-2' : d <= 7 ? 'days-3-7' : d <= 30 ? 'days-8-30' : 'days-31-plus';
}

/**
 * The profile region a report's coarse area names: the first region whose id or name appears
 * in the area as whole words (case-insensitive), else 'unmatched'. Reports carry free text,
 * not a region id, so this is a best effort the page says it is.
 */
export function regionOf(area: string | undefined, regions: readonly ProfileRegion[]): string {
  if (!area) return 'unmatched';
  const words = ` ${area.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  for (const r of regions) {
    for (const name of [r.name, r.id]) {
      const w = name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      if (w && words.includes(` ${w} `)) return r.id;
    }
  }
  return 'unmatched';
}

function count(keys: readonly string[], values: Iterable<string>): { key: string; count: number }[] {
  const m = new Map(keys.map((k) => [k, 0]));
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([key, n]) => ({ key, count: n }));
}

/** The months `YYYY-MM` from the first to the last of `days` (or of the given range), in order. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  const end = last.slice(0, 7);
  for (;;) {
    const k = `${y}-${String(m).padStart(2, '0')}`;
    if (k > end) return out;
    out.push(k);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
}

/**
 * Every table over `cases`: partition tables (each report in exactly one row, with
 * 'not-given' or 'unmatched' rows where the report is silent) and the incident-type table
 * (a report in every type it names). `months` are the month rows (cases outside are an error).
 * @throws RangeError when a case's month is not among `months`
 */
export function tables(cases: readonly StatsCase[], regions: readonly ProfileRegion[], months: readonly string[]): RawTable[] {
  const month = count(months, cases.map((c) => c.day.slice(0, 7)));
  if (month.length !== months.length) throw new RangeError('a report falls outside the months');
  const out: RawTable[] = [
    { id: 'month', kind: 'partition', rows: month },
    { id: 'incident-type', kind: 'multi', rows: count(INCIDENT_TYPES, cases.flatMap((c) => [...new Set(c.report.incidentTypes)])) },
    { id: 'region', kind: 'partition', rows: count([...regions.map((r) => r.id), 'unmatched'], cases.map((c) => regionOf(c.report.area, regions))) },
    { id: 'setting', kind: 'partition', rows: count([...SETTINGS, 'not-given'], cases.map((c) => c.report.setting ?? 'not-given')) },
  ];
  for (const [id, field] of CONSENT) {
    out.push({ id, kind: 'partition', rows: count([...ANSWERS, 'not-given'], cases.map((c) => c.report.consent[field] ?? 'not-given')) });
  }
  out.push({ id: 'linked', kind: 'partition', rows: count(['linked', 'not-linked'], cases.map((c) => (c.linked ? 'linked' : 'not-linked'))) });
  out.push({ id: 'warning', kind: 'partition', rows: count(['warning', 'no-warning'], cases.map((c) => (c.warned ? 'warning' : 'no-warning'))) });
  out.push({ id: 'first-reply', kind: 'partition', rows: count(REPLY_BUCKETS, cases.map(replyBucket)) });
  return out;
}

export interface LiveStats {
  reports: number;
  /** First and last received day, when there are reports. */
  range?: { first: string; last: string };
  tables: RawTable[];
  /** Share of reports linked to another report, 0..1 (0 without reports). */
  linkedShare: number;
  /** Median days from report to first reply, over replied reports; null when none. */
  medianReplyDays: number | null;
}

/** The coordinators' own, unsuppressed view over every readable case. */
export function liveStats(cases: readonly StatsCase[], regions: readonly ProfileRegion[]): LiveStats {
  if (cases.length === 0) return { reports: 0, tables: tables([], regions, []), linkedShare: 0, medianReplyDays: null };
  const days = cases.map((c) => c.day).sort();
  const range = { first: days[0]!, last: days[days.length - 1]! };
  const replies = cases
    .filter((c) => c.firstReplyDay)
    .map((c) => daysBetween(c.day, c.firstReplyDay!))
    .sort((a, b) => a - b);
  const mid = replies.length >> 1;
  return {
    reports: cases.length,
    range,
    tables: tables(cases, regions, monthsBetween(range.first, range.last)),
    linkedShare: cases.filter((c) => c.linked).length / cases.length,
    medianReplyDays: replies.length === 0 ? null : replies.length % 2 ? replies[mid]! : (replies[mid - 1]! + replies[mid]!) / 2,
  };
}

/** The quarter after `YYYY-Qn`. */
export function nextQuarter(q: string): string {
  const y = Number(q.slice(0, 4));
  const n = Number(q.slice(6));
  return n === 4 ? `${y + 1}-Q1` : `${y}-Q${n + 1}`;
}

/**
 * Raw counts for each closed quarter (its last day before `today`) after `after` (exclusive;
 * undefined: from the quarter of the earliest report), in order. A quarter without reports
 * is included too, with zeros, so the series has no gaps.
 */
export function quarterPeriods(cases: readonly StatsCase[], regions: readonly ProfileRegion[], today: string, after?: string): RawPeriod[] {
  let q: string | undefined = after ? nextQuarter(after) : undefined;
  if (!q) {
    const first = cases.map((c) => c.day).sort()[0];
    if (!first) return [];
    q = `${first.slice(0, 4)}-Q${Math.floor((Number(first.slice(5, 7)) - 1) / 3) + 1}`;
  }
  const out: RawPeriod[] = [];
  for (; quarterDays(q).last < today; q = nextQuarter(q)) {
    const { first, last } = quarterDays(q);
    const inQ = cases.filter((c) => c.day >= first && c.day <= last);
    out.push({ period: q, reports: inQ.length, tables: tables(inQ, regions, monthsBetween(first, last)) });
  }
  return out;
}

/** CSV of table rows (period,table,row,count), with a header; fields quoted as needed (RFC 4180). */
export function toCsv(rows: { period: string; table: string; key: string; value: string | number }[]): string {
  const q = (s: string | number) => {
    const t = String(s);
    // A leading = + - @ would be a formula in a spreadsheet; keys and values here never start so, but guard anyway.
    const safe = /^[=+\-@\t\r]/.test(t) ? `'${t}` : t;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return ['period,table,row,count', ...rows.map((r) => [r.period, r.table, r.key, r.value].map(q).join(','))].join('\r\n') + '\r\n';
}
