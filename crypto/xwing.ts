/**
 * The MLKEM768-X25519 KEM (X-Wing, draft-connolly-cfrg-xwing-kem; draft-ietf-hpke-pq),
 * built from ML-KEM-768 (@noble/post-quantum) and the backend's X25519, so that the
 * X25519 half gets the same all-zero check as the classical recipient type.
 */
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { sha3_256, shake256 } from '@noble/hashes/sha3.js';
import { concat, wipe } from './bytes.js';
import { primitives } from './primitives.js';

export const XWING_SEED_SIZE = 32;
export const XWING_PUBLIC_KEY_SIZE = 1216;
export const XWING_ENC_SIZE = 1120;
const MLKEM_PK = 1184;
const MLKEM_CT = 1088;
/** The X-Wing combiner label, the six bytes "\.//^\". */
const LABEL = new Uint8Array([0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);

export interface XWingKeys {
  mlkemSecret: Uint8Array;
  x25519Secret: Uint8Array;
  publicKey: Uint8Array;
}

/** expanded = SHAKE256(seed, 96); ML-KEM-768 from expanded[0:64], X25519 secret expanded[64:96]. */
export function xwingExpand(seed: Uint8Array): XWingKeys {
  if (seed.length !== XWING_SEED_SIZE) throw new Error('invalid identity');
  const expanded = shake256(seed, { dkLen: 96 });
  const { publicKey: pkM, secretKey: mlkemSecret } = ml_kem768.keygen(expanded.subarray(0, 64));
  const x25519Secret = expanded.slice(64, 96);
  const pkX = primitives().x25519Base(x25519Secret);
  wipe(expanded);
  return { mlkemSecret, x25519Secret, publicKey: concat(pkM, pkX) };
}

function combine(ssM: Uint8Array, ssX: Uint8Array, ctX: Uint8Array, pkX: Uint8Array): Uint8Array {
  return sha3_256(concat(ssM, ssX, ctX, pkX, LABEL));
}

/**
 * Encapsulate to an X-Wing public key. `eseed` (64 bytes) is for test vectors only.
 * @throws Error('invalid recipient') for a malformed public key or a low-order X25519 part
 */
export function xwingEncapsulate(publicKey: Uint8Array, eseed?: Uint8Array): { enc: Uint8Array; sharedSecret: Uint8Array } {
  if (publicKey.length !== XWING_PUBLIC_KEY_SIZE) throw new Error('invalid recipient');
  const p = primitives();
  const seed = eseed ?? p.randomBytes(64);
  const pkM = publicKey.subarray(0, MLKEM_PK);
  const pkX = publicKey.subarray(MLKEM_PK);
  let ctM: Uint8Array, ssM: Uint8Array, ssX: Uint8Array;
  try {
    ({ cipherText: ctM, sharedSecret: ssM } = ml_kem768.encapsulate(pkM, seed.slice(0, 32)));
    ssX = p.x25519(seed.subarray(32, 64), pkX);
  } catch {
    throw new Error('invalid recipient');
  }
  const ctX = p.x25519Base(seed.subarray(32, 64));
  const sharedSecret = combine(ssM, ssX, ctX, pkX);
  wipe(ssM, ssX);
  if (!eseed) wipe(seed);
  return { enc: concat(ctM, ctX), sharedSecret };
}

/**
 * Decapsulate. ML-KEM decapsulation never fails (implicit rejection); the X25519 part does.
 * @throws Error('invalid X25519 point') when the X25519 shared secret is all zero
 */
export function xwingDecapsulate(keys: XWingKeys, enc: Uint8Array): Uint8Array {
  if (enc.length !== XWING_ENC_SIZE) throw new Error('invalid encapsulation');
  const ctM = enc.subarray(0, MLKEM_CT);
  const ctX = enc.subarray(MLKEM_CT);
  const p = primitives();
  const ssX = p.x25519(keys.x25519Secret, ctX);
  const ssM = p.mlkem768Decapsulate ? p.mlkem768Decapsulate(ctM, keys.mlkemSecret) : ml_kem768.decapsulate(ctM, keys.mlkemSecret);
  const ss = combine(ssM, ssX, ctX, keys.publicKey.subarray(MLKEM_PK));
  wipe(ssM, ssX);
  return ss;
}
