/**
 * The organisation profile (crypto/profile.ts, SPEC.md §Organisation profile) rule by rule:
 * every field's limits at the boundary, each pattern's edges, the exact detail of each
 * refusal, the exact payload bytes, who may sign, how a reader's language picks a
 * translation. Written to kill the mutants StrykerJS found surviving the vector suites
 * (`npm run mutate -- crypto/profile.ts`, tests/mutation/SURVIVORS.md).
 *
 * The schema is built once per loaded module (`built ??= build()`), so each test loads the
 * module afresh: its checks are then built, and judged, in that test.
 */
import { describe, expect, it, vi } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Keyring, Profile, SignedEnvelope } from '../../crypto/index.js';

type ProfileModule = typeof import('../../crypto/profile.js');

async function fresh(): Promise<ProfileModule> {
  vi.resetModules();
  await import('../../crypto/noble.js');
  return import('../../crypto/profile.js');
}

const seed = new Uint8Array(32).fill(7);
const root = ed25519.getPublicKey(seed);
const adminSeed = new Uint8Array(32).fill(9);
const adminKey = ed25519.getPublicKey(adminSeed);
const otherSeed = new Uint8Array(32).fill(11);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

const base: Profile = {
  version: 1,
  issued: '2026-01-01',
  name: 'Test Scheme',
  regions: [{ id: 'north', name: 'North' }],
  contacts: [{ kind: 'emergency', name: 'Emergency services', phone: '999' }],
  nextSteps: 'A coordinator reads every report.',
  languages: ['en'],
};
const emergency = base.contacts[0]!;

/** The detail of the ProfileError that signing `p` throws ('' when it signs). */
function detailOf(m: ProfileModule, p: unknown): string {
  try {
    m.signProfile(p as Profile, seed);
  } catch (e) {
    expect(e).toBeInstanceOf(m.ProfileError);
    expect((e as Error).message).toBe('invalid profile');
    return (e as InstanceType<ProfileModule['ProfileError']>).detail;
  }
  return '';
}

/** Signs, verifies and gives back exactly the profile. */
function roundTrips(m: ProfileModule, p: Profile): void {
  expect(detailOf(m, p), JSON.stringify(p).slice(0, 120)).toBe('');
  expect(m.verifyProfile(m.signProfile(p, seed), root)).toEqual(p);
}

const withContact = (c: Record<string, unknown>) => ({ ...base, contacts: [emergency, { kind: 'support', name: 'Line', ...c }] });

