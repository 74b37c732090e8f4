/**
 * Stateless proof-of-work challenges and no-JS form tokens.
 *
 * A challenge is base64url of 38 bytes:
 *   kind (1: pow, 2: form token) || expiry (uint32 BE, unix seconds) || difficulty (uint8)
 *   || random (16) || HMAC-SHA-256(key, 'tipline/v1 pow-challenge' || the 22 bytes before)[0..16]
 * The server keeps nothing per challenge. A stamp (`challenge:nonce`) is spent once: its
 * SHA-256 goes into `spent_stamps` until the day after its challenge expired.
 *
 * Difficulty rises by one bit per doubling of submissions above a threshold within the
 * surge window (counted in this process's memory only, per minute), up to a ceiling.
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
  private readonly buckets = new Map<number, number>();

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

  /** Submissions counted in the current surge window. */
  recentSubmissions(): number {
    const minute = Math.floor(this.seconds() / 60);
    let n = 0;
    for (const [m, count] of this.buckets) {
      if (m <= minute - this.cfg.surgeWindowMinutes) this.buckets.delete(m);
      else n += count;
    }
    return n;
  }

  /** The difficulty new challenges get now. */
  difficulty(): number {
    const n = this.recentSubmissions();
    const { difficulty, maxDifficulty, surgeThreshold } = this.cfg;
    if (n < surgeThreshold) return difficulty;
    return Math.min(maxDifficulty, difficulty + 1 + Math.floor(Math.log2(n / surgeThreshold)));
  }

  /** Count one accepted submission towards the surge window. */
  recordSubmission(): void {
    const minute = Math.floor(this.seconds() / 60);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + 1);
  }

  /** A fresh proof-of-work challenge. */
  issue(): { challenge: string; difficulty: number; expires: number } {
    const difficulty = this.difficulty();
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
   * difficulty is at least the configured base (a challenge issued during a surge keeps its
   * higher difficulty) and the work itself. Spending it is the caller's job (in the same
   * transaction as what it pays for).
   * @throws ApiError(403, 'proof of work required' | 'invalid proof of work' | 'proof of work expired')
   */
  verify(stamp: string | undefined): SpendableStamp {
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
    return { hash: sha256(`pow:${stamp}`), expiresDay: addDays(dayOf(expiry * 1000), 1) };
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
