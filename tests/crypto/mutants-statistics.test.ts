/**
 * The statistics summary (crypto/statistics.ts, SPEC.md §Statistics summary) rule by rule: the
 * quarter arithmetic, the exact payload bytes, every schema bound at its boundary with the
 * detail it gives, the ordering and table rules, the audit's detail, the signer's role, the
 * version floor and frozen periods. tests/crypto/statistics.test.ts has the round trip, tamper
 * and property tests.
 *
 * The schema is built once per loaded module (`built ??= build()`), so every test loads a fresh
 * copy of the module: each test then builds the schema itself, and a change inside build() is
 * seen by the test that checks it (under StrykerJS too, which switches changes per test within
 * one process: tests/mutation/SURVIVORS.md).
 */
import { describe, expect, it, vi } from 'vitest';
import { HybridIdentity, bytes, primitives, signDocument, type Keyring, type Role, type Statistics } from '../../crypto/index.js';

type Period = Statistics['periods'][number];
type Table = Period['tables'][number];

const key = () => {
  const seed = primitives().randomBytes(32);
  return { seed, pub: primitives().ed25519PublicKey(seed) };
};
const warden = key();
const second = key();
const admin = key();
const coordinator = (id: string, k: { pub: Uint8Array }, roles: Role[]) => ({
  id,
  name: id,
  recipient: HybridIdentity.generate().recipient().toString(),
  signingKey: bytes.base64Padded(k.pub),
  roles,
});
const ring = (roles: Role[] = ['warnings']): Keyring => ({
  version: 1,
  issued: '2026-01-01',
  expires: '2026-06-01',
  coordinators: [coordinator('w', warden, roles), coordinator('a', admin, ['admin', 'reports', 'members']), coordinator('s', second, ['reports', 'warnings'])],
});

const setting: Table = { id: 'setting', kind: 'partition', rows: [{ key: 'hotel', value: 15 }, { key: 'car', value: 25 }] };
const period: Period = { period: '2026-Q1', reports: 40, tables: [setting] };
const stats = (over: Partial<Statistics> = {}): Statistics => ({ version: 3, issued: '2026-04-01', periods: [period], ...over });
const withTable = (t: Table, reports: Period['reports'] = 40): Statistics => stats({ periods: [{ period: '2026-Q1', reports, tables: [t] }] });
const withRows = (rows: unknown[], id: Table['id'] = 'incident-type', kind: Table['kind'] = 'multi', reports: Period['reports'] = 40): Statistics =>
  withTable({ id, kind, rows: rows as Table['rows'] }, reports);

/** A freshly loaded statistics module (its schema not yet built), with checks bound to it. */
async function fresh() {
  vi.resetModules();
  await import('../../crypto/noble.js'); // the fresh module graph's crypto backend, as crypto/index.ts installs it
  const m = await import('../../crypto/statistics.js');
  const { DocumentError } = await import('../../crypto/errors.js');
  /** What signing `s` gives: 'signed', or 'invalid statistics: <detail>', or another error's message. */
  const outcome = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(DocumentError);
      return e instanceof m.StatisticsError ? `invalid statistics: ${e.detail}` : (e as Error).message;
    }
    return 'ok';
  };
  const sign = (s: unknown) => outcome(() => m.signStatistics(s as Statistics, warden.seed));
  /** Signs `value` as it is (no validation) and verifies it. */
  const verifyRaw = (value: unknown, opts?: { minVersion?: number }) =>
    outcome(() => m.verifyStatistics(signDocument('statistics', bytes.utf8(JSON.stringify(value)), warden.seed), ring(), opts));
  /** Signing and verifying (of the same JSON signed as it is) give the same outcome. */
  const both = (s: unknown): string => {
    const a = sign(s);
    expect(verifyRaw(s)).toBe(a);
    return a;
  };
  return { m, DocumentError, outcome, sign, verifyRaw, both };
}

