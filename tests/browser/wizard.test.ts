/**
 * The reporter's wizard as a newcomer on a phone meets it (issue 13), in chromium against a
 * real server: Back and Forward move between steps, leaving with answers typed asks first,
 * Escape while typing does not wipe a report, the quick report path, the receipt page's
 * confirmation, and the follow-up page's per-word code entry (a wrong word named, an unknown
 * code back to entry, the digits form opening the same mailbox).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReport, deriveMailbox, generateReceiptCode } from '../../crypto/index.js';
import { en } from '../../client/i18n/en.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { fetchReports, replyTo, startStack, type Stack } from './helpers/stack.js';
import { SLOW } from './journey.js';

const EXIT = 'https://www.bbc.co.uk/weather';
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

const heading = (page: Page) => page.text('#step-heading');
const next = (page: Page) => page.click('form button[type="submit"]');

async function openWizard(page: Page): Promise<void> {
  await page.goto(`${stack.url}/`);
  await page.waitFor('#step-heading');
}

/** Walk the quick path and stop at the summary. */
async function quickReport(page: Page): Promise<void> {
  await openWizard(page);
  await page.click('#start-quick');
  await page.waitFor('input[name="incidentTypes"]');
  await page.click('input[name="incidentTypes"][value="robbery"]');
  await next(page);
  await page.waitFor('input[name="when"]');
  await page.click('input[name="when"][value="week"]');
  await page.fill('input[name="area"]', 'Leeds');
  await next(page);
  await page.waitFor('input[name="phone-0"]');
  await page.fill('input[name="phone-0"]', '07700 900456');
  await next(page);
  await page.waitFor('input[name="publishWarning"]');
  await page.click('input[name="publishWarning"][value="yes"]');
  await next(page);
  await page.waitFor('.summary');
}

describe('history', () => {
  it('Back and Forward move between steps and keep the answers; the address stays /', async () => {
    const page = await browser.newPage();
    const pw = page.playwright!;
    await openWizard(page);
    await page.click('#start-full');
    await page.waitFor('input[name="incidentTypes"]');
    await page.click('input[name="incidentTypes"][value="threats"]');
    await next(page);
    await page.waitFor('input[name="when"]');
    expect(await heading(page)).toBe(en['when.heading']);

    await pw.goBack();
    await page.waitForFunction(`document.querySelector('#step-heading')?.textContent === ${JSON.stringify(en['what.heading'])}`);
    expect(await page.evaluate(() => (document.querySelector('input[value="threats"]') as HTMLInputElement).checked)).toBe(true);
    await pw.goForward();
    await page.waitForFunction(`document.querySelector('#step-heading')?.textContent === ${JSON.stringify(en['when.heading'])}`);
    // The on-page Back button is the same as the browser's.
    await page.click('.actions button.secondary');
    await page.waitForFunction(`document.querySelector('#step-heading')?.textContent === ${JSON.stringify(en['what.heading'])}`);
    await pw.goBack();
    await page.waitForFunction(`document.querySelector('#step-heading')?.textContent === ${JSON.stringify(en['intro.heading'])}`);
    expect(await page.evaluate(() => location.pathname + location.search + location.hash)).toBe('/');
    // History holds the step names only, never an answer.
    expect(JSON.stringify(await page.evaluate(() => history.state))).not.toContain('threats');
    await pw.close();
  }, SLOW);

  it('asks before a reload once something is answered, not before; quick exit never asks and leaves none of the steps behind', async () => {
    const page = await browser.newPage();
    const pw = page.playwright!;
    const dialogs: string[] = [];
    pw.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.dismiss();
    });
    await pw.route(`${EXIT}*`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title>' }));
    // Nothing answered: a reload just reloads.
    await openWizard(page);
    await page.click('#start-full');
    await page.waitFor('input[name="incidentTypes"]');
    await pw.reload();
    await page.waitFor('#step-heading');
    expect(dialogs).toEqual([]);

    // (A fresh visit: entries from before a reload belong to a document that is gone; see client/README.md.)
    await page.goto('about:blank');
    await openWizard(page);
    await page.click('#start-full');
    await page.waitFor('input[name="incidentTypes"]');
    await page.click('input[name="incidentTypes"][value="violence"]');
    await pw.reload({ timeout: 5_000 }).catch(() => {});
    expect(dialogs).toEqual(['beforeunload']);
    // The reload was refused: the answer is still there.
    expect(await page.evaluate(() => (document.querySelector('input[value="violence"]') as HTMLInputElement).checked)).toBe(true);

    await next(page);
    await page.waitFor('input[name="when"]');
    await page.click('#quick-exit');
    await pw.waitForURL(EXIT);
    expect(dialogs).toEqual(['beforeunload']);
    // Back goes to where the person was before the site, not to one of the report's steps.
    await pw.goBack();
    expect(pw.url()).toBe('about:blank');
    await pw.close();
  }, SLOW);
});

