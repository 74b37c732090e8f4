/**
 * A stamp check skips reading the surge window when the stamp's difficulty meets the highest
 * difficulty in force minus the slack (PowIssuer.surgeMatters). That is only safe if no surge
 * count could refuse such a stamp, and only useful if every other stamp can be refused by
 * some count: both, for any configuration.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../server/http.js';
import { PowIssuer } from '../../server/pow.js';

function refused(issuer: PowIssuer, stampDifficulty: number, count: number): boolean {
  try {
    issuer.assertInForce(stampDifficulty, issuer.difficulty(count));
    return false;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).message).toBe('proof of work expired');
    return true;
  }
}

describe('surge read skipped for stamps no surge can refuse', () => {
  it('surgeMatters(d) is exactly "some surge count refuses a stamp of difficulty d"', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (a, b, slackBits, surgeThreshold, d, count) => {
          const [difficulty, maxDifficulty] = a <= b ? [a, b] : [b, a]; // config requires max >= base
          const issuer = new PowIssuer(new Uint8Array(32), { difficulty, maxDifficulty, slackBits, surgeThreshold, surgeWindowMinutes: 10, challengeTtlSeconds: 600 }, () => new Date());
          if (!issuer.surgeMatters(d)) expect(refused(issuer, d, count)).toBe(false);
          // A count that reaches the ceiling (difficulty() climbs one bit per doubling past the
          // threshold) refuses every stamp the read is made for.
          const ceilingCount = surgeThreshold * 2 ** Math.max(0, maxDifficulty - difficulty);
          expect(issuer.difficulty(ceilingCount)).toBe(maxDifficulty);
          expect(refused(issuer, d, ceilingCount)).toBe(issuer.surgeMatters(d));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
