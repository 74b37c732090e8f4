/**
 * crypto/oprf.ts: the rules check.test.ts and the check vectors leave open, each found by a
 * mutant that survived them (npm run mutate, tests/mutation/SURVIVORS.md): the check key's
 * exact length bounds and its colon, a zero blind, and the check key seed's length.
 */
import { describe, expect, it } from 'vitest';
import { CheckError, blindWith, checkInput, deriveCheckKey } from '../../crypto/index.js';

describe('oprf arguments', () => {
  it('checkInput takes 3 to 256 characters with a colon, nothing else', () => {
    for (const k of ['a:', 'abc', 'x'.repeat(256), `${'x'.repeat(255)}:y`, '']) {
      expect(() => checkInput(k), `length ${k.length}`).toThrow(new CheckError('invalid check key'));
    }
    expect(checkInput('a:b')).toHaveLength(32);
    expect(checkInput(`${'x'.repeat(254)}:y`)).toHaveLength(32);
  }, 120_000);

  it('blindWith refuses a zero blind', () => {
    expect(() => blindWith(new Uint8Array(32), new Uint8Array(32))).toThrow(new CheckError('invalid blind'));
  });

  it('deriveCheckKey needs a 32-byte seed', () => {
    for (const n of [0, 31, 33]) expect(() => deriveCheckKey(new Uint8Array(n))).toThrow(new CheckError('invalid check key seed'));
    expect(deriveCheckKey(new Uint8Array(32).fill(1))).toHaveLength(32);
  });
});
