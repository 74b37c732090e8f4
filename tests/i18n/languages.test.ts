/** The language registry, matching navigator.languages, plural-aware formatting and the pseudo-locale. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGUAGES as REPORT_LANGUAGES } from '../../crypto/index.js';
import { formatMessage } from '../../client/i18n/format.js';
import { LANGUAGES, PSEUDO, matchLanguage, reportLanguage } from '../../client/i18n/languages.js';
import { GROWTH, pseudoCatalogue, pseudoString } from '../../client/i18n/pseudo.js';
import { catalogues } from '../../client/i18n/store.js';

const ALL = [...LANGUAGES.map((l) => l.tag), PSEUDO];

describe('registry', () => {
  it('holds the fourteen languages of issue 14, each once, and the report schema accepts exactly these', () => {
    expect(LANGUAGES.map((l) => l.tag)).toEqual(['en', 'ro', 'bg', 'pl', 'hu', 'pt-BR', 'es', 'it', 'fr', 'ru', 'uk', 'th', 'zh-CN', 'sq']);
    expect([...REPORT_LANGUAGES]).toEqual(LANGUAGES.map((l) => l.tag));
    expect(new Set(LANGUAGES.map((l) => l.endonym)).size).toBe(14);
  });

  it('only English is marked as reviewed by a native speaker (the others are machine-drafted or ours)', () => {
    expect(LANGUAGES.filter((l) => l.reviewed).map((l) => l.tag)).toEqual(['en']);
  });

  it('a report records the pseudo-locale as English', () => {
    expect(reportLanguage(PSEUDO)).toBe('en');
    expect(reportLanguage('pt-BR')).toBe('pt-BR');
  });
});

describe('matching navigator.languages', () => {
  const cases: [string[], string | undefined][] = [
    [['en-GB'], 'en'],
    [['en-US', 'ro'], 'en'],
    [['ro-RO', 'en'], 'ro'],
    [['pt'], 'pt-BR'],
    [['pt-PT'], 'pt-BR'],
    [['PT-br'], 'pt-BR'],
    [['zh'], 'zh-CN'],
    [['zh-Hans'], 'zh-CN'],
    [['zh-TW'], 'zh-CN'],
    [['de-DE', 'fr-CA', 'en'], 'fr'],
    [['uk-UA'], 'uk'],
    [['en-XA'], 'en-XA'],
    [['en-xa'], 'en-XA'],
    [['de', 'nl'], undefined],
    [[], undefined],
    [['', ' '], undefined],
  ];
  for (const [prefs, want] of cases) it(`${JSON.stringify(prefs)} → ${want}`, () => expect(matchLanguage(prefs, ALL)).toBe(want));

  it('prefers an earlier preference matched by primary subtag over a later exact one', () => {
    expect(matchLanguage(['en-GB', 'ro'], ALL)).toBe('en');
  });

  it('never picks the pseudo-locale by primary subtag, and only picks what is available', () => {
    expect(matchLanguage(['en-AU'], ['en-XA', 'en'])).toBe('en');
    expect(matchLanguage(['en-AU'], ['en-XA'])).toBeUndefined();
    expect(matchLanguage(['pl'], ['en', 'ro'])).toBeUndefined();
  });

  it('always answers a language from the list, or nothing (property)', () => {
    fc.assert(fc.property(fc.array(fc.string()), (prefs) => {
      const m = matchLanguage(prefs, ALL);
      expect(m === undefined || ALL.includes(m)).toBe(true);
    }));
  });

  it('a catalogue store starts in the preferred language it has, else English', () => {
    const store = catalogues({ a: 'x' }, { ro: async () => ({ messages: { a: 'y' } }) });
    expect(store.langs).toEqual(['en', 'ro']);
    expect(store.initial(['pl', 'ro-MD'])).toBe('ro');
    expect(store.initial(['pl'])).toBe('en');
    expect(store.initial(['en-XA'])).toBe('en-XA');
  });

  it('a store loads a language once, and refuses one it does not have', async () => {
    let calls = 0;
    const store = catalogues({ a: 'x' }, { ro: async () => (calls++, { messages: { a: 'y' } }) });
    expect(store.text('ro', 'a')).toBe('x');
    await store.load('ro');
    await store.load('ro');
    expect(calls).toBe(1);
    expect(store.text('ro', 'a')).toBe('y');
    await expect(store.load('pl')).rejects.toThrow('unknown language');
    expect((await store.load(PSEUDO)).a).toMatch(/^\[ẋ [· ]*·\]$/);
  });
});

describe('formatting', () => {
  const photos = { one: '{n} photo', few: '{n} fotografii', many: '{n} zdjęć', other: '{n} photos' };
  it('chooses the plural form with Intl.PluralRules from params.n', () => {
    expect(formatMessage('en', photos, { n: 1 })).toBe('1 photo');
    expect(formatMessage('en', photos, { n: 2 })).toBe('2 photos');
    expect(formatMessage('ro', photos, { n: 3 })).toBe('3 fotografii');
    expect(formatMessage('ro', photos, { n: 20 })).toBe('20 photos');
    expect(formatMessage('pl', photos, { n: 5 })).toBe('5 zdjęć');
    expect(formatMessage('pl', photos, { n: 22 })).toBe('22 fotografii');
    expect(formatMessage('ru', photos, { n: 21 })).toBe('21 photo');
    expect(formatMessage('th', { other: '{n} รูป' }, { n: 1 })).toBe('1 รูป');
  });

  it('falls back to `other` when the category is missing or there is no count', () => {
    expect(formatMessage('pl', { one: '{n} a', other: '{n} b' }, { n: 5 })).toBe('5 b');
    expect(formatMessage('en', { one: 'a', other: 'b' })).toBe('b');
  });

  it('writes numbers as the language does, and leaves a placeholder without a parameter visible', () => {
    expect(formatMessage('en', '{n} of {total}', { n: 1234, total: 2 })).toBe('1,234 of 2');
    expect(formatMessage('fr', '{n}', { n: 1234.5 })).toBe('1\u202f234,5');
    expect(formatMessage('en', 'Hello {name}', {})).toBe('Hello {name}');
    expect(formatMessage('en', 'Hello {name}', { name: '{n}' })).toBe('Hello {n}');
  });
});

describe('pseudo-locale en-XA', () => {
  it('accents every letter, brackets the string and keeps placeholders exactly', () => {
    expect(pseudoString('Report {n} of {total}')).toMatch(/^\[Ŕéƥöŕţ \{n\} öƒ \{total\} [· ]*·\]$/);
    expect(pseudoString('{n}')).toMatch(/^\[\{n\} [· ]*·\]$/);
  });

  it('makes every string about 40 % longer (at least 30 %, and never unbounded)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 10, maxLength: 300 }).filter((s) => !/[{}]/.test(s)), (s) => {
        const p = pseudoString(s);
        const len = (x: string) => [...x].length;
        expect(len(p)).toBeGreaterThanOrEqual(Math.floor(len(s) * 1.3));
        expect(len(p)).toBeLessThanOrEqual(Math.ceil(len(s) * (1 + GROWTH)) + 4);
      }),
    );
  });

  it('leaves no ASCII letter outside placeholders', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const p = pseudoString(s).replace(/\{\w+\}/g, '');
        expect(p).not.toMatch(/[A-Za-z]/);
      }),
    );
  });

  it('turns a catalogue into one with the same keys and plural categories', () => {
    const p = pseudoCatalogue({ a: 'Yes', n: { one: '{n} photo', other: '{n} photos' } });
    expect(Object.keys(p)).toEqual(['a', 'n']);
    expect(Object.keys(p.n)).toEqual(['one', 'other']);
    expect(formatMessage('en', p.n, { n: 1 })).toMatch(/^\[1 ƥĥöţö [· ]*·\]$/);
  });
});
