/**
 * The private check (SPEC.md §Private check): an RFC 9497 OPRF (mode 0x00, OPRF(ristretto255,
 * SHA-512), noble's implementation) over a memory-hard hash of the normalised identifier.
 *
 *   key    = checkKey(kind, raw)                           e.g. `phone:+447700900123`
 *   input  = Argon2id(key, CHECK_SALT, m=8 MiB, t=1, p=1, 32 bytes)
 *   output = OPRF(k, input)                                 (blind → BlindEvaluate → Finalize)
 *   tag    = SHA-512("tipline/check/v1/tag" || output)[0..16]
 *
 * The server holds k and evaluates blinded elements only; the client keeps the blind. A tag
 * therefore needs the server for every guess, and whoever holds k still pays one Argon2id
 * per guess.
 */
import { ristretto255, ristretto255_hasher, ristretto255_oprf } from '@noble/curves/ed25519.js';
import { argon2id } from '@noble/hashes/argon2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concat, utf8 } from './bytes.js';
import { DocumentError } from './errors.js';

/** Parameters of the memory-hard step (fixed: changing them changes every tag). */
export const CHECK_PARAMS = { m: 8192, t: 1, p: 1, dkLen: 32 } as const;
/** Argon2id salt: fixed and domain-separated (the OPRF key, not the salt, makes tags unguessable). */
export const CHECK_SALT = 'tipline/check/v1/argon2id';
// Built on first use, not at load: a top-level call keeps this module (and noble's OPRF) in
// every bundle that imports crypto/index.ts, the report page's included.
const TAG_LABEL = 'tipline/check/v1/tag';
/** Bytes of a published tag. */
export const CHECK_TAG_BYTES = 16;
/** keyInfo of DeriveKeyPair for the server's check key. */
export const CHECK_KEY_INFO = 'tipline/check/v1/key';
/** Most blinded elements one coordinator request may carry (a warning's tags). */
export const MAX_CHECK_BATCH = 50;

const oprf = () => ristretto255_oprf.oprf;
const ELEMENT_BYTES = 32;

/** A refused check input or element: one message per class. */
export class CheckError extends DocumentError {}

/**
 * The memory-hard hash of a normalised check key (the OPRF's private input).
 * @throws CheckError('invalid check key') for an empty or over-long key
 */
export function checkInput(key: string): Uint8Array {
  if (key.length < 3 || key.length > 256 || !key.includes(':')) throw new CheckError('invalid check key');
  return argon2id(utf8(key), utf8(CHECK_SALT), CHECK_PARAMS);
}

/** The client's first step: a fresh random blind and the blinded element to send. */
export function blindCheck(input: Uint8Array): { blind: Uint8Array; blinded: Uint8Array } {
  return oprf().blind(input);
}

/** The blinded element for a given blind scalar (test vectors only: real blinds are random). */
export function blindWith(input: Uint8Array, blind: Uint8Array): Uint8Array {
  // noble draws a blind as (rng mod (n-1)) + 1: feed it blind-1, little-endian, 48 bytes.
  let s = 0n;
  for (let i = blind.length - 1; i >= 0; i--) s = (s << 8n) | BigInt(blind[i]!);
  if (s === 0n) throw new CheckError('invalid blind');
  const bytes = new Uint8Array(48);
  let v = s - 1n;
  for (let i = 0; i < 48; i++, v >>= 8n) bytes[i] = Number(v & 0xffn);
  return oprf().blind(input, () => bytes).blinded;
}

/**
 * Parse an element received over the wire: 32 bytes, the canonical ristretto255 encoding of
 * a group element other than the identity (RFC 9497 §3.3, RFC 9496 §4.3.1).
 * @throws CheckError('invalid element')
 */
export function checkElement(b: Uint8Array): Uint8Array {
  if (b.length !== ELEMENT_BYTES) throw new CheckError('invalid element');
  let p;
  try {
    p = ristretto255.Point.fromBytes(b);
  } catch {
    throw new CheckError('invalid element');
  }
  if (p.equals(ristretto255.Point.ZERO)) throw new CheckError('invalid element');
  return b;
}

/** The server's check key from 32 secret bytes (RFC 9497 DeriveKeyPair, mode OPRF). */
export function deriveCheckKey(seed: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new CheckError('invalid check key seed');
  return oprf().deriveKeyPair(seed, utf8(CHECK_KEY_INFO)).secretKey;
}

/** RFC 9497 DeriveKeyPair with another keyInfo (test vectors). */
export function deriveOprfKey(seed: Uint8Array, keyInfo: Uint8Array): Uint8Array {
  return oprf().deriveKeyPair(seed, keyInfo).secretKey;
}

/**
 * The server's step: BlindEvaluate of one blinded element.
 * @throws CheckError('invalid element') for a non-canonical, invalid or identity element
 */
export function evaluateBlinded(secretKey: Uint8Array, blinded: Uint8Array): Uint8Array {
  return oprf().blindEvaluate(secretKey, checkElement(blinded));
}

/**
 * The client's last step: the RFC 9497 output (64 bytes).
 * @throws CheckError('invalid element') when the server's answer is not a valid element
 */
export function finalizeOprf(input: Uint8Array, blind: Uint8Array, evaluated: Uint8Array): Uint8Array {
  return oprf().finalize(input, blind, checkElement(evaluated));
}

const groupDst = () => concat(utf8('HashToGroup-OPRFV1-'), Uint8Array.of(0), utf8('-ristretto255-SHA512'));
const len2 = (b: Uint8Array) => Uint8Array.of(b.length >> 8, b.length & 0xff);

/**
 * RFC 9497 §3.3.1 Evaluate: the output computed directly with the key, written out here from
 * the RFC (HashToGroup, scalar multiplication, the Finalize hash) rather than taken from the
 * blind/evaluate/finalize code it checks. Used by tests and by whoever holds the key.
 */
export function evaluateOprf(secretKey: Uint8Array, input: Uint8Array): Uint8Array {
  const P = ristretto255_hasher.hashToCurve(input, { DST: groupDst() }) as InstanceType<typeof ristretto255.Point>;
  let k = 0n;
  for (let i = secretKey.length - 1; i >= 0; i--) k = (k << 8n) | BigInt(secretKey[i]!);
  const unblinded = P.multiply(k).toBytes();
  return sha512(concat(len2(input), input, len2(unblinded), unblinded, utf8('Finalize')));
}

/** The published tag of an OPRF output: 16 bytes, domain-separated. */
export function checkTag(output: Uint8Array): Uint8Array {
  return sha512(concat(utf8(TAG_LABEL), output)).subarray(0, CHECK_TAG_BYTES);
}

/**
 * The tag of a blinded check, from the server's evaluation.
 * @throws CheckError('invalid element')
 */
export function finalizeCheck(input: Uint8Array, blind: Uint8Array, evaluated: Uint8Array): Uint8Array {
  return checkTag(finalizeOprf(input, blind, evaluated));
}
