/**
 * Backups: a consistent snapshot of the database plus the data dir's files a restore
 * needs, streamed into age encryption to offline backup recipients, and the restore that
 * checks such a file before anything is written (server/README.md "Backups").
 *
 * Plaintext inside the age file (never on disk outside the data dir):
 *
 *   "tipline-backup v1\n"
 *   {"kind":"sqlite"|"postgres","day":"YYYY-MM-DD","migration":NAME,"files":[...]}\n
 *   then per entry: {"name":NAME}\n, frames of uint32 BE length + bytes, a zero-length frame
 *   {"end":true}\n
 *
 * Entry "database" is the SQLite file (backup API) or a pg_dump custom-format archive; the
 * other entries are data dir files (server key, root public key, keyring, profile, config).
 * Integrity is age's: every 64 KiB chunk is authenticated and a cut-off file fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { AgeError, decryptStream, encryptStream, type Identity, type Recipient } from '../crypto/index.js';
import { migrationNames, sqlitePath } from '../server/db/index.js';
import { KEYRING_FILE, PROFILE_FILE, ROOT_PUBLIC_KEY_FILE, SERVER_KEY_FILE } from '../server/org.js';
import { CliError, fromReadableStream, onCleanup, toReadableStream } from './cli-util.js';

const MAGIC = 'tipline-backup v1';
/** Data dir files a restore needs; the server key only when it is a file (not TIPLINE_SERVER_KEY). */
export const BACKUP_FILES = [SERVER_KEY_FILE, ROOT_PUBLIC_KEY_FILE, KEYRING_FILE, PROFILE_FILE, 'config.json'] as const;
const FILE_LIMIT = 4 * 1024 * 1024;
const FRAME = 64 * 1024;

/** Tables every restored database must hold. */
export const EXPECTED_TABLES = [
  'keyrings',
  'profiles',
  'reports',
  'attachments',
  'attachment_chunks',
  'mailboxes',
  'mailbox_messages',
  'case_notes',
  'warnings',
  'members',
  'sessions',
  'statistics',
  'spent_stamps',
  'seen_requests',
  'counters',
  'abuse_counters',
  'kysely_migration',
];

interface Manifest {
  kind: 'sqlite' | 'postgres';
  day: string;
  migration: string;
  files: string[];
}

/** The directory holding pg_dump/pg_restore: TIPLINE_PG_BIN, the newest /usr/lib/postgresql/N/bin, or PATH. */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const dirs: string[] = [];
  if (process.env.TIPLINE_PG_BIN) dirs.push(process.env.TIPLINE_PG_BIN);
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    for (const v of readdirSync(base).filter((x) => /^[0-9]+$/.test(x)).sort((a, b) => Number(b) - Number(a))) dirs.push(join(base, v, 'bin'));
  }
  for (const d of dirs) if (existsSync(join(d, name))) return join(d, name);
  return name;
}

/** libpq environment for a postgres:// URL, so the password never appears in a process list. */
function pgEnv(url: string): NodeJS.ProcessEnv {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CliError('DATABASE_URL is not a valid postgres:// URL');
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('PG')) delete env[k];
  env.PGHOST = decodeURIComponent(u.hostname) || 'localhost';
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  env.PGDATABASE = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres';
  const ssl = u.searchParams.get('sslmode');
  if (ssl) env.PGSSLMODE = ssl;
  return env;
}

function frameHeader(n: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

const line = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v) + '\n', 'utf8');

/** Yield an entry: name line, frames, end frame. */
async function* entry(name: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield line({ name });
  for await (const c of chunks) {
    for (let off = 0; off < c.length; off += FRAME) {
      const part = c.subarray(off, Math.min(c.length, off + FRAME));
      yield frameHeader(part.length);
      yield part;
    }
  }
  yield frameHeader(0);
}

/** A child process's stdout as chunks; rejects when it exits non-zero (stderr's first line in the message). */
async function* childOutput(child: ChildProcess, what: string): AsyncGenerator<Uint8Array> {
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8').slice(0, 2000)));
  const exit = new Promise<number | null>((resolve, reject) => {
    child.once('error', (e) => reject(new CliError(`${what} could not be run (${(e as { code?: string }).code ?? 'error'})`)));
    child.once('close', (code) => resolve(code));
  });
  for await (const c of child.stdout!) yield c as Buffer;
  const code = await exit;
  if (code !== 0) throw new CliError(`${what} failed: ${err.split('\n').find((l) => l.trim()) ?? `exit ${code}`}`);
}

