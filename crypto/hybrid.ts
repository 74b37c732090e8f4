/** The mlkem768x25519 hybrid post-quantum recipient type (age.md §MLKEM768-X25519). */
import type { Stanza } from './age-header.js';
import { base64Raw, fromBase64Raw, utf8 } from './bytes.js';
import { decodeBech32, encodeBech32 } from './bech32.js';
import { AgeError } from './errors.js';
import { openBase, sealBase } from './hpke.js';
import { primitives } from './primitives.js';
import { WRAPPED_KEY_SIZE, type Identity, type Recipient } from './recipient.js';
import { XWING_ENC_SIZE, XWING_PUBLIC_KEY_SIZE, XWING_SEED_SIZE, xwingExpand, type XWingKeys } from './xwing.js';

const INFO = utf8('age-encryption.org/mlkem768x25519');
const EMPTY = new Uint8Array(0);
const TYPE = 'mlkem768x25519';

export class HybridRecipient implements Recipient {
  readonly postQuantum = true;
  constructor(readonly publicKey: Uint8Array) {
    if (publicKey.length !== XWING_PUBLIC_KEY_SIZE) throw new Error('invalid recipient');
  }

  /** @throws Error('invalid recipient') */
  static parse(s: string): HybridRecipient {
    try {
      return new HybridRecipient(decodeBech32(s, 'age1pq'));
    } catch {
      throw new Error('invalid recipient');
    }
  }

  toString(): string {
    return encodeBech32('age1pq', this.publicKey);
  }

  async wrap(fileKey: Uint8Array): Promise<Stanza[]> {
    const { enc, ciphertext } = sealBase(this.publicKey, INFO, EMPTY, fileKey);
    return [{ args: [TYPE, base64Raw(enc)], body: ciphertext }];
  }
}

export class HybridIdentity implements Identity {
  private readonly seed: Uint8Array;
  private keys: XWingKeys | undefined;

  constructor(seed: Uint8Array) {
    if (seed.length !== XWING_SEED_SIZE) throw new Error('invalid identity');
    this.seed = seed.slice();
  }

  static generate(): HybridIdentity {
    return new HybridIdentity(primitives().randomBytes(XWING_SEED_SIZE));
  }

  /** @throws Error('invalid identity') */
  static parse(s: string): HybridIdentity {
    try {
      return new HybridIdentity(decodeBech32(s, 'AGE-SECRET-KEY-PQ-'));
    } catch {
      throw new Error('invalid identity');
    }
  }

  private expanded(): XWingKeys {
    this.keys ??= xwingExpand(this.seed);
    return this.keys;
  }

  get publicKey(): Uint8Array {
    return this.expanded().publicKey;
  }

  toString(): string {
    return encodeBech32('AGE-SECRET-KEY-PQ-', this.seed, true);
  }

  recipient(): HybridRecipient {
    return new HybridRecipient(this.publicKey);
  }

  async unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array | undefined> {
    for (const s of stanzas) {
      if (s.args[0] !== TYPE) continue;
      if (s.args.length !== 2) throw new AgeError('header', 'mlkem768x25519 stanza needs two arguments');
      let enc: Uint8Array;
      try {
        enc = fromBase64Raw(s.args[1]!);
      } catch {
        throw new AgeError('header', 'mlkem768x25519 enc not canonical base64');
      }
      if (enc.length !== XWING_ENC_SIZE) throw new AgeError('header', 'mlkem768x25519 enc must be 1120 bytes');
      if (s.body.length !== WRAPPED_KEY_SIZE) throw new AgeError('header', 'mlkem768x25519 body must be 32 bytes');
      try {
        return openBase(this.expanded(), enc, INFO, EMPTY, s.body);
      } catch (e) {
        if (e instanceof Error && e.message === 'invalid X25519 point') {
          throw new AgeError('header', 'mlkem768x25519 X25519 share is a low-order point');
        }
        continue; // addressed to someone else
      }
    }
    return undefined;
  }
}
