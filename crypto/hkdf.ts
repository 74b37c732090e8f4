/** HKDF-SHA-256 and HMAC-SHA-256 helpers used by age and our own derivations. */
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from './bytes.js';

/** HKDF-SHA-256 with a 32-byte output unless told otherwise (RFC 5869). */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string | Uint8Array, length = 32): Uint8Array {
  return hkdf(sha256, ikm, salt, typeof info === 'string' ? utf8(info) : info, length);
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(sha256, key, message);
}

export { sha256 };