/** The newest applied migration's name. */
async function appliedMigration(kind: 'sqlite' | 'postgres', source: BetterSqlite3.Database | pg.Client): Promise<string> {
  const q = 'SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1';
  try {
    if (kind === 'sqlite') return ((source as BetterSqlite3.Database).prepare(q).get() as { name: string } | undefined)?.name ?? '';
    return ((await (source as pg.Client).query(q)).rows[0] as { name: string } | undefined)?.name ?? '';
  } catch {
    throw new CliError('the database has no tipline schema (was the server ever started on it?)');
  }
}

/**
 * The plaintext backup stream of a running deployment. SQLite: the backup API copies the
 * database into a 0600 temporary file inside the data dir (which already holds that
 * plaintext), opened and unlinked at once, so it is gone from the directory before the
 * first byte is encrypted and vanishes with the process. PostgreSQL: pg_dump's custom
 * format straight from its stdout (one snapshot transaction).
 * @throws CliError when the database cannot be read
 */
export async function snapshot(opts: { dataDir: string; databaseUrl?: string | undefined; serverKey?: string | undefined; day: string }): Promise<AsyncGenerator<Uint8Array>> {
  const files: { name: string; data: Uint8Array }[] = [];
  for (const name of BACKUP_FILES) {
    const p = join(opts.dataDir, name);
    if (name === SERVER_KEY_FILE && opts.serverKey) files.push({ name, data: Buffer.from(opts.serverKey.trim() + '\n') });
    else if (existsSync(p)) files.push({ name, data: readFileSync(p) });
  }
  let db: AsyncIterable<Uint8Array>;
  let manifest: Manifest;
  if (opts.databaseUrl) {
    const client = new pg.Client({ connectionString: opts.databaseUrl });
    try {
      await client.connect();
    } catch (e) {
      throw new CliError(`cannot connect to the database (${(e as { code?: string }).code ?? 'error'})`);
    }
    let migration: string;
    try {
      migration = await appliedMigration('postgres', client);
    } finally {
      await client.end().catch(() => {});
    }
    manifest = { kind: 'postgres', day: opts.day, migration, files: files.map((f) => f.name) };
    const child = spawn(pgTool('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', '--compress=6'], {
      env: pgEnv(opts.databaseUrl),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    db = childOutput(child, 'pg_dump');
  } else {
    const file = sqlitePath(opts.dataDir);
    if (!existsSync(file)) throw new CliError(`no database in ${opts.dataDir} (${file} does not exist)`);
    const sqlite = new BetterSqlite3(file, { fileMustExist: true });
    const temp = join(opts.dataDir, `.backup-${randomBytes(8).toString('hex')}.tmp`);
    const remove = (): void => {
      for (const p of [temp, `${temp}-journal`]) {
        try {
          unlinkSync(p);
        } catch {
          // gone already
        }
      }
    };
    const unregister = onCleanup(remove);
    let fh: FileHandle;
    let migration: string;
    try {
      sqlite.pragma('busy_timeout = 5000');
      migration = await appliedMigration('sqlite', sqlite);
      await writeFile(temp, '', { mode: 0o600, flag: 'wx' });
      // All remaining pages in one step: a single read transaction, so writers meanwhile cannot force a restart.
      await sqlite.backup(temp, { progress: () => 0x7fffffff });
      fh = await open(temp, 'r');
    } catch (e) {
      remove();
      unregister();
      if (e instanceof CliError) throw e;
      throw new CliError(`cannot copy the database (${(e as { code?: string }).code ?? (e as Error).name})`);
    } finally {
      sqlite.close();
    }
    remove();
    unregister();
    manifest = { kind: 'sqlite', day: opts.day, migration, files: files.map((f) => f.name) };
    db = (async function* () {
      try {
        for await (const c of fh.createReadStream({ autoClose: false })) yield c as Buffer;
      } finally {
        await fh.close();
      }
    })();
  }
  return (async function* () {
    yield Buffer.from(MAGIC + '\n');
    yield line(manifest);
    for (const f of files) yield* entry(f.name, [f.data]);
    yield* entry('database', db);
    yield line({ end: true });
  })();
}

/** The stream of a backup file encrypted to `recipients`. */
export function encryptBackup(plain: AsyncIterable<Uint8Array>, recipients: readonly Recipient[]): AsyncGenerator<Uint8Array> {
  return fromReadableStream(toReadableStream(plain).pipeThrough(encryptStream(recipients)));
}

/** Reads lines and exact byte counts from a stream of chunks. */
class Reader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Uint8Array>;
  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }
  private async more(): Promise<boolean> {
    const r = await this.it.next();
    if (r.done) return false;
    this.buf = this.buf.length ? Buffer.concat([this.buf, r.value]) : Buffer.from(r.value);
    return true;
  }
  async line(max = 64 * 1024): Promise<string> {
    for (;;) {
      const i = this.buf.indexOf(10);
      if (i >= 0) {
        const s = this.buf.subarray(0, i).toString('utf8');
        this.buf = this.buf.subarray(i + 1);
        return s;
      }
      if (this.buf.length > max || !(await this.more())) throw new CliError('not a tipline backup (malformed contents)');
    }
  }
  async exact(n: number): Promise<Buffer> {
    while (this.buf.length < n) if (!(await this.more())) throw new CliError('not a tipline backup (cut off)');
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
  async atEnd(): Promise<boolean> {
    return this.buf.length === 0 && !(await this.more());
  }
}

function parseJsonLine(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // below
  }
  throw new CliError('not a tipline backup (malformed contents)');
}

