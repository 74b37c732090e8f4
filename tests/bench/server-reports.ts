/**
 * Report submissions per second and latency of the real tipline server (child process,
 * @hono/node-server on 127.0.0.1) against two baselines measured in the same run
 * (server-baseline.ts): plain node:http doing the same work in one transaction (the fair
 * one), the same with group commit as ours does it, and one prepared INSERT of the blob
 * (the old reference), on SQLite with
 * the same durability settings and on PostgreSQL (a throw-away cluster from
 * tests/helpers/postgres.ts).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { keyringRecipients, verifyKeyring } from '../../crypto/index.js';
import { defaultConfig } from '../../server/config.js';
import { PowIssuer, subkey } from '../../server/pow.js';
import { loadServerKey } from '../../server/start.js';
import { PG_SKIP_MESSAGE, startPostgres } from '../helpers/postgres.js';
import { against, formatBytes, type Row, type Section } from './harness.js';
import { fsType, loadBounds, processCpuMs, startBaseline, startOurServer, tempDir, typicalEncryptedReport, type Baseline, type TypicalBody } from './server-common.js';
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

type Who = 'ours' | 'same-work' | 'grouped' | 'one-insert';
const BASELINES = ['same-work', 'grouped', 'one-insert'] as const;

async function measureAll(targets: Record<Who, Target>, challenge: () => string, report: TypicalBody) {
  const body = makeBody(report);
  // A fresh challenge per request (one challenge pays once): difficulty 0 makes any nonce
  // valid, but the server still checks the challenge's MAC and expiry and spends it.
  const request = () => ({
    method: 'POST' as const,
    path: '/api/reports',
    headers: { 'content-type': 'application/json', 'tipline-pow': `${challenge()}:0` },
    body: body(),
  });
  const order: Who[] = ['same-work', 'ours', 'grouped', 'one-insert'];
  const before = {} as Record<Who, number>;
  const sent = {} as Record<Who, number>;
  for (const w of order) {
    before[w] = await targets[w].count();
    sent[w] = 0;
  }
  const results: Result[] = [];
  const { maxMs, warmupMs } = loadBounds(TIMED_MS, WARMUP_MS);
  for (const c of CONCURRENCY) {
    const runs = {} as Record<Who, LoadResult[]>;
    const cpu = {} as Record<Who, { ms: number; requests: number; ok: boolean }>;
    for (const w of order) {
      runs[w] = [];
      cpu[w] = { ms: 0, requests: 0, ok: true };
    }
    const run = async (who: Who, round: number) => {
      const t = targets[who];
      const cpu0 = await processCpuMs(t.pid);
      const r = await runLoad({
        base: t.url,
        concurrency: c,
        maxRequests: Math.ceil(MAX_REQUESTS / ROUNDS),
        maxMs: maxMs / ROUNDS,
        warmupMs: round === 0 ? warmupMs : 0,
        make: request,
        expectStatus: 201,
        check: (b) => b.includes('"id"'),
      });
      const cpu1 = await processCpuMs(t.pid);
      if (cpu0 === undefined || cpu1 === undefined) cpu[who].ok = false;
      else {
        cpu[who].ms += cpu1 - cpu0;
        cpu[who].requests += r.total;
      }
      sent[who] += r.total;
      runs[who].push(r);
    };
    // Short alternating rounds (same-work, ours, one-insert, ...): load from elsewhere on the
    // machine comes and goes, and this way it hits all alike.
    for (let round = 0; round < ROUNDS; round++) for (const w of order) await run(w, round);
    const load = {} as Record<Who, LoadResult>;
    const cpuMs = {} as Record<Who, number | undefined>;
    for (const w of order) {
      load[w] = mergeLoads(runs[w]);
      cpuMs[w] = cpu[w].ok ? cpu[w].ms / cpu[w].requests : undefined;
    }
    results.push({ c, load, cpuMs });
  }
  for (const w of order) {
    const stored = (await targets[w].count()) - before[w];
    if (stored !== sent[w]) throw new Error(`stored rows do not match accepted requests: ${w} ${stored}/${sent[w]}`);
  }
  return { results, sent };
}

interface Result {
  c: number;
  load: Record<Who, LoadResult>;
  /** Server process CPU time per request (warm-up included), when /proc is readable. */
  cpuMs: Record<Who, number | undefined>;
}

function rows(db: string, results: Result[]): Row[] {
  const out: Row[] = [];
  for (const { c, load, cpuMs } of results) {
    const p = (who: string, what: string) => `${db} · c=${c} · ${who} · ${what}`;
    for (const b of BASELINES) {
      const base = load[b];
      const ours = load.ours;
      const label = `baseline ${b}`;
      const bRate: Row = { name: p(label, 'submissions'), value: base.perSecond, unit: 'req/s', spread: base.spread };
      out.push(bRate, against({ name: p(`ours vs ${b}`, 'submissions'), value: ours.perSecond, unit: 'req/s', spread: ours.spread }, bRate, b));
      if (b === 'same-work') {
        const bP50: Row = { name: p(label, 'p50'), value: base.p50Ms, unit: 'ms' };
        const bP99: Row = { name: p(label, 'p99'), value: base.p99Ms, unit: 'ms' };
        out.push(
          bP50,
          against({ name: p('ours', 'p50'), value: ours.p50Ms, unit: 'ms' }, bP50, b),
          bP99,
          against({ name: p('ours', 'p99'), value: ours.p99Ms, unit: 'ms' }, bP99, b),
        );
      }
      const oc = cpuMs.ours;
      const bc = cpuMs[b];
      if (oc !== undefined && bc !== undefined) {
        const bCpu: Row = { name: p(label, 'server CPU per request'), value: bc, unit: 'ms' };
        out.push(bCpu, against({ name: p(`ours vs ${b}`, 'server CPU per request'), value: oc, unit: 'ms' }, bCpu, b));
      }
    }
  }
  return out;
}

