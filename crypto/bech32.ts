/**
 * Bech32 (BIP 173, no length limit, as age uses it) for keys. Written out here rather than taken
 * from @scure/base, whose shared radix machinery cost the reporter's page about 2.5 KiB gzip of
 * its 80 KiB budget; tests/crypto/bech32.test.ts checks both agree on every input.
 */

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

const CHARSET_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) CHARSET_INDEX[CHARSET.charCodeAt(i)] = i;

// The generators XORed together for each value of the five bits shifted out: one lookup per
// step instead of a branch per bit (a key's bits are random, so half the branches mispredict).
const SHIFTED_OUT = new Int32Array(32);
for (let top = 0; top < 32; top++) {
  let g = 0;
  for (let i = 0; i < 5; i++) if ((top >>> i) & 1) g ^= GENERATOR[i]!;
  SHIFTED_OUT[top] = g;
}

function polymodStep(chk: number, v: number): number {
  return ((chk & 0x1ffffff) << 5) ^ v ^ SHIFTED_OUT[chk >>> 25]!;
}

/** The BIP 173 checksum's six 5-bit symbols for a lower-case prefix and the data words. */
function checksum(hrp: string, words: ArrayLike<number>): number[] {
  let chk = 1;
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) throw new Error('invalid key encoding');
    chk = polymodStep(chk, c >> 5);
  }
  chk = polymodStep(chk, 0);
  for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk, hrp.charCodeAt(i) & 31);
  for (let i = 0; i < words.length; i++) chk = polymodStep(chk, words[i]!);
  for (let i = 0; i < 6; i++) chk = polymodStep(chk, 0);
  chk ^= 1;
  return [0, 1, 2, 3, 4, 5].map((i) => (chk >>> (5 * (5 - i))) & 31);
}

/** Encode bytes under a human-readable prefix; `upper` for secret keys. */
export function encodeBech32(hrp: string, data: Uint8Array, upper = false): string {
  const prefix = hrp.toLowerCase();
  if (prefix.length === 0) throw new Error('invalid key encoding');
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of data) {
    acc = ((acc << 8) | b) & 0xfff;
    bits += 8;
    for (; bits >= 5; bits -= 5) words.push((acc >> (bits - 5)) & 31);
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  const s = `${prefix}1${[...words, ...checksum(prefix, words)].map((w) => CHARSET[w]).join('')}`;
  return upper ? s.toUpperCase() : s;
}

/**
 * Decode a Bech32 string and check its prefix (case-insensitive, not mixed case).
 * @throws Error('invalid key encoding')
 */
export function decodeBech32(s: string, hrp: string): Uint8Array {
  const fail = (): never => {
    throw new Error('invalid key encoding');
  };
  if (typeof s !== 'string' || s.length < 8) fail();
  const lower = s.toLowerCase();
  if (s !== lower && s !== s.toUpperCase()) fail();
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || lower.length - sep - 1 < 6) fail();
  const prefix = lower.slice(0, sep);
  if (prefix !== hrp.toLowerCase()) fail();
  // Identity and reply keys are about 2,000 characters; the console checks one per report.
  const all = new Uint8Array(lower.length - sep - 1);
  for (let i = 0; i < all.length; i++) {
    const c = lower.charCodeAt(sep + 1 + i);
    const w = c < 128 ? CHARSET_INDEX[c]! : -1;
    if (w < 0) fail();
    all[i] = w;
  }
  const words = all.subarray(0, -6);
  if (checksum(prefix, words).some((w, i) => w !== all[words.length + i])) fail();
  // 5-bit words back to bytes: at most 4 bits of zero padding may be left over.
  const out = new Uint8Array(Math.floor((words.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (const w of words) {
    acc = ((acc << 5) | w) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  if (bits >= 5 || (acc & ((1 << bits) - 1)) !== 0) fail();
  return out;
}