/**
 * Decrypt and walk a backup: the manifest, then each entry handed to `onEntry` as frames.
 * @throws CliError for a wrong identity, a tampered, cut-off or malformed file
 */
export async function readBackup(
  encrypted: AsyncIterable<Uint8Array>,
  identities: readonly Identity[],
  onEntry: (name: string, frames: AsyncIterable<Buffer>) => Promise<void>,
  onManifest: (m: Manifest) => void = () => {},
): Promise<Manifest> {
  const plain = fromReadableStream(toReadableStream(encrypted).pipeThrough(decryptStream(identities)));
  const r = new Reader(plain);
  try {
    if ((await r.line(64)) !== MAGIC) throw new CliError('not a tipline backup');
    const m = parseJsonLine(await r.line());
    if ((m.kind !== 'sqlite' && m.kind !== 'postgres') || typeof m.migration !== 'string' || !Array.isArray(m.files)) {
      throw new CliError('not a tipline backup (malformed contents)');
    }
    const manifest = m as unknown as Manifest;
    onManifest(manifest);
    const seen = new Set<string>();
    for (;;) {
      const h = parseJsonLine(await r.line());
      if (h.end === true) break;
      const name = h.name;
      if (typeof name !== 'string' || seen.has(name) || !(name === 'database' || (BACKUP_FILES as readonly string[]).includes(name))) {
        throw new CliError('not a tipline backup (unknown entry)');
      }
      seen.add(name);
      const frames = (async function* () {
        for (;;) {
          const n = (await r.exact(4)).readUInt32BE(0);
          if (n === 0) return;
          if (n > FRAME) throw new CliError('not a tipline backup (malformed contents)');
          yield Buffer.from(await r.exact(n));
        }
      })();
      await onEntry(name, frames);
      // Whatever the handler left unread is consumed, so the next header lines up.
      for await (const _ of frames) void _;
    }
    if (!seen.has('database')) throw new CliError('not a tipline backup (no database)');
    if (!(await r.atEnd())) throw new CliError('not a tipline backup (data after the end)');
    return manifest;
  } catch (e) {
    if (e instanceof AgeError) {
      if (e.kind === 'no-match') throw new CliError('the identity does not open this backup (it was encrypted to other recipients)');
      throw new CliError(`the backup file is damaged or was tampered with (${e.message})`);
    }
    throw e;
  }
}

/** True when the directory does not exist or is empty. */
export function isEmptyDir(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!statSync(dir).isDirectory()) throw new CliError(`${dir} is not a directory`);
  return readdirSync(dir).length === 0;
}

/**
 * Check a restored SQLite file: integrity, the expected tables, a migration this program knows.
 * @throws CliError naming what is wrong
 */