async function recipientsAndChallenge(url: string, rootPublicKey: Uint8Array, dataDir: string) {
  // As a browser does: fetch the keyring, verify it against the pinned root key, encrypt to it.
  const keyring = verifyKeyring(await (await fetch(`${url}/api/keyring`)).text(), rootPublicKey);
  const pow = (await (await fetch(`${url}/api/pow`)).json()) as { challenge: string; difficulty: number };
  if (pow.difficulty !== 0) throw new Error(`expected proof-of-work difficulty 0, the server issued ${pow.difficulty}`);
  // Challenges made here with the server's own key (as GET /api/pow makes them), so the load
  // needs no extra request per submission.
  const issuer = new PowIssuer(subkey(loadServerKey(dataDir, {}), 'pow'), defaultConfig(dataDir).pow, () => new Date());
  return { recipients: keyringRecipients(keyring), coordinators: keyring.coordinators.length, challenge: () => issuer.issue(0).challenge };
}

function commonNotes(report: TypicalBody, coordinators: number, results: Result[]): string[] {
  const bodyBytes = makeBody(report)().length;
  const r0 = results[0]!;
  const n = (w: Who) => r0.load[w].requests;
  return [
    `body: a ${report.jsonBytes} B typical report JSON, padded to ${formatBytes(report.paddedBytes)} by ${report.padding}, age-encrypted to the keyring's ${coordinators} hybrid (mlkem768x25519) recipients = ${report.fileBytes} B age file; HTTP body ${bodyBytes} B of JSON {report: base64, mailbox: {id, publicKey}} (a fresh mailbox per request, as the browser sends). Both servers get identical requests.`,
    'proof of work: the server runs with difficulty 0; the bench makes a fresh challenge per request with the server key from the data dir (as GET /api/pow would), stamp `challenge:0`. So solving and fetching are not measured, but the server still checks every stamp (shape, HMAC, expiry, difficulty in force) and spends it in the database; the baselines spend the same header.',
    'ours per request: hono middleware (security headers, body limit, free-space check), hand-written body check (strict base64: decode and re-encode, mailbox id pattern), stamp check (HMAC, expiry, SHA-256 proof of work; the difficulty in force from the surge window is read from the database only when it could refuse the stamp, and then at most once a second per process (server/README.md, Surge read): with difficulty 0 = ceiling 0, as here, it never can, so no read), keyring (cached 1 s) and age header parse (exactly one mlkem768x25519 stanza per coordinator), an upload token and its SHA-256, then spend stamp + insert mailbox + insert report + the daily byte ceiling and surge counter, refused one by one (SQLite: one transaction per group of submissions, a savepoint each; PostgreSQL: one counters statement and one statement per group). baseline same-work (the fair one): node:http, JSON.parse, lenient base64 decode, SHA-256 of the stamp header, then one transaction with prepared statements: spend stamp (refused when spent) + insert mailbox + insert report, same durability; it skips the checks above (no HMAC, proof of work, age header, abuse counters, security headers), which ours keeps on purpose. baseline grouped: same-work with group commit as ours does it (SQLite: the submissions of one event-loop turn in one transaction, a savepoint each; PostgreSQL: up to two groups at a time, each one transaction of three multi-row INSERTs), to show what grouping alone buys. baseline one-insert (the old reference): JSON.parse, base64 decode, 1 INSERT (id, blob), autocommit.',
    'ours commits in groups too (server/README.md "Storing a report", group commit): the submissions that arrive together share one commit, as the grouped baseline does and same-work does not; the targets of issue 15 are set against same-work.',
    `load: closed loop, c concurrent keep-alive connections (node:http Agent) from the bench process, each sending its next request when the answer is read. Per concurrency and server: ${Math.round(loadBounds(TIMED_MS, WARMUP_MS).warmupMs)} ms warm-up, then ${ROUNDS} timed rounds alternating baseline/ours, together ${Math.round(loadBounds(TIMED_MS, WARMUP_MS).maxMs)} ms or ${MAX_REQUESTS} requests, whichever first (stopped by ${[...new Set(results.flatMap((r) => Object.values(r.load).map((l) => l.stoppedBy)))].join('/')}). Every answer had to be 201 and every accepted report was found in the database afterwards.`,
    `latency = request sent → answer body read, over all timed requests (c=${r0.c}: ${n('same-work')} same-work / ${n('ours')} ours / ${n('grouped')} grouped / ${n('one-insert')} one-insert). ± on req/s = spread of the throughput over 250 ms slices. server CPU per request = user + system CPU time of the server process (/proc/PID/stat) over the runs divided by the requests it answered; it excludes time spent waiting for the disk and is steadier than req/s when other processes compete for the cores. ratio = ours / baseline (req/s: higher is better; ms: lower is better). Targets (issue 15): req/s >= x0.9 of same-work, CPU per request <= x1.5 of same-work.`,
    'the load generator, the server and (for PostgreSQL) the database share the 2 cores, as do other processes on this machine; the numbers are for comparison within the run, not capacity planning.',
  ];
}

