/**
 * Receipt codes, word list v2 and the digits form (SPEC.md §Receipt codes, §Word list versions,
 * §Digits form): vectors from tests/vectors/report/receipt-v2 (one test each), the whole v2 list
 * and every generated code against a list of alarming words, and the equivalence of the three
 * spellings of a code (v1 words, v2 words, digits) down to the mailbox.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { wordlist as bip39 } from '@scure/bip39/wordlists/english.js';
import { describe, expect, it } from 'vitest';
import { DocumentError, bytes, completeReceiptWord, normalizeReceiptCode, receiptCodeDigits, receiptWordIndex } from '../../crypto/index.js';
import { deriveMailboxWithParams, receiptCodeFromEntropy } from '../../crypto/receipt.js';
import { V2_REPLACEMENTS, WORDLIST_V1, WORDLIST_V2 } from '../../crypto/receipt-words.js';
import { loadVectorFile, thrown } from '../helpers/vectors.js';

const DIR = join(import.meta.dirname, '../vectors/report/receipt-v2');
const ALARMING_FILE = join(import.meta.dirname, '../vectors/report/receipt-words/alarming-words.txt');
const CHEAP = { logN: 4, r: 8, p: 1 };

function alarmingWords(): Set<string> {
  const text = readFileSync(ALARMING_FILE, 'utf8');
  const body = text.slice(text.indexOf('\n\n') + 2);
  return new Set(body.split('\n').filter((w) => w !== ''));
}

function expectInvalidCode(e: unknown): void {
  expect(e).toBeInstanceOf(DocumentError);
  expect((e as Error).message).toBe('invalid receipt code');
}

/** 13 bytes of entropy with the 4 unused bits clear, as generateReceiptCode draws them. */
const entropy = fc.uint8Array({ minLength: 13, maxLength: 13 }).map((e) => {
  e[12]! &= 0xf0;
  return e;
});

describe('receipt v2 vectors', () => {
  const files = readdirSync(DIR).sort();
  it('has vectors', () => expect(files.length).toBeGreaterThanOrEqual(9));
  for (const file of files) {
    const h = loadVectorFile(DIR, file).headers;
    const input = JSON.parse(h.get('input')!) as string;
    it(`${file}: ${h.get('comment')}`, () => {
      if (h.get('expect') === 'invalid receipt code') {
        expectInvalidCode(thrown(() => normalizeReceiptCode(input)));
        return;
      }
      expect(h.get('expect')).toBe('success');
      expect(normalizeReceiptCode(input)).toBe(h.get('normalized'));
      expect(receiptCodeDigits(input)).toBe(h.get('digits'));
    });
  }
});

