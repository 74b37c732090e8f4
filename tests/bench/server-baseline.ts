/**
 * The baselines the report-submission bench compares the tipline server against: plain
 * node:http, no framework, prepared statements, in two modes.
 *
 *   same-work: the same logical work as ours, with the same durability: JSON.parse, base64
 *     decode of the report and the mailbox key, SHA-256 of the stamp header, then ONE
 *     transaction: spend the stamp (INSERT ... ON CONFLICT DO NOTHING, refused when it was
 *     spent), insert the mailbox, insert the report. No validation of the age file, no
 *     abuse counters, no keyring.
 *   one-insert: the blob stored with ONE INSERT, autocommit (the old reference).
 *
 *   node --import tsx server-baseline.ts sqlite <file> [same-work|one-insert]   (WAL, synchronous=FULL, secure_delete=ON, like server/db)
 *   node --import tsx server-baseline.ts postgres <url> [same-work|one-insert]  (pg.Pool of 10, named prepared statements)
 *
 * Listens on 127.0.0.1 on a free port and prints `BASELINE_LISTENING http://127.0.0.1:PORT`.
 * SIGTERM closes it. Answers POST /api/reports with 201 {"id"} and anything else with 404.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

const LIMIT = 1 << 20;
const [kind, target, modeArg] = process.argv.slice(2);
const mode = modeArg ?? 'one-insert';
if ((kind !== 'sqlite' && kind !== 'postgres') || !target || (mode !== 'same-work' && mode !== 'one-insert')) {
  process.stderr.write('usage: server-baseline.ts sqlite <file> | postgres <url> [same-work|one-insert]\n');
  process.exit(2);
}

interface Work {
  id: string;
  blob: Buffer;
  stamp: Buffer;
  mailbox: { id: string; publicKey: Buffer } | undefined;
}
const DAY = '2026-12-02';
const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS spent_stamps (hash BLOB PRIMARY KEY, expires_day TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS mailboxes (id TEXT PRIMARY KEY, public_key BLOB NOT NULL, created_day TEXT NOT NULL, expires_day TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS reports (id TEXT PRIMARY KEY, ciphertext BLOB NOT NULL, received_day TEXT, mailbox_id TEXT REFERENCES mailboxes(id))',
];

/** Resolves false when the stamp was spent already. */
let store: (w: Work) => boolean | Promise<boolean>;
let close: () => Promise<void>;
if (kind === 'sqlite') {
  const db = new BetterSqlite3(target);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  if (mode === 'one-insert') {
    db.exec('CREATE TABLE IF NOT EXISTS reports (id TEXT PRIMARY KEY, ciphertext BLOB NOT NULL)');
    const stmt = db.prepare('INSERT INTO reports (id, ciphertext) VALUES (?, ?)');
    store = (w) => {
      stmt.run(w.id, w.blob);
      return true;
    };
  } else {
    for (const q of SCHEMA) db.exec(q);
    const spend = db.prepare('INSERT INTO spent_stamps (hash, expires_day) VALUES (?, ?) ON CONFLICT DO NOTHING');
    const mailbox = db.prepare('INSERT INTO mailboxes (id, public_key, created_day, expires_day) VALUES (?, ?, ?, ?)');
    const report = db.prepare('INSERT INTO reports (id, ciphertext, received_day, mailbox_id) VALUES (?, ?, ?, ?)');
    const tx = db.transaction((w: Work) => {
      if (spend.run(w.stamp, DAY).changes !== 1) return false;
      if (w.mailbox) mailbox.run(w.mailbox.id, w.mailbox.publicKey, DAY, DAY);
      report.run(w.id, w.blob, DAY, w.mailbox?.id ?? null);
      return true;
    });
    store = (w) => tx(w);
  }
  close = async () => {
    db.close();
  };
} else {
  const pool = new pg.Pool({ connectionString: target, max: 10 });
  pool.on('error', () => {});
  if (mode === 'one-insert') {
    await pool.query('CREATE TABLE IF NOT EXISTS reports (id text PRIMARY KEY, ciphertext bytea NOT NULL)');
    store = async (w) => {
      await pool.query({ name: 'insert-report', text: 'INSERT INTO reports (id, ciphertext) VALUES ($1, $2)', values: [w.id, w.blob] });
      return true;
    };
  } else {
    for (const q of SCHEMA) await pool.query(q.replaceAll('BLOB', 'bytea'));
    store = async (w) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const spent = await c.query({ name: 'spend', text: 'INSERT INTO spent_stamps (hash, expires_day) VALUES ($1, $2) ON CONFLICT DO NOTHING', values: [w.stamp, DAY] });
        if (spent.rowCount !== 1) {
          await c.query('ROLLBACK');
          return false;
        }
        if (w.mailbox) {
          await c.query({ name: 'mailbox', text: 'INSERT INTO mailboxes (id, public_key, created_day, expires_day) VALUES ($1, $2, $3, $4)', values: [w.mailbox.id, w.mailbox.publicKey, DAY, DAY] });
        }
        await c.query({ name: 'report', text: 'INSERT INTO reports (id, ciphertext, received_day, mailbox_id) VALUES ($1, $2, $3, $4)', values: [w.id, w.blob, DAY, w.mailbox?.id ?? null] });
        await c.query('COMMIT');
        return true;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    };
  }
  close = () => pool.end();
}

function answer(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/reports') {
    req.resume();
    answer(res, 404, '{"error":"not found"}');
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > LIMIT) req.destroy();
    else chunks.push(c);
  });
  req.on('end', () => {
    void (async () => {
      let work: Work;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { report?: unknown; mailbox?: { id?: unknown; publicKey?: unknown } };
        if (typeof body.report !== 'string') throw new Error('no report');
        const m = body.mailbox;
        if (m !== undefined && (typeof m.id !== 'string' || typeof m.publicKey !== 'string')) throw new Error('bad mailbox');
        work = {
          id: randomBytes(16).toString('base64url'),
          blob: Buffer.from(body.report, 'base64'),
          stamp: createHash('sha256').update(String(req.headers['tipline-pow'] ?? '')).digest(),
          mailbox: m ? { id: m.id as string, publicKey: Buffer.from(m.publicKey as string, 'base64') } : undefined,
        };
      } catch {
        answer(res, 400, '{"error":"invalid body"}');
        return;
      }
      try {
        if (!(await store(work))) {
          answer(res, 403, '{"error":"proof of work already used"}');
          return;
        }
      } catch {
        answer(res, 500, '{"error":"internal error"}');
        return;
      }
      answer(res, 201, JSON.stringify({ id: work.id }));
    })();
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`BASELINE_LISTENING http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void close().finally(() => process.exit(0));
});
