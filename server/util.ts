/** Small helpers shared by the server modules: ids, hashes, coarse days. */
import * as nodeCrypto from 'node:crypto';
import { createHash, randomBytes, randomFillSync } from 'node:crypto';

/**
 * CSPRNG bytes drawn 4 KiB at a time: each randomBytes call costs a trip into OpenSSL (about
 * as much for 16 bytes as for 4 KiB), and a report submission needs an id and a token. Bytes
 * handed out are zeroed in the pool at once, so it never holds a value in use.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/** A random id from the CSPRNG, base64url without padding (16 bytes → 22 characters). */
export function randomId(bytes = 16): string {
  if (bytes > pool.length) return randomBytes(bytes).toString('base64url');
  if (poolAt + bytes > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const b = pool.subarray(poolAt, (poolAt += bytes));
  const id = b.toString('base64url');
  b.fill(0);
  return id;
}

/** The regular expression for ids made by {@link randomId} with the given byte count. */
export function idPattern(bytes = 16): RegExp {
  const chars = Math.ceil((bytes * 4) / 3);
  return new RegExp(`^[A-Za-z0-9_-]{${chars}}$`);
}

/** One-shot crypto.hash (Node 20.12+): no Hash object per call; createHash on older Node. */
const oneShot = (nodeCrypto as { hash?: (alg: string, data: Uint8Array | string, enc: 'buffer') => Buffer }).hash;

export function sha256(data: Uint8Array | string): Buffer {
  return oneShot ? oneShot('sha256', data, 'buffer') : createHash('sha256').update(data).digest();
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
  // Asked several times per request for a few days (today, tomorrow, retention ends): one
  // remembered answer thrashed between them.
  const known = days.get(n);
  if (known !== undefined) return known;
  const s = new Date(ms).toISOString().slice(0, 10);
  if (Number.isFinite(n)) {
    if (days.size >= 64) days.clear();
    days.set(n, s);
  }
  return s;
}

const days = new Map<number, string>();

/** The day `n` days after (or before, for negative n) a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  let m = dayNumbers.get(day);
  if (m === undefined) {
    m = Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
    // Only a valid day is remembered (NaN for anything else), and only a few.
    if (Number.isFinite(m) && dayOf(m * DAY_MS) === day) {
      if (dayNumbers.size >= 64) dayNumbers.clear();
      dayNumbers.set(day, m);
    }
  }
  return dayOf((m + n) * DAY_MS);
}

const dayNumbers = new Map<string, number>();

/** Decode canonical unpadded base64url. @throws Error('invalid base64url') */
export function fromBase64Url(s: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) throw new Error('invalid base64url');
  const b = Buffer.from(s, 'base64url');
  if (b.toString('base64url') !== s) throw new Error('invalid base64url');
  return b;
}
