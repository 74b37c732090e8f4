/**
 * The libsodium (WebAssembly) backend for Node: server, console and CLI.
 * This is the only module that touches libsodium; it awaits `ready` once.
 */
import type { Primitives } from './primitives.js';
import { checkSharedSecret, ed25519StrictEncodings } from './primitives.js';

let loading: Promise<Primitives> | undefined;

/**
 * Load libsodium once and return its backend.
 * @throws when WebAssembly is unavailable
 */
export function loadSodiumBackend(): Promise<Primitives> {
  loading ??= (async () => {
    const mod = await import('libsodium-wrappers');
    const sodium = mod.default;
    await sodium.ready;
    const backend: Primitives = {
      name: 'sodium',
      randomBytes: (n) => (n === 0 ? new Uint8Array(0) : sodium.randombytes_buf(n)),
      x25519(scalar, point) {
        if (scalar.length !== 32 || point.length !== 32) throw new Error('invalid X25519 point');
        let s: Uint8Array;
        try {
          s = sodium.crypto_scalarmult(scalar, point);
        } catch {
          // libsodium refuses all-zero outputs itself.
          throw new Error('invalid X25519 point');
        }
        return checkSharedSecret(s);
      },
      x25519Base: (scalar) => sodium.crypto_scalarmult_base(scalar),
      seal: (key, nonce, plaintext, aad) =>
        sodium.crypto_aead_chacha20poly1305_ietf_encrypt(plaintext, aad ?? null, null, nonce, key),
      open(key, nonce, ciphertext, aad) {
        if (ciphertext.length < 16) throw new Error('decryption failed');
        try {
          return sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, ciphertext, aad ?? null, nonce, key);
        } catch {
          throw new Error('decryption failed');
        }
      },
      ed25519PublicKey: (seed) => sodium.crypto_sign_seed_keypair(seed).publicKey,
      ed25519Sign(seed, message) {
        const kp = sodium.crypto_sign_seed_keypair(seed);
        try {
          return sodium.crypto_sign_detached(message, kp.privateKey);
        } finally {
          kp.privateKey.fill(0);
        }
      },
      mlkem768Decapsulate(cipherText, secretKey) {
        if (cipherText.length !== 1088 || secretKey.length !== 2400) throw new Error('invalid encapsulation');
        return sodium.crypto_kem_mlkem768_dec(cipherText, secretKey);
      },
      ed25519Verify(publicKey, message, signature) {
        // libsodium checks the same encodings itself; the shared check keeps the rule one
        // rule whatever libsodium build is loaded (ED25519_COMPAT builds skip them).
        if (!ed25519StrictEncodings(publicKey, signature)) return false;
        try {
          // libsodium's equation is cofactorless: the encoding of [S]B - [k]A against R.
          return sodium.crypto_sign_verify_detached(signature, message, publicKey);
        } catch {
          return false;
        }
      },
    };
    return backend;
  })();
  return loading;
}
