/**
 * Hashcash-style proof of work (SPEC.md §Proof of work). The server issues stateless
 * challenges and spends each stamp once; this module only checks and finds the work.
 * No Node APIs: solvePow runs in browsers and workers.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from './bytes.js';
import { DocumentError } from './errors.js';

/** Longest stamp accepted, in characters. */
export const MAX_STAMP_LENGTH = 300;
/** Highest difficulty, in leading zero bits (the length of SHA-256). */
export const MAX_POW_DIFFICULTY = 256;

const STAMP = /^([A-Za-z0-9_-]{16,200}):(0|[1-9][0-9]{0,15})$/;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** True when `s` is canonical unpadded base64url: a valid length and no stray bits in the last character. */
function isCanonicalBase64url(s: string): boolean {
  const rest = s.length % 4;
  if (rest === 1) return false;
  if (rest === 0) return true;
  const last = B64URL.indexOf(s[s.length - 1]!);
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** True when `challenge` has the shape of a server challenge: canonical base64url, 16 to 200 characters. */
export function isChallenge(challenge: string): boolean {
  return typeof challenge === 'string' && /^[A-Za-z0-9_-]{16,200}$/.test(challenge) && isCanonicalBase64url(challenge);
}

/**
 * Split a stamp `challenge:nonce`. The challenge is canonical base64url of 16 to 200
 * characters; the nonce is a decimal integer without leading zeros, at most 16 digits.
 * @throws DocumentError('invalid stamp')
 */
export function parseStamp(stamp: string): { challenge: string; nonce: string } {
  if (typeof stamp !== 'string' || stamp.length > MAX_STAMP_LENGTH) throw new DocumentError('invalid stamp');
  const m = STAMP.exec(stamp);
  if (!m || !isCanonicalBase64url(m[1]!)) throw new DocumentError('invalid stamp');
  return { challenge: m[1]!, nonce: m[2]! };
}

/** Number of leading zero bits of a byte string. */
export function leadingZeroBits(h: Uint8Array): number {
  let n = 0;
  for (const b of h) {
    if (b === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(b) - 24;
  }
  return n;
}

function checkDifficulty(difficulty: number): void {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > MAX_POW_DIFFICULTY) {
    throw new RangeError('invalid difficulty');
  }
}

/**
 * Whether the stamp `${challenge}:${nonce}` is well formed and SHA-256(utf8(stamp)) has at
 * least `difficulty` leading zero bits. Checks the work only: the caller checks the
 * challenge's own HMAC, expiry and difficulty, and that the stamp was not spent before.
 * @throws RangeError('invalid difficulty') when difficulty is not an integer in 0..256
 */
export function checkPow(stamp: string, difficulty: number): boolean {
  checkDifficulty(difficulty);
  try {
    parseStamp(stamp);
  } catch {
    return false;
  }
  return leadingZeroBits(sha256(utf8(stamp))) >= difficulty;
}

/** A way to give the event loop a turn; MessageChannel is not throttled in background tabs the way timers are. */
function yielder(): { next(): Promise<void>; close(): void } {
  if (typeof MessageChannel === 'function') {
    const ch = new MessageChannel();
    const waiting: (() => void)[] = [];
    ch.port1.onmessage = () => waiting.shift()?.();
    return {
      next: () =>
        new Promise<void>((resolve) => {
          waiting.push(resolve);
          ch.port2.postMessage(0);
        }),
      close() {
        ch.port1.close();
        ch.port2.close();
      },
    };
  }
  return { next: () => new Promise<void>((resolve) => setTimeout(resolve, 0)), close() {} };
}

const CHUNK_TRIES = 4096;
const CHUNK_MS = 50;

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

const BATCH = 1024;

/** Try nonces [from, from + n) with the native SHA-256 of WebCrypto; the smallest passing nonce, or -1. */
async function subtleBatch(
  subtle: Pick<SubtleCrypto, 'digest'>,
  prefix: string,
  from: number,
  n: number,
  difficulty: number,
): Promise<number> {
  const enc = new TextEncoder();
  const hashes = await Promise.all(
    Array.from({ length: n }, (_, i) => subtle.digest('SHA-256', enc.encode(prefix + String(from + i)))),
  );
  const i = hashes.findIndex((h) => leadingZeroBits(new Uint8Array(h)) >= difficulty);
  return i < 0 ? -1 : from + i;
}

/** What nativeIsFaster measures with: a clock, the JavaScript SHA-256 and WebCrypto. */
export interface HasherBench {
  clock: { now(): number };
  js: (data: Uint8Array) => Uint8Array;
  subtle: Pick<SubtleCrypto, 'digest'>;
}

/**
 * Whether WebCrypto's native SHA-256 beats the JavaScript one here. Without a JIT (Tor Browser
 * at "Safer", node --jitless) the native digest is about three times faster even with a
 * promise per hash; with a JIT the JavaScript loop wins. Costs a few milliseconds to ask:
 * 256 JavaScript hashes to warm up, then 256 timed of each kind. Exported for tests (not from
 * crypto/index.ts), which give it their own clock and hashers.
 * Never throws: false when WebCrypto fails (for example in an insecure context).
 */
export async function nativeIsFaster({ clock, js: hash, subtle }: HasherBench, prefix: Uint8Array): Promise<boolean> {
  try {
    for (let i = 0; i < 256; i++) hash(prefix); // let a JIT warm up first, as it would in the loop
    let t = clock.now();
    for (let i = 0; i < 256; i++) hash(prefix);
    const js = clock.now() - t;
    t = clock.now();
    await subtleBatch(subtle, 'calibration:', 0, 256, 256);
    return clock.now() - t < js;
  } catch {
    return false; // no WebCrypto here (for example an insecure context)
  }
}

/**
 * Find the smallest nonce (counting from 0) for which `${challenge}:${nonce}` passes
 * checkPow, working in chunks of at most 4096 tries or 50 ms and yielding to the event
 * loop between chunks. Where WebCrypto's native SHA-256 is faster (no JIT), batches of
 * 1024 native digests are used instead; the answer is the same smallest nonce.
 * `opts.hasher` forces one way ('js' or 'native'; tests); the default 'auto' measures. onProgress(triedSoFar, expectedTotal) is called after each chunk;
 * expectedTotal is 2^difficulty, the mean number of tries.
 * @throws DocumentError('invalid challenge') when the challenge is malformed
 * @throws RangeError('invalid difficulty') when difficulty is not an integer in 0..256
 * @throws the signal's reason when aborted
 */
export async function solvePow(
  challenge: string,
  difficulty: number,
  onProgress?: (tried: number, expected: number) => void,
  signal?: AbortSignal,
  opts: { hasher?: 'auto' | 'js' | 'native' } = {},
): Promise<string> {
  if (!isChallenge(challenge)) throw new DocumentError('invalid challenge');
  checkDifficulty(difficulty);
  if (signal?.aborted) throw abortReason(signal);
  const expected = 2 ** difficulty;
  const prefixLength = challenge.length + 1;
  const buf = new Uint8Array(prefixLength + 16);
  buf.set(utf8(`${challenge}:`));
  const y = yielder();
  try {
    let nonce = 0;
    const subtle = globalThis.crypto?.subtle;
    const hasher = opts.hasher ?? 'auto';
    const native =
      hasher === 'native' ? !!subtle : hasher === 'auto' && !!subtle && expected > 4 * BATCH && (await nativeIsFaster({ clock: performance, js: sha256, subtle }, buf));
    if (subtle && native) {
      for (;;) {
        if (nonce + BATCH > Number.MAX_SAFE_INTEGER) throw new Error('proof of work not found');
        const found = await subtleBatch(subtle, `${challenge}:`, nonce, BATCH, difficulty);
        if (found >= 0) {
          onProgress?.(found + 1, expected);
          return `${challenge}:${found}`;
        }
        nonce += BATCH;
        onProgress?.(nonce, expected);
        await y.next();
        if (signal?.aborted) throw abortReason(signal);
      }
    }
    for (;;) {
      const started = Date.now();
      for (let i = 0; i < CHUNK_TRIES; i++, nonce++) {
        if (nonce > Number.MAX_SAFE_INTEGER) throw new Error('proof of work not found');
        const digits = String(nonce);
        let o = prefixLength;
        for (let j = 0; j < digits.length; j++) buf[o++] = digits.charCodeAt(j);
        if (leadingZeroBits(sha256(buf.subarray(0, o))) >= difficulty) {
          onProgress?.(nonce + 1, expected);
          return `${challenge}:${digits}`;
        }
        if ((i & 255) === 255 && Date.now() - started >= CHUNK_MS) {
          nonce++;
          break;
        }
      }
      onProgress?.(nonce, expected);
      await y.next();
      if (signal?.aborted) throw abortReason(signal);
    }
  } finally {
    y.close();
  }
}
