/** Identifier normalisation (crypto/identifiers.ts), shared by the console and the browser. */
import { describe, expect, it } from 'vitest';
import { extractIdentifiers, normalizeEmail, normalizePhone, normalizePlate, partialPlateMatches, queryKeys, type Report } from '../../crypto/index.js';
import { SearchIndex } from '../../console/search.js';

const base: Report = { schemaVersion: 1, incidentTypes: ['threats'], consent: { publishWarning: 'yes' } };

describe('identifiers', () => {
  it.each([
    ['07700 900123', '+447700900123'],
    ['+44 7700 900123', '+447700900123'],
    ['0044 7700 900123', '+447700900123'],
    ['(07700) 900-123', '+447700900123'],
    ['+40 721 234 567', '+40721234567'],
    ['０７７００ ９００１２３', '+447700900123'], // full-width digits
  ])('phone %s → %s', (raw, e164) => {
    expect(normalizePhone(raw)).toBe(e164);
  });

  it('keeps the digits of a number it cannot place, and ignores too short ones', () => {
    expect(normalizePhone('12345')).toBeUndefined();
    expect(normalizePhone('+999 1234 5678')).toBe('?99912345678');
  });

  it('emails, plates and partial plates', () => {
    expect(normalizeEmail('  Dave@Example.ORG ')).toBe('dave@example.org');
    expect(normalizeEmail('not an email')).toBeUndefined();
    expect(normalizePlate('ab12 cde')).toBe('AB12CDE');
    expect(partialPlateMatches('AB12', 'AB12CDE')).toBe(true);
    expect(partialPlateMatches('AB13', 'AB12CDE')).toBe(false);
  });

  it('extracts every kind from a report, each key once', () => {
    const r: Report = {
      ...base,
      contactDetail: 'AdultWork',
      account: 'He also texted from 07700 900456 and wrote to dave2@example.org, see https://www.example.com/ad/123?x=1',
      offender: { nameGiven: 'Dave' },
      vehicle: { plate: 'ab12', plateIsPartial: true },
      identifiers: { phones: ['07700 900123', '+44 7700 900123'], emails: ['Dave@example.org'], usernames: ['dave_x on AdultWork', '@Dave_X'] },
    };
    expect(extractIdentifiers(r).map((i) => i.key).sort()).toEqual(
      [
        'email:dave2@example.org',
        'email:dave@example.org',
        'handle:dave_x',
        'handle:dave_x on adultwork',
        'name:dave',
        'phone:+447700900123',
        'phone:+447700900456',
        'plate-part:AB12',
        'site:adultwork',
        'url:example.com/ad/123',
      ].sort(),
    );
  });

  it('a search box entry maps to the keys it could mean', () => {
    expect(queryKeys('07700 900123')).toContain('phone:+447700900123');
    expect(queryKeys('AB12 CDE')).toEqual(expect.arrayContaining(['plate:AB12CDE', 'plate-part:AB12CDE']));
    expect(queryKeys('@dave_x')).toContain('handle:dave_x');
    expect(queryKeys('   ')).toEqual([]);
  });
});

describe('console search index', () => {
  const index = new SearchIndex();
  const add = (id: string, r: Partial<Report>, text = '') => index.set(id, extractIdentifiers({ ...base, ...r }), text);
  add('a', { identifiers: { phones: ['07700 900123'] } }, 'first');
  add('b', { identifiers: { phones: ['+44 7700 900123'] } }, 'second');
  add('c', { vehicle: { plate: 'AB12 CDE' } }, 'third');
  add('d', { vehicle: { plate: 'ab12', plateIsPartial: true } }, 'fourth');
  add('e', { contactDetail: 'AdultWork' }, 'fifth');
  add('f', { contactDetail: 'AdultWork' }, 'sixth');

  it('links the two phone spellings, and a partial plate to the full one', () => {
    expect(index.related('a')).toEqual([{ id: 'b', keys: ['phone:+447700900123'] }]);
    expect(index.related('d').map((l) => l.id)).toEqual(['c']);
    expect(index.related('c').map((l) => l.id)).toEqual(['d']);
  });

  it('does not link reports through a shared advert site', () => {
    expect(index.related('e')).toEqual([]);
  });

  it('groups offenders and finds by identifier or text', () => {
    expect(index.groups().map((g) => g.ids.sort())).toEqual(expect.arrayContaining([['a', 'b'], ['c', 'd']]));
    expect([...index.search('+447700900123')].sort()).toEqual(['a', 'b']);
    expect([...index.search('AB12')].sort()).toEqual(['c', 'd']);
    expect([...index.search('FIFTH')]).toEqual(['e']);
    index.remove('b');
    expect(index.related('a')).toEqual([]);
  });
});

describe('console stanza position hint', () => {
  it('opens files whatever position our stanza has, and refuses files not for us', async () => {
    const { HybridIdentity, encrypt, decrypt, AgeError } = await import('../../crypto/index.js');
    const { PositionHintIdentity } = await import('../../console/position.js');
    const me = HybridIdentity.generate();
    const others = [HybridIdentity.generate(), HybridIdentity.generate()];
    const id = new PositionHintIdentity(me);
    const pt = new Uint8Array([1, 2, 3]);
    for (const pos of [2, 2, 0, 1, 2]) {
      const rec = others.map((o) => o.recipient());
      rec.splice(pos, 0, me.recipient());
      expect(await decrypt([id], await encrypt(rec, pt))).toEqual(pt);
    }
    await expect(decrypt([id], await encrypt(others.map((o) => o.recipient()), pt))).rejects.toBeInstanceOf(AgeError);
  }, 60_000);
});
