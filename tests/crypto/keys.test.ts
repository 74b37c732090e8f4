/** Key encodings: one test per vector file in tests/vectors/keys, plus identity-file handling. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HybridIdentity,
  X25519Identity,
  formatIdentityFile,
  parseIdentity,
  parseIdentityFile,
  parseRecipient,
} from '../../crypto/index.js';
import { loadVectorFile } from '../helpers/vectors.js';

const DIR = join(import.meta.dirname, '../vectors/keys');

function readVector(name: string): Record<string, string> {
  return Object.fromEntries(loadVectorFile(DIR, name).headers);
}

describe('key vectors', () => {
  for (const name of readdirSync(DIR).sort()) {
    const v = readVector(name);
    it(`${name}: ${v.expect}`, () => {
      if (v.expect === 'success') {
        const id = parseIdentity(v.identity!);
        expect(id.recipient().toString()).toBe(v.recipient);
        expect(parseRecipient(v.recipient!).toString()).toBe(v.recipient);
        expect(id.toString()).toBe(v.identity);
        return;
      }
      if (v.identity !== undefined) expect(() => parseIdentity(v.identity!)).toThrow(v.expect);
      if (v.recipient !== undefined) expect(() => parseRecipient(v.recipient!)).toThrow(v.expect);
    });
  }
});

describe('identity files', () => {
  it('round-trip through the age-keygen format for both key types', () => {
    for (const id of [X25519Identity.generate(), HybridIdentity.generate()]) {
      const text = formatIdentityFile(id);
      expect(text).toMatch(/^# created: \d{4}-\d{2}-\d{2}\n# public key: age1/);
      const [back] = parseIdentityFile(text);
      expect(back!.toString()).toBe(id.toString());
    }
  });

  it('skip comments and blank lines, accept CRLF, and refuse anything else', () => {
    const id = X25519Identity.generate();
    expect(parseIdentityFile(`# hi\r\n\r\n${id.toString()}\r\n`)).toHaveLength(1);
    expect(() => parseIdentityFile('# only a comment\n')).toThrow('invalid identity file');
    expect(() => parseIdentityFile(`${id.toString()}\nnot a key\n`)).toThrow('invalid identity file');
  });

  it('a hybrid identity derives the same recipient from the same seed, and different ones from different seeds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
        const ra = new HybridIdentity(a).recipient().toString();
        expect(new HybridIdentity(a.slice()).recipient().toString()).toBe(ra);
        if (a.some((x, i) => x !== b[i])) expect(new HybridIdentity(b).recipient().toString()).not.toBe(ra);
      }),
      { numRuns: 20 },
    );
  });
});
