/**
 * The baseline the report-submission bench compares the tipline server against: plain
 * node:http that reads the JSON body, decodes the base64 `report` and stores the blob with
 * ONE prepared INSERT, nothing else (no validation of the age file, no proof of work, no
 * mailbox, no transaction around several statements).
 *
 *   node --import tsx server-baseline.ts sqlite <file>   (WAL, synchronous=FULL, secure_delete=ON, like server/db)
 *   node --import tsx server-baseline.ts postgres <url>  (pg.Pool of 10, a named prepared statement)
 *
 * Listens on 127.0.0.1 on a free port and prints `BASELINE_LISTENING http://127.0.0.1:PORT`.
 * SIGTERM closes it. Answers POST /api/reports with 201 {"id"} and anything else with 404.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

const LIMIT = 1 << 20;
const [kind, target] = process.argv.slice(2);
if ((kind !== 'sqlite' && kind !== 'postgres') || !target) {
  process.stderr.write('usage: server-baseline.ts sqlite <file> | postgres <url>\n');
  process.exit(2);
}

let insert: (id: string, blob: Buffer) => void | Promise<unknown>;
let close: () => Promise<void>;
if (kind === 'sqlite') {
  const db = new BetterSqlite3(target);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.exec('CREATE TABLE IF NOT EXISTS reports (id TEXT PRIMARY KEY, ciphertext BLOB NOT NULL)');
  const stmt = db.prepare('INSERT INTO reports (id, ciphertext) VALUES (?, ?)');
  insert = (id, blob) => {
    stmt.run(id, blob);
  };
  close = async () => {
    db.close();
  };
} else {
  const pool = new pg.Pool({ connectionString: target, max: 10 });
  pool.on('error', () => {});
  await pool.query('CREATE TABLE IF NOT EXISTS reports (id text PRIMARY KEY, ciphertext bytea NOT NULL)');
  insert = (id, blob) => pool.query({ name: 'insert-report', text: 'INSERT INTO reports (id, ciphertext) VALUES ($1, $2)', values: [id, blob] });
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
      let blob: Buffer;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { report?: unknown };
        if (typeof body.report !== 'string') throw new Error('no report');
        blob = Buffer.from(body.report, 'base64');
      } catch {
        answer(res, 400, '{"error":"invalid body"}');
        return;
      }
      const id = randomBytes(16).toString('base64url');
      try {
        await insert(id, blob);
      } catch {
        answer(res, 500, '{"error":"internal error"}');
        return;
      }
      answer(res, 201, JSON.stringify({ id }));
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
