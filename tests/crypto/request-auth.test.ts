/**
 * Request signatures: known-answer vectors (tests/vectors/protocol/request-*), tamper
 * properties and window rules, under both primitives backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  DEFAULT_REQUEST_WINDOW,
  DocumentError,
  REQUEST_HEADERS,
  bytes,
  primitives,
  requestMessage,
  signRequest,
  useBackend,
  verifyRequest,
  type RequestScope,
  type RequestToSign,
} from '../../crypto/index.js';
import { backend, backendNames, installBackend } from './backends.js';
import { loadVectors, opensslVerify } from '../vectors/protocol/vectors.js';

const { fromBase64Padded, fromHex, toHex, utf8 } = bytes;
const vectors = loadVectors('request');

function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DocumentError);
    return (e as Error).message;
  }
  return 'accepted';
}

function headerFn(h: Record<string, string>): (name: string) => string | undefined {
  return (name) => (Object.prototype.hasOwnProperty.call(h, name) ? h[name] : undefined);
}

const seedA = new Uint8Array(32).fill(21);
const TS = 1_750_000_000;

const methodArb = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH');
const pathArb = fc
  .array(fc.integer({ min: 0x21, max: 0x7e }), { maxLength: 80 })
  .map((cs) => '/' + String.fromCharCode(...cs));
const requestArb: fc.Arbitrary<RequestToSign> = fc.record({
  method: methodArb,
  path: pathArb,
  body: fc.uint8Array({ maxLength: 300 }),
  timestamp: fc.integer({ min: 0, max: 4_000_000_000 }),
});

it('has the request vectors', () => {
  expect(vectors.length).toBeGreaterThanOrEqual(20);
  expect(new Set(vectors.map((v) => v.expect))).toEqual(new Set(['success', 'missing signature', 'invalid signature', 'stale request']));
});

it('frames the signed message as SPEC.md says', () => {
  const body = utf8('{"a":1}');
  const expected = bytes.concat(utf8('tipline/v1 mailbox-request\0POST\n/api/x?y=1\n1700000000\n'), sha256(body));
  expect(toHex(requestMessage('mailbox', 'post', '/api/x?y=1', 1700000000, body))).toBe(toHex(expected));
});

describe.each(backendNames)('request signatures (%s backend)', (name) => {
  beforeAll(async () => {
    await installBackend(name);
  });

  for (const v of vectors) {
    it(`${v.name}: ${v.expect}`, async () => {
      const headers: Record<string, string> = {};
      for (const h of Object.values(REQUEST_HEADERS)) {
        const value = v.opt(`header ${h}`);
        if (value !== undefined) headers[h] = value;
      }
      const scope = v.get('scope') as RequestScope;
      const req = { method: v.get('method'), path: v.get('path'), body: fromHex(v.get('body hex')), headers: headerFn(headers) };
      const now = Number(v.get('now'));
      const window = v.opt('window') === undefined ? undefined : Number(v.get('window'));
      const seed = v.opt('signing seed');
      if (seed !== undefined) {
        // the committed headers are exactly what signing produces
        const timestamp = Number(headers['tipline-timestamp']);
        expect(signRequest(scope, { method: req.method, path: req.path, body: req.body, timestamp }, fromHex(seed))).toEqual(headers);
      }
      if (v.expect !== 'success') {
        expect(thrown(() => verifyRequest(scope, req, now, window))).toBe(v.expect);
        return;
      }
      const out = verifyRequest(scope, req, now, window);
      expect(toHex(out.publicKey)).toBe(toHex(fromBase64Padded(headers['tipline-key']!)));
      expect(toHex(out.signature)).toBe(toHex(fromBase64Padded(headers['tipline-signature']!)));
      expect(out.timestamp).toBe(Number(headers['tipline-timestamp']));
      const message = v.opt('signed message');
      if (message !== undefined) {
        expect(toHex(requestMessage(scope, req.method, req.path, out.timestamp, req.body))).toBe(message);
        expect(await opensslVerify(out.publicKey, fromHex(message), out.signature)).toBe(true);
      }
    });
  }

  it('round-trips any request (property)', () => {
    fc.assert(
      fc.property(requestArb, fc.constantFrom<RequestScope>('coordinator', 'mailbox'), fc.integer({ min: -120, max: 120 }), (r, scope, skew) => {
        const h = signRequest(scope, r, seedA);
        expect(Object.keys(h).sort()).toEqual(['tipline-key', 'tipline-signature', 'tipline-timestamp']);
        const out = verifyRequest(scope, { ...r, headers: headerFn(h) }, r.timestamp + skew);
        expect(out.timestamp).toBe(r.timestamp);
        expect(toHex(out.publicKey)).toBe(toHex(primitives().ed25519PublicKey(seedA)));
        // the other scope never accepts it
        expect(thrown(() => verifyRequest(scope === 'mailbox' ? 'coordinator' : 'mailbox', { ...r, headers: headerFn(h) }, r.timestamp))).toBe('invalid signature');
      }),
      { numRuns: 60 },
    );
  });

  it('rejects any change to method, path, body or timestamp (property)', () => {
    const change = fc.oneof(
      fc.record({ field: fc.constant('method' as const), method: methodArb }),
      fc.record({ field: fc.constant('path' as const), path: pathArb }),
      fc.record({ field: fc.constant('body' as const), at: fc.nat(), bit: fc.nat(7), extra: fc.uint8Array({ maxLength: 3 }) }),
      fc.record({ field: fc.constant('timestamp' as const), delta: fc.integer({ min: -100, max: 100 }).filter((d) => d !== 0) }),
    );
    fc.assert(
      fc.property(requestArb, change, (r, c) => {
        const h = signRequest('coordinator', r, seedA);
        const t = { ...r, headers: headerFn(h) };
        if (c.field === 'method') {
          fc.pre(c.method !== r.method);
          t.method = c.method;
        } else if (c.field === 'path') {
          fc.pre(c.path !== r.path);
          t.path = c.path;
        } else if (c.field === 'body') {
          const b = bytes.concat(r.body, c.extra);
          if (b.length > 0 && c.extra.length === 0) b[c.at % b.length]! ^= 1 << c.bit;
          fc.pre(toHex(b) !== toHex(r.body));
          t.body = b;
        } else {
          const ts = r.timestamp + c.delta;
          fc.pre(ts >= 0);
          t.headers = headerFn({ ...h, 'tipline-timestamp': String(ts) });
        }
        expect(thrown(() => verifyRequest('coordinator', t, r.timestamp))).toBe('invalid signature');
      }),
      { numRuns: 120 },
    );
  });

  it('rejects any single flipped bit of the key or signature header (property)', () => {
    const r: RequestToSign = { method: 'GET', path: '/api/coordinator/inbox', body: new Uint8Array(0), timestamp: TS };
    const h = signRequest('coordinator', r, seedA);
    fc.assert(
      fc.property(fc.constantFrom('tipline-key', 'tipline-signature'), fc.nat(), fc.nat(7), (name, at, bit) => {
        const b = fromBase64Padded(h[name]!);
        b[at % b.length]! ^= 1 << bit;
        const t = { ...r, headers: headerFn({ ...h, [name]: bytes.base64Padded(b) }) };
        expect(thrown(() => verifyRequest('coordinator', t, TS))).toBe('invalid signature');
      }),
      { numRuns: 60 },
    );
  });
});

describe('request signature details', () => {
  const r: RequestToSign = { method: 'POST', path: '/api/mailboxes/abc', body: utf8('{}'), timestamp: TS };

  it('uses lower-case header names and a decimal timestamp', () => {
    const h = signRequest('mailbox', r, seedA);
    expect(h['tipline-timestamp']).toBe(String(TS));
    expect(Object.keys(h).every((k) => k === k.toLowerCase())).toBe(true);
  });

  it('uses a 120 s window by default', () => {
    const h = signRequest('mailbox', r, seedA);
    expect(DEFAULT_REQUEST_WINDOW).toBe(120);
    expect(thrown(() => verifyRequest('mailbox', { ...r, headers: headerFn(h) }, TS + 120.5))).toBe('stale request');
    expect(thrown(() => verifyRequest('mailbox', { ...r, headers: headerFn(h) }, TS + 120))).toBe('accepted');
    expect(thrown(() => verifyRequest('mailbox', { ...r, headers: headerFn(h) }, TS + 5, 0))).toBe('stale request');
  });

  it('upper-cases the method on both sides', () => {
    const h = signRequest('mailbox', { ...r, method: 'post' }, seedA);
    expect(thrown(() => verifyRequest('mailbox', { ...r, headers: headerFn(h) }, TS))).toBe('accepted');
  });

  it('refuses to sign what cannot be framed unambiguously', () => {
    for (const bad of [
      { ...r, path: '/a\nb' },
      { ...r, path: '/a b' },
      { ...r, path: 'api/x' },
      { ...r, path: '/é' },
      { ...r, path: '/' + 'a'.repeat(4096) },
      { ...r, method: 'PO ST' },
      { ...r, method: 'GET\n' },
      { ...r, method: '' },
      { ...r, timestamp: -1 },
      { ...r, timestamp: 1.5 },
      { ...r, timestamp: Number.MAX_SAFE_INTEGER + 1 },
    ]) {
      expect(thrown(() => signRequest('mailbox', bad, seedA))).toBe('invalid request');
    }
    expect(() => signRequest('mailbox', r, new Uint8Array(31))).toThrow('invalid signing key');
  });

  it('treats a missing header as missing and an empty one as invalid', () => {
    const h = signRequest('mailbox', r, seedA);
    expect(thrown(() => verifyRequest('mailbox', { ...r, headers: headerFn({}) }, TS))).toBe('missing signature');
    expect(thrown(() => verifyRequest('mailbox', { ...r, headers: headerFn({ ...h, 'tipline-signature': '' }) }, TS))).toBe('invalid signature');
    expect(thrown(() => verifyRequest('mailbox', { ...r, headers: headerFn({ ...h, 'tipline-timestamp': '' }) }, TS))).toBe('invalid signature');
  });

  it('fails closed on a malformed clock or window', () => {
    const h = signRequest('mailbox', r, seedA);
    expect(() => verifyRequest('mailbox', { ...r, headers: headerFn(h) }, NaN)).toThrow(TypeError);
    expect(() => verifyRequest('mailbox', { ...r, headers: headerFn(h) }, TS, NaN)).toThrow(TypeError);
    expect(() => verifyRequest('mailbox', { ...r, headers: headerFn(h) }, TS, -1)).toThrow(TypeError);
  });

  it('both backends give identical headers (property)', async () => {
    const noble = await backend('noble');
    const sodium = await backend('sodium');
    try {
      fc.assert(
        fc.property(requestArb, fc.uint8Array({ minLength: 32, maxLength: 32 }), (req, seed) => {
          useBackend(noble);
          const a = signRequest('coordinator', req, seed);
          useBackend(sodium);
          expect(signRequest('coordinator', req, seed)).toEqual(a);
          expect(verifyRequest('coordinator', { ...req, headers: headerFn(a) }, req.timestamp).timestamp).toBe(req.timestamp);
        }),
        { numRuns: 50 },
      );
    } finally {
      useBackend(noble);
    }
  });
});
