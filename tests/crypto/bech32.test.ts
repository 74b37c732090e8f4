/**
 * crypto/bech32.ts against @scure/base's bech32 (which it replaces in crypto/ to keep the
 * reporter's page within budget): the same strings for any bytes, and the same verdict and bytes
 * for any string, whether a valid key, one with a character changed, cut or cased, or noise.
 */
import fc from 'fast-check';
import { bech32 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { decodeBech32, encodeBech32 } from '../../crypto/bech32.js';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** @scure/base's answer, with the prefix check and the error crypto/ wraps it in. */
function reference(s: string, hrp: string): Uint8Array | 'error' {
  try {
    if (s !== s.toLowerCase() && s !== s.toUpperCase()) return 'error';
    const d = bech32.decode(s.toLowerCase() as `${string}1${string}`, false);
    if (d.prefix !== hrp.toLowerCase()) return 'error';
    return bech32.fromWords(d.words);
  } catch {
    return 'error';
  }
}

function ours(s: string, hrp: string): Uint8Array | 'error' {
  try {
    return decodeBech32(s, hrp);
  } catch (e) {
    expect((e as Error).message).toBe('invalid key encoding');
    return 'error';
  }
}

const hrp = fc.constantFrom('age', 'age1pq', 'AGE-SECRET-KEY-', 'a', 'x1y');

describe('bech32', () => {
  it('encodes any bytes as @scure/base does, in either case', () => {
    fc.assert(
      fc.property(hrp, fc.uint8Array({ maxLength: 1300 }), fc.boolean(), (h, data, upper) => {
        const want = bech32.encode(h.toLowerCase(), bech32.toWords(data), false);
        expect(encodeBech32(h, data, upper)).toBe(upper ? want.toUpperCase() : want);
        expect(ours(encodeBech32(h, data, upper), h)).toEqual(data);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes or refuses any string as @scure/base does (changed, cut, re-cased or random)', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), ch: fc.constantFrom(...CHARSET, '1', 'b', 'I', 'O', ' ', 'Q', 'é') }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('case' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('none' as const) }),
    );
    fc.assert(
      fc.property(hrp, fc.uint8Array({ maxLength: 40 }), fc.array(edit, { maxLength: 2 }), hrp, (h, data, edits, asked) => {
        let s = encodeBech32(h, data);
        for (const e of edits) {
          if (e.kind === 'none' || s.length === 0) continue;
          const i = e.at % s.length;
          if (e.kind === 'set') s = s.slice(0, i) + e.ch + s.slice(i + 1);
          else if (e.kind === 'cut') s = s.slice(0, i);
          else s = s.slice(0, i) + s[i]!.toUpperCase() + s.slice(i + 1);
        }
        expect(ours(s, asked)).toEqual(reference(s, asked));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), hrp, (s, h) => {
        expect(ours(s, h)).toEqual(reference(s, h));
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a letter swapped for a character above 0x7f with the same low bits, at any position', () => {
    // A decoder that looks letters up by the low bits alone would take these for the key's own.
    const key = encodeBech32('age', new Uint8Array(32).map((_, i) => i * 37));
    for (let i = 0; i < key.length; i++) {
      for (const high of [0x80, 0x100]) {
        const s = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + high) + key.slice(i + 1);
        expect(reference(s, 'age'), s).toBe('error');
        expect(ours(s, 'age'), s).toBe('error');
      }
    }
  });

  it('refuses padding it would not have written: a leftover of 5 bits or more, or non-zero bits', () => {
    // 'age' + one data word: 5 bits, a whole word of padding.
    const oneWord = `age1q${checksumOf([0])}`;
    expect(reference(oneWord, 'age')).toBe('error');
    expect(ours(oneWord, 'age')).toBe('error');
    // Two words (10 bits) = one byte and 2 bits of padding that must be zero.
    expect(ours(`age1lq${checksumOf([31, 0])}`, 'age')).toEqual(new Uint8Array([0xf8]));
    expect(ours(`age1ll${checksumOf([31, 31])}`, 'age')).toBe('error');
  });
});

function checksumOf(words: number[]): string {
  const full = bech32.encode('age', words, false);
  return full.slice(-6);
}
