/** The verified warnings as the warnings page has them: the root-pinned keyring, then every page of `/api/warnings`. */
import { verifyKeyring, type Keyring } from '../../crypto/index.js';
import { request } from '../lib/api.js';
import { memberRequest } from '../lib/member-api.js';
import { pinnedRootKey } from '../lib/root-key.js';
import { applySync, emptyState, loadStored, stateFromStored, type SyncAnswer, type SyncState } from './sync.js';

/** @throws ApiError, DocumentError (keyring refused) */
export async function fetchKeyring(minVersion: number): Promise<Keyring> {
  const text = await (await request('/api/keyring', { headers: { accept: 'application/json' } })).text();
  return verifyKeyring(text, pinnedRootKey(), { minVersion });
}

/**
 * Every current warning, verified (withdrawn and superseded ones removed on their signed
 * reason), starting from the copy on this device when the member keeps one.
 * @throws ApiError, DocumentError
 */
export async function loadWarnings(): Promise<{ keyring: Keyring; state: SyncState }> {
  const stored = loadStored();
  const keyring = await fetchKeyring(stored?.keyringVersion ?? 0);
  const state = stored ? stateFromStored(stored, keyring) : emptyState();
  for (let page = 0; page < 100; page++) {
    const a = (await (await memberRequest(`/api/warnings?since=${state.cursor}`, { headers: { accept: 'application/json' } })).json()) as SyncAnswer;
    applySync(state, a, keyring);
    if (!a.more) break;
  }
  return { keyring, state };
}
