/** What this build pins (vite.config.ts injects it): the organisation root public key and the lowest keyring version. */
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

/**
 * The lowest keyring version this build accepts (crypto/SPEC.md §Keyring, version).
 * @throws Error('no pinned minimum keyring version') when the build carries none (then nothing may be sent)
 */
export function pinnedMinKeyringVersion(): number {
  let v: unknown;
  try {
    v = __TIPLINE_MIN_KEYRING_VERSION__;
  } catch {
    v = undefined;
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new Error('no pinned minimum keyring version');
  return v;
}