describe('word list v2', () => {
  const alarming = alarmingWords();

  it('builds on v1, which is the BIP-39 English list word for word (stored prefix-compressed in crypto/)', () => {
    expect([...WORDLIST_V1]).toEqual([...bip39]);
  });

  it('is 2048 distinct words, each identified by its first four letters, none taking a prefix of another word of either list', () => {
    expect(WORDLIST_V2).toHaveLength(2048);
    expect(new Set(WORDLIST_V2).size).toBe(2048);
    for (const w of WORDLIST_V2) expect(w).toMatch(/^[a-z]{3,9}$/);
    // Across both lists a prefix names one index: a v1 word and its v2 replacement never collide with anything else.
    const byPrefix = new Map<string, number>();
    for (const list of [WORDLIST_V1, WORDLIST_V2]) {
      list.forEach((w, i) => {
        const p = w.slice(0, 4);
        expect(byPrefix.get(p) ?? i, `${w} shares the prefix ${p}`).toBe(i);
        byPrefix.set(p, i);
      });
    }
  });

  it('differs from v1 only where a word was replaced, at the same index', () => {
    let replaced = 0;
    WORDLIST_V1.forEach((w, i) => {
      if (V2_REPLACEMENTS[w]) {
        replaced++;
        expect(WORDLIST_V2[i]).toBe(V2_REPLACEMENTS[w]);
        expect(WORDLIST_V1).not.toContain(WORDLIST_V2[i]);
      } else expect(WORDLIST_V2[i]).toBe(w);
    });
    expect(replaced).toBe(Object.keys(V2_REPLACEMENTS).length);
  });

  it('holds no alarming word (the whole list)', () => {
    expect(alarming.size).toBeGreaterThan(200);
    // The list is not empty of the words it must catch: v1 had them.
    expect(WORDLIST_V1.filter((w) => alarming.has(w)).length).toBeGreaterThanOrEqual(39);
    expect(WORDLIST_V2.filter((w) => alarming.has(w))).toEqual([]);
  });

  it('no generated code ever contains an alarming word (property over the entropy)', () => {
    fc.assert(
      fc.property(entropy, (e) => {
        for (const w of receiptCodeFromEntropy(e).split(' ')) expect(alarming.has(w)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('no code can contain one: every index, in every word position, is a v2 word', () => {
    // Position k of a code can hold any index (the last word: any index whose low 10 bits are the checksum),
    // so a check over every index is the whole space of words a code can show.
    for (let i = 0; i < 2048; i++) expect(alarming.has(WORDLIST_V2[i]!)).toBe(false);
  });
});

describe('three spellings of one code', () => {
  it('v1 words, v2 words and digits normalise to the same code (property)', () => {
    fc.assert(
      fc.property(entropy, (e) => {
        const v2 = receiptCodeFromEntropy(e);
        const v1 = v2
          .split(' ')
          .map((w) => WORDLIST_V1[WORDLIST_V2.indexOf(w)]!)
          .join(' ');
        const digits = receiptCodeDigits(v2);
        expect(digits).toMatch(/^[0-9]{4}( [0-9]{4}){9}$/);
        expect(normalizeReceiptCode(v1)).toBe(v2);
        expect(normalizeReceiptCode(digits)).toBe(v2);
        expect(normalizeReceiptCode(digits.replace(/ /g, ''))).toBe(v2);
        expect(receiptCodeDigits(v1)).toBe(digits);
      }),
      { numRuns: 300 },
    );
  });

  it('open the same mailbox', async () => {
    const file = loadVectorFile(DIR, 'v1-spelling.txt').headers;
    const v1 = JSON.parse(file.get('input')!) as string;
    const [a, b, c] = await Promise.all([v1, file.get('normalized')!, file.get('digits')!].map((s) => deriveMailboxWithParams(s, CHEAP)));
    expect(b!.mailboxId).toBe(a!.mailboxId);
    expect(c!.mailboxId).toBe(a!.mailboxId);
    expect(bytes.toHex(c!.signingSeed)).toBe(bytes.toHex(a!.signingSeed));
  });

  it('a wrong digit group is caught by the checksum almost always (property)', () => {
    let passed = 0;
    fc.assert(
      fc.property(entropy, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 2047 }), (e, pos, delta) => {
        const groups = receiptCodeDigits(receiptCodeFromEntropy(e)).split(' ');
        groups[pos] = String((Number(groups[pos]) + delta) % 2048).padStart(4, '0');
        if (thrown(() => normalizeReceiptCode(groups.join(' '))) === undefined) passed++;
      }),
      { numRuns: 1000 },
    );
    // About 2 in 1024 substitutions pass (SPEC.md §Receipt codes): 1000 tries, well under 20.
    expect(passed).toBeLessThan(20);
  });
});

describe('reading one piece at a time (the follow-up page)', () => {
  it('reads words of both lists, prefixes and digit groups; refuses the rest', () => {
    expect(receiptWordIndex('police')).toBe(WORDLIST_V1.indexOf('police'));
    expect(receiptWordIndex('Velour')).toBe(WORDLIST_V1.indexOf('police'));
    expect(receiptWordIndex('velo')).toBe(WORDLIST_V1.indexOf('police'));
    expect(receiptWordIndex('1341')).toBe(1341);
    expect(receiptWordIndex('2048')).toBeUndefined();
    expect(receiptWordIndex('134')).toBeUndefined();
    expect(receiptWordIndex('zzzz')).toBeUndefined();
    expect(receiptWordIndex('ve')).toBeUndefined();
  });

  it('completes from the v2 list only', () => {
    expect(completeReceiptWord('velo')).toEqual(['velour']);
    expect(completeReceiptWord('poli')).toEqual([]);
    expect(completeReceiptWord('ab').every((w) => w.startsWith('ab'))).toBe(true);
    expect(completeReceiptWord('ab', 3)).toHaveLength(3);
    expect(completeReceiptWord('')).toEqual([]);
    expect(completeReceiptWord('<script>')).toEqual([]);
  });
});
