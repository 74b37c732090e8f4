/** The keyring could not be fetched or did not verify: nothing must be sent. (Its own module so pages can test for it without loading the crypto.) */
export class KeyringRefused extends Error {
  constructor(readonly reason: string) {
    super('keyring refused');
    this.name = 'KeyringRefused';
  }

  /** The refusal for whatever a check threw: its message as the reason, 'invalid keyring' for a thrown non-Error. */
  static of(e: unknown): KeyringRefused {
    return new KeyringRefused(e instanceof Error ? e.message : 'invalid keyring');
  }
}
