/**
 * crypto/bytes.ts: every helper against known answers and node:buffer as the reference, at the
 * boundaries the other suites only pass through (lengths 0 to 3 modulo 3 and 4, the last byte,
 * the first byte, a byte below 0x10, a character above 0x7f whose low byte is a base64 letter),
 * each found by a mutant that survived them (npm run mutate, tests/mutation/SURVIVORS.md).
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64Padded,
  base64Raw,
  concat,
  equalBytes,
  fromBase64Padded,
  fromBase64Raw,
  fromHex,
  fromUtf8,
  isAllZero,
  littleEndianInt,
  toHex,
  utf8,
  wipe,
} from '../../crypto/bytes.js';

const u8 = (...b: number[]): Uint8Array => Uint8Array.from(b);
/** The reference: node's own base64, padded, and without its padding. */
const nodePadded = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const nodeRaw = (b: Uint8Array): string => nodePadded(b).replace(/=+$/, '');

describe('UTF-8', () => {
  it('encodes and decodes known bytes', () => {
    expect(utf8('aé€😀')).toEqual(u8(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80));
    expect(fromUtf8(u8(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80))).toBe('aé€😀');
    expect(fromUtf8(new Uint8Array(0))).toBe('');
  });

  it('refuses invalid UTF-8 instead of replacing it', () => {
    expect(() => fromUtf8(u8(0x61, 0xff))).toThrow();
    expect(() => fromUtf8(u8(0xc3))).toThrow();
    expect(() => fromUtf8(u8(0xed, 0xa0, 0x80))).toThrow(); // an encoded surrogate
  });
});

describe('concat', () => {
  it('joins the parts in order, whatever their lengths', () => {
    expect(concat()).toEqual(new Uint8Array(0));
    expect(concat(u8(1, 2), new Uint8Array(0), u8(3), u8(4, 5, 6))).toEqual(u8(1, 2, 3, 4, 5, 6));
    expect(concat(u8(7))).toEqual(u8(7));
  });
});

describe('equalBytes', () => {
  it('is true for the same bytes only', () => {
    expect(equalBytes(u8(), u8())).toBe(true);
    expect(equalBytes(u8(1, 2, 3), u8(1, 2, 3))).toBe(true);
    expect(equalBytes(u8(1, 2, 3), u8(1, 2, 4))).toBe(false);
    expect(equalBytes(u8(0, 2, 3), u8(1, 2, 3))).toBe(false);
    // Bits that differ in a byte both have set elsewhere (not a mere AND of the bytes).
    expect(equalBytes(u8(0x0f), u8(0x0e))).toBe(false);
    expect(equalBytes(u8(0xff, 0xff), u8(0xff, 0xfe))).toBe(false);
  });

  it('is false for different lengths, also when one is a prefix of the other', () => {
    expect(equalBytes(u8(1, 2), u8(1, 2, 3))).toBe(false);
    expect(equalBytes(u8(1, 2, 3), u8(1, 2))).toBe(false);
    expect(equalBytes(u8(), u8(0))).toBe(false);
    expect(equalBytes(u8(0, 0), u8(0))).toBe(false);
  });
});

describe('littleEndianInt', () => {
  it('reads the first byte as the lowest and the last as the highest', () => {
    expect(littleEndianInt(u8())).toBe(0n);
    expect(littleEndianInt(u8(1))).toBe(1n);
    expect(littleEndianInt(u8(1, 2))).toBe(0x0201n);
    expect(littleEndianInt(u8(0xff, 0, 0, 0x80))).toBe(0x800000ffn);
    expect(littleEndianInt(new Uint8Array(32).fill(0xff))).toBe(2n ** 256n - 1n);
  });
});

describe('isAllZero', () => {
  it('is true for zeros only, wherever the non-zero byte is', () => {
    expect(isAllZero(u8())).toBe(true);
    expect(isAllZero(new Uint8Array(33))).toBe(true);
    for (const i of [0, 16, 32]) {
      const b = new Uint8Array(33);
      b[i] = 1;
      expect(isAllZero(b), `byte ${i}`).toBe(false);
    }
    expect(isAllZero(u8(0x80))).toBe(false);
  });
});

describe('wipe', () => {
  it('zeroes every buffer given and skips undefined ones', () => {
    const a = u8(1, 2, 3);
    const b = u8(4);
    wipe(a, undefined, b);
    expect(a).toEqual(u8(0, 0, 0));
    expect(b).toEqual(u8(0));
    expect(() => wipe(undefined)).not.toThrow();
  });
});

describe('hex', () => {
  it('writes two lower-case digits per byte, leading zero included', () => {
    expect(toHex(u8())).toBe('');
    expect(toHex(u8(0, 0x0a, 0xab, 0xff, 0x10))).toBe('000aabff10');
  });

  it('reads upper and lower case back to the same bytes', () => {
    expect(fromHex('')).toEqual(u8());
    expect(fromHex('000aabff10')).toEqual(u8(0, 0x0a, 0xab, 0xff, 0x10));
    expect(fromHex('ABcdEF')).toEqual(u8(0xab, 0xcd, 0xef));
  });

  it('refuses odd lengths and any character that is not a hex digit, wherever it is', () => {
    for (const s of ['0', 'abc', 'g0', '0g', 'zz00', '00zz', '0x00', ' 00 ', '00 0', '-1', '+1']) {
      expect(() => fromHex(s), s).toThrow(/^invalid hex$/);
    }
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect(toHex(b)).toBe(Buffer.from(b).toString('hex'));
        expect(fromHex(toHex(b))).toEqual(b);
      }),
      { numRuns: 200 },
    );
  });
});

