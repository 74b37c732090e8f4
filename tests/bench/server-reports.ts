/**
 * Report submissions per second and latency of the real tipline server (child process,
 * @hono/node-server on 127.0.0.1) against a baseline measured in the same run: plain
 * node:http plus one prepared INSERT of the same blob (server-baseline.ts), on SQLite with
 * the same durability settings and on PostgreSQL (a throw-away cluster from
 * tests/helpers/postgres.ts).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { keyringRecipients, verifyKeyring } from '../../crypto/index.js';
import { PG_SKIP_MESSAGE, startPostgres } from '../helpers/postgres.js';
import { against, formatBytes, type Row, type Section } from './harness.js';
import { fsType, loadBounds, processCpuMs, startBaseline, startOurServer, tempDir, typicalEncryptedReport, type TypicalBody } from './server-common.js';
import { mergeLoads, runLoad, type LoadResult } from './server-load.js';

const CONCURRENCY = [8, 32] as const;
const TIMED_MS = 5000;
const WARMUP_MS = 1000;
const MAX_REQUESTS = 50_000;
/** Alternating rounds per concurrency; the timed time and request bound are split over them. */
const ROUNDS = 3;

interface Target {
  name: string;
  url: string;
  pid: number;
  /** Reports the target's database holds now. */
  count(): Promise<number>;
}

/** Body of the i-th submission: the same ciphertext, a fresh mailbox (as a browser sends). */
function makeBody(report: TypicalBody): () => string {
  return () =>
    `{"report":"${report.reportBase64}","mailbox":{"id":"${randomBytes(32).toString('base64url')}","publicKey":"${randomBytes(32).toString('base64')}"}}`;
}

async function measureBoth(ours: Target, baseline: Target, challenge: string, report: TypicalBody) {
  const body = makeBody(report);
  // One stamp per request overall: difficulty 0 makes any nonce valid, but the server still
  // checks the challenge's MAC and expiry and spends every stamp in the database.
  let nonce = 0;
  const request = () => ({
    method: 'POST' as const,
    path: '/api/reports',
    headers: { 'content-type': 'application/json', 'tipline-pow': `${challenge}:${nonce++}` },
    body: body(),
  });
  const before = { ours: await ours.count(), baseline: await baseline.count() };
  const sent = { ours: 0, baseline: 0 };
  const results: Result[] = [];
  const { maxMs, warmupMs } = loadBounds(TIMED_MS, WARMUP_MS);
  for (const c of CONCURRENCY) {
    const runs = { ours: [] as LoadResult[], baseline: [] as LoadResult[] };
    const cpu = { ours: { ms: 0, requests: 0, ok: true }, baseline: { ms: 0, requests: 0, ok: true } };
    const run = async (who: 'ours' | 'baseline', round: number) => {
      const pid = (who === 'ours' ? ours : baseline).pid;
      const cpu0 = await processCpuMs(pid);
      const r = await runLoad({
        base: (who === 'ours' ? ours : baseline).url,
        concurrency: c,
        maxRequests: Math.ceil(MAX_REQUESTS / ROUNDS),
        maxMs: maxMs / ROUNDS,
        warmupMs: round === 0 ? warmupMs : 0,
        make: request,
        expectStatus: 201,
        check: (b) => b.includes('"id"'),
      });
      const cpu1 = await processCpuMs(pid);
      if (cpu0 === undefined || cpu1 === undefined) cpu[who].ok = false;
      else {
        cpu[who].ms += cpu1 - cpu0;
        cpu[who].requests += r.total;
      }
      sent[who] += r.total;
      runs[who].push(r);
    };
    // Short alternating rounds (baseline, ours, baseline, ours, ...): load from elsewhere on
    // the machine comes and goes, and this way it hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
      await run('baseline', round);
      await run('ours', round);
    }
    results.push({
      c,
      ours: mergeLoads(runs.ours),
      baseline: mergeLoads(runs.baseline),
      cpuMs: {
        ours: cpu.ours.ok ? cpu.ours.ms / cpu.ours.requests : undefined,
        baseline: cpu.baseline.ok ? cpu.baseline.ms / cpu.baseline.requests : undefined,
      },
    });
  }
  const stored = { ours: (await ours.count()) - before.ours, baseline: (await baseline.count()) - before.baseline };
  if (stored.ours !== sent.ours || stored.baseline !== sent.baseline) {
    throw new Error(`stored rows do not match accepted requests: ours ${stored.ours}/${sent.ours}, baseline ${stored.baseline}/${sent.baseline}`);
  }
  return { results, sent };
}

