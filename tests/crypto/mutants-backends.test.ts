/**
 * crypto/noble.ts and crypto/sodium.ts, each backend on its own against known answers (RFC 7748,
 * RFC 8032, noble's ML-KEM), at the edges backends.test.ts's differential tests pass over: random
 * bytes across getRandomValues' 65536-byte limit, argument lengths, a ciphertext of exactly one
 * tag, a public key that is canonical but not on the curve. Each case was found by a mutant that
 * survived (npm run mutate, tests/mutation/SURVIVORS.md).
 */
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { describe, expect, it, vi } from 'vitest';
import { bytes, loadSodiumBackend, nobleBackend, type Primitives } from '../../crypto/index.js';
import { ed25519StrictEncodings } from '../../crypto/primitives.js';

const sodium: Primitives = await loadSodiumBackend();
// libsodium's backend object is built once per module instance: a fresh instance builds it again
// (so a change to how it is built shows here even after the cached one was made).
vi.resetModules();
const freshSodium: Primitives = await (await import('../../crypto/sodium.js')).loadSodiumBackend();
const backends: [string, string, Primitives][] = [
  ['noble', 'noble', nobleBackend],
  ['sodium', 'sodium', sodium],
  ['sodium (fresh module)', 'sodium', freshSodium],
];
const hex = bytes.fromHex;

