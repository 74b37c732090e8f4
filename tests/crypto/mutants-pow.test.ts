/**
 * Proof of work: the rules tests/crypto/pow.test.ts leaves to chance, each found by a mutant
 * that survived it (npm run mutate, tests/mutation/SURVIVORS.md). Which hasher the solver
 * uses is observed by counting WebCrypto digests; the measurement that chooses it with a fake
 * clock whose time is spent by fake hashers; the chunking by a stubbed clock; the yielding by
 * a MessageChannel that counts its ports' closing; the challenge shape with non-string input
 * and near-miss strings.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DocumentError, checkPow, isChallenge, parseStamp, solvePow } from '../../crypto/index.js';
import { nativeIsFaster, type HasherBench } from '../../crypto/pow.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function zeros(stamp: string): number {
  const h = createHash('sha256').update(stamp, 'utf8').digest();
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

function smallest(challenge: string, d: number): number {
  for (let n = 0; ; n++) if (zeros(`${challenge}:${n}`) >= d) return n;
}

/** A string-like object: what a caller without types might pass. */
const stringLike = (s: string) => ({ toString: () => s, length: s.length }) as unknown as string;

describe('challenge and stamp shape', () => {
  it('isChallenge refuses a non-string, even one that reads as a challenge', () => {
    expect(isChallenge('A'.repeat(16))).toBe(true);
    expect(isChallenge(stringLike('A'.repeat(16)))).toBe(false);
    expect(isChallenge(16 as unknown as string)).toBe(false);
  });

  it('isChallenge refuses other characters anywhere, even at a canonical length', () => {
    expect(isChallenge('!'.repeat(16))).toBe(false);
    expect(isChallenge(`!!${'A'.repeat(16)}`)).toBe(false);
    expect(isChallenge(`${'A'.repeat(16)}!AAA`)).toBe(false);
    expect(isChallenge(`${'A'.repeat(16)}=`)).toBe(false);
    expect(isChallenge('A'.repeat(200))).toBe(true);
    expect(isChallenge('A'.repeat(204))).toBe(false);
  });

  it('a last character with stray bits is refused at 2 (4 unused bits) and 3 (2 unused bits) characters past a block', () => {
    // 'E' is index 4: low 2 bits clear, low 4 bits not
    expect(isChallenge(`${'A'.repeat(17)}E`)).toBe(false);
    expect(isChallenge(`${'A'.repeat(18)}E`)).toBe(true);
    expect(isChallenge(`${'A'.repeat(17)}g`)).toBe(true);
    expect(isChallenge(`${'A'.repeat(18)}C`)).toBe(false);
  });

  it('parseStamp refuses a non-string that reads as a stamp; checkPow says false', () => {
    const s = stringLike('AAAAAAAAAAAAAAAA:0');
    let err: unknown;
    try {
      parseStamp(s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DocumentError);
    expect((err as Error).message).toBe('invalid stamp');
    expect(checkPow(s, 0)).toBe(false);
    expect(checkPow('AAAAAAAAAAAAAAAA:0', 0)).toBe(true);
  });

  it('refuses a bad difficulty with the message invalid difficulty', async () => {
    expect(() => checkPow('AAAAAAAAAAAAAAAA:0', 257)).toThrow(new RangeError('invalid difficulty'));
    await expect(solvePow('AAAAAAAAAAAAAAAA', -1)).rejects.toThrow(new RangeError('invalid difficulty'));
  });
});

describe('which SHA-256 the solver uses', () => {
  const challenge = Buffer.from('which-hasher-'.repeat(2)).toString('base64url');

  function countDigests(): { calls: () => number } {
    const spy = vi.spyOn(globalThis.crypto.subtle, 'digest');
    return { calls: () => spy.mock.calls.length };
  }

  it("'js' never calls WebCrypto, whatever the difficulty", async () => {
    const c = countDigests();
    expect(await solvePow(challenge, 13, undefined, undefined, { hasher: 'js' })).toBe(`${challenge}:${smallest(challenge, 13)}`);
    expect(await solvePow(challenge, 2, undefined, undefined, { hasher: 'js' })).toBe(`${challenge}:${smallest(challenge, 2)}`);
    expect(c.calls()).toBe(0);
  });

  it("'native' hashes with WebCrypto in batches of 1024, even for an easy difficulty", async () => {
    const c = countDigests();
    expect(await solvePow(challenge, 3, undefined, undefined, { hasher: 'native' })).toBe(`${challenge}:${smallest(challenge, 3)}`);
    expect(c.calls()).toBe(1024);
  });

  it("'auto' (the default) does not measure when 2^difficulty is at most 4096 tries", async () => {
    const c = countDigests();
    expect(await solvePow(challenge, 12)).toBe(`${challenge}:${smallest(challenge, 12)}`);
    expect(await solvePow(challenge, 1, undefined, undefined, {})).toBe(`${challenge}:${smallest(challenge, 1)}`);
    expect(c.calls()).toBe(0);
  });

  it("'auto' measures WebCrypto against JavaScript above 4096 tries", async () => {
    const c = countDigests();
    expect(await solvePow(challenge, 13)).toBe(`${challenge}:${smallest(challenge, 13)}`);
    // the calibration alone is 256 digests of 'calibration:<n>'
    expect(c.calls()).toBeGreaterThanOrEqual(256);
    const spy = vi.mocked(globalThis.crypto.subtle.digest);
    const first = new TextDecoder().decode(spy.mock.calls[0]![1] as Uint8Array);
    expect(first).toBe('calibration:0');
  });

  it('falls back to JavaScript when there is no WebCrypto', async () => {
    vi.stubGlobal('crypto', undefined);
    expect(await solvePow(challenge, 5, undefined, undefined, { hasher: 'native' })).toBe(`${challenge}:${smallest(challenge, 5)}`);
    expect(await solvePow(challenge, 13)).toBe(`${challenge}:${smallest(challenge, 13)}`);
  });

  it('native: nonce 0 is an answer, and no progress callback is needed', async () => {
    expect(await solvePow(challenge, 0, undefined, undefined, { hasher: 'native' })).toBe(`${challenge}:0`);
    // a challenge whose difficulty-11 answer lies past the first batch
    let c = challenge;
    for (let i = 0; smallest(c, 11) <= 1024; i++) c = Buffer.from(`native-batches-${i}-`.repeat(2)).toString('base64url');
    const n = smallest(c, 11);
    expect(await solvePow(c, 11, undefined, undefined, { hasher: 'native' })).toBe(`${c}:${n}`);
    const seen: number[] = [];
    await solvePow(c, 11, (t, e) => seen.push(t, e), undefined, { hasher: 'native' });
    const batches = Math.floor(n / 1024);
    const want: number[] = [];
    for (let b = 1; b <= batches; b++) want.push(b * 1024, 2048);
    want.push(n + 1, 2048);
    expect(seen).toEqual(want);
  });
});

describe('the JavaScript loop: chunks, progress and yielding', () => {
  // a challenge whose difficulty-14 answer needs more than two chunks of 4096 tries
  let challenge = '';
  let need = 0;
  for (let i = 0; need <= 2 * 4096; i++) {
    challenge = Buffer.from(`chunks-${i}-`.repeat(3)).toString('base64url');
    need = smallest(challenge, 14);
  }

  it('works in chunks of exactly 4096 tries while the clock stands still', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const seen: number[] = [];
    expect(await solvePow(challenge, 14, (t) => seen.push(t), undefined, { hasher: 'js' })).toBe(`${challenge}:${need}`);
    const want: number[] = [];
    for (let t = 4096; t <= need; t += 4096) want.push(t);
    want.push(need + 1);
    expect(seen).toEqual(want);
  });

  it('ends a chunk at the first multiple of 256 tries once 50 ms have passed', async () => {
    // every reading of the clock is 25 ms later than the one before: the first at the
    // chunk's start, then one after 256 tries (25 ms), one after 512 tries (50 ms: stop)
    let t = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => (t += 25));
    const seen: number[] = [];
    expect(await solvePow(challenge, 14, (x) => seen.push(x), undefined, { hasher: 'js' })).toBe(`${challenge}:${need}`);
    expect(seen[0]).toBe(512);
    expect(seen[1]).toBe(1024);
    expect(seen.at(-1)).toBe(need + 1);
    for (const [i, x] of seen.slice(0, -1).entries()) expect(x).toBe(512 * (i + 1));
  });

  it('yields to timers between chunks, also without MessageChannel', async () => {
    for (const withChannel of [true, false]) {
      if (!withChannel) vi.stubGlobal('MessageChannel', undefined);
      vi.spyOn(Date, 'now').mockReturnValue(5);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      try {
        // five chunks: timers get at least a turn between them
        expect(await solvePow(challenge, 14, undefined, undefined, { hasher: 'js' })).toBe(`${challenge}:${need}`);
      } finally {
        clearInterval(timer);
      }
      expect(ticks, `with MessageChannel: ${withChannel}`).toBeGreaterThan(0);
    }
  });
});

