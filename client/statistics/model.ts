/**
 * The public statistics page's model (no DOM): the keyring verified against the root key
 * this build pins, then the summary verified against that keyring (a `warnings`
 * coordinator's signature, the schema and the suppression audit). Nothing unverified is shown.
 */
import { parseEnvelope, StatisticsError, verifyKeyring, verifyStatistics, type Statistics } from '../../crypto/index.js';

export type Loaded = { state: 'verified'; stats: Statistics; signer: string } | { state: 'none' } | { state: 'refused'; reason: string };

export interface Pins {
  rootPublicKey: Uint8Array;
  minKeyringVersion: number;
}

/**
 * Verify the keyring text, then the statistics envelope text (undefined: none published).
 * Never throws: a failure is a `refused` answer with a reason a reader can understand.
 */
export function checkSummary(keyringText: string, statsText: string | undefined, pins: Pins, now = new Date()): Loaded {
  let keyring;
  try {
    keyring = verifyKeyring(keyringText, pins.rootPublicKey, { now, minVersion: pins.minKeyringVersion });
  } catch {
    return { state: 'refused', reason: "the organisation's keyring did not verify against the key this site was built with." };
  }
  if (statsText === undefined) return { state: 'none' };
  try {
    const stats = verifyStatistics(statsText, keyring);
    const signer = parseEnvelope(statsText).signer;
    const name = keyring.coordinators.find((c) => c.signingKey === signer)?.name ?? 'a coordinator';
    return { state: 'verified', stats, signer: name };
  } catch (e) {
    if (e instanceof StatisticsError) return { state: 'refused', reason: `the figures break the publication rules (${e.detail}).` };
    return { state: 'refused', reason: 'the signature does not match any coordinator allowed to publish statistics: the figures were altered or signed by someone else.' };
  }
}
