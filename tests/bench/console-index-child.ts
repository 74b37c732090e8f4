/**
 * Child of console-index.ts: a cold console process. Loads libsodium, then times decrypting,
 * validating, extracting identifiers and indexing every fixture report through the console's
 * own ConsoleService.ingest, then identifier searches. Prints `BENCH_RESULT <json>`.
 */
import { performance } from 'node:perf_hooks';
import { HybridIdentity, loadSodiumBackend, useBackend } from '../../crypto/index.js';
import { ConsoleService } from '../../console/service.js';
import { DecryptPool } from '../../console/pool.js';
import type { Remote } from '../../console/remote.js';
import { loadFixture } from './console-fixture.js';

export interface IndexResult {
  workers: number;
  reports: number;
  ok: number;
  indexMs: number;
  backendMs: number;
  searchMs: number[];
  lookupMs: number[];
  textSearchMs: number[];
  maxRssBytes: number;
  heapUsedBytes: number;
  links: number;
  linked: number;
}

const fixture = await loadFixture();
const t0 = performance.now();
useBackend(await loadSodiumBackend());
const backendMs = performance.now() - t0;
const me = HybridIdentity.parse(fixture.identity);
const noRemote = {} as Remote;
const service = new ConsoleService(noRemote, { id: 'bench', name: 'bench', identity: me, signingSeed: new Uint8Array(32) }, [me], new Uint8Array(32));
// `pool`: decryption in worker threads (one per core) with ingests in flight as sync does them.
const workers = process.argv[2] === 'pool';
if (workers) service.pool = await DecryptPool.start([me]);
const t1 = performance.now();
let next = 0;
async function lane(): Promise<void> {
  for (let i = next++; i < fixture.reports.length; i = next++) await ingestOne(i);
}
async function ingestOne(i: number): Promise<void> {
  await service.ingest({
    id: `r${i}`,
    day: '2026-11-30',
    state: 'new',
    origin: 'browser',
    expires: '2027-02-28',
    report: fixture.reports[i]!,
    attachments: [],
    notes: [],
    hasMailbox: true,
    messages: [],
  });
}
await Promise.all(Array.from({ length: workers ? 16 : 1 }, lane));
const indexMs = performance.now() - t1;
await service.pool?.close();
const ok = [...service.cases.values()].filter((c) => c.status === 'ok').length;
let linked = 0;
for (const id of service.cases.keys()) if (service.index.related(id).length > 0) linked++;

const searchMs: number[] = [];
const lookupMs: number[] = [];
let links = 0;
for (const q of fixture.queries) {
  let s = performance.now();
  links += service.index.lookup(q).size;
  lookupMs.push(performance.now() - s);
  s = performance.now();
  service.index.search(q);
  searchMs.push(performance.now() - s);
}
const textSearchMs: number[] = [];
for (const q of ['blocked the door', 'Chapeltown', 'withheld', 'scar on his left']) {
  const s = performance.now();
  service.index.search(q);
  textSearchMs.push(performance.now() - s);
}
const result: IndexResult = {
  workers: service.pool?.size ?? 0,
  reports: fixture.reports.length,
  ok,
  indexMs,
  backendMs,
  searchMs,
  lookupMs,
  textSearchMs,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  heapUsedBytes: process.memoryUsage().heapUsed,
  links,
  linked,
};
console.log('BENCH_RESULT ' + JSON.stringify(result));