describe('abort', () => {
  it('the JavaScript loop stops between chunks when aborted', async () => {
    const ac = new AbortController();
    let calls = 0;
    const p = solvePow(
      'AAAAAAAAAAAAAAAAAAAAAA',
      64,
      () => {
        if (++calls === 2) ac.abort(new Error('user left'));
      },
      ac.signal,
      { hasher: 'js' },
    );
    await expect(p).rejects.toThrow('user left');
    expect(calls).toBe(2);
  });

  it('a WebCrypto that refuses to hash is measured as slower, so JavaScript does the work', async () => {
    const challenge = Buffer.from('refusing-subtle-'.repeat(2)).toString('base64url');
    vi.stubGlobal('crypto', { subtle: { digest: () => Promise.reject(new Error('insecure context')) } });
    expect(await solvePow(challenge, 13)).toBe(`${challenge}:${smallest(challenge, 13)}`);
  });

  it('without a reason on the signal, the error is an AbortError', async () => {
    const signal = { aborted: true, reason: undefined } as unknown as AbortSignal;
    const e = await solvePow('AAAAAAAAAAAAAAAA', 4, undefined, signal).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DOMException);
    expect((e as DOMException).name).toBe('AbortError');
    expect((e as DOMException).message).toBe('The operation was aborted.');
  });
});

