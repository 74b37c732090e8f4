/**
 * Proof of work: known-answer vectors (tests/vectors/protocol/pow-*), an independent
 * reference (node:crypto SHA-256, bit strings), and the solver's chunking, progress and abort.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DocumentError,
  MAX_STAMP_LENGTH,
  bytes,
  checkPow,
  isChallenge,
  leadingZeroBits,
  parseStamp,
  solvePow,
} from '../../crypto/index.js';
import { loadVectors } from '../vectors/protocol/vectors.js';

const vectors = loadVectors('pow');

/** Reference: count zeros in the hash written out as a bit string. */
function refZeros(stamp: string): number {
  const h = createHash('sha256').update(stamp, 'utf8').digest();
  const bits = [...h].map((b) => b.toString(2).padStart(8, '0')).join('');
  const first = bits.indexOf('1');
  return first < 0 ? 256 : first;
}

function stampError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DocumentError);
    return (e as Error).message;
  }
  return 'accepted';
}

const challengeArb = fc
  .uint8Array({ minLength: 12, maxLength: 150 })
  .map((b) => bytes.base64Raw(b).replace(/\+/g, '-').replace(/\//g, '_'));

it('has the pow vectors', () => {
  expect(vectors.length).toBeGreaterThanOrEqual(15);
  expect(new Set(vectors.map((v) => v.expect))).toEqual(new Set(['success', 'insufficient work', 'invalid stamp']));
});

describe('proof-of-work vectors', () => {
  for (const v of vectors) {
    it(`${v.name}: ${v.expect}`, async () => {
      const stamp = v.get('stamp');
      const difficulty = Number(v.get('difficulty'));
      expect(createHash('sha256').update(stamp, 'utf8').digest('hex')).toBe(v.get('sha256'));
      if (v.expect === 'invalid stamp') {
        expect(stampError(() => parseStamp(stamp))).toBe('invalid stamp');
        expect(checkPow(stamp, 0)).toBe(false);
        return;
      }
      const { challenge, nonce } = parseStamp(stamp);
      expect(`${challenge}:${nonce}`).toBe(stamp);
      const zeros = refZeros(stamp);
      if (v.expect === 'insufficient work') {
        expect(zeros).toBeLessThan(difficulty);
        expect(checkPow(stamp, difficulty)).toBe(false);
        expect(checkPow(stamp, zeros)).toBe(true);
        return;
      }
      expect(zeros).toBeGreaterThanOrEqual(difficulty);
      expect(checkPow(stamp, difficulty)).toBe(true);
      if (zeros < 256) expect(checkPow(stamp, zeros + 1)).toBe(false);
      const c = v.opt('challenge');
      if (c !== undefined) {
        expect(c).toBe(challenge);
        // the solver counts from 0, so it finds exactly the committed stamp
        expect(await solvePow(c, difficulty)).toBe(stamp);
      }
    });
  }
});

describe('checkPow and parseStamp', () => {
  it('agrees with a bit-string reference for any well-formed stamp and difficulty (property)', () => {
    fc.assert(
      fc.property(challengeArb, fc.nat({ max: 9_999_999 }), fc.integer({ min: 0, max: 12 }), (challenge, nonce, d) => {
        const stamp = `${challenge}:${nonce}`;
        expect(checkPow(stamp, d)).toBe(refZeros(stamp) >= d);
      }),
      { numRuns: 500 },
    );
  });

  it('leadingZeroBits matches the reference on any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(40), (b, z) => {
        const x = bytes.concat(new Uint8Array(Math.floor(z / 8)), b);
        const s = [...x].map((y) => y.toString(2).padStart(8, '0')).join('');
        const i = s.indexOf('1');
        expect(leadingZeroBits(x)).toBe(i < 0 ? s.length : i);
      }),
    );
  });

  it('rejects anything with whitespace, a sign, or non-ASCII, and stamps over 300 characters', () => {
    const c = 'AAAAAAAAAAAAAAAAAAAAAA';
    for (const s of [`${c}:1\n`, ` ${c}:1`, `${c}: 1`, `${c}:1 `, `${c}:٣`, `${c}:１`, `${c.slice(0, -1)}é:1`, `${c}`, `:${c}`, '']) {
      expect(stampError(() => parseStamp(s))).toBe('invalid stamp');
      expect(checkPow(s, 0)).toBe(false);
    }
    expect(MAX_STAMP_LENGTH).toBe(300);
    expect(stampError(() => parseStamp('A'.repeat(400)))).toBe('invalid stamp');
    // the longest valid stamp is well under the limit
    expect(parseStamp(`${'A'.repeat(200)}:9999999999999999`).nonce).toBe('9999999999999999');
  });

  it('accepts exactly the canonical base64url challenges of 16 to 200 characters (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 150 }), (b) => {
        const c = bytes.base64Raw(b).replace(/\+/g, '-').replace(/\//g, '_');
        expect(isChallenge(c)).toBe(c.length >= 16 && c.length <= 200);
      }),
    );
    expect(isChallenge('A'.repeat(16))).toBe(true);
    expect(isChallenge('A'.repeat(17))).toBe(false);
    expect(isChallenge('A'.repeat(18))).toBe(true);
    expect(isChallenge('A'.repeat(17) + 'B')).toBe(false); // 18 chars: last one carries 4 unused bits
    expect(isChallenge('A'.repeat(17) + 'Q')).toBe(true);
    expect(isChallenge('A'.repeat(18) + 'B')).toBe(false); // 19 chars: 2 unused bits
    expect(isChallenge('A'.repeat(18) + 'E')).toBe(true);
  });

  it('refuses a difficulty that is not an integer in 0..256', () => {
    for (const d of [-1, 257, 1.5, NaN, Infinity]) {
      expect(() => checkPow('AAAAAAAAAAAAAAAA:0', d)).toThrow(RangeError);
    }
    expect(checkPow('AAAAAAAAAAAAAAAA:0', 256)).toBe(false);
  });
});

