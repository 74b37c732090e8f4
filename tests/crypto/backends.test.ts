/**
 * Differential test of the two primitives backends: same bytes for fixed inputs,
 * and files made under one decrypt under the other. Also: noble works without WebAssembly.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  HybridIdentity,
  X25519Identity,
  bytes,
  decrypt,
  encrypt,
  loadSodiumBackend,
  nobleBackend,
  useBackend,
  type Primitives,
} from '../../crypto/index.js';
import { ed25519StrictEncodings } from '../../crypto/primitives.js';
import { parseVector } from '../vectors/protocol/vectors.js';

const sodium: Primitives = await loadSodiumBackend();
const noble = nobleBackend;
afterAll(() => useBackend(noble));

const b32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('noble and libsodium give the same bytes', () => {
  it('X25519 base and scalar multiplication', () => {
    fc.assert(
      fc.property(b32, b32, (k, k2) => {
        expect(noble.x25519Base(k)).toEqual(sodium.x25519Base(k));
        const pub = noble.x25519Base(k2);
        expect(noble.x25519(k, pub)).toEqual(sodium.x25519(k, pub));
      }),
      { numRuns: 100 },
    );
  });

  it('rejects the all-zero X25519 output identically', () => {
    const lowOrder = new Uint8Array(32); // the identity point
    expect(() => noble.x25519(new Uint8Array(32).fill(1), lowOrder)).toThrow('invalid X25519 point');
    expect(() => sodium.x25519(new Uint8Array(32).fill(1), lowOrder)).toThrow('invalid X25519 point');
  });

  it('ChaCha20-Poly1305 seal is identical and each opens the other', () => {
    fc.assert(
      fc.property(b32, fc.uint8Array({ minLength: 12, maxLength: 12 }), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 40 }), (key, nonce, pt, aad) => {
        const a = noble.seal(key, nonce, pt, aad);
        const b = sodium.seal(key, nonce, pt, aad);
        expect(a).toEqual(b);
        expect(sodium.open(key, nonce, a, aad)).toEqual(pt);
        expect(noble.open(key, nonce, b, aad)).toEqual(pt);
        const bad = a.slice();
        bad[bad.length - 1]! ^= 1;
        expect(() => noble.open(key, nonce, bad, aad)).toThrow('decryption failed');
        expect(() => sodium.open(key, nonce, bad, aad)).toThrow('decryption failed');
      }),
      { numRuns: 100 },
    );
  });

  it('Ed25519 keys and signatures are identical and verify across backends', () => {
    fc.assert(
      fc.property(b32, fc.uint8Array({ maxLength: 200 }), (seed, msg) => {
        const pub = noble.ed25519PublicKey(seed);
        expect(sodium.ed25519PublicKey(seed)).toEqual(pub);
        const sig = noble.ed25519Sign(seed, msg);
        expect(sodium.ed25519Sign(seed, msg)).toEqual(sig);
        expect(sodium.ed25519Verify(pub, msg, sig)).toBe(true);
        expect(noble.ed25519Verify(pub, msg, sig)).toBe(true);
        const bad = sig.slice();
        bad[0]! ^= 1;
        expect(noble.ed25519Verify(pub, msg, bad)).toBe(false);
        expect(sodium.ed25519Verify(pub, msg, bad)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('RFC 8032 test 1 gives the known signature on both', () => {
    const seed = bytes.fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    const expected =
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
    for (const p of [noble, sodium]) {
      expect(bytes.toHex(p.ed25519PublicKey(seed))).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
      expect(bytes.toHex(p.ed25519Sign(seed, new Uint8Array(0)))).toBe(expected);
    }
  });

  it('ML-KEM-768 decapsulation: libsodium gives noble\'s shared secret, for real and for tampered ciphertexts (implicit rejection)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.nat(1087), fc.integer({ min: 1, max: 255 }), (seed, at, flip) => {
        const { publicKey, secretKey } = ml_kem768.keygen(seed);
        const { cipherText, sharedSecret } = ml_kem768.encapsulate(publicKey);
        expect(sodium.mlkem768Decapsulate!(cipherText, secretKey)).toEqual(sharedSecret);
        const bad = cipherText.slice();
        bad[at]! ^= flip;
        expect(sodium.mlkem768Decapsulate!(bad, secretKey)).toEqual(ml_kem768.decapsulate(bad, secretKey));
      }),
      { numRuns: 20 },
    );
    expect(() => sodium.mlkem768Decapsulate!(new Uint8Array(1087), new Uint8Array(2400))).toThrow('invalid encapsulation');
  });

  it('age files made with one backend decrypt with the other, both ways, X25519 and hybrid', async () => {
    const ids = [X25519Identity.generate(), HybridIdentity.generate()];
    const pt = nobleBackend.randomBytes(70_000);
    for (const [from, to] of [
      [noble, sodium],
      [sodium, noble],
    ] as const) {
      for (const id of ids) {
        useBackend(from);
        const file = await encrypt([id.recipient()], pt);
        useBackend(to);
        expect(await decrypt([id], file)).toEqual(pt);
      }
    }
  });
});

const ED_DIR = join(import.meta.dirname, '../vectors/ed25519');
const edVectors = readdirSync(ED_DIR)
  .filter((f) => /^[0-9]{2}-/.test(f))
  .sort()
  .map((f) => parseVector(f, readFileSync(join(ED_DIR, f), 'utf8')));

describe('Ed25519 edge cases (tests/vectors/ed25519, SPEC.md §Ed25519 verification rule)', () => {
  it('has the 16 vectors, valid and invalid', () => {
    expect(edVectors.map((v) => v.name.slice(0, 2))).toEqual(Array.from({ length: 16 }, (_, i) => String(i).padStart(2, '0')));
    expect(edVectors.filter((v) => v.expect === 'valid').map((v) => v.name)).toEqual(['03-mixed-a-mixed-r-both-hold', '13-valid']);
    expect(edVectors.every((v) => v.expect === 'valid' || v.expect === 'invalid')).toBe(true);
  });

  for (const v of edVectors) {
    it(`${v.name}: ${v.expect} on both backends`, () => {
      const pk = bytes.fromHex(v.get('public key'));
      const msg = bytes.fromHex(v.get('message'));
      const sig = bytes.fromHex(v.get('signature'));
      expect({ noble: noble.ed25519Verify(pk, msg, sig), sodium: sodium.ed25519Verify(pk, msg, sig) }).toEqual({
        noble: v.expect === 'valid',
        sodium: v.expect === 'valid',
      });
      // The vector is what it says: both equations recomputed with lenient decoding (noble's
      // ZIP-215 mode) and k over the bytes as given.
      const { Point } = ed25519;
      let A, R;
      try {
        A = Point.fromBytes(pk, true);
        R = Point.fromBytes(sig.subarray(0, 32), true);
      } catch {
        expect(v.get('cofactorless')).toMatch(/^not applicable/);
        return;
      }
      const s = bytes.littleEndianInt(sig.subarray(32));
      const k = Point.Fn.create(bytes.littleEndianInt(sha512(bytes.concat(sig.subarray(0, 32), pk, msg))));
      const diff = Point.BASE.multiplyUnsafe(Point.Fn.create(s)).subtract(R.add(A.multiplyUnsafe(k)));
      expect(diff.is0() ? 'holds' : 'fails').toBe(v.get('cofactorless'));
      expect(diff.clearCofactor().is0() ? 'holds' : 'fails').toBe(v.get('cofactored'));
    });
  }

  it('refuses exactly the eight small-order points as A and as R, in both sign encodings', () => {
    const { Point } = ed25519;
    // The torsion subgroup, found independently of the constants in crypto/primitives.ts:
    // [L]Q for points Q until one has order 8, then its multiples.
    let T = Point.ZERO;
    for (let y = 2n; T.multiplyUnsafe(4n).is0(); y++) {
      let q;
      try {
        q = Point.fromBytes(bytes.fromHex(y.toString(16).padStart(64, '0')).reverse());
      } catch {
        continue;
      }
      T = q.multiplyUnsafe(Point.Fn.ORDER - 1n).add(q);
    }
    const torsion = Array.from({ length: 8 }, (_, j) => (j === 0 ? Point.ZERO : T.multiplyUnsafe(BigInt(j))));
    expect(new Set(torsion.map((t) => bytes.toHex(t.toBytes()))).size).toBe(8);
    const seed = new Uint8Array(32).fill(7);
    const pk = noble.ed25519PublicKey(seed);
    const sig = noble.ed25519Sign(seed, new Uint8Array(0));
    expect(ed25519StrictEncodings(pk, sig)).toBe(true);
    for (const t of torsion) {
      for (const sign of [0, 0x80]) {
        const enc = t.toBytes();
        enc[31] = (enc[31]! & 0x7f) | sign;
        expect(ed25519StrictEncodings(enc, sig), `A = ${bytes.toHex(enc)}`).toBe(false);
        expect(ed25519StrictEncodings(pk, bytes.concat(enc, sig.subarray(32))), `R = ${bytes.toHex(enc)}`).toBe(false);
      }
    }
    // A point of large order is not refused for its encoding.
    const mixed = Point.fromBytes(pk).add(T).toBytes();
    expect(ed25519StrictEncodings(mixed, sig)).toBe(true);
  });

  it('agrees with itself over random signatures with a torsion component added to R (property)', () => {
    const { Point } = ed25519;
    // Vector 01's A is a point of order 8.
    const T = Point.fromBytes(bytes.fromHex(edVectors[1]!.get('public key')));
    fc.assert(
      fc.property(b32, fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 7 }), (seed, msg, j) => {
        const pub = noble.ed25519PublicKey(seed);
        const sig = noble.ed25519Sign(seed, msg);
        const R = Point.fromBytes(sig.subarray(0, 32));
        const bent = bytes.concat((j === 0 ? R : R.add(T.multiplyUnsafe(BigInt(j)))).toBytes(), sig.subarray(32));
        expect(noble.ed25519Verify(pub, msg, bent)).toBe(j === 0);
        expect(sodium.ed25519Verify(pub, msg, bent)).toBe(j === 0);
      }),
      { numRuns: 40 },
    );
  });
});

describe('without WebAssembly', () => {
  it('the noble backend encrypts and decrypts hybrid files while libsodium cannot load', () => {
    const script = `
      const c = await import(${JSON.stringify(join(import.meta.dirname, '../../crypto/index.ts'))});
      if (typeof WebAssembly !== 'undefined') throw new Error('WebAssembly still present');
      const id = c.HybridIdentity.generate();
      const pt = new TextEncoder().encode('hello');
      const out = await c.decrypt([id], await c.encrypt([id.recipient()], pt));
      let sodium = 'loaded';
      try { await c.loadSodiumBackend(); } catch { sodium = 'unavailable'; }
      console.log(new TextDecoder().decode(out) + ' ' + c.primitives().name + ' ' + sodium);
    `;
    const out = execFileSync(process.execPath, ['--no-expose-wasm', '--jitless', '--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('hello noble unavailable');
  });
});
