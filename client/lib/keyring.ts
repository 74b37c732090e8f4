/** Fetch the keyring and verify it against the pinned root key before anything is encrypted to it. */
import { keyringRecipients, verifyKeyring, type HybridRecipient, type Keyring } from './crypto.js';
import { ApiError, request } from './api.js';
import { KeyringRefused } from './keyring-error.js';
import { pinnedRootKey } from './root-key.js';

export { KeyringRefused };

/**
 * The verified keyring and every coordinator's recipient.
 * @throws KeyringRefused when the keyring is missing, not signed by the pinned root key, malformed or expired
 * @throws ApiError on a network failure
 */
export async function verifiedRecipients(): Promise<{ keyring: Keyring; recipients: HybridRecipient[] }> {
  let text: string;
  try {
    text = await (await request('/api/keyring', { headers: { accept: 'application/json' } })).text();
  } catch (e) {
    if (e instanceof ApiError && e.status !== 0) throw new KeyringRefused(e.message);
    throw e;
  }
  try {
    const keyring = verifyKeyring(text, pinnedRootKey());
    const recipients = keyringRecipients(keyring);
    if (recipients.length === 0) throw new Error('no coordinators');
    return { keyring, recipients };
  } catch (e) {
    throw new KeyringRefused(e instanceof Error ? e.message : 'invalid keyring');
  }
}
