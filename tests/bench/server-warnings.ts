/**
 * Members' warning fetches per second against the real server (SQLite), with and without a
 * matching ETag: a full sync of every warning, the 304 a polling member gets when nothing
 * changed, and an incremental sync from the current cursor without an ETag.
 *
 * Setup goes through the public API the way real clients do: a member applies (proof of
 * work at difficulty 0) and a coordinator approves the application with signed requests,
 * the member logs in, and the coordinator publishes signed warnings.
 */
import { randomBytes } from 'node:crypto';
import { bytes, encodeWarning, encrypt, keyringRecipients, signDocument, signRequest, verifyKeyring } from '../../crypto/index.js';
import { against, type Row, type Section } from './harness.js';
import { loadBounds, processCpuMs, startOurServer, type OurServer } from './server-common.js';
import { mergeLoads, runLoad, type LoadRequest, type LoadResult } from './server-load.js';

const WARNINGS = 200;
const CONCURRENCY = 8;
const ROUNDS = 3;
/** Per kind of fetch, split over the rounds. */
const TIMED_MS = 3000;
const WARMUP_MS = 500;
const MAX_REQUESTS = 100_000;

const AREAS = ['city centre north', 'city centre south', 'east docks', 'west estate', 'ring road services', 'station quarter'];
const TEXT =
  'Man in his forties, heavy build, short dark hair, uses the name Dave. Contacts through adverts and asks for outcalls to a flat near the station. ' +
  'Refused to pay, blocked the door and threatened to find the worker again. Drives a dark grey hatchback, partial plate KX1. ' +
  'Has a scar on his left hand. If he contacts you, do not go alone, tell someone where you are and check in when you leave.';

