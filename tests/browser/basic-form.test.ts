/**
 * The no-JavaScript side in chromium against a real server: the basic form passes axe-core in
 * every language the wizard has and shows every problem at once; `/` with JavaScript off shows
 * a quick exit, not only a link to the basic form.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/i18n/en.js';
import { ro } from '../../client/i18n/ro.js';
import { launch, type Browser } from './helpers/browsers.js';
import { startStack, type Stack } from './helpers/stack.js';
import { SLOW } from './journey.js';

const AXE = readFileSync(resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
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

type PwPage = NonNullable<Awaited<ReturnType<Browser['newPage']>>['playwright']>;

async function axe(pw: PwPage): Promise<string[]> {
  await pw.evaluate(AXE + ';undefined');
  const violations = await pw.evaluate(async () => {
    const a = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await a.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

describe('basic form (JavaScript off)', () => {
  it('passes axe at 360 px in English and Romanian, before and after a wrong submission that lists every problem at once', async () => {
    const page = await browser.newPage();
    const context = page.playwright!.context();
    // axe needs script in the page, so this context keeps it on; the form itself runs no script
    // (its one file only upgrades the quick exit), so what axe sees is what a JavaScript-off browser shows.
    const noJs = await context.browser()!.newContext({ viewport: { width: 360, height: 800 } });
    const pw = await noJs.newPage();
    const problems: string[] = [];
    for (const [lang, m] of [
      ['en', en],
      ['ro', ro],
    ] as const) {
      await pw.goto(`${stack.url}/report/basic?lang=${lang}`);
      expect(await pw.evaluate(() => document.documentElement.lang)).toBe(lang);
      for (const v of await axe(pw)) problems.push(`${lang} form: ${v}`);
      // Controls as large as the wizard's.
      const small = await pw.evaluate(() =>
        [...document.querySelectorAll('input[type=text], input[type=date], select, textarea, button, label.choice')]
          .filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().height < 44)
          .map((e) => e.getAttribute('name') ?? e.tagName),
      );
      expect(small, lang).toEqual([]);
      const overflow = await pw.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, lang).toBe(0);
      // Wrong on purpose: no incident type, no answer on publishing, a bad phone, someone else without consent.
      await pw.fill('textarea[name="phones"]', 'call me');
      await pw.check('input[name="forSomeoneElse"]');
      await new Promise((r) => setTimeout(r, 3_200)); // the first form's minimum fill time
      await pw.click('form[method="post"] button[type="submit"]');
      await pw.waitForSelector('#problems');
      const listed = await pw.evaluate(() => [...document.querySelectorAll('#problems li')].map((li) => li.textContent ?? ''));
      for (const k of ['what.required', 'consent.required', 'ids.invalidPhone', 'behalf.needConsent'] as const) {
        expect(listed.some((l) => l.includes(m[k])), `${lang}: ${k} in ${JSON.stringify(listed)}`).toBe(true);
      }
      expect(listed).toHaveLength(4);
      expect(await pw.evaluate(() => (document.querySelector('textarea[name="phones"]') as HTMLTextAreaElement).value)).toBe('call me');
      for (const v of await axe(pw)) problems.push(`${lang} errors: ${v}`);
      // Corrected and sent at once: no second wait.
      await pw.check('input[name="incidentTypes"][value="threats"]');
      await pw.check('input[name="publishWarning"][value="no"]');
      await pw.fill('textarea[name="phones"]', '07700 900123');
      await pw.uncheck('input[name="forSomeoneElse"]');
      await pw.click('form[method="post"] button[type="submit"]');
      await pw.waitForURL(/\/report\/basic\/sent\?r=/);
      expect(await pw.textContent('h1')).toBe(lang === 'en' ? 'Thank you. Your report was received.' : 'Mulțumim. Raportul tău a fost primit.');
      for (const v of await axe(pw)) problems.push(`${lang} sent: ${v}`);
    }
    expect(problems).toEqual([]);
    await noJs.close();
    await page.playwright!.close();
  }, SLOW);

  it('/ and /follow-up with JavaScript off show a quick exit that leaves for the neutral site', async () => {
    const page = await browser.newPage();
    const noJs = await page.playwright!.context().browser()!.newContext({ javaScriptEnabled: false });
    const pw = await noJs.newPage();
    await pw.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title>' }));
    for (const path of ['/', '/follow-up']) {
      await pw.goto(`${stack.url}${path}`);
      expect(await pw.isVisible('a.noscript-exit'), path).toBe(true);
      expect(await pw.isVisible('a[href="/report/basic"]'), path).toBe(true);
    }
    await pw.click('a.noscript-exit');
    await pw.waitForURL('https://www.bbc.co.uk/weather');
    await noJs.close();
    await page.playwright!.close();
  }, SLOW);
});
