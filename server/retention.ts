/**
 * Retention: expired reports (with their attachments and notes), mailboxes (with their
 * messages), sessions, spent stamps, replay-cache entries, undecided applications, the
 * ciphertext of decided applications, revoked members, unfinished uploads and old warning
 * tombstones are deleted on a schedule. Kept: the keyrings (public, and the highest version
 * guards against rollback), live warnings (until withdrawn), approved members, counters.
 *
 * SQLite runs with secure_delete=ON, so freed pages are overwritten with zeros; after every
 * sweep the WAL is checkpointed and truncated (db/scrub.ts) so old page images do not
 * linger there either. PostgreSQL has no secure delete: a VACUUM makes the space
 * reusable, and the deployment should sit on encrypted storage (SECURITY.md).
 */
import { sql } from 'kysely';
import { BUCKET_MINUTES, COUNTER, LOGIN_WINDOW_MINUTES } from './abuse.js';
import type { Config } from './config.js';
import type { Db, DbKind } from './db/index.js';
import { scrub } from './db/scrub.js';
import { addDays, dayOf } from './util.js';

export interface SweepResult {
  reports: number;
  mailboxes: number;
  sessions: number;
  stamps: number;
  requests: number;
  applications: number;
  /** Decided applications whose ciphertext was forgotten. */
  decided: number;
  revoked: number;
  uploads: number;
  tombstones: number;
  /** Abuse counters past every window: byte ceilings of earlier days, old 5-minute buckets. */
  counters: number;
}

const count = (r: { numDeletedRows: bigint }[]): number => r.reduce((a, x) => a + Number(x.numDeletedRows), 0);

/** Delete everything past its retention as of `now`. */
export async function sweep(db: Db, kind: DbKind, config: Config, now: Date): Promise<SweepResult> {
  const today = dayOf(now);
  const r: SweepResult = {
    reports: count(await db.deleteFrom('reports').where('expires_day', '<', today).execute()),
    mailboxes: count(await db.deleteFrom('mailboxes').where('expires_day', '<', today).execute()),
    sessions: count(await db.deleteFrom('sessions').where('expires_day', '<', today).execute()),
    stamps: count(await db.deleteFrom('spent_stamps').where('expires_day', '<', today).execute()),
    requests: count(await db.deleteFrom('seen_requests').where('expires_day', '<', today).execute()),
    applications: count(
      await db
        .deleteFrom('members')
        .where('state', 'in', ['pending', 'refused'])
        .where('applied_day', '<', addDays(today, -config.retention.applicationDays))
        .execute(),
    ),
    decided: (
      await db
        .updateTable('members')
        .set({ application: null })
        .where('state', '<>', 'pending')
        .where('application', 'is not', null)
        .where('decided_day', '<', addDays(today, -config.retention.applicationDays))
        .execute()
    ).reduce((a, x) => a + Number(x.numUpdatedRows), 0),
    // Their sessions went at revocation; the foreign key cascades any left.
    revoked: count(
      await db
        .deleteFrom('members')
        .where('state', '=', 'revoked')
        .where('decided_day', '<', addDays(today, -config.retention.revokedMemberDays))
        .execute(),
    ),
    // An upload still incomplete a day later was interrupted without cleanup (a crash).
    uploads: count(
      await db.deleteFrom('attachments').where('complete', '=', 0).where('received_day', '<', addDays(today, -1)).execute(),
    ),
    tombstones: count(
      await db
        .deleteFrom('warnings')
        .where('envelope', 'is', null)
        .where('day', '<', addDays(today, -config.retention.tombstoneDays))
        .execute(),
    ),
    // The abuse module prunes its windows as it counts; this catches what a quiet service
    // leaves behind (abuse.ts uses day buckets for bytes and 5-minute buckets for the rest).
    counters:
      count(
        await db
          .deleteFrom('abuse_counters')
          .where('name', '=', COUNTER.bytes)
          .where('bucket', '<', Math.floor(now.getTime() / 86_400_000))
          .execute(),
      ) +
      count(
        await db
          .deleteFrom('abuse_counters')
          .where('name', '!=', COUNTER.bytes)
          .where('bucket', '<', Math.floor(now.getTime() / 60_000 / BUCKET_MINUTES) - Math.ceil(Math.max(LOGIN_WINDOW_MINUTES, config.pow.surgeWindowMinutes, config.basicForm.windowMinutes) / BUCKET_MINUTES))
          .execute(),
      ),
  };
  // Closed upload windows: forget the token hash.
  await db.updateTable('reports').set({ upload_token_hash: null, upload_until_day: null }).where('upload_until_day', '<', today).execute();

  // On PostgreSQL after every sweep, not only one that counted deletions: forgetting upload
  // tokens (above) is an UPDATE, which also leaves old row versions behind.
  if (kind === 'sqlite') await scrub(db, kind);
  else await sql`VACUUM`.execute(db);
  return r;
}

/**
 * Run {@link sweep} now and then every `retention.intervalMinutes`. Failures are reported
 * as one line without details and retried at the next interval.
 * @returns stop function
 */
export function scheduleRetention(db: Db, kind: DbKind, config: Config, now: () => Date = () => new Date()): () => void {
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      await sweep(db, kind, config, now());
    } catch (e) {
      process.stderr.write(`retention sweep failed: ${e instanceof Error ? e.name : 'error'}\n`);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), config.retention.intervalMinutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
