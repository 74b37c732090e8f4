/**
 * Identifier normalisation (crypto/identifiers.ts): the rules identifiers.test.ts and the
 * private-check vectors leave open, each found by a mutant that survived them (npm run mutate,
 * tests/mutation/SURVIVORS.md): exact length bounds, what each pattern refuses, which free-text
 * fields are searched, the first spelling kept, and the exact keys a search or check gives.
 */
import { describe, expect, it } from 'vitest';
import {
  checkKey,
  extractIdentifiers,
  guessCheckKind,
  normalizeEmail,
  normalizeHandle,
  normalizePhone,
  normalizePlate,
  normalizeUrl,
  partialPlateMatches,
  queryKeys,
  type Report,
} from '../../crypto/index.js';

const base: Report = { schemaVersion: 1, incidentTypes: ['threats'], consent: { publishWarning: 'yes' } };
const keys = (r: Partial<Report>): string[] => extractIdentifiers({ ...base, ...r }).map((i) => i.key);

describe('normalisers', () => {
  it('phone: 6 to 17 digits, E.164 when placeable, else ? and the digits', () => {
    expect(normalizePhone('12345')).toBeUndefined();
    expect(normalizePhone('123456')).toBe('?123456');
    expect(normalizePhone('+1 2345 6789 0123 4567')).toBe('?12345678901234567');
    expect(normalizePhone('+1 2345 6789 0123 45678')).toBeUndefined();
    expect(normalizePhone('tel 07700 900123')).toBe('+447700900123');
    expect(normalizePhone('+40 (721) 234-567')).toBe('+40721234567');
  });

  it('email: mailto: only as a prefix, one @, a dot in the domain, no spaces', () => {
    expect(normalizeEmail('MAILTO:Dave@Example.org')).toBe('dave@example.org');
    expect(normalizeEmail('xmailto:dave@example.org')).toBe('xmailto:dave@example.org');
    expect(normalizeEmail('  a\u00a0@b.co')).toBeUndefined();
    for (const s of ['a b@c.de', '@b.co', 'a@b', 'a@@b.co', 'a@b.co x', 'x a@b.co', 'a@.co', 'a@b.', 'ab.co']) expect(normalizeEmail(s), s).toBeUndefined();
    expect(normalizeEmail('ａ@ｂ.ｃｏ')).toBe('a@b.co');
  });

  it('plate: letters and digits only, upper case, at least two', () => {
    expect(normalizePlate('ab-12 cd')).toBe('AB12CD');
    expect(normalizePlate('a1')).toBe('A1');
    expect(normalizePlate('-a-')).toBeUndefined();
    expect(normalizePlate('ｂ２')).toBe('B2');
  });

  it('url: scheme, www. or a path; a host with a dot and a lettered last label', () => {
    const cases: [string, string | undefined][] = [
      ['https://www.Example.com/ad/123/?x=1', 'example.com/ad/123'],
      ['HTTP://EXAMPLE.COM', 'example.com'],
      ['https://example.com', 'example.com'],
      ['www.example.com', 'example.com'],
      ['example.com/path', 'example.com/path'],
      ['example.com', undefined],
      ['foo.www.com', undefined],
      ['wwwexample.com', undefined],
      ['https://192.168.1.1/x', undefined],
      ['https://example.123/x', undefined],
      ['https://localhost/x', undefined],
      ['ftp://example.com/x', undefined],
      [' https://example.com/a// ', 'example.com/a'],
      ['https://example.com/a/b#f', 'example.com/a/b'],
      ['https://sub.example.co.uk/a b', 'sub.example.co.uk/a'],
      ['https://my-site.example.com/x_y', 'my-site.example.com/x_y'],
      ['https://example.com//a', 'example.com//a'],
      ['https://example.co1/x', 'example.co1/x'],
      ['example.com?u=https://x', undefined],
    ];
    for (const [s, want] of cases) expect(normalizeUrl(s), s).toBe(want);
  });

  it('handle: lower case, leading @s gone, inner spacing one space, at least two', () => {
    expect(normalizeHandle('@@Dave')).toBe('dave');
    expect(normalizeHandle('da@ve')).toBe('da@ve');
    expect(normalizeHandle('  Dave \t  X  ')).toBe('dave x');
    expect(normalizeHandle('@a')).toBeUndefined();
    expect(normalizeHandle('ab')).toBe('ab');
  });

  it('a partial plate matches from two characters', () => {
    expect(partialPlateMatches('AB', 'AB12CDE')).toBe(true);
    expect(partialPlateMatches('A', 'AB12CDE')).toBe(false);
    expect(partialPlateMatches('12C', 'AB12CDE')).toBe(true);
  });
});

