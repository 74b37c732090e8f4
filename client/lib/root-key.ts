/** The organisation root public key pinned into this build (vite.config.ts injects it). */
import { bytes } from './crypto.js';

/**
 * The 32-byte root key.
 * @throws Error('no pinned root key') when the build carries none (then nothing may be sent)
 */
export function pinnedRootKey(): Uint8Array {
  let key: Uint8Array;
  try {
    key = bytes.fromBase64Padded(__TIPLINE_ROOT_PUBLIC_KEY__);
  } catch {
    throw new Error('no pinned root key');
  }
  if (key.length !== 32) throw new Error('no pinned root key');
  return key;
}
