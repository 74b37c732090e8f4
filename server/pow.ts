/**
 * Stateless proof-of-work challenges and no-JS form tokens.
 *
 * A challenge is base64url of 38 bytes:
 *   kind (1: pow, 2: form token) || expiry (uint32 BE, unix seconds) || difficulty (uint8)
 *   || random (16) || HMAC-SHA-256(key, 'tipline/v1 pow-challenge' || the 22 bytes before)[0..16]
 * The server keeps nothing per challenge until it is used. Each challenge pays once,
 * whatever nonce solves it: the SHA-256 of the challenge goes into `spent_stamps` until the
 * day after it expired.
 *
 * Difficulty rises by one bit per doubling of submissions above a threshold within the
 * surge window, up to a ceiling. The window is counted in the database (server/abuse.ts),
 * so every process agrees; a stamp must meet the difficulty in force minus `slackBits`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { checkPow, parseStamp } from '../crypto/index.js';
import type { PowConfig } from './config.js';
import { ApiError } from './http.js';
import { addDays, dayOf, fromBase64Url, sha256 } from './util.js';

const KIND_POW = 1;
const KIND_FORM = 2;
const LABEL = Buffer.from('tipline/v1 pow-challenge', 'utf8');
const BODY = 22;
const MAC = 16;

export interface SpendableStamp {
  /** SHA-256 of the stamp: the spent-stamp key. */
  hash: Buffer;
  /** Day after which the spent-stamp row may be pruned. */
  expiresDay: string;
}

export class PowIssuer {
  constructor(
    private readonly key: Uint8Array,
    private readonly cfg: PowConfig,
    private readonly now: () => Date,
  ) {}

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(LABEL).update(body).digest().subarray(0, MAC);
  }

  private make(kind: number, expiry: number, difficulty: number): string {
    const body = Buffer.alloc(BODY);
    body[0] = kind;
    body.writeUInt32BE(expiry, 1);
    body[5] = difficulty;
    randomBytes(16).copy(body, 6);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  private seconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  /** The difficulty in force after `recent` submissions in the surge window. */
  difficulty(recent: number): number {
    const { difficulty, maxDifficulty, surgeThreshold } = this.cfg;
    if (recent < surgeThreshold) return difficulty;
    return Math.min(maxDifficulty, difficulty + 1 + Math.floor(Math.log2(recent / surgeThreshold)));
  }

  /** A fresh proof-of-work challenge at the given difficulty (the one in force). */
  issue(difficulty: number): { challenge: string; difficulty: number; expires: number } {
    const expires = this.seconds() + this.cfg.challengeTtlSeconds;
    return { challenge: this.make(KIND_POW, expires, difficulty), difficulty, expires };
  }

  /** A token for the no-JS form: valid from `minFillSeconds` after issue until the TTL. */
  issueFormToken(ttlSeconds: number): string {
    return this.make(KIND_FORM, this.seconds() + ttlSeconds, 0);
  }

  private open(challenge: string, kind: number): { expiry: number; difficulty: number } {
    let raw: Buffer;
    try {
      raw = fromBase64Url(challenge);
    } catch {
      throw new ApiError(403, kind === KIND_POW ? 'invalid proof of work' : 'invalid form token');
    }
    if (raw.length !== BODY + MAC || raw[0] !== kind) {
      throw new ApiError(403, kind === KIND_POW ? 'invalid proof of work' : 'invalid form token');
    }
    const body = raw.subarray(0, BODY);
    if (!timingSafeEqual(this.mac(body), raw.subarray(BODY))) {
      throw new ApiError(403, kind === KIND_POW ? 'invalid proof of work' : 'invalid form token');
    }
    return { expiry: body.readUInt32BE(1), difficulty: body[5]! };
  }

  /**
   * Check a stamp from the `tipline-pow` header: shape, the server's MAC, expiry, that the
   * challenge's difficulty is at least the one in force (`current`) minus the slack and never
   * below the configured base, and the work itself. Spending it is the caller's job (in the
   * same transaction as what it pays for); the spent key is the challenge, so one challenge
   * pays once whichever nonce solved it.
   * @throws ApiError(403, 'proof of work required' | 'invalid proof of work' | 'proof of work expired')
   */
  verify(stamp: string | undefined, current: number): SpendableStamp {
    const s = this.check(stamp);
    this.assertInForce(s.difficulty, current);
    return { hash: s.hash, expiresDay: s.expiresDay };
  }

  /**
   * {@link verify} without the difficulty in force: everything but the surge check, which the
   * caller makes with {@link assertInForce} when {@link surgeMatters} says it can refuse.
   * @throws ApiError(403, 'proof of work required' | 'invalid proof of work' | 'proof of work expired')
   */
  check(stamp: string | undefined): SpendableStamp & { difficulty: number } {
    if (stamp === undefined || stamp === '') throw new ApiError(403, 'proof of work required');
    let challenge: string;
    try {
      ({ challenge } = parseStamp(stamp));
    } catch {
      throw new ApiError(403, 'invalid proof of work');
    }
    const { expiry, difficulty } = this.open(challenge, KIND_POW);
    if (expiry <= this.seconds()) throw new ApiError(403, 'proof of work expired');
    if (expiry > this.seconds() + this.cfg.challengeTtlSeconds) throw new ApiError(403, 'invalid proof of work');
    if (difficulty < this.cfg.difficulty || !checkPow(stamp, difficulty)) throw new ApiError(403, 'invalid proof of work');
    return { hash: sha256(`pow:${challenge}`), expiresDay: addDays(dayOf(expiry * 1000), 1), difficulty };
  }

  /**
   * Whether the difficulty in force can refuse a stamp of this difficulty: not when it meets
   * the highest difficulty {@link difficulty} can give (the ceiling, or the base if higher)
   * minus the slack. Then the surge window need not be read at all.
   */
  surgeMatters(stampDifficulty: number): boolean {
    return stampDifficulty < Math.max(this.cfg.difficulty, this.cfg.maxDifficulty) - this.cfg.slackBits;
  }

  /**
   * Refuse a stamp issued before a surge raised the difficulty past the slack: the browser
   * fetches a new challenge, as for an expired one.
   * @throws ApiError(403, 'proof of work expired')
   */
  assertInForce(stampDifficulty: number, current: number): void {
    if (stampDifficulty < current - this.cfg.slackBits) throw new ApiError(403, 'proof of work expired');
  }

  /**
   * Check a no-JS form token: MAC, not posted sooner than `minFillSeconds` after it was
   * issued, not expired.
   * @throws ApiError(403, 'invalid form token' | 'form expired' | 'form sent too quickly')
   */
  verifyFormToken(token: string, ttlSeconds: number, minFillSeconds: number): SpendableStamp {
    if (!/^[A-Za-z0-9_-]{51}$/.test(token)) throw new ApiError(403, 'invalid form token');
    const { expiry } = this.open(token, KIND_FORM);
    const now = this.seconds();
    if (expiry <= now) throw new ApiError(403, 'form expired');
    if (expiry - ttlSeconds + minFillSeconds > now) throw new ApiError(403, 'form sent too quickly');
    return { hash: sha256(`form:${token}`), expiresDay: addDays(dayOf(expiry * 1000), 1) };
  }
}

/** A subkey of the server key for one purpose. */
export function subkey(serverKey: Uint8Array, purpose: string): Buffer {
  return createHmac('sha256', serverKey).update(`tipline/v1 server-key ${purpose}`).digest();
}
