/**
 * The private check in the browser (crypto/SPEC.md §Private check): normalise, Argon2id in a
 * worker, blind, ask the server to evaluate the blinded element (counted against the daily
 * limit), finalise, and compare the tag with the tags of warnings this page already verified.
 * The identifier, its normalised form and its hash never leave this page.
 */
import { blindCheck, bytes, checkKey, finalizeCheck, type CheckKind } from '../../crypto/index.js';
import { memberJson } from './member-api.js';

/** Loaded only when a worker cannot start. */
const inPage = async (key: string) => (await import('../../crypto/oprf.js')).checkInput(key);

/** Argon2id of a normalised check key, in a Web Worker (the page itself when workers are unavailable). */
export function memoryHardInput(key: string): Promise<Uint8Array> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./check-worker.ts', import.meta.url), { type: 'module', name: 'check' });
  } catch {
    return inPage(key);
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      worker.terminate();
      fn();
    };
    worker.onmessage = (e: MessageEvent<{ type: 'done'; input: Uint8Array } | { type: 'error' }>) => {
      const m = e.data;
      finish(() => (m.type === 'done' ? resolve(new Uint8Array(m.input)) : reject(new Error('check failed'))));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      finish(() => inPage(key).then(resolve, reject));
    };
    worker.postMessage({ key });
  });
}

/** What was typed cannot be an identifier of the chosen kind. */
export class NotAnIdentifier extends Error {}

/**
 * The private-check tag (padded base64) of what was typed.
 * @throws NotAnIdentifier; ApiError (429 over the daily limit, 401 logged out)
 */
export async function checkTagOf(kind: CheckKind, typed: string): Promise<string> {
  const key = checkKey(kind, typed);
  if (!key) throw new NotAnIdentifier('not an identifier of this kind');
  const input = await memoryHardInput(key);
  const { blind, blinded } = blindCheck(input);
  const r = await memberJson<{ evaluated: string }>('/api/check', 'POST', { blinded: bytes.base64Padded(blinded) });
  return bytes.base64Padded(finalizeCheck(input, blind, bytes.fromBase64Padded(r.evaluated)));
}