describe('quarters', () => {
  it('gives the first and last day of each quarter, in leap years too', async () => {
    const { m } = await fresh();
    expect(m.quarterDays('2026-Q1')).toEqual({ first: '2026-01-01', last: '2026-03-31' });
    expect(m.quarterDays('2026-Q2')).toEqual({ first: '2026-04-01', last: '2026-06-30' });
    expect(m.quarterDays('2026-Q3')).toEqual({ first: '2026-07-01', last: '2026-09-30' });
    expect(m.quarterDays('2026-Q4')).toEqual({ first: '2026-10-01', last: '2026-12-31' });
    expect(m.quarterDays('2024-Q1')).toEqual({ first: '2024-01-01', last: '2024-03-31' });
    expect(m.quarterDays('1999-Q4')).toEqual({ first: '1999-10-01', last: '1999-12-31' });
  });

  it('refuses anything that is not YYYY-Qn', async () => {
    const { m } = await fresh();
    for (const p of ['2026-Q0', '2026-Q5', '26-Q1', '02026-Q1', '2026-Q1 ', ' 2026-Q1', 'x2026-Q1', '2026-Q1x', '2026-q1', '2026Q1', 'abcd-Q1', '2026-Q12']) {
      expect(() => m.quarterDays(p), p).toThrow(new RangeError('not a quarter'));
    }
  });

  it('puts each day in its quarter', async () => {
    const { m } = await fresh();
    const cases: [string, string][] = [
      ['2026-01-01', '2026-Q1'],
      ['2026-03-31', '2026-Q1'],
      ['2026-04-01', '2026-Q2'],
      ['2026-06-30', '2026-Q2'],
      ['2026-07-01', '2026-Q3'],
      ['2026-09-30', '2026-Q3'],
      ['2026-10-01', '2026-Q4'],
      ['2026-12-31', '2026-Q4'],
      ['1999-02-14', '1999-Q1'],
    ];
    for (const [day, q] of cases) expect(m.quarterOf(day), day).toBe(q);
  });
});

describe('constants and errors', () => {
  it('names every table with its kind, and the limits', async () => {
    const { m } = await fresh();
    expect(m.STAT_TABLES).toEqual({
      month: 'partition',
      'incident-type': 'multi',
      region: 'partition',
      setting: 'partition',
      'consent-publish-warning': 'partition',
      'consent-share-with-police': 'partition',
      'consent-police-support': 'partition',
      'consent-caseworker': 'partition',
      linked: 'partition',
      warning: 'partition',
      'first-reply': 'partition',
    });
    expect(Object.keys(m.STAT_TABLES)).toHaveLength(11);
    expect(m.STATISTICS_LIMITS).toEqual({ periods: 200, rows: 120, reports: 1_000_000 });
  });

  it('StatisticsError is a DocumentError with one message and a detail', async () => {
    const { m, DocumentError } = await fresh();
    const e = new m.StatisticsError('why');
    expect(e).toBeInstanceOf(DocumentError);
    expect(e.message).toBe('invalid statistics');
    expect(e.detail).toBe('why');
  });
});

describe('payload', () => {
  it('is the JSON in a fixed key order, without unknown keys', async () => {
    const { m } = await fresh();
    const messy = {
      periods: [
        {
          tables: [
            { rows: [{ value: 15, key: 'hotel', note: 1 }], kind: 'partition', id: 'setting', extra: true },
            { kind: 'partition', id: 'region' },
          ],
          reports: 15,
          period: '2026-Q1',
          x: 1,
        },
      ],
      issued: '2026-04-01',
      version: 2,
      extra: 'y',
    } as unknown as Statistics;
    expect(bytes.fromUtf8(m.encodeStatistics(messy))).toBe(
      '{"version":2,"issued":"2026-04-01","periods":[{"period":"2026-Q1","reports":15,"tables":[{"id":"setting","kind":"partition","rows":[{"key":"hotel","value":15}]},{"id":"region","kind":"partition"}]}]}',
    );
    expect(bytes.fromUtf8(m.encodeStatistics({ version: 1, issued: '2026-01-01', periods: [] }))).toBe('{"version":1,"issued":"2026-01-01","periods":[]}');
  });

  it('is what signStatistics signs, under the kind statistics', async () => {
    const { m } = await fresh();
    const env = m.signStatistics(stats(), warden.seed);
    expect(env.kind).toBe('statistics');
    expect(bytes.fromBase64Padded(env.payload)).toEqual(m.encodeStatistics(stats()));
    expect(m.verifyStatistics(env, ring())).toEqual(stats());
    expect(m.verifyStatistics(JSON.stringify(env), ring())).toEqual(stats());
  });
});