export function checkSqlite(file: string, manifest: Manifest): void {
  let db: BetterSqlite3.Database;
  try {
    // The copy says WAL in its header; as a single file it needs no journal (the server sets WAL again).
    const rw = new BetterSqlite3(file, { fileMustExist: true });
    try {
      rw.pragma('journal_mode = DELETE');
    } finally {
      rw.close();
    }
    db = new BetterSqlite3(file, { fileMustExist: true, readonly: true });
  } catch {
    throw new CliError('the backup\'s database cannot be opened');
  }
  try {
    let ok: unknown;
    try {
      ok = db.pragma('integrity_check', { simple: true });
    } catch {
      throw new CliError('the backup\'s database is not a SQLite database');
    }
    if (ok !== 'ok') throw new CliError('the backup\'s database fails its integrity check');
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
    checkSchema(tables, (db.prepare('SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1').get() as { name: string } | undefined)?.name, manifest);
  } finally {
    db.close();
  }
}

function checkSchema(tables: Set<string>, migration: string | undefined, manifest: Manifest): void {
  const missing = EXPECTED_TABLES.filter((t) => !tables.has(t));
  if (missing.length) throw new CliError(`the backup's database lacks tables: ${missing.join(', ')}`);
  if (!migration || migration !== manifest.migration) throw new CliError('the backup\'s database does not match its manifest');
  const known = migrationNames();
  if (!known.includes(migration)) {
    throw new CliError(`the backup comes from a newer tipline (migration ${migration}): restore it with that version`);
  }
}

/**
 * Restore a backup into an empty (or absent) data directory and, for a PostgreSQL backup,
 * an empty database. The file is decrypted and checked completely before anything is
 * written (SQLite: into a 0600 temporary file in the new data dir, checked, then renamed;
 * PostgreSQL: a first pass lists the archive with pg_restore, a second restores it in one
 * transaction).
 * @throws CliError for a non-empty target, a wrong identity, a damaged or foreign file
 */
