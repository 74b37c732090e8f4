/** Byte helpers shared by every crypto module. No dependencies beyond the platform. */

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 encode a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * Decode UTF-8 strictly.
 * @throws on invalid UTF-8
 */
export function fromUtf8(b: Uint8Array): string {
  return strictDecoder.decode(b);
}

/** Concatenate byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-time equality for equal-length inputs (length itself is not secret). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** The unsigned little-endian integer the bytes encode (Ed25519 scalars and field elements). */
export function littleEndianInt(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/** True when every byte is zero, in constant time. */
export function isAllZero(a: Uint8Array): boolean {
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]!;
  return d === 0;
}

/** Overwrite a buffer with zeros (best effort: JS gives no guarantee about copies). */
export function wipe(...bufs: (Uint8Array | undefined)[]): void {
  for (const b of bufs) b?.fill(0);
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** @throws on odd length or non-hex characters */
export function fromHex(s: string): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new Error('invalid hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Standard base64 (RFC 4648 §4) without padding, as age uses it. */
export function base64Raw(b: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = b.length - i;
  if (rest === 1) {
    const n = b[i]! << 16;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8);
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]!;
  }
  return s;
}

/** Standard base64 with `=` padding (used by the ASCII armor and signed documents). */
export function base64Padded(b: Uint8Array): string {
  const s = base64Raw(b);
  return s + '='.repeat((4 - (s.length % 4)) % 4);
}

/**
 * Decode unpadded standard base64, rejecting padding, foreign characters and
 * non-canonical encodings (unused trailing bits set), per age's conventions.
 * @throws Error('invalid base64')
 */
export function fromBase64Raw(s: string): Uint8Array {
  const n = s.length;
  if (n % 4 === 1) throw new Error('invalid base64');
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  const whole = n - (n % 4);
  let o = 0;
  // Four characters (three bytes) at a time: the console decodes thousands of 15 KiB reports.
  for (let i = 0; i < whole; i += 4) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    const a = B64_INDEX[c0 & 0xff]!;
    const b = B64_INDEX[c1 & 0xff]!;
    const c = B64_INDEX[c2 & 0xff]!;
    const d = B64_INDEX[c3 & 0xff]!;
    if ((a | b | c | d) < 0 || (c0 | c1 | c2 | c3) > 0x7f) throw new Error('invalid base64');
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  let acc = 0;
  let bits = 0;
  for (let i = whole; i < n; i++) {
    const v = B64_INDEX[s.charCodeAt(i) & 0xff]!;
    if (v < 0 || s.charCodeAt(i) > 0x7f) throw new Error('invalid base64');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // The bits left over (none, 2 or 4) must be zero.
  if ((acc & ((1 << bits) - 1)) !== 0) throw new Error('invalid base64');
  return out;
}

/**
 * Decode padded standard base64, requiring canonical padding.
 * @throws Error('invalid base64')
 */
export function fromBase64Padded(s: string): Uint8Array {
  // A multiple of 4 with at most two '=' is exactly the padding the body's length needs (a
  // body of 4k + 1 cannot occur); fromBase64Raw refuses any other '=' and unused bits that are set.
  if (s.length % 4 !== 0) throw new Error('invalid base64');
  let end = s.length;
  if (end > 0 && s.charCodeAt(end - 1) === 0x3d) end--;
  if (end > 0 && s.charCodeAt(end - 1) === 0x3d) end--;
  return fromBase64Raw(end === s.length ? s : s.slice(0, end));
}