describe('extractIdentifiers', () => {
  it('finds emails, urls and phone numbers in running text, and nothing inside other words or numbers', () => {
    const account =
      'mail (dave@example.org), <x.y@mail.example.co.uk>; "q@r.st" call 07700 900123 or +44 7700 900124, ' +
      'see https://example.com/a and www.b.example.org/z ref 907700900125 xhttps://c.example.com/q no@tld.x';
    expect(extractIdentifiers({ ...base, account })).toEqual([
      { kind: 'email', key: 'email:dave@example.org', raw: 'dave@example.org' },
      { kind: 'email', key: 'email:x.y@mail.example.co.uk', raw: 'x.y@mail.example.co.uk' },
      { kind: 'email', key: 'email:q@r.st', raw: 'q@r.st' },
      { kind: 'url', key: 'url:example.com/a', raw: 'https://example.com/a' },
      { kind: 'url', key: 'url:b.example.org/z', raw: 'www.b.example.org/z' },
      { kind: 'phone', key: 'phone:+447700900123', raw: '07700 900123' },
      { kind: 'phone', key: 'phone:+447700900124', raw: '+44 7700 900124' },
    ]);
  });

  it('phone runs: brackets, dots and dashes inside, 9 to 20 characters, not inside a longer number', () => {
    expect(keys({ account: 'ring (07700) 900.123 now' })).toEqual(['phone:+447700900123']);
    expect(keys({ account: 'ring 07700-900-123.' })).toEqual(['phone:+447700900123']);
    expect(keys({ account: 'code 0123456 only' })).toEqual([]);
    expect(keys({ account: 'x 077009001231234567890 y' })).toEqual([]);
    expect(keys({ account: 'id 1+447700900123' })).toEqual([]);
    // a run stops before a digit: the longest run ending before a separator is taken
    expect(keys({ account: 'n 07700 900 123 45678901 y' })).toEqual(['phone:+447700900123']);
  });

  it('searches the account, marks, clothing and the other incident text', () => {
    expect(keys({ offender: { marks: 'tattoo says www.a.example.com/x' } })).toEqual(['url:a.example.com/x']);
    expect(keys({ offender: { clothing: 'shirt from b@shop.example' } })).toEqual(['email:b@shop.example']);
    expect(keys({ incidentOther: 'called from 07700 900123' })).toEqual(['phone:+447700900123']);
    expect(keys({ area: 'near 07700 900123', contactMethod: 'other', offender: { hair: 'a@b.co' } })).toEqual([]);
  });

  it('keeps the first spelling of a key, and skips what does not normalise', () => {
    const ids = extractIdentifiers({ ...base, identifiers: { phones: ['07700 900123', '+44 7700 900123', '12345'], emails: ['Not An  Email '] } });
    expect(ids).toEqual([
      { kind: 'phone', key: 'phone:+447700900123', raw: '07700 900123' },
      { kind: 'email', key: 'email:not an email', raw: 'Not An  Email ' },
    ]);
  });

  it('usernames: a URL is a url; "name on site" also gives the name alone', () => {
    expect(keys({ identifiers: { usernames: ['https://example.com/u/dave'] } })).toEqual(['url:example.com/u/dave']);
    expect(keys({ identifiers: { usernames: ['  @Dave_x AT AdultWork '] } })).toEqual(['handle:dave_x at adultwork', 'handle:dave_x']);
    expect(keys({ identifiers: { usernames: ['dave_x @ site'] } })).toEqual(['handle:dave_x @ site', 'handle:dave_x']);
    expect(keys({ identifiers: { usernames: ['dave_x onion'] } })).toEqual(['handle:dave_x onion']);
    expect(keys({ identifiers: { usernames: ['dave_x on'] } })).toEqual(['handle:dave_x on']);
    expect(keys({ identifiers: { usernames: ['x on site'] } })).toEqual(['handle:x on site']);
    expect(keys({ identifiers: { usernames: ['ab cd on site'] } })).toEqual(['handle:ab cd on site']);
    expect(keys({ identifiers: { usernames: ['dave_x  on \tsite'] } })).toEqual(['handle:dave_x on site', 'handle:dave_x']);
  });

  it('plate, partial plate, contact detail and name', () => {
    expect(extractIdentifiers({ ...base, vehicle: { plate: 'ab12 cde' } })).toEqual([{ kind: 'plate', key: 'plate:AB12CDE', raw: 'ab12 cde' }]);
    expect(keys({ vehicle: { plate: 'ab12', plateIsPartial: false } })).toEqual(['plate:AB12']);
    expect(keys({ vehicle: { plate: 'ab12', plateIsPartial: true } })).toEqual(['plate-part:AB12']);
    expect(keys({ vehicle: { make: 'Ford' } })).toEqual([]);
    expect(extractIdentifiers({ ...base, contactDetail: 'www.Example.com' })).toEqual([{ kind: 'url', key: 'url:example.com', raw: 'www.Example.com' }]);
    expect(extractIdentifiers({ ...base, contactDetail: 'Adult Work' })).toEqual([{ kind: 'site', key: 'site:adult work', raw: 'Adult Work' }]);
    expect(extractIdentifiers({ ...base, offender: { nameGiven: 'Dave' } })).toEqual([{ kind: 'name', key: 'name:dave', raw: 'Dave' }]);
    expect(keys({ offender: { nameGiven: 'D' } })).toEqual([]);
  });
});

