import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, checkPow, solvePow } from '../../../crypto/index.js';
import { SURGE_TTL_MS } from '../../../server/context.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

/** A nonce whose stamp does NOT meet the difficulty (the work was not done). */
function unsolved(challenge: string, difficulty: number): string {
  for (let n = 0; ; n++) {
    const s = `${challenge}:${n}`;
    if (!checkPow(s, difficulty)) return s;
  }
}

export function powSuite(getFactory: GetFactory): void {
  describe('proof of work', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
    });
    afterAll(() => h.close());

    const submit = async (stamp?: string) =>
      h.postJson('/api/reports', { report: bytes.base64Padded(await h.reportFile()) }, stamp === undefined ? {} : { 'tipline-pow': stamp });
    const challenge = async () => (await (await h.request('/api/pow')).json()) as { challenge: string; difficulty: number; expires: number };

    it('issues opaque expiring challenges at the configured difficulty', async () => {
      const c = await challenge();
      expect(c.challenge).toMatch(/^[A-Za-z0-9_-]{16,200}$/);
      expect(c.difficulty).toBe(h.config.pow.difficulty);
      expect(c.expires - Math.floor(h.clock.now().getTime() / 1000)).toBe(h.config.pow.challengeTtlSeconds);
      expect((await challenge()).challenge).not.toBe(c.challenge);
    });

    it('refuses missing, malformed, forged, unsolved and foreign stamps, storing nothing', async () => {
      await unchanged(h, async () => {
        expect(await expectError(await submit(), 403)).toBe('proof of work required');
        expect(await expectError(await submit('nonsense'), 403)).toBe('invalid proof of work');
        const c = await challenge();
        // Flip one character of the MAC part: the server's HMAC no longer matches.
        const raw = Buffer.from(c.challenge, 'base64url');
        raw[raw.length - 1]! ^= 1;
        const forged = raw.toString('base64url');
        expect(await expectError(await submit(await solvePow(forged, c.difficulty)), 403)).toBe('invalid proof of work');
        // A challenge whose difficulty byte was lowered to 0 (MAC breaks too).
        const lowered = Buffer.from(c.challenge, 'base64url');
        lowered[5] = 0;
        expect(await expectError(await submit(`${lowered.toString('base64url')}:0`), 403)).toBe('invalid proof of work');
        expect(await expectError(await submit(unsolved(c.challenge, c.difficulty)), 403)).toBe('invalid proof of work');
        // Same layout, MAC made with another key.
        const body = Buffer.from(c.challenge, 'base64url').subarray(0, 22);
        const mac = createHmac('sha256', randomBytes(32)).update('tipline/v1 pow-challenge').update(body).digest().subarray(0, 16);
        const foreign = Buffer.concat([body, mac]).toString('base64url');
        expect(await expectError(await submit(await solvePow(foreign, c.difficulty)), 403)).toBe('invalid proof of work');
      });
    });

    it('refuses expired stamps', async () => {
      const c = await challenge();
      const stamp = await solvePow(c.challenge, c.difficulty);
      h.clock.advance(h.config.pow.challengeTtlSeconds + 1);
      try {
        await unchanged(h, async () => {
          expect(await expectError(await submit(stamp), 403)).toBe('proof of work expired');
        });
      } finally {
        h.clock.advance(-(h.config.pow.challengeTtlSeconds + 1));
      }
    });

    it('spends each stamp once', async () => {
      const stamp = await h.stamp();
      expect((await submit(stamp)).status).toBe(201);
      await unchanged(h, async () => {
        expect(await expectError(await submit(stamp), 403)).toBe('proof of work already used');
      });
    });

    it('a no-JS form token is not a proof of work', async () => {
      const page = await (await h.request('/report/basic')).text();
      const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
      await unchanged(h, async () => {
        expect(await expectError(await submit(await solvePow(token, 0)), 403)).toBe('invalid proof of work');
      });
    });
  });

  describe('proof of work under a surge', () => {
    it('raises the difficulty when submissions surge, up to the ceiling, and lowers it after the window', async () => {
      const h = await makeHarness(getFactory(), { config: { pow: { difficulty: 2, maxDifficulty: 4, surgeThreshold: 2, surgeWindowMinutes: 10 } } });
      try {
        const difficulty = async () => ((await (await h.request('/api/pow')).json()) as { difficulty: number }).difficulty;
        expect(await difficulty()).toBe(2);
        await h.submitReport();
        expect(await difficulty()).toBe(2);
        await h.submitReport();
        expect(await difficulty()).toBe(3); // 2 submissions: threshold reached
        await h.submitReport();
        await h.submitReport();
        expect(await difficulty()).toBe(4); // 4 = 2 × threshold
        for (let i = 0; i < 4; i++) await h.submitReport();
        expect(await difficulty()).toBe(4); // 8 would be 5 bits: capped at the ceiling
        h.clock.advance(11 * 60);
        expect(await difficulty()).toBe(2);
      } finally {
        await h.close();
      }
    });

    it("a stamp check sees another process's surge within SURGE_TTL_MS, and a new bucket at once", async () => {
      const h = await makeHarness(getFactory(), { config: { pow: { difficulty: 2, maxDifficulty: 4, surgeThreshold: 2, surgeWindowMinutes: 10, slackBits: 0 } } });
      try {
        const other = h.otherProcess();
        // Challenges from the other process, so that this one reads the window only where the test says.
        const stampFromOther = async () => {
          const c = (await (await other.request('/api/pow')).json()) as { challenge: string; difficulty: number };
          return solvePow(c.challenge, c.difficulty);
        };
        const submit = async (stamp: string) => h.postJson('/api/reports', { report: bytes.base64Padded(await h.reportFile()) }, { 'tipline-pow': stamp });
        const early = await stampFromOther();
        const early2 = await stampFromOther();
        // This process reads the window (empty: 2 bits), then the other one takes 2 submissions: 3 bits.
        expect(((await (await h.request('/api/pow')).json()) as { difficulty: number }).difficulty).toBe(2);
        for (let i = 0; i < 2; i++) {
          const r = await other.request('/api/reports', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'tipline-pow': await stampFromOther() },
            body: JSON.stringify({ report: bytes.base64Padded(await h.reportFile()) }),
          });
          expect(r.status).toBe(201);
        }
        await new Promise((r) => setTimeout(r, SURGE_TTL_MS + 100));
        await unchanged(h, async () => {
          expect(await expectError(await submit(early), 403)).toBe('proof of work expired');
        });
        // The window moves past the surge: the count just read is of another bucket, so it is read again.
        h.clock.advance(11 * 60);
        expect((await submit(early2)).status).toBe(201);
      } finally {
        await h.close();
      }
    });
  });
}
