/** Bech32 (BIP 173, no length limit, as age uses it) for keys. */
import { bech32 } from '@scure/base';

/** Encode bytes under a human-readable prefix; `upper` for secret keys. */
export function encodeBech32(hrp: string, data: Uint8Array, upper = false): string {
  const s = bech32.encode(hrp.toLowerCase(), bech32.toWords(data), false);
  return upper ? s.toUpperCase() : s;
}

/**
 * Decode a Bech32 string and check its prefix (case-insensitive, not mixed case).
 * @throws Error('invalid key encoding')
 */
export function decodeBech32(s: string, hrp: string): Uint8Array {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) throw new Error('invalid key encoding');
  let dec;
  try {
    dec = bech32.decode(s.toLowerCase() as `${string}1${string}`, false);
  } catch {
    throw new Error('invalid key encoding');
  }
  if (dec.prefix !== hrp.toLowerCase()) throw new Error('invalid key encoding');
  try {
    return bech32.fromWords(dec.words);
  } catch {
    throw new Error('invalid key encoding');
  }
}
