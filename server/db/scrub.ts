/**
 * Scrubbing after deletes: nothing of a deleted row may stay readable in any file of the
 * data directory.
 *
 * SQLite runs with secure_delete=ON, so a delete overwrites the row (and frees its overflow
 * pages) with zeros, in the main file once checkpointed. The older page images, which still
 * hold the row, stay in the `-wal` file until a checkpoint copies the new pages back and the
 * WAL is truncated. So every delete is followed by `PRAGMA wal_checkpoint(TRUNCATE)`, and its
 * answer is checked: `busy` (another connection, such as a second process or a `tipline`
 * tool, still reads an older snapshot) means the WAL was not truncated, and the checkpoint
 * is retried shortly until it succeeds or the retries run out (then one line is printed and
 * the next delete or the hourly retention sweep tries again).
 *
 * PostgreSQL has no secure delete: dead tuples stay in the table files until VACUUM reuses
 * their space, and its WAL segments keep them until recycled. There is nothing to do per
 * delete; the cluster belongs on encrypted storage (SECURITY.md).
 */
import { sql } from 'kysely';
import type { Db, DbKind } from './index.js';

/** Retries after a busy checkpoint: delays in milliseconds. */
const RETRY_MS = [250, 1000, 2000, 5000, 10_000, 30_000];

const pending = new WeakMap<Db, ReturnType<typeof setTimeout>>();

/**
 * Checkpoint and truncate SQLite's WAL once.
 * @returns true when the WAL is empty now (always true on PostgreSQL)
 */
export async function checkpointTruncate(db: Db, kind: DbKind): Promise<boolean> {
  if (kind !== 'sqlite') return true;
  const r = await sql<{ busy: number; log: number; checkpointed: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  const row = r.rows[0];
  return row !== undefined && Number(row.busy) === 0 && Number(row.log) === 0;
}

/**
 * Call after every statement that deletes or overwrites stored data. Waits for the first
 * checkpoint; when it is busy, retries in the background (one retry series per database).
 * @returns true when nothing of the deleted rows is left in the WAL
 */
export async function scrub(db: Db, kind: DbKind, log: (line: string) => void = (l) => process.stderr.write(l)): Promise<boolean> {
  if (kind !== 'sqlite') return true;
  let ok: boolean;
  try {
    ok = await checkpointTruncate(db, kind);
  } catch {
    ok = false;
  }
  if (ok || pending.has(db)) return ok;
  const retry = (i: number): void => {
    const timer = setTimeout(() => {
      // An error (the database was closed) ends the series: the next open starts clean.
      void checkpointTruncate(db, kind)
        .catch(() => true)
        .then((done) => {
          pending.delete(db);
          if (done) return;
          if (i + 1 < RETRY_MS.length) retry(i + 1);
          else log('tipline: WARNING: WAL checkpoint stayed busy: deleted data remains in the -wal file until a later checkpoint\n');
        });
    }, RETRY_MS[i]);
    timer.unref();
    pending.set(db, timer);
  };
  retry(0);
  return false;
}
