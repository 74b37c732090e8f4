/// <reference lib="webworker" />
/** Web Worker: solves the server's proof-of-work challenge off the main thread. It imports
 * crypto/pow.ts alone, not the index, and the build makes it a chunk of the page's bundle
 * (vite.config.ts, powWorkerChunk), so its SHA-256 is the one the page loads anyway. */
import { solvePow } from '../../crypto/pow.js';

interface Job {
  challenge: string;
  difficulty: number;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (e: MessageEvent<Job>) => {
  const { challenge, difficulty } = e.data;
  let last = 0;
  try {
    const stamp = await solvePow(challenge, difficulty, (tried, expected) => {
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        scope.postMessage({ type: 'progress', tried, expected });
      }
    });
    scope.postMessage({ type: 'done', stamp });
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : 'failed' });
  }
};
