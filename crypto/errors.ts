/**
 * One error class per failure a caller acts on differently (SPEC.md §Errors).
 * The message is short and fixed per kind; `detail` says more for developers
 * and never contains key material or plaintext.
 */
export type AgeErrorKind = 'header' | 'hmac' | 'no-match' | 'payload' | 'armor';

const MESSAGES: Record<AgeErrorKind, string> = {
  header: 'invalid header',
  hmac: 'invalid header HMAC',
  'no-match': 'no identity matched',
  payload: 'invalid payload',
  armor: 'invalid armor',
};

export class AgeError extends Error {
  override readonly name = 'AgeError';
  constructor(
    readonly kind: AgeErrorKind,
    readonly detail?: string,
  ) {
    super(MESSAGES[kind]);
  }
}

/** Failures of our own documents (signed documents, keyring, receipt codes, reports). */
export class DocumentError extends Error {
  override readonly name = 'DocumentError';
}
