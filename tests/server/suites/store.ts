/**
 * Storing a report (server/README.md "Storing a report"): the SQLite path runs one
 * synchronous transaction, the PostgreSQL path charges the counters in a statement of their
 * own and refunds them when the report is not stored. These tests fail if a refused report
 * charges anything, if the day's ceiling can be passed by concurrent submissions, if the
 * synchronous SQLite transaction joins a kysely transaction left open, or if the counters'
 * synchronous_commit=off outlives their statement. Group commit (both databases): a
 * submission refused inside a group fails alone with the answer it would get alone, a group
 * past the ceiling goes one by one, and on PostgreSQL a group statement that fails on a
 * mailbox taken meanwhile falls back to one by one.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes } from '../../../crypto/index.js';
import { COUNTER } from '../../../server/abuse.js';
import { syncSqlite } from '../../../server/db/index.js';
import { addToTwoBucketsAlone, getReport } from '../../../server/db/queries.js';
import { storeReport } from '../../../server/routes/reports.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import type { GetFactory } from './common.js';

export function storeSuite(getFactory: GetFactory): void {
  describe('storing a report', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
    });
    afterAll(() => h.close());

    const counters = async () =>
      (await h.db.selectFrom('abuse_counters').select(['name', 'bucket', 'value']).orderBy('name').orderBy('bucket').execute()).map((r) => ({ ...r, value: Number(r.value) }));
    const body = (file: Uint8Array, m?: { id: string; publicKey: Uint8Array }) => ({
      report: bytes.base64Padded(file),
      ...(m ? { mailbox: { id: m.id, publicKey: bytes.base64Padded(m.publicKey) } } : {}),
    });

    it('a report refused for a spent stamp or a taken mailbox charges nothing: the day bytes and the surge window are as before', async () => {
      const m = h.mailbox();
      const file = await h.reportFile();
      const stamp = await h.stamp();
      expect((await h.postJson('/api/reports', body(file, m), { 'tipline-pow': stamp })).status).toBe(201);
      const before = await counters();
      expect(before.find((r) => r.name === COUNTER.bytes)?.value).toBeGreaterThanOrEqual(file.length);
      expect(before.find((r) => r.name === COUNTER.surge)?.value).toBeGreaterThanOrEqual(1);
      expect(await expectError(await h.postJson('/api/reports', body(file), { 'tipline-pow': stamp }), 403)).toBe('proof of work already used');
      expect(await expectError(await h.postJson('/api/reports', body(file, m), { 'tipline-pow': await h.stamp() }), 409)).toBe('mailbox exists');
      expect(await counters()).toEqual(before);
    });

    it('a report refused by the day ceiling counts nothing in the surge window', async () => {
      const small = await makeHarness(getFactory(), { config: { abuse: { dailyBytes: 64 * 1024 } } });
      try {
        const file = await small.reportFile();
        await small.submitReport({ file });
        const big = await small.toCoordinators(new Uint8Array(64 * 1024 - 2 * file.length));
        expect((await small.postJson('/api/reports', body(big), { 'tipline-pow': await small.stamp() })).status).toBe(201);
        const before = (await small.db.selectFrom('abuse_counters').selectAll().execute()).map((r) => ({ ...r, value: Number(r.value) }));
        expect(await expectError(await small.postJson('/api/reports', body(big), { 'tipline-pow': await small.stamp() }), 503)).toBe('service full');
        expect((await small.db.selectFrom('abuse_counters').selectAll().execute()).map((r) => ({ ...r, value: Number(r.value) }))).toEqual(before);
      } finally {
        await small.close();
      }
    });

    it('the day ceiling is exact under concurrent submissions from two processes', async () => {
      const probe = await h.reportFile();
      const fits = 4;
      const c = await makeHarness(getFactory(), { config: { abuse: { dailyBytes: fits * probe.length + Math.floor(probe.length / 2) } } });
      try {
        const file = await c.reportFile();
        expect(file.length).toBe(probe.length);
        const other = c.otherProcess();
        const stamps = await Promise.all(Array.from({ length: 12 }, () => c.stamp()));
        const answers = await Promise.all(
          stamps.map((stamp, i) => {
            const init = { method: 'POST', headers: { 'content-type': 'application/json', 'tipline-pow': stamp }, body: JSON.stringify(body(file)) };
            return i % 2 ? other.request('/api/reports', init) : c.request('/api/reports', init);
          }),
        );
        const statuses = answers.map((r) => r.status).sort();
        expect(statuses).toEqual([...Array(fits).fill(201), ...Array(12 - fits).fill(503)]);
        const day = await c.db.selectFrom('abuse_counters').select('value').where('name', '=', COUNTER.bytes).executeTakeFirstOrThrow();
        expect(Number(day.value)).toBe(fits * file.length);
        const surge = await c.db.selectFrom('abuse_counters').select((eb) => eb.fn.sum<number>('value').as('s')).where('name', '=', COUNTER.surge).executeTakeFirstOrThrow();
        expect(Number(surge.s)).toBe(fits);
        expect((await c.counts()).reports).toBe(fits);
      } finally {
        await c.close();
      }
    });

    const freshStamp = () => ({ hash: randomBytes(32), expiresDay: '2099-01-01' });
    /** A browser submission stored directly, as the route does after its checks. */
    const submit = (on: Harness, file: Uint8Array, stamp: { hash: Buffer; expiresDay: string }, mailbox?: { id: string; publicKey: Uint8Array }) =>
      storeReport(on.app.ctx, { ciphertext: file, origin: 'browser', stamp, mailbox, countSurge: true });
    const statusOf = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? 201 : (r.reason as { status?: number }).status);
    /** The day's bytes and the surge count, each summed over its buckets. */
    const charged = async (on: Harness) => {
      const rows = await on.db.selectFrom('abuse_counters').select(['name', 'value']).execute();
      const sum = (name: string) => rows.filter((r) => r.name === name).reduce((a, r) => a + Number(r.value), 0);
      return { bytes: sum(COUNTER.bytes), surge: sum(COUNTER.surge) };
    };

    it('submissions stored together (one SQLite group commit) are refused one by one: a spent stamp or a taken mailbox fails alone and charges nothing', async () => {
      const g = await makeHarness(getFactory());
      try {
        const file = await g.reportFile();
        const twice = freshStamp();
        const m = g.mailbox();
        // Started in one turn of the event loop: on SQLite they share one transaction.
        const results = await Promise.allSettled([submit(g, file, twice), submit(g, file, freshStamp(), m), submit(g, file, twice), submit(g, file, freshStamp(), m), submit(g, file, freshStamp())]);
        const statuses = results.map(statusOf);
        // On SQLite the group runs in call order; on PostgreSQL a repeat may go in a second group at once, so either of a pair may win.
        if (getFactory().name === 'sqlite') expect(statuses).toEqual([201, 201, 403, 409, 201]);
        expect([statuses[0], statuses[2]].sort()).toEqual([201, 403]);
        expect([statuses[1], statuses[3]].sort()).toEqual([201, 409]);
        expect(statuses[4]).toBe(201);
        const stored = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id);
        for (const id of stored) expect((await getReport(g.db, id))?.ciphertext.length).toBe(file.length);
        expect((await g.counts()).reports).toBe(3);
        expect(await charged(g)).toEqual({ bytes: 3 * file.length, surge: 3 });
      } finally {
        await g.close();
      }
    });

    it('a group that would pass the day ceiling as a whole is stored one by one: exactly the submissions that fit are stored and charged', async () => {
      const probe = await h.reportFile();
      const fits = 2;
      const g = await makeHarness(getFactory(), { config: { abuse: { dailyBytes: fits * probe.length + Math.floor(probe.length / 2) } } });
      try {
        const file = await g.reportFile();
        const results = await Promise.allSettled(Array.from({ length: 5 }, () => submit(g, file, freshStamp())));
        expect(results.map(statusOf).sort()).toEqual([201, 201, 503, 503, 503]);
        expect(await charged(g)).toEqual({ bytes: fits * file.length, surge: fits });
        expect((await g.counts()).reports).toBe(fits);
      } finally {
        await g.close();
      }
    });

    if (getFactory().name === 'postgres') it('PostgreSQL: a group statement refuses a spent stamp (403 before a taken mailbox) and a taken mailbox, and stores the rest', async () => {
      const old = freshStamp();
      const m = h.mailbox();
      const file = await h.reportFile();
      await Promise.all([submit(h, file, old, m), submit(h, file, freshStamp())]);
      const before = await charged(h);
      const reports = (await h.counts()).reports;
      const results = await Promise.allSettled([submit(h, file, freshStamp()), submit(h, file, { ...old }), submit(h, file, freshStamp(), m), submit(h, file, freshStamp())]);
      expect(results.map(statusOf)).toEqual([201, 403, 409, 201]);
      // Both refused: the answer is the one it would get alone, the spent stamp's.
      const both = await Promise.allSettled([submit(h, file, freshStamp()), submit(h, file, old, m)]);
      expect(both.map(statusOf)).toEqual([201, 403]);
      expect((await h.counts()).reports).toBe(reports + 3);
      expect(await charged(h)).toEqual({ bytes: before.bytes + 3 * file.length, surge: before.surge + 3 });
    });

    if (getFactory().name === 'postgres') it('PostgreSQL: a mailbox inserted meanwhile by another transaction fails the group statement; then each is stored alone and only that one is refused', async () => {
      const file = await h.reportFile();
      const m = h.mailbox();
      const before = await charged(h);
      const reports = (await h.counts()).reports;
      let pending: Promise<PromiseSettledResult<unknown>[]> | undefined;
      await h.db.transaction().execute(async (trx) => {
        await trx.insertInto('mailboxes').values({ id: m.id, public_key: Buffer.from(m.publicKey), created_day: '2026-12-02', expires_day: '2099-01-01' }).execute();
        pending = Promise.allSettled([submit(h, file, freshStamp()), submit(h, file, freshStamp(), m), submit(h, file, freshStamp())]);
        // The group's statement does not see the uncommitted mailbox, and waits on its key.
        await new Promise((r) => setTimeout(r, 300));
      });
      expect((await pending!).map(statusOf)).toEqual([201, 409, 201]);
      expect((await h.counts()).reports).toBe(reports + 2);
      expect(await charged(h)).toEqual({ bytes: before.bytes + 2 * file.length, surge: before.surge + 2 });
    });

    // Each dialect's own path is registered only for that dialect, so no run reports a skip.
    if (getFactory().name === 'sqlite') it('SQLite: a report stored while a kysely transaction is open waits for it and is not part of it', async () => {
      const s = syncSqlite(h.db);
      if (!s) throw new Error('no synchronous SQLite handle');
      const file = await h.reportFile();
      let pending: Promise<{ id: string }> | undefined;
      const markerId = randomBytes(16).toString('base64url');
      await expect(
        h.db.transaction().execute(async (trx) => {
          await trx.insertInto('counters').values({ name: markerId, value: 1 }).execute();
          expect(s.raw.inTransaction).toBe(true);
          pending = storeReport(h.app.ctx, { ciphertext: file, origin: 'browser', stamp: { hash: randomBytes(32), expiresDay: '2099-01-01' }, countSurge: true });
          await new Promise((r) => setTimeout(r, 20));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      const { id } = await pending!;
      expect(await h.db.selectFrom('counters').select('name').where('name', '=', markerId).executeTakeFirst()).toBeUndefined();
      expect((await getReport(h.db, id))?.ciphertext).toBeDefined();
    });

    if (getFactory().name === 'postgres') it('PostgreSQL: the counters statement turns synchronous_commit off for itself only', async () => {
      await h.db.connection().execute(async (conn) => {
        const show = async () => (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(conn)).rows[0]!.synchronous_commit;
        // The test cluster runs without durability; this connection gets it back for the test.
        await sql`set synchronous_commit = on`.execute(conn);
        expect(await show()).toBe('on');
        const name = `test-${randomBytes(8).toString('hex')}`;
        expect(await addToTwoBucketsAlone(conn, { name, bucket: 1, by: 10, ceiling: 15 }, { name: `${name}-n`, bucket: 1 })).toBe(true);
        expect(await show()).toBe('on');
        // Refused: neither counter moves.
        expect(await addToTwoBucketsAlone(conn, { name, bucket: 1, by: 10, ceiling: 15 }, { name: `${name}-n`, bucket: 1 })).toBe(false);
        const rows = await conn.selectFrom('abuse_counters').select(['name', 'value']).where('name', 'like', `${name}%`).orderBy('name').execute();
        expect(rows.map((r) => [r.name, Number(r.value)])).toEqual([
          [name, 10],
          [`${name}-n`, 1],
        ]);
        await conn.deleteFrom('abuse_counters').where('name', 'like', `${name}%`).execute();
        await sql`reset synchronous_commit`.execute(conn);
      });
    });
  });
}