describe('solvePow', () => {
  it('finds a stamp that checkPow accepts, for any challenge (property)', async () => {
    await fc.assert(
      fc.asyncProperty(challengeArb, fc.integer({ min: 0, max: 6 }), async (challenge, d) => {
        const stamp = await solvePow(challenge, d);
        expect(checkPow(stamp, d)).toBe(true);
        expect(refZeros(stamp)).toBeGreaterThanOrEqual(d);
        // and no smaller nonce would have done
        const n = Number(parseStamp(stamp).nonce);
        for (let i = 0; i < n; i++) expect(refZeros(`${challenge}:${i}`)).toBeLessThan(d);
      }),
      { numRuns: 30 },
    );
  });

  it('reports progress between chunks and lets timers run', async () => {
    // a challenge whose difficulty-14 solution needs several chunks of 4096 tries
    let challenge = '';
    let need = 0;
    for (let i = 0; need < 3 * 4096; i++) {
      challenge = `progress-test-${i}`.padEnd(16, 'x');
      need = 0;
      while (refZeros(`${challenge}:${need}`) < 14) need++;
    }
    const calls: [number, number][] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const stamp = await solvePow(challenge, 14, (tried, expected) => calls.push([tried, expected]));
      expect(stamp).toBe(`${challenge}:${need}`);
    } finally {
      clearInterval(timer);
    }
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.every(([, e]) => e === 2 ** 14)).toBe(true);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThan(calls[i - 1]![0]);
    expect(calls.at(-1)![0]).toBe(need + 1);
    expect(calls.every(([t], i) => i === calls.length - 1 || t % 256 === 0)).toBe(true);
    expect(ticks).toBeGreaterThan(0);
  });

  it('stops when aborted, with the signal\'s reason', async () => {
    const ac = new AbortController();
    let calls = 0;
    const p = solvePow('AAAAAAAAAAAAAAAAAAAAAA', 64, () => {
      if (++calls === 2) ac.abort(new Error('user left'));
    }, ac.signal);
    await expect(p).rejects.toThrow('user left');
    expect(calls).toBe(2);

    const done = new AbortController();
    done.abort();
    await expect(solvePow('AAAAAAAAAAAAAAAAAAAAAA', 1, undefined, done.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses a malformed challenge or difficulty', async () => {
    await expect(solvePow('short', 4)).rejects.toThrow(DocumentError);
    await expect(solvePow('A'.repeat(17), 4)).rejects.toThrow('invalid challenge');
    await expect(solvePow('AAAAAAAAAAAAAAAA', -1)).rejects.toThrow(RangeError);
    await expect(solvePow('AAAAAAAAAAAAAAAA', 2.5)).rejects.toThrow(RangeError);
  });
});

it('the protocol modules import nothing from Node, the server or the client', () => {
  for (const f of ['pow.ts', 'signed.ts', 'keyring.ts', 'request-auth.ts']) {
    const src = readFileSync(join(import.meta.dirname, '../../crypto', f), 'utf8');
    const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
    expect(imports.length).toBeGreaterThan(0);
    for (const i of imports) expect(i).toMatch(/^(\.\/[a-z0-9-]+\.js|@noble\/hashes\/[a-z0-9]+\.js|zod)$/);
  }
});

describe('solvePow with native and JavaScript SHA-256', () => {
  /** The smallest passing nonce by brute force with node:crypto, an implementation independent of ours. */
  function reference(challenge: string, difficulty: number): number {
    for (let n = 0; ; n++) if (refZeros(`${challenge}:${n}`) >= difficulty) return n;
  }

  it('finds the same smallest nonce either way, across batch boundaries', async () => {
    for (const [i, d] of [10, 11, 13].entries()) {
      const challenge = Buffer.from(`native-or-js-${i}-`.repeat(2)).toString('base64url');
      const want = `${challenge}:${reference(challenge, d)}`;
      const seen: number[] = [];
      expect(await solvePow(challenge, d, (t) => seen.push(t), undefined, { hasher: 'native' })).toBe(want);
      expect(await solvePow(challenge, d, undefined, undefined, { hasher: 'js' })).toBe(want);
      expect(await solvePow(challenge, d)).toBe(want);
      expect(seen.at(-1)).toBe(Number(want.split(':')[1]) + 1);
    }
  });

  it('stops when aborted while hashing natively', async () => {
    const ac = new AbortController();
    const challenge = Buffer.from('abort-native-'.repeat(2)).toString('base64url');
    const p = solvePow(challenge, 40, () => ac.abort(new Error('stop')), ac.signal, { hasher: 'native' });
    await expect(p).rejects.toThrow('stop');
  });
});
