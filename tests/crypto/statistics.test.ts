/**
 * The statistics summary document (crypto/statistics.ts): round trip, the signer's role, tamper,
 * the kind label, canonical JSON, every count 1..4 refused shown or derivable, only ended
 * quarters, frozen periods.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DocumentError,
  HybridIdentity,
  StatisticsError,
  assertPeriodsKept,
  bytes,
  primitives,
  signDocument,
  signStatistics,
  suppress,
  verifyStatistics,
  type Keyring,
  type Role,
  type Statistics,
} from '../../crypto/index.js';

const key = () => {
  const seed = primitives().randomBytes(32);
  return { seed, pub: bytes.base64Padded(primitives().ed25519PublicKey(seed)) };
};
const warden = key();
const admin = key();
const ring = (roles: Role[] = ['warnings']): Keyring => ({
  version: 1,
  issued: '2026-01-01',
  expires: '2026-06-01',
  coordinators: [
    { id: 'w', name: 'Warden', recipient: HybridIdentity.generate().recipient().toString(), signingKey: warden.pub, roles },
    { id: 'a', name: 'Admin', recipient: HybridIdentity.generate().recipient().toString(), signingKey: admin.pub, roles: ['admin', 'reports', 'members'] },
  ],
});
const period = suppress({
  period: '2026-Q1',
  reports: 40,
  tables: [
    { id: 'setting', kind: 'partition', rows: [{ key: 'hotel', count: 3 }, { key: 'car', count: 12 }, { key: 'incall', count: 25 }] },
    { id: 'month', kind: 'partition', rows: [{ key: '2026-01', count: 10 }, { key: '2026-02', count: 10 }, { key: '2026-03', count: 20 }] },
  ],
});
const stats = (over: Partial<Statistics> = {}): Statistics => ({ version: 3, issued: '2026-04-01', periods: [period], ...over });
const raw = (value: unknown, seed = warden.seed) => signDocument('statistics', bytes.utf8(JSON.stringify(value)), seed);
const detail = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof StatisticsError ? `invalid statistics: ${e.detail}` : (e as Error).message;
  }
  return 'accepted';
};

describe('statistics summary', () => {
  it('round-trips with a warnings coordinator, and the suppressed values are what is signed', () => {
    const s = verifyStatistics(signStatistics(stats(), warden.seed), ring());
    expect(s).toEqual(stats());
    expect(s.periods[0]!.tables[0]!.rows!.map((r) => r.value)).toEqual(['<5', 'x', 25]);
  });

  it('trusts only coordinators with the warnings role', () => {
    expect(detail(() => verifyStatistics(signStatistics(stats(), admin.seed), ring()))).toBe('invalid signature');
    expect(detail(() => verifyStatistics(signStatistics(stats(), warden.seed), ring(['reports'])))).toBe('invalid signature');
  });

  it('refuses any change to the signed bytes, and another kind label', () => {
    const env = signStatistics(stats(), warden.seed);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const p = bytes.fromBase64Padded(env.payload);
        p[i % p.length]! ^= x;
        expect(() => verifyStatistics({ ...env, payload: bytes.base64Padded(p) }, ring())).toThrow(DocumentError);
      }),
      { numRuns: 200 },
    );
    const asProfile = signDocument('profile', bytes.fromBase64Padded(env.payload), warden.seed);
    expect(detail(() => verifyStatistics({ ...asProfile, kind: 'statistics' }, ring()))).toBe('invalid signature');
    expect(detail(() => verifyStatistics(asProfile, ring()))).toBe('invalid statistics: document kind is profile, not statistics');
  });

  it('refuses every count from 1 to 4, in a row or as the total', () => {
    for (const n of [1, 2, 3, 4]) {
      const rows = [{ key: 'hotel', value: 40 - n }, { key: 'car', value: n }];
      expect(detail(() => verifyStatistics(raw(stats({ periods: [{ ...period, tables: [{ id: 'setting', kind: 'partition', rows }] }] })), ring()))).toMatch(/^invalid statistics: periods\.0\.tables\.0\.rows\.1\.value/);
      expect(detail(() => verifyStatistics(raw(stats({ periods: [{ period: '2026-Q1', reports: n, tables: [] }] })), ring()))).toMatch(/^invalid statistics: periods\.0\.reports/);
    }
  });

  it('refuses a "<5" that the other figures give away', () => {
    const rows = [{ key: 'hotel', value: '<5' }, { key: 'car', value: 12 }, { key: 'incall', value: 25 }];
    expect(detail(() => verifyStatistics(raw(stats({ periods: [{ ...period, tables: [{ id: 'setting', kind: 'partition', rows: rows as never }] }] })), ring()))).toBe(
      'invalid statistics: 2026-Q1: setting.hotel can be worked out from the published figures',
    );
    expect(() => signStatistics(stats({ periods: [{ ...period, tables: [{ id: 'setting', kind: 'partition', rows: rows as never }] }] }), warden.seed)).toThrow(StatisticsError);
  });

  it('refuses a quarter that had not ended on the issue day, periods out of order, a wrong table kind, non-canonical JSON', () => {
    expect(detail(() => verifyStatistics(raw(stats({ issued: '2026-03-31' })), ring()))).toMatch(/only a quarter that ended/);
    expect(detail(() => verifyStatistics(raw(stats({ issued: '2026-07-01', periods: [{ ...period, period: '2026-Q2' }, period] })), ring()))).toMatch(/oldest first/);
    expect(detail(() => verifyStatistics(raw(stats({ periods: [{ ...period, tables: [{ id: 'setting', kind: 'multi' }] }] })), ring()))).toMatch(/is a partition table/);
    const spaced = signDocument('statistics', bytes.utf8(JSON.stringify(stats(), null, 1)), warden.seed);
    expect(detail(() => verifyStatistics(spaced, ring()))).toBe('invalid statistics: payload is not canonical UTF-8 JSON');
    expect(detail(() => verifyStatistics(raw({ ...stats(), extra: 1 }), ring()))).toMatch(/^invalid statistics/);
  });

  it('a withheld table (no rows) is valid', () => {
    const s = stats({ periods: [{ ...period, tables: [{ id: 'region', kind: 'partition' }] }] });
    expect(verifyStatistics(signStatistics(s, warden.seed), ring()).periods[0]!.tables[0]!.rows).toBeUndefined();
  });

  it('keeps published periods frozen', () => {
    const before = stats();
    const q2 = { ...period, period: '2026-Q2', tables: [] };
    expect(() => assertPeriodsKept(before, stats({ version: 4, issued: '2026-07-01', periods: [period, q2] }))).not.toThrow();
    expect(() => assertPeriodsKept(before, stats({ periods: [{ ...period, reports: 41 }] }))).toThrow('invalid statistics');
    expect(() => assertPeriodsKept(before, stats({ periods: [q2] }))).toThrow('invalid statistics');
  });
});