interface Result {
  c: number;
  ours: LoadResult;
  baseline: LoadResult;
  /** Server process CPU time per request (warm-up included), when /proc is readable. */
  cpuMs: { ours: number | undefined; baseline: number | undefined };
}

function rows(db: string, results: Result[]): Row[] {
  const out: Row[] = [];
  for (const { c, ours, baseline, cpuMs } of results) {
    const p = (who: string, what: string) => `${db} · c=${c} · ${who} · ${what}`;
    const bRate: Row = { name: p('baseline', 'submissions'), value: baseline.perSecond, unit: 'req/s', spread: baseline.spread };
    const bP50: Row = { name: p('baseline', 'p50'), value: baseline.p50Ms, unit: 'ms' };
    const bP99: Row = { name: p('baseline', 'p99'), value: baseline.p99Ms, unit: 'ms' };
    out.push(
      bRate,
      against({ name: p('ours', 'submissions'), value: ours.perSecond, unit: 'req/s', spread: ours.spread }, bRate, 'baseline'),
      bP50,
      against({ name: p('ours', 'p50'), value: ours.p50Ms, unit: 'ms' }, bP50, 'baseline'),
      bP99,
      against({ name: p('ours', 'p99'), value: ours.p99Ms, unit: 'ms' }, bP99, 'baseline'),
    );
    if (cpuMs.ours !== undefined && cpuMs.baseline !== undefined) {
      const bCpu: Row = { name: p('baseline', 'server CPU per request'), value: cpuMs.baseline, unit: 'ms' };
      out.push(bCpu, against({ name: p('ours', 'server CPU per request'), value: cpuMs.ours, unit: 'ms' }, bCpu, 'baseline'));
    }
  }
  return out;
}

async function recipientsAndChallenge(url: string, rootPublicKey: Uint8Array) {
  // As a browser does: fetch the keyring, verify it against the pinned root key, encrypt to it.
  const keyring = verifyKeyring(await (await fetch(`${url}/api/keyring`)).text(), rootPublicKey);
  const pow = (await (await fetch(`${url}/api/pow`)).json()) as { challenge: string; difficulty: number };
  if (pow.difficulty !== 0) throw new Error(`expected proof-of-work difficulty 0, the server issued ${pow.difficulty}`);
  return { recipients: keyringRecipients(keyring), coordinators: keyring.coordinators.length, challenge: pow.challenge };
}

function commonNotes(report: TypicalBody, coordinators: number, results: Result[]): string[] {
  const bodyBytes = makeBody(report)().length;
  const r0 = results[0]!;
  return [
    `body: a ${report.jsonBytes} B typical report JSON, padded to ${formatBytes(report.paddedBytes)} by ${report.padding}, age-encrypted to the keyring's ${coordinators} hybrid (mlkem768x25519) recipients = ${report.fileBytes} B age file; HTTP body ${bodyBytes} B of JSON {report: base64, mailbox: {id, publicKey}} (a fresh mailbox per request, as the browser sends). Both servers get identical requests.`,
    'proof of work: the server runs with difficulty 0 and ONE challenge is fetched before the timed loops; each request carries a distinct stamp `challenge:N` (valid at difficulty 0). So solving is not measured, but the server still checks every stamp (shape, HMAC, expiry) and spends it in the database.',
    'ours per request: zod body validation, stamp check, keyring read (1 SELECT) and age header check (exactly one mlkem768x25519 stanza per coordinator), then one transaction: spend stamp + insert mailbox + insert report (3 INSERTs). baseline per request: JSON.parse, base64 decode, 1 INSERT (id, blob), autocommit.',
    `load: closed loop, c concurrent keep-alive connections (node:http Agent) from the bench process, each sending its next request when the answer is read. Per concurrency and server: ${Math.round(loadBounds(TIMED_MS, WARMUP_MS).warmupMs)} ms warm-up, then ${ROUNDS} timed rounds alternating baseline/ours, together ${Math.round(loadBounds(TIMED_MS, WARMUP_MS).maxMs)} ms or ${MAX_REQUESTS} requests, whichever first (stopped by ${[...new Set(results.flatMap((r) => [r.ours.stoppedBy, r.baseline.stoppedBy]))].join('/')}). Every answer had to be 201 and every accepted report was found in the database afterwards.`,
    `latency = request sent → answer body read, over all timed requests (c=${r0.c}: ${r0.baseline.requests} baseline / ${r0.ours.requests} ours). ± on req/s = spread of the throughput over 250 ms slices. server CPU per request = user + system CPU time of the server process (/proc/PID/stat) over the runs divided by the requests it answered; it excludes time spent waiting for the disk and is steadier than req/s when other processes compete for the cores. ratio = ours / baseline (req/s: higher is better; ms: lower is better).`,
    'the load generator, the server and (for PostgreSQL) the database share the 2 cores, as do other processes on this machine; the numbers are for comparison within the run, not capacity planning.',
  ];
}