export async function restore(opts: {
  open: () => Promise<AsyncIterable<Uint8Array>>;
  identities: readonly Identity[];
  dataDir: string;
  databaseUrl?: string | undefined;
}): Promise<Manifest> {
  if (!isEmptyDir(opts.dataDir)) throw new CliError(`data directory ${opts.dataDir} is not empty: restore only into a new or empty one`);
  if (opts.databaseUrl) await checkEmptyPostgres(opts.databaseUrl);
  const made = !existsSync(opts.dataDir);
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const temp = join(opts.dataDir, `.restore-${randomBytes(8).toString('hex')}.tmp`);
  const removeTemp = (): void => {
    try {
      unlinkSync(temp);
    } catch {
      // gone
    }
  };
  const unregister = onCleanup(removeTemp);
  const files = new Map<string, Buffer>();
  let renamed = false;
  try {
    let pgList = '';
    const manifest = await readBackup(await opts.open(), opts.identities, async (name, frames) => {
      if (name !== 'database') {
        const parts: Buffer[] = [];
        let n = 0;
        for await (const f of frames) {
          n += f.length;
          if (n > FILE_LIMIT) throw new CliError('not a tipline backup (file too large)');
          parts.push(f);
        }
        files.set(name, Buffer.concat(parts));
        return;
      }
      if (opts.databaseUrl) {
        pgList = await pgRestoreList(frames);
        return;
      }
      const fh = await open(temp, 'wx', 0o600);
      try {
        for await (const f of frames) await fh.write(f);
        await fh.datasync();
      } finally {
        await fh.close();
      }
    }, (m) => {
      if (m.kind === 'postgres' && !opts.databaseUrl) throw new CliError('this backup holds a PostgreSQL database: set DATABASE_URL to an empty database to restore it');
      if (m.kind === 'sqlite' && opts.databaseUrl) throw new CliError('this backup holds a SQLite database: unset DATABASE_URL to restore it into a data directory');
    });
    if (manifest.kind === 'sqlite') {
      checkSqlite(temp, manifest);
      renameSync(temp, sqlitePath(opts.dataDir));
      renamed = true;
    } else {
      const tables = new Set([...pgList.matchAll(/ TABLE DATA public (\w+) /g)].map((m) => m[1]!));
      const missing = EXPECTED_TABLES.filter((t) => !tables.has(t));
      if (missing.length) throw new CliError(`the backup's database lacks tables: ${missing.join(', ')}`);
      if (!migrationNames().includes(manifest.migration)) {
        throw new CliError(`the backup comes from a newer tipline (migration ${manifest.migration}): restore it with that version`);
      }
      // Second pass: the archive is known good; one transaction, so a failure leaves the database empty.
      await readBackup(await opts.open(), opts.identities, async (name, frames) => {
        if (name === 'database') await pgRestoreInto(opts.databaseUrl!, frames);
      });
      await checkPostgresAfter(opts.databaseUrl!, manifest);
    }
    for (const [name, data] of files) await writeFile(join(opts.dataDir, name), data, { mode: 0o600, flag: 'wx' });
    return manifest;
  } catch (e) {
    removeTemp();
    for (const name of files.keys()) {
      try {
        unlinkSync(join(opts.dataDir, name));
      } catch {
        // not written
      }
    }
    if (renamed) {
      // Renamed just before a later step failed: the directory was empty before.
      try {
        unlinkSync(sqlitePath(opts.dataDir));
      } catch {
        // gone
      }
    }
    if (made) {
      try {
        rmdirSync(opts.dataDir);
      } catch {
        // not empty: leave it
      }
    }
    throw e;
  } finally {
    unregister();
  }
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new CliError(`cannot connect to the database (${(e as { code?: string }).code ?? 'error'})`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkEmptyPostgres(url: string): Promise<void> {
  const n = await withClient(url, async (c) =>
    Number((await c.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")).rows[0].n),
  );
  if (n > 0) throw new CliError('the database in DATABASE_URL is not empty: restore only into a new, empty database');
}

async function checkPostgresAfter(url: string, manifest: Manifest): Promise<void> {
  await withClient(url, async (c) => {
    const tables = new Set(
      ((await c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).rows as { table_name: string }[]).map((r) => r.table_name),
    );
    checkSchema(tables, await appliedMigration('postgres', c), manifest);
  });
}

/** Feed frames to a child's stdin; resolves with its stdout once it exits 0. */
async function pipeInto(bin: string, args: string[], env: NodeJS.ProcessEnv, frames: AsyncIterable<Buffer>, what: string): Promise<string> {
  const child = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8').slice(0, 4000)));
  const exit = new Promise<number | null>((resolve, reject) => {
    child.once('error', (e) => reject(new CliError(`${what} could not be run (${(e as { code?: string }).code ?? 'error'})`)));
    child.once('close', (code) => resolve(code));
  });
  child.stdin!.on('error', () => {});
  let closed = false;
  child.once('close', () => (closed = true));
  try {
    for await (const f of frames) {
      // A reader that stops early (pg_restore --list reads only the table of contents) ends
      // the writing; the caller still reads the rest, so age checks the whole file.
      if (closed || child.stdin!.destroyed) continue;
      if (!child.stdin!.write(f)) {
        await new Promise<void>((r) => {
          child.stdin!.once('drain', r);
          child.stdin!.once('close', r);
          child.once('close', r);
        });
      }
    }
  } catch (e) {
    child.kill('SIGTERM');
    await exit.catch(() => {});
    throw e;
  }
  child.stdin!.end();
  const code = await exit;
  if (code !== 0) throw new CliError(`${what} failed: ${err.split('\n').find((l) => l.trim()) ?? `exit ${code}`}`);
  return out;
}

async function pgRestoreList(frames: AsyncIterable<Buffer>): Promise<string> {
  return pipeInto(pgTool('pg_restore'), ['--list'], process.env, frames, 'pg_restore (checking the archive)');
}

async function pgRestoreInto(url: string, frames: AsyncIterable<Buffer>): Promise<void> {
  await pipeInto(
    pgTool('pg_restore'),
    ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', '--dbname', pgEnv(url).PGDATABASE!],
    pgEnv(url),
    frames,
    'pg_restore',
  );
}

/** A new backup file name in `dir` for `day`: tipline-backup-DAY.age, then -2, -3, ... */
export function backupFileName(dir: string, day: string): string {
  for (let i = 1; ; i++) {
    const name = `tipline-backup-${day}${i === 1 ? '' : `-${i}`}.age`;
    if (!existsSync(join(dir, name)) && !readdirSync(dir).some((n) => n.startsWith(`.${name}.`))) return join(dir, name);
  }
}

