/**
 * Publishing statistics from the console process to a real server app (SQLite): the console
 * syncs, counts, suppresses the ended quarters, signs with its key and uploads; the server
 * stores what verifies; a published quarter stays frozen when reports arrive or go later;
 * a coordinator without the `warnings` role cannot publish.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodiumBackend, useBackend, verifyStatistics, type Report } from '../../crypto/index.js';
import { createRemote } from '../../console/remote.js';
import { ConsoleService } from '../../console/service.js';
import { publishStatistics, statsView } from '../../console/statistics.js';
import { ComposerRefusal } from '../../console/warnings.js';
import { deleteReport, insertReport } from '../../server/db/queries.js';
import { makeHarness, minimalReport, sqliteFactory, type Harness, type TestCoordinator } from '../server/harness.js';

useBackend(await loadSodiumBackend());

let h: Harness;
beforeAll(async () => {
  h = await makeHarness(sqliteFactory);
});
afterAll(() => h.close());

const service = (c: TestCoordinator) =>
  new ConsoleService(
    createRemote('http://tipline.test', c.seed, (url, init) => Promise.resolve(h.app.request(String(url), init))),
    { id: c.id, name: c.id, identity: c.identity, signingSeed: c.seed },
    [c.identity],
    h.rootPublicKey,
  );

async function report(day: string, r: Partial<Report> = {}): Promise<string> {
  const id = randomBytes(16).toString('base64url');
  const ciphertext = Buffer.from(await h.reportFile({ ...minimalReport(), ...r }));
  await insertReport(h.db, { id, ciphertext, origin: 'browser', receivedDay: day, expiresDay: '2099-01-01', uploadTokenHash: null, uploadUntilDay: null, mailboxId: null });
  return id;
}

describe('publishing statistics from the console', () => {
  it('publishes ended quarters only, suppressed, and keeps them frozen', async () => {
    for (let i = 0; i < 9; i++) await report(`2025-07-${String(10 + i)}`, { setting: 'hotel' });
    const late = await report('2025-08-02', { setting: 'car' });
    await report('2025-10-05', { setting: 'hotel' });
    await report(new Date().toISOString().slice(0, 10)); // this quarter: not published yet
    const s = service(h.coordinators.all);
    await s.sync();
    const before = await statsView(s);
    expect(before.published).toBeUndefined();
    expect(before.live.reports).toBe(12);
    expect(before.pending[0]!.period).toBe('2025-Q3');
    const currentQuarter = `${new Date().getUTCFullYear()}-Q${Math.floor(new Date().getUTCMonth() / 3) + 1}`;
    expect(before.pending.map((p) => p.period)).not.toContain(currentQuarter);

    const published = await publishStatistics(s);
    expect(published.version).toBe(1);
    const keyring = (await h.app.ctx.keyring()).keyring;
    const stored = verifyStatistics((await h.app.ctx.statisticsText())!, keyring);
    const q3 = stored.periods.find((p) => p.period === '2025-Q3')!;
    expect(q3.reports).toBe(10);
    // 9 hotel, 1 car: the car is "<5" and the hotel count, which would give it away, is withheld
    expect(q3.tables.find((t) => t.id === 'setting')!.rows!.filter((r) => r.value !== 0)).toEqual([
      { key: 'hotel', value: 'x' },
      { key: 'car', value: '<5' },
    ]);
    expect(stored.periods.find((p) => p.period === '2025-Q4')!.reports).toBe('<5');

    // Later: a report of Q3 is deleted (retention) and nothing new has ended: nothing to publish,
    // and the published quarter is unchanged.
    await deleteReport(h.db, late);
    await s.sync();
    const after = await statsView(s);
    expect(after.pending).toEqual([]);
    expect(after.published!.periods.find((p) => p.period === '2025-Q3')).toEqual(q3);
    await expect(publishStatistics(s)).rejects.toThrow(ComposerRefusal);
  }, 120_000);

  it('refuses to sign without the warnings role', async () => {
    const s = service(h.coordinators.reader);
    await expect(publishStatistics(s)).rejects.toMatchObject({ status: 403 });
  }, 60_000);
});