/** SQLite: ours with its own database file, each baseline with another file in a temp dir. */
export async function runSqlite(): Promise<Section> {
  const ours = await startOurServer({ coordinators: 3 });
  const tmp = tempDir('tipline-bench-baseline-');
  const baselines: Baseline[] = [];
  const dbs: BetterSqlite3.Database[] = [];
  try {
    const { recipients, coordinators, challenge } = await recipientsAndChallenge(ours.url, ours.org.rootPublicKey, ours.server.dataDir);
    const report = await typicalEncryptedReport(recipients);
    const counter = (file: string) => {
      let db: BetterSqlite3.Database | undefined;
      return async () => {
        if (!db) dbs.push((db = new BetterSqlite3(file, { readonly: true })));
        return (db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
      };
    };
    const targets = { ours: { name: 'ours', url: ours.url, pid: ours.server.process.pid!, count: counter(join(ours.server.dataDir, 'tipline.sqlite')) } } as Record<Who, Target>;
    for (const mode of BASELINES) {
      const file = join(tmp.dir, `baseline-${mode}.sqlite`);
      const b = await startBaseline('sqlite', file, mode);
      baselines.push(b);
      targets[mode] = { name: mode, url: b.url, pid: b.pid, count: counter(file) };
    }
    const probe = new BetterSqlite3(join(ours.server.dataDir, 'tipline.sqlite'), { readonly: true });
    const journal = (probe.pragma('journal_mode', { simple: true }) as string).toUpperCase();
    probe.close();
    const { results } = await measureAll(targets, challenge, report);
    const fs = await fsType(tmp.dir);
    return {
      title: 'report submissions over HTTP, SQLite: tipline server vs node:http + better-sqlite3 (same work; one INSERT)',
      rows: rows('sqlite', results),
      notes: [
        ...commonNotes(report, coordinators, results),
        `durability, all: journal_mode=${journal} (read back from ours), synchronous=FULL, secure_delete=ON (server/db/index.ts sets these per connection; the baselines set the same), files in a temp dir on ${fs}, so every commit waits for an fsync of the WAL.`,
      ],
    };
  } finally {
    for (const d of dbs) d.close();
    for (const b of baselines) await b.stop();
    await ours.stop();
    tmp.remove();
  }
}

/** PostgreSQL: one throw-away cluster, a database for ours and one per baseline. */
export async function runPostgres(): Promise<Section> {
  const title = 'report submissions over HTTP, PostgreSQL: tipline server vs node:http + pg (same work; one INSERT)';
  const cluster = await startPostgres({ durable: true });
  if (!cluster) return { title: `${title}: SKIPPED`, rows: [], notes: [PG_SKIP_MESSAGE] };
  let ours: Awaited<ReturnType<typeof startOurServer>> | undefined;
  const baselines: Baseline[] = [];
  const clients: pg.Client[] = [];
  try {
    const oursUrl = await cluster.createDatabase();
    ours = await startOurServer({ coordinators: 3, databaseUrl: oursUrl });
    const { recipients, coordinators, challenge } = await recipientsAndChallenge(ours.url, ours.org.rootPublicKey, ours.server.dataDir);
    const report = await typicalEncryptedReport(recipients);
    const counter = async (url: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      clients.push(c);
      return async () => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM reports')).rows[0]!.n);
    };
    const targets = { ours: { name: 'ours', url: ours.url, pid: ours.server.process.pid!, count: await counter(oursUrl) } } as Record<Who, Target>;
    for (const mode of BASELINES) {
      const url = await cluster.createDatabase();
      const b = await startBaseline('postgres', url, mode);
      baselines.push(b);
      targets[mode] = { name: mode, url: b.url, pid: b.pid, count: await counter(url) };
    }
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
    const { results } = await measureAll(targets, challenge, report);
    return {
      title,
      rows: rows('postgres', results),
      notes: [
        ...commonNotes(report, coordinators, results),
        `PostgreSQL: a throw-away cluster from tests/helpers/postgres.ts on 127.0.0.1 (TCP), ${settings}; every server uses a pool of 10 connections to its own database in it. Started with fsync, synchronous_commit and full_page_writes on (the settings above are read back), so every commit waits for the disk as in production, for ours and the baselines alike.`,
      ],
    };
  } finally {
    for (const c of clients) await c.end().catch(() => {});
    for (const b of baselines) await b.stop();
    await ours?.stop();
    await cluster.stop();
  }
}
