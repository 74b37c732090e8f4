/** The server pages' language choice (server/i18n.ts): Accept-Language matching and plurals. */
import { describe, expect, it } from 'vitest';
import { ACCEPT_LANGUAGE_MAX_CHARS, ENGLISH, LANGUAGES, basicText, byTag, matchTag, negotiate, requestLang } from '../../server/i18n.js';
import { messages as basicEn } from '../../client/i18n/basic/en.js';
import { LANGUAGES as REGISTRY } from '../../client/i18n/languages.js';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** The registry of I18N.md (tags only): matching is tested against it whatever is merged yet. */
const ALL = ['en', 'ro', 'bg', 'pl', 'hu', 'pt-BR', 'es', 'it', 'fr', 'ru', 'uk', 'th', 'zh-CN', 'sq'].map((tag) => ({ tag }));
const pick = (h: string | undefined) => negotiate(h, ALL)?.tag;

describe('Accept-Language', () => {
  it('takes the highest quality first, equal qualities in header order, and skips q=0', () => {
    expect(pick('en;q=0.5, ro;q=0.9')).toBe('ro');
    expect(pick('ro;q=0.1,en')).toBe('en');
    expect(pick('de, ro;q=0.8, en;q=0.8')).toBe('ro');
    expect(pick('ro;q=0, en;q=0.1')).toBe('en');
    expect(pick('ro;Q=1.000,en')).toBe('ro');
    expect(pick('ro; q=0.7 , pl ; q=0.9')).toBe('pl');
  });

  it('matches the exact tag, then the primary subtag (pt → pt-BR, zh-TW → zh-CN, en-GB → en)', () => {
    expect(pick('pt')).toBe('pt-BR');
    expect(pick('pt-PT')).toBe('pt-BR');
    expect(pick('zh-TW')).toBe('zh-CN');
    expect(pick('zh-Hans-CN')).toBe('zh-CN');
    expect(pick('ZH-cn')).toBe('zh-CN');
    expect(pick('en-GB,ro;q=0.9')).toBe('en');
    expect(matchTag('pt-BR', [{ tag: 'pt' }, { tag: 'pt-BR' }])!.tag).toBe('pt-BR');
    expect(pick('de-DE, nl')).toBeUndefined();
  });

  it('ignores garbage: malformed entries, wildcards, bad q-values, absurdly long headers', () => {
    for (const h of ['', '*', ';;;,,,', '<script>alert(1)</script>', 'ro;q=2', 'ro;q=0.5.5', 'ro;q=-1', 'ro-', '123', 'ro;q=', 'r\u0000o', 'toolonglanguage', 'en_GB']) {
      expect(pick(h), JSON.stringify(h)).toBeUndefined();
    }
    expect(pick(undefined)).toBeUndefined();
    expect(pick('garbage!!, ro;q=0.3')).toBe('ro');
    // Only the first ACCEPT_LANGUAGE_MAX_CHARS characters are read: a long header costs little and what is past the cap is ignored.
    expect(pick(`${'de;q=0.9,'.repeat(ACCEPT_LANGUAGE_MAX_CHARS / 9 + 1)}ro`)).toBeUndefined();
    expect(pick(`${'x'.repeat(100_000)},ro`)).toBeUndefined();
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) pick(`${'de-DE-x-abcdefgh;q=0.9,'.repeat(5000)}`);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('?lang= names a language exactly or not at all; else the header; else English', () => {
    expect(byTag('ro')).toBe(LANGUAGES.find((l) => l.tag === 'ro'));
    expect(byTag('RO')?.tag).toBe('ro');
    for (const bad of ['', 'xx', 'ro-RO', '<b>', 'en;q=1', 'r'.repeat(1000)]) expect(byTag(bad), bad).toBeUndefined();
    expect(requestLang('ro', 'en').tag).toBe('ro');
    expect(requestLang('xx', 'ro').tag).toBe('ro');
    expect(requestLang(undefined, 'garbage')).toBe(ENGLISH);
    expect(requestLang('<script>', undefined)).toBe(ENGLISH);
  });
});

describe('server catalogues', () => {
  it('serves every basic catalogue there is: each client/i18n/basic/<tag>.ts of a registry language is in server/i18n.ts', () => {
    const files = readdirSync(resolve(import.meta.dirname, '../../client/i18n/basic'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3));
    const registered = REGISTRY.map((l) => l.tag as string).filter((t) => files.includes(t));
    expect(LANGUAGES.map((l) => l.tag)).toEqual(registered);
    expect(registered).toContain('ro');
  });

  it('every registered language has every basic key, English first', () => {
    expect(LANGUAGES[0]).toBe(ENGLISH);
    expect(ENGLISH.tag).toBe('en');
    for (const l of LANGUAGES) expect(Object.keys(l.basic).sort(), l.tag).toEqual(Object.keys(basicEn).sort());
  });

  it('plurals follow Intl.PluralRules: Romanian one, few, other', () => {
    const ro = byTag('ro')!;
    expect(basicText(ro, 'form.problems', { n: 1 })).toContain('1 lucru ');
    expect(basicText(ro, 'form.problems', { n: 2 })).toContain('2 lucruri ');
    expect(basicText(ro, 'form.problems', { n: 19 })).toContain('19 lucruri ');
    expect(basicText(ro, 'form.problems', { n: 20 })).toContain('20 de lucruri ');
    expect(basicText(ENGLISH, 'form.problems', { n: 1 })).toBe('Please check 1 thing before sending:');
    expect(basicText(ENGLISH, 'form.problems', { n: 3 })).toBe('Please check 3 things before sending:');
    expect(basicText(ENGLISH, 'form.problems', { n: 1000 })).toBe('Please check 1,000 things before sending:');
  });
});
