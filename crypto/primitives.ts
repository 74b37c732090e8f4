/**
 * The small set of primitives that differ between backends (SPEC.md §Primitives).
 * Hashes, HKDF, HMAC, scrypt, BLAKE2 and ML-KEM key generation and encapsulation come from
 * @noble/* in every backend, so only these functions need a differential test.
 */
import { isAllZero } from './bytes.js';

export interface Primitives {
  readonly name: 'noble' | 'sodium';
  /** Bytes from the platform CSPRNG. */
  randomBytes(n: number): Uint8Array;
  /**
   * X25519(scalar, point) per RFC 7748.
   * @throws Error('invalid X25519 point') when the result is all zero (low-order point)
   */
  x25519(scalar: Uint8Array, point: Uint8Array): Uint8Array;
  /** X25519(scalar, basepoint). */
  x25519Base(scalar: Uint8Array): Uint8Array;
  /** ChaCha20-Poly1305 (RFC 8439) encryption; returns ciphertext || tag. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /**
   * ChaCha20-Poly1305 decryption.
   * @throws Error('decryption failed') on a bad tag or a too short input
   */
  open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** Ed25519 public key from a 32-byte seed. */
  ed25519PublicKey(seed: Uint8Array): Uint8Array;
  /** Ed25519 signature (RFC 8032, deterministic) with a 32-byte seed. */
  ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  /** Strict Ed25519 verification; false for any malformed input. */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /**
   * ML-KEM-768 decapsulation (FIPS 203, implicit rejection) with a 2400-byte decapsulation key,
   * when the backend has a faster one than @noble/post-quantum (libsodium's, about six times
   * faster: the console tries every hybrid stanza of every report). Same bytes as noble's.
   */
  mlkem768Decapsulate?(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

let current: Primitives | undefined;
let fallback: Primitives | undefined;

/** The backend in use (noble unless another was installed with {@link useBackend}). */
export function primitives(): Primitives {
  if (current) return current;
  if (!fallback) throw new Error('no crypto backend installed');
  return fallback;
}

/** Install a backend for every later call. */
export function useBackend(p: Primitives): void {
  current = p;
}

/** @internal The noble module registers itself as the default. */
export function setDefaultBackend(p: Primitives): void {
  fallback = p;
}

/** Shared guard so both backends reject the all-zero X25519 output identically. */
export function checkSharedSecret(s: Uint8Array): Uint8Array {
  if (isAllZero(s)) throw new Error('invalid X25519 point');
  return s;
}
