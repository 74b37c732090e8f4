/**
 * Small-count suppression (crypto/suppress.ts) at its edges: the exact refusals, which cell
 * secondary suppression picks, which table is withheld, and the audit's exact findings on
 * hand-made patterns at the boundaries of "<5" (1..4, never above N) and "x" (0 or 5..N).
 * Written to kill the mutants StrykerJS found surviving suppress.test.ts and statistics.test.ts
 * (`npm run mutate -- crypto/suppress.ts`, tests/mutation/SURVIVORS.md).
 */
import { describe, expect, it } from 'vitest';
import { SMALL, audit, isPublishableCell, suppress, type Cell, type PublishedPeriod, type RawTable, type TableKind } from '../../crypto/suppress.js';

const part = (id: string, counts: number[]): RawTable => ({ id, kind: 'partition', rows: counts.map((count, i) => ({ key: `r${i}`, count })) });
const multi = (id: string, counts: number[]): RawTable => ({ id, kind: 'multi', rows: counts.map((count, i) => ({ key: `r${i}`, count })) });
/** A published period with one table per entry, rows keyed r0, r1, ... */
const pub = (reports: Cell, ...tables: [string, TableKind, Cell[] | undefined][]): PublishedPeriod => ({
  period: '2026-Q1',
  reports,
  tables: tables.map(([id, kind, cells]) => ({ id, kind, ...(cells ? { rows: cells.map((value, i) => ({ key: `r${i}`, value })) } : {}) })),
});

describe('refusals', () => {
  it('the report count must be a whole number from 0', () => {
    for (const reports of [-1, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => suppress({ period: 'p', reports, tables: [] }), String(reports)).toThrow(new RangeError('invalid report count'));
    }
    expect(suppress({ period: 'p', reports: 0, tables: [] })).toEqual({ period: 'p', reports: 0, tables: [] });
  });

  it('each count must be a whole number from 0', () => {
    for (const count of [-1, 0.5, NaN]) {
      expect(() => suppress({ period: 'p', reports: 10, tables: [multi('t', [10, count])] }), String(count)).toThrow(new RangeError('invalid count'));
    }
  });

  it('a partition sums to N exactly; a multi table sums to at least N with no row above N', () => {
    const fit = (t: RawTable, n: number) => () => suppress({ period: 'p', reports: n, tables: [t] });
    expect(fit(part('a', [5, 6]), 10)).toThrow(new RangeError('table a does not fit the report count'));
    expect(fit(part('b', [5, 4]), 10)).toThrow(new RangeError('table b does not fit the report count'));
    expect(fit(multi('c', [5, 4]), 10)).toThrow(new RangeError('table c does not fit the report count'));
    expect(fit(multi('d', [11, 0]), 10)).toThrow(new RangeError('table d does not fit the report count'));
    expect(fit(part('e', [5, 5]), 10)().tables[0]!.rows).toEqual([{ key: 'r0', value: 5 }, { key: 'r1', value: 5 }]);
    expect(fit(multi('f', [10, 0]), 10)().tables[0]!.rows).toEqual([{ key: 'r0', value: 10 }, { key: 'r1', value: 0 }]);
    expect(fit(multi('g', [6, 6]), 10)().tables[0]).toEqual({ id: 'g', kind: 'multi', rows: [{ key: 'r0', value: 6 }, { key: 'r1', value: 6 }] });
  });

  it('the audit refuses a withheld report count', () => {
    expect(() => audit(pub('x'))).toThrow(new RangeError('the report count may only be a number or "<5"'));
  });
});

describe('isPublishableCell', () => {
  it('is 0, 5 or more, "<5" or "x", and nothing else', () => {
    expect(SMALL).toBe(4);
    for (const v of [0, 5, 6, 1000, Number.MAX_SAFE_INTEGER, '<5', 'x']) expect(isPublishableCell(v), String(v)).toBe(true);
    for (const v of [1, 2, 3, 4, -5, 5.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity, '5', '<4', 'X', '', null, undefined, [5]]) {
      expect(isPublishableCell(v), String(v)).toBe(false);
    }
  });
});

