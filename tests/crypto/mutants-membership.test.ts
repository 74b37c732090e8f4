/**
 * Member applications (crypto/membership.ts, SPEC.md §Member applications) on the node side:
 * the exact padded bytes of an application, every field's limits at the boundary, the schema's
 * own messages, and refusal of anything the console should not read. Until now only the browser
 * suite reached this module, so a mutant of it survived every node suite (npm run mutate,
 * tests/mutation/SURVIVORS.md).
 *
 * The schema is built once per loaded module (`built ??= build()`), so every test loads a fresh
 * copy of the module: each test then builds the schema itself, and a change inside build() is
 * seen by the test that checks it (under StrykerJS too, which switches changes per test within
 * one process).
 */
import { describe, expect, it, vi } from 'vitest';
import { bytes, pad, unpad, type MemberApplication } from '../../crypto/index.js';

const base: MemberApplication = { schemaVersion: 1, type: 'sex-worker', workingName: 'Rosa', regions: ['north'] };

/** A freshly loaded membership module (its schema not yet built), with checks bound to it. */
async function fresh() {
  vi.resetModules();
  const m = await import('../../crypto/membership.js');
  const { DocumentError } = await import('../../crypto/errors.js');
  const refused = (f: () => unknown): void => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DocumentError);
    expect((err as Error).message).toBe('invalid application');
  };
  return {
    m,
    refused,
    /** Encoding refuses it, and a forged plaintext of the same JSON is refused on decoding. */
    invalid(a: unknown): void {
      refused(() => m.encodeApplication(a as MemberApplication));
      refused(() => m.decodeApplication(pad(bytes.utf8(JSON.stringify(a)))));
    },
    valid(a: MemberApplication): void {
      expect(m.decodeApplication(m.encodeApplication(a))).toEqual(a);
    },
    /** The schema's issues for `a`, as [path, message]. */
    issues(a: unknown): [string, string][] {
      const r = m.memberApplicationSchema().safeParse(a);
      expect(r.success).toBe(false);
      return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
    },
  };
}

describe('encoding', () => {
  it('is pad(utf8(JSON)) of the parsed application, byte for byte', async () => {
    const { m } = await fresh();
    const enc = m.encodeApplication(base);
    expect(bytes.fromUtf8(unpad(enc))).toBe('{"schemaVersion":1,"type":"sex-worker","workingName":"Rosa","regions":["north"]}');
    expect(enc.length).toBe(pad(bytes.utf8(JSON.stringify(base))).length);
    const full: MemberApplication = { ...base, email: 'a@b', mobile: '+44 7700 900123', paused: true };
    expect(bytes.fromUtf8(unpad(m.encodeApplication(full)))).toBe(JSON.stringify(full));
    expect(m.decodeApplication(m.encodeApplication(full))).toEqual(full);
  });

  it('accepts every member type and refuses others', async () => {
    const { m, valid, invalid } = await fresh();
    for (const type of m.MEMBER_TYPES) valid({ ...base, type });
    expect([...m.MEMBER_TYPES]).toEqual(['sex-worker', 'support-project', 'venue']);
    for (const type of ['', 'admin', 'Venue']) invalid({ ...base, type });
  });

  it('builds the schema once', async () => {
    const { m } = await fresh();
    expect(m.memberApplicationSchema()).toBe(m.memberApplicationSchema());
  });
});

