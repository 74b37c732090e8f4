/**
 * Keyring: the rules the keyring vectors and keyring.test.ts leave open, each found by a
 * mutant that survived them (npm run mutate, tests/mutation/SURVIVORS.md): exact details,
 * date boundaries, malformed arguments, the payload's exact bytes and findCoordinator on a
 * keyring that did not come from verifyKeyring.
 */
import { describe, expect, it } from 'vitest';
import {
  DocumentError,
  HybridIdentity,
  KeyringError,
  bytes,
  dayStart,
  encodeKeyring,
  findCoordinator,
  primitives,
  signDocument,
  signKeyring,
  verifyKeyring,
  type Keyring,
} from '../../crypto/index.js';

const { base64Padded, fromUtf8, utf8 } = bytes;
const rootSeed = new Uint8Array(32).fill(21);
const rootPub = primitives().ed25519PublicKey(rootSeed);
const hybrid = (n: number): string => new HybridIdentity(new Uint8Array(32).fill(120 + n)).recipient().toString();
const key = (n: number): string => base64Padded(primitives().ed25519PublicKey(new Uint8Array(32).fill(220 - n)));
const coordinator = (n: number): Keyring['coordinators'][number] => ({ id: `c${n}`, name: `C ${n}`, recipient: hybrid(n), signingKey: key(n), roles: ['reports'] });
const ring = (over: Partial<Keyring> = {}): Keyring => ({ version: 2, issued: '2025-01-01', expires: '2025-03-01', coordinators: [coordinator(1)], ...over });
const NOW = { now: new Date('2025-02-01T12:00:00Z') };

function err(f: () => unknown): DocumentError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DocumentError);
    return e as DocumentError;
  }
  throw new Error('did not throw');
}
const detailOf = (f: () => unknown): string => {
  const e = err(f);
  expect(e).toBeInstanceOf(KeyringError);
  expect(e.message).toBe('invalid keyring');
  return (e as KeyringError).detail;
};

describe('dates', () => {
  it('dayStart: 1970 onwards, every month to its last day', () => {
    expect(dayStart('1970-01-01')).toBe(0);
    expect(dayStart('1969-12-31')).toBeUndefined();
    const last = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (let m = 1; m <= 12; m++) {
      const mm = String(m).padStart(2, '0');
      expect(dayStart(`2025-${mm}-${last[m - 1]}`)).toBe(Date.UTC(2025, m - 1, last[m - 1]!));
      expect(dayStart(`2025-${mm}-${last[m - 1]! + 1}`)).toBeUndefined();
      expect(dayStart(`2025-${mm}-01`)).toBe(Date.UTC(2025, m - 1, 1));
    }
    for (const s of ['x2025-01-01', '2025-01-01x', '2025-13-01', '2025-12-32', '2100-02-29', '2025/01/01']) expect(dayStart(s), s).toBeUndefined();
    expect(dayStart('2096-02-29')).toBe(Date.UTC(2096, 1, 29));
  });

  it('expires may be exactly 180 days after issued, or the same day, not 181', () => {
    const e180 = signKeyring(ring({ issued: '2025-01-01', expires: '2025-06-30' }), rootSeed);
    expect(verifyKeyring(e180, rootPub, NOW).expires).toBe('2025-06-30');
    expect(verifyKeyring(signKeyring(ring({ issued: '2025-02-01', expires: '2025-02-01' }), rootSeed), rootPub, NOW).issued).toBe('2025-02-01');
    expect(detailOf(() => signKeyring(ring({ issued: '2025-01-01', expires: '2025-07-01' }), rootSeed))).toBe('expires: expires is more than 180 days after issued');
    expect(detailOf(() => signKeyring(ring({ issued: '2025-01-02', expires: '2025-01-01' }), rootSeed))).toBe('expires: expires is before issued');
    expect(detailOf(() => signKeyring(ring({ issued: '2025-02-30' }), rootSeed))).toBe('issued: not a YYYY-MM-DD date');
  });
});

