/**
 * Small-count suppression for published statistics (SPEC.md §Statistics summary,
 * SECURITY.md §Published statistics). Pure: no I/O, no crypto.
 *
 * A period is a set of tables over the same reports: `reports` (N) is their number; a
 * `partition` table's rows sum to N (each report in exactly one row); a `multi` table's rows
 * are each at most N and sum to at least N (each report in one row or more: incident types).
 * Published cells are a count of 0 or at least 5, `"<5"` (a count from 1 to 4: primary
 * suppression) or `"x"` (withheld so that no "<5" can be worked out: secondary suppression).
 *
 * The audit is the attacker's exact solver: it knows every published number, every relation
 * above, that "<5" is 1..4 and that "x" is 0 or 5..N, and for each "<5" (and N when it is
 * "<5") it finds every value consistent with all of that. A cell with one possible value is
 * disclosed. Periods are fixed, disjoint and frozen once published, so one period's tables
 * share no relation with another's (differencing two publications learns nothing new).
 */

export type Cell = number | '<5' | 'x';
export type TableKind = 'partition' | 'multi';

export interface RawTable {
  id: string;
  kind: TableKind;
  rows: { key: string; count: number }[];
}
export interface RawPeriod {
  period: string;
  reports: number;
  tables: RawTable[];
}

export interface PublishedTable {
  id: string;
  kind: TableKind;
  /** Absent when the whole table is withheld (no suppression pattern could protect it). */
  rows?: { key: string; value: Cell }[];
}
export interface PublishedPeriod {
  period: string;
  reports: Cell;
  tables: PublishedTable[];
}

/** Where a disclosure was found: a table's row, or the period's report count. */
export interface Disclosure {
  table?: string;
  key?: string;
  /** The values the cell can still have (one or none). */
  values: number[];
}

/** Counts from 1 to this are never published. */
export const SMALL = 4;

const isSmall = (n: number) => n >= 1 && n <= SMALL;

/** Sorted disjoint integer intervals [lo, hi]. */
type Domain = [number, number][];

/** The values a suppressed cell can take when N = n. */
function domainOf(v: '<5' | 'x', n: number): Domain {
  if (v === '<5') return n >= 1 ? [[1, Math.min(SMALL, n)]] : [];
  return n >= SMALL + 1 ? [[0, 0], [SMALL + 1, n]] : [[0, 0]];
}

/**
 * The sums reachable by picking one value from each domain, within [0, cap], as sorted disjoint
 * intervals: their number stays small (domains are one or two intervals), so the cost does not
 * grow with the counts, and a large signed document cannot make a verifier spin.
 */
function reach(domains: Domain[], cap: number): Domain {
  let cur: Domain = [[0, 0]];
  for (const d of domains) {
    const next: Domain = [];
    for (const [a, b] of cur) for (const [lo, hi] of d) if (a + lo <= cap) next.push([a + lo, Math.min(b + hi, cap)]);
    next.sort((x, y) => x[0] - y[0]);
    cur = [];
    for (const iv of next) {
      const last = cur[cur.length - 1];
      if (last && iv[0] <= last[1] + 1) last[1] = Math.max(last[1], iv[1]);
      else cur.push([iv[0], iv[1]]);
    }
  }
  return cur;
}

const contains = (d: Domain, v: number) => d.some(([lo, hi]) => v >= lo && v <= hi);

/** The largest value of a domain that is not empty. */
const maxOf = (d: Domain) => d[d.length - 1]![1];

/** Whether a table's rows can take the given values of its suppressed cells with N = n; `fix` pins one row. */
function feasible(t: PublishedTable, n: number, fix?: { index: number; value: number }): boolean {
  if (!t.rows) return true;
  let visible = 0;
  const domains: Domain[] = [];
  for (let i = 0; i < t.rows.length; i++) {
    const v = t.rows[i]!.value;
    if (fix && fix.index === i) visible += fix.value;
    else if (typeof v === 'number') visible += v;
    else {
      const d = domainOf(v, n);
      if (d.length === 0) return false;
      domains.push(d);
    }
  }
  if (t.kind === 'partition') {
    // Reachable sums are never negative, so a negative need is never contained.
    const need = n - visible;
    return contains(reach(domains, need), need);
  }
  // multi: every row at most n (visible rows checked here; domains are capped at n), sum at least n
  if (t.rows.some((r, i) => (fix && fix.index === i ? fix.value : typeof r.value === 'number' ? r.value : 0) > n)) return false;
  return visible + domains.reduce((s, d) => s + maxOf(d), 0) >= n;
}

