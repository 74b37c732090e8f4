/**
 * The baselines the report-submission bench compares the tipline server against: plain
 * node:http, no framework, prepared statements, in two modes.
 *
 *   same-work: the same logical work as ours, with the same durability: JSON.parse, base64
 *     decode of the report and the mailbox key, SHA-256 of the stamp header, then ONE
 *     transaction: spend the stamp (INSERT ... ON CONFLICT DO NOTHING, refused when it was
 *     spent), insert the mailbox, insert the report. No validation of the age file, no
 *     abuse counters, no keyring.
 *   grouped: same-work, but with group commit as ours does it (server/README.md "Storing a
 *     report"): on SQLite the submissions of one event-loop turn in one transaction, each in a
 *     savepoint; on PostgreSQL up to two groups at a time, each one transaction of three
 *     multi-row INSERTs (stamps, mailboxes, reports). A reference for what grouping alone buys.
 *   one-insert: the blob stored with ONE INSERT, autocommit (the old reference).
 *
 *   node --import tsx server-baseline.ts sqlite <file> [same-work|grouped|one-insert]   (WAL, synchronous=FULL, secure_delete=ON, like server/db)
 *   node --import tsx server-baseline.ts postgres <url> [same-work|grouped|one-insert]  (pg.Pool of 10, named prepared statements)
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
if ((kind !== 'sqlite' && kind !== 'postgres') || !target || (mode !== 'same-work' && mode !== 'grouped' && mode !== 'one-insert')) {
  process.stderr.write('usage: server-baseline.ts sqlite <file> | postgres <url> [same-work|grouped|one-insert]\n');
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
    if (mode === 'same-work') store = (w) => tx(w);
    else {
      // Called inside `all`, tx runs in a savepoint: one submission's error undoes only its own.
      const all = db.transaction((ws: Work[]) =>
        ws.map((w) => {
          try {
            return tx(w);
          } catch (e) {
            return e;
          }
        }),
      );
      store = grouped(async (ws) => all.immediate(ws), 1);
    }
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
  } else if (mode === 'grouped') {
    for (const q of SCHEMA) await pool.query(q.replaceAll('BLOB', 'bytea'));
    const rows = (n: number, width: number, from = 0) => Array.from({ length: n }, (_, i) => `(${Array.from({ length: width }, (_, k) => `$${from + i * width + k + 1}`).join(', ')})`).join(', ');
    store = grouped(
      async (ws) => {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const spent = await c.query<{ hash: Buffer }>({
            name: `spend-${ws.length}`,
            text: `INSERT INTO spent_stamps (hash, expires_day) VALUES ${rows(ws.length, 2)} ON CONFLICT DO NOTHING RETURNING hash`,
            values: ws.flatMap((w) => [w.stamp, DAY]),
          });
          const fresh = new Set(spent.rows.map((r) => r.hash.toString('base64')));
          const ok = ws.filter((w) => fresh.has(w.stamp.toString('base64')));
          const withMailbox = ok.filter((w) => w.mailbox);
          if (withMailbox.length > 0) {
            await c.query({
              name: `mailbox-${withMailbox.length}`,
              text: `INSERT INTO mailboxes (id, public_key, created_day, expires_day) VALUES ${rows(withMailbox.length, 4)}`,
              values: withMailbox.flatMap((w) => [w.mailbox!.id, w.mailbox!.publicKey, DAY, DAY]),
            });
          }
          if (ok.length > 0) {
            await c.query({
              name: `report-${ok.length}`,
              text: `INSERT INTO reports (id, ciphertext, received_day, mailbox_id) VALUES ${rows(ok.length, 4)}`,
              values: ok.flatMap((w) => [w.id, w.blob, DAY, w.mailbox?.id ?? null]),
            });
          }
          await c.query('COMMIT');
          return ws.map((w) => fresh.has(w.stamp.toString('base64')));
        } catch (e) {
          await c.query('ROLLBACK').catch(() => {});
          throw e;
        } finally {
          c.release();
        }
      },
      2,
    );
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

/**
 * Group commit: submissions wait in a queue, and up to `atOnce` loops each take all that
 * wait as one group, from the next turn of the event loop.
 * A group's error fails its members; an Error as a member's result fails that member.
 */
function grouped(run: (ws: Work[]) => Promise<unknown[]>, atOnce: number): (w: Work) => Promise<boolean> {
  const waiting: { w: Work; resolve(ok: boolean): void; reject(e: unknown): void }[] = [];
  let busy = 0;
  const drain = async () => {
    while (waiting.length > 0) {
      const group = waiting.splice(0, 32);
      try {
        const results = await run(group.map((g) => g.w));
        group.forEach((g, i) => (results[i] instanceof Error ? g.reject(results[i]) : g.resolve(results[i] === true)));
      } catch (e) {
        for (const g of group) g.reject(e);
      }
    }
    busy--;
  };
  return (w) =>
    new Promise<boolean>((resolve, reject) => {
      waiting.push({ w, resolve, reject });
      if (busy < atOnce) {
        busy++;
        setImmediate(() => void drain());
      }
    });
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
