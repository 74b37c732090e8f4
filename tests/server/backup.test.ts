/**
 * `tipline backup` / `tipline restore` against a real running `tipline serve` (SQLite and
 * PostgreSQL): a backup taken under load holds every report acknowledged before it started,
 * byte for byte; a damaged file or a non-empty target is refused and nothing is written.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  X25519Identity,
  bytes,
  decodeReport,
  decrypt,
  encodeReport,
  encrypt,
  keyringRecipients,
  primitives,
  signRequest,
  solvePow,
  verifyKeyring,
  type HybridRecipient,
} from '../../crypto/index.js';
import { REPO, startTiplineServer, type SpawnedServer } from '../helpers/server.js';
import { PG_SKIP_MESSAGE, startPostgres, type PgCluster } from '../helpers/postgres.js';

const run = promisify(execFile);

/** Run `node bin/tipline.js ARGS`; never throws on a non-zero exit. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/tipline.js'), ...args], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: '', TIPLINE_SERVER_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Sent {
  id: string;
  ciphertext: string;
  mailbox: { id: string; seed: Uint8Array };
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<any> {
  const r = await fetch(url, { headers });
  expect(r.status).toBe(200);
  return r.json();
}

/** Submit one report the browser's way (keyring, PoW, age file, mailbox); resolves when acknowledged. */
async function submit(s: SpawnedServer, recipients: HybridRecipient[], n: number): Promise<Sent> {
  const c = (await getJson(`${s.url}/api/pow`)) as { challenge: string; difficulty: number };
  const file = await encrypt(
    recipients,
    encodeReport({ schemaVersion: 1, incidentTypes: ['other'], incidentOther: `load ${n}`, account: `report number ${n}`, consent: { publishWarning: 'no' } }),
  );
  const seed = primitives().randomBytes(32);
  const mailboxId = Buffer.from(primitives().randomBytes(32)).toString('base64url');
  const ciphertext = bytes.base64Padded(file);
  const r = await fetch(`${s.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tipline-pow': await solvePow(c.challenge, c.difficulty) },
    body: JSON.stringify({ report: ciphertext, mailbox: { id: mailboxId, publicKey: bytes.base64Padded(primitives().ed25519PublicKey(seed)) } }),
  });
  if (r.status !== 201) throw new Error(`submission refused: ${r.status} ${await r.text()}`);
  const { id } = (await r.json()) as { id: string };
  return { id, ciphertext, mailbox: { id: mailboxId, seed } };
}

function signedHeaders(scope: 'coordinator' | 'mailbox', seed: Uint8Array, path: string): Record<string, string> {
  return signRequest(scope, { method: 'GET', path, body: new Uint8Array(0), timestamp: Math.floor(Date.now() / 1000) }, seed);
}

interface Target {
  name: 'sqlite' | 'postgres';
  /** Environment of the original server and of `tipline backup`. */
  env(): Promise<Record<string, string>>;
  /** DATABASE_URL for a restore (empty for SQLite). */
  freshDatabase(): Promise<string>;
}

let cluster: PgCluster | undefined;
const work = mkdtempSync(join(tmpdir(), 'tipline-backup-test-'));
let identityFile = '';
let recipient = '';

beforeAll(async () => {
  identityFile = join(work, 'backup-identity.txt');
  const id = X25519Identity.generate();
  writeFileSync(identityFile, `${id.toString()}\n`, { mode: 0o600 });
  recipient = id.recipient().toString();
  cluster = await startPostgres();
  if (!cluster) console.warn(PG_SKIP_MESSAGE);
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(work, { recursive: true, force: true });
});

const targets: Target[] = [
  { name: 'sqlite', env: async () => ({}), freshDatabase: async () => '' },
  {
    name: 'postgres',
    env: async () => ({ DATABASE_URL: await cluster!.createDatabase() }),
    freshDatabase: () => cluster!.createDatabase(),
  },
];

describe.each(targets)('backup and restore on $name', (t) => {
  const skip = () => t.name === 'postgres' && !cluster;

  it('a backup under load holds every report acknowledged before it started; the restored server serves them', async (ctx) => {
    if (skip()) return ctx.skip(PG_SKIP_MESSAGE);
    const env = await t.env();
    const s = await startTiplineServer({ env });
    const outDir = join(work, `out-${t.name}`);
    mkdirSync(outDir);
    let restored: SpawnedServer | undefined;
    try {
      const keyring = verifyKeyring(JSON.stringify(await getJson(`${s.url}/api/keyring`)), s.org!.rootPublicKey);
      const recipients = keyringRecipients(keyring);
      const acked: Sent[] = [];
      for (let i = 0; i < 5; i++) acked.push(await submit(s, recipients, i));
      // Load: four clients keep submitting while the backup runs.
      let stop = false;
      let n = 100;
      let during = 0;
      let dropped = 0;
      const loops = Array.from({ length: 4 }, async () => {
        while (!stop) {
          try {
            acked.push(await submit(s, recipients, n++));
            during++;
          } catch (e) {
            // A connection the busy machine reset is not an acknowledged report; a refusal is a failure.
            if (!(e instanceof TypeError)) throw e;
            dropped++;
          }
        }
      });
      await new Promise((r) => setTimeout(r, 300));
      const before = [...acked];
      const b = await cli(['backup', '--out', outDir, '--recipient', recipient], { TIPLINE_DATA_DIR: s.dataDir, ...env });
      stop = true;
      await Promise.all(loops);
      expect(b.stderr).toBe('');
      expect(b.code).toBe(0);
      expect(during).toBeGreaterThan(dropped);
      expect(s.output()).not.toMatch(/internal error/);
      const day = new Date().toISOString().slice(0, 10);
      expect(readdirSync(outDir)).toEqual([`tipline-backup-${day}.age`]);
      const file = join(outDir, `tipline-backup-${day}.age`);
      expect(b.stdout.trim()).toBe(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // Nothing readable: an age file, and no report ciphertext or key in it as such.
      const raw = readFileSync(file);
      expect(raw.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
      expect(raw.includes(Buffer.from(before[0]!.id))).toBe(false);
      expect(raw.includes(Buffer.from(readFileSync(join(s.dataDir, 'server-key'), 'utf8').trim()))).toBe(false);
      // No plaintext copy left in the data dir.
      expect(readdirSync(s.dataDir).filter((f) => f.startsWith('.backup-'))).toEqual([]);
      // The real age CLI opens it too (independent implementation).
      await run('age', ['-d', '-i', identityFile, '-o', join(work, `plain-${t.name}`), file]);
      expect(readFileSync(join(work, `plain-${t.name}`)).subarray(0, 17).toString()).toBe('tipline-backup v1');

      // A second backup the same day gets -2.
      const b2 = await cli(['backup', '--out', outDir, '-r', recipient], { TIPLINE_DATA_DIR: s.dataDir, ...env });
      expect(b2.code).toBe(0);
      expect(b2.stdout.trim()).toBe(join(outDir, `tipline-backup-${day}-2.age`));
      await s.stop({ keepDataDir: true });

      // Restore into a fresh data dir (and database) and start a server on it.
      const dir = join(work, `restored-${t.name}`);
      const url = await t.freshDatabase();
      const r = await cli(['restore', file, '--identity', identityFile, '--data-dir', dir], { DATABASE_URL: url });
      expect(r.stderr).toBe('');
      expect(r.code, r.stdout).toBe(0);
      expect(readdirSync(dir).sort()).toEqual([...(t.name === 'sqlite' ? ['tipline.sqlite'] : []), 'config.json', 'keyring.json', 'root-public-key', 'server-key'].sort());
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(readFileSync(join(dir, 'server-key'), 'utf8')).toBe(readFileSync(join(s.dataDir, 'server-key'), 'utf8'));
      expect(existsSync(join(dir, 'tipline.sqlite'))).toBe(t.name === 'sqlite');
      restored = await startTiplineServer({ dataDir: dir, org: 'existing', env: { DATABASE_URL: url } });
      const seed = s.org!.coordinators[0]!.signingSeed;
      for (const sent of before) {
        const path = `/api/coordinator/reports/${sent.id}`;
        const one = (await getJson(`${restored.url}${path}`, signedHeaders('coordinator', seed, path))) as { report: string };
        expect(one.report).toBe(sent.ciphertext);
        const report = decodeReport(await decrypt([s.org!.coordinators[0]!.identity], bytes.fromBase64Padded(one.report)));
        expect(report.account).toMatch(/^report number \d+$/);
        const mpath = `/api/mailboxes/${sent.mailbox.id}`;
        const box = (await getJson(`${restored.url}${mpath}`, signedHeaders('mailbox', sent.mailbox.seed, mpath))) as { messages: unknown[] };
        expect(box.messages).toEqual([]);
      }
      // The restored server takes new reports.
      await submit(restored, recipients, 999);
    } finally {
      await restored?.stop();
      rmSync(s.dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('a damaged, cut-off or foreign backup is refused with a clear error and nothing is written', async (ctx) => {
    if (skip()) return ctx.skip(PG_SKIP_MESSAGE);
    const env = await t.env();
    const s = await startTiplineServer({ env });
    const outDir = join(work, `bad-${t.name}`);
    mkdirSync(outDir);
    try {
      const b = await cli(['backup', '--out', outDir, '--recipient', recipient], { TIPLINE_DATA_DIR: s.dataDir, ...env });
      expect(b.code).toBe(0);
      const good = readFileSync(b.stdout.trim());
      const flipped = Buffer.from(good);
      flipped[Math.floor(flipped.length * 0.6)]! ^= 0x01;
      const cases: [string, Buffer, RegExp][] = [
        ['flipped', flipped, /damaged or was tampered with/],
        ['cut', good.subarray(0, good.length - 20), /damaged or was tampered with/],
        ['garbage', Buffer.from('not an age file at all\n'), /tipline: /],
      ];
      for (const [name, data, message] of cases) {
        const f = join(outDir, `${name}.age`);
        writeFileSync(f, data);
        const dir = join(work, `never-${t.name}-${name}`);
        const url = await t.freshDatabase();
        const r = await cli(['restore', f, '--identity', identityFile, '--data-dir', dir], { DATABASE_URL: url });
        expect(r.code, name).toBe(1);
        expect(r.stderr, name).toMatch(message);
        expect(r.stderr, name).not.toMatch(/\n.+\n/); // one line, no stack trace
        expect(existsSync(dir), name).toBe(false);
        if (url) {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          const n = (await c.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0].n;
          await c.end();
          expect(Number(n), name).toBe(0);
        }
      }
      // Another identity does not open it.
      const other = join(work, `other-${t.name}.txt`);
      writeFileSync(other, `${X25519Identity.generate().toString()}\n`, { mode: 0o600 });
      const wrong = await cli(['restore', b.stdout.trim(), '--identity', other, '--data-dir', join(work, `never-${t.name}-id`)], { DATABASE_URL: await t.freshDatabase() });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/identity does not open this backup/);
      expect(existsSync(join(work, `never-${t.name}-id`))).toBe(false);

      // A non-empty data dir is refused and left as it was.
      const busy = join(work, `busy-${t.name}`);
      mkdirSync(busy);
      writeFileSync(join(busy, 'keep'), 'x');
      const r1 = await cli(['restore', b.stdout.trim(), '--identity', identityFile, '--data-dir', busy], { DATABASE_URL: await t.freshDatabase() });
      expect(r1.code).toBe(1);
      expect(r1.stderr).toMatch(/is not empty: restore only into a new or empty one/);
      expect(readdirSync(busy)).toEqual(['keep']);
      if (t.name === 'postgres') {
        // The server's own (non-empty) database is refused.
        const r2 = await cli(['restore', b.stdout.trim(), '--identity', identityFile, '--data-dir', join(work, 'pg-nonempty')], env);
        expect(r2.code).toBe(1);
        expect(r2.stderr).toMatch(/DATABASE_URL is not empty/);
        expect(existsSync(join(work, 'pg-nonempty'))).toBe(false);
      } else {
        // A SQLite backup is not restored into PostgreSQL by mistake (and vice versa).
        if (cluster) {
          const r3 = await cli(['restore', b.stdout.trim(), '--identity', identityFile, '--data-dir', join(work, 'kind')], { DATABASE_URL: await cluster.createDatabase() });
          expect(r3.code).toBe(1);
          expect(r3.stderr).toMatch(/holds a SQLite database/);
          expect(existsSync(join(work, 'kind'))).toBe(false);
        }
      }
    } finally {
      await s.stop();
    }
  }, 240_000);
});