describe('Escape', () => {
  it('while typing, one press only warns; two presses leave; outside a text field one press leaves', async () => {
    const page = await browser.newPage();
    const pw = page.playwright!;
    await pw.route(`${EXIT}*`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title>' }));
    await openWizard(page);
    // The hint is on screen, not only for screen readers.
    expect(await pw.isVisible('#quick-exit-hint')).toBe(true);
    await page.click('#start-full');
    await page.click('input[name="incidentTypes"][value="other"]');
    await page.fill('input[name="incidentOther"]', 'He followed me home');
    await page.click('input[name="incidentOther"]');
    await page.press('Escape');
    await page.waitForFunction(`document.querySelector('.escape-armed')?.textContent === ${JSON.stringify(en['exit.again'])}`);
    expect(await page.evaluate(() => (document.querySelector('input[name="incidentOther"]') as HTMLInputElement).value)).toBe('He followed me home');
    // The warning lapses; a later single press still does not wipe anything.
    await new Promise((r) => setTimeout(r, 2_300));
    await page.press('Escape');
    await new Promise((r) => setTimeout(r, 300));
    expect(pw.url()).toBe(`${stack.url}/`);
    expect(await page.evaluate(() => (document.querySelector('input[name="incidentOther"]') as HTMLInputElement).value)).toBe('He followed me home');
    await page.press('Escape');
    await pw.waitForURL(EXIT);
    await pw.close();

    const p2 = await browser.newPage();
    await p2.playwright!.route(`${EXIT}*`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title>' }));
    await openWizard(p2);
    await p2.click('#start-full');
    await p2.click('input[name="incidentTypes"][value="violence"]');
    await p2.press('Escape');
    await p2.playwright!.waitForURL(EXIT);
    await p2.playwright!.close();
  }, SLOW);
});

describe('quick report', () => {
  it('takes at most 5 steps, says more can be added later, sends an approximate date, keeps footer links inert while sending, confirms before discarding the code', async () => {
    const page = await browser.newPage();
    const pw = page.playwright!;
    await quickReport(page);
    expect(await page.text('.step-count')).toBe(en['nav.stepOf'].replace('{n}', '5').replace('{total}', '5'));
    // It says that more can be added later with the code.
    expect(await page.evaluate(() => [...document.querySelectorAll('.notice')].map((n) => n.textContent))).toContain(en['summary.quickLater']);
    // Slow the submission down to look at the page while it sends.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await pw.route('**/api/reports', async (route) => {
      await held;
      await route.continue();
    });
    await next(page);
    await page.waitFor('[aria-busy="true"]', SLOW);
    await page.waitForFunction('document.querySelectorAll("footer a[href]").length === 0', SLOW);
    expect(await page.evaluate(() => document.querySelectorAll('footer a[aria-disabled="true"]').length)).toBe(2);
    release();
    await page.waitFor('ol.code', SLOW);
    expect(await page.evaluate(() => document.querySelectorAll('footer a[href]').length)).toBe(2);

    const code = await page.evaluate(() => document.querySelector('ol.code')!.getAttribute('data-code')!);
    const digits = await page.evaluate(() => document.querySelector('ol.digits')!.getAttribute('data-digits')!);
    expect(digits).toMatch(/^[0-9]{4}( [0-9]{4}){9}$/);
    const replyRecipient = (await deriveMailbox(code)).replyIdentity.recipient().toString();
    const stored = (await fetchReports(stack)).find((s) => decodeReport(s.plaintext).replyRecipient === replyRecipient)!;
    const r = decodeReport(stored.plaintext);
    expect(r.incidentTypes).toEqual(['robbery']);
    expect(r.datePrecision).toBe('week');
    expect(r.area).toBe('Leeds');
    expect(r.identifiers).toEqual({ phones: ['07700 900456'] });
    expect(r.consent).toEqual({ publishWarning: 'yes' });

    // "Make another report" asks first; "keep" keeps the code on screen.
    await page.click('#new-report');
    await page.waitFor('#keep-code');
    await page.click('#keep-code');
    expect(await page.evaluate(() => document.querySelector('ol.code')?.getAttribute('data-code'))).toBe(code);
    await page.click('#new-report');
    await page.click('#confirm-new-report');
    await page.waitFor('#start-quick');
    expect(await page.evaluate(() => document.querySelector('ol.code'))).toBe(null);
    await pw.close();

    // The digits open the same mailbox: a reply sent to it is read with them.
    await replyTo(stack, stored.id, replyRecipient, 'Read with the digits');
    const f = await browser.newPage();
    await f.goto(`${stack.url}/follow-up`);
    await f.waitFor('input[name="word-1"]');
    await f.fill('input[name="word-1"]', digits);
    await f.click('form button[type="submit"]');
    await f.waitFor('.message-text', SLOW);
    expect(await f.text('.message-text')).toBe('Read with the digits');
    await f.playwright!.close();
  }, SLOW * 2);
});

