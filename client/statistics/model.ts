/**
 * The public statistics page's model (no DOM): the keyring verified against the root key
 * this build pins, then the summary verified against that keyring (a `warnings`
 * coordinator's signature, the schema and the suppression audit). Nothing unverified is shown.
 */
import { parseEnvelope, StatisticsError, verifyKeyring, verifyStatistics, type Statistics } from '../../crypto/index.js';

/** Why statistics were refused (`stats.reason.<why>` in the member catalogue); `detail` is the rule broken, as crypto/ words it. */
export type Refusal = { why: 'unpinned' | 'noKeyring' | 'keyring' | 'signature' | 'offline' } | { why: 'rules'; detail: string };
/** `signer` is the coordinator's name in the keyring, or undefined when the keyring names none. */
export type Loaded = { state: 'verified'; stats: Statistics; signer?: string } | { state: 'none' } | ({ state: 'refused' } & Refusal);

export interface Pins {
  rootPublicKey: Uint8Array;
  minKeyringVersion: number;
}

/**
 * Verify the keyring text, then the statistics envelope text (undefined: none published).
 * Never throws: a failure is a `refused` answer saying why (the page words it in the reader's language).
 */
export function checkSummary(keyringText: string, statsText: string | undefined, pins: Pins, now = new Date()): Loaded {
  let keyring;
  try {
    keyring = verifyKeyring(keyringText, pins.rootPublicKey, { now, minVersion: pins.minKeyringVersion });
  } catch {
    return { state: 'refused', why: 'keyring' };
  }
  if (statsText === undefined) return { state: 'none' };
  try {
    const stats = verifyStatistics(statsText, keyring);
    const signer = parseEnvelope(statsText).signer;
    const name = keyring.coordinators.find((c) => c.signingKey === signer)?.name;
    return name === undefined ? { state: 'verified', stats } : { state: 'verified', stats, signer: name };
  } catch (e) {
    if (e instanceof StatisticsError) return { state: 'refused', why: 'rules', detail: e.detail };
    return { state: 'refused', why: 'signature' };
  }
}
