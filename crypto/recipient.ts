/** The recipient and identity interfaces every age recipient type implements. */
import type { Stanza } from './age-header.js';

export interface Recipient {
  /** Wrap a 16-byte file key into one or more stanzas. */
  wrap(fileKey: Uint8Array): Promise<Stanza[]>;
  /** True for recipients that resist quantum computers (mlkem768x25519). */
  readonly postQuantum: boolean;
  /** scrypt stanzas must be alone in a header (age.md §scrypt). */
  readonly mustBeAlone?: boolean;
}

export interface Identity {
  /**
   * Find and unwrap the file key from the stanzas addressed to this identity type.
   * Returns undefined when no stanza is for this identity (stanzas of other types are ignored).
   * @throws AgeError('header') for a malformed stanza of this identity's type
   */
  unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array | undefined>;
}

/** The file key is 16 bytes, so every native stanza body is 16 + 16 (tag) bytes. */
export const WRAPPED_KEY_SIZE = 32;
export const FILE_KEY_SIZE = 16;
