/**
 * The stamp-spending queries of server/db/queries.ts (spendStamp, recordRequest) on their own,
 * on SQLite: each key is taken once, the answer says whether this call took it, the row keeps
 * its expiry day, and the two tables are separate. Written to kill mutants StrykerJS found
 * surviving (`npm run mutate -- stamps`); the routes' use of them is in tests/server/suites.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordRequest, spendStamp } from '../../server/db/queries.js';
import { makeHarness, sqliteFactory, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness(sqliteFactory);
});
afterEach(() => h.close());

const key = (s: string) => createHash('sha256').update(s).digest();

for (const [name, take, table] of [
  ['spendStamp', spendStamp, 'spent_stamps'],
  ['recordRequest', recordRequest, 'seen_requests'],
] as const) {
  describe(name, () => {
    const rows = async () =>
      (await h.db.selectFrom(table).select(['hash', 'expires_day']).orderBy('expires_day').execute()).map((r) => [
        Buffer.from(r.hash).toString('hex'),
        r.expires_day,
      ]);

    it('takes a key once: true the first time, false after, and keeps the first expiry day', async () => {
      const before = await rows();
      expect(await take(h.db, key('a'), '2026-03-01')).toBe(true);
      expect(await take(h.db, key('a'), '2026-04-01')).toBe(false);
      expect(await take(h.db, key('b'), '2026-03-02')).toBe(true);
      expect(await take(h.db, key('a'), '2026-03-01')).toBe(false);
      expect((await rows()).filter((r) => !before.some((b) => b[0] === r[0]))).toEqual([
        [key('a').toString('hex'), '2026-03-01'],
        [key('b').toString('hex'), '2026-03-02'],
      ]);
    });

    it('inside a transaction too, and a key taken in the other table is still free here', async () => {
      const other = table === 'spent_stamps' ? recordRequest : spendStamp;
      expect(await other(h.db, key('c'), '2026-03-01')).toBe(true);
      expect(await h.db.transaction().execute((trx) => take(trx, key('c'), '2026-03-01'))).toBe(true);
      expect(await h.db.transaction().execute((trx) => take(trx, key('c'), '2026-03-01'))).toBe(false);
    });
  });
}
