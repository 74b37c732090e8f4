/** Pure-JavaScript backend: works with WebAssembly and the JIT turned off (Tor Browser "Safer"). */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concat, equalBytes, littleEndianInt } from './bytes.js';
import { checkSharedSecret, ed25519StrictEncodings, setDefaultBackend, type Primitives } from './primitives.js';

const { Point } = ed25519;

function random(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues is limited to 65536 bytes per call.
  for (let i = 0; i < n; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

export const nobleBackend: Primitives = {
  name: 'noble',
  randomBytes: random,
  x25519(scalar, point) {
    if (scalar.length !== 32 || point.length !== 32) throw new Error('invalid X25519 point');
    let s: Uint8Array;
    try {
      s = x25519.scalarMult(scalar, point);
    } catch {
      throw new Error('invalid X25519 point');
    }
    return checkSharedSecret(s);
  },
  x25519Base(scalar) {
    return x25519.scalarMultBase(scalar);
  },
  seal(key, nonce, plaintext, aad) {
    return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
  },
  open(key, nonce, ciphertext, aad) {
    if (ciphertext.length < 16) throw new Error('decryption failed');
    try {
      return chacha20poly1305(key, nonce, aad).decrypt(ciphertext);
    } catch {
      throw new Error('decryption failed');
    }
  },
  ed25519PublicKey(seed) {
    return ed25519.getPublicKey(seed);
  },
  ed25519Sign(seed, message) {
    return ed25519.sign(message, seed);
  },
  ed25519Verify(publicKey, message, signature) {
    // noble's own verify is cofactored ([8]([S]B - R - [k]A) = O), which accepts signatures
    // whose R has a small-order component; libsodium does not. Both follow one rule instead:
    // shared encoding checks, then the cofactorless equation on the bytes of R.
    if (!ed25519StrictEncodings(publicKey, signature)) return false;
    try {
      const r = signature.subarray(0, 32);
      const A = Point.fromBytes(publicKey); // strict: y < P, no x = 0 with the sign bit set
      const s = littleEndianInt(signature.subarray(32));
      const k = Point.Fn.create(littleEndianInt(sha512(concat(r, publicKey, message))));
      return equalBytes(Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k)).toBytes(), r);
    } catch {
      return false;
    }
  },
};

setDefaultBackend(nobleBackend);
