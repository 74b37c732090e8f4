/** Runs the proof of work in a Web Worker, falling back to the page itself when workers are unavailable. */
import { requestJson } from './api.js';
/** The page's own solver, only when a worker cannot start: loaded then, not with the page. */
const solvePow: typeof import('../../crypto/pow.js').solvePow = async (...args) => (await import('../../crypto/pow.js')).solvePow(...args);

export type PowProgress = (tried: number, expected: number) => void;

type WorkerMessage = { type: 'progress'; tried: number; expected: number } | { type: 'done'; stamp: string } | { type: 'error'; message: string };

/**
 * Solve a challenge; onProgress gets the tries so far and the expected mean.
 * @throws Error when the challenge is malformed or the work fails
 */
export function runPow(challenge: string, difficulty: number, onProgress?: PowProgress): Promise<string> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./pow-worker.ts', import.meta.url), { type: 'module', name: 'pow' });
  } catch {
    return solvePow(challenge, difficulty, onProgress);
  }
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      worker.terminate();
      fn();
    };
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      if (m.type === 'progress') onProgress?.(m.tried, m.expected);
      else if (m.type === 'done') finish(() => resolve(m.stamp));
      else finish(() => reject(new Error(m.message)));
    };
    // A worker that cannot start (blocked by policy, or module workers unsupported) falls back to the page.
    worker.onerror = (e) => {
      e.preventDefault();
      finish(() => solvePow(challenge, difficulty, onProgress).then(resolve, reject));
    };
    worker.postMessage({ challenge, difficulty });
  });
}

/**
 * Fetch a fresh challenge from the server and solve it. Challenges live 15 minutes and each
 * pays for one thing, so a stamp is made right before the request it pays for.
 * @throws ApiError when the challenge cannot be fetched; Error when the work fails
 */
export async function freshStamp(onProgress?: PowProgress): Promise<string> {
  const { challenge, difficulty } = await requestJson<{ challenge: string; difficulty: number }>('/api/pow');
  return runPow(challenge, difficulty, onProgress);
}
