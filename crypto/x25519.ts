/** The X25519 recipient type (age.md §The X25519 recipient type). */
import type { Stanza } from './age-header.js';
import { base64Raw, concat, fromBase64Raw, wipe } from './bytes.js';
import { decodeBech32, encodeBech32 } from './bech32.js';
import { AgeError } from './errors.js';
import { hkdfSha256 } from './hkdf.js';
import { primitives } from './primitives.js';
import { WRAPPED_KEY_SIZE, type Identity, type Recipient } from './recipient.js';

const INFO = 'age-encryption.org/v1/X25519';
const ZERO_NONCE = new Uint8Array(12);

export class X25519Recipient implements Recipient {
  readonly postQuantum = false;
  constructor(readonly publicKey: Uint8Array) {
    if (publicKey.length !== 32) throw new Error('invalid recipient');
  }

  /** @throws Error('invalid recipient') */
  static parse(s: string): X25519Recipient {
    try {
      return new X25519Recipient(decodeBech32(s, 'age'));
    } catch {
      throw new Error('invalid recipient');
    }
  }

  toString(): string {
    return encodeBech32('age', this.publicKey);
  }

  async wrap(fileKey: Uint8Array): Promise<Stanza[]> {
    const p = primitives();
    const ephemeral = p.randomBytes(32);
    const share = p.x25519Base(ephemeral);
    const shared = p.x25519(ephemeral, this.publicKey);
    const wrapKey = hkdfSha256(shared, concat(share, this.publicKey), INFO);
    const body = p.seal(wrapKey, ZERO_NONCE, fileKey);
    wipe(ephemeral, shared, wrapKey);
    return [{ args: ['X25519', base64Raw(share)], body }];
  }
}

export class X25519Identity implements Identity {
  private readonly secret: Uint8Array;
  readonly publicKey: Uint8Array;

  constructor(secret: Uint8Array) {
    if (secret.length !== 32) throw new Error('invalid identity');
    this.secret = secret.slice();
    this.publicKey = primitives().x25519Base(this.secret);
  }

  static generate(): X25519Identity {
    return new X25519Identity(primitives().randomBytes(32));
  }

  /** @throws Error('invalid identity') */
  static parse(s: string): X25519Identity {
    try {
      return new X25519Identity(decodeBech32(s, 'AGE-SECRET-KEY-'));
    } catch {
      throw new Error('invalid identity');
    }
  }

  toString(): string {
    return encodeBech32('AGE-SECRET-KEY-', this.secret, true);
  }

  recipient(): X25519Recipient {
    return new X25519Recipient(this.publicKey);
  }

  async unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array | undefined> {
    const p = primitives();
    for (const s of stanzas) {
      if (s.args[0] !== 'X25519') continue;
      if (s.args.length !== 2) throw new AgeError('header', 'X25519 stanza needs two arguments');
      let share: Uint8Array;
      try {
        share = fromBase64Raw(s.args[1]!);
      } catch {
        throw new AgeError('header', 'X25519 share not canonical base64');
      }
      if (share.length !== 32) throw new AgeError('header', 'X25519 share must be 32 bytes');
      if (s.body.length !== WRAPPED_KEY_SIZE) throw new AgeError('header', 'X25519 body must be 32 bytes');
      let shared: Uint8Array;
      try {
        shared = p.x25519(this.secret, share);
      } catch {
        throw new AgeError('header', 'X25519 share is a low-order point');
      }
      const wrapKey = hkdfSha256(shared, concat(share, this.publicKey), INFO);
      try {
        return p.open(wrapKey, ZERO_NONCE, s.body);
      } catch {
        continue; // addressed to someone else
      } finally {
        wipe(shared, wrapKey);
      }
    }
    return undefined;
  }
}
