/// <reference lib="webworker" />
/** Web Worker: the private check's memory-hard hash (Argon2id, crypto/SPEC.md §Private check)
 * off the main thread, so the page stays responsive. It imports crypto/oprf.ts alone. */
import { checkInput } from '../../crypto/oprf.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<{ key: string }>) => {
  try {
    const input = checkInput(e.data.key);
    scope.postMessage({ type: 'done', input }, [input.buffer]);
  } catch {
    scope.postMessage({ type: 'error' });
  }
};
