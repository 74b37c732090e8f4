/**
 * Keyring: known-answer vectors (tests/vectors/protocol/keyring-*), rule tests and
 * property tests, under both primitives backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DocumentError,
  HybridIdentity,
  HybridRecipient,
  KeyringError,
  MAX_COORDINATORS,
  MAX_KEYRING_DAYS,
  X25519Identity,
  bytes,
  dayStart,
  documentMessage,
  encodeKeyring,
  findCoordinator,
  keyringRecipients,
  parseEnvelope,
  primitives,
  signDocument,
  signKeyring,
  verifyKeyring,
  type Keyring,
  type Role,
} from '../../crypto/index.js';
import { backendNames, installBackend } from './backends.js';
import { loadVectors, opensslVerify } from '../vectors/protocol/vectors.js';

const { base64Padded, fromBase64Padded, fromHex, toHex, utf8 } = bytes;
const vectors = loadVectors('keyring');
const MESSAGES = new Set(['success', 'invalid signature', 'invalid keyring', 'keyring expired', 'keyring version rollback', 'keyring not yet valid']);

function thrown(f: () => unknown): DocumentError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DocumentError);
    return e as DocumentError;
  }
  throw new Error('did not throw');
}

// Fixed material for the rule tests (not the vectors' seeds).
const rootSeed = new Uint8Array(32).fill(1);
const hybrid = (n: number): string => new HybridIdentity(new Uint8Array(32).fill(100 + n)).recipient().toString();
const signingSeed = (n: number): Uint8Array => new Uint8Array(32).fill(200 - n);
const signingKey = (n: number): string => base64Padded(primitives().ed25519PublicKey(signingSeed(n)));

function coordinatorN(n: number): Keyring['coordinators'][number] {
  return { id: `c${n}`, name: `Coordinator ${n}`, recipient: hybrid(n), signingKey: signingKey(n), roles: ['reports'] };
}

function ring(over: Partial<Keyring> = {}): Keyring {
  return { version: 3, issued: '2025-01-01', expires: '2025-06-29', coordinators: [coordinatorN(1), coordinatorN(2)], ...over };
}

it('has the keyring vectors', () => {
  expect(vectors.length).toBeGreaterThanOrEqual(30);
  expect(new Set(vectors.map((v) => v.expect))).toEqual(MESSAGES);
});

describe.each(backendNames)('keyring (%s backend)', (name) => {
  let rootPub: Uint8Array;
  beforeAll(async () => {
    await installBackend(name);
    rootPub = primitives().ed25519PublicKey(rootSeed);
  });

  for (const v of vectors) {
    it(`${v.name}: ${v.expect}`, async () => {
      expect(MESSAGES.has(v.expect)).toBe(true);
      const text = v.get('envelope');
      const root = fromBase64Padded(v.get('root public key'));
      const opts = { now: new Date(v.get('now')), minVersion: v.opt('min version') === undefined ? undefined : Number(v.get('min version')) };
      const seed = v.opt('signing seed');
      if (seed !== undefined) {
        const env = parseEnvelope(text);
        // the committed envelope is exactly what signing produces
        expect(JSON.stringify(signDocument(env.kind, fromBase64Padded(env.payload), fromHex(seed)))).toBe(text);
      }
      const payload = v.opt('payload');
      if (payload !== undefined && v.expect !== 'invalid keyring') {
        expect(bytes.fromUtf8(fromBase64Padded(parseEnvelope(text).payload))).toBe(payload);
      }
      if (v.expect === 'success') {
        const k = verifyKeyring(text, root, opts);
        expect(JSON.stringify(k)).toBe(payload);
        expect(verifyKeyring(JSON.parse(text), root, opts)).toEqual(k);
        expect(JSON.stringify(signKeyring(k, fromHex(seed!)))).toBe(text);
        const message = v.opt('signed message');
        if (message !== undefined) {
          const env = parseEnvelope(text);
          expect(toHex(documentMessage('keyring', utf8(payload!)))).toBe(message);
          expect(await opensslVerify(root, fromHex(message), fromBase64Padded(env.signature))).toBe(true);
        }
        return;
      }
      for (const input of [text, JSON.parse(text)]) {
        const e = thrown(() => verifyKeyring(input, root, opts));
        expect(e.message).toBe(v.expect);
        const detail = v.opt('detail');
        if (detail !== undefined) {
          expect(e).toBeInstanceOf(KeyringError);
          expect((e as KeyringError).detail).toContain(detail);
        }
      }
    });
  }

  it('signKeyring refuses what verifyKeyring would refuse, with a clear detail', () => {
    const x25519 = new X25519Identity(new Uint8Array(32).fill(5)).recipient().toString();
    const cases: [Keyring, string][] = [
      [ring({ coordinators: [{ ...coordinatorN(1), recipient: x25519 }] }), 'X25519'],
      [ring({ coordinators: [] }), 'coordinators'],
      [ring({ version: 0 }), 'version'],
      [ring({ version: Number.MAX_SAFE_INTEGER + 1 }), 'version'],
      [ring({ issued: '2025-13-01' }), 'issued'],
      [ring({ issued: '1969-12-31' }), 'issued'],
      [ring({ expires: '2024-12-31' }), 'expires is before issued'],
      [ring({ coordinators: [coordinatorN(1), { ...coordinatorN(2), id: 'c1' }] }), 'duplicate coordinator id'],
      [ring({ coordinators: [coordinatorN(1), { ...coordinatorN(2), signingKey: signingKey(1) }] }), 'duplicate signing key'],
      [ring({ coordinators: [{ ...coordinatorN(1), roles: [] }] }), 'role'],
      [ring({ coordinators: [{ ...coordinatorN(1), name: '' }] }), 'name'],
      [ring({ coordinators: [{ ...coordinatorN(1), name: ' padded' }] }), 'name'],
      [ring({ coordinators: [{ ...coordinatorN(1), name: 'tab\there' }] }), 'name'],
      [ring({ coordinators: [{ ...coordinatorN(1), name: 'x'.repeat(101) }] }), 'name'],
      [ring({ coordinators: [{ ...coordinatorN(1), id: '-c1' }] }), 'id'],
      [ring({ coordinators: [{ ...coordinatorN(1), id: 'c'.repeat(65) }] }), 'id'],
      [ring({ coordinators: [{ ...coordinatorN(1), signingKey: base64Padded(primitives().ed25519PublicKey(rootSeed)) }] }), 'root key'],
      [ring({ coordinators: [{ ...coordinatorN(1), signingKey: signingKey(1).replace(/=$/, '') }] }), 'signingKey'],
    ];
    for (const [k, detail] of cases) {
      const e = thrown(() => signKeyring(k, rootSeed));
      expect(e.message).toBe('invalid keyring');
      expect((e as KeyringError).detail).toContain(detail);
    }
  });

  it(`accepts ${MAX_COORDINATORS} coordinators and refuses ${MAX_COORDINATORS + 1}`, () => {
    const many = Array.from({ length: MAX_COORDINATORS + 1 }, (_, i) => coordinatorN(i));
    const ok = ring({ coordinators: many.slice(0, MAX_COORDINATORS) });
    const env = signKeyring(ok, rootSeed);
    expect(verifyKeyring(env, rootPub, { now: new Date('2025-06-01') }).coordinators).toHaveLength(MAX_COORDINATORS);
    // signed directly, to show verifyKeyring enforces the limit itself
    const tooMany = signDocument('keyring', encodeKeyring(ring({ coordinators: many })), rootSeed);
    expect(thrown(() => verifyKeyring(tooMany, rootPub, { now: new Date('2025-06-01') })).message).toBe('invalid keyring');
    expect(thrown(() => signKeyring(ring({ coordinators: many }), rootSeed)).message).toBe('invalid keyring');
  });

  it('rejects any single flipped bit in the payload or signature (property)', () => {
    const env = signKeyring(ring(), rootSeed);
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.nat(7), (inPayload, at, bit) => {
        const field = inPayload ? 'payload' : 'signature';
        const b = fromBase64Padded(env[field]);
        b[at % b.length]! ^= 1 << bit;
        const e = thrown(() => verifyKeyring({ ...env, [field]: base64Padded(b) }, rootPub, { now: new Date('2025-06-01') }));
        expect(e.message).toBe('invalid signature');
      }),
      { numRuns: 60 },
    );
  });

  it('round-trips any valid version, dates and roles, and enforces the validity cap, expiry, start and rollback exactly (property)', () => {
    const day = fc.integer({ min: dayStart('2000-01-01')! / 86_400_000, max: dayStart('2099-12-31')! / 86_400_000 });
    const roleSet = fc.subarray<Role>(['reports', 'warnings', 'members'], { minLength: 1 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER - 2 }), day, fc.nat(400), roleSet, fc.integer({ min: -2, max: 2 }), (version, d0, len, roles, dv) => {
        const iso = (d: number): string => new Date(d * 86_400_000).toISOString().slice(0, 10);
        const k = ring({ version, issued: iso(d0), expires: iso(d0 + len), coordinators: [{ ...coordinatorN(1), roles: [...roles] }] });
        if (len > MAX_KEYRING_DAYS) {
          // Neither signed by the tools nor accepted when signed by other means.
          expect((thrown(() => signKeyring(k, rootSeed)) as KeyringError).detail).toContain('more than 180 days after issued');
          const forged = signDocument('keyring', encodeKeyring(k), rootSeed);
          expect((thrown(() => verifyKeyring(forged, rootPub, { now: new Date(d0 * 86_400_000) })) as KeyringError).detail).toContain('more than 180 days');
          return;
        }
        const env = signKeyring(k, rootSeed);
        if (version + dv <= version) {
          expect(verifyKeyring(env, rootPub, { now: new Date((d0 - 1) * 86_400_000) })).toEqual(k);
          expect(thrown(() => verifyKeyring(env, rootPub, { now: new Date((d0 - 1) * 86_400_000 - 1) })).message).toBe('keyring not yet valid');
        }
        const lastMs = (d0 + len + 1) * 86_400_000 - 1;
        const minVersion = Math.max(0, version + dv);
        if (minVersion > version) {
          expect(thrown(() => verifyKeyring(env, rootPub, { now: new Date(lastMs), minVersion })).message).toBe('keyring version rollback');
        } else {
          expect(verifyKeyring(env, rootPub, { now: new Date(lastMs), minVersion })).toEqual(k);
          expect(thrown(() => verifyKeyring(env, rootPub, { now: new Date(lastMs + 1), minVersion })).message).toBe('keyring expired');
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('keyring helpers', () => {
  const rootPub = primitives().ed25519PublicKey(rootSeed);
  const k = verifyKeyring(signKeyring(ring({ coordinators: [coordinatorN(1), coordinatorN(2), coordinatorN(3)] }), rootSeed), rootPub, {
    now: new Date('2025-06-01'),
  });

  it('keyringRecipients gives every coordinator\'s hybrid recipient, in order', () => {
    const r = keyringRecipients(k);
    expect(r).toHaveLength(3);
    for (const [i, x] of r.entries()) {
      expect(x).toBeInstanceOf(HybridRecipient);
      expect(x.toString()).toBe(hybrid(i + 1));
    }
  });

  it('findCoordinator finds by signing key bytes, and only an exact match', () => {
    expect(findCoordinator(k, primitives().ed25519PublicKey(signingSeed(2)))?.id).toBe('c2');
    expect(findCoordinator(k, primitives().ed25519PublicKey(signingSeed(9)))).toBeUndefined();
    expect(findCoordinator(k, rootPub)).toBeUndefined();
    const almost = primitives().ed25519PublicKey(signingSeed(1));
    almost[31]! ^= 1;
    expect(findCoordinator(k, almost)).toBeUndefined();
    expect(findCoordinator(k, primitives().ed25519PublicKey(signingSeed(1)).subarray(0, 31))).toBeUndefined();
  });

  it('fails closed on a malformed clock, minimum version or root key', () => {
    const env = signKeyring(ring(), rootSeed);
    expect(() => verifyKeyring(env, rootPub, { now: new Date(NaN) })).toThrow(TypeError);
    expect(() => verifyKeyring(env, rootPub, { now: new Date('2025-06-01'), minVersion: NaN })).toThrow(TypeError);
    expect(() => verifyKeyring(env, rootPub, { now: new Date('2025-06-01'), minVersion: 1.5 })).toThrow(TypeError);
    expect(() => verifyKeyring(env, rootPub.subarray(0, 31), { now: new Date('2025-06-01') })).toThrow(TypeError);
  });

  it('uses the current time by default', () => {
    const today = Math.floor(Date.now() / 86_400_000);
    const iso = (d: number): string => new Date(d * 86_400_000).toISOString().slice(0, 10);
    expect(verifyKeyring(signKeyring(ring({ issued: iso(today), expires: iso(today + 180) }), rootSeed), rootPub).version).toBe(3);
    expect(thrown(() => verifyKeyring(signKeyring(ring({ issued: iso(today + 2), expires: iso(today + 180) }), rootSeed), rootPub)).message).toBe('keyring not yet valid');
    expect(thrown(() => verifyKeyring(signKeyring(ring({ issued: '2000-01-01', expires: '2000-01-02' }), rootSeed), rootPub)).message).toBe('keyring expired');
  });

  it('dayStart accepts real dates only', () => {
    expect(dayStart('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(dayStart('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    for (const s of ['2023-02-29', '1900-02-29', '2025-04-31', '2025-00-10', '2025-01-00', '2025-1-01', '2025-01-01 ', '１２３４-01-01', '0099-01-01']) {
      expect(dayStart(s)).toBeUndefined();
    }
  });
});
