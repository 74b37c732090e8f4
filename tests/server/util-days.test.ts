/**
 * dayOf and addDays remember recent answers (several per request); the answers must stay
 * those of the plain computation for any time and any day string, remembered or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayOf, idPattern, randomId, sha256 } from '../../server/util.js';

const DAY_MS = 86_400_000;
const refDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const refAdd = (day: string, n: number) => refDay(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
const outcome = (f: () => string) => {
  try {
    return f();
  } catch (e) {
    return `throws ${(e as Error).name}`;
  }
};

describe('dayOf / addDays', () => {
  it('match the plain computation, in any order, for times and days near each other and far apart', () => {
    const ms = fc.oneof(fc.integer({ min: -1e13, max: 1e13 }), fc.integer({ min: 1.79e12, max: 1.8e12 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(ms, fc.integer({ min: -400, max: 400 })), { minLength: 1, maxLength: 200 }), (xs) => {
        for (const [t, n] of xs) {
          expect(dayOf(t)).toBe(refDay(t));
          expect(dayOf(new Date(t))).toBe(refDay(t));
          const d = refDay(t);
          expect(addDays(d, n)).toBe(refAdd(d, n));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuse or pass through what is not a day exactly as before', () => {
    for (const d of ['', 'nonsense', '2026-13-01', '2026-02-30', '2026-2-3', '+002026-01-01', '2026-01-01T05:00'] as const) {
      for (let i = 0; i < 2; i++) expect(outcome(() => addDays(d, 1))).toBe(outcome(() => refAdd(d, 1)));
    }
    expect(outcome(() => dayOf(Number.NaN))).toBe('throws RangeError');
  });
});

describe('sha256 (one-shot crypto.hash where Node has it)', () => {
  it('gives the FIPS 180-2 answer for "abc", as a Buffer, for text and bytes alike', () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(Buffer.isBuffer(sha256('abc'))).toBe(true);
    expect(sha256('abc').toString('hex')).toBe(abc);
    expect(sha256(new Uint8Array([0x61, 0x62, 0x63])).toString('hex')).toBe(abc);
    expect(sha256('é').equals(sha256(new Uint8Array([0xc3, 0xa9])))).toBe(true);
  });
});

describe('randomId (drawn from a 4 KiB pool of CSPRNG bytes)', () => {
  it('gives distinct ids of the right shape across many pool refills, and every byte value', () => {
    const seen = new Set<string>();
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 3000; i++) {
      for (const n of [16, 32, 5]) {
        const id = randomId(n);
        expect(id).toMatch(idPattern(n));
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        for (const x of Buffer.from(id, 'base64url')) counts[x]!++;
      }
    }
    // 159,000 bytes: about 621 of each value; a pool handed out twice or zeroed too early would skew this.
    expect(Math.min(...counts)).toBeGreaterThan(450);
    expect(Math.max(...counts)).toBeLessThan(800);
    expect(randomId(5000)).toMatch(idPattern(5000));
  });
});
