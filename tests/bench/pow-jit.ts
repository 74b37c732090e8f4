/**
 * Time to solve the server's default proof-of-work difficulty with crypto/pow.ts solvePow
 * (what the reporter's browser runs), in a fresh `node --import tsx` child and a fresh
 * `node --jitless --import tsx` child (Tor Browser at "Safer" turns the JIT off).
 *
 * Both children get the same fixed challenges, so they need the same number of hashes and
 * the ratio is the speed ratio. The jitless child has a time budget; when it runs out, its
 * median is estimated from the tries each challenge needs (known from the JIT child) and
 * its measured hash rate, and the row says so.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultConfig } from '../../server/config.js';
import { against, type Row, type Section } from './harness.js';
import type { PowAttempt, PowChildResult } from './pow-jit-child.js';
import { tempDir, timeScale } from './server-common.js';

const execFileAsync = promisify(execFile);
const CHILD = fileURLToPath(new URL('./pow-jit-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHALLENGES = 7;
const JIT_BUDGET_MS = 60_000;
const JITLESS_BUDGET_MS = 30_000;

/** Fixed challenges of the server's shape (38 bytes, base64url), the same in every run. */
function challenges(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const h = (s: string) => createHash('sha256').update(`tipline bench pow ${i} ${s}`).digest();
    return Buffer.concat([h('a'), h('b').subarray(0, 6)]).toString('base64url');
  });
}

async function child(flags: string[], difficulty: number, budgetMs: number, list: string[]): Promise<PowChildResult> {
  const args = [...flags, '--import', 'tsx', CHILD, String(difficulty), String(Math.round(budgetMs)), list.join(',')];
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(process.execPath, args, { cwd: ROOT, timeout: budgetMs + 60_000, maxBuffer: 1 << 20 }));
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`node ${flags.join(' ')} pow-jit-child.ts failed: ${err.message}\n${err.stderr ?? ''}`);
  }
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`pow-jit-child.ts printed no result:\n${stdout}`);
  const r = JSON.parse(line.slice('BENCH_RESULT '.length)) as PowChildResult;
  if (r.jitless !== flags.includes('--jitless')) throw new Error('child did not run with the expected flags');
  return r;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Hashes per second over everything a child did, the aborted challenge included. */
function rate(attempts: readonly PowAttempt[]): number {
  const tries = attempts.reduce((n, a) => n + a.tries, 0);
  const ms = attempts.reduce((n, a) => n + a.ms, 0);
  return tries / (ms / 1000);
}

export async function run(): Promise<Section> {
  const tmp = tempDir('tipline-bench-config-');
  let pow;
  try {
    pow = defaultConfig(tmp.dir).pow;
  } finally {
    tmp.remove();
  }
  const d = pow.difficulty;
  const list = challenges(CHALLENGES);
  const jit = await child([], d, JIT_BUDGET_MS * timeScale, list);
  const jitless = await child(['--jitless'], d, JITLESS_BUDGET_MS * timeScale, list);

  const jitSolved = jit.attempts.filter((a) => a.solved);
  if (jitSolved.length === 0) throw new Error('the JIT child solved no challenge within its budget');
  const n = jitSolved.length;
  const tries = jitSolved.map((a) => a.tries);
  const jitRate = rate(jit.attempts);
  const lessRate = rate(jitless.attempts);
  const lessSolved = jitless.attempts.filter((a) => a.solved && a.index < n);
  const lessAllSolved = lessSolved.length === n;

  const p = `difficulty ${d}`;
  const jitMedian: Row = { name: `${p} · JIT · median solve time, ${n} challenges (measured)`, value: median(jitSolved.map((a) => a.ms)), unit: 'ms' };
  const jitRateRow: Row = { name: `${p} · JIT · hash rate`, value: jitRate, unit: 'hash/s' };
  const jitMean: Row = { name: `${p} · JIT · mean solve time = 2^${d} / hash rate`, value: (2 ** d / jitRate) * 1000, unit: 'ms' };
  const lessMedian: Row = lessAllSolved
    ? { name: `${p} · jitless · median solve time, ${n} challenges (measured)`, value: median(lessSolved.map((a) => a.ms)), unit: 'ms' }
    : {
        name: `${p} · jitless · median solve time, ${n} challenges (ESTIMATED: tries / jitless hash rate)`,
        value: (median(tries) / lessRate) * 1000,
        unit: 'ms',
      };
  const rows: Row[] = [
    jitMedian,
    jitRateRow,
    jitMean,
    against(lessMedian, jitMedian, 'JIT'),
    against({ name: `${p} · jitless · hash rate`, value: lessRate, unit: 'hash/s' }, jitRateRow, 'JIT'),
    against({ name: `${p} · jitless · mean solve time = 2^${d} / hash rate`, value: (2 ** d / lessRate) * 1000, unit: 'ms' }, jitMean, 'JIT'),
  ];
  if (pow.maxDifficulty > d) {
    rows.push(
      { name: `surge ceiling ${pow.maxDifficulty} · JIT · mean solve time = 2^${pow.maxDifficulty} / hash rate`, value: (2 ** pow.maxDifficulty / jitRate) * 1000, unit: 'ms' },
      { name: `surge ceiling ${pow.maxDifficulty} · jitless · mean solve time = 2^${pow.maxDifficulty} / hash rate`, value: (2 ** pow.maxDifficulty / lessRate) * 1000, unit: 'ms' },
    );
  }
  const lessDone = jitless.attempts.filter((a) => a.solved);
  return {
    title: `proof of work at the server's default difficulty (${d} bits), solvePow, with and without the JIT`,
    rows,
    notes: [
      `difficulty ${d} is the default of server/config.ts (pow.difficulty; surge ceiling pow.maxDifficulty = ${pow.maxDifficulty}). A solve needs on average 2^${d} = ${(2 ** d).toLocaleString('en-US')} SHA-256 (@noble/hashes) tries; the tries are geometrically distributed, so single solves vary a lot (median ≈ 0.69 × mean) and the mean rows, from the pooled hash rate, are the steadier figure.`,
      `${CHALLENGES} fixed challenges of the server's shape, the same in both children: tries needed ${tries.map((t) => t.toLocaleString('en-US')).join(', ')} (median ${median(tries).toLocaleString('en-US')}).`,
      `one fresh child each: node --import tsx (budget ${Math.round((JIT_BUDGET_MS * timeScale) / 1000)} s) and node --jitless --import tsx (budget ${Math.round((JITLESS_BUDGET_MS * timeScale) / 1000)} s); solvePow works in chunks and yields to the event loop, as in the browser's worker. The jitless child solved ${lessDone.length} of ${CHALLENGES} in its budget (${lessDone.map((a) => `#${a.index + 1} in ${(a.ms / 1000).toFixed(1)} s`).join(', ') || 'none'})${lessAllSolved ? '' : ', so its median is estimated from each challenge\'s tries and its measured hash rate'}.`,
      'ratio = jitless / JIT (ms: higher is slower; hash/s: lower is slower). The jitless rows approximate Tor Browser at its "Safer" level on this server CPU; a phone is several times slower still.',
    ],
  };
}