describe('follow-up code entry', () => {
  it('names a word that is not in the list and a missing one, all at once', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/follow-up`);
    await page.waitFor('input[name="word-1"]');
    const words = generateReceiptCode().split(' ');
    words[2] = 'zigzag';
    words[6] = '';
    for (let i = 0; i < 10; i++) if (words[i]) await page.fill(`input[name="word-${i + 1}"]`, words[i]!);
    await page.click('form button[type="submit"]');
    await page.waitFor('#code-errors');
    const errors = await page.evaluate(() => [...document.querySelectorAll('#code-errors li')].map((li) => li.textContent));
    expect(errors).toEqual([en['follow.unknownWord'].replace('{n}', '3').replace('{word}', 'zigzag'), en['follow.missingWord'].replace('{n}', '7')]);
    const invalid = await page.evaluate(() => [...document.querySelectorAll('.code-boxes input[aria-invalid="true"]')].map((i) => i.getAttribute('name')));
    expect(invalid).toEqual(['word-3', 'word-7']);
    // Completion from the list: typing a start offers the words.
    await page.fill('input[name="word-3"]', 'velo');
    await page.waitFor('.suggest button');
    await page.click('.suggest button');
    expect(await page.evaluate(() => (document.querySelector('input[name="word-3"]') as HTMLInputElement).value)).toBe('velour');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('word-4');
    await page.playwright!.close();
  }, SLOW);

  it('sends a well-formed code without a mailbox back to entry instead of an empty conversation', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/follow-up`);
    await page.waitFor('input[name="word-1"]');
    await page.fill('input[name="word-1"]', generateReceiptCode());
    await page.click('form button[type="submit"]');
    await page.waitFor('#code-errors', SLOW);
    expect(await page.text('#code-errors')).toBe(en['follow.notFoundEntry']);
    expect(await page.evaluate(() => !!document.querySelector('input[name="word-1"]') && !document.querySelector('.messages'))).toBe(true);
    await page.playwright!.close();
  }, SLOW);
});

describe('phone layout', () => {
  it('at 360 px the sticky bar is one compact row and never covers the field that has focus', async () => {
    const page = await browser.newPage();
    const pw = page.playwright!;
    await pw.setViewportSize({ width: 360, height: 640 });
    await openWizard(page);
    expect(await page.evaluate(() => document.querySelector('header.top')!.getBoundingClientRect().height)).toBeLessThanOrEqual(64);
    await page.click('#start-full');
    await page.click('input[name="incidentTypes"][value="threats"]');
    for (let i = 0; i < 4; i++) {
      await next(page);
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.waitFor('input[name="count"]');
    const covered: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.press('Tab');
      const r = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const bar = document.querySelector('header.top')!.getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return { name: el.getAttribute('name') ?? el.tagName, top: box.top, bottom: box.bottom, bar: bar.bottom, inHeader: !!el.closest('header') };
      });
      if (r.name !== 'BODY' && !r.inHeader && r.top < r.bar) covered.push(`${r.name}: top ${r.top} under the bar (${r.bar})`);
    }
    expect(covered).toEqual([]);
    await pw.close();
  }, SLOW);
});
