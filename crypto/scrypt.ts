/** The scrypt (passphrase) recipient type (age.md §The scrypt recipient type). */
import { scryptAsync } from '@noble/hashes/scrypt.js';
import type { Stanza } from './age-header.js';
import { base64Raw, concat, fromBase64Raw, utf8, wipe } from './bytes.js';
import { AgeError } from './errors.js';
import { primitives } from './primitives.js';
import { WRAPPED_KEY_SIZE, type Identity, type Recipient } from './recipient.js';

const LABEL = 'age-encryption.org/v1/scrypt';
const ZERO_NONCE = new Uint8Array(12);
/** age's default work factor for encryption: about one second on a laptop. */
export const DEFAULT_SCRYPT_LOG_N = 18;
/** age's default ceiling when decrypting: higher factors are refused, not attempted. */
export const MAX_SCRYPT_LOG_N = 22;

async function wrapKeyFor(passphrase: Uint8Array, salt: Uint8Array, logN: number): Promise<Uint8Array> {
  const N = 2 ** logN;
  return scryptAsync(passphrase, concat(utf8(LABEL), salt), { N, r: 8, p: 1, dkLen: 32, maxmem: 128 * 8 * N * 2 + 1024 * 1024 });
}

export class ScryptRecipient implements Recipient {
  readonly postQuantum = false;
  readonly mustBeAlone = true;
  private readonly passphrase: Uint8Array;
  constructor(
    passphrase: string,
    readonly logN = DEFAULT_SCRYPT_LOG_N,
  ) {
    if (!Number.isInteger(logN) || logN < 1 || logN > MAX_SCRYPT_LOG_N) throw new Error('invalid scrypt work factor');
    this.passphrase = utf8(passphrase);
  }

  async wrap(fileKey: Uint8Array): Promise<Stanza[]> {
    const salt = primitives().randomBytes(16);
    const key = await wrapKeyFor(this.passphrase, salt, this.logN);
    const body = primitives().seal(key, ZERO_NONCE, fileKey);
    wipe(key);
    return [{ args: ['scrypt', base64Raw(salt), String(this.logN)], body }];
  }
}

export class ScryptIdentity implements Identity {
  private readonly passphrase: Uint8Array;
  constructor(
    passphrase: string,
    readonly maxLogN = MAX_SCRYPT_LOG_N,
  ) {
    this.passphrase = utf8(passphrase);
  }

  async unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array | undefined> {
    for (const s of stanzas) {
      if (s.args[0] !== 'scrypt') continue;
      if (stanzas.length !== 1) throw new AgeError('header', 'scrypt stanza must be alone');
      if (s.args.length !== 3) throw new AgeError('header', 'scrypt stanza needs three arguments');
      let salt: Uint8Array;
      try {
        salt = fromBase64Raw(s.args[1]!);
      } catch {
        throw new AgeError('header', 'scrypt salt not canonical base64');
      }
      if (salt.length !== 16) throw new AgeError('header', 'scrypt salt must be 16 bytes');
      const wf = s.args[2]!;
      if (!/^[1-9][0-9]*$/.test(wf)) throw new AgeError('header', 'bad scrypt work factor');
      const logN = Number(wf);
      if (logN > this.maxLogN) throw new AgeError('header', 'scrypt work factor too high');
      if (s.body.length !== WRAPPED_KEY_SIZE) throw new AgeError('header', 'scrypt body must be 32 bytes');
      const key = await wrapKeyFor(this.passphrase, salt, logN);
      let fileKey: Uint8Array | undefined;
      try {
        fileKey = primitives().open(key, ZERO_NONCE, s.body);
      } catch {
        // a wrong passphrase: no file key
      } finally {
        wipe(key);
      }
      return fileKey;
    }
    return undefined;
  }
}