/** Possible values of the period's report count N. */
function reportCandidates(p: PublishedPeriod): number[] {
  if (typeof p.reports === 'number') return [p.reports];
  if (p.reports === '<5') return [1, 2, 3, 4];
  throw new RangeError('the report count may only be a number or "<5"');
}

/**
 * Every suppressed cell (and N when it is "<5") that an attacker can pin to one value, or
 * that no value fits (an inconsistent table): empty when the period discloses nothing.
 * Also lists a visible count from 1 to 4 (with its value), which is a disclosure by itself.
 */
export function audit(p: PublishedPeriod): Disclosure[] {
  const out: Disclosure[] = [];
  if (typeof p.reports === 'number' && isSmall(p.reports)) out.push({ values: [p.reports] });
  for (const t of p.tables) if (t.rows) for (const r of t.rows) if (typeof r.value === 'number' && isSmall(r.value)) out.push({ table: t.id, key: r.key, values: [r.value] });
  const ns = reportCandidates(p).filter((n) => p.tables.every((t) => feasible(t, n)));
  if (p.reports === '<5' && ns.length < 2) out.push({ values: ns });
  if (typeof p.reports === 'number' && ns.length === 0) out.push({ values: [] });
  for (const t of p.tables) {
    t.rows?.forEach((r, index) => {
      if (r.value !== '<5') return;
      const values: number[] = [];
      for (let v = 1; v <= SMALL; v++) {
        if (ns.some((n) => feasible(t, n, { index, value: v }))) values.push(v);
      }
      if (values.length < 2) out.push({ table: t.id, key: r.key, values });
    });
  }
  return out;
}

/** Whether a count or cell is publishable on its face: 0, at least 5, "<5" or "x". */
export function isPublishableCell(v: unknown): v is Cell {
  return v === '<5' || v === 'x' || (typeof v === 'number' && Number.isSafeInteger(v) && (v === 0 || v > SMALL));
}

/**
 * Suppress a period's counts so that {@link audit} finds nothing: every count 1..4 becomes
 * "<5"; then, while some "<5" can be worked out, the smallest visible non-zero row of its
 * table becomes "x" (or, when the table has none left, the whole table is withheld). N is
 * never withheld; when N is "<5" and is pinned, the table with most suppressed rows is withheld.
 * @throws RangeError when a count is not a whole number from 0, or a table does not fit N
 */
export function suppress(raw: RawPeriod): PublishedPeriod {
  const n = raw.reports;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('invalid report count');
  const tables: PublishedTable[] = raw.tables.map((t) => {
    for (const r of t.rows) if (!Number.isSafeInteger(r.count) || r.count < 0) throw new RangeError('invalid count');
    const sum = t.rows.reduce((s, r) => s + r.count, 0);
    if (t.kind === 'partition' ? sum !== n : sum < n || t.rows.some((r) => r.count > n)) throw new RangeError(`table ${t.id} does not fit the report count`);
    return { id: t.id, kind: t.kind, rows: t.rows.map((r) => ({ key: r.key, value: isSmall(r.count) ? ('<5' as const) : r.count })) };
  });
  const p: PublishedPeriod = { period: raw.period, reports: isSmall(n) ? '<5' : n, tables };
  for (;;) {
    const found = audit(p);
    if (found.length === 0) return p;
    const d = found[0]!;
    const t = d.table === undefined ? undefined : tables.find((x) => x.id === d.table);
    if (t?.rows) {
      let best = -1;
      t.rows.forEach((r, i) => {
        if (typeof r.value === 'number' && r.value > 0 && (best < 0 || r.value < (t.rows![best]!.value as number))) best = i;
      });
      if (best >= 0) t.rows[best]!.value = 'x';
      else delete t.rows;
      continue;
    }
    // N itself is pinned: withhold the table that pins it hardest.
    const victim = tables
      .filter((x) => x.rows)
      .sort((a, b) => b.rows!.filter((r) => typeof r.value !== 'number').length - a.rows!.filter((r) => typeof r.value !== 'number').length)[0];
    if (!victim) throw new RangeError('cannot suppress'); // unreachable: with no tables N alone has 4 values
    delete victim.rows;
  }
}
