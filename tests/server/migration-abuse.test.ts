/**
 * The abuse migration on a database that already holds reports: each report is charged with
 * what it holds (report, attachments, reporter follow-ups) and its free follow-ups counted,
 * on SQLite and on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/index.js';
import * as init from '../../server/db/migrations/2026_11_25_0001_init.js';
import { PG_SKIP_MESSAGE, findPgBin, startPostgres, type PgCluster } from '../helpers/postgres.js';

async function check(db: Kysely<any>): Promise<void> {
  const only = new Migrator({ db, provider: { getMigrations: async () => ({ '2026_11_25_0001_init': init }) } });
  expect((await only.migrateToLatest()).error).toBeUndefined();
  const day = '2026-11-30';
  await db.insertInto('mailboxes').values({ id: 'mb', public_key: Buffer.alloc(32), created_day: day, expires_day: day }).execute();
  const report = { ciphertext: Buffer.alloc(1000), size: 1000, origin: 'browser', state: 'new', received_day: day, expires_day: day };
  await db.insertInto('reports').values({ id: 'r1', ...report, mailbox_id: 'mb' }).execute();
  await db.insertInto('reports').values({ id: 'r2', ...report, mailbox_id: null }).execute();
  await db.insertInto('attachments').values({ id: 'a1', report_id: 'r1', size: 5000, complete: 1, received_day: day }).execute();
  await db.insertInto('attachments').values({ id: 'a2', report_id: 'r1', size: 7000, complete: 1, received_day: day }).execute();
  const message = (id: string, seq: number, sender: string, size: number) =>
    db.insertInto('mailbox_messages').values({ id, mailbox_id: 'mb', seq, sender, day, body: Buffer.alloc(size) }).execute();
  await message('m1', 1, 'reporter', 300);
  await message('m2', 2, 'coordinator', 900);
  await message('m3', 3, 'reporter', 400);

  await migrate(db);
  const rows = await db.selectFrom('reports').select(['id', 'charged_bytes', 'free_follow_ups']).orderBy('id').execute();
  expect(rows.map((r) => ({ id: r.id, charged: Number(r.charged_bytes), free: Number(r.free_follow_ups) }))).toEqual([
    { id: 'r1', charged: 1000 + 5000 + 7000 + 300 + 400, free: 2 },
    { id: 'r2', charged: 1000, free: 0 },
  ]);
  expect(await db.selectFrom('abuse_counters').selectAll().execute()).toEqual([]);
}

describe('the abuse migration on existing data', () => {
  it('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tipline-migration-'));
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
    try {
      await check(db);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  let cluster: PgCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });
  it.skipIf(findPgBin() === undefined)(`PostgreSQL${findPgBin() === undefined ? ` (${PG_SKIP_MESSAGE})` : ''}`, async () => {
    cluster = await startPostgres();
    if (!cluster) throw new Error('PostgreSQL cluster did not start');
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: await cluster.createDatabase(), max: 2 }) }) });
    try {
      await check(db);
    } finally {
      await db.destroy();
    }
  }, 180_000);
});