describe('signers and verification', () => {
  it('trusts every coordinator with the warnings role, and only them', async () => {
    const { m, outcome } = await fresh();
    expect(m.statisticsSigners(ring())).toEqual([warden.pub, second.pub]);
    expect(m.statisticsSigners(ring(['reports']))).toEqual([second.pub]);
    expect(m.verifyStatistics(m.signStatistics(stats(), second.seed), ring())).toEqual(stats());
    expect(outcome(() => m.verifyStatistics(m.signStatistics(stats(), admin.seed), ring()))).toBe('invalid signature');
    expect(outcome(() => m.verifyStatistics(m.signStatistics(stats(), warden.seed), ring(['reports'])))).toBe('invalid signature');
  });

  it('gives a detail for a non-envelope, another kind and a non-canonical payload', async () => {
    const { m, outcome } = await fresh();
    expect(outcome(() => m.verifyStatistics('{', ring()))).toBe('invalid statistics: not a signed document envelope');
    expect(outcome(() => m.verifyStatistics({} as never, ring()))).toBe('invalid statistics: not a signed document envelope');
    const asProfile = signDocument('profile', m.encodeStatistics(stats()), warden.seed);
    expect(outcome(() => m.verifyStatistics(asProfile, ring()))).toBe('invalid statistics: document kind is profile, not statistics');
    const spaced = signDocument('statistics', bytes.utf8(JSON.stringify(stats(), null, 1)), warden.seed);
    expect(outcome(() => m.verifyStatistics(spaced, ring()))).toBe('invalid statistics: payload is not canonical UTF-8 JSON');
  });

  it('refuses a version below minVersion, and only below', async () => {
    const { m, outcome, verifyRaw } = await fresh();
    const env = m.signStatistics(stats({ version: 3 }), warden.seed);
    expect(m.verifyStatistics(env, ring(), { minVersion: 3 }).version).toBe(3);
    expect(m.verifyStatistics(env, ring(), {}).version).toBe(3);
    expect(outcome(() => m.verifyStatistics(env, ring(), { minVersion: 4 }))).toBe('statistics version rollback');
    expect(verifyRaw(stats({ version: 1 }), { minVersion: 2 })).toBe('statistics version rollback');
  });
});

