/**
 * Child process of report-jit.ts, run as `node [--jitless] --import tsx report-jit-child.ts [minTimeMs]`.
 * Times encrypting a padded typical report to three hybrid coordinators with the noble backend
 * (the browser's) and prints one line: `BENCH_RESULT <json>`.
 */
import { performance } from 'node:perf_hooks';
import { HybridIdentity, bytes, decrypt, encrypt, loadSodiumBackend, nobleBackend, useBackend } from '../../crypto/index.js';
import { measure } from './harness.js';
import { padReport, typicalReportJson } from './typical-report.js';

export interface ChildResult {
  jitless: boolean;
  webAssembly: boolean;
  padding: string;
  jsonBytes: number;
  paddedBytes: number;
  fileBytes: number;
  /** The first encryption in a fresh process (what a reporter's page does once). */
  firstMs: number;
  /** Per-call time of each timed sample after the first call. */
  sampleMs: number[];
  /** Whether the libsodium backend loads in this process, or why not. */
  sodium: string;
}

useBackend(nobleBackend);
const coordinators = [HybridIdentity.generate(), HybridIdentity.generate(), HybridIdentity.generate()];
const recipients = coordinators.map((c) => c.recipient());
const json = typicalReportJson();
const { padded, how } = await padReport(json);

const t0 = performance.now();
const file = await encrypt(recipients, padded);
const firstMs = performance.now() - t0;
for (const c of coordinators) {
  if (!bytes.equalBytes(await decrypt([c], file), padded)) throw new Error('round trip failed');
}

const minTimeMs = Number(process.argv[2] ?? '2000');
const t = await measure(() => encrypt(recipients, padded), { warmupMs: 0, minTimeMs, minSamples: 3 });

let sodium: string;
try {
  const b = await Promise.race([
    loadSodiumBackend(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out after 10 s')), 10_000).unref()),
  ]);
  sodium = `loads (${b.name})`;
} catch (e) {
  sodium = `does not load: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`;
}

const result: ChildResult = {
  jitless: process.execArgv.includes('--jitless'),
  webAssembly: typeof WebAssembly !== 'undefined',
  padding: how,
  jsonBytes: json.length,
  paddedBytes: padded.length,
  fileBytes: file.length,
  firstMs,
  sampleMs: t.sampleSeconds.map((x) => x * 1000),
  sodium,
};
console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
