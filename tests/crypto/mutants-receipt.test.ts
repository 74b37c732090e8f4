/**
 * Receipt codes: the rules receipt.test.ts and receipt-v2.test.ts leave to chance, each found
 * by a mutant that survived them (npm run mutate, tests/mutation/SURVIVORS.md): the input
 * length limits at their boundary, non-string input, the digits form's exact grouping, the
 * one-piece reader and completion, and the progress callback's throttling.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DocumentError, completeReceiptWord, normalizeReceiptCode, receiptCodeDigits, receiptWordIndex } from '../../crypto/index.js';
import { deriveMailboxWithParams, receiptCodeFromEntropy } from '../../crypto/receipt.js';
import { WORDLIST_V1, WORDLIST_V2 } from '../../crypto/receipt-words.js';
import { thrown } from '../helpers/vectors.js';

const CODE = normalizeReceiptCode('tumble predict web goat bundle benefit bulb movie relax baby');
const CHEAP = { logN: 4, r: 8, p: 1 };

function invalid(f: () => unknown): void {
  const e = thrown(f);
  expect(e).toBeInstanceOf(DocumentError);
  expect((e as Error).message).toBe('invalid receipt code');
}

describe('input limits', () => {
  it('reads a code padded to exactly 400 characters and refuses 401', () => {
    const exact = CODE + ' '.repeat(400 - CODE.length);
    expect(exact.length).toBe(400);
    expect(normalizeReceiptCode(exact)).toBe(CODE);
    invalid(() => normalizeReceiptCode(`${exact} `));
    invalid(() => receiptCodeDigits(`${exact} `));
  });

  it('refuses a non-string that reads as a code', () => {
    const like = { toString: () => CODE, length: CODE.length, normalize: () => CODE } as unknown as string;
    invalid(() => normalizeReceiptCode(like));
    invalid(() => receiptCodeDigits(like));
    expect(receiptWordIndex(like)).toBeUndefined();
    expect(receiptWordIndex(1341 as unknown as string)).toBeUndefined();
  });

  it('refuses empty input and separators only', () => {
    for (const s of ['', ' ', ' - . ', '\n']) invalid(() => normalizeReceiptCode(s));
  });
});

describe('the digits form', () => {
  const digits = receiptCodeDigits(CODE);

  it('is ten zero-padded groups of the word indices', () => {
    const want = CODE.split(' ')
      .map((w) => String(WORDLIST_V2.indexOf(w)).padStart(4, '0'))
      .join(' ');
    expect(digits).toBe(want);
    expect(receiptCodeDigits('abandon abandon abandon abandon abandon abandon abandon abandon abandon birth')).toMatch(/^0000 0000 0000 0000 0000 0000 0000 0000 0000 0[0-9]{3}$/);
  });

  it('takes 40 digits in any grouping, and refuses 39 or 41', () => {
    const all = digits.replace(/ /g, '');
    expect(normalizeReceiptCode(`${all.slice(0, 7)}-${all.slice(7, 20)} ${all.slice(20)}`)).toBe(CODE);
    invalid(() => normalizeReceiptCode(all.slice(1)));
    invalid(() => normalizeReceiptCode(`${all}0`));
    invalid(() => normalizeReceiptCode(`${all.slice(0, 20)} ${all.slice(21)}`));
  });

  it('refuses words and digits mixed, either way round', () => {
    const groups = digits.split(' ');
    const words = CODE.split(' ');
    invalid(() => normalizeReceiptCode([words[0], ...groups.slice(1)].join(' ')));
    invalid(() => normalizeReceiptCode([groups[0], ...words.slice(1)].join(' ')));
    invalid(() => normalizeReceiptCode([...words.slice(0, 9), groups[9]].join(' ')));
  });

  it('refuses a word with a digit in it', () => {
    const words = CODE.split(' ');
    words[3] = `${words[3]}1`;
    invalid(() => normalizeReceiptCode(words.join(' ')));
  });
});

describe('one piece at a time', () => {
  it('folds case, accents and surrounding space, and accepts up to 40 characters', () => {
    const i = WORDLIST_V2.indexOf('velour');
    expect(receiptWordIndex(' VÉLOUR ')).toBe(i);
    expect(receiptWordIndex(`${' '.repeat(34)}velour`)).toBe(i);
    expect(receiptWordIndex(`${' '.repeat(35)}velour`)).toBeUndefined();
    expect(receiptWordIndex(' 0042 ')).toBe(42);
    expect(receiptWordIndex('2047')).toBe(2047);
    expect(receiptWordIndex('0000')).toBe(0);
  });

  it('digits are exactly four; words at least three letters, and only letters', () => {
    for (const s of ['42', '00042', '4 2', '12a4', 'ab', 'zo', 'velo1', 'v-elo', '']) expect(receiptWordIndex(s), s).toBeUndefined();
    expect(receiptWordIndex('zoo')).toBe(WORDLIST_V2.indexOf('zoo'));
    expect(receiptWordIndex('abandon')).toBe(0);
  });

  it('a three-letter piece must be a whole word, a longer one is read by its first four letters', () => {
    expect(receiptWordIndex('aba')).toBeUndefined();
    expect(receiptWordIndex('aban')).toBe(0);
    expect(receiptWordIndex('abanXYZ'.toLowerCase())).toBe(0);
    expect(receiptWordIndex('police')).toBe(WORDLIST_V1.indexOf('police'));
  });

  it('completes up to six v2 words by default, and a misspelled tail by its first four letters', () => {
    const a = completeReceiptWord('a');
    expect(a).toHaveLength(6);
    expect(a).toEqual(WORDLIST_V2.filter((w) => w.startsWith('a')).slice(0, 6));
    expect(completeReceiptWord('VÉLO')).toEqual(['velour']);
    expect(completeReceiptWord('velxx')).toEqual([]);
    expect(completeReceiptWord('veloxx')).toEqual(['velour']);
    expect(completeReceiptWord('abanxx')).toEqual(['abandon']);
    expect(completeReceiptWord('polic')).toEqual([]);
    expect(completeReceiptWord('a'.repeat(13))).toEqual([]);
    expect(completeReceiptWord('zoo', 1)).toEqual(['zoo']);
    expect(completeReceiptWord('ab', 0)).toHaveLength(1);
  });
});

describe('whole tokens only', () => {
  it('a piece must be letters throughout, not only at its end', () => {
    for (const s of ['velo our', 'velo1our', 'velo-our']) expect(receiptWordIndex(s), s).toBeUndefined();
  });

  it('completion trims the prefix and wants letters only, start to end', () => {
    expect(completeReceiptWord(' velo ')).toEqual(['velour']);
    for (const s of ['velo-ab', 'velo-', '1velo', 'velo ab']) expect(completeReceiptWord(s), s).toEqual([]);
  });

  it('an unknown word is refused, not read as index 0', () => {
    const zeros = receiptCodeFromEntropy(new Uint8Array(13)).split(' ');
    expect(zeros[0]).toBe('abandon');
    expect(normalizeReceiptCode(zeros.join(' '))).toBe(zeros.join(' '));
    for (const w of ['qqqq', 'xyz', 'qqqqqq']) invalid(() => normalizeReceiptCode([w, ...zeros.slice(1)].join(' ')));
  });

  it('nine words are refused even when their 99 bits carry a zero checksum', () => {
    // nine word indices, read as the code reader reads them (99 bits, the 100th and the checksum
    // bits absent), whose checksum happens to be 0: only the word count refuses them
    const label = Buffer.from('tipline/v1 receipt checksum');
    let words: string[] = [];
    for (let seed = 0; ; seed++) {
      const idx = Array.from({ length: 9 }, (_, i) => (seed * 7919 + i * 104729 + ((seed * (i + 3)) % 2039)) % 2048);
      const bits = idx.flatMap((v) => Array.from({ length: 11 }, (_, b) => (v >> (10 - b)) & 1));
      const entropy = new Uint8Array(13);
      for (let i = 0; i < 99; i++) entropy[i >> 3]! |= bits[i]! << (7 - (i & 7));
      const h = createHash('sha256').update(label).update(entropy).digest();
      if (((h[0]! << 8) | h[1]!) >> 6 === 0) {
        words = idx.map((i) => WORDLIST_V2[i]!);
        break;
      }
    }
    expect(words).toHaveLength(9);
    invalid(() => normalizeReceiptCode(words.join(' ')));
  });
});

describe('entropy and progress', () => {
  it('receiptCodeFromEntropy wants 13 bytes with the last 4 bits clear', () => {
    expect(receiptCodeFromEntropy(new Uint8Array(13))).toBe('abandon abandon abandon abandon abandon abandon abandon abandon abandon birth');
    const last = new Uint8Array(13);
    last[12] = 0x10;
    expect(() => receiptCodeFromEntropy(last)).not.toThrow();
    for (const b of [1, 8, 0x0f]) {
      const e = new Uint8Array(13);
      e[12] = b;
      expect(() => receiptCodeFromEntropy(e)).toThrow('receipt entropy is 13 bytes, last 4 bits zero');
    }
    expect(() => receiptCodeFromEntropy(new Uint8Array(12))).toThrow('receipt entropy is 13 bytes, last 4 bits zero');
    expect(() => receiptCodeFromEntropy(new Uint8Array(14))).toThrow('receipt entropy is 13 bytes, last 4 bits zero');
  });

  it('progress steps are at least 1 % apart, capped at 0.99 until the final 1', async () => {
    const seen: number[] = [];
    await deriveMailboxWithParams(CODE, { logN: 10, r: 8, p: 1 }, (f) => seen.push(f));
    expect(seen.at(-1)).toBe(1);
    const before = seen.slice(0, -1);
    expect(before.length).toBeGreaterThan(10);
    for (const f of before) expect(f).toBeLessThanOrEqual(0.99);
    for (let i = 1; i < before.length; i++) expect(before[i]! - before[i - 1]!).toBeGreaterThanOrEqual(0.01 - 1e-12);
    expect(before.at(-1)).toBeGreaterThan(0.9);
    expect(before[0]).toBeGreaterThanOrEqual(0);
    expect(before[0]).toBeLessThan(0.02);
  });

  it('derives without a progress callback', async () => {
    const m = await deriveMailboxWithParams(CODE, CHEAP);
    expect(m.mailboxId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a bad code before any work', async () => {
    invalid(() => receiptCodeDigits('not a code'));
    const e = await deriveMailboxWithParams('tumble predict', CHEAP).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DocumentError);
  });
});
