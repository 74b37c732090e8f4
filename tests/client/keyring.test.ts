/**
 * The reporter's keyring check (client/lib/keyring.ts) refuses every malformed or replayed
 * keyring, and the pins it uses come from the build (client/lib/root-key.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, primitives, signDocument, signKeyring, type Keyring, type SignedEnvelope } from '../../crypto/index.js';
import { KeyringRefused, acceptKeyring, type KeyringPins } from '../../client/lib/keyring.js';
import { pinnedMinKeyringVersion, pinnedRootKey } from '../../client/lib/root-key.js';

const p = primitives();
const rootSeed = new Uint8Array(32).fill(1);
const rootPublicKey = p.ed25519PublicKey(rootSeed);
const identity = HybridIdentity.generate();
const NOW = new Date('2026-03-01T12:00:00Z');

function ring(over: Partial<Keyring> = {}): Keyring {
  return {
    version: 5,
    issued: '2026-02-01',
    expires: '2026-07-31',
    coordinators: [
      {
        id: 'c1',
        name: 'Sam',
        recipient: identity.recipient().toString(),
        signingKey: bytes.base64Padded(p.ed25519PublicKey(new Uint8Array(32).fill(2))),
        roles: ['reports'],
      },
    ],
    ...over,
  };
}

const pins: KeyringPins = { rootPublicKey, minVersion: 5 };
const text = (e: unknown): string => JSON.stringify(e);
const genuine: SignedEnvelope = signKeyring(ring(), rootSeed);
/** A root-signed keyring document whose payload is whatever JSON is given (the schema is not applied when signing this way). */
const signedPayload = (value: unknown, kind: 'keyring' | 'warning' = 'keyring') => signDocument(kind, bytes.utf8(JSON.stringify(value)), rootSeed);

function refusal(t: string, with_: KeyringPins = pins, now = NOW): string {
  try {
    acceptKeyring(t, with_, now);
  } catch (e) {
    expect(e).toBeInstanceOf(KeyringRefused);
    return (e as KeyringRefused).reason;
  }
  throw new Error('accepted');
}

describe('acceptKeyring', () => {
  it('accepts the genuine keyring at the pinned minimum version and a newer one', () => {
    const r = acceptKeyring(text(genuine), pins, NOW);
    expect(r.keyring.version).toBe(5);
    expect(r.recipients.map(String)).toEqual([identity.recipient().toString()]);
    expect(acceptKeyring(text(signKeyring(ring({ version: 6 }), rootSeed)), pins, NOW).keyring.version).toBe(6);
  });

  const { signature: _s, ...noSignature } = genuine;
  const flipped = bytes.fromBase64Padded(genuine.signature);
  flipped[10]! ^= 4;
  const variants: [string, string, string][] = [
    ['not JSON', '{"v":1,', 'invalid keyring'],
    ['JSON null', 'null', 'invalid keyring'],
    ['an array', text([genuine]), 'invalid keyring'],
    ['no signature field', text(noSignature), 'invalid keyring'],
    ['an extra envelope field', text({ ...genuine, note: 'x' }), 'invalid keyring'],
    ['envelope version 2', text({ ...genuine, v: 2 }), 'invalid keyring'],
    ['another document kind, signed by the root key', text(signedPayload(JSON.parse(bytes.fromUtf8(bytes.fromBase64Padded(genuine.payload))), 'warning')), 'invalid keyring'],
    ['the kind changed to warning', text({ ...genuine, kind: 'warning' }), 'invalid keyring'],
    ['an extra payload field, signed by the root key', text(signedPayload({ ...ring(), note: 'x' })), 'invalid keyring'],
    ['an extra coordinator field, signed by the root key', text(signedPayload({ ...ring(), coordinators: [{ ...ring().coordinators[0]!, admin: true }] })), 'invalid keyring'],
    ['an empty keyring (no coordinators), signed by the root key', text(signedPayload({ ...ring(), coordinators: [] })), 'invalid keyring'],
    ['a wrong signature', text({ ...genuine, signature: bytes.base64Padded(flipped) }), 'invalid signature'],
    ['signed by another key', text(signKeyring(ring(), new Uint8Array(32).fill(3))), 'invalid signature'],
    ['signed by another key, with the root key written as the signer', text({ ...signKeyring(ring(), new Uint8Array(32).fill(3)), signer: bytes.base64Padded(rootPublicKey) }), 'invalid signature'],
    ['a payload changed after signing', text({ ...genuine, payload: bytes.base64Padded(bytes.utf8(JSON.stringify(ring({ version: 9 })))) }), 'invalid signature'],
    ['expired', text(signKeyring(ring({ issued: '2025-10-01', expires: '2026-02-28' }), rootSeed)), 'keyring expired'],
    ['version below the pinned minimum', text(signKeyring(ring({ version: 4 }), rootSeed)), 'keyring version rollback'],
    ['dated ahead', text(signKeyring(ring({ issued: '2026-03-03', expires: '2026-08-01' }), rootSeed)), 'keyring not yet valid'],
    ['valid for more than 180 days, signed by the root key', text(signedPayload(ring({ expires: '2026-07-31', issued: '2026-01-31' }))), 'invalid keyring'],
  ];
  for (const [what, t, reason] of variants) {
    it(`refuses ${what}`, () => {
      expect(refusal(t)).toBe(reason);
    });
  }

  it('refuses a rollback even when the keyring is otherwise genuine and current (version 1 against a pin of 5)', () => {
    const old = text(signKeyring(ring({ version: 1 }), rootSeed));
    expect(acceptKeyring(old, { rootPublicKey, minVersion: 1 }, NOW).keyring.version).toBe(1);
    expect(refusal(old)).toBe('keyring version rollback');
  });
});