/** SQLite: ours with its own database file, the baseline with another file in a temp dir. */
export async function runSqlite(): Promise<Section> {
  const ours = await startOurServer({ coordinators: 3 });
  const tmp = tempDir('tipline-bench-baseline-');
  let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
  let oursDb: BetterSqlite3.Database | undefined;
  let baseDb: BetterSqlite3.Database | undefined;
  try {
    const { recipients, coordinators, challenge } = await recipientsAndChallenge(ours.url, ours.org.rootPublicKey);
    const report = await typicalEncryptedReport(recipients);
    const baseFile = join(tmp.dir, 'baseline.sqlite');
    baseline = await startBaseline('sqlite', baseFile);
    // Read-only connections for counting rows (WAL lets them read beside the writers).
    oursDb = new BetterSqlite3(join(ours.server.dataDir, 'tipline.sqlite'), { readonly: true });
    const oursCount = oursDb.prepare('SELECT count(*) AS n FROM reports');
    const journal = (oursDb.pragma('journal_mode', { simple: true }) as string).toUpperCase();
    const b = baseline;
    const { results } = await measureBoth(
      { name: 'ours', url: ours.url, pid: ours.server.process.pid!, count: async () => (oursCount.get() as { n: number }).n },
      {
        name: 'baseline',
        url: b.url,
        pid: b.pid,
        count: async () => {
          baseDb ??= new BetterSqlite3(baseFile, { readonly: true });
          return (baseDb.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
        },
      },
      challenge,
      report,
    );
    const fs = await fsType(tmp.dir);
    return {
      title: 'report submissions over HTTP, SQLite: tipline server vs node:http + better-sqlite3 INSERT',
      rows: rows('sqlite', results),
      notes: [
        ...commonNotes(report, coordinators, results),
        `durability, both: journal_mode=${journal} (read back from ours), synchronous=FULL, secure_delete=ON (server/db/index.ts sets these per connection; the baseline sets the same), files in a temp dir on ${fs}, so every commit waits for an fsync of the WAL.`,
      ],
    };
  } finally {
    oursDb?.close();
    baseDb?.close();
    await baseline?.stop();
    await ours.stop();
    tmp.remove();
  }
}

/** PostgreSQL: one throw-away cluster, a database for ours and one for the baseline. */
export async function runPostgres(): Promise<Section> {
  const title = 'report submissions over HTTP, PostgreSQL: tipline server vs node:http + pg INSERT';
  const cluster = await startPostgres({ durable: true });
  if (!cluster) return { title: `${title}: SKIPPED`, rows: [], notes: [PG_SKIP_MESSAGE] };
  let ours: Awaited<ReturnType<typeof startOurServer>> | undefined;
  let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
  const clients: pg.Client[] = [];
  try {
    const oursUrl = await cluster.createDatabase();
    const baseUrl = await cluster.createDatabase();
    ours = await startOurServer({ coordinators: 3, databaseUrl: oursUrl });
    const { recipients, coordinators, challenge } = await recipientsAndChallenge(ours.url, ours.org.rootPublicKey);
    const report = await typicalEncryptedReport(recipients);
    baseline = await startBaseline('postgres', baseUrl);
    const counter = async (url: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      clients.push(c);
      return async () => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM reports')).rows[0]!.n);
    };
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    clients.push(admin);
    const settings = (
      await admin.query<{ name: string; setting: string }>(
        "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'server_version') ORDER BY name",
      )
    ).rows
      .map((x) => `${x.name}=${x.setting}`)
      .join(', ');
    const { results } = await measureBoth(
      { name: 'ours', url: ours.url, pid: ours.server.process.pid!, count: await counter(oursUrl) },
      { name: 'baseline', url: baseline.url, pid: baseline.pid, count: await counter(baseUrl) },
      challenge,
      report,
    );
    return {
      title,
      rows: rows('postgres', results),
      notes: [
        ...commonNotes(report, coordinators, results),
        `PostgreSQL: a throw-away cluster from tests/helpers/postgres.ts on 127.0.0.1 (TCP), ${settings}; both servers use a pool of 10 connections to their own database in it. Started with fsync, synchronous_commit and full_page_writes on (the settings above are read back), so every commit waits for the disk as in production, for ours and the baseline alike.`,
      ],
    };
  } finally {
    for (const c of clients) await c.end().catch(() => {});
    await baseline?.stop();
    await ours?.stop();
    await cluster.stop();
  }
}
