/**
 * Every catalogue of every kind (reporter, member, basic) in every language, against English:
 * no missing or extra key, no empty value, the same placeholders, and for counts exactly the
 * plural categories Intl.PluralRules gives that language. The pseudo-locale is held to the same.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../client/i18n/languages.js';
import { REPORTER_LOADERS } from '../../client/i18n/loaders.js';
import { MEMBER_LOADERS } from '../../client/i18n/member/loaders.js';
import { pseudoCatalogue } from '../../client/i18n/pseudo.js';
import { KINDS, catalogueFiles, loadCatalogueFile, problems, type Catalogue } from './catalogues.js';

const { files, strays } = catalogueFiles();

describe('catalogue files', () => {
  it('every .ts file beside the catalogues is named by a registered language tag (or is code)', () => {
    expect(strays, 'name a catalogue by its tag in client/i18n/languages.ts').toEqual([]);
  });

  it('English exists for the reporter and member kinds', () => {
    for (const kind of ['reporter', 'member'] as const) expect(files.some((f) => f.kind === kind && f.tag === 'en'), kind).toBe(true);
  });

  it('every catalogue file of the lazily loaded kinds is in its loader map, and every loader has a file', () => {
    for (const [kind, loaders] of [
      ['reporter', REPORTER_LOADERS],
      ['member', MEMBER_LOADERS],
    ] as const) {
      const onDisk = files.filter((f) => f.kind === kind && f.tag !== 'en').map((f) => f.tag).sort();
      expect(Object.keys(loaders).sort(), `${kind}: one line per language in its loaders.ts`).toEqual(onDisk);
    }
  });

  it('every registered language is a valid BCP 47 tag with a plural rule', () => {
    for (const l of LANGUAGES) {
      expect(Intl.getCanonicalLocales(l.tag), l.tag).toEqual([l.tag]);
      expect(new Intl.PluralRules(l.tag).resolvedOptions().locale.split('-')[0], l.tag).toBe(l.tag.split('-')[0]);
    }
  });
});

for (const { kind, dir } of KINDS) {
  const mine = files.filter((f) => f.kind === kind);
  if (mine.length === 0) continue;
  describe(`${kind} catalogues (${dir})`, () => {
    let en: Catalogue;
    it('English: every value non-empty, plural values with exactly the English categories', async () => {
      en = await loadCatalogueFile(`${dir}/en.ts`);
      expect(problems('en', en, en)).toEqual([]);
    });
    for (const f of mine.filter((x) => x.tag !== 'en')) {
      it(`${f.tag}: same keys and placeholders as English, its own plural categories, nothing empty`, async () => {
        en ??= await loadCatalogueFile(`${dir}/en.ts`);
        expect(problems(f.tag, await loadCatalogueFile(f.path), en)).toEqual([]);
      });
    }
    it('en-XA (pseudo-locale, generated): keys, placeholders and plural categories kept', async () => {
      en ??= await loadCatalogueFile(`${dir}/en.ts`);
      expect(problems('en', pseudoCatalogue(en), en)).toEqual([]);
    });
  });
}

describe('the checks themselves', () => {
  const en: Catalogue = { a: 'Hello {name}', n: { one: '{n} photo', other: '{n} photos' } };
  it('finds a missing key, an extra key, a changed placeholder, wrong plural categories and an empty value', () => {
    expect(problems('pl', { a: 'Cześć {imie}', n: { one: '{n} zdjęcie', other: '{n} zdjęć' }, b: 'x' }, en)).toEqual([
      'extra key b',
      'a: placeholders {imie} differ from English {name}',
      'n: plural categories one,other, pl needs few,many,one,other',
    ]);
    expect(problems('ro', { n: { one: '', few: '{n} fotografii', other: '{n} de fotografii' } }, en)).toEqual(['missing key a', 'n.one: empty']);
    expect(problems('th', { a: 'สวัสดี {name}', n: '{n} รูป' }, en)).toEqual(['n: a plural object is needed (categories other)']);
  });
});