describe('texts', () => {
  it('each text field: length from 1 to its maximum, no white space around, no control or bidi characters', async () => {
    const m = await fresh();
    const fields: [string, number, (s: string) => unknown][] = [
      ['name', 100, (s) => ({ ...base, name: s })],
      ['regions.0.name', 80, (s) => ({ ...base, regions: [{ id: 'north', name: s }] })],
      ['contacts.0.name', 100, (s) => ({ ...base, contacts: [{ ...emergency, name: s }] })],
      ['contacts.0.hours', 100, (s) => ({ ...base, contacts: [{ ...emergency, hours: s }] })],
      ['contacts.0.note', 300, (s) => ({ ...base, contacts: [{ ...emergency, note: s }] })],
      ['nextSteps', 2000, (s) => ({ ...base, nextSteps: s })],
      ['translations.0.nextSteps', 2000, (s) => ({ ...base, translations: [{ lang: 'ro', nextSteps: s }] })],
      ['translations.0.contacts.0.name', 100, (s) => ({ ...base, translations: [{ lang: 'ro', contacts: [{ name: s }] }] })],
      ['translations.0.contacts.0.hours', 100, (s) => ({ ...base, contacts: [{ ...emergency, hours: 'h' }], translations: [{ lang: 'ro', contacts: [{ hours: s }] }] })],
      ['translations.0.contacts.0.note', 300, (s) => ({ ...base, contacts: [{ ...emergency, note: 'n' }], translations: [{ lang: 'ro', contacts: [{ note: s }] }] })],
    ];
    for (const [path, max, make] of fields) {
      // Code points, not UTF-16 units: an emoji counts once.
      expect(detailOf(m, make('😀'.repeat(max))), path).toBe('');
      expect(detailOf(m, make('x'.repeat(max + 1)))).toBe(`${path}: Too big: expected string to have <=${max} characters`);
      expect(detailOf(m, make(''))).toBe(`${path}: Too small: expected string to have >=1 characters`);
      expect(detailOf(m, make('a'))).toBe('');
      for (const s of [' a', 'a ', '\ta', 'a\n']) expect(detailOf(m, make(s)), `${path} ${JSON.stringify(s)}`).toBe(`${path}: leading or trailing white space`);
      for (const s of ['a\u202eb', 'a\u0000b', 'a\u007fb', 'a\u2066b', 'a\ud800b']) {
        expect(detailOf(m, make(s)), `${path} ${JSON.stringify(s)}`).toBe(`${path}: control, bidirectional-override or unpaired surrogate characters`);
      }
    }
  });

  it('line breaks and tabs only in the next steps (the default and translated ones)', async () => {
    const m = await fresh();
    roundTrips(m, { ...base, nextSteps: 'First:\n\tcall.\nThen wait.' });
    roundTrips(m, { ...base, translations: [{ lang: 'ro', nextSteps: 'Întâi:\n\tsunați.' }] });
    expect(detailOf(m, { ...base, nextSteps: 'a\rb' })).toBe('nextSteps: control, bidirectional-override or unpaired surrogate characters');
    expect(detailOf(m, { ...base, nextSteps: 'a\u0085b' })).toBe('nextSteps: control, bidirectional-override or unpaired surrogate characters');
    expect(detailOf(m, { ...base, name: 'a\nb' })).toBe('name: control, bidirectional-override or unpaired surrogate characters');
    expect(detailOf(m, { ...base, contacts: [{ ...emergency, note: 'a\tb' }] })).toBe('contacts.0.note: control, bidirectional-override or unpaired surrogate characters');
    expect(detailOf(m, { ...base, translations: [{ lang: 'ro', contacts: [{ name: 'a\nb' }] }] })).toBe('translations.0.contacts.0.name: control, bidirectional-override or unpaired surrogate characters');
  });
});

describe('header fields', () => {
  it('version: a whole number from 1 to 2^53 - 1', async () => {
    const m = await fresh();
    roundTrips(m, { ...base, version: 1 });
    roundTrips(m, { ...base, version: Number.MAX_SAFE_INTEGER });
    expect(detailOf(m, { ...base, version: 0 })).toBe('version: Too small: expected number to be >=1');
    expect(detailOf(m, { ...base, version: 1.5 })).toBe('version: Invalid input: expected int, received number');
    expect(detailOf(m, { ...base, version: Number.MAX_SAFE_INTEGER + 1 })).toBe('version: Too big: expected int to be <=9007199254740991');
    expect(detailOf(m, { ...base, version: '1' })).toBe('version: Invalid input: expected number, received string');
  });

  it('issued: a real YYYY-MM-DD day', async () => {
    const m = await fresh();
    roundTrips(m, { ...base, issued: '2024-02-29' });
    for (const issued of ['2026-02-29', '2026-1-01', '01-01-2026', '2026-01-01T00:00:00Z']) {
      expect(detailOf(m, { ...base, issued }), issued).toBe('issued: not a YYYY-MM-DD date');
    }
  });

  it('not an object, or an unknown member: the detail has no path prefix', async () => {
    const m = await fresh();
    expect(detailOf(m, null)).toBe('Invalid input: expected object, received null');
    expect(detailOf(m, { ...base, logo: 'x' })).toBe('Unrecognized key: "logo"');
    expect(detailOf(m, { ...base, regions: [{ id: 'north', name: 'North', x: 1 }] })).toBe('regions.0: Unrecognized key: "x"');
  });
});

