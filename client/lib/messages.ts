/**
 * Mailbox messages (coordinators' replies and reporters' follow-ups): the plaintext is the
 * message's UTF-8 text, padded (crypto/padding.ts) before age encryption so its length shows
 * only a size class. Decrypted text is hostile and is only ever rendered as text.
 */
import { bytes, pad, unpad } from './crypto.js';

export const MAX_MESSAGE_LENGTH = 10_000;

/** @throws Error('message too long') */
export function encodeMessage(text: string): Uint8Array {
  if (text.length > MAX_MESSAGE_LENGTH) throw new Error('message too long');
  return pad(bytes.utf8(text));
}

/**
 * Text of a decrypted message.
 * @throws Error('invalid message') for bad padding or bad UTF-8
 */
export function decodeMessage(plaintext: Uint8Array): string {
  try {
    return bytes.fromUtf8(unpad(plaintext));
  } catch {
    throw new Error('invalid message');
  }
}
