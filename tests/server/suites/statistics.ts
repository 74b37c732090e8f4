/**
 * The statistics summary upload (POST /api/coordinator/statistics, role `warnings`) and its
 * public GET: bad input gets a clear 4xx and stores nothing; a document showing a count from
 * 1 to 4, or letting one be worked out, is refused by the server too (defence in depth).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, signDocument, signStatistics, suppress, verifyStatistics, type PublishedPeriod, type Statistics } from '../../../crypto/index.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

/** A valid period: its tables suppressed by the real algorithm. */
export function samplePeriod(period = '2025-Q1', months = ['2025-01', '2025-02', '2025-03']): PublishedPeriod {
  return suppress({
    period,
    reports: 23,
    tables: [
      { id: 'month', kind: 'partition', rows: [{ key: months[0]!, count: 12 }, { key: months[1]!, count: 8 }, { key: months[2]!, count: 3 }] },
      { id: 'incident-type', kind: 'multi', rows: [{ key: 'violence', count: 9 }, { key: 'robbery', count: 2 }, { key: 'threats', count: 15 }] },
      { id: 'setting', kind: 'partition', rows: [{ key: 'hotel', count: 10 }, { key: 'car', count: 1 }, { key: 'incall', count: 6 }, { key: 'not-given', count: 6 }] },
    ],
  });
}

export const sampleStatistics = (version: number, periods: PublishedPeriod[] = [samplePeriod()]): Statistics => ({ version, issued: '2026-01-01', periods });

/** Sign a payload as it is, without the signer's own checks (what a faulty or hostile console could send). */
const signRaw = (value: unknown, seed: Uint8Array) => signDocument('statistics', bytes.utf8(JSON.stringify(value)), seed);

export function statisticsSuite(getFactory: GetFactory): void {
  describe('statistics summary', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
    });
    afterAll(() => h.close());
    const post = (env: unknown, who = h.coordinators.all) => h.coord('POST', '/api/coordinator/statistics', env, who);

    it('is 404 until one is published, then serves the stored envelope as is', async () => {
      expect(await expectError(await h.request('/api/statistics'), 404)).toBe('no statistics');
      const env = signStatistics(sampleStatistics(1), h.coordinators.all.seed);
      const r = await post(env);
      expect(r.status).toBe(201);
      expect(await r.json()).toEqual({ version: 1 });
      const got = await h.request('/api/statistics');
      expect(got.status).toBe(200);
      const text = await got.text();
      expect(JSON.parse(text)).toEqual(env);
      const keyring = (await h.app.ctx.keyring()).keyring;
      expect(verifyStatistics(text, keyring).periods[0]!.tables.find((t) => t.id === 'setting')!.rows!.map((x) => x.value)).toEqual([10, '<5', 'x', 6]);
    });

    it('refuses bad input with a clear 4xx and stores nothing', async () => {
      const seed = h.coordinators.all.seed;
      const good = signStatistics(sampleStatistics(7), seed);
      await unchanged(
        h,
        async () => {
        const notJson = await h.coord('POST', '/api/coordinator/statistics', undefined);
        expect([400, 415]).toContain(notJson.status);
        expect(await expectError(await post({ nope: 1 }), 400)).toBe('invalid statistics');
        expect(await expectError(await post({ ...good, kind: 'profile' }), 400)).toBe('invalid statistics');
        // signers: an outsider, a coordinator without the warnings role
        expect(await expectError(await post(signStatistics(sampleStatistics(7), h.outsider.seed)), 400)).toBe('invalid signature');
        expect(await expectError(await post(signStatistics(sampleStatistics(7), h.coordinators.reader.seed)), 400)).toBe('invalid signature');
        const tampered = { ...good, payload: signStatistics(sampleStatistics(8, [samplePeriod('2025-Q2', ['2025-04', '2025-05', '2025-06'])]), seed).payload };
        expect(await expectError(await post(tampered), 400)).toBe('invalid signature');
        // a period still running, an issue day ahead of the server's
        expect(await expectError(await post(signRaw({ ...sampleStatistics(7), issued: '2025-03-31' }, seed)), 400)).toBe('invalid statistics');
        expect(await expectError(await post(signRaw({ ...sampleStatistics(7), issued: '2999-01-01' }, seed)), 400)).toBe('invalid statistics');
        // not newer
        expect(await expectError(await post(signStatistics(sampleStatistics(1), seed)), 409)).toBe('statistics version not newer');
      }, ['seen_requests']);
    });

    it('refuses a count from 1 to 4, shown or derivable, even when validly signed', async () => {
      const seed = h.coordinators.all.seed;
      const p = samplePeriod();
      const withRows = (rows: { key: string; value: unknown }[]) => ({ ...sampleStatistics(9), periods: [{ ...p, tables: [{ id: 'setting', kind: 'partition', rows }] }] });
      await unchanged(
        h,
        async () => {
        for (const small of [1, 2, 3, 4]) {
          const shown = withRows([{ key: 'hotel', value: 23 - small }, { key: 'car', value: small }]);
          expect(await expectError(await post(signRaw(shown, seed)), 400)).toBe('invalid statistics');
        }
        // one "<5" beside visible counts: the total gives it away (23 - 10 - 10 = 3)
        const derivable = withRows([{ key: 'hotel', value: 10 }, { key: 'car', value: '<5' }, { key: 'incall', value: 10 }]);
        expect(await expectError(await post(signRaw(derivable, seed)), 400)).toBe('invalid statistics');
        // a total of 3 shown as is
        expect(await expectError(await post(signRaw({ ...sampleStatistics(9), periods: [{ period: '2025-Q1', reports: 3, tables: [] }] }, seed)), 400)).toBe('invalid statistics');
      }, ['seen_requests']);
    });

    it('keeps every published period frozen: a changed or dropped quarter is refused', async () => {
      const seed = h.coordinators.all.seed;
      const q2 = samplePeriod('2025-Q2', ['2025-04', '2025-05', '2025-06']);
      expect((await post(signStatistics(sampleStatistics(10, [samplePeriod(), q2]), seed))).status).toBe(201);
      await unchanged(
        h,
        async () => {
        const changed = samplePeriod();
        changed.reports = 24;
        changed.tables = changed.tables.filter((t) => t.id === 'incident-type');
        expect(await expectError(await post(signStatistics(sampleStatistics(11, [changed, q2]), seed)), 400)).toBe('published period changed');
        expect(await expectError(await post(signStatistics(sampleStatistics(11, [q2]), seed)), 400)).toBe('published period changed');
      }, ['seen_requests']);
      const q3 = samplePeriod('2025-Q3', ['2025-07', '2025-08', '2025-09']);
      expect((await post(signStatistics(sampleStatistics(11, [samplePeriod(), q2, q3]), seed))).status).toBe(201);
      expect(((await h.app.ctx.statisticsText()) ?? '').length).toBeGreaterThan(0);
      expect((await h.counts()).statistics).toBe(1);
    });
  });
}
