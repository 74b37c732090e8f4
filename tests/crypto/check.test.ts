/**
 * The private check (crypto/SPEC.md §Private check): RFC 9497 vectors and element checks
 * (tests/vectors/check, one `it` each), this construction's tag vectors, and properties:
 * blind → evaluate → finalize equals direct evaluation, different identifiers differ,
 * equivalent spellings agree, a wrong key or blind gives another tag.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CheckError,
  blindCheck,
  blindWith,
  bytes,
  checkElement,
  checkInput,
  checkKey,
  checkTag,
  deriveCheckKey,
  deriveOprfKey,
  evaluateBlinded,
  evaluateOprf,
  finalizeCheck,
  finalizeOprf,
  guessCheckKind,
  primitives,
  type CheckKind,
} from '../../crypto/index.js';
import { parseVector } from '../vectors/protocol/vectors.js';

const DIR = join(import.meta.dirname, '../vectors/check');
const vectors = readdirSync(DIR)
  .filter((f) => !f.endsWith('.ts'))
  .sort()
  .map((f) => parseVector(f, readFileSync(join(DIR, f), 'utf8')));
const hex = bytes.fromHex;

it('has the RFC, element and tag vectors', () => {
  expect(vectors.filter((v) => v.name.startsWith('rfc9497-')).length).toBe(2);
  expect(vectors.filter((v) => v.name.startsWith('element-')).length).toBeGreaterThanOrEqual(6);
  expect(vectors.filter((v) => v.name.startsWith('tag-')).length).toBeGreaterThanOrEqual(8);
});

describe('vectors', () => {
  for (const v of vectors) {
    it(`${v.name}: ${v.expect}`, () => {
      if (v.expect === 'output') {
        const sk = deriveOprfKey(hex(v.get('seed')), hex(v.get('key info')));
        expect(bytes.toHex(sk)).toBe(v.get('sksm'));
        const input = hex(v.get('input'));
        const blinded = blindWith(input, hex(v.get('blind')));
        expect(bytes.toHex(blinded)).toBe(v.get('blinded element'));
        const evaluated = evaluateBlinded(sk, blinded);
        expect(bytes.toHex(evaluated)).toBe(v.get('evaluation element'));
        expect(bytes.toHex(finalizeOprf(input, hex(v.get('blind')), evaluated))).toBe(v.get('output'));
        expect(bytes.toHex(evaluateOprf(sk, input))).toBe(v.get('output'));
      } else if (v.expect === 'invalid element') {
        const e = hex(v.get('element'));
        expect(() => checkElement(e)).toThrow(new CheckError('invalid element'));
        expect(() => evaluateBlinded(deriveCheckKey(new Uint8Array(32).fill(1)), e)).toThrow(CheckError);
      } else if (v.expect === 'valid element') {
        expect(checkElement(hex(v.get('element')))).toEqual(hex(v.get('element')));
      } else if (v.expect === 'tag') {
        const key = checkKey(v.get('kind') as CheckKind, v.get('typed'));
        expect(key).toBe(v.get('key'));
        const input = checkInput(key!);
        expect(bytes.toHex(input)).toBe(v.get('input'));
        const sk = deriveCheckKey(hex(v.get('seed')));
        const b = blindCheck(input);
        expect(bytes.base64Padded(finalizeCheck(input, b.blind, evaluateBlinded(sk, b.blinded)))).toBe(v.get('tag'));
      } else throw new Error(`unknown expectation ${v.expect}`);
    }, 60_000);
  }
});

describe('normalisation for the check', () => {
  it('UK phone numbers in any usual spelling give one key', () => {
    const keys = ['07700 900123', '+44 7700 900123', '0044 7700900123', '(07700) 900-123', '+447700900123'].map((s) => checkKey('phone', s));
    expect(new Set(keys)).toEqual(new Set(['phone:+447700900123']));
    expect(checkKey('phone', '07700 900124')).not.toBe(keys[0]);
    expect(checkKey('phone', 'call me')).toBeUndefined();
  });

  it('plates with any spacing and case give one key', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '  ', '-', ''), { minLength: 7, maxLength: 7 }), fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), (gaps, upper) => {
        const s = [...'AB12CDE'].map((ch, i) => (upper[i] ? ch : ch.toLowerCase()) + gaps[i]).join('');
        expect(checkKey('plate', s)).toBe('plate:AB12CDE');
      }),
    );
  });

  it('emails and usernames fold case and surrounding space', () => {
    expect(checkKey('email', ' Dave.X@Example.ORG ')).toBe('email:dave.x@example.org');
    expect(checkKey('email', 'not an email')).toBeUndefined();
    expect(checkKey('username', '@Dave_X')).toBe(checkKey('username', 'dave_x'));
  });

  it('guesses the kind of what was typed', () => {
    expect(guessCheckKind('07700 900123')).toBe('phone');
    expect(guessCheckKind('a@b.co')).toBe('email');
    expect(guessCheckKind('ab12 cde')).toBe('plate');
    expect(guessCheckKind('dave_x')).toBe('username');
  });
});

describe('properties', () => {
  const sk = deriveCheckKey(primitives().randomBytes(32));
  // The memory-hard step is slow on purpose; properties run on its output (any 32 bytes).
  const input32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

  it('blind → evaluate → finalize equals direct evaluation, whatever the blind', () => {
    fc.assert(
      fc.property(input32, (input) => {
        const b = blindCheck(input);
        expect(finalizeOprf(input, b.blind, evaluateBlinded(sk, b.blinded))).toEqual(evaluateOprf(sk, input));
      }),
      { numRuns: 25 },
    );
  });

  it('the blinded element changes with every blind (the server cannot link two checks)', () => {
    const input = primitives().randomBytes(32);
    expect(blindCheck(input).blinded).not.toEqual(blindCheck(input).blinded);
  });

  it('different inputs give different tags; another key gives another tag', () => {
    const other = deriveCheckKey(primitives().randomBytes(32));
    fc.assert(
      fc.property(input32, input32, (a, b) => {
        fc.pre(!bytes.equalBytes(a, b));
        expect(checkTag(evaluateOprf(sk, a))).not.toEqual(checkTag(evaluateOprf(sk, b)));
        expect(checkTag(evaluateOprf(sk, a))).not.toEqual(checkTag(evaluateOprf(other, a)));
      }),
      { numRuns: 20 },
    );
  });

  it('a tampered evaluation or a wrong blind gives a different tag, never the right one', () => {
    const input = primitives().randomBytes(32);
    const b = blindCheck(input);
    const good = finalizeCheck(input, b.blind, evaluateBlinded(sk, b.blinded));
    const wrongBlind = blindCheck(input).blind;
    expect(finalizeCheck(input, wrongBlind, evaluateBlinded(sk, b.blinded))).not.toEqual(good);
    const evaluated = evaluateBlinded(sk, b.blinded);
    evaluated[0]! ^= 1;
    let tampered: Uint8Array | undefined;
    try {
      tampered = finalizeCheck(input, b.blind, evaluated);
    } catch (e) {
      expect(e).toBeInstanceOf(CheckError);
    }
    if (tampered) expect(tampered).not.toEqual(good);
  });

  it('distinct check keys give distinct memory-hard inputs, and bad keys are refused', () => {
    expect(checkInput('phone:+447700900123')).not.toEqual(checkInput('phone:+447700900124'));
    expect(checkInput('plate:AB12CDE')).not.toEqual(checkInput('username:ab12cde'));
    expect(() => checkInput('')).toThrow(new CheckError('invalid check key'));
  }, 60_000);
});
