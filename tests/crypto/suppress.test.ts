/**
 * Small-count suppression (crypto/suppress.ts): hand-made tables for each rule, and a property
 * test that checks every suppressed table with an independent brute-force attacker: it
 * enumerates every assignment of the hidden cells that fits all published relations (row
 * sums to the period total, multi-row bounds, the shared total, "<5" = 1..4, "x" = 0 or 5..N)
 * and asserts that no "<5" (nor a "<5" total) is left with a single possible value.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { audit, suppress, type PublishedPeriod, type PublishedTable, type RawPeriod, type RawTable } from '../../crypto/index.js';

const part = (id: string, counts: number[]): RawTable => ({ id, kind: 'partition', rows: counts.map((count, i) => ({ key: `r${i}`, count })) });
const multi = (id: string, counts: number[]): RawTable => ({ id, kind: 'multi', rows: counts.map((count, i) => ({ key: `r${i}`, count })) });
const values = (t: PublishedTable | undefined) => t?.rows?.map((r) => r.value);

/** Every value each "<5" cell (and a "<5" total, under key '') can take, by brute force. */
function bruteForce(p: PublishedPeriod): Map<string, Set<number>> {
  const ns = typeof p.reports === 'number' ? [p.reports] : [1, 2, 3, 4];
  const out = new Map<string, Set<number>>();
  const add = (k: string, v: number) => {
    let s = out.get(k);
    if (!s) out.set(k, (s = new Set()));
    s.add(v);
  };
  if (p.reports === '<5') out.set('', new Set());
  for (const t of p.tables) for (const r of t.rows ?? []) if (r.value === '<5') out.set(`${t.id}.${r.key}`, new Set());
  for (const n of ns) {
    const perTable: Map<string, Set<number>>[] = [];
    let allFeasible = true;
    for (const t of p.tables) {
      const found = new Map<string, Set<number>>();
      let any = false;
      const rows = t.rows;
      if (!rows) {
        perTable.push(found);
        continue;
      }
      const hidden = rows.map((r, i) => ({ r, i })).filter((x) => typeof x.r.value !== 'number');
      const domain = (v: unknown) => {
        const d: number[] = [];
        for (let x = 0; x <= n; x++) if (v === '<5' ? x >= 1 && x <= 4 : x === 0 || x >= 5) d.push(x);
        return d;
      };
      const doms = hidden.map((h) => domain(h.r.value));
      const pick = new Array<number>(hidden.length).fill(0);
      const visit = (k: number) => {
        if (k === hidden.length) {
          const all = rows.map((r) => (typeof r.value === 'number' ? r.value : 0));
          hidden.forEach((h, j) => (all[h.i] = pick[j]!));
          const sum = all.reduce((a, b) => a + b, 0);
          const ok = t.kind === 'partition' ? sum === n : sum >= n && all.every((x) => x <= n);
          if (!ok) return;
          any = true;
          hidden.forEach((h, j) => {
            if (h.r.value !== '<5') return;
            const key = `${t.id}.${h.r.key}`;
            let s = found.get(key);
            if (!s) found.set(key, (s = new Set()));
            s.add(pick[j]!);
          });
          return;
        }
        for (const v of doms[k]!) {
          pick[k] = v;
          visit(k + 1);
        }
      };
      visit(0);
      if (!any) allFeasible = false;
      perTable.push(found);
    }
    if (!allFeasible) continue;
    if (p.reports === '<5') add('', n);
    for (const m of perTable) for (const [k, s] of m) for (const v of s) add(k, v);
  }
  return out;
}

describe('primary suppression', () => {
  it('shows every count from 1 to 4 as "<5" and keeps 0 and 5+', () => {
    const p = suppress({ period: '2026-Q1', reports: 30, tables: [part('setting', [0, 1, 4, 5, 20])] });
    expect(values(p.tables[0])).toEqual([0, '<5', '<5', 5, 20]);
    expect(p.reports).toBe(30);
    expect(audit(p)).toEqual([]);
  });

  it('a total from 1 to 4 is "<5" too', () => {
    const p = suppress({ period: '2026-Q1', reports: 3, tables: [part('month', [3, 0, 0])] });
    expect(p.reports).toBe('<5');
    expect(values(p.tables[0])).toEqual(['<5', 0, 0]);
  });
});

