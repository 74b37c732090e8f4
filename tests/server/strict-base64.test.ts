/** The server's native base64 check accepts exactly what crypto/'s strict decoder accepts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytes } from '../../crypto/index.js';
import { strictBase64 } from '../../server/schemas.js';

const viaCrypto = (s: string): string | undefined => {
  try {
    return Buffer.from(bytes.fromBase64Padded(s)).toString('hex');
  } catch {
    return undefined;
  }
};

describe('strictBase64', () => {
  it('agrees with crypto fromBase64Padded on valid, damaged and foreign strings', () => {
    const damaged = fc
      .tuple(fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.constantFrom('-', '_', ' ', '\n', '=', 'A', '!', 'é', ''))
      .map(([b, at, ch]) => {
        const s = Buffer.from(b).toString('base64');
        const p = s.length ? at % s.length : 0;
        return s.slice(0, p) + ch + s.slice(p + 1);
      });
    const valid = fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64'));
    const unpadded = valid.map((s) => s.replace(/=+$/, ''));
    fc.assert(
      fc.property(fc.oneof(valid, damaged, unpadded, fc.string({ maxLength: 24 })), (s) => {
        expect(strictBase64(s)?.toString('hex')).toBe(viaCrypto(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses non-canonical padding bits and whitespace', () => {
    expect(strictBase64('QQ==')?.toString()).toBe('A');
    expect(strictBase64('QR==')).toBeUndefined();
    expect(strictBase64('QQ= =')).toBeUndefined();
    expect(strictBase64('Q Q==')).toBeUndefined();
    expect(strictBase64('QQ')).toBeUndefined();
  });
});
