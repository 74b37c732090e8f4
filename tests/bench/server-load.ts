/**
 * A small closed-loop HTTP load generator for the server benches: `concurrency` workers on
 * one keep-alive node:http Agent, each sending its next request as soon as the previous
 * answer has been read. A run is bounded by a request count AND a time limit and stops by
 * itself; it only ever talks to 127.0.0.1.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { summarize } from './harness.js';

export interface LoadRequest {
  method: 'GET' | 'POST';
  /** Path and query. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface LoadOptions {
  /** `http://127.0.0.1:PORT`; any other host is refused. */
  base: string;
  concurrency: number;
  /** Timed phase: stop after this many requests ... */
  maxRequests: number;
  /** ... or after this many milliseconds, whichever comes first. */
  maxMs: number;
  /** Untimed requests first (same bounds style), so the server's JIT and caches are warm. */
  warmupMs: number;
  warmupMaxRequests?: number;
  /** The i-th request overall (warm-up included), so callers can make every request unique. */
  make: (i: number) => LoadRequest;
  /** The status every answer must have; anything else fails the run. */
  expectStatus: number;
  /** Optional extra check of an answer's body (e.g. that it parses). */
  check?: (body: Buffer) => boolean;
}

export interface LoadResult {
  /** Answered requests in the timed phase. */
  requests: number;
  seconds: number;
  perSecond: number;
  /** Relative spread (IQR / median) of the throughput over 250 ms slices of the timed phase. */
  spread: number | undefined;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  stoppedBy: 'count' | 'time';
  /** Requests sent overall, warm-up included (all answered with expectStatus). */
  total: number;
  /** Bytes of the last answer body, for the notes. */
  answerBytes: number;
  /** Every timed latency (ms), ascending. */
  latencies: number[];
  /** Seconds per request in each full 250 ms slice (for pooling spreads over several runs). */
  slicePerOp: number[];
}

interface Answer {
  status: number;
  body: Buffer;
}

function send(agent: http.Agent, port: number, r: LoadRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body);
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out after 30 s')));
    req.on('error', reject);
    req.end(r.body);
  });
}

function nearestRank(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Run the load. Every answer must have `expectStatus` (and pass `check`), otherwise the run
 * stops and throws with the first unexpected answer, so a broken server never yields numbers.
 * @throws Error for a non-loopback base URL, an unexpected answer or a network error
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const base = new URL(o.base);
  if (base.protocol !== 'http:' || base.hostname !== '127.0.0.1' || !base.port) {
    throw new Error(`load generator only talks to http://127.0.0.1:PORT, not ${o.base}`);
  }
  const port = Number(base.port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  let next = 0;
  let failure: Error | undefined;
  let answerBytes = 0;

  const phase = async (maxRequests: number, maxMs: number, latencies: number[] | undefined, done: number[] | undefined) => {
    let started = 0;
    const t0 = performance.now();
    const deadline = t0 + maxMs;
    const worker = async () => {
      while (failure === undefined && started < maxRequests && performance.now() < deadline) {
        started++;
        const i = next++;
        const req = o.make(i);
        const t = performance.now();
        let a: Answer;
        try {
          a = await send(agent, port, req);
        } catch (e) {
          failure ??= e instanceof Error ? e : new Error(String(e));
          return;
        }
        const end = performance.now();
        if (a.status !== o.expectStatus || (o.check && !o.check(a.body))) {
          failure ??= new Error(
            `request ${i} (${req.method} ${req.path}) answered ${a.status}, expected ${o.expectStatus}: ${a.body.toString('utf8').slice(0, 200)}`,
          );
          return;
        }
        answerBytes = a.body.length;
        latencies?.push(end - t);
        done?.push(end - t0);
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    return { ms: performance.now() - t0, started, stoppedBy: started >= maxRequests ? ('count' as const) : ('time' as const) };
  };

  try {
    if (o.warmupMs > 0) await phase(o.warmupMaxRequests ?? o.maxRequests, o.warmupMs, undefined, undefined);
    if (failure) throw failure;
    const latencies: number[] = [];
    const done: number[] = [];
    const p = await phase(o.maxRequests, o.maxMs, latencies, done);
    if (failure) throw failure;
    if (latencies.length === 0) throw new Error('no request completed in the timed phase');
    latencies.sort((a, b) => a - b);
    // Throughput per 250 ms slice (only full slices), for the spread.
    const slice = 250;
    const slices = Math.floor(p.ms / slice);
    const counts = new Array<number>(Math.max(slices, 0)).fill(0);
    for (const t of done) {
      const k = Math.floor(t / slice);
      if (k < slices) counts[k]!++;
    }
    const perOp = counts.filter((c) => c > 0).map((c) => slice / 1000 / c);
    return {
      requests: latencies.length,
      seconds: p.ms / 1000,
      perSecond: latencies.length / (p.ms / 1000),
      spread: perOp.length >= 4 ? summarize(perOp).spread : undefined,
      p50Ms: nearestRank(latencies, 0.5),
      p99Ms: nearestRank(latencies, 0.99),
      maxMs: latencies[latencies.length - 1]!,
      stoppedBy: p.stoppedBy,
      total: next,
      answerBytes,
      latencies,
      slicePerOp: perOp,
    };
  } finally {
    agent.destroy();
  }
}

/** Several runs against the same target taken as one: requests and seconds summed, latencies and slices pooled. */
export function mergeLoads(runs: readonly LoadResult[]): LoadResult {
  if (runs.length === 0) throw new Error('no runs');
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const slicePerOp = runs.flatMap((r) => r.slicePerOp);
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    spread: slicePerOp.length >= 4 ? summarize(slicePerOp).spread : undefined,
    p50Ms: nearestRank(latencies, 0.5),
    p99Ms: nearestRank(latencies, 0.99),
    maxMs: latencies[latencies.length - 1]!,
    stoppedBy: runs.some((r) => r.stoppedBy === 'count') ? 'count' : 'time',
    total: runs.reduce((n, r) => n + r.total, 0),
    answerBytes: runs[runs.length - 1]!.answerBytes,
    latencies,
    slicePerOp,
  };
}
