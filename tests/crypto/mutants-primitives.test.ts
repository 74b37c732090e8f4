/**
 * crypto/primitives.ts: the rules backends.test.ts and the Ed25519 vectors leave open, each
 * found by a mutant that survived them (npm run mutate, tests/mutation/SURVIVORS.md): the exact
 * S < L and y < P boundaries, the sign bit masked off y, argument lengths, the all-zero guard
 * and which backend primitives() gives.
 */
import { describe, expect, it, vi } from 'vitest';
import { bytes, primitives, type Primitives } from '../../crypto/index.js';
import { checkSharedSecret, ed25519StrictEncodings } from '../../crypto/primitives.js';

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** 32 little-endian bytes of n (n < 2^256). */
const le = (n: bigint): Uint8Array => bytes.fromHex(n.toString(16).padStart(64, '0')).reverse();

const seed = new Uint8Array(32).fill(9);
const pk = primitives().ed25519PublicKey(seed);
const sig = primitives().ed25519Sign(seed, new Uint8Array(0));
const withS = (s: bigint): Uint8Array => bytes.concat(sig.subarray(0, 32), le(s));
const withR = (r: Uint8Array): Uint8Array => bytes.concat(r, sig.subarray(32));

describe('ed25519StrictEncodings', () => {
  it('S below L only: L - 1 passes, L and above do not', () => {
    expect(ed25519StrictEncodings(pk, sig)).toBe(true);
    expect(ed25519StrictEncodings(pk, withS(L - 1n))).toBe(true);
    expect(ed25519StrictEncodings(pk, withS(0n))).toBe(true);
    expect(ed25519StrictEncodings(pk, withS(L))).toBe(false);
    expect(ed25519StrictEncodings(pk, withS(L + 1n))).toBe(false);
    expect(ed25519StrictEncodings(pk, withS(2n ** 256n - 1n))).toBe(false);
  });

  it('y below P only, for A and for R, whatever the sign bit', () => {
    const sign = 2n ** 255n;
    for (const y of [P, P + 1n, P + 2n, P + 18n]) {
      for (const s of [0n, sign]) {
        expect(ed25519StrictEncodings(le(y + s), sig), `A y=${y} sign=${s}`).toBe(false);
        expect(ed25519StrictEncodings(pk, withR(le(y + s))), `R y=${y} sign=${s}`).toBe(false);
      }
    }
    // Largest canonical y that is not of small order, with and without the sign bit.
    for (const s of [0n, sign]) {
      expect(ed25519StrictEncodings(le(P - 2n + s), sig)).toBe(true);
      expect(ed25519StrictEncodings(pk, withR(le(P - 2n + s)))).toBe(true);
    }
    // The real key with its sign bit flipped is still a canonical encoding (of -A).
    const flipped = pk.slice();
    flipped[31]! ^= 0x80;
    expect(ed25519StrictEncodings(flipped, sig)).toBe(true);
  });

  it('needs a 32-byte key and a 64-byte signature', () => {
    expect(ed25519StrictEncodings(pk.subarray(0, 31), sig)).toBe(false);
    expect(ed25519StrictEncodings(bytes.concat(pk, new Uint8Array(1)), sig)).toBe(false);
    expect(ed25519StrictEncodings(pk, sig.subarray(0, 63))).toBe(false);
    expect(ed25519StrictEncodings(pk, bytes.concat(sig, new Uint8Array(1)))).toBe(false);
  });
});

describe('checkSharedSecret', () => {
  it('refuses all zero only, and gives back the same bytes', () => {
    expect(() => checkSharedSecret(new Uint8Array(32))).toThrow(new Error('invalid X25519 point'));
    for (const i of [0, 31]) {
      const s = new Uint8Array(32);
      s[i] = 1;
      expect(checkSharedSecret(s)).toBe(s);
    }
  });
});

describe('primitives()', () => {
  it('fails without a backend, then gives the default, then the installed one', async () => {
    vi.resetModules();
    const fresh = await import('../../crypto/primitives.js');
    expect(() => fresh.primitives()).toThrow(new Error('no crypto backend installed'));
    const a = { name: 'noble' } as Primitives;
    const b = { name: 'sodium' } as Primitives;
    fresh.setDefaultBackend(a);
    expect(fresh.primitives()).toBe(a);
    fresh.useBackend(b);
    expect(fresh.primitives()).toBe(b);
    fresh.setDefaultBackend({ name: 'noble' } as Primitives);
    expect(fresh.primitives()).toBe(b);
    // The freshly loaded module's own constants: P, L and the small-order y values.
    const Y8 = 0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n;
    expect(fresh.ed25519StrictEncodings(pk, withS(L - 1n))).toBe(true);
    expect(fresh.ed25519StrictEncodings(pk, withS(L))).toBe(false);
    expect(fresh.ed25519StrictEncodings(le(P - 2n), sig)).toBe(true);
    expect(fresh.ed25519StrictEncodings(le(P), sig)).toBe(false);
    for (const y of [0n, 1n, P - 1n, Y8, P - Y8]) expect(fresh.ed25519StrictEncodings(le(y), sig), `y=${y}`).toBe(false);
    vi.resetModules();
  });
});
