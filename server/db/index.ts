/**
 * Opening the database: SQLite (better-sqlite3) in the data dir by default, PostgreSQL
 * when a postgres:// URL is configured. The same migrations run on both.
 */
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import * as init from './migrations/2026_11_25_0001_init.js';
import * as abuse from './migrations/2026_12_01_0100_abuse.js';
import * as retention from './migrations/2026_12_01_0200_retention.js';
import * as members from './migrations/2026_12_01_2200_members.js';
import * as stats from './migrations/2026_12_02_0200_stats.js';
import type { Database } from './schema.js';

export type { Database } from './schema.js';
export type Db = Kysely<Database>;
export type DbKind = 'sqlite' | 'postgres';

export interface OpenDatabase {
  db: Db;
  kind: DbKind;
  /** The SQLite file, for tools that need it (undefined on PostgreSQL). */
  file: string | undefined;
  close(): Promise<void>;
  /** Close synchronously where the driver allows it (SQLite), for exit handlers. */
  closeSync(): void;
}

/** Every migration, by name; names sort in the order they run. */
const MIGRATIONS: Record<string, Migration> = {
  '2026_11_25_0001_init': init,
  '2026_12_01_0100_abuse': abuse,
  '2026_12_01_0200_retention': retention,
  '2026_12_01_2200_members': members,
  '2026_12_02_0200_stats': stats,
};

/** Names of every migration this program knows, in order (a restored backup must not be newer). */
export function migrationNames(): string[] {
  return Object.keys(MIGRATIONS).sort();
}

const provider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};

/** The SQLite file inside a data dir. */
export function sqlitePath(dataDir: string): string {
  return join(dataDir, 'tipline.sqlite');
}

/**
 * Open (and create) the database and bring its schema up to date.
 * SQLite gets WAL, synchronous=FULL, secure_delete=ON and foreign_keys=ON; its files
 * are readable by the owner only.
 * @throws Error('database migration failed') when a migration fails
 */
export async function openDatabase(opts: { dataDir: string; databaseUrl?: string | undefined }): Promise<OpenDatabase> {
  let db: Db;
  let kind: DbKind;
  let file: string | undefined;
  let closeSync = (): void => {};
  if (opts.databaseUrl) {
    kind = 'postgres';
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    pgPools.set(db, pool);
  } else {
    kind = 'sqlite';
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    file = sqlitePath(opts.dataDir);
    const fresh = !existsSync(file);
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('secure_delete = ON');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // A database file copied in or restored from a backup may be readable by others.
    if (fresh || (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    closeSync = () => {
      if (sqlite.open) sqlite.close();
    };
    const statements = cachedStatements(sqlite);
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
    syncHandles.set(db, { db, raw: sqlite, prepare: statements.prepare });
  }
  await migrate(db);
  return {
    db,
    kind,
    file,
    close: () => db.destroy(),
    closeSync,
  };
}

/**
 * Synchronous access to a SQLite database opened by {@link openDatabase}, for the one hot
 * path that runs its whole transaction in one go (storing a report, server/README.md
 * "Storing a report"): kysely's SQLite driver runs every query as a promise behind its
 * connection mutex. `prepare` shares the statement cache kysely uses.
 */
export interface SyncSqlite {
  db: Db;
  raw: BetterSqlite3.Database;
  prepare(sql: string): BetterSqlite3.Statement;
}

const syncHandles = new WeakMap<Db, SyncSqlite>();

/** The synchronous handle of a SQLite database from {@link openDatabase}; undefined on PostgreSQL (or a transaction). */
export function syncSqlite(db: Db): SyncSqlite | undefined {
  return syncHandles.get(db);
}

const pgPools = new WeakMap<Db, pg.Pool>();

/**
 * The pool of a PostgreSQL database from {@link openDatabase} (undefined on SQLite or for a
 * transaction), so that queries of fixed shape can run as named prepared statements: parsed
 * and planned once per connection instead of on every call, as kysely's driver does.
 */
export function pgPool(db: unknown): pg.Pool | undefined {
  return pgPools.get(db as Db);
}

interface Queued {
  fn: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const commitQueues = new WeakMap<SyncSqlite, Queued[]>();

/**
 * Run `fn` synchronously inside an IMMEDIATE transaction on `s` and resolve with its result
 * once that transaction is committed (fsynced). Calls made in the same turn of the event
 * loop share ONE transaction and ONE commit (group commit, server/README.md "Storing a
 * report"): each `fn` runs in a savepoint of its own, so a throw undoes that call only and
 * rejects its promise, while the others go on; a failed commit rejects them all. It never
 * runs inside a transaction that kysely holds open on the same connection: when one is open
 * (between its awaits), it waits for kysely's connection mutex first.
 */
export function syncTransaction<T>(s: SyncSqlite, fn: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let queue = commitQueues.get(s);
    if (!queue) commitQueues.set(s, (queue = []));
    queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
    if (queue.length === 1) setImmediate(() => void commitGroup(s));
  });
}

/** Run and commit every call queued on `s` so far, as one transaction (see {@link syncTransaction}). */
async function commitGroup(s: SyncSqlite): Promise<void> {
  const group = commitQueues.get(s)!.splice(0);
  const one = s.raw.transaction((q: Queued) => q.fn());
  const outcomes: { ok: boolean; value: unknown }[] = [];
  const all = s.raw.transaction(() => {
    for (const q of group) {
      try {
        outcomes.push({ ok: true, value: one(q) });
      } catch (error) {
        // SQLite rolls the whole transaction back by itself on some errors (SQLITE_FULL,
        // SQLITE_IOERR, ...): then the earlier calls' work is gone too, and all must fail.
        if (!s.raw.inTransaction) throw error;
        outcomes.push({ ok: false, value: error });
      }
    }
  });
  try {
    if (!s.raw.inTransaction) all.immediate();
    else await s.db.connection().execute(async () => all.immediate());
  } catch (error) {
    for (const q of group) q.reject(error);
    return;
  }
  group.forEach((q, i) => (outcomes[i]!.ok ? q.resolve(outcomes[i]!.value) : q.reject(outcomes[i]!.value)));
}

/**
 * The SQLite database as kysely sees it, with prepared statements kept by SQL text: kysely
 * prepares every query anew, which cost a measurable share of each request. Statements are
 * reused only when idle (an iterating one is busy) and the cache is bounded.
 */
function cachedStatements(sqlite: BetterSqlite3.Database): { close(): void; prepare(sql: string): BetterSqlite3.Statement } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit && !hit.busy) return hit;
      const stmt = sqlite.prepare(text);
      if (!hit) {
        if (cache.size >= 500) cache.clear();
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

/**
 * Run all pending migrations.
 * @throws Error('database migration failed')
 */
export async function migrate(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error('database migration failed', { cause: error });
}