describe('queryKeys', () => {
  it('gives exactly the keys an entry could mean', () => {
    expect(queryKeys(' 07700 900123 ')).toEqual(['phone:+447700900123', 'handle:07700 900123', 'name:07700 900123', 'site:07700 900123']);
    expect(queryKeys('12345')).toEqual(['handle:12345', 'name:12345', 'site:12345']);
    expect(queryKeys('123-45')).toEqual(['handle:123-45', 'name:123-45', 'site:123-45']);
    expect(queryKeys('a 123456')).toEqual(['plate:A123456', 'plate-part:A123456', 'handle:a 123456', 'name:a 123456', 'site:a 123456']);
    expect(queryKeys('123456 a')).toEqual(['plate:123456A', 'plate-part:123456A', 'handle:123456 a', 'name:123456 a', 'site:123456 a']);
    expect(queryKeys('AB12CDE')).toEqual(['plate:AB12CDE', 'plate-part:AB12CDE', 'handle:ab12cde', 'name:ab12cde', 'site:ab12cde']);
    expect(queryKeys('ABCDEF')).toEqual(['handle:abcdef', 'name:abcdef', 'site:abcdef']);
    expect(queryKeys('AB12CDE9')).toContain('plate:AB12CDE9');
    expect(queryKeys('AB12CDE99')).toEqual(['handle:ab12cde99', 'name:ab12cde99', 'site:ab12cde99']);
    expect(queryKeys('a@b.co')).toEqual(['email:a@b.co', 'handle:a@b.co', 'name:a@b.co', 'site:a@b.co']);
    expect(queryKeys('https://example.com/x')[0]).toBe('url:example.com/x');
    expect(queryKeys('x')).toEqual([]);
    expect(queryKeys('')).toEqual([]);
  });
});

describe('private check keys', () => {
  it('phone only from a number-only entry', () => {
    expect(checkKey('phone', ' ０７７００ ９００１２３ ')).toBe('phone:+447700900123');
    expect(checkKey('phone', '+44 (7700) 900-123.')).toBe('phone:+447700900123');
    expect(checkKey('phone', 'call 07700 900123')).toBeUndefined();
    expect(checkKey('phone', '07700 900123 x')).toBeUndefined();
    expect(checkKey('phone', '12345')).toBeUndefined();
  });

  it('each kind its own normaliser, at most 200 characters', () => {
    expect(checkKey('plate', 'ab 12')).toBe('plate:AB12');
    expect(checkKey('username', '@ab 12')).toBe('username:ab 12');
    expect(checkKey('email', 'ab 12')).toBeUndefined();
    expect(checkKey('username', 'a'.repeat(200))).toBe(`username:${'a'.repeat(200)}`);
    expect(checkKey('username', 'a'.repeat(201))).toBeUndefined();
    expect(checkKey('username', 'a')).toBeUndefined();
  });

  it('guesses email, phone, plate, else username', () => {
    const cases: [string, string][] = [
      ['@dave', 'username'],
      ['a@b', 'username'],
      [' a@b.co ', 'email'],
      ['123456', 'phone'],
      ['+44 (7700) 900-123', 'phone'],
      ['12345', 'username'],
      ['x123456', 'plate'],
      ['123456x', 'plate'],
      ['AB-12 cd', 'plate'],
      ['A1', 'plate'],
      ['ab1', 'plate'],
      ['ABCDEFG1', 'plate'],
      ['ABCDEFGH1', 'username'],
      ['ABCDEF', 'username'],
      ['AB_12', 'username'],
      ['x', 'username'],
    ];
    for (const [s, want] of cases) expect(guessCheckKind(s), s).toBe(want);
  });
});