describe('regions and languages', () => {
  it('regions: 1 to 100, ids lower-case ASCII and unique', async () => {
    const m = await fresh();
    const regions = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, name: `R${i}` }));
    roundTrips(m, { ...base, regions: regions(100) });
    expect(detailOf(m, { ...base, regions: regions(101) })).toBe('regions: Too big: expected array to have <=100 items');
    expect(detailOf(m, { ...base, regions: [] })).toBe('regions: Too small: expected array to have >=1 items');
    roundTrips(m, { ...base, regions: [{ id: '0-a', name: 'Zero' }, { id: 'a'.repeat(32), name: 'Long' }] });
    for (const id of ['North', '-a', 'a'.repeat(33), 'a_b', '']) {
      expect(detailOf(m, { ...base, regions: [{ id, name: 'X' }] }), id).toBe('regions.0.id: region id must be 1-32 of a-z 0-9 - starting with a letter or digit');
    }
    const dup = [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }, { id: 'a', name: 'A again' }];
    expect(detailOf(m, { ...base, regions: dup })).toBe('regions.2.id: duplicate region id');
  });

  it('languages: 1 to 20 unique lower-case subtags of 2 or 3 letters', async () => {
    const m = await fresh();
    const langs = (n: number) => Array.from({ length: n }, (_, i) => `l${String.fromCharCode(97 + i)}`);
    roundTrips(m, { ...base, languages: langs(20) });
    roundTrips(m, { ...base, languages: ['en', 'ron'] });
    expect(detailOf(m, { ...base, languages: langs(21) })).toBe('languages: Too big: expected array to have <=20 items');
    expect(detailOf(m, { ...base, languages: [] })).toBe('languages: Too small: expected array to have >=1 items');
    for (const l of ['e', 'engl', 'EN', 'en-GB', 'e1', 'xen ', ' en']) {
      expect(detailOf(m, { ...base, languages: ['en', l] }), l).toBe('languages.1: language must be a 2-3 letter lower-case subtag');
    }
    expect(detailOf(m, { ...base, languages: ['en', 'ro', 'en'] })).toBe('languages: duplicate language');
  });
});

describe('contacts', () => {
  it('1 to 20, at least one of them an emergency contact, of the three kinds', async () => {
    const m = await fresh();
    const support = { kind: 'support' as const, name: 'Line', phone: '0800 000 000' };
    roundTrips(m, { ...base, contacts: [emergency, ...Array.from({ length: 19 }, () => support)] });
    roundTrips(m, { ...base, contacts: [{ ...support, kind: 'scheme' }, support, emergency] });
    expect(detailOf(m, { ...base, contacts: [emergency, ...Array.from({ length: 20 }, () => support)] })).toBe('contacts: Too big: expected array to have <=20 items');
    expect(detailOf(m, { ...base, contacts: [] })).toBe('contacts: Too small: expected array to have >=1 items');
    expect(detailOf(m, { ...base, contacts: [support, { ...support, kind: 'scheme' }] })).toBe('contacts: at least one emergency contact is required');
    expect(detailOf(m, { ...base, contacts: [{ ...emergency, kind: 'police' }] })).toBe('contacts.0.kind: Invalid option: expected one of "emergency"|"support"|"scheme"');
  });

  it('each needs a phone, an email or a url; any one of them is enough', async () => {
    const m = await fresh();
    roundTrips(m, withContact({ phone: '12' }) as Profile);
    roundTrips(m, withContact({ email: 'a@b.cd' }) as Profile);
    roundTrips(m, withContact({ url: 'https://example.org' }) as Profile);
    expect(detailOf(m, withContact({ hours: 'always' }))).toBe('contacts.1: a contact needs a phone, email or url');
  });

  it('phone: digits and spaces, 2 to 31 characters, one optional leading +', async () => {
    const m = await fresh();
    for (const phone of ['12', '+44 20 7946 0000', '9'.repeat(31), '+1' + ' '.repeat(29) + '2', '0 ']) roundTrips(m, withContact({ phone }) as Profile);
    for (const phone of ['1', '9'.repeat(32), '+', '+ 12', ' 12', '12a', 'a12', '1-2', '++12', '12\n', '', '1+2']) {
      expect(detailOf(m, withContact({ phone })), JSON.stringify(phone)).toBe('contacts.1.phone: phone: digits and spaces, optional leading +');
    }
  });

  it('email: at most 254 characters, one @, a dot after it, none of white space < > "', async () => {
    const m = await fresh();
    const long = 'a'.repeat(248) + '@b.cde';
    expect(long.length).toBe(254);
    for (const email of ['a@b.cd', 'first.last+tag@mail.example.org', long]) roundTrips(m, withContact({ email }) as Profile);
    expect(detailOf(m, withContact({ email: 'a' + long }))).toBe('contacts.1.email: Too big: expected string to have <=254 characters');
    for (const email of ['ab.cd', 'a@bcd', '@b.cd', 'a@.cd', 'a@b.', 'a b@c.de', 'x y@c.de', 'a@b.c d', 'a@b.cd ', 'a@@b.cd', 'a@b@c.de', '<a@b.cd', 'a@b.cd>', '"a"@b.cd', 'a@b"c.de', 'a@b.c"d', 'a@b\n.cd', '']) {
      expect(detailOf(m, withContact({ email })), JSON.stringify(email)).toBe('contacts.1.email: not an email address');
    }
  });

  it('url: https only, at most 200 characters, host, optional port of 1 to 5 digits, a path of URL characters', async () => {
    const m = await fresh();
    const long = 'https://example.org/' + 'p'.repeat(180);
    expect(long.length).toBe(200);
    for (const url of ['https://a', 'https://example.org', 'https://Sub.Example-1.org:8443', 'https://x.org:1/', "https://x.org/a_b.c~d!$&'()*+,;=:@%20/?q=1#frag-2", long]) {
      roundTrips(m, withContact({ url }) as Profile);
    }
    expect(detailOf(m, withContact({ url: long + 'p' }))).toBe('contacts.1.url: Too big: expected string to have <=200 characters');
    for (const url of ['http://example.org', 'https://', 'https:/example.org', 'HTTPS://example.org', 'xhttps://example.org', ' https://example.org', 'https://example.org ', 'https://exa mple.org', 'https://ex_ample.org', 'https://x.org:', 'https://x.org:123456', 'https://x.org:8a', 'https://x.org/a b', 'https://x.org/<script>', 'https://x.org/"', 'https://x.org?q', 'javascript:alert(1)', 'https://x.org/\\']) {
      expect(detailOf(m, withContact({ url })), url).toBe('contacts.1.url: url must be https');
    }
  });
});

