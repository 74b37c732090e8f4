/**
 * The alert outbox (issue 11): one SQLite file in the console's data dir recording each
 * warning × member × channel before and after sending, with `synchronous = FULL` so every
 * state change is on disk before the next step. It holds no contact details and no member
 * ids: members appear as an HMAC of their id under a key derived from the coordinator's
 * signing key (alerts.ts), and no times.
 *
 * Row states: pending → sending → sent | failed | unknown | skipped.
 * - `sending` is written before the message leaves; a row still `sending` when the console
 *   starts was cut off mid-send and becomes `unknown`: it may have been delivered, so it is
 *   never sent again automatically (console/README.md §Alerts).
 * - One row per (thread, member, channel): a correction shares its original's thread, so a
 *   member alerted for the original is not alerted again for the correction.
 */
import Database from 'better-sqlite3';

export type RowState = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped';
export type Channel = 'email' | 'sms';
export const ROW_STATES: readonly RowState[] = ['pending', 'sending', 'sent', 'failed', 'unknown', 'skipped'];

export interface OutboxRow {
  id: number;
  thread: string;
  warning: string;
  member: string;
  channel: Channel;
  state: RowState;
  attempt: number;
  reason: string | null;
}

/** A published (or about to be) warning whose recipients are to be recorded. */
export interface WarningIntent {
  id: string;
  thread: string;
  regions: string[];
  /** signed: about to be posted; published: on the server, recipients not recorded yet; queued: recorded */
  state: 'signed' | 'published' | 'queued';
}

export class Outbox {
  private db: Database.Database;

  /** Open (and create) the outbox file. @throws better-sqlite3 errors when the file cannot be opened */
  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 30000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS warnings (
        id TEXT PRIMARY KEY,
        thread TEXT NOT NULL,
        regions TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('signed', 'published', 'queued')),
        seq INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        thread TEXT NOT NULL,
        warning TEXT NOT NULL,
        member TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown', 'skipped')),
        attempt INTEGER NOT NULL DEFAULT 1,
        reason TEXT,
        UNIQUE (thread, member, channel)
      );
      CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, id);
      CREATE INDEX IF NOT EXISTS outbox_warning ON outbox (warning);
    `);
  }

  close(): void {
    this.db.close();
  }

  /** Rows cut off mid-send become `unknown` (called once at start, before anything is sent). */
  recover(): number {
    return this.db.prepare(`UPDATE outbox SET state = 'unknown', reason = 'the console stopped while sending: it may have arrived' WHERE state = 'sending'`).run().changes;
  }

  /** The thread a correction of `supersedes` belongs to (the original's, when this console alerted it). */
  threadOf(supersedes: string): string {
    const r = this.db.prepare('SELECT thread FROM warnings WHERE id = ?').get(supersedes) as { thread: string } | undefined;
    return r?.thread ?? supersedes;
  }

  /** Record a signed warning before it is posted, so a crash after posting still alerts. */
  intend(id: string, thread: string, regions: string[]): void {
    this.db
      .prepare(`INSERT OR IGNORE INTO warnings (id, thread, regions, state, seq) VALUES (?, ?, ?, 'signed', (SELECT coalesce(max(seq), 0) + 1 FROM warnings))`)
      .run(id, thread, JSON.stringify(regions));
  }

  setIntentState(id: string, state: 'published'): void {
    this.db.prepare(`UPDATE warnings SET state = ? WHERE id = ? AND state = 'signed'`).run(state, id);
  }

  dropIntent(id: string): void {
    this.db.prepare(`DELETE FROM warnings WHERE id = ? AND state = 'signed'`).run(id);
  }

  intents(state: 'signed' | 'published'): WarningIntent[] {
    return (this.db.prepare('SELECT id, thread, regions, state FROM warnings WHERE state = ? ORDER BY seq').all(state) as { id: string; thread: string; regions: string; state: WarningIntent['state'] }[]).map(
      (r) => ({ ...r, regions: JSON.parse(r.regions) as string[] }),
    );
  }

  /** Warnings this console recorded, newest first. */
  warnings(): { id: string; thread: string; state: WarningIntent['state'] }[] {
    return this.db.prepare('SELECT id, thread, state FROM warnings ORDER BY seq DESC').all() as never;
  }

  /** Record the recipients of a published warning in one transaction; a (thread, member, channel) already recorded is left as it is. Returns the rows added. */
  enqueue(warning: string, recipients: { member: string; channel: Channel; state?: 'pending' | 'failed'; reason?: string }[]): number {
    const intent = this.db.prepare('SELECT thread FROM warnings WHERE id = ?').get(warning) as { thread: string } | undefined;
    const thread = intent?.thread ?? warning;
    const insert = this.db.prepare('INSERT OR IGNORE INTO outbox (thread, warning, member, channel, state, reason) VALUES (?, ?, ?, ?, ?, ?)');
    return this.db.transaction(() => {
      let added = 0;
      for (const r of recipients) added += insert.run(thread, warning, r.member, r.channel, r.state ?? 'pending', r.reason ?? null).changes;
      this.db.prepare(`UPDATE warnings SET state = 'queued' WHERE id = ?`).run(warning);
      return added;
    })();
  }

  /** The next pending rows, oldest first. */
  pending(limit: number): OutboxRow[] {
    return this.db.prepare(`SELECT * FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?`).all(limit) as OutboxRow[];
  }

  /** pending → sending; false when the row is no longer pending (it is then not sent). */
  claim(id: number): boolean {
    return this.db.prepare(`UPDATE outbox SET state = 'sending', reason = NULL WHERE id = ? AND state = 'pending'`).run(id).changes === 1;
  }

  /** sending → sent | failed | unknown; pending → skipped. */
  finish(id: number, state: 'sent' | 'failed' | 'unknown' | 'skipped', reason?: string): void {
    this.db.prepare(`UPDATE outbox SET state = ?, reason = ? WHERE id = ? AND state IN ('sending', 'pending')`).run(state, reason?.slice(0, 200) ?? null, id);
  }

  /** Failed rows of a warning back to pending with a new attempt number (so a new idempotency key). Returns how many. */
  retryFailed(warning: string): number {
    return this.db.prepare(`UPDATE outbox SET state = 'pending', attempt = attempt + 1, reason = NULL WHERE warning = ? AND state = 'failed'`).run(warning).changes;
  }

  /** One `unknown` row back to pending with the SAME attempt (same idempotency key), after the coordinator checked. */
  resendUnknown(id: number): boolean {
    return this.db.prepare(`UPDATE outbox SET state = 'pending', reason = NULL WHERE id = ? AND state = 'unknown'`).run(id).changes === 1;
  }

  /** A withdrawn warning: its rows not yet sent are not sent. Returns how many. */
  cancelPending(warning: string): number {
    return this.db.prepare(`UPDATE outbox SET state = 'skipped', reason = 'the warning was withdrawn' WHERE warning = ? AND state = 'pending'`).run(warning).changes;
  }

  rows(warning: string): OutboxRow[] {
    return this.db.prepare('SELECT * FROM outbox WHERE warning = ? ORDER BY id').all(warning) as OutboxRow[];
  }

  row(id: number): OutboxRow | undefined {
    return this.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
  }
}
