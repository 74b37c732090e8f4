/**
 * The canary: reports containing a unique string go through the real server over HTTP, by
 * the browser path (encrypted on the client) and by the no-JavaScript path (encrypted by the
 * server in memory). Afterwards the string must appear in no file of the data directory
 * (database, WAL, shared memory, anything else) — nor in the PostgreSQL cluster's files when
 * that run is possible — and nowhere in what the server process printed. The client talks
 * from its own loopback address (127.77.0.1); that address must not appear either.
 */
import { request as httpRequest } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytes, decodeReport, decrypt, encodeReport, encrypt, keyringRecipients, solvePow, verifyKeyring, primitives } from '../../crypto/index.js';
import { PG_SKIP_MESSAGE, findPgBin, startPostgres, type PgCluster } from '../helpers/postgres.js';
import { startTiplineServer, type SpawnedServer } from '../helpers/server.js';

const CLIENT_ADDRESS = '127.77.0.1';

/** HTTP from a chosen source address, with identifying headers a browser might send. */
function call(base: string, method: string, path: string, body?: Uint8Array | string, headers: Record<string, string> = {}) {
  const url = new URL(path, base);
  const data = typeof body === 'string' ? Buffer.from(body) : body ? Buffer.from(body) : undefined;
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        localAddress: CLIENT_ADDRESS,
        headers: { ...headers, ...(data ? { 'content-length': String(data.length) } : {}) },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Every encoding in which a leaked string could sit in a file. */
function needles(s: string): Buffer[] {
  const b = Buffer.from(s, 'utf8');
  const out = [b, Buffer.from(s, 'utf16le'), Buffer.from(b.toString('hex'))];
  for (let shift = 0; shift < 3; shift++) {
    // base64 of the string at each alignment: drop the characters touched by neighbours.
    const enc = Buffer.concat([Buffer.alloc(shift, 0x20), b]).toString('base64');
    out.push(Buffer.from(enc.slice(Math.ceil((shift * 4) / 3) + 1, -3)));
  }
  return out;
}

function findIn(dirs: string[], text: string, s: string): string[] {
  const hits: string[] = [];
  const ns = needles(s);
  for (const dir of dirs) {
    for (const f of files(dir)) {
      if (statSync(f).size > 512 * 1024 * 1024) continue;
      const data = readFileSync(f);
      if (ns.some((n) => data.includes(n))) hits.push(f);
    }
  }
  if (ns.some((n) => Buffer.from(text).includes(n))) hits.push('(process output)');
  return hits;
}

async function exercise(s: SpawnedServer, canary: string): Promise<string> {
  const spy = { 'user-agent': `Mozilla/5.0 ${canary}-ua`, referer: `https://${canary}.example/`, 'x-forwarded-for': '203.0.113.77' };
  // Browser path: keyring from the server, verified against the root key; PoW; encrypt on the client.
  const kr = await call(s.url, 'GET', '/api/keyring', undefined, spy);
  const keyring = verifyKeyring(kr.body.toString('utf8'), s.org!.rootPublicKey);
  const recipients = keyringRecipients(keyring);
  const stamp = async () => {
    const c = JSON.parse((await call(s.url, 'GET', '/api/pow', undefined, spy)).body.toString()) as { challenge: string; difficulty: number };
    return solvePow(c.challenge, c.difficulty);
  };
  const report = encodeReport({
    schemaVersion: 1,
    incidentTypes: ['violence', 'other'],
    incidentOther: canary,
    area: canary,
    account: `The man said his name was ${canary} and drove a blue car.`,
    identifiers: { phones: [`07700 ${canary}`] },
    consent: { publishWarning: 'yes' },
  });
  const mailboxSeed = primitives().randomBytes(32);
  const mailboxId = Buffer.from(primitives().randomBytes(32)).toString('base64url');
  const r = await call(
    s.url,
    'POST',
    '/api/reports',
    JSON.stringify({
      report: bytes.base64Padded(await encrypt(recipients, report)),
      mailbox: { id: mailboxId, publicKey: bytes.base64Padded(primitives().ed25519PublicKey(mailboxSeed)) },
    }),
    { ...spy, 'content-type': 'application/json', 'tipline-pow': await stamp() },
  );
  expect(r.status).toBe(201);
  const { id, uploadToken } = JSON.parse(r.body.toString()) as { id: string; uploadToken: string };
  const photo = await encrypt(recipients, bytes.utf8(`EXIF-free photo bytes ${canary} `.repeat(5000)));
  const up = await call(s.url, 'POST', `/api/attachments?report=${id}`, photo, {
    ...spy,
    'content-type': 'application/octet-stream',
    'tipline-upload-token': uploadToken,
  });
  expect(up.status).toBe(201);

  // No-JS path: the server encrypts in memory.
  const page = (await call(s.url, 'GET', `/report/basic?from=${canary}`, undefined, spy)).body.toString();
  const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
  const form = new URLSearchParams([
    ['token', token],
    ['incidentTypes', 'robbery'],
    ['account', `No-JS report: ${canary} took my phone.`],
    ['area', canary],
    ['nameGiven', canary],
    // Phone numbers are checked for digits now; the canary rides in every free-text field.
    ['phones', '0161 496 0000'],
    ['publishWarning', 'unsure'],
  ]).toString();
  const posted = await call(s.url, 'POST', '/report/basic', form, { ...spy, 'content-type': 'application/x-www-form-urlencoded' });
  expect(posted.status).toBe(303);
  // An invalid no-JS post (re-rendered with an error) and requests with the canary in the URL.
  const invalid = await call(s.url, 'POST', '/report/basic', `token=${token}&account=${canary}`, {
    ...spy,
    'content-type': 'application/x-www-form-urlencoded',
  });
  expect(invalid.status).toBeGreaterThanOrEqual(400);
  expect((await call(s.url, 'GET', `/api/${canary}`, undefined, spy)).status).toBe(404);
  expect((await call(s.url, 'POST', '/api/reports', `{"report":"${canary}"`, { ...spy, 'content-type': 'application/json' })).status).toBe(400);
  expect((await call(s.url, 'POST', '/api/members/login', JSON.stringify({ login: canary, passphrase: canary }), { ...spy, 'content-type': 'application/json' })).status).toBe(401);

  // Both reports are really there, and open for the coordinator.
  const c1 = s.org!.coordinators[0]!;
  const stored = await decryptStored(s, c1.identity);
  expect(stored.some((t) => t.includes(`took my phone`))).toBe(true);
  expect(stored.some((t) => t.includes(`drove a blue car`))).toBe(true);
  return mailboxId;
}

/** Read back the stored reports through the coordinator API and decrypt them. */
async function decryptStored(s: SpawnedServer, identity: import('../../crypto/index.js').HybridIdentity): Promise<string[]> {
  const { signRequest } = await import('../../crypto/index.js');
  const seed = s.org!.coordinators[0]!.signingSeed;
  const get = async (path: string) => {
    const headers = signRequest('coordinator', { method: 'GET', path, body: new Uint8Array(0), timestamp: Math.floor(Date.now() / 1000) }, seed);
    const r = await call(s.url, 'GET', path, undefined, headers);
    expect(r.status).toBe(200);
    return JSON.parse(r.body.toString()) as Record<string, unknown>;
  };
  const list = (await get('/api/coordinator/reports')) as { reports: { id: string }[] };
  const out: string[] = [];
  for (const { id } of list.reports) {
    const one = (await get(`/api/coordinator/reports/${id}`)) as { report: string };
    const r = decodeReport(await decrypt([identity], bytes.fromBase64Padded(one.report)));
    out.push(JSON.stringify(r));
  }
  return out;
}

async function runCanary(env: Record<string, string>, extraDirs: string[]): Promise<void> {
  const canary = `zq${Date.now().toString(36)}canary${Math.random().toString(36).slice(2, 8)}`;
  const s = await startTiplineServer({ env });
  let stopped = false;
  try {
    const mailboxId = await exercise(s, canary);
    // While running (WAL and shared memory present) ...
    expect(findIn([s.dataDir, ...extraDirs], s.output(), canary)).toEqual([]);
    expect(findIn([s.dataDir, ...extraDirs], s.output(), CLIENT_ADDRESS)).toEqual([]);
    expect(findIn([s.dataDir, ...extraDirs], s.output(), '203.0.113.77')).toEqual([]);
    // ... and after a clean stop.
    await s.stop({ keepDataDir: true });
    stopped = true;
    expect(findIn([s.dataDir, ...extraDirs], s.output(), canary)).toEqual([]);
    expect(findIn([s.dataDir, ...extraDirs], s.output(), CLIENT_ADDRESS)).toEqual([]);
    // The search itself works: it finds what is stored in the clear (the mailbox id).
    expect(findIn([s.dataDir, ...extraDirs], '', mailboxId)).not.toEqual([]);
  } finally {
    if (!stopped) await s.stop({ keepDataDir: true });
    const { rmSync } = await import('node:fs');
    rmSync(s.dataDir, { recursive: true, force: true });
  }
}

describe('canary: no plaintext and no client address in storage or output', () => {
  it('SQLite data directory', async () => {
    await runCanary({}, []);
  }, 180_000);

  const pgBin = findPgBin();
  let cluster: PgCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });
  it.skipIf(!pgBin)(`PostgreSQL cluster files${pgBin ? '' : ` (${PG_SKIP_MESSAGE})`}`, async () => {
    cluster = await startPostgres();
    const url = await cluster!.createDatabase();
    // The cluster's own data directory, to search its heap and WAL files too.
    const dataDir = (await (async () => {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<{ d: string }>(`select current_setting('data_directory') as d`)).rows[0]!.d;
      } finally {
        await client.end();
      }
    })()) as string;
    await runCanary({ DATABASE_URL: url }, [dataDir]);
  }, 240_000);
  if (!pgBin) process.stderr.write(`\n*** canary: ${PG_SKIP_MESSAGE}\n\n`);
});