describe('field limits', () => {
  it('schemaVersion is exactly 1 and no unknown key is accepted', async () => {
    const { invalid } = await fresh();
    for (const schemaVersion of [0, 2, '1']) invalid({ ...base, schemaVersion });
    invalid({ ...base, extra: 1 });
    const { workingName: _w, ...noName } = base;
    invalid(noName);
  });

  it('workingName: 1 to 80 characters, no control or bidirectional-override characters', async () => {
    const { valid, invalid } = await fresh();
    valid({ ...base, workingName: 'x' });
    valid({ ...base, workingName: 'x'.repeat(80) });
    invalid({ ...base, workingName: '' });
    invalid({ ...base, workingName: 'x'.repeat(81) });
    // Controls, lone surrogates, the Arabic letter mark, LRM/RLM, the bidi embeddings and
    // isolates, the line and paragraph separators: anywhere in the name.
    const unsafe = ['\t', '\n', '\u0000', '\u001f', '\u007f', '\u0085', '\u009f', '\ud800', '\udfff', '\u061c', '\u200e', '\u200f'];
    unsafe.push('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029');
    for (const c of unsafe) for (const n of [c, `Ro${c}sa`, `${c}Rosa`, `Rosa${c}`]) invalid({ ...base, workingName: n });
    // Their neighbours are ordinary characters (U+200D joins emoji; U+202F is a narrow space).
    for (const c of ['\u061b', '\u061d', '\u200d', '\u2027', '\u202f', '\u2065', '\u206a', '\u00a0', '\u00e9', '\ud83d\ude00']) valid({ ...base, workingName: `Ro${c}sa` });
  });

  it('regions: 1 to 100 distinct region ids', async () => {
    const { valid, invalid } = await fresh();
    const ids = Array.from({ length: 101 }, (_, i) => `r${i}`);
    valid({ ...base, regions: ids.slice(0, 100) });
    invalid({ ...base, regions: ids });
    invalid({ ...base, regions: [] });
    invalid({ ...base, regions: ['north', 'north'] });
    valid({ ...base, regions: ['a', 'b0-x', 'x'.repeat(32)] });
    for (const r of ['North', '-north', 'x'.repeat(33), '', 'no rth']) invalid({ ...base, regions: [r] });
  });

  it('email: an address of at most 254 characters', async () => {
    const { valid, invalid } = await fresh();
    valid({ ...base, email: 'a@b' });
    valid({ ...base, email: `${'a'.repeat(250)}@b.c` });
    invalid({ ...base, email: `${'a'.repeat(251)}@b.c` });
    for (const email of ['', 'ab', '@b', 'a@', 'a b@c', 'a@b@c', 'a@\u202eb', ' a@b', 'a@b ']) invalid({ ...base, email });
  });

  it('mobile: a phone number of at most 32 characters', async () => {
    const { valid, invalid } = await fresh();
    valid({ ...base, mobile: '07700900123' });
    valid({ ...base, mobile: '+44 (0) 7700-900123' });
    valid({ ...base, mobile: '01234' });
    valid({ ...base, mobile: '98765' });
    valid({ ...base, mobile: '+9 0-9(8)' });
    valid({ ...base, mobile: `+1${'2'.repeat(30)}` });
    invalid({ ...base, mobile: `+1${'2'.repeat(31)}` });
    for (const mobile of ['', '0123', '++447700900123', 'x07700900123', '07700900123x', '+ 7700900123', '07700\n900123', '/12345', ':12345', '0/1234', '01234:', '0123,4', '+(01234']) invalid({ ...base, mobile });
  });

  it('paused: a boolean', async () => {
    const { valid, invalid } = await fresh();
    valid({ ...base, paused: false });
    invalid({ ...base, paused: 'yes' });
  });

  it('the schema names each refusal (console/alerts.ts reads applications through it)', async () => {
    const { issues } = await fresh();
    expect(issues({ ...base, workingName: 'Ro\u202esa' })).toEqual([['workingName', 'control characters']]);
    expect(issues({ ...base, regions: ['north', 'north'] })).toEqual([['regions', 'duplicate region']]);
    expect(issues({ ...base, email: 'ab' })).toEqual([['email', 'not an email address']]);
    expect(issues({ ...base, mobile: '0123' })).toEqual([['mobile', 'not a phone number']]);
    expect(issues({ ...base, email: 'a@\u0000' })).toEqual([['email', 'control characters']]);
  });
});

describe('decoding', () => {
  it('refuses bad padding, invalid UTF-8 and non-JSON', async () => {
    const { m, refused } = await fresh();
    const enc = m.encodeApplication(base);
    refused(() => m.decodeApplication(enc.subarray(1)));
    const tampered = enc.slice();
    tampered[tampered.length - 1] = 1; // a non-zero filler byte
    refused(() => m.decodeApplication(tampered));
    refused(() => m.decodeApplication(pad(new Uint8Array([0x7b, 0xff, 0x7d]))));
    refused(() => m.decodeApplication(pad(bytes.utf8('{'))));
    refused(() => m.decodeApplication(pad(bytes.utf8('null'))));
  });
});