describe('translations', () => {
  const two: Profile = {
    ...base,
    contacts: [
      { ...emergency, note: 'or 112' },
      { kind: 'support', name: 'Line', phone: '0800', hours: 'Mon-Fri' },
    ],
  };

  it('language tags: primary subtag, optional script, optional region, in their usual case', async () => {
    const m = await fresh();
    for (const lang of ['ro', 'ron', 'pt-BR', 'zh-Hans', 'zh-Hans-CN', 'sr-Latn-RS']) roundTrips(m, { ...base, translations: [{ lang, nextSteps: 'x' }] });
    for (const lang of ['r', 'roma', 'RO', 'pt-br', 'pt-B', 'pt-BRA', 'zh-hans', 'zh-HANS', 'zh-CN-Hans', 'pt_BR', ' ro', 'ro ', 'Xro', '1ro', 'pt-BR-', '']) {
      expect(detailOf(m, { ...base, translations: [{ lang, nextSteps: 'x' }] }), lang).toBe('translations.0.lang: translation language must be a tag such as ro, pt-BR or zh-CN');
    }
  });

  it('1 to 20 translations, each language once, each with next steps or contacts', async () => {
    const m = await fresh();
    const list = (n: number) => Array.from({ length: n }, (_, i) => ({ lang: `l${String.fromCharCode(97 + i)}`, nextSteps: 'x' }));
    roundTrips(m, { ...base, translations: list(20) });
    expect(detailOf(m, { ...base, translations: list(21) })).toBe('translations: Too big: expected array to have <=20 items');
    expect(detailOf(m, { ...base, translations: [] })).toBe('translations: Too small: expected array to have >=1 items');
    roundTrips(m, { ...base, translations: [{ lang: 'ro', nextSteps: 'x' }] });
    roundTrips(m, { ...base, translations: [{ lang: 'ro', contacts: [{ name: 'Urgență' }] }] });
    expect(detailOf(m, { ...base, translations: [{ lang: 'pl', nextSteps: 'x' }, { lang: 'ro' }] })).toBe('translations.1: a translation needs nextSteps or contacts');
    const dup = [{ lang: 'ro', nextSteps: 'a' }, { lang: 'pt-BR', nextSteps: 'b' }, { lang: 'pt-BR', nextSteps: 'c' }];
    expect(detailOf(m, { ...base, translations: dup })).toBe('translations.2.lang: duplicate translation language');
    // Tags that share a primary subtag are different languages here.
    roundTrips(m, { ...base, translations: [{ lang: 'pt', nextSteps: 'a' }, { lang: 'pt-BR', nextSteps: 'b' }, { lang: 'pt-PT', nextSteps: 'c' }] });
    expect(detailOf(m, { ...base, translations: [{ lang: 'ro', nextSteps: 'x', name: 'Schema' }] })).toBe('translations.0: Unrecognized key: "name"');
  });

  it('contact texts: 1 to as many as there are contacts, only name, hours and note, only texts the contact has', async () => {
    const m = await fresh();
    roundTrips(m, { ...two, translations: [{ lang: 'ro', contacts: [{ name: 'Urgență', note: 'sau 112' }, { name: 'Linie', hours: 'Lun-Vin' }] }] });
    roundTrips(m, { ...two, translations: [{ lang: 'ro', contacts: [{}] }] });
    expect(detailOf(m, { ...two, translations: [{ lang: 'ro', contacts: [] }] })).toBe('translations.0.contacts: Too small: expected array to have >=1 items');
    expect(detailOf(m, { ...two, translations: [{ lang: 'ro', contacts: [{}, {}, {}] }] })).toBe('translations.0.contacts: more contact translations than contacts');
    // The extra entry's texts are not compared with a contact that does not exist.
    expect(detailOf(m, { ...two, translations: [{ lang: 'ro', contacts: [{}, {}, { hours: 'h', note: 'n' }] }] })).toBe('translations.0.contacts: more contact translations than contacts');
    const many = Array.from({ length: 21 }, () => ({}));
    const contacts = Array.from({ length: 20 }, () => emergency);
    expect(detailOf(m, { ...base, contacts, translations: [{ lang: 'ro', contacts: many.slice(0, 20) }] })).toBe('');
    expect(detailOf(m, { ...base, contacts, translations: [{ lang: 'ro', contacts: many }] })).toBe('translations.0.contacts: Too big: expected array to have <=20 items');
    expect(detailOf(m, { ...two, translations: [{ lang: 'ro', contacts: [{ hours: 'non-stop' }] }] })).toBe('translations.0.contacts.0.hours: translates a hours the contact does not have');
    expect(detailOf(m, { ...two, translations: [{ lang: 'ro', contacts: [{}, { note: 'notă' }] }] })).toBe('translations.0.contacts.1.note: translates a note the contact does not have');
    for (const [k, v] of [['phone', '112'], ['email', 'a@b.cd'], ['url', 'https://x.org'], ['kind', 'support']]) {
      expect(detailOf(m, { ...two, translations: [{ lang: 'ro', contacts: [{ [k!]: v }] }] })).toBe(`translations.0.contacts.0: Unrecognized key: "${k}"`);
    }
  });
});

