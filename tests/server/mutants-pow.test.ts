/**
 * server/pow.ts on its own (no database, no app): the exact boundaries of challenge expiry,
 * surge difficulty and form-token timing, with a fixed key and a movable clock. Written to
 * kill mutants StrykerJS found surviving (`npm run mutate -- pow`); the route-level rules
 * (spent once, nothing stored) are in tests/server/suites/pow.ts.
 */
import { createHash, createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { solvePow } from '../../crypto/index.js';
import type { PowConfig } from '../../server/config.js';
import { ApiError } from '../../server/http.js';
import { PowIssuer, subkey } from '../../server/pow.js';

const KEY = new Uint8Array(32).fill(7);
const T0 = Date.UTC(2026, 0, 15, 12, 0, 30); // 30 s into a minute
const cfg: PowConfig = { difficulty: 2, maxDifficulty: 6, challengeTtlSeconds: 600, slackBits: 1, surgeThreshold: 4, surgeWindowMinutes: 3 };

let now: number;
let issuer: PowIssuer;
beforeEach(() => {
  now = T0;
  issuer = new PowIssuer(KEY, cfg, () => new Date(now));
});

/** The thrown ApiError as [status, message]. */
function refusal(f: () => unknown): [number, string] {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return [e.status, e.message];
    throw e;
  }
  throw new Error('not refused');
}

/** A challenge made with the issuer's own layout and key (to test what the MAC alone cannot refuse). */
function mint(kind: number, expiry: number, difficulty: number, key: Uint8Array = KEY): string {
  const body = Buffer.alloc(22);
  body[0] = kind;
  body.writeUInt32BE(expiry, 1);
  body[5] = difficulty;
  const mac = createHmac('sha256', key).update('tipline/v1 pow-challenge').update(body).digest().subarray(0, 16);
  return Buffer.concat([body, mac]).toString('base64url');
}

describe('challenges', () => {
  it('have the documented layout: kind 1, expiry now + TTL, difficulty, 16 random bytes, 16-byte MAC', () => {
    const { challenge, difficulty, expires } = issuer.issue(2);
    expect(difficulty).toBe(2);
    expect(expires).toBe(T0 / 1000 + 600);
    const raw = Buffer.from(challenge, 'base64url');
    expect(raw.length).toBe(38);
    expect(raw[0]).toBe(1);
    expect(raw.readUInt32BE(1)).toBe(expires);
    expect(raw[5]).toBe(2);
    expect(mint(1, expires, 2).slice(0, 8)).toBe(challenge.slice(0, 8));
    const other = Buffer.from(issuer.issue(2).challenge, 'base64url');
    expect(other.subarray(6, 22).equals(raw.subarray(6, 22))).toBe(false);
  });

  it('a stamp is good until its expiry second, then expired; its spent-stamp row lives until the day after', async () => {
    const { challenge, expires } = issuer.issue(2);
    const stamp = await solvePow(challenge, 2);
    const spend = issuer.verify(stamp, 2);
    expect(spend.hash.equals(createHash('sha256').update(`pow:${challenge}`).digest())).toBe(true);
    expect(spend.expiresDay).toBe('2026-01-16');
    now = (expires - 1) * 1000;
    expect(issuer.verify(stamp, 2).hash.equals(spend.hash)).toBe(true);
    now = expires * 1000;
    expect(refusal(() => issuer.verify(stamp, 2))).toEqual([403, 'proof of work expired']);
  });

  it('refuses a validly MACed challenge that expires later than any it could have issued', async () => {
    const t = Math.floor(now / 1000);
    expect(issuer.verify(await solvePow(mint(1, t + 600, 2), 2), 2).expiresDay).toBe('2026-01-16');
    expect(refusal(() => issuer.verify(solveSync(mint(1, t + 601, 2), 2), 2))).toEqual([403, 'invalid proof of work']);
  });

  it('refuses a challenge below the base difficulty, and work that does not meet the challenge difficulty', async () => {
    const t = Math.floor(now / 1000) + 60;
    expect(refusal(() => issuer.verify(solveSync(mint(1, t, 1), 1), 2))).toEqual([403, 'invalid proof of work']);
    // A stamp meeting 2 bits but not the 6 its challenge asks for.
    const c6 = mint(1, t, 6);
    let weak = '';
    for (let n = 0; ; n++) {
      const s = `${c6}:${n}`;
      const h = createHash('sha256').update(s).digest();
      if (h[0]! >> 6 === 0 && h[0]! >> 2 !== 0) {
        weak = s;
        break;
      }
    }
    expect(refusal(() => issuer.verify(weak, 2))).toEqual([403, 'invalid proof of work']);
    expect(issuer.verify(await solvePow(c6, 6), 2).expiresDay).toBe('2026-01-16');
  });

  it('tells a missing stamp from a malformed, forged, wrong-kind or wrong-length one', () => {
    const t = Math.floor(now / 1000) + 60;
    expect(refusal(() => issuer.verify(undefined, 2))).toEqual([403, 'proof of work required']);
    expect(refusal(() => issuer.verify('', 2))).toEqual([403, 'proof of work required']);
    expect(refusal(() => issuer.verify('no colon', 2))).toEqual([403, 'invalid proof of work']);
    expect(refusal(() => issuer.verify(solveSync(mint(1, t, 2, new Uint8Array(32)), 2), 2))).toEqual([403, 'invalid proof of work']);
    expect(refusal(() => issuer.verify(solveSync(mint(2, t, 2), 2), 2))).toEqual([403, 'invalid proof of work']);
    const long = Buffer.concat([Buffer.from(mint(1, t, 2), 'base64url'), Buffer.alloc(3)]).toString('base64url');
    expect(refusal(() => issuer.verify(`${long}:0`, 2))).toEqual([403, 'invalid proof of work']);
  });
});

