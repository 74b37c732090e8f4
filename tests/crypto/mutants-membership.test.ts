/**
 * Member applications (crypto/membership.ts, SPEC.md §Member applications) on the node side:
 * the exact padded bytes of an application, every field's limits at the boundary, and
 * refusal of anything the console should not read. Until now only the browser suite reached
 * this module, so a mutant of it survived every node suite (npm run mutate,
 * tests/mutation/SURVIVORS.md).
 */
import { describe, expect, it } from 'vitest';
import {
  DocumentError,
  MEMBER_TYPES,
  bytes,
  decodeApplication,
  encodeApplication,
  memberApplicationSchema,
  pad,
  unpad,
  type MemberApplication,
} from '../../crypto/index.js';

const base: MemberApplication = { schemaVersion: 1, type: 'sex-worker', workingName: 'Rosa', regions: ['north'] };

function refused(f: () => unknown): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DocumentError);
  expect((err as Error).message).toBe('invalid application');
}

/** Encoding refuses it, and a forged plaintext of the same JSON is refused on decoding. */
function invalid(a: unknown): void {
  refused(() => encodeApplication(a as MemberApplication));
  refused(() => decodeApplication(pad(bytes.utf8(JSON.stringify(a)))));
}

function valid(a: MemberApplication): void {
  const enc = encodeApplication(a);
  expect(decodeApplication(enc)).toEqual(a);
}

describe('encoding', () => {
  it('is pad(utf8(JSON)) of the parsed application, byte for byte', () => {
    const enc = encodeApplication(base);
    expect(bytes.fromUtf8(unpad(enc))).toBe('{"schemaVersion":1,"type":"sex-worker","workingName":"Rosa","regions":["north"]}');
    expect(enc.length).toBe(pad(bytes.utf8(JSON.stringify(base))).length);
    const full: MemberApplication = { ...base, email: 'a@b', mobile: '+44 7700 900123', paused: true };
    expect(bytes.fromUtf8(unpad(encodeApplication(full)))).toBe(JSON.stringify(full));
    expect(decodeApplication(encodeApplication(full))).toEqual(full);
  });

  it('accepts every member type and refuses others', () => {
    for (const type of MEMBER_TYPES) valid({ ...base, type });
    expect([...MEMBER_TYPES]).toEqual(['sex-worker', 'support-project', 'venue']);
    for (const type of ['', 'admin', 'Venue']) invalid({ ...base, type });
  });

  it('builds the schema once', () => {
    expect(memberApplicationSchema()).toBe(memberApplicationSchema());
  });
});

describe('field limits', () => {
  it('schemaVersion is exactly 1 and no unknown key is accepted', () => {
    for (const schemaVersion of [0, 2, '1']) invalid({ ...base, schemaVersion });
    invalid({ ...base, extra: 1 });
    const { workingName: _w, ...noName } = base;
    invalid(noName);
  });

  it('workingName: 1 to 80 characters, no control or bidirectional-override characters', () => {
    valid({ ...base, workingName: 'x' });
    valid({ ...base, workingName: 'x'.repeat(80) });
    invalid({ ...base, workingName: '' });
    invalid({ ...base, workingName: 'x'.repeat(81) });
    for (const c of ['\n', '\u0000', '\u202e', '\u2066', '\u200f', '\u2028', '\ud800']) invalid({ ...base, workingName: `Ro${c}sa` });
  });

  it('regions: 1 to 100 distinct region ids', () => {
    const ids = Array.from({ length: 101 }, (_, i) => `r${i}`);
    valid({ ...base, regions: ids.slice(0, 100) });
    invalid({ ...base, regions: ids });
    invalid({ ...base, regions: [] });
    invalid({ ...base, regions: ['north', 'north'] });
    valid({ ...base, regions: ['a', 'b0-x', 'x'.repeat(32)] });
    for (const r of ['North', '-north', 'x'.repeat(33), '', 'no rth']) invalid({ ...base, regions: [r] });
  });

  it('email: an address of at most 254 characters', () => {
    valid({ ...base, email: 'a@b' });
    valid({ ...base, email: `${'a'.repeat(250)}@b.c` });
    invalid({ ...base, email: `${'a'.repeat(251)}@b.c` });
    for (const email of ['', 'ab', '@b', 'a@', 'a b@c', 'a@b@c', 'a@\u202eb', ' a@b', 'a@b ']) invalid({ ...base, email });
  });

  it('mobile: a phone number of at most 32 characters', () => {
    valid({ ...base, mobile: '07700900123' });
    valid({ ...base, mobile: '+44 (0) 7700-900123' });
    valid({ ...base, mobile: '01234' });
    valid({ ...base, mobile: `+1${'2'.repeat(30)}` });
    invalid({ ...base, mobile: `+1${'2'.repeat(31)}` });
    for (const mobile of ['', '0123', '++447700900123', 'x07700900123', '07700900123x', '+ 7700900123', '07700\n900123']) invalid({ ...base, mobile });
  });

  it('paused: a boolean', () => {
    valid({ ...base, paused: false });
    invalid({ ...base, paused: 'yes' });
  });
});

describe('decoding', () => {
  it('refuses bad padding, invalid UTF-8 and non-JSON', () => {
    const enc = encodeApplication(base);
    refused(() => decodeApplication(enc.subarray(1)));
    const tampered = enc.slice();
    tampered[tampered.length - 1] = 1; // a non-zero filler byte
    refused(() => decodeApplication(tampered));
    refused(() => decodeApplication(pad(new Uint8Array([0x7b, 0xff, 0x7d]))));
    refused(() => decodeApplication(pad(bytes.utf8('{'))));
    refused(() => decodeApplication(pad(bytes.utf8('null'))));
  });
});
