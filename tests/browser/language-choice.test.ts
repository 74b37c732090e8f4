/**
 * Choosing a language (issue 14) in chromium: the browser's preferences pick the first
 * language, the picker is a labelled <select> of endonyms on the reporter, members' and
 * statistics pages, `lang`/`dir` follow on <html>, only the chosen catalogue is fetched (the
 * members' pages never fetch the reporter one), and the choice is kept in memory only: no
 * storage, cookie or address, so a reload starts again from the browser's preferences.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/i18n/en.js';
import { en as memberEn } from '../../client/i18n/member/en.js';
import { messages as memberRo } from '../../client/i18n/member/ro.js';
import { messages as ro } from '../../client/i18n/ro.js';
import { language, type Lang } from '../../client/i18n/languages.js';
import { REPORTER_LOADERS } from '../../client/i18n/loaders.js';
import { MEMBER_LOADERS } from '../../client/i18n/member/loaders.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { startStack, type Stack } from './helpers/stack.js';
import { SLOW } from './journey.js';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launch('chromium');
}, SLOW);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A page whose browser prefers `langs` (navigator.languages), as a phone set to that language does. */
async function pageWithLanguages(langs: string[]): Promise<Page> {
  const page = await browser.newPage();
  await page.playwright!.addInitScript(`Object.defineProperty(Navigator.prototype, 'languages', { get: () => ${JSON.stringify(langs)} });
Object.defineProperty(Navigator.prototype, 'language', { get: () => ${JSON.stringify(langs[0])} });`);
  return page;
}

/** The picker's options for the languages that have a catalogue of a kind: value, endonym, lang attribute. */
const optionsFor = (loaders: object) => ['en', ...Object.keys(loaders)].map((l) => `${l}:${language(l as Lang).endonym}:${l}`);

const html = (page: Page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
const picker = (page: Page) =>
  page.evaluate(() => {
    const s = document.querySelector<HTMLSelectElement>('select#lang')!;
    return { label: s.labels?.[0]?.querySelector('span')?.textContent ?? '', value: s.value, options: [...s.options].map((o) => `${o.value}:${o.textContent}:${o.lang}`) };
  });
async function choose(page: Page, lang: string): Promise<void> {
  await page.playwright!.selectOption('#lang', lang);
  await page.waitForFunction(`document.documentElement.lang === ${JSON.stringify(lang)}`, 10_000);
}
/** Nothing about the choice is kept on the device or in the address. */
async function expectNothingKept(page: Page, url: string): Promise<void> {
  const state = await page.evaluate(() => ({
    writes: (window as unknown as { __storageWrites: string[] }).__storageWrites,
    cookie: document.cookie,
    local: localStorage.length,
    session: sessionStorage.length,
    url: location.href,
  }));
  expect(state).toEqual({ writes: [], cookie: '', local: 0, session: 0, url });
}
const chunks = (page: Page, prefix: string) => page.requests.filter((u) => new RegExp(`/assets/${prefix}-[\\w-]+\\.js$`).test(u));

describe('language choice', () => {
  it('reporter pages: starts in the preferred language, switches through the picker, keeps nothing', async () => {
    const page = await pageWithLanguages(['ro-RO', 'en']);
    const url = `${stack.url}/`;
    await page.goto(url);
    await page.waitFor('#step-heading');
    expect(await page.text('#step-heading')).toBe(ro['intro.heading']);
    expect(await html(page)).toEqual({ lang: 'ro', dir: 'ltr' });
    expect(await picker(page)).toEqual({ label: ro['lang.switch'], value: 'ro', options: optionsFor(REPORTER_LOADERS) });
    expect(chunks(page, 'ro')).toHaveLength(1);
    expect(chunks(page, 'pseudo')).toEqual([]);

    await choose(page, 'en');
    await page.waitForFunction(`document.querySelector('#step-heading')?.textContent === ${JSON.stringify(en['intro.heading'])}`);
    expect((await picker(page)).label).toBe(en['lang.switch']);
    await expectNothingKept(page, url);

    // A reload starts again from the browser's preferences: the choice was never stored.
    await page.goto(url);
    await page.waitFor('#step-heading');
    expect(await page.text('#step-heading')).toBe(ro['intro.heading']);
    await page.playwright!.close();
  }, SLOW);

  it('members’ and statistics pages: the member catalogue only, the same picker, nothing kept', async () => {
    const page = await pageWithLanguages(['ro']);
    for (const [path, key] of [
      ['/join', 'join.title'],
      ['/statistics', 'stats.title'],
    ] as const) {
      const url = `${stack.url}${path}`;
      page.requests.length = 0;
      await page.goto(url);
      await page.waitForFunction(`document.querySelector('h1')?.textContent === ${JSON.stringify(memberRo[key])}`, 20_000);
      expect(await html(page)).toEqual({ lang: 'ro', dir: 'ltr' });
      expect(await picker(page)).toEqual({ label: memberRo['lang.label'], value: 'ro', options: optionsFor(MEMBER_LOADERS) });
      // One Romanian chunk: the member catalogue (the reporter catalogue would be a second).
      expect(chunks(page, 'ro')).toHaveLength(1);
      expect(await page.evaluate(() => document.body.textContent ?? '')).not.toContain(ro['intro.heading']);
      await choose(page, 'en');
      await page.waitForFunction(`document.querySelector('h1')?.textContent === ${JSON.stringify(memberEn[key])}`);
      await expectNothingKept(page, url);
    }
    await page.playwright!.close();
  }, SLOW);

  it('a language without a catalogue falls back to English; en-XA gives the pseudo-locale, listed in the picker only then', async () => {
    const plain = await pageWithLanguages(['de-DE', 'nl']);
    await plain.goto(`${stack.url}/`);
    await plain.waitFor('#step-heading');
    expect(await plain.text('#step-heading')).toBe(en['intro.heading']);
    expect((await picker(plain)).options).not.toContain('en-XA:[Ƥšéûðö]:en-XA');
    await plain.playwright!.close();

    const pseudo = await pageWithLanguages(['en-XA']);
    await pseudo.goto(`${stack.url}/`);
    await pseudo.waitFor('#step-heading');
    const heading = await pseudo.text('#step-heading');
    expect(heading).toMatch(/^\[Ŕéƥöŕţ à đàñĝéŕöûš ƥéŕšöñ [· ]*·\]$/);
    expect(await html(pseudo)).toEqual({ lang: 'en-XA', dir: 'ltr' });
    expect((await picker(pseudo)).options).toContain('en-XA:[Ƥšéûðö]:en-XA');
    expect(chunks(pseudo, 'pseudo')).toHaveLength(1);
    await pseudo.playwright!.close();
  }, SLOW);
});
