/**
 * Reports are encrypted to the keyring's coordinators in keyring order, so this console's
 * stanza sits at the same position in almost every report. Trying that position first costs
 * one ML-KEM-768 decapsulation instead of one per stanza before ours; every other position is
 * still tried, so nothing is missed when the order differs.
 */
import type { Identity, Stanza } from '../crypto/index.js';

export class PositionHintIdentity implements Identity {
  private hint = -1;

  constructor(private readonly inner: Identity) {}

  async unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array | undefined> {
    const h = this.hint;
    if (h >= 0 && h < stanzas.length) {
      const key = await this.inner.unwrap([stanzas[h]!]);
      if (key) return key;
    }
    for (let i = 0; i < stanzas.length; i++) {
      if (i === h) continue;
      const key = await this.inner.unwrap([stanzas[i]!]);
      if (key) {
        this.hint = i;
        return key;
      }
    }
    return undefined;
  }
}