describe('audit: visible small counts', () => {
  it('lists a visible total or cell from 1 to 4 with its value', () => {
    expect(audit(pub(4, ['t', 'partition', [4, 0]]))).toEqual([{ values: [4] }, { table: 't', key: 'r0', values: [4] }]);
    expect(audit(pub(5, ['t', 'partition', [5, 0]]))).toEqual([]);
    expect(audit(pub(6, ['t', 'partition', [1, 5]]))).toEqual([{ table: 't', key: 'r0', values: [1] }]);
    expect(audit(pub(0, ['t', 'partition', [0, 0]]))).toEqual([]);
  });

  it('a total that no table fits is a disclosure with no values', () => {
    expect(audit(pub(10, ['t', 'partition', [5, 6]]))).toEqual([{ values: [] }]);
    expect(audit(pub(10, ['t', 'multi', [5, 4]]))).toEqual([{ table: 't', key: 'r1', values: [4] }, { values: [] }]);
    expect(audit(pub(10, ['t', 'multi', [11, 5]]))).toEqual([{ values: [] }]);
    expect(audit(pub(10, ['t', 'multi', [10, 0]]))).toEqual([]);
  });
});

describe('audit: the values "<5" and "x" can take', () => {
  it('"<5" is 1..4 and never above N', () => {
    // N = 1: "<5" can only be 1.
    expect(audit(pub(1, ['t', 'partition', ['<5', 0]]))).toEqual([{ values: [1] }, { table: 't', key: 'r0', values: [1] }]);
    // N = 2 with two "<5": both 1.
    expect(audit(pub(2, ['t', 'partition', ['<5', '<5']]))).toEqual([{ values: [2] }, { table: 't', key: 'r0', values: [1] }, { table: 't', key: 'r1', values: [1] }]);
    // In a multi table a "<5" is at most 4, so 4 + 5 < 10 fits no N of 10.
    expect(audit(pub(10, ['t', 'multi', ['<5', 5]]))).toEqual([{ values: [] }, { table: 't', key: 'r0', values: [] }]);
    expect(audit(pub(9, ['t', 'multi', ['<5', 5]]))).toEqual([{ table: 't', key: 'r0', values: [4] }]);
    expect(audit(pub(8, ['t', 'multi', ['<5', 5]]))).toEqual([]);
  });

  it('"x" is 0 or 5..N: exactly 5 when N is 5', () => {
    expect(audit(pub(5, ['t', 'partition', ['x', 0]]))).toEqual([]);
    expect(audit(pub(5, ['t', 'multi', ['x', 0]]))).toEqual([]);
    expect(audit(pub(6, ['t', 'partition', ['x', '<5']]))).toEqual([{ table: 't', key: 'r1', values: [1] }]);
    expect(audit(pub(5, ['t', 'partition', ['x', '<5']]))).toEqual([{ values: [] }, { table: 't', key: 'r1', values: [] }]);
    expect(audit(pub(9, ['t', 'partition', ['x', '<5']]))).toEqual([]);
    expect(audit(pub(7, ['t', 'partition', ['x', '<5', '<5']]))).toEqual([]);
    // With N from 1 to 4, "x" is 0: a multi table of "x" and 0 fits no N.
    expect(audit(pub('<5', ['t', 'multi', ['x', 0]]))).toEqual([{ values: [] }]);
    expect(audit(pub('<5', ['t', 'multi', ['x', '<5']]))).toEqual([]);
  });

  it('a "<5" total: its candidates are 1..4, pinned when only one fits', () => {
    expect(audit(pub('<5', ['t', 'partition', ['<5', 0]]))).toEqual([]);
    expect(audit(pub('<5', ['t', 'partition', ['<5', '<5', '<5']]))).toEqual([]);
    expect(audit(pub('<5', ['t', 'partition', ['<5', '<5', '<5', '<5']]))).toEqual([{ values: [4] }, ...['r0', 'r1', 'r2', 'r3'].map((key) => ({ table: 't', key, values: [1] }))]);
    expect(audit(pub('<5', ['t', 'partition', [5]]))).toEqual([{ values: [] }]);
    expect(audit(pub('<5'))).toEqual([]);
    // Two tables together pin N: each alone would not.
    expect(audit(pub('<5', ['a', 'partition', ['<5', '<5', '<5']], ['b', 'partition', ['<5', 0, 0]]))).toEqual([]);
    expect(audit(pub('<5', ['a', 'partition', ['<5', '<5', '<5']], ['b', 'multi', ['<5', 'x']]))).toEqual([]);
  });

  it('a withheld table constrains nothing', () => {
    expect(audit(pub(7, ['t', 'partition', undefined]))).toEqual([]);
    expect(audit(pub('<5', ['t', 'partition', undefined], ['u', 'partition', ['<5', 0]]))).toEqual([]);
  });

  it('several "<5" in a partition with a visible rest: each pinned cell is listed', () => {
    expect(audit(pub(13, ['t', 'partition', ['<5', '<5', 5]]))).toEqual([
      { table: 't', key: 'r0', values: [4] },
      { table: 't', key: 'r1', values: [4] },
    ]);
    expect(audit(pub(12, ['t', 'partition', ['<5', '<5', 5]]))).toEqual([]);
    expect(audit(pub(7, ['t', 'partition', ['<5', '<5', 5]]))).toEqual([
      { table: 't', key: 'r0', values: [1] },
      { table: 't', key: 'r1', values: [1] },
    ]);
  });
});

