/**
 * Padding (SPEC.md §Padding): known-answer vectors from tests/vectors/report/padding, one test each,
 * then properties over random payloads and tamper tests on the filler.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocumentError, MAX_PADDED_SIZE, MAX_PAYLOAD_SIZE, PADDING_CLASSES, bytes, pad, unpad } from '../../crypto/index.js';
import { loadVectorFile, parseByteSpec } from '../helpers/vectors.js';

const DIR = join(import.meta.dirname, '../vectors/report/padding');

function expectDocumentError(f: () => unknown, message: string): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DocumentError);
  expect((caught as Error).message).toBe(message);
}

describe('padding vectors', () => {
  const files = readdirSync(DIR).sort();
  it('has vectors', () => expect(files.length).toBeGreaterThanOrEqual(20));
  for (const file of files) {
    const h = loadVectorFile(DIR, file).headers;
    it(`${file}: ${h.get('comment')}`, () => {
      const expectation = h.get('expect');
      if (expectation === 'success') {
        const input = parseByteSpec(h.get('input')!);
        const padded = parseByteSpec(h.get('padded')!);
        expect(padded.length).toBe(Number(h.get('padded length')));
        const out = pad(input);
        expect(out.length).toBe(padded.length);
        expect(bytes.equalBytes(out, padded)).toBe(true);
        expect(bytes.equalBytes(unpad(padded), input)).toBe(true);
      } else if (expectation === 'invalid padding') {
        const padded = parseByteSpec(h.get('padded')!);
        expectDocumentError(() => unpad(padded), 'invalid padding');
      } else if (expectation === 'document too large') {
        const input = parseByteSpec(h.get('input')!);
        expectDocumentError(() => pad(input), 'document too large');
      } else {
        throw new Error(`unknown expectation ${expectation}`);
      }
    });
  }
});

describe('padding classes', () => {
  it('are 4 to 64 KiB in powers of two, then 64 KiB steps to 256 KiB', () => {
    expect(PADDING_CLASSES).toEqual([4096, 8192, 16384, 32768, 65536, 131072, 196608, 262144]);
    expect(Object.isFrozen(PADDING_CLASSES)).toBe(true);
    expect(MAX_PADDED_SIZE).toBe(262144);
    expect(MAX_PAYLOAD_SIZE).toBe(262140);
  });
});

/** Payloads of any length up to the maximum without generating megabytes of random data per run. */
const anyLength = fc
  .tuple(fc.integer({ min: 0, max: MAX_PAYLOAD_SIZE }), fc.uint8Array({ minLength: 1, maxLength: 64 }))
  .map(([n, seed]) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = seed[i % seed.length]! ^ (i & 0xff);
    return b;
  });
const smallPayload = fc.uint8Array({ maxLength: 9000 });
const payload = fc.oneof(smallPayload, anyLength);

describe('padding properties', () => {
  it('unpad(pad(x)) = x for any payload up to the maximum', () => {
    fc.assert(
      fc.property(payload, (x) => {
        expect(bytes.equalBytes(unpad(pad(x)), x)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('the padded length is always the smallest class that holds the payload', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_PAYLOAD_SIZE }), (n) => {
        const size = pad(new Uint8Array(n)).length;
        expect(PADDING_CLASSES).toContain(size);
        expect(size).toBeGreaterThanOrEqual(n + 4);
        const smaller = PADDING_CLASSES.filter((c) => c < size);
        for (const c of smaller) expect(c).toBeLessThan(n + 4);
      }),
      { numRuns: 300 },
    );
  });

  it('any change to a filler byte is rejected', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 9000 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (x, where, flip) => {
          const p = pad(x);
          const fillerStart = 4 + x.length;
          fc.pre(p.length > fillerStart);
          p[fillerStart + (where % (p.length - fillerStart))]! ^= flip;
          expectDocumentError(() => unpad(p), 'invalid padding');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('adding or removing bytes is rejected', () => {
    fc.assert(
      fc.property(smallPayload, fc.integer({ min: 1, max: 4096 }), fc.boolean(), (x, k, grow) => {
        const p = pad(x);
        const changed = grow ? bytes.concat(p, new Uint8Array(k)) : p.subarray(0, p.length - k);
        expectDocumentError(() => unpad(changed), 'invalid padding');
      }),
      { numRuns: 200 },
    );
  });

  it('reads the length from a view with a nonzero byte offset', () => {
    const x = bytes.utf8('offset');
    const p = pad(x);
    const backing = new Uint8Array(p.length + 7);
    backing.set(p, 7);
    expect(bytes.fromUtf8(unpad(backing.subarray(7)))).toBe('offset');
  });

  it('returns a copy of the payload', () => {
    const p = pad(bytes.utf8('abc'));
    const out = unpad(p);
    out[0] = 0x7a;
    expect(bytes.fromUtf8(unpad(p))).toBe('abc');
  });
});
