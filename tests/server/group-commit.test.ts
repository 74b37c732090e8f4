/**
 * Group commit on SQLite (server/db/index.ts syncTransaction, server/README.md "Storing a
 * report"): calls made in one turn of the event loop share one transaction and one commit,
 * each in a savepoint of its own. These tests fail if the calls commit one by one, if one
 * call's throw undoes another's work, if a failed commit leaves any call's work behind or
 * answers it as stored, or if a call runs on in autocommit after SQLite rolled the group back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, syncSqlite, syncTransaction, type OpenDatabase, type SyncSqlite } from '../../server/db/index.js';

describe('SQLite group commit', () => {
  let dir: string;
  let open: OpenDatabase;
  let s: SyncSqlite;
  let reader: BetterSqlite3.Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tipline-group-'));
    open = await openDatabase({ dataDir: dir });
    s = syncSqlite(open.db)!;
    s.raw.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id))');
    reader = new BetterSqlite3(open.file!, { readonly: true });
  });
  afterAll(async () => {
    reader.close();
    await open.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (id: number) => s.raw.prepare('INSERT INTO parent (id) VALUES (?)').run(id);
  /** What another connection sees committed. */
  const committed = () => (reader.prepare('SELECT id FROM parent ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  const clear = () => s.raw.exec('DELETE FROM child; DELETE FROM parent');

  it('calls made in one turn share one commit: none is visible to another connection before the last has run', async () => {
    clear();
    const seen: number[][] = [];
    const calls = [1, 2, 3].map((id) =>
      syncTransaction(s, () => {
        seen.push(committed());
        insert(id);
        return id * 10;
      }),
    );
    expect(await Promise.all(calls)).toEqual([10, 20, 30]);
    expect(seen).toEqual([[], [], []]);
    expect(committed()).toEqual([1, 2, 3]);
  });

  it('calls made in different turns commit separately', async () => {
    clear();
    await syncTransaction(s, () => insert(1));
    const seen = await syncTransaction(s, () => committed());
    expect(seen).toEqual([1]);
  });

  it('a throw undoes that call only and rejects its promise; the others are stored', async () => {
    clear();
    const results = await Promise.allSettled([
      syncTransaction(s, () => insert(1)),
      syncTransaction(s, () => {
        insert(2);
        throw new Error('refused');
      }),
      // The same key again: its own constraint error, not the others'.
      syncTransaction(s, () => insert(1)),
      syncTransaction(s, () => insert(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(((results[1] as PromiseRejectedResult).reason as Error).message).toBe('refused');
    expect(((results[2] as PromiseRejectedResult).reason as { code?: string }).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(committed()).toEqual([1, 3]);
    expect(s.raw.inTransaction).toBe(false);
  });

  it('a failed commit rejects every call of the group and stores nothing', async () => {
    clear();
    const results = await Promise.allSettled([
      syncTransaction(s, () => insert(1)),
      syncTransaction(s, () => {
        // Deferred to COMMIT: a child without its parent makes the commit itself fail.
        s.raw.pragma('defer_foreign_keys = ON');
        s.raw.prepare('INSERT INTO child (id, parent) VALUES (1, 99)').run();
      }),
      syncTransaction(s, () => insert(2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(committed()).toEqual([]);
    expect((s.raw.prepare('SELECT count(*) AS n FROM child').get() as { n: number }).n).toBe(0);
    expect(s.raw.inTransaction).toBe(false);
  });

  it('when SQLite has rolled the group back by itself, every call fails and none runs on in autocommit', async () => {
    clear();
    let ranAfter = false;
    const results = await Promise.allSettled([
      syncTransaction(s, () => insert(1)),
      syncTransaction(s, () => {
        // What SQLITE_FULL or SQLITE_IOERR can do: the whole transaction is gone.
        s.raw.exec('ROLLBACK');
        throw new Error('disk full');
      }),
      syncTransaction(s, () => {
        ranAfter = true;
        insert(2);
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(ranAfter).toBe(false);
    expect(committed()).toEqual([]);
  });

  it('the group waits for a kysely transaction open on the connection and is not part of it', async () => {
    clear();
    let stored: Promise<unknown> | undefined;
    await expect(
      open.db.transaction().execute(async (trx) => {
        await trx.insertInto('counters').values({ name: 'group-commit-marker', value: 1 }).execute();
        stored = syncTransaction(s, () => insert(7));
        await new Promise((r) => setTimeout(r, 20));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await stored;
    expect(committed()).toEqual([7]);
    expect(await open.db.selectFrom('counters').select('name').where('name', '=', 'group-commit-marker').executeTakeFirst()).toBeUndefined();
  });
});