describe('encodeProfile', () => {
  it('gives the fixed key order, leaves out absent members and drops unknown ones', async () => {
    const m = await fresh();
    const messy = {
      languages: ['en', 'ro'],
      nextSteps: 'Next.',
      extra: 'dropped',
      contacts: [
        { note: 'N', hours: 'H', url: 'https://x.org', email: 'a@b.cd', phone: '999', name: 'E', kind: 'emergency', fax: '1' },
        { name: 'S', kind: 'support', phone: undefined, email: 'c@d.ef' },
      ],
      regions: [{ name: 'North', id: 'north', extra: 1 }],
      name: 'Scheme',
      issued: '2026-01-01',
      version: 3,
      translations: [
        { contacts: [{ note: 'n', hours: 'h', name: 'e', phone: '1' }, {}], nextSteps: 'Pași.', lang: 'ro', x: 1 },
        { lang: 'pl', nextSteps: 'Kroki.' },
        { lang: 'bg', contacts: [{ hours: 'ч' }] },
      ],
    } as unknown as Profile;
    expect(Buffer.from(m.encodeProfile(messy)).toString()).toBe(
      '{"version":3,"issued":"2026-01-01","name":"Scheme","regions":[{"id":"north","name":"North"}],' +
        '"contacts":[{"kind":"emergency","name":"E","phone":"999","email":"a@b.cd","url":"https://x.org","hours":"H","note":"N"},{"kind":"support","name":"S","email":"c@d.ef"}],' +
        '"nextSteps":"Next.","languages":["en","ro"],' +
        '"translations":[{"lang":"ro","nextSteps":"Pași.","contacts":[{"name":"e","hours":"h","note":"n"},{}]},{"lang":"pl","nextSteps":"Kroki."},{"lang":"bg","contacts":[{"hours":"ч"}]}]}',
    );
    expect(Buffer.from(m.encodeProfile(base)).toString()).toBe(
      '{"version":1,"issued":"2026-01-01","name":"Test Scheme","regions":[{"id":"north","name":"North"}],"contacts":[{"kind":"emergency","name":"Emergency services","phone":"999"}],"nextSteps":"A coordinator reads every report.","languages":["en"]}',
    );
  });

  it('is what signProfile signs, under the profile label', async () => {
    const m = await fresh();
    const env = m.signProfile(base, seed);
    expect(env.kind).toBe('profile');
    expect(env.signer).toBe(b64(root));
    expect(Buffer.from(env.payload, 'base64')).toEqual(Buffer.from(m.encodeProfile(base)));
  });
});

