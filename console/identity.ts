/**
 * Coordinator identity files: ordinary armored age files protected by a passphrase (scrypt),
 * whose plaintext is the JSON object `tipline init` and the demo write:
 *   {"v":1,"kind":"tipline coordinator identity","id":"…","name":"…",
 *    "identity":"AGE-SECRET-KEY-PQ-1…","signingSeed":"<base64 32 bytes>"}
 * A plain age identity file (AGE-SECRET-KEY-PQ-1… lines), passphrase-protected too, is accepted
 * as an extra, decrypt-only identity (an old key kept after a rotation).
 * The keys stay in this process's memory; nothing is written anywhere.
 */
import { AgeError, HybridIdentity, ScryptIdentity, bytes, decrypt } from '../crypto/index.js';

export interface CoordinatorKey {
  id: string;
  name: string;
  identity: HybridIdentity;
  signingSeed: Uint8Array;
}

export interface OpenedIdentity {
  /** Present for a coordinator identity file; absent for a decrypt-only age identity file. */
  coordinator?: CoordinatorKey;
  identities: HybridIdentity[];
}

export class IdentityError extends Error {}

/**
 * Open one passphrase-protected identity file.
 * @throws IdentityError('wrong passphrase' | 'not a tipline coordinator identity file')
 */
export async function openIdentityFile(file: Uint8Array, passphrase: string): Promise<OpenedIdentity> {
  let plaintext: Uint8Array;
  try {
    plaintext = await decrypt([new ScryptIdentity(passphrase)], file);
  } catch (e) {
    if (e instanceof AgeError && e.kind === 'no-match') throw new IdentityError('wrong passphrase');
    throw new IdentityError('not a passphrase-protected age file');
  }
  try {
    const text = bytes.fromUtf8(plaintext);
    if (text.trimStart().startsWith('{')) {
      const v = JSON.parse(text) as Record<string, unknown>;
      if (
        v.v !== 1 ||
        v.kind !== 'tipline coordinator identity' ||
        typeof v.id !== 'string' ||
        typeof v.name !== 'string' ||
        typeof v.identity !== 'string' ||
        typeof v.signingSeed !== 'string'
      ) {
        throw new Error('shape');
      }
      const signingSeed = bytes.fromBase64Padded(v.signingSeed);
      if (signingSeed.length !== 32) throw new Error('seed');
      const identity = HybridIdentity.parse(v.identity);
      return { coordinator: { id: v.id, name: v.name, identity, signingSeed }, identities: [identity] };
    }
    const identities = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.startsWith('AGE-SECRET-KEY-PQ-1'))
      .map((l) => HybridIdentity.parse(l));
    if (identities.length === 0) throw new Error('empty');
    return { identities };
  } catch {
    throw new IdentityError('not a tipline coordinator identity file');
  } finally {
    bytes.wipe(plaintext);
  }
}