describe('the measurement that chooses WebCrypto or JavaScript', () => {
  /** A bench whose clock only moves when a hash is computed: each JavaScript hash costs jsCost, each digest nativeCost. */
  function fakeBench(jsCost: number, nativeCost: number, log: string[] = []): HasherBench & { digested: string[] } {
    let now = 1000;
    const digested: string[] = [];
    return {
      digested,
      clock: {
        now: () => {
          log.push('now');
          return now;
        },
      },
      js: (data) => {
        log.push('js');
        expect(data).toEqual(new Uint8Array([1, 2, 3]));
        now += jsCost;
        return new Uint8Array(32);
      },
      subtle: {
        digest: (algorithm, data) => {
          log.push('digest');
          expect(algorithm).toBe('SHA-256');
          digested.push(new TextDecoder().decode(data as Uint8Array));
          now += nativeCost;
          return Promise.resolve(new Uint8Array(32).fill(0xff).buffer);
        },
      },
    };
  }
  const prefix = new Uint8Array([1, 2, 3]);

  it('warms up with 256 JavaScript hashes, then times 256 of them and 256 WebCrypto digests', async () => {
    const log: string[] = [];
    const b = fakeBench(1, 2, log);
    await nativeIsFaster(b, prefix);
    const n = (what: string) => Array<string>(256).fill(what);
    expect(log).toEqual([...n('js'), 'now', ...n('js'), 'now', 'now', ...n('digest'), 'now']);
    expect(b.digested).toEqual(Array.from({ length: 256 }, (_, i) => `calibration:${i}`));
  });

  it('says native only when its 256 digests took strictly less time than the 256 JavaScript hashes', async () => {
    expect(await nativeIsFaster(fakeBench(2, 1), prefix)).toBe(true);
    expect(await nativeIsFaster(fakeBench(1, 2), prefix)).toBe(false);
    expect(await nativeIsFaster(fakeBench(1, 1), prefix)).toBe(false);
    expect(await nativeIsFaster(fakeBench(3, 0), prefix)).toBe(true);
    expect(await nativeIsFaster(fakeBench(0, 0), prefix)).toBe(false);
  });

  it('says false, not throw, when WebCrypto refuses to hash', async () => {
    const b = fakeBench(2, 1);
    b.subtle = { digest: () => Promise.reject(new Error('insecure context')) };
    expect(await nativeIsFaster(b, prefix)).toBe(false);
  });

  it("'auto' measures with performance.now and follows the answer", async () => {
    const challenge = Buffer.from('auto-follows-'.repeat(2)).toString('base64url');
    const want = `${challenge}:${smallest(challenge, 13)}`;
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    // readings: JavaScript start and end, native start and end
    const now = vi.spyOn(performance, 'now');
    now.mockReturnValueOnce(0).mockReturnValueOnce(100).mockReturnValueOnce(100).mockReturnValueOnce(101);
    expect(await solvePow(challenge, 13)).toBe(want);
    const native = digest.mock.calls.length;
    expect(native).toBeGreaterThan(256);
    expect((native - 256) % 1024).toBe(0);

    digest.mockClear();
    now.mockReset();
    now.mockReturnValueOnce(0).mockReturnValueOnce(1).mockReturnValueOnce(1).mockReturnValueOnce(101);
    expect(await solvePow(challenge, 13)).toBe(want);
    expect(digest.mock.calls.length).toBe(256);
  });
});