describe.each(backends)('%s backend', (_label, name, p) => {
  it('is named', () => {
    expect(p.name).toBe(name);
  });

  it('gives random bytes of any length, filled past 65536 bytes too', () => {
    expect(p.randomBytes(0)).toEqual(new Uint8Array(0));
    expect(p.randomBytes(1)).toHaveLength(1);
    const n = 65536 + 32;
    const r = p.randomBytes(n);
    expect(r).toHaveLength(n);
    // Each part is random: all zero has probability 2^-256.
    expect(bytes.isAllZero(r.subarray(0, 32))).toBe(false);
    expect(bytes.isAllZero(r.subarray(65536 - 32, 65536))).toBe(false);
    expect(bytes.isAllZero(r.subarray(65536))).toBe(false);
    expect(p.randomBytes(32)).not.toEqual(p.randomBytes(32));
  });

  it('X25519: RFC 7748 §6.1, and 32-byte arguments only', () => {
    const alice = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPublic = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    expect(bytes.toHex(p.x25519Base(alice))).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(bytes.toHex(p.x25519(alice, bobPublic))).toBe('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
    for (const [s, q] of [
      [alice.subarray(0, 31), bobPublic],
      [bytes.concat(alice, new Uint8Array(1)), bobPublic],
      [alice, bobPublic.subarray(0, 31)],
      [alice, bytes.concat(bobPublic, new Uint8Array(1))],
    ]) {
      expect(() => p.x25519(s!, q!)).toThrow(/^invalid X25519 point$/);
    }
    expect(() => p.x25519(alice, new Uint8Array(32))).toThrow(/^invalid X25519 point$/);
  });

  it('ChaCha20-Poly1305: a lone tag opens to nothing, anything shorter or altered is refused', () => {
    const key = new Uint8Array(32).fill(1);
    const nonce = new Uint8Array(12).fill(2);
    const tagOnly = p.seal(key, nonce, new Uint8Array(0));
    expect(tagOnly).toHaveLength(16);
    expect(p.open(key, nonce, tagOnly)).toEqual(new Uint8Array(0));
    expect(() => p.open(key, nonce, tagOnly.subarray(1))).toThrow(/^decryption failed$/);
    expect(() => p.open(key, nonce, new Uint8Array(0))).toThrow(/^decryption failed$/);
    const aad = bytes.utf8('header');
    const sealed = p.seal(key, nonce, bytes.utf8('hi'), aad);
    // The additional data is bound: it opens with the same only, and an absent one is an empty one.
    expect(bytes.fromUtf8(p.open(key, nonce, sealed, aad))).toBe('hi');
    expect(() => p.open(key, nonce, sealed)).toThrow(/^decryption failed$/);
    expect(() => p.open(key, nonce, sealed, bytes.utf8('other'))).toThrow(/^decryption failed$/);
    expect(p.seal(key, nonce, bytes.utf8('hi'))).toEqual(p.seal(key, nonce, bytes.utf8('hi'), new Uint8Array(0)));
    expect(p.seal(key, nonce, bytes.utf8('hi'))).not.toEqual(sealed);
    // RFC 8439 §2.8.2's key, nonce and additional data, with its ciphertext's first bytes and tag.
    const rfcKey = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const rfcNonce = hex('070000004041424344454647');
    const rfcAad = hex('50515253c0c1c2c3c4c5c6c7');
    const text = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    const out = bytes.toHex(p.seal(rfcKey, rfcNonce, bytes.utf8(text), rfcAad));
    expect(out.slice(0, 32)).toBe('d31a8d34648e60db7b86afbc53ef7ec2');
    expect(out.slice(-32)).toBe('1ae10b594f09e26a7e902ecbd0600691');
  });

  it('Ed25519: RFC 8032 test 1 signs and verifies; any change, or a key off the curve, does not', () => {
    const seed = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    const pk = p.ed25519PublicKey(seed);
    expect(bytes.toHex(pk)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const sig = p.ed25519Sign(seed, new Uint8Array(0));
    expect(bytes.toHex(sig)).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    expect(p.ed25519Verify(pk, new Uint8Array(0), sig)).toBe(true);
    expect(p.ed25519Verify(pk, new Uint8Array(1), sig)).toBe(false);
    for (const i of [0, 31, 32, 63]) {
      const bad = sig.slice();
      bad[i]! ^= 1;
      expect(p.ed25519Verify(pk, new Uint8Array(0), bad), `byte ${i}`).toBe(false);
    }
    // y = 2 is canonical and not of small order, so the shared encoding check lets it through,
    // but no point has it: decoding fails, and that must be a refusal.
    const offCurve = new Uint8Array(32);
    offCurve[0] = 2;
    expect(ed25519StrictEncodings(offCurve, sig)).toBe(true);
    expect(p.ed25519Verify(offCurve, new Uint8Array(0), sig)).toBe(false);
    // A small-order key is refused by the shared check before any arithmetic.
    expect(p.ed25519Verify(new Uint8Array(32), new Uint8Array(0), sig)).toBe(false);
    // The identity as key: [S]B - [k]A = [S]B for every message, so R = B with S = 1 satisfies the
    // cofactorless equation whatever was signed. Only the shared small-order check refuses it.
    const identity = hex('0100000000000000000000000000000000000000000000000000000000000000');
    const base = hex('5866666666666666666666666666666666666666666666666666666666666666');
    const forged = bytes.concat(base, hex('0100000000000000000000000000000000000000000000000000000000000000'));
    expect(ed25519StrictEncodings(identity, forged)).toBe(false);
    expect(p.ed25519Verify(identity, bytes.utf8('anything at all'), forged)).toBe(false);
    expect(p.ed25519Verify(pk, new Uint8Array(0), sig.subarray(0, 63))).toBe(false);
  });
});

describe('sodium backend: ML-KEM-768 decapsulation', () => {
  it('gives noble\'s shared secret, and takes a 1088-byte ciphertext and a 2400-byte key only', () => {
    const { publicKey, secretKey } = ml_kem768.keygen(new Uint8Array(64).fill(5));
    const { cipherText, sharedSecret } = ml_kem768.encapsulate(publicKey);
    expect(sodium.mlkem768Decapsulate!(cipherText, secretKey)).toEqual(sharedSecret);
    for (const [c, k] of [
      [cipherText.subarray(0, 1087), secretKey],
      [bytes.concat(cipherText, new Uint8Array(1)), secretKey],
      [cipherText, secretKey.subarray(0, 2399)],
      [cipherText, bytes.concat(secretKey, new Uint8Array(1))],
    ]) {
      expect(() => sodium.mlkem768Decapsulate!(c!, k!)).toThrow(/^invalid encapsulation$/);
    }
  });

  it('loads libsodium once', async () => {
    expect(loadSodiumBackend()).toBe(loadSodiumBackend());
    expect(await loadSodiumBackend()).toBe(sodium);
    expect(freshSodium).not.toBe(sodium);
  });
});
