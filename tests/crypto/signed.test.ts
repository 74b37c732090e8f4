/**
 * Signed documents: known-answer vectors (tests/vectors/protocol/document-*), property and
 * tamper tests, under both primitives backends, and a differential test between them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DOCUMENT_LABELS,
  DocumentError,
  MAX_DOCUMENT_PAYLOAD,
  bytes,
  documentMessage,
  parseEnvelope,
  parseJsonPayload,
  signDocument,
  useBackend,
  verifyDocument,
  type DocumentKind,
  type SignedEnvelope,
} from '../../crypto/index.js';
import { backend, backendNames, installBackend } from './backends.js';
import { loadVectors, opensslVerify } from '../vectors/protocol/vectors.js';

const { base64Padded, fromBase64Padded, fromHex, toHex, utf8 } = bytes;
const vectors = loadVectors('document');
const KINDS = Object.keys(DOCUMENT_LABELS) as DocumentKind[];

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

it('has the document vectors', () => {
  expect(vectors.length).toBeGreaterThanOrEqual(20);
  expect(new Set(vectors.map((v) => v.expect))).toEqual(
    new Set(['success', 'invalid document', 'wrong document kind', 'untrusted signer', 'invalid signature']),
  );
});

it('signs utf8(label) || 0x00 || payload, checked by OpenSSL', async () => {
  const seed = new Uint8Array(32).fill(7);
  const payload = utf8('{"x":1}');
  const env = signDocument('warning', payload, seed);
  const message = bytes.concat(utf8('tipline/v1 warning'), new Uint8Array([0]), payload);
  expect(toHex(documentMessage('warning', payload))).toBe(toHex(message));
  expect(await opensslVerify(fromBase64Padded(env.signer), message, fromBase64Padded(env.signature))).toBe(true);
  // and not over the payload alone, or with another label
  expect(await opensslVerify(fromBase64Padded(env.signer), payload, fromBase64Padded(env.signature))).toBe(false);
  const other = bytes.concat(utf8('tipline/v1 keyring'), new Uint8Array([0]), payload);
  expect(await opensslVerify(fromBase64Padded(env.signer), other, fromBase64Padded(env.signature))).toBe(false);
});

describe.each(backendNames)('signed documents (%s backend)', (name) => {
  beforeAll(async () => {
    await installBackend(name);
  });

  for (const v of vectors) {
    it(`${v.name}: ${v.expect}`, async () => {
      const text = v.get('envelope');
      const kind = v.get('kind') as DocumentKind;
      const trusted = v.all('trusted').map(fromBase64Padded);
      if (v.expect === 'invalid document') {
        rejects(() => parseEnvelope(text), 'invalid document');
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return;
        }
        rejects(() => parseEnvelope(value), 'invalid document');
        rejects(() => verifyDocument(value as SignedEnvelope, kind, trusted), 'invalid document');
        return;
      }
      const env = parseEnvelope(text);
      expect(JSON.stringify(env)).toBe(text);
      const seed = v.opt('signing seed');
      if (seed !== undefined) {
        const payload = fromBase64Padded(env.payload);
        expect(JSON.stringify(signDocument(env.kind, payload, fromHex(seed)))).toBe(text);
      }
      if (v.expect !== 'success') {
        rejects(() => verifyDocument(env, kind, trusted), v.expect);
        return;
      }
      const out = verifyDocument(env, kind, trusted);
      expect(toHex(out.signer)).toBe(toHex(fromBase64Padded(env.signer)));
      const payload = v.opt('payload');
      if (payload !== undefined) expect(bytes.fromUtf8(out.payload)).toBe(payload);
      const message = v.opt('signed message');
      if (message !== undefined) {
        expect(toHex(documentMessage(kind, out.payload))).toBe(message);
        expect(await opensslVerify(out.signer, fromHex(message), fromBase64Padded(env.signature))).toBe(true);
      }
    });
  }

  it('round-trips any payload, kind and key (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(...KINDS), fc.uint8Array({ minLength: 32, maxLength: 32 }), (payload, kind, seed) => {
        const env = signDocument(kind, payload, seed);
        const parsed = parseEnvelope(JSON.stringify(env));
        const out = verifyDocument(parsed, kind, [fromBase64Padded(env.signer)]);
        expect(toHex(out.payload)).toBe(toHex(payload));
        // the other kind never accepts it
        const other = KINDS.find((k) => k !== kind)!;
        rejects(() => verifyDocument({ ...parsed, kind: other }, other, [out.signer]), 'invalid signature');
      }),
      { numRuns: 60 },
    );
  });

  it('rejects any single flipped bit in payload or signature (property)', () => {
    const seed = new Uint8Array(32).fill(3);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.boolean(), fc.nat(), fc.nat(7), (payload, inPayload, at, bit) => {
        const env = signDocument('warning', payload, seed);
        const signer = fromBase64Padded(env.signer);
        const field = inPayload ? 'payload' : 'signature';
        const b = fromBase64Padded(env[field]);
        b[at % b.length]! ^= 1 << bit;
        rejects(() => verifyDocument({ ...env, [field]: base64Padded(b) }, 'warning', [signer]), 'invalid signature');
      }),
      { numRuns: 100 },
    );
  });

  it('rejects a flipped bit in the signer (property)', () => {
    const seed = new Uint8Array(32).fill(4);
    const env = signDocument('keyring', utf8('{}'), seed);
    fc.assert(
      fc.property(fc.nat(31), fc.nat(7), (at, bit) => {
        const b = fromBase64Padded(env.signer);
        b[at]! ^= 1 << bit;
        // trusted, but not the key that signed
        rejects(() => verifyDocument({ ...env, signer: base64Padded(b) }, 'keyring', [b]), 'invalid signature');
      }),
      { numRuns: 40 },
    );
  });
});

describe('both backends give identical bytes', () => {
  it('same envelopes from the same seed and payload, and each verifies the other (property)', async () => {
    const noble = await backend('noble');
    const sodium = await backend('sodium');
    try {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 1024 }), fc.constantFrom(...KINDS), fc.uint8Array({ minLength: 32, maxLength: 32 }), (payload, kind, seed) => {
          useBackend(noble);
          const a = JSON.stringify(signDocument(kind, payload, seed));
          useBackend(sodium);
          const b = JSON.stringify(signDocument(kind, payload, seed));
          expect(b).toBe(a);
          const env = parseEnvelope(a);
          const signer = fromBase64Padded(env.signer);
          expect(toHex(verifyDocument(env, kind, [signer]).payload)).toBe(toHex(payload));
          useBackend(noble);
          expect(toHex(verifyDocument(env, kind, [signer]).payload)).toBe(toHex(payload));
        }),
        { numRuns: 60 },
      );
    } finally {
      useBackend(noble);
    }
  });
});

describe('envelope parsing', () => {
  const seed = new Uint8Array(32).fill(9);
  const env = signDocument('warning', utf8('{"a":1}'), seed);

  it('returns a fresh plain object with exactly the five keys', () => {
    const input = { ...env };
    const out = parseEnvelope(input);
    expect(out).toEqual(env);
    expect(out).not.toBe(input);
    expect(Object.keys(out).sort()).toEqual(['kind', 'payload', 'signature', 'signer', 'v']);
  });

  it('rejects a JSON __proto__ key, class instances, arrays and primitives', () => {
    const withProto = JSON.stringify(env).replace('{', '{"__proto__":{"x":1},');
    rejects(() => parseEnvelope(withProto), 'invalid document');
    class Env {
      v = 1;
      kind = env.kind;
      payload = env.payload;
      signer = env.signer;
      signature = env.signature;
    }
    rejects(() => parseEnvelope(new Env()), 'invalid document');
    for (const x of [null, undefined, 1, true, [], 'null', '"x"', '', '{}']) rejects(() => parseEnvelope(x), 'invalid document');
  });

  it('accepts the largest payload and rejects one byte more', () => {
    const big = new Uint8Array(MAX_DOCUMENT_PAYLOAD);
    const ok = signDocument('warning', big, seed);
    expect(verifyDocument(parseEnvelope(JSON.stringify(ok)), 'warning', [fromBase64Padded(ok.signer)]).payload.length).toBe(MAX_DOCUMENT_PAYLOAD);
    rejects(() => signDocument('warning', new Uint8Array(MAX_DOCUMENT_PAYLOAD + 1), seed), 'invalid document');
    rejects(() => parseEnvelope({ ...ok, payload: base64Padded(new Uint8Array(MAX_DOCUMENT_PAYLOAD + 1)) }), 'invalid document');
  });

  it('refuses a seed that is not 32 bytes', () => {
    expect(() => signDocument('warning', utf8('x'), new Uint8Array(31))).toThrow('invalid signing key');
    expect(() => signDocument('warning', utf8('x'), new Uint8Array(64))).toThrow('invalid signing key');
  });

  it('ignores trusted keys of the wrong length', () => {
    rejects(() => verifyDocument(env, 'warning', [new Uint8Array(31), new Uint8Array(33)]), 'untrusted signer');
  });

  it('never re-serialises: the verified bytes are the signed bytes, whatever their formatting', () => {
    const odd = utf8('{ "b" : 2,\n  "a":1.50 }');
    const e = signDocument('warning', odd, seed);
    const out = verifyDocument(parseEnvelope(JSON.stringify(e)), 'warning', [fromBase64Padded(e.signer)]);
    expect(toHex(out.payload)).toBe(toHex(odd));
  });
});

describe('parseJsonPayload', () => {
  it('accepts canonical UTF-8 JSON and returns the value', () => {
    expect(parseJsonPayload(utf8('{"a":[1,"é",null]}'))).toEqual({ a: [1, 'é', null] });
  });

  it('rejects non-canonical JSON unless asked not to', () => {
    for (const s of ['{ "a":1}', '{"a":1.0}', '{"a":1,"a":2}', '{"a":"\\u0041"}', '{"b":1,"1":2}', '{"a":1}\n']) {
      rejects(() => parseJsonPayload(utf8(s)), 'invalid document');
      expect(() => parseJsonPayload(utf8(s), { canonical: false })).not.toThrow();
    }
  });

  it('rejects invalid UTF-8, a byte order mark and non-JSON, with the caller\'s message', () => {
    rejects(() => parseJsonPayload(new Uint8Array([0x22, 0xff, 0x22]), { message: 'invalid warning' }), 'invalid warning');
    rejects(() => parseJsonPayload(bytes.concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8('{}'))), 'invalid document');
    rejects(() => parseJsonPayload(utf8('{')), 'invalid document');
    rejects(() => parseJsonPayload(new Uint8Array(0)), 'invalid document');
  });

  it('agrees with JSON.stringify for any JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        // -0 serialises as 0, which parses back to 0: the canonical form is the serialised one
        expect(JSON.stringify(parseJsonPayload(utf8(text)))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
