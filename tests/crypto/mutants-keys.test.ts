/**
 * crypto/keys.ts, errors.ts and hkdf.ts: what the key vectors leave open, each found by a mutant
 * that survived them (npm run mutate, tests/mutation/SURVIVORS.md): white space and case around
 * keys, the exact messages, identity files line by line, the identity file's date, the error
 * classes' names, and HKDF/HMAC against their RFC known answers.
 */
import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgeError, DocumentError, HybridIdentity, X25519Identity, bytes, formatIdentityFile, parseIdentity, parseIdentityFile, parseRecipient } from '../../crypto/index.js';
import { hkdfSha256, hmacSha256 } from '../../crypto/hkdf.js';

// One identity of each type, from fixed seeds so failures are reproducible.
const x = new X25519Identity(new Uint8Array(32).fill(7));
const h = new HybridIdentity(new Uint8Array(32).fill(8));
const ids = [x, h];

describe('parseRecipient and parseIdentity', () => {
  it('take each type in any case, with white space around', () => {
    for (const id of ids) {
      const r = id.recipient().toString();
      const cls = id.recipient().constructor;
      for (const text of [r, r.toUpperCase(), ` \t${r}\r\n`]) {
        const parsed = parseRecipient(text);
        expect(parsed.toString(), text).toBe(r);
        expect(parsed.constructor).toBe(cls);
      }
      for (const text of [id.toString(), id.toString().toLowerCase(), `\n ${id.toString()} \t`]) {
        const parsed = parseIdentity(text);
        expect(parsed.toString(), text).toBe(id.toString());
        expect(parsed.constructor).toBe(id.constructor);
      }
    }
    expect(x.recipient().toString()).toMatch(/^age1[02-9ac-hj-np-z]+$/);
    expect(h.recipient().toString()).toMatch(/^age1pq1/);
  });

  it('refuse anything else with one message each', () => {
    for (const text of ['', 'x', 'age', x.toString(), `x${x.recipient().toString()}`]) expect(() => parseRecipient(text), text).toThrow(/^invalid recipient$/);
    for (const text of ['', 'x', 'AGE-SECRET-KEY', x.recipient().toString(), `x${x.toString()}`]) expect(() => parseIdentity(text), text).toThrow(/^invalid identity$/);
  });
});

describe('identity files', () => {
  it('keep every identity in order, skipping comments, blank lines and white space, LF or CRLF', () => {
    const text = `# created: 2026-12-02\r\n  # indented comment\n\n \t \r\n${x.toString()}\r\n${h.toString()}  \n#last\n`;
    expect(parseIdentityFile(text).map((i) => i.toString())).toEqual([x.toString(), h.toString()]);
    expect(parseIdentityFile(x.toString()).map((i) => i.toString())).toEqual([x.toString()]);
  });

  it('refuse a file without identities, or with any other line', () => {
    for (const text of ['', '\n\n', '# only a comment\n', `${x.toString()}\nnot a key #\n`, `${x.toString()}\n${x.recipient().toString()}\n`]) {
      expect(() => parseIdentityFile(text), JSON.stringify(text)).toThrow(/^invalid identity file$/);
    }
  });

  it('are written as age-keygen writes them, with the UTC day of creation', () => {
    const at = new Date(Date.UTC(2026, 11, 2, 23, 59, 59));
    expect(formatIdentityFile(x, at)).toBe(`# created: 2026-12-02\n# public key: ${x.recipient().toString()}\n${x.toString()}\n`);
    const today = new Date().toISOString().slice(0, 10);
    expect(formatIdentityFile(h).split('\n')[0]).toMatch(new RegExp(`^# created: (${today}|\\d{4}-\\d{2}-\\d{2})$`));
    expect(formatIdentityFile(h).split('\n')[0]).toHaveLength('# created: 2026-12-02'.length);
  });
});

describe('error classes', () => {
  it('have their names, fixed messages per kind and the detail kept apart', () => {
    const cases = [
      ['header', 'invalid header'],
      ['hmac', 'invalid header HMAC'],
      ['no-match', 'no identity matched'],
      ['payload', 'invalid payload'],
      ['armor', 'invalid armor'],
    ] as const;
    for (const [kind, message] of cases) {
      const e = new AgeError(kind, 'more');
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe('AgeError');
      expect(e.message).toBe(message);
      expect(e.kind).toBe(kind);
      expect(e.detail).toBe('more');
      expect(String(e)).toBe(`AgeError: ${message}`);
    }
    expect(new AgeError('header').detail).toBeUndefined();
    const d = new DocumentError('invalid document');
    expect(d).toBeInstanceOf(Error);
    expect(d.name).toBe('DocumentError');
    expect(String(d)).toBe('DocumentError: invalid document');
  });
});

describe('HKDF-SHA-256 and HMAC-SHA-256', () => {
  it('give RFC 5869 test case 1, 32 bytes unless told otherwise', () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    const salt = bytes.fromHex('000102030405060708090a0b0c');
    const info = bytes.fromHex('f0f1f2f3f4f5f6f7f8f9');
    const okm = '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865';
    expect(bytes.toHex(hkdfSha256(ikm, salt, info, 42))).toBe(okm);
    expect(bytes.toHex(hkdfSha256(ikm, salt, info))).toBe(okm.slice(0, 64));
  });

  it('take a string label as its UTF-8 bytes', () => {
    const ikm = new Uint8Array(32).fill(1);
    const salt = new Uint8Array(0);
    const label = 'age-encryption.org/v1/X25519 é';
    const expected = new Uint8Array(hkdfSync('sha256', ikm, salt, bytes.utf8(label), 32));
    expect(hkdfSha256(ikm, salt, label)).toEqual(expected);
    expect(hkdfSha256(ikm, salt, bytes.utf8(label))).toEqual(expected);
  });

  it('give RFC 4231 test case 2', () => {
    expect(bytes.toHex(hmacSha256(bytes.utf8('Jefe'), bytes.utf8('what do ya want for nothing?')))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});