describe('audit: edges of the feasibility check', () => {
  it('a "<5" row cannot make up more than 4 of what a partition needs', () => {
    expect(audit(pub(10, ['t', 'partition', ['<5', 5]]))).toEqual([{ values: [] }, { table: 't', key: 'r0', values: [] }]);
    expect(audit(pub(9, ['t', 'partition', ['<5', 5]]))).toEqual([{ table: 't', key: 'r0', values: [4] }]);
  });

  it('visible rows that sum to N exactly fit; more or fewer do not', () => {
    expect(audit(pub(10, ['t', 'partition', [5, 5]]))).toEqual([]);
    expect(audit(pub(10, ['t', 'partition', [5, 0]]))).toEqual([{ values: [] }]);
    expect(audit(pub(10, ['t', 'partition', [5, 5, 5]]))).toEqual([{ values: [] }]);
    expect(audit(pub(10, ['t', 'partition', [5, 6, '<5']]))).toEqual([{ values: [] }, { table: 't', key: 'r2', values: [] }]);
  });

  it('with N = 0 no "<5" fits', () => {
    expect(audit(pub(0, ['t', 'partition', ['<5', 0]]))).toEqual([{ values: [] }, { table: 't', key: 'r0', values: [] }]);
    expect(audit(pub(0, ['t', 'multi', ['<5', 0]]))).toEqual([{ values: [] }, { table: 't', key: 'r0', values: [] }]);
    expect(audit(pub(0, ['t', 'multi', ['x', 0]]))).toEqual([]);
  });

  it('a "<5" in a multi table is never above N, even when pinned to a value to try it', () => {
    expect(audit(pub(2, ['t', 'multi', ['<5', 0]]))).toEqual([{ values: [2] }, { table: 't', key: 'r0', values: [2] }]);
    expect(audit(pub(2, ['t', 'multi', ['<5', 2]]))).toEqual([{ values: [2] }, { table: 't', key: 'r1', values: [2] }]);
    expect(audit(pub(2, ['t', 'multi', ['<5']]))).toEqual([{ values: [2] }, { table: 't', key: 'r0', values: [2] }]);
  });

  it('N must fit every table, not just one', () => {
    expect(audit(pub(10, ['a', 'partition', [5, 5]], ['b', 'partition', [5, 6]]))).toEqual([{ values: [] }]);
    expect(audit(pub(10, ['a', 'partition', [5, 6]], ['b', 'partition', [5, 5]]))).toEqual([{ values: [] }]);
    // b pins N = 4; then a's three "<5" sum to 4 and each is still 1 or 2: not listed.
    expect(audit(pub('<5', ['a', 'partition', ['<5', '<5', '<5']], ['b', 'partition', ['<5', '<5', '<5', '<5']]))).toEqual([
      { values: [4] },
      ...['r0', 'r1', 'r2', 'r3'].map((key) => ({ table: 'b', key, values: [1] })),
    ]);
  });
});