describe('KeyringRefused.of', () => {
  it('keeps a thrown Error\'s message as the reason, and says invalid keyring for anything else thrown', () => {
    const r = KeyringRefused.of(new TypeError('keyring expired'));
    expect(r).toBeInstanceOf(KeyringRefused);
    expect(r.reason).toBe('keyring expired');
    expect(r.message).toBe('keyring refused');
    expect(r.name).toBe('KeyringRefused');
    for (const thrown of ['keyring expired', undefined, null, { message: 'x' }]) expect(KeyringRefused.of(thrown).reason, String(thrown)).toBe('invalid keyring');
  });
});

describe('the pins come from the build', () => {
  const g = globalThis as Record<string, unknown>;
  afterEach(() => {
    delete g.__TIPLINE_ROOT_PUBLIC_KEY__;
    delete g.__TIPLINE_MIN_KEYRING_VERSION__;
  });

  it('reads the root key and the minimum version the build injects', () => {
    g.__TIPLINE_ROOT_PUBLIC_KEY__ = bytes.base64Padded(rootPublicKey);
    g.__TIPLINE_MIN_KEYRING_VERSION__ = 7;
    expect(pinnedRootKey()).toEqual(rootPublicKey);
    expect(pinnedMinKeyringVersion()).toBe(7);
  });

  it('refuses a build without a minimum version, or with one that is not a whole number from 1', () => {
    expect(() => pinnedMinKeyringVersion()).toThrow('no pinned minimum keyring version');
    for (const v of [0, -1, 1.5, '3', NaN, null, 2 ** 53]) {
      g.__TIPLINE_MIN_KEYRING_VERSION__ = v;
      expect(() => pinnedMinKeyringVersion(), String(v)).toThrow('no pinned minimum keyring version');
    }
  });

  it('refuses a build without a root key', () => {
    expect(() => pinnedRootKey()).toThrow('no pinned root key');
    g.__TIPLINE_ROOT_PUBLIC_KEY__ = bytes.base64Padded(rootPublicKey.subarray(0, 31));
    expect(() => pinnedRootKey()).toThrow('no pinned root key');
  });
});