describe('localizeProfile', () => {
  const p: Profile = {
    ...base,
    contacts: [
      { ...emergency, note: 'or 112' },
      { kind: 'support', name: 'Line', phone: '0800', hours: 'Mon-Fri' },
    ],
    translations: [
      { lang: 'pt-PT', nextSteps: 'PT', contacts: [{ note: 'ou 112 (PT)' }] },
      { lang: 'pt-BR', nextSteps: 'BR', contacts: [{ name: 'Emergência', note: 'ou 112 (BR)' }, { hours: 'Seg-Sex' }] },
      { lang: 'pl', nextSteps: 'Kroki.' },
      { lang: 'zh-Hans', contacts: [{}, { name: '热线' }] },
    ],
  };

  it('the exact tag first, then the first with the same primary subtag, without case', async () => {
    const m = await fresh();
    expect(localizedSteps(m, 'pt-BR')).toBe('BR');
    expect(localizedSteps(m, 'PT-br')).toBe('BR');
    expect(localizedSteps(m, 'pt-PT')).toBe('PT');
    expect(localizedSteps(m, 'pt')).toBe('PT');
    expect(localizedSteps(m, 'PT')).toBe('PT');
    expect(localizedSteps(m, 'pt-AO')).toBe('PT');
    expect(localizedSteps(m, 'PL-pl')).toBe('Kroki.');
    // No translation shares the primary subtag: the profile itself, unchanged.
    for (const lang of ['en', 'p', 'pa', 'ptx', 'ro', 'z', '']) expect(m.localizeProfile(p, lang), lang).toBe(p);
  });

  it('replaces only the texts the translation gives, keeps everything else as signed', async () => {
    const m = await fresh();
    const br = m.localizeProfile(p, 'pt-BR');
    expect(br).toEqual({
      ...p,
      nextSteps: 'BR',
      contacts: [
        { ...emergency, name: 'Emergência', note: 'ou 112 (BR)' },
        { kind: 'support', name: 'Line', phone: '0800', hours: 'Seg-Sex' },
      ],
    });
    const pl = m.localizeProfile(p, 'pl');
    expect(pl).toEqual({ ...p, nextSteps: 'Kroki.' });
    const zh = m.localizeProfile(p, 'zh-Hans-CN');
    expect(zh).toEqual({ ...p, contacts: [p.contacts[0], { ...p.contacts[1], name: '热线' }] });
    // The profile passed in is not changed.
    expect(p.nextSteps).toBe(base.nextSteps);
    expect(p.contacts[1]!.name).toBe('Line');
  });

  it('a profile without translations is given back as it is', async () => {
    const m = await fresh();
    expect(m.localizeProfile(base, 'ro')).toBe(base);
    expect(m.localizeProfile(base, 'en')).toBe(base);
  });

  function localizedSteps(m: ProfileModule, lang: string): string {
    return m.localizeProfile(p, lang).nextSteps;
  }
});