describe('details', () => {
  it('name each broken rule with its path', () => {
    const two = (b: Partial<Keyring['coordinators'][number]>) => ring({ coordinators: [coordinator(1), { ...coordinator(2), ...b }] });
    expect(detailOf(() => signKeyring(two({ id: 'C1' }), rootSeed))).toBe('coordinators.1.id: duplicate coordinator id');
    expect(detailOf(() => signKeyring(two({ signingKey: key(1) }), rootSeed))).toBe('coordinators.1.signingKey: duplicate signing key');
    expect(detailOf(() => signKeyring(two({ recipient: hybrid(1) }), rootSeed))).toBe('coordinators.1.recipient: duplicate recipient');
    expect(detailOf(() => signKeyring(two({ roles: ['reports', 'reports'] }), rootSeed))).toBe('coordinators.1.roles: duplicate role');
    expect(detailOf(() => signKeyring(two({ name: 'x\u202ey' }), rootSeed))).toBe(
      'coordinators.1.name: name contains control, bidirectional-override or unpaired surrogate characters',
    );
    expect(detailOf(() => signKeyring(two({ name: 'x ' }), rootSeed))).toBe('coordinators.1.name: name has leading or trailing white space');
    expect(detailOf(() => signKeyring(two({ recipient: hybrid(2).toUpperCase() }), rootSeed))).toBe(
      'coordinators.1.recipient: not a canonical (lower-case) age1pq1 hybrid recipient',
    );
    expect(detailOf(() => signKeyring(two({ recipient: 'AGE1qqqq' }), rootSeed))).toBe(
      'coordinators.1.recipient: X25519 recipients are not allowed; keyring recipients must be hybrid (age1pq1...)',
    );
    expect(detailOf(() => signKeyring(two({ recipient: `${hybrid(2)}x` }), rootSeed))).toBe(
      'coordinators.1.recipient: not a canonical (lower-case) age1pq1 hybrid recipient',
    );
    expect(detailOf(() => signKeyring(two({ signingKey: base64Padded(new Uint8Array(33)) }), rootSeed))).toBe(
      'coordinators.1.signingKey: not canonical padded base64 of a 32-byte Ed25519 public key',
    );
    expect(detailOf(() => signKeyring(two({ signingKey: '*' }), rootSeed))).toBe(
      'coordinators.1.signingKey: not canonical padded base64 of a 32-byte Ed25519 public key',
    );
    expect(detailOf(() => signKeyring(two({ signingKey: base64Padded(rootPub) }), rootSeed))).toBe(
      'coordinators.1.signingKey: the root key must not be a coordinator key',
    );
    // an issue at the top level has no path, and a built-in check's message is English
    expect(detailOf(() => signKeyring({ ...ring(), extra: 1 } as Keyring, rootSeed))).toBe('Unrecognized key: "extra"');
    // only a recipient that starts with age1 (not age1pq1) is called X25519
    expect(detailOf(() => signKeyring(two({ recipient: `x${hybrid(2).replace('age1pq1', 'age1')}` }), rootSeed))).toBe(
      'coordinators.1.recipient: not a canonical (lower-case) age1pq1 hybrid recipient',
    );
  });

  it('the same name twice, or the same roles, are fine; ids are compared without case', () => {
    const k = ring({ coordinators: [coordinator(1), { ...coordinator(2), name: 'C 1' }] });
    expect(verifyKeyring(signKeyring(k, rootSeed), rootPub, NOW).coordinators).toHaveLength(2);
  });

  it('verifyKeyring says which step refused', () => {
    expect(detailOf(() => verifyKeyring('{', rootPub, NOW))).toBe('not a signed document envelope');
    expect(detailOf(() => verifyKeyring(signDocument('warning', encodeKeyring(ring()), rootSeed), rootPub, NOW))).toBe('document kind is warning, not keyring');
    expect(detailOf(() => verifyKeyring(signDocument('keyring', utf8('{ }'), rootSeed), rootPub, NOW))).toBe('payload is not canonical UTF-8 JSON');
    const other = signKeyring(ring(), new Uint8Array(32).fill(22));
    const e = err(() => verifyKeyring(other, rootPub, NOW));
    expect(e.message).toBe('invalid signature');
    expect(e).not.toBeInstanceOf(KeyringError);
  });
});

describe('arguments', () => {
  const env = signKeyring(ring(), rootSeed);

  it('refuses a root key, clock or minimum version of the wrong type', () => {
    expect(() => verifyKeyring(env, Array.from(rootPub) as unknown as Uint8Array, NOW)).toThrow(new TypeError('invalid root public key'));
    expect(() => verifyKeyring(env, new Uint8Array(33), NOW)).toThrow(new TypeError('invalid root public key'));
    expect(() => verifyKeyring(env, rootPub, { now: { getTime: () => 0 } as Date })).toThrow(new TypeError('invalid date'));
    expect(() => verifyKeyring(env, rootPub, { now: new Date(Infinity) })).toThrow(new TypeError('invalid date'));
    expect(() => verifyKeyring(env, rootPub, { ...NOW, minVersion: -1 })).toThrow(new TypeError('invalid minimum version'));
    expect(() => verifyKeyring(env, rootPub, { ...NOW, minVersion: 2 ** 53 })).toThrow(new TypeError('invalid minimum version'));
    expect(verifyKeyring(env, rootPub, { ...NOW, minVersion: 0 }).version).toBe(2);
    expect(verifyKeyring(env, rootPub, { ...NOW, minVersion: 2 }).version).toBe(2);
    expect(err(() => verifyKeyring(env, rootPub, { ...NOW, minVersion: 3 })).message).toBe('keyring version rollback');
  });

  it('signKeyring refuses a seed that is not 32 bytes in a Uint8Array', () => {
    expect(() => signKeyring(ring(), Array.from(rootSeed) as unknown as Uint8Array)).toThrow('invalid signing key');
    expect(() => signKeyring(ring(), new Uint8Array(31))).toThrow('invalid signing key');
  });
});

describe('payload and lookup', () => {
  it('encodeKeyring writes the fields in a fixed order, whatever the input order', () => {
    const c = coordinator(1);
    const k = { coordinators: [{ roles: ['warnings', 'reports'], signingKey: c.signingKey, recipient: c.recipient, name: c.name, id: c.id }], expires: '2025-03-01', issued: '2025-01-01', version: 2 } as Keyring;
    expect(fromUtf8(encodeKeyring(k))).toBe(
      `{"version":2,"issued":"2025-01-01","expires":"2025-03-01","coordinators":[{"id":"c1","name":"C 1","recipient":"${c.recipient}","signingKey":"${c.signingKey}","roles":["warnings","reports"]}]}`,
    );
  });

  it('findCoordinator skips a malformed key in a keyring that was not verified', () => {
    const k = ring({ coordinators: [{ ...coordinator(1), signingKey: '*' }, coordinator(2)] });
    expect(findCoordinator(k, bytes.fromBase64Padded(key(2)))?.id).toBe('c2');
    expect(findCoordinator(k, new Uint8Array(32))).toBeUndefined();
    expect(findCoordinator(ring({ coordinators: [{ ...coordinator(1), signingKey: base64Padded(new Uint8Array(33)) }] }), new Uint8Array(33))).toBeUndefined();
  });
});
