/** Member passphrases: scrypt from node:crypto with a per-member random salt. */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const DEFAULT_LOG_N = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

function derive(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hash a passphrase as `scrypt$logN$r$p$salt$hash` (base64url fields). */
export async function hashPassphrase(passphrase: string, logN = DEFAULT_LOG_N): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(passphrase, salt, logN, R, P);
  return `scrypt$${logN}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** The cost (log2 N) of a stored hash, or undefined when it is not one of ours. */
export function hashCost(stored: string): number | undefined {
  const m = /^scrypt\$([0-9]{1,2})\$/.exec(stored);
  return m ? Number(m[1]) : undefined;
}

/** A hash no passphrase matches, at the parameters of `like` (or the default cost). */
export function dummyHash(like?: string): string {
  const m = like ? /^scrypt\$([0-9]{1,2})\$([0-9]{1,2})\$([0-9]{1,2})\$/.exec(like) : null;
  const params = m ? `${m[1]}$${m[2]}$${m[3]}` : `${DEFAULT_LOG_N}$${R}$${P}`;
  return `scrypt$${params}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_BYTES).toString('base64url')}`;
}

/**
 * Check a passphrase against a stored hash in constant time. With `stored` undefined
 * (no such login) the same work is done against `dummy`, which should have the cost a
 * stored hash would have (see ServerContext.dummyHash), so timing does not tell.
 */
export async function checkPassphrase(passphrase: string, stored: string | undefined, dummy = dummyHash()): Promise<boolean> {
  const m = /^scrypt\$([0-9]{1,2})\$([0-9]{1,2})\$([0-9]{1,2})\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})$/.exec(stored ?? dummy);
  if (!m) return false;
  const [logN, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (logN < 10 || logN > 20 || r < 1 || r > 16 || p < 1 || p > 4) return false;
  const key = await derive(passphrase, Buffer.from(m[4]!, 'base64url'), logN, r, p);
  const ok = timingSafeEqual(key, Buffer.from(m[5]!, 'base64url'));
  return ok && stored !== undefined;
}