describe('signers and verification', () => {
  const ring = (roles: string[][]): Keyring => ({
    version: 1,
    issued: '2026-01-01',
    expires: '2026-06-01',
    coordinators: roles.map((r, i) => ({ id: `c${i}`, name: `C${i}`, recipient: 'x', signingKey: b64(i === 0 ? adminKey : ed25519.getPublicKey(new Uint8Array(32).fill(20 + i))), roles: r as never })),
  });

  it('profileSigners: the root, then every admin coordinator, in keyring order', async () => {
    const m = await fresh();
    expect(m.profileSigners(root)).toEqual([root]);
    const k = ring([['admin'], ['warnings'], ['warnings', 'admin']]);
    const signers = m.profileSigners(root, k);
    expect(signers.map(b64)).toEqual([b64(root), b64(adminKey), k.coordinators[2]!.signingKey]);
    expect(m.profileSigners(root, ring([['warnings']]))).toEqual([root]);
  });

  it('accepts the root and an admin coordinator, refuses others with "invalid signature"', async () => {
    const m = await fresh();
    const k = ring([['admin'], ['warnings']]);
    expect(m.verifyProfile(m.signProfile(base, seed), root)).toEqual(base);
    expect(m.verifyProfile(JSON.stringify(m.signProfile(base, seed)), root, {})).toEqual(base);
    expect(m.verifyProfile(m.signProfile(base, adminSeed), root, { keyring: k })).toEqual(base);
    const bad = (f: () => unknown) => {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect((err as Error)?.constructor?.name).toBe('DocumentError');
      expect((err as Error).message).toBe('invalid signature');
    };
    bad(() => m.verifyProfile(m.signProfile(base, adminSeed), root));
    bad(() => m.verifyProfile(m.signProfile(base, new Uint8Array(32).fill(21)), root, { keyring: k }));
    bad(() => m.verifyProfile(m.signProfile(base, otherSeed), root, { keyring: k }));
  });

  it('refuses a malformed root key or minimum version with a TypeError', async () => {
    const m = await fresh();
    const env = m.signProfile(base, seed);
    for (const key of [root.slice(0, 31), new Uint8Array(33), Array.from(root), b64(root)]) {
      expect(() => m.verifyProfile(env, key as Uint8Array)).toThrow(new TypeError('invalid root public key'));
    }
    for (const minVersion of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity]) {
      expect(() => m.verifyProfile(env, root, { minVersion }), String(minVersion)).toThrow(new TypeError('invalid minimum version'));
    }
    expect(m.verifyProfile(env, root, { minVersion: 0 })).toEqual(base);
  });

  it('minVersion: the same version passes, an older one is a rollback', async () => {
    const m = await fresh();
    const env = m.signProfile({ ...base, version: 5 }, seed);
    expect(m.verifyProfile(env, root, { minVersion: 5 }).version).toBe(5);
    expect(m.verifyProfile(env, root, { minVersion: 4 }).version).toBe(5);
    expect(() => m.verifyProfile(env, root, { minVersion: 6 })).toThrow('profile version rollback');
    let err: unknown;
    try {
      m.verifyProfile(env, root, { minVersion: 6 });
    } catch (e) {
      err = e;
    }
    expect(err).not.toBeInstanceOf(m.ProfileError);
  });

  it('each failure before the schema has its own detail', async () => {
    const m = await fresh();
    const env = m.signProfile(base, seed);
    const detail = (e: unknown) => {
      try {
        m.verifyProfile(e as SignedEnvelope, root);
      } catch (x) {
        expect(x).toBeInstanceOf(m.ProfileError);
        expect((x as Error).message).toBe('invalid profile');
        return (x as InstanceType<ProfileModule['ProfileError']>).detail;
      }
      return '';
    };
    expect(detail('not json')).toBe('not a signed document envelope');
    expect(detail({ ...env, v: 2 })).toBe('not a signed document envelope');
    expect(detail({ ...env, kind: 'keyring' })).toBe('document kind is keyring, not profile');
    // Signed, but the payload is not canonical JSON, or not a profile.
    const signRaw = async (text: string) => {
      const signed = await import('../../crypto/signed.js');
      return signed.signDocument('profile', new TextEncoder().encode(text), seed);
    };
    expect(detail(await signRaw(JSON.stringify(base, null, 1)))).toBe('payload is not canonical UTF-8 JSON');
    expect(detail(await signRaw('[1]'))).toBe('Invalid input: expected object, received array');
    expect(detail(await signRaw(JSON.stringify({ ...base, version: 0 })))).toBe('version: Too small: expected number to be >=1');
  });
});
