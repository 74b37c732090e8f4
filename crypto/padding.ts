/**
 * Length-hiding padding applied to a document before it is age-encrypted (SPEC.md §Padding).
 *
 * Format: uint32 big-endian payload length || payload || zero bytes, the whole being exactly
 * the smallest size class that holds 4 + length bytes. Exactly one encoding exists per payload.
 */
import { isAllZero } from './bytes.js';
import { DocumentError } from './errors.js';

const KIB = 1024;
const LENGTH_PREFIX = 4;

function classes(): number[] {
  const out: number[] = [];
  for (let c = 4 * KIB; c <= 64 * KIB; c *= 2) out.push(c);
  for (let c = 128 * KIB; c <= 256 * KIB; c += 64 * KIB) out.push(c);
  return out;
}

/**
 * Padded sizes in bytes, ascending: 4, 8, 16, 32, 64 KiB, then every multiple of 64 KiB up to 256 KiB.
 * Nothing else is ever produced or accepted.
 */
export const PADDING_CLASSES: readonly number[] = Object.freeze(classes());

/** Largest padded size. */
export const MAX_PADDED_SIZE = PADDING_CLASSES[PADDING_CLASSES.length - 1]!;
/** Largest payload {@link pad} accepts. */
export const MAX_PAYLOAD_SIZE = MAX_PADDED_SIZE - LENGTH_PREFIX;

/** The smallest class holding `payloadLength` bytes of payload, or undefined when none does. */
function classFor(payloadLength: number): number | undefined {
  const need = payloadLength + LENGTH_PREFIX;
  return PADDING_CLASSES.find((c) => c >= need);
}

/**
 * Pad a payload to its size class.
 * @throws DocumentError('document too large') when the payload exceeds {@link MAX_PAYLOAD_SIZE}
 */
export function pad(plaintext: Uint8Array): Uint8Array {
  const size = classFor(plaintext.length);
  if (size === undefined) throw new DocumentError('document too large');
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, plaintext.length, false);
  out.set(plaintext, LENGTH_PREFIX);
  return out;
}

/**
 * Remove padding, accepting only the canonical encoding: the buffer is exactly a class size,
 * the length fits, that class is the smallest for the length, and every filler byte is zero.
 * Returns a copy of the payload.
 * @throws DocumentError('invalid padding')
 */
export function unpad(padded: Uint8Array): Uint8Array {
  if (!PADDING_CLASSES.includes(padded.length)) throw new DocumentError('invalid padding');
  const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0, false);
  if (length > padded.length - LENGTH_PREFIX) throw new DocumentError('invalid padding');
  if (classFor(length) !== padded.length) throw new DocumentError('invalid padding');
  if (!isAllZero(padded.subarray(LENGTH_PREFIX + length))) throw new DocumentError('invalid padding');
  return padded.slice(LENGTH_PREFIX, LENGTH_PREFIX + length);
}
