/**
 * Child process of pow-jit.ts, run as
 *   node [--jitless] --import tsx pow-jit-child.ts <difficulty> <budgetMs> <challenge>[,<challenge>...]
 * Solves the challenges in order with crypto/pow.ts solvePow until they are done or the time
 * budget is spent (the challenge in progress is then aborted and its tries so far reported),
 * and prints one line: `BENCH_RESULT <json>`.
 */
import { performance } from 'node:perf_hooks';
import { checkPow, solvePow } from '../../crypto/index.js';

export interface PowAttempt {
  /** Index into the challenge list. */
  index: number;
  solved: boolean;
  /** Hashes tried (the winning nonce + 1 when solved). */
  tries: number;
  ms: number;
}

export interface PowChildResult {
  jitless: boolean;
  attempts: PowAttempt[];
}

const difficulty = Number(process.argv[2]);
const budgetMs = Number(process.argv[3]);
const challenges = (process.argv[4] ?? '').split(',').filter(Boolean);
if (!Number.isInteger(difficulty) || !(budgetMs > 0) || challenges.length === 0) {
  process.stderr.write('usage: pow-jit-child.ts <difficulty> <budgetMs> <challenge>[,...]\n');
  process.exit(2);
}

const deadline = performance.now() + budgetMs;
const attempts: PowAttempt[] = [];
for (let index = 0; index < challenges.length; index++) {
  const left = deadline - performance.now();
  if (left <= 0) break;
  const challenge = challenges[index]!;
  let tried = 0;
  const t0 = performance.now();
  // Checked after every chunk of work (solvePow looks at the signal between chunks).
  const stop = new AbortController();
  const onProgress = (t: number) => {
    tried = t;
    if (performance.now() >= deadline) stop.abort(new DOMException('time budget spent', 'TimeoutError'));
  };
  try {
    const stamp = await solvePow(challenge, difficulty, onProgress, stop.signal);
    const ms = performance.now() - t0;
    if (!checkPow(stamp, difficulty) || !stamp.startsWith(`${challenge}:`)) throw new Error(`solvePow returned an invalid stamp ${stamp}`);
    attempts.push({ index, solved: true, tries: Number(stamp.slice(challenge.length + 1)) + 1, ms });
  } catch (e) {
    if ((e as { name?: string }).name !== 'TimeoutError') throw e;
    attempts.push({ index, solved: false, tries: tried, ms: performance.now() - t0 });
    break;
  }
}

const result: PowChildResult = { jitless: process.execArgv.includes('--jitless'), attempts };
console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
