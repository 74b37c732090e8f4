/** The keyring could not be fetched or did not verify: nothing must be sent. (Its own module so pages can test for it without loading the crypto.) */
export class KeyringRefused extends Error {
  constructor(readonly reason: string) {
    super('keyring refused');
    this.name = 'KeyringRefused';
  }
}