describe('schema', () => {
  it('version: a whole number from 1', async () => {
    const { both } = await fresh();
    for (const version of [1, Number.MAX_SAFE_INTEGER]) expect(both(stats({ version }))).toBe('ok');
    expect(both(stats({ version: 0 }))).toBe('invalid statistics: version: Too small: expected number to be >=1');
    expect(both(stats({ version: 1.5 }))).toMatch(/^invalid statistics: version: /);
    expect(both(stats({ version: '3' as never }))).toMatch(/^invalid statistics: version: /);
  });

  it('issued: a real YYYY-MM-DD date', async () => {
    const { both } = await fresh();
    for (const issued of ['2026-02-30', '2026-4-01', '2026-04-01T00:00:00Z', '']) expect(both(stats({ issued }))).toBe('invalid statistics: issued: not a YYYY-MM-DD date');
  });

  it('no unknown key anywhere; a top-level refusal has no path prefix', async () => {
    const { verifyRaw } = await fresh();
    expect(verifyRaw({ ...stats(), extra: 1 })).toBe('invalid statistics: Unrecognized key: "extra"');
    expect(verifyRaw(stats({ periods: [{ ...period, extra: 1 } as never] }))).toBe('invalid statistics: periods.0: Unrecognized key: "extra"');
    expect(verifyRaw(withTable({ ...setting, extra: 1 } as never))).toBe('invalid statistics: periods.0.tables.0: Unrecognized key: "extra"');
    expect(verifyRaw(withRows([{ key: 'hotel', value: 40, extra: 1 }], 'setting', 'partition'))).toBe('invalid statistics: periods.0.tables.0.rows.0: Unrecognized key: "extra"');
  });

  it('period: a quarter YYYY-Qn', async () => {
    const { both } = await fresh();
    for (const p of ['2026-Q5', '2026-Q0', '2026-1', ' 2026-Q1', '2026-Q1 ']) {
      expect(both(stats({ periods: [{ ...period, period: p }] })), p).toBe('invalid statistics: periods.0.period: period must be a quarter YYYY-Qn');
    }
  });

  it('the report count: 0, from 5 to a million, or "<5"', async () => {
    const { both } = await fresh();
    const only = (reports: unknown) => stats({ periods: [{ period: '2026-Q1', reports: reports as Period['reports'], tables: [] }] });
    for (const n of [0, 5, 1_000_000, '<5']) expect(both(only(n)), String(n)).toBe('ok');
    for (const n of [1, 4, 1_000_001, -1, 5.5, 'x', '5', null]) {
      expect(both(only(n)), String(n)).toBe('invalid statistics: periods.0.reports: the report count must be 0, at least 5 or "<5"');
    }
  });

  it('a cell: 0, from 5 to a million, "<5" or "x"', async () => {
    const { both } = await fresh();
    const cell = (v: unknown) => withRows([{ key: 'violence', value: 1_000_000 }, { key: 'robbery', value: v }], 'incident-type', 'multi', 1_000_000);
    for (const v of [0, 5, 1_000_000, '<5', 'x']) expect(both(cell(v)), String(v)).toBe('ok');
    for (const v of [1, 4, 1_000_001, -1, 5.5, '5', '', null]) {
      expect(both(cell(v)), String(v)).toBe('invalid statistics: periods.0.tables.0.rows.1.value: a count must be 0, at least 5, "<5" or "x"');
    }
  });

  it('a row key: 1 to 32 of a-z 0-9 -, not starting with -', async () => {
    const { both } = await fresh();
    const keyed = (k: string) => withRows([{ key: 'hotel', value: 20 }, { key: k, value: 20 }], 'setting', 'partition');
    for (const k of ['a', 'z', '0', '9', 'a-b', 'za', 'az', '09', '90', '9-', 'a0-z9', '2026-01', 'x'.repeat(32)]) expect(both(keyed(k)), k).toBe('ok');
    for (const k of ['', '-a', 'A', 'aZ', 'a_b', 'a b', 'x'.repeat(33), ' a', 'a ', 'é', 'a/', '`a', '{a']) {
      expect(both(keyed(k)), k).toBe('invalid statistics: periods.0.tables.0.rows.1.key: row key must be 1-32 of a-z 0-9 -');
    }
  });

  it('rows: from 1 to 120, or none (a withheld table)', async () => {
    const { both } = await fresh();
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `r${i}`, value: i === 0 ? 40 : 0 }));
    expect(both(withRows(many(120), 'setting', 'partition'))).toBe('ok');
    expect(both(withRows(many(121), 'setting', 'partition'))).toBe('invalid statistics: periods.0.tables.0.rows: Too big: expected array to have <=120 items');
    expect(both(withRows([], 'setting', 'partition'))).toBe('invalid statistics: periods.0.tables.0.rows: Too small: expected array to have >=1 items');
    expect(both(withTable({ id: 'setting', kind: 'partition' }))).toBe('ok');
  });

  it('a table: a known id with its own kind, at most once per period', async () => {
    const { m, both } = await fresh();
    const all: Table[] = Object.entries(m.STAT_TABLES).map(([id, kind]) => ({ id, kind }));
    expect(both(stats({ periods: [{ ...period, tables: all }] }))).toBe('ok');
    expect(both(stats({ periods: [{ ...period, tables: [...all, { id: 'month', kind: 'partition' }] }] }))).toBe(
      'invalid statistics: periods.0.tables: Too big: expected array to have <=11 items',
    );
    expect(both(withTable({ id: 'setting', kind: 'multi' }))).toBe('invalid statistics: periods.0.tables.0.kind: table setting is a partition table');
    expect(both(withTable({ id: 'incident-type', kind: 'partition' }))).toBe('invalid statistics: periods.0.tables.0.kind: table incident-type is a multi table');
    expect(both(withTable({ id: 'settings', kind: 'partition' }))).toMatch(/^invalid statistics: periods\.0\.tables\.0\.id: Invalid option/);
    expect(both(withTable({ id: 'setting', kind: 'single' as never }))).toMatch(/^invalid statistics: periods\.0\.tables\.0\.kind: Invalid option/);
    expect(both(stats({ periods: [{ ...period, tables: [setting, { id: 'region', kind: 'partition' }, { id: 'setting', kind: 'partition' }] }] }))).toBe(
      'invalid statistics: periods.0.tables.2.id: duplicate table',
    );
  });

  it('a row key at most once per table', async () => {
    const { both } = await fresh();
    expect(both(withRows([{ key: 'hotel', value: 20 }, { key: 'car', value: 0 }, { key: 'hotel', value: 20 }], 'setting', 'partition'))).toBe(
      'invalid statistics: periods.0.tables.0.rows: duplicate row key',
    );
  });

  it('periods: at most 200, distinct, oldest first, each ended before the issue day', async () => {
    const { both } = await fresh();
    const q = (y: number, n: number): Period => ({ period: `${y}-Q${n}`, reports: 0, tables: [] });
    const p200 = Array.from({ length: 200 }, (_, i) => q(1900 + Math.floor(i / 4), (i % 4) + 1));
    expect(both(stats({ issued: '2026-01-01', periods: p200 }))).toBe('ok');
    expect(both(stats({ issued: '2026-01-01', periods: [...p200, q(1950, 1)] }))).toBe('invalid statistics: periods: Too big: expected array to have <=200 items');
    expect(both(stats({ issued: '2026-07-01', periods: [q(2026, 1), q(2026, 2)] }))).toBe('ok');
    expect(both(stats({ issued: '2026-07-01', periods: [q(2026, 2), q(2026, 1)] }))).toBe('invalid statistics: periods.1.period: periods must be distinct, oldest first');
    expect(both(stats({ issued: '2026-07-01', periods: [q(2026, 1), q(2026, 1)] }))).toBe('invalid statistics: periods.1.period: periods must be distinct, oldest first');
    expect(both(stats({ issued: '2026-04-01', periods: [q(2026, 1)] }))).toBe('ok');
    expect(both(stats({ issued: '2026-03-31', periods: [q(2026, 1)] }))).toBe('invalid statistics: periods.0.period: only a quarter that ended before the issue day is published');
    expect(both(stats({ issued: '2026-07-01', periods: [q(2026, 1), q(2026, 3)] }))).toBe('invalid statistics: periods.1.period: only a quarter that ended before the issue day is published');
  });
});

