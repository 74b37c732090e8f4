/**
 * Several processes, one service: two real `tipline serve` processes on one PostgreSQL
 * database (sharing the server key, as a load balancer setup does) enforce every abuse limit
 * for the pair as one process does (server/README.md "Several processes").
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, encodeReport, encrypt, keyringRecipients, primitives, solvePow, verifyKeyring, type HybridRecipient } from '../../crypto/index.js';
import { KEYRING_FILE, ROOT_PUBLIC_KEY_FILE } from '../../server/org.js';
import { PG_SKIP_MESSAGE, startPostgres, type PgCluster } from '../helpers/postgres.js';
import { prepareOrganisation, startTiplineServer, type SpawnedServer } from '../helpers/server.js';

const CONFIG = {
  pow: { difficulty: 4, maxDifficulty: 10, slackBits: 0, surgeThreshold: 4, surgeWindowMinutes: 10 },
  basicForm: { minFillSeconds: 0, perHour: 6, windowMinutes: 10 }, // a ceiling of 1 per window
  abuse: { dailyBytes: 1 << 20, minFreeBytes: 0 },
  loginAttemptsPerHour: 2,
};

let cluster: PgCluster | undefined;
let a: SpawnedServer;
let b: SpawnedServer;
let recipients: HybridRecipient[];
const dirs: string[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
  if (!cluster) {
    console.warn(PG_SKIP_MESSAGE);
    return;
  }
  const url = await cluster.createDatabase();
  const dirA = mkdtempSync(join(tmpdir(), 'tipline-proc-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'tipline-proc-b-'));
  dirs.push(dirA, dirB);
  const org = prepareOrganisation(dirA);
  for (const f of [KEYRING_FILE, ROOT_PUBLIC_KEY_FILE]) copyFileSync(join(dirA, f), join(dirB, f));
  const env = { DATABASE_URL: url, TIPLINE_SERVER_KEY: randomBytes(32).toString('base64'), TIPLINE_POW_DIFFICULTY: '', TIPLINE_POW_MAX_DIFFICULTY: '' };
  a = await startTiplineServer({ dataDir: dirA, org: 'existing', env, config: CONFIG });
  b = await startTiplineServer({ dataDir: dirB, org: 'existing', env, config: CONFIG });
  a.org = org;
  const keyring = verifyKeyring(await (await fetch(`${a.url}/api/keyring`)).text(), org.rootPublicKey);
  recipients = keyringRecipients(keyring);
}, 180_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await cluster?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function challenge(s: SpawnedServer): Promise<{ challenge: string; difficulty: number }> {
  const r = await fetch(`${s.url}/api/pow`);
  expect(r.status).toBe(200);
  return (await r.json()) as { challenge: string; difficulty: number };
}

async function postReport(s: SpawnedServer, stamp: string): Promise<Response> {
  const file = await encrypt(recipients, encodeReport({ schemaVersion: 1, incidentTypes: ['other'], incidentOther: 'x', account: 'two processes', consent: { publishWarning: 'no' } }));
  return fetch(`${s.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tipline-pow': stamp },
    body: JSON.stringify({ report: bytes.base64Padded(file) }),
  });
}

async function paidReport(s: SpawnedServer): Promise<{ id: string; uploadToken: string }> {
  const c = await challenge(s);
  const r = await postReport(s, await solvePow(c.challenge, c.difficulty));
  expect(r.status, await r.clone().text()).toBe(201);
  return (await r.json()) as { id: string; uploadToken: string };
}

/** A test that is skipped at run time when there is no PostgreSQL (the cluster starts in beforeAll). */
const maybe =
  () =>
  (name: string, fn: () => Promise<void> | void, timeout?: number): void => {
    it(name, async (ctx) => {
      if (!cluster) return ctx.skip(PG_SKIP_MESSAGE);
      await fn();
    }, timeout);
  };

describe('two tipline serve processes on one PostgreSQL act as one service', () => {
  maybe()('a stamp spent on one is spent on the other', async () => {
    const c = await challenge(a);
    const stamp = await solvePow(c.challenge, c.difficulty);
    expect((await postReport(a, stamp)).status).toBe(201);
    const again = await postReport(b, stamp);
    expect(again.status).toBe(403);
    expect(await again.json()).toEqual({ error: 'proof of work already used' });
  }, 120_000);

  maybe()('the surge difficulty raised by traffic on A is what B asks for and demands', async () => {
    // Issued by B before the surge, at the base difficulty.
    const early = await challenge(b);
    expect(early.difficulty).toBe(4);
    const earlyStamp = await solvePow(early.challenge, early.difficulty);
    // One report in the first test, three more here on A: the window holds 4 = the threshold.
    for (let i = 0; i < 3; i++) await paidReport(a);
    expect((await challenge(a)).difficulty).toBe(5);
    expect((await challenge(b)).difficulty).toBe(5);
    const late = await postReport(b, earlyStamp);
    expect(late.status).toBe(403);
    expect(await late.json()).toEqual({ error: 'proof of work expired' });
  }, 180_000);

  maybe()('login failures on A make B require proof of work for that name (and only that name)', async () => {
    const login = (s: SpawnedServer, name: string, headers: Record<string, string> = {}) =>
      fetch(`${s.url}/api/members/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ login: name, passphrase: 'wrong wrong wrong' }),
      });
    expect((await login(a, 'guessme')).status).toBe(401);
    expect((await login(b, 'guessme')).status).toBe(401);
    // Two failures across the pair reach the ceiling of 2 per hour: A and B now ask for work.
    for (const s of [a, b]) {
      const r = await login(s, 'guessme');
      expect(r.status).toBe(403);
      expect(await r.json()).toEqual({ error: 'proof of work required' });
    }
    expect((await login(b, 'someone-else')).status).toBe(401);
    // With a stamp the attempt goes through to the passphrase check.
    const c = await challenge(b);
    expect((await login(b, 'guessme', { 'tipline-pow': await solvePow(c.challenge, c.difficulty) })).status).toBe(401);
  }, 180_000);

  maybe()('the no-JavaScript ceiling is shared: one form on A fills the window for B', async () => {
    const send = async (s: SpawnedServer) => {
      const page = await (await fetch(`${s.url}/report/basic`)).text();
      const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
      const form = new URLSearchParams([
        ['token', token],
        ['incidentTypes', 'robbery'],
        ['account', 'He took my phone.'],
        ['area', 'north'],
        ['publishWarning', 'unsure'],
      ]).toString();
      return fetch(`${s.url}/report/basic`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    };
    expect((await send(a)).status).toBe(303);
    expect((await send(b)).status).toBe(429);
    expect((await send(a)).status).toBe(429);
  }, 120_000);

  maybe()("the service's daily byte ceiling holds for the pair: uploads through A and B add up", async () => {
    const upload = async (s: SpawnedServer, size: number) => {
      const r = await paidReport(s);
      const file = await encrypt(recipients, primitives().randomBytes(size));
      return fetch(`${s.url}/api/attachments?report=${r.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'tipline-upload-token': r.uploadToken },
        body: file as BodyInit,
      });
    };
    // 600 KB fits under the 1 MiB day on either process alone; the second one, through B, does not.
    expect((await upload(a, 600_000)).status).toBe(201);
    const second = await upload(b, 600_000);
    expect(second.status).toBe(503);
    expect(await second.json()).toEqual({ error: 'service full' });
  }, 240_000);

  maybe()('both processes stayed healthy and logged nothing from requests', () => {
    for (const s of [a, b]) expect(s.output()).not.toMatch(/internal error/);
  });
});
