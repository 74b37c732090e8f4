/**
 * Time to encrypt a padded typical report to three hybrid coordinators with the noble backend,
 * in fresh `node --import tsx` children and fresh `node --jitless --import tsx` children.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { against, formatBytes, summarize, type Row, type Section } from './harness.js';
import type { ChildResult } from './report-jit-child.js';

const execFileAsync = promisify(execFile);
const CHILD = fileURLToPath(new URL('./report-jit-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Children per mode, run alternately so that load from elsewhere hits both modes alike. */
const RUNS = 3;
/** Minimum measuring time in each child (the child applies BENCH_TIME_SCALE itself). */
const CHILD_MIN_MS = 1000;

async function child(flags: string[]): Promise<ChildResult> {
  const args = [...flags, '--import', 'tsx', CHILD, String(CHILD_MIN_MS)];
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(process.execPath, args, { cwd: ROOT, timeout: 120_000, maxBuffer: 1 << 20 }));
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`node ${args.join(' ')} failed: ${err.message}\n${err.stderr ?? ''}`);
  }
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`node ${args.join(' ')} printed no result:\n${stdout}`);
  const r = JSON.parse(line.slice('BENCH_RESULT '.length)) as ChildResult;
  if (r.jitless !== flags.includes('--jitless')) throw new Error('child did not run with the expected flags');
  return r;
}

function median(xs: readonly number[]): number {
  return summarize(xs).perOp;
}

export async function run(): Promise<Section> {
  const jit: ChildResult[] = [];
  const jitless: ChildResult[] = [];
  // One child at a time: on two cores, running them together would slow both.
  for (let i = 0; i < RUNS; i++) {
    jit.push(await child([]));
    jitless.push(await child(['--jitless']));
  }
  const what = 'typical report → 3 hybrid';
  const modeRows = (mode: string, runs: ChildResult[]): [Row, Row] => {
    const warm = summarize(runs.flatMap((r) => r.sampleMs));
    return [
      { name: `${what} · ${mode} · first call`, value: median(runs.map((r) => r.firstMs)), unit: 'ms' },
      { name: `${what} · ${mode} · warm`, value: warm.perOp, unit: 'ms', spread: warm.spread },
    ];
  };
  const [jitFirst, jitWarm] = modeRows('JIT', jit);
  const [lessFirst, lessWarm] = modeRows('jitless', jitless);
  const r0 = jit[0]!;
  const l0 = jitless[0]!;
  return {
    title: 'encrypting a typical report to three hybrid coordinators, noble backend, with and without the JIT',
    rows: [jitFirst, jitWarm, against(lessFirst, jitFirst, 'JIT'), against(lessWarm, jitWarm, 'JIT')],
    notes: [
      `report: ${r0.jsonBytes} B of JSON (with a reply recipient), padded to ${formatBytes(r0.paddedBytes)} with ${r0.padding}; the age file is ${r0.fileBytes} B.`,
      `${RUNS} fresh child processes per mode, alternating (node --import tsx / node --jitless --import tsx). first call = the first encryption in a process (what a reporter's page does), median over the children; warm = median of the later calls pooled over the children (${jit.reduce((n, r) => n + r.sampleMs.length, 0)} / ${jitless.reduce((n, r) => n + r.sampleMs.length, 0)} samples). ratio = jitless / JIT (times: higher is slower).`,
      'why noble matters: Tor Browser at its "Safer" security level disables the JavaScript JIT and WebAssembly, so the browser client runs the pure-JS noble backend interpreted; the jitless rows approximate that (on this server CPU; a phone is slower).',
      `under --jitless WebAssembly is ${l0.webAssembly ? 'still available (unexpected)' : 'unavailable'} and libsodium-wrappers ${l0.sodium}; with the JIT it ${r0.sodium}.`,
    ],
  };
}
