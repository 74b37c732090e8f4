/**
 * The organisation profile (name, regions, help and emergency contacts), verified in the
 * browser: the keyring against the pinned root key first, then the profile against the root
 * key or a keyring `admin` coordinator. A page never shows contacts that did not verify:
 * a seized server must not be able to swap the emergency number.
 */
import { verifyKeyring, verifyProfile, type Keyring, type Profile } from '../../crypto/index.js';
import { ApiError, request } from './api.js';
import { pinnedRootKey } from './root-key.js';

/** The profile's texts in the reader's language (here, so that it loads with the verifier: lib/profile-lazy.ts). */
export { localizeProfile } from '../../crypto/index.js';

/** The profile could not be fetched or did not verify. */
export class ProfileRefused extends Error {
  constructor(readonly reason: string) {
    super('profile refused');
    this.name = 'ProfileRefused';
  }
}

async function text(path: string): Promise<string> {
  return (await request(path, { headers: { accept: 'application/json' } })).text();
}

/**
 * Fetch and verify the profile; pass a keyring already verified against the pinned root, or
 * it is fetched and verified here.
 * @throws ProfileRefused when missing, not signed by the root or an admin, or malformed
 * @throws ApiError on a network failure
 */
export async function verifiedProfile(keyring?: Keyring): Promise<Profile> {
  const root = pinnedRootKey();
  let envelope: string;
  try {
    envelope = await text('/api/profile');
  } catch (e) {
    if (e instanceof ApiError && e.status !== 0) throw new ProfileRefused(e.message);
    throw e;
  }
  let ring = keyring;
  if (!ring) {
    try {
      ring = verifyKeyring(await text('/api/keyring'), root);
    } catch {
      // Without a verified keyring only the root key's own signature counts.
      ring = undefined;
    }
  }
  try {
    return verifyProfile(envelope, root, { keyring: ring });
  } catch (e) {
    throw new ProfileRefused(e instanceof Error ? e.message : 'invalid profile');
  }
}