describe('base64 encoding', () => {
  it('gives the RFC 4648 test vectors, with and without padding', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [text, padded] of cases) {
      expect(base64Padded(utf8(text)), text).toBe(padded);
      expect(base64Raw(utf8(text)), text).toBe(padded.replace(/=+$/, ''));
    }
  });

  it('uses + and / for 62 and 63, and keeps every bit of every byte', () => {
    expect(base64Raw(u8(0xfb, 0xff, 0xbf))).toBe('+/+/');
    expect(base64Raw(u8(0xff))).toBe('/w');
    expect(base64Raw(u8(0xff, 0xff))).toBe('//8');
    expect(base64Padded(u8(0xff, 0xff))).toBe('//8=');
  });

  it('agrees with node:buffer for any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect(base64Raw(b)).toBe(nodeRaw(b));
        expect(base64Padded(b)).toBe(nodePadded(b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('fromBase64Raw', () => {
  it('decodes known values of every length modulo 4', () => {
    expect(fromBase64Raw('')).toEqual(u8());
    expect(fromBase64Raw('Zg')).toEqual(utf8('f'));
    expect(fromBase64Raw('Zm8')).toEqual(utf8('fo'));
    expect(fromBase64Raw('Zm9v')).toEqual(utf8('foo'));
    expect(fromBase64Raw('Zm9vYmFy')).toEqual(utf8('foobar'));
    expect(fromBase64Raw('+/+/')).toEqual(u8(0xfb, 0xff, 0xbf));
    expect(fromBase64Raw('AA')).toEqual(u8(0));
    expect(fromBase64Raw('AAAA')).toEqual(u8(0, 0, 0));
    expect(fromBase64Raw('/w')).toEqual(u8(0xff));
  });

  it('refuses a length of 1 modulo 4, even when the stray character is A (zero bits)', () => {
    for (const s of ['A', 'Q', 'AAAAA', 'Zm9vA']) expect(() => fromBase64Raw(s), s).toThrow(/^invalid base64$/);
  });

  it('refuses unused trailing bits that are set', () => {
    // 'Zh' and 'Zm9' carry bits past the last byte; 'Zg' and 'Zm8' do not.
    for (const s of ['Zh', 'Zm9', 'AB', 'AAB', '/x', '//9']) expect(() => fromBase64Raw(s), s).toThrow(/^invalid base64$/);
  });

  it('refuses padding, white space, URL-safe letters and any character above 0x7f', () => {
    // U+0141 and U+0161 have the low bytes of 'A' and 'a': masking alone would read them as letters.
    for (const s of ['Zg==', 'Zm8=', 'Zm 9', 'Zm9v\n', '-_AA', 'A\u0141AA', '\u0161AAA', 'AA\u00c1A', 'AA\u007fA', '*AAA']) {
      expect(() => fromBase64Raw(s), JSON.stringify(s)).toThrow(/^invalid base64$/);
    }
  });

  it('decodes exactly what node:buffer encodes, and refuses every other string (property)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const near = fc.oneof(
      fc.uint8Array({ maxLength: 20 }).map(nodeRaw),
      fc.string({ unit: fc.constantFrom(...alphabet, '=', ' ', '-', '\u0141'), maxLength: 12 }),
    );
    fc.assert(
      fc.property(near, (s) => {
        const canonical = nodeRaw(Buffer.from(s, 'base64')) === s && /^[A-Za-z0-9+/]*$/.test(s);
        if (canonical) expect(fromBase64Raw(s)).toEqual(new Uint8Array(Buffer.from(s, 'base64')));
        else expect(() => fromBase64Raw(s), JSON.stringify(s)).toThrow(/^invalid base64$/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('fromBase64Padded', () => {
  it('decodes known values with none, one and two padding characters', () => {
    expect(fromBase64Padded('')).toEqual(u8());
    expect(fromBase64Padded('Zg==')).toEqual(utf8('f'));
    expect(fromBase64Padded('Zm8=')).toEqual(utf8('fo'));
    expect(fromBase64Padded('Zm9v')).toEqual(utf8('foo'));
    expect(fromBase64Padded('Zm9vYg==')).toEqual(utf8('foob'));
  });

  it('refuses missing, extra or misplaced padding, and foreign characters before or after', () => {
    for (const s of ['Zg', 'Zg=', 'Zm8', 'Zg===', 'Z===', '====', 'Zm9v====', 'Zm9v=', 'Z=g=', '=Zg=', 'Zm8=Zm8=', ' Zg=', 'Zg==\n', 'Zg==!!!!', '!!!!Zm9v', 'Zm9v!!!!', 'Zh==', 'Zm9=']) {
      expect(() => fromBase64Padded(s), JSON.stringify(s)).toThrow(/^invalid base64$/);
    }
  });

  it('decodes exactly what node:buffer encodes, and refuses every other string (property)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const near = fc.oneof(
      fc.uint8Array({ maxLength: 20 }).map(nodePadded),
      fc.string({ unit: fc.constantFrom(...alphabet, '=', '=', ' ', '!'), maxLength: 12 }),
    );
    fc.assert(
      fc.property(near, (s) => {
        const canonical = nodePadded(Buffer.from(s, 'base64')) === s;
        if (canonical) expect(fromBase64Padded(s)).toEqual(new Uint8Array(Buffer.from(s, 'base64')));
        else expect(() => fromBase64Padded(s), JSON.stringify(s)).toThrow(/^invalid base64$/);
      }),
      { numRuns: 1000 },
    );
  });
});
