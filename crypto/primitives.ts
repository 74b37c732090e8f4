/**
 * The small set of primitives that differ between backends (SPEC.md §Primitives).
 * Hashes, HKDF, HMAC, scrypt, BLAKE2 and ML-KEM key generation and encapsulation come from
 * @noble/* in every backend, so only these functions need a differential test.
 */
import { isAllZero, littleEndianInt } from './bytes.js';

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
  /**
   * Strict Ed25519 verification (SPEC.md §Ed25519 verification rule): encodings checked by
   * {@link ed25519StrictEncodings}, then the cofactorless equation, comparing the encoding of
   * [S]B - [k]A with R byte for byte. False for any malformed input; never throws.
   */
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

const P = 2n ** 255n - 19n;
/** The order of the prime-order subgroup of edwards25519. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/**
 * y of the order-8 points (x ≠ 0); the other points of small order have y = 0 (order 4),
 * 1 (the identity) and P - 1 (order 2). Derived in tests/crypto/backends.test.ts.
 */
const Y8 = 0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n;
const SMALL_ORDER_Y: ReadonlySet<bigint> = new Set([0n, 1n, P - 1n, Y8, P - Y8]);

/**
 * A point encoding both backends accept as A or R: y (the low 255 bits) below P, and not
 * one of the eight points of small order. Points with x = 0 have y = ±1, so a set sign bit
 * on x = 0 ("negative zero") is refused here too.
 */
function acceptablePoint(b: Uint8Array): boolean {
  const y = littleEndianInt(b) & (2n ** 255n - 1n);
  return y < P && !SMALL_ORDER_Y.has(y);
}

/**
 * The encoding half of the strict Ed25519 rule shared by both backends (SPEC.md §Ed25519
 * verification rule): 32-byte A and 64-byte signature, S < L, A and R canonical and not of
 * small order. Whether a point is on the curve, and the equation, are the backend's part.
 */
export function ed25519StrictEncodings(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  return littleEndianInt(signature.subarray(32)) < L && acceptablePoint(publicKey) && acceptablePoint(signature.subarray(0, 32));
}