async function coordinatorRequest(s: OurServer, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
  const c = s.org.coordinators[0]!;
  const raw = body === undefined ? new Uint8Array(0) : bytes.utf8(JSON.stringify(body));
  const headers = signRequest('coordinator', { method, path, body: raw, timestamp: Math.floor(Date.now() / 1000) }, c.signingSeed);
  return fetch(`${s.url}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : Buffer.from(raw),
  });
}

async function expectStatus(r: Response, status: number, what: string): Promise<Response> {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return r;
}

/** Apply, approve (as the coordinator) and log in a member; returns the cookie header value. */
async function member(s: OurServer): Promise<string> {
  const keyring = verifyKeyring(await (await fetch(`${s.url}/api/keyring`)).text(), s.org.rootPublicKey);
  const application = await encrypt(keyringRecipients(keyring), bytes.utf8('Rosa, outreach project, rosa@example.org'));
  const { challenge } = (await (await fetch(`${s.url}/api/pow`)).json()) as { challenge: string };
  const login = `bench-${randomBytes(4).toString('hex')}`;
  const passphrase = 'a long bench passphrase';
  const applied = await fetch(`${s.url}/api/members/apply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tipline-pow': `${challenge}:0` },
    body: JSON.stringify({ login, passphrase, application: bytes.base64Padded(application) }),
  });
  const { id } = (await (await expectStatus(applied, 201, 'member application')).json()) as { id: string };
  await expectStatus(await coordinatorRequest(s, 'POST', `/api/coordinator/applications/${id}`, { decision: 'approve' }), 200, 'approval');
  const loggedIn = await fetch(`${s.url}/api/members/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, passphrase }),
  });
  await expectStatus(loggedIn, 200, 'login');
  const m = /^(tipline_session=[A-Za-z0-9_-]{43});/.exec(loggedIn.headers.get('set-cookie') ?? '');
  if (!m) throw new Error('login set no session cookie');
  return m[1]!;
}

/** Publish `n` signed warnings (about 600 B of JSON payload each). */
async function publish(s: OurServer, n: number): Promise<number> {
  const seed = s.org.coordinators[0]!.signingSeed;
  let payloadBytes = 0;
  for (let i = 0; i < n; i++) {
    const payload = encodeWarning({
      schemaVersion: 1,
      published: '2026-11-25',
      regions: [AREAS[i % AREAS.length]!.toLowerCase().replace(/[^a-z0-9]+/g, '-')],
      month: '2026-11',
      incidentTypes: ['refused-to-pay', 'threats'],
      summary: `${TEXT} (${i + 1})`,
      checkTags: [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')],
    });
    payloadBytes += payload.length;
    const env = signDocument('warning', payload, seed);
    await expectStatus(await coordinatorRequest(s, 'POST', '/api/coordinator/warnings', env), 201, 'publishing a warning');
  }
  return payloadBytes / n;
}

export async function run(): Promise<Section> {
  const s = await startOurServer({ coordinators: 1 });
  try {
    const cookie = await member(s);
    const payloadBytes = await publish(s, WARNINGS);
    const first = await expectStatus(await fetch(`${s.url}/api/warnings`, { headers: { cookie } }), 200, 'warnings');
    const etag = first.headers.get('etag');
    const list = (await first.json()) as { warnings: unknown[]; cursor: number };
    if (!etag) throw new Error('the warnings answer has no ETag');
    if (list.warnings.length !== WARNINGS) throw new Error(`expected ${WARNINGS} warnings, got ${list.warnings.length}`);

    const kinds: { key: string; name: string; req: LoadRequest; status: number; check?: (b: Buffer) => boolean }[] = [
      {
        key: 'full',
        name: `full sync, ${WARNINGS} warnings, no ETag`,
        req: { method: 'GET', path: '/api/warnings', headers: { cookie } },
        status: 200,
        check: (b) => b.length > WARNINGS * payloadBytes,
      },
      {
        key: 'full-br',
        name: `full sync, ${WARNINGS} warnings, Accept-Encoding: br`,
        req: { method: 'GET', path: '/api/warnings', headers: { cookie, 'accept-encoding': 'br' } },
        status: 200,
        check: (b) => b.length > 0 && b.length < WARNINGS * payloadBytes,
      },
      {
        key: 'since',
        name: 'incremental sync from the cursor, no ETag (nothing new)',
        req: { method: 'GET', path: `/api/warnings?since=${list.cursor}`, headers: { cookie } },
        status: 200,
        check: (b) => b.includes('"warnings":[]'),
      },
      {
        key: 'etag',
        name: 'If-None-Match with the current ETag → 304',
        req: { method: 'GET', path: '/api/warnings', headers: { cookie, 'if-none-match': etag } },
        status: 304,
        check: (b) => b.length === 0,
      },
    ];
    const { maxMs, warmupMs } = loadBounds(TIMED_MS, WARMUP_MS);
    const runs = new Map<string, LoadResult[]>(kinds.map((k) => [k.key, []]));
    const cpu = new Map<string, { ms: number; requests: number; ok: boolean }>(kinds.map((k) => [k.key, { ms: 0, requests: 0, ok: true }]));
    const pid = s.server.process.pid!;
    for (let round = 0; round < ROUNDS; round++) {
      for (const k of kinds) {
        const c0 = await processCpuMs(pid);
        const r = await runLoad({
          base: s.url,
          concurrency: CONCURRENCY,
          maxRequests: Math.ceil(MAX_REQUESTS / ROUNDS),
          maxMs: maxMs / ROUNDS,
          warmupMs: round === 0 ? warmupMs : 0,
          make: () => k.req,
          expectStatus: k.status,
          check: k.check,
        });
        const c1 = await processCpuMs(pid);
        const acc = cpu.get(k.key)!;
        if (c0 === undefined || c1 === undefined) acc.ok = false;
        else {
          acc.ms += c1 - c0;
          acc.requests += r.total;
        }
        runs.get(k.key)!.push(r);
      }
    }
    const merged = new Map(kinds.map((k) => [k.key, mergeLoads(runs.get(k.key)!)]));
    const full = merged.get('full')!;
    const fullCpu = cpu.get('full')!;
    const rows: Row[] = [];
    const base: Record<string, Row> = {};
    for (const k of kinds) {
      const r = merged.get(k.key)!;
      const c = cpu.get(k.key)!;
      const rate: Row = { name: `${k.name} · fetches`, value: r.perSecond, unit: 'req/s', spread: r.spread };
      const p50: Row = { name: `${k.name} · p50`, value: r.p50Ms, unit: 'ms' };
      const p99: Row = { name: `${k.name} · p99`, value: r.p99Ms, unit: 'ms' };
      const cpuRow: Row | undefined = c.ok ? { name: `${k.name} · server CPU per fetch`, value: c.ms / c.requests, unit: 'ms' } : undefined;
      if (k.key === 'full') {
        base.rate = rate;
        base.p50 = p50;
        base.p99 = p99;
        if (cpuRow) base.cpu = cpuRow;
        rows.push(rate, p50, p99, ...(cpuRow ? [cpuRow] : []));
      } else {
        rows.push(against(rate, base.rate!, 'full sync'), against(p50, base.p50!, 'full sync'), against(p99, base.p99!, 'full sync'));
        if (cpuRow && base.cpu) rows.push(against(cpuRow, base.cpu, 'full sync'));
      }
    }
    return {
      title: `members' warning fetches, SQLite, ${CONCURRENCY} concurrent members: full sync vs ETag 304`,
      rows,
      notes: [
        `setup through the API: a member applied (PoW at difficulty 0), a coordinator approved with signed requests, the member logged in (session cookie); the coordinator published ${WARNINGS} signed warnings (~${Math.round(payloadBytes)} B of JSON payload each). A full answer is ${full.answerBytes} B of JSON uncompressed; on the wire with Accept-Encoding: br (server/compress.ts) ${merged.get('full-br')!.answerBytes} B.`,
        `every fetch carries the session cookie, so each one costs the session lookup (1 SELECT joining sessions and members) plus the counter read for the ETag; the 304 stops there, the others also read the warnings rows.`,
        `load: ${CONCURRENCY} keep-alive connections, closed loop; ${Math.round(warmupMs)} ms warm-up per kind, then ${ROUNDS} rounds alternating the three kinds, together ${Math.round(maxMs)} ms or ${MAX_REQUESTS} requests per kind (${kinds.map((k) => `${k.key}: ${merged.get(k.key)!.requests}`).join(', ')} timed requests). server CPU per fetch = the server process's user + system CPU time over the runs / fetches answered.`,
        `ratio = this kind / full sync (req/s: higher is better; ms: lower is better).${fullCpu.ok ? '' : ' (/proc was not readable: no CPU rows.)'}`,
      ],
    };
  } finally {
    await s.stop();
  }
}