describe('suppress: which cell goes', () => {
  it('the smallest visible non-zero count of the table, the first of equals; zeros stay', () => {
    const one = (counts: number[]) => suppress({ period: 'p', reports: counts.reduce((a, b) => a + b, 0), tables: [part('t', counts)] }).tables[0]!.rows!.map((r) => r.value);
    expect(one([2, 9, 6, 20])).toEqual(['<5', 9, 'x', 20]);
    expect(one([2, 6, 9, 6, 20])).toEqual(['<5', 'x', 9, 6, 20]);
    expect(one([2, 0, 9, 20])).toEqual(['<5', 0, 'x', 20]);
    expect(one([20, 9, 2])).toEqual([20, 'x', '<5']);
    expect(one([6, 9, 2])).toEqual(['x', 9, '<5']);
    expect(one([0, 1, 4, 5, 20])).toEqual([0, '<5', '<5', 5, 20]);
    // 24 - 13 = 11 = "x" + two "<5": "x" from 5 to 9, so each "<5" stays 1..4 (the sums reached overlap).
    expect(one([9, 1, 1, 13])).toEqual(['x', '<5', '<5', 13]);
    expect(audit(pub(24, ['t', 'partition', ['x', '<5', '<5', 13]]))).toEqual([]);
  });

  it('only the table that discloses changes', () => {
    const p = suppress({ period: 'p', reports: 29, tables: [part('a', [2, 7, 20]), part('b', [9, 20]), multi('c', [29, 6])] });
    expect({ ...p, period: '2026-Q1' }).toEqual(
      pub(29, ['a', 'partition', ['<5', 'x', 20]], ['b', 'partition', [9, 20]], ['c', 'multi', [29, 6]]),
    );
  });

  it('the disclosing table changes wherever it is in the list', () => {
    const p = suppress({ period: 'p', reports: 29, tables: [part('b', [9, 20]), multi('c', [29, 6]), part('a', [2, 7, 20])] });
    expect({ ...p, period: '2026-Q1' }).toEqual(pub(29, ['b', 'partition', [9, 20]], ['c', 'multi', [29, 6]], ['a', 'partition', ['<5', 'x', 20]]));
  });

  it('a table with nothing left to hide is withheld', () => {
    const p = suppress({ period: 'p', reports: 8, tables: [part('a', [4, 4]), part('b', [8, 0])] });
    expect(p.tables).toEqual([{ id: 'a', kind: 'partition' }, { id: 'b', kind: 'partition', rows: [{ key: 'r0', value: 8 }, { key: 'r1', value: 0 }] }]);
  });

  it('when a "<5" total is pinned, the table with most suppressed rows is withheld', () => {
    // Table b (4 of "<5") pins N = 4; table a has fewer suppressed rows.
    const p = suppress({ period: 'p', reports: 4, tables: [part('a', [4, 0, 0]), part('b', [1, 1, 1, 1])] });
    expect(p.reports).toBe('<5');
    expect(p.tables).toEqual([{ id: 'a', kind: 'partition', rows: [{ key: 'r0', value: '<5' }, { key: 'r1', value: 0 }, { key: 'r2', value: 0 }] }, { id: 'b', kind: 'partition' }]);
    expect(audit(p)).toEqual([]);
  });

  it('most suppressed rows, not most rows, picks the table to withhold', () => {
    for (const order of [0, 1]) {
      const a = part('a', [4, 0, 0, 0, 0]);
      const b = part('b', [1, 1, 1, 1]);
      const p = suppress({ period: 'p', reports: 4, tables: order ? [b, a] : [a, b] });
      expect(p.tables.find((t) => t.id === 'b')!.rows).toBeUndefined();
      expect(p.tables.find((t) => t.id === 'a')!.rows!.map((r) => r.value)).toEqual(['<5', 0, 0, 0, 0]);
    }
  });

  it('two tables that each pin a "<5" total are both withheld, one after the other', () => {
    const p = suppress({ period: 'p', reports: 4, tables: [part('a', [1, 1, 1, 1]), part('b', [4, 0]), part('c', [1, 1, 1, 1])] });
    expect(p).toEqual({ period: 'p', reports: '<5', tables: [{ id: 'a', kind: 'partition' }, { id: 'b', kind: 'partition', rows: [{ key: 'r0', value: '<5' }, { key: 'r1', value: 0 }] }, { id: 'c', kind: 'partition' }] });
  });

  it('a total of 1 to 4 alone, or with tables that do not pin it, stays "<5"', () => {
    expect(suppress({ period: 'p', reports: 1, tables: [] })).toEqual({ period: 'p', reports: '<5', tables: [] });
    expect(suppress({ period: 'p', reports: 5, tables: [] })).toEqual({ period: 'p', reports: 5, tables: [] });
    const p = suppress({ period: 'p', reports: 3, tables: [part('a', [3, 0]), multi('m', [2, 3])] });
    expect(p).toEqual({ period: 'p', reports: '<5', tables: [{ id: 'a', kind: 'partition', rows: [{ key: 'r0', value: '<5' }, { key: 'r1', value: 0 }] }, { id: 'm', kind: 'multi', rows: [{ key: 'r0', value: '<5' }, { key: 'r1', value: '<5' }] }] });
  });
});