/** The first nonce meeting `difficulty` leading zero bits (SHA-256 of the stamp, as in crypto/pow.ts). */
function solveSync(challenge: string, difficulty: number): string {
  for (let n = 0; ; n++) {
    const s = `${challenge}:${n}`;
    const h = createHash('sha256').update(s).digest();
    let zeros = 0;
    for (const byte of h) {
      if (byte === 0) {
        zeros += 8;
        continue;
      }
      zeros += Math.clz32(byte) - 24;
      break;
    }
    if (zeros >= difficulty) return s;
  }
}

describe('surge difficulty', () => {
  it('stays at the base below the threshold and rises one bit per doubling from it, up to the ceiling', () => {
    const seen = Array.from({ length: 41 }, (_, n) => issuer.difficulty(n));
    // threshold 4: n<4 → 2; 4..7 → 3; 8..15 → 4; 16..31 → 5; 32.. → 6 (ceiling)
    expect(seen.slice(0, 4)).toEqual([2, 2, 2, 2]);
    expect(seen.slice(4, 8)).toEqual([3, 3, 3, 3]);
    expect(seen.slice(8, 16)).toEqual(new Array(8).fill(4));
    expect(seen.slice(16, 32)).toEqual(new Array(16).fill(5));
    expect(seen.slice(32)).toEqual(new Array(9).fill(6));
    expect(issuer.issue(issuer.difficulty(40)).difficulty).toBe(6);
  });

  it('accepts a challenge up to slackBits below the difficulty in force; older ones are expired', async () => {
    const { challenge } = issuer.issue(2);
    const stamp = await solvePow(challenge, 2);
    expect(issuer.verify(stamp, 3).expiresDay).toBe('2026-01-16');
    expect(refusal(() => issuer.verify(stamp, 4))).toEqual([403, 'proof of work expired']);
  });
});

describe('no-JS form tokens', () => {
  const TTL = 1800;
  const MIN_FILL = 5;

  it('are accepted from minFillSeconds after issue until the second before expiry', () => {
    const token = issuer.issueFormToken(TTL);
    expect(token).toMatch(/^[A-Za-z0-9_-]{51}$/);
    expect(Buffer.from(token, 'base64url')[0]).toBe(2);
    expect(refusal(() => issuer.verifyFormToken(token, TTL, MIN_FILL))).toEqual([403, 'form sent too quickly']);
    now += (MIN_FILL - 1) * 1000;
    expect(refusal(() => issuer.verifyFormToken(token, TTL, MIN_FILL))).toEqual([403, 'form sent too quickly']);
    now += 1000;
    const spend = issuer.verifyFormToken(token, TTL, MIN_FILL);
    expect(spend.hash.equals(createHash('sha256').update(`form:${token}`).digest())).toBe(true);
    expect(spend.expiresDay).toBe('2026-01-16');
    now = T0 + (TTL - 1) * 1000;
    expect(issuer.verifyFormToken(token, TTL, MIN_FILL).hash.equals(spend.hash)).toBe(true);
    now = T0 + TTL * 1000;
    expect(refusal(() => issuer.verifyFormToken(token, TTL, MIN_FILL))).toEqual([403, 'form expired']);
  });

  it('refuses anything else as an invalid form token, including a proof-of-work challenge', () => {
    now += 10_000;
    const t = Math.floor(now / 1000) + 60;
    expect(refusal(() => issuer.verifyFormToken(issuer.issue(2).challenge, TTL, 0))).toEqual([403, 'invalid form token']);
    expect(refusal(() => issuer.verifyFormToken(mint(2, t, 0, new Uint8Array(32)), TTL, 0))).toEqual([403, 'invalid form token']);
    expect(refusal(() => issuer.verifyFormToken(`${mint(2, t, 0)}A`, TTL, 0))).toEqual([403, 'invalid form token']);
    expect(refusal(() => issuer.verifyFormToken(`x${mint(2, t, 0)}`, TTL, 0))).toEqual([403, 'invalid form token']);
    expect(refusal(() => issuer.verifyFormToken(`${mint(2, t, 0).slice(0, 50)}!`, TTL, 0))).toEqual([403, 'invalid form token']);
    // 51 characters carry 306 bits for 304: a last character with the spare bits set is not canonical.
    const good = mint(2, t, 0);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const loose = good.slice(0, 50) + alphabet[alphabet.indexOf(good[50]!) | 1];
    expect(loose).not.toBe(good);
    expect(refusal(() => issuer.verifyFormToken(loose, TTL, 0))).toEqual([403, 'invalid form token']);
    expect(issuer.verifyFormToken(good, TTL, 0).expiresDay).toBe('2026-01-16');
  });
});

describe('subkey', () => {
  it('is HMAC-SHA-256 of the server key over "tipline/v1 server-key <purpose>", distinct per purpose', () => {
    const want = createHmac('sha256', KEY).update('tipline/v1 server-key pow').digest();
    expect(subkey(KEY, 'pow').equals(want)).toBe(true);
    expect(subkey(KEY, 'pow').equals(subkey(KEY, 'form'))).toBe(false);
  });
});
