/**
 * The age header parser decodes the header bytes with TextDecoder('latin1') (fast) instead of
 * one String.fromCharCode per byte. That is only the same parser if every byte becomes one
 * character, ASCII stays ASCII and every other byte becomes a character the parser never
 * accepts: these pin both, the second as "a non-ASCII byte anywhere in a header fails exactly
 * as a control byte (0x01) in the same place does".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '../../crypto/index.js'; // installs the primitives backend
import { parseHeader, writeHeader, type Stanza } from '../../crypto/age-header.js';
import { AgeError } from '../../crypto/errors.js';

function outcome(h: Uint8Array): string {
  try {
    const p = parseHeader(h);
    return `ok ${p.stanzas.length} ${p.length}`;
  } catch (e) {
    if (!(e instanceof AgeError)) throw e;
    return `${e.kind}: ${e.detail}`;
  }
}

const header = (stanzas: Stanza[]) => writeHeader(stanzas, new Uint8Array(16).fill(7));
const arg = fc.stringMatching(/^[\x21-\x7e]{1,80}$/);
const stanza = fc.record({ args: fc.array(arg, { minLength: 1, maxLength: 3 }), body: fc.uint8Array({ maxLength: 100 }) });

describe('age header bytes', () => {
  it("TextDecoder('latin1') gives one character per byte: ASCII as is, anything else above 0x7e", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const s = new TextDecoder('latin1').decode(all);
    expect(s.length).toBe(256);
    for (let i = 0; i < 256; i++) {
      if (i < 0x80) expect(s.charCodeAt(i)).toBe(i);
      else expect(s.charCodeAt(i)).toBeGreaterThan(0x7e);
    }
  });

  it('a header still parses, and a non-ASCII byte anywhere fails as a control byte there does', () => {
    fc.assert(
      fc.property(fc.array(stanza, { minLength: 1, maxLength: 3 }), fc.nat(), fc.integer({ min: 0x80, max: 0xff }), (stanzas, at, high) => {
        const h = header(stanzas);
        expect(outcome(h)).toBe(`ok ${stanzas.length} ${h.length}`);
        const i = at % h.length;
        const a = h.slice();
        a[i] = high;
        const b = h.slice();
        b[i] = 0x01;
        const got = outcome(a);
        expect(got).toMatch(/^header: /);
        expect(got).toBe(outcome(b));
      }),
      { numRuns: 300 },
    );
  });
});