describe('secondary suppression', () => {
  it('a table with exactly one "<5" loses its next smallest count too', () => {
    const p = suppress({ period: '2026-Q1', reports: 29, tables: [part('setting', [2, 7, 20])] });
    expect(values(p.tables[0])).toEqual(['<5', 'x', 20]);
    expect(audit(p)).toEqual([]);
  });

  it('the audit finds the single "<5" that the total gives away', () => {
    const naive: PublishedPeriod = { period: '2026-Q1', reports: 29, tables: [{ id: 'setting', kind: 'partition', rows: [{ key: 'a', value: '<5' }, { key: 'b', value: 7 }, { key: 'c', value: 20 }] }] };
    expect(audit(naive)).toEqual([{ table: 'setting', key: 'a', values: [2] }]);
  });

  it('"<5" beside one "x" still gives it away when the pair sums to 6 (1 + 5): a third count goes', () => {
    const naive: PublishedPeriod = { period: '2026-Q1', reports: 16, tables: [{ id: 't', kind: 'partition', rows: [{ key: 'a', value: '<5' }, { key: 'b', value: 'x' }, { key: 'c', value: 10 }] }] };
    expect(audit(naive)).toEqual([{ table: 't', key: 'a', values: [1] }]);
    const p = suppress({ period: '2026-Q1', reports: 16, tables: [part('t', [1, 5, 10])] });
    expect(values(p.tables[0])).toEqual(['<5', 'x', 'x']);
    expect(bruteForce(p).get('t.r0')!.size).toBeGreaterThan(1);
  });

  it('two "<5" that must both be 4 (4 + 4 = 8) withhold the table', () => {
    const p = suppress({ period: '2026-Q1', reports: 8, tables: [part('region', [4, 4, 0])] });
    expect(p.tables[0]!.rows).toBeUndefined();
    expect(audit(p)).toEqual([]);
  });

  it('a small total pinned by one table (1+1+1+1 = N <= 4) withholds what pins it', () => {
    const p = suppress({ period: '2026-Q1', reports: 4, tables: [part('a', [1, 1, 1, 1]), part('b', [4, 0])] });
    expect(p.reports).toBe('<5');
    expect(p.tables.find((t) => t.id === 'a')!.rows).toBeUndefined();
    expect(audit(p)).toEqual([]);
  });

  it('a multi-row table (sum at least N) is protected against its lower bound', () => {
    const naive: PublishedPeriod = { period: '2026-Q1', reports: 20, tables: [{ id: 'incident-type', kind: 'multi', rows: [{ key: 'a', value: '<5' }, { key: 'b', value: 16 }] }] };
    expect(audit(naive)).toEqual([{ table: 'incident-type', key: 'a', values: [4] }]);
    const p = suppress({ period: '2026-Q1', reports: 20, tables: [multi('incident-type', [4, 16, 6])] });
    expect(audit(p)).toEqual([]);
  });

  it('audits a large document without work that grows with the counts (N = 1,000,000, 11 tables of 120 rows)', () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({ key: `r${i}`, value: i < 100 ? ('<5' as const) : ('x' as const) }));
    const p: PublishedPeriod = { period: '2026-Q1', reports: 1_000_000, tables: Array.from({ length: 11 }, (_, i) => ({ id: `t${i}`, kind: 'partition' as const, rows })) };
    expect(audit(p)).toEqual([]);
  });

  it('refuses counts that do not fit the total', () => {
    expect(() => suppress({ period: '2026-Q1', reports: 10, tables: [part('a', [4, 5])] })).toThrow(RangeError);
    expect(() => suppress({ period: '2026-Q1', reports: 10, tables: [multi('a', [11, 0])] })).toThrow(RangeError);
  });
});

const rawPeriod: fc.Arbitrary<RawPeriod> = fc.integer({ min: 0, max: 12 }).chain((n) => {
  const partition = (i: number) =>
    fc.array(fc.integer({ min: 0, max: n }), { minLength: 1, maxLength: 3 }).map((cuts) => {
      const c = [0, ...cuts.sort((a, b) => a - b), n];
      return part(`p${i}`, c.slice(1).map((x, j) => x - c[j]!));
    });
  const multiRows = fc.array(fc.integer({ min: 0, max: n }), { minLength: 2, maxLength: 3 }).map((rows) => {
    if (rows.reduce((a, b) => a + b, 0) < n) rows[0] = n;
    return multi('m', rows);
  });
  return fc
    .tuple(fc.array(fc.constant(0), { minLength: 1, maxLength: 3 }), fc.option(multiRows, { nil: undefined }))
    .chain(([ps, m]) => fc.tuple(...ps.map((_, i) => partition(i))).map((tables) => ({ period: '2026-Q1', reports: n, tables: m ? [...tables, m] : tables })));
});

describe('property: no count from 1 to 4 can be worked out', () => {
  it('for random periods, a brute-force attacker pins no "<5"', () => {
    fc.assert(
      fc.property(rawPeriod, (raw) => {
        const p = suppress(raw);
        // nothing visible from 1 to 4, and what is visible is the truth
        if (typeof p.reports === 'number') expect(p.reports).toBe(raw.reports);
        else expect(raw.reports).toBeGreaterThanOrEqual(1);
        p.tables.forEach((t, i) => {
          t.rows?.forEach((r, j) => {
            const truth = raw.tables[i]!.rows[j]!.count;
            if (typeof r.value === 'number') {
              expect(r.value).toBe(truth);
              expect(r.value === 0 || r.value >= 5).toBe(true);
            } else if (r.value === '<5') expect(truth >= 1 && truth <= 4).toBe(true);
            else expect(truth === 0 || truth >= 5).toBe(true);
          });
        });
        const seen = bruteForce(p);
        for (const [cell, vals] of seen) {
          expect(vals.size, `${cell} of ${JSON.stringify(p)}`).toBeGreaterThan(1);
          for (const v of vals) expect(v >= 1 && v <= 4).toBe(true);
        }
        // and the fast audit agrees with brute force on the published pattern
        expect(audit(p)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('the fast audit finds exactly what brute force finds, on unprotected patterns too', () => {
    fc.assert(
      fc.property(rawPeriod, (raw) => {
        // primary suppression only: often disclosive
        const p: PublishedPeriod = {
          period: raw.period,
          reports: raw.reports >= 1 && raw.reports <= 4 ? '<5' : raw.reports,
          tables: raw.tables.map((t) => ({ id: t.id, kind: t.kind, rows: t.rows.map((r) => ({ key: r.key, value: r.count >= 1 && r.count <= 4 ? ('<5' as const) : r.count })) })),
        };
        const brute = [...bruteForce(p)].filter(([, v]) => v.size < 2).map(([k]) => k).sort();
        const fast = audit(p).map((d) => (d.table === undefined ? '' : `${d.table}.${d.key}`)).sort();
        expect(fast).toEqual(brute);
      }),
      { numRuns: 400 },
    );
  });
});
