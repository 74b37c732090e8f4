/** Small helpers shared by the server modules: ids, hashes, coarse days. */
import { createHash, randomBytes } from 'node:crypto';

/** A random id from the CSPRNG, base64url without padding (16 bytes → 22 characters). */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** The regular expression for ids made by {@link randomId} with the given byte count. */
export function idPattern(bytes = 16): RegExp {
  const chars = Math.ceil((bytes * 4) / 3);
  return new RegExp(`^[A-Za-z0-9_-]{${chars}}$`);
}

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** A Buffer view of bytes (the database drivers bind Buffers). */
export function buf(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

const DAY_MS = 86_400_000;

/** The UTC day of a time as YYYY-MM-DD: the only time resolution the server stores. */
export function dayOf(t: Date | number): string {
  const ms = typeof t === 'number' ? t : t.getTime();
  const n = Math.floor(ms / DAY_MS);
  // Asked several times per request, nearly always for today: remember the last answer.
  if (n === lastDay.n) return lastDay.s;
  const s = new Date(ms).toISOString().slice(0, 10);
  if (Number.isFinite(n)) {
    lastDay.n = n;
    lastDay.s = s;
  }
  return s;
}

const lastDay = { n: Number.NaN, s: '' };

/** The day `n` days after (or before, for negative n) a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
}

/** Decode canonical unpadded base64url. @throws Error('invalid base64url') */
export function fromBase64Url(s: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) throw new Error('invalid base64url');
  const b = Buffer.from(s, 'base64url');
  if (b.toString('base64url') !== s) throw new Error('invalid base64url');
  return b;
}
