/**
 * Signed documents: the rules signed.test.ts left to chance, each found by a mutant that
 * survived it (npm run mutate, tests/mutation/SURVIVORS.md): the exact envelope length
 * limit, a kind that is not a string, a null-prototype object, wrong-length signer and
 * signature fields, and input that is not bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  DocumentError,
  MAX_ENVELOPE_LENGTH,
  bytes,
  documentMessage,
  parseEnvelope,
  parseJsonPayload,
  signDocument,
  verifyDocument,
  type DocumentKind,
  type SignedEnvelope,
} from '../../crypto/index.js';

const { base64Padded, fromBase64Padded, utf8 } = bytes;
const seed = new Uint8Array(32).fill(11);
const env = signDocument('warning', utf8('{"a":1}'), seed);
const signer = fromBase64Padded(env.signer);

function rejects(f: () => unknown, message: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DocumentError);
  expect((err as Error).message).toBe(message);
}

describe('envelope text length', () => {
  it('accepts JSON text of exactly MAX_ENVELOPE_LENGTH characters and refuses one more', () => {
    const text = JSON.stringify(env);
    // JSON allows white space after the value, so the same envelope can be padded to any length.
    const exact = text + ' '.repeat(MAX_ENVELOPE_LENGTH - text.length);
    expect(exact.length).toBe(MAX_ENVELOPE_LENGTH);
    expect(parseEnvelope(exact)).toEqual(env);
    rejects(() => parseEnvelope(exact + ' '), 'invalid document');
    rejects(() => verifyDocument((exact + ' ') as unknown as SignedEnvelope, 'warning', [signer]), 'invalid document');
  });
});

describe('envelope fields', () => {
  it('refuses a kind that is not a string, even one that names a kind when turned into one', () => {
    for (const kind of [['warning'], { toString: () => 'warning' }, 1]) {
      rejects(() => parseEnvelope({ ...env, kind }), 'invalid document');
      rejects(() => verifyDocument({ ...env, kind } as unknown as SignedEnvelope, 'warning', [signer]), 'invalid document');
    }
  });

  it('refuses a kind inherited from Object.prototype', () => {
    for (const kind of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      rejects(() => parseEnvelope({ ...env, kind }), 'invalid document');
    }
  });

  it('refuses a version other than the number 1', () => {
    for (const v of [2, 0, '1', true, null]) rejects(() => parseEnvelope({ ...env, v }), 'invalid document');
  });

  it('accepts an object without a prototype, and returns a plain one', () => {
    const bare = Object.assign(Object.create(null) as object, env);
    const out = parseEnvelope(bare);
    expect(out).toEqual(env);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(verifyDocument(bare as SignedEnvelope, 'warning', [signer]).payload).toEqual(utf8('{"a":1}'));
  });

  it('refuses a missing or an extra key', () => {
    for (const k of ['v', 'kind', 'payload', 'signer', 'signature'] as const) {
      const o: Record<string, unknown> = { ...env };
      delete o[k];
      rejects(() => parseEnvelope(o), 'invalid document');
      rejects(() => parseEnvelope({ ...env, [`${k}2`]: 1 }), 'invalid document');
    }
    rejects(() => parseEnvelope({ ...env, a: 1 }), 'invalid document');
  });

  it('refuses a signer of 31 or 33 bytes and a signature of 63 or 65 bytes', () => {
    const key = fromBase64Padded(env.signer);
    const sig = fromBase64Padded(env.signature);
    for (const s of [key.subarray(0, 31), bytes.concat(key, new Uint8Array(1))]) {
      rejects(() => parseEnvelope({ ...env, signer: base64Padded(s) }), 'invalid document');
      rejects(() => verifyDocument({ ...env, signer: base64Padded(s) }, 'warning', [s, signer]), 'invalid document');
    }
    for (const s of [sig.subarray(0, 63), bytes.concat(sig, new Uint8Array(1))]) {
      rejects(() => parseEnvelope({ ...env, signature: base64Padded(s) }), 'invalid document');
      rejects(() => verifyDocument({ ...env, signature: base64Padded(s) }, 'warning', [signer]), 'invalid document');
    }
  });

  it('refuses fields that are not strings, or not canonical padded base64', () => {
    for (const field of ['payload', 'signer', 'signature'] as const) {
      for (const bad of [1, null, [env[field]], utf8(env[field]), env[field].replace(/=+$/, ''), `${env[field]}\n`, `*${env[field]}`]) {
        rejects(() => parseEnvelope({ ...env, [field]: bad }), 'invalid document');
      }
    }
  });
});

describe('signing and labels', () => {
  it('refuses a document kind that is not one of the five', () => {
    for (const kind of ['toString', 'constructor', 'receipt', '', 'Warning']) {
      rejects(() => documentMessage(kind as DocumentKind, utf8('x')), 'wrong document kind');
      rejects(() => signDocument(kind as DocumentKind, utf8('x'), seed), 'wrong document kind');
      rejects(() => verifyDocument(env, kind as DocumentKind, [signer]), 'wrong document kind');
    }
  });

  it('refuses a seed or payload that is not a Uint8Array, even of the right length', () => {
    expect(() => signDocument('warning', utf8('x'), Array.from(seed) as unknown as Uint8Array)).toThrow('invalid signing key');
    expect(() => signDocument('warning', utf8('x'), 'x'.repeat(32) as unknown as Uint8Array)).toThrow('invalid signing key');
    rejects(() => signDocument('warning', [1, 2] as unknown as Uint8Array, seed), 'invalid document');
    rejects(() => signDocument('warning', '{}' as unknown as Uint8Array, seed), 'invalid document');
  });

  it('a trusted signer list with the signer first, last, or among wrong-length keys', () => {
    const other = fromBase64Padded(signDocument('warning', utf8('x'), new Uint8Array(32).fill(12)).signer);
    expect(verifyDocument(env, 'warning', [signer, other]).signer).toEqual(signer);
    expect(verifyDocument(env, 'warning', [other, signer]).signer).toEqual(signer);
    expect(verifyDocument(env, 'warning', [new Uint8Array(0), signer.subarray(0, 31), signer]).signer).toEqual(signer);
    rejects(() => verifyDocument(env, 'warning', []), 'untrusted signer');
    rejects(() => verifyDocument(env, 'warning', [other]), 'untrusted signer');
    // a prefix of the signer is not the signer
    rejects(() => verifyDocument(env, 'warning', [bytes.concat(signer, new Uint8Array(1)).subarray(0, 33)]), 'untrusted signer');
  });
});

describe('parseJsonPayload', () => {
  it('refuses exactly the three-byte byte order mark at the start, not bytes that share part of it', () => {
    rejects(() => parseJsonPayload(bytes.concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8('1'))), 'invalid document');
    rejects(() => parseJsonPayload(bytes.concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8('1')), { canonical: false }), 'invalid document');
    // U+FFBF is EF BE BF: refused by JSON.parse, not taken for a BOM and dropped
    rejects(() => parseJsonPayload(utf8('\uffbf1')), 'invalid document');
    // the BOM's bytes later in the text are just a character inside a string
    expect(parseJsonPayload(utf8('"\ufeff"'))).toBe('\ufeff');
    // '"¿"' is 22 C2 BF 22: a third byte of 0xBF alone is no byte order mark
    expect(parseJsonPayload(utf8('"\u00bf"'))).toBe('\u00bf');
    expect(parseJsonPayload(utf8('"\u00bb"'))).toBe('\u00bb');
  });

  it('returns the parsed value with the default and with canonical: true', () => {
    expect(parseJsonPayload(utf8('{"a":[1,2]}'), { canonical: true })).toEqual({ a: [1, 2] });
    expect(parseJsonPayload(utf8('{ "a" : 1 }'), { canonical: false })).toEqual({ a: 1 });
    rejects(() => parseJsonPayload(utf8('{ "a" : 1 }'), { canonical: true, message: 'invalid profile' }), 'invalid profile');
  });
});