describe('audit', () => {
  it('names the cell, or the report count, that the published figures give away', async () => {
    const { both } = await fresh();
    expect(both(withRows([{ key: 'hotel', value: '<5' }, { key: 'car', value: 12 }, { key: 'incall', value: 25 }], 'setting', 'partition'))).toBe(
      'invalid statistics: 2026-Q1: setting.hotel can be worked out from the published figures',
    );
    expect(both(withRows([{ key: 'hotel', value: 15 }, { key: 'car', value: 26 }], 'setting', 'partition'))).toBe(
      'invalid statistics: 2026-Q1: reports can be worked out from the published figures',
    );
    expect(both(withRows([{ key: 'hotel', value: '<5' }, { key: 'car', value: '<5' }, { key: 'incall', value: 'x' }], 'setting', 'partition', '<5'))).toBe('ok');
  });
});

describe('frozen periods', () => {
  it('a later document keeps every published period exactly, whatever its version and issue day', async () => {
    const { m, outcome } = await fresh();
    const q2: Period = { period: '2026-Q2', reports: 0, tables: [] };
    expect(outcome(() => m.assertPeriodsKept(stats(), stats({ version: 4, issued: '2026-07-01', periods: [period, q2] })))).toBe('ok');
    expect(outcome(() => m.assertPeriodsKept(stats({ periods: [] }), stats()))).toBe('ok');
    expect(outcome(() => m.assertPeriodsKept(stats(), stats({ periods: [q2] })))).toBe('invalid statistics: 2026-Q1: a published period was dropped');
    expect(outcome(() => m.assertPeriodsKept(stats(), stats({ periods: [{ ...period, reports: 41 }] })))).toBe('invalid statistics: 2026-Q1: a published period changed');
    const swapped = { ...setting, rows: [setting.rows![1]!, setting.rows![0]!] };
    expect(outcome(() => m.assertPeriodsKept(stats(), stats({ periods: [{ ...period, tables: [swapped] }] })))).toBe('invalid statistics: 2026-Q1: a published period changed');
    expect(outcome(() => m.assertPeriodsKept(stats(), stats({ periods: [{ ...period, tables: [{ ...setting, rows: undefined }] }] })))).toBe(
      'invalid statistics: 2026-Q1: a published period changed',
    );
  });
});