describe('yielding through a MessageChannel', () => {
  /** A MessageChannel that records how often it was made and its ports closed. */
  function countingChannel(): { made: number; closed: number } {
    const seen = { made: 0, closed: 0 };
    const Real = MessageChannel;
    class Counting extends Real {
      constructor() {
        super();
        seen.made++;
        for (const port of [this.port1, this.port2]) {
          const close = port.close.bind(port);
          port.close = () => {
            seen.closed++;
            close();
          };
        }
      }
    }
    vi.stubGlobal('MessageChannel', Counting);
    return seen;
  }

  it('uses one channel per solve and closes both its ports, whether found at once, later or aborted', async () => {
    const challenge = Buffer.from('channel-ports-'.repeat(2)).toString('base64url');
    const seen = countingChannel();
    vi.spyOn(Date, 'now').mockReturnValue(7);
    // several chunks of 4096 tries: yields through the channel
    expect(await solvePow(challenge, 14, undefined, undefined, { hasher: 'js' })).toBe(`${challenge}:${smallest(challenge, 14)}`);
    expect(seen).toEqual({ made: 1, closed: 2 });
    expect(await solvePow(challenge, 0, undefined, undefined, { hasher: 'js' })).toBe(`${challenge}:0`);
    expect(seen).toEqual({ made: 2, closed: 4 });
    const ac = new AbortController();
    const e = await solvePow('AAAAAAAAAAAAAAAAAAAAAA', 64, () => ac.abort(new Error('left')), ac.signal, { hasher: 'js' }).catch(
      (x: unknown) => x,
    );
    expect((e as Error).message).toBe('left');
    expect(seen).toEqual({ made: 3, closed: 6 });
  });
});
