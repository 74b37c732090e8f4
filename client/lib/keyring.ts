/** Fetch the keyring and verify it against what this build pins before anything is encrypted to it. */
import { keyringRecipients, verifyKeyring, type HybridRecipient, type Keyring } from './crypto.js';
import { ApiError, request } from './api.js';
import { KeyringRefused } from './keyring-error.js';
import { pinnedMinKeyringVersion, pinnedRootKey } from './root-key.js';

export { KeyringRefused };

/** What a build pins: the root key that signs keyrings and the lowest keyring version it accepts. */
export interface KeyringPins {
  rootPublicKey: Uint8Array;
  minVersion: number;
}

/**
 * Verify keyring JSON text against the pins (crypto/SPEC.md §Verifying a keyring): the
 * envelope's exact shape and kind, the root key's signature, the strict schema, a version
 * not below the pinned minimum, not expired, and at least one coordinator to encrypt to.
 * @throws KeyringRefused for every failure, with the reason
 */
export function acceptKeyring(text: string, pins: KeyringPins, now = new Date()): { keyring: Keyring; recipients: HybridRecipient[] } {
  try {
    // The keyring schema wants at least one coordinator (and encrypt() refuses no recipients).
    const keyring = verifyKeyring(text, pins.rootPublicKey, { now, minVersion: pins.minVersion });
    return { keyring, recipients: keyringRecipients(keyring) };
  } catch (e) {
    throw KeyringRefused.of(e);
  }
}

/**
 * The verified keyring and every coordinator's recipient.
 * @throws KeyringRefused when the keyring is missing, not signed by the pinned root key, malformed,
 *   older than the pinned minimum version or expired, or the build pins nothing
 * @throws ApiError on a network failure
 */
export async function verifiedRecipients(): Promise<{ keyring: Keyring; recipients: HybridRecipient[] }> {
  let text: string;
  try {
    text = await (await request('/api/keyring')).text();
  } catch (e) {
    if (e instanceof ApiError && e.status !== 0) throw new KeyringRefused(e.message);
    throw e;
  }
  let pins: KeyringPins;
  try {
    pins = { rootPublicKey: pinnedRootKey(), minVersion: pinnedMinKeyringVersion() };
  } catch (e) {
    throw KeyringRefused.of(e);
  }
  return acceptKeyring(text, pins);
}
