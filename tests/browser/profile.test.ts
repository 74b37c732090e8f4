/**
 * The signed organisation profile on the reporter's pages (issue 13), in chromium against a
 * real server: before any profile the generic 999/112 text; a root-signed profile shows its
 * name and emergency contact; a profile signed by another key (as a seized server could
 * store) is not shown and the generic text comes back. Screenshots at 360 px in
 * /tmp/tipline-profile-shots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primitives, signProfile, type Profile } from '../../crypto/index.js';
import { en } from '../../client/i18n/en.js';
import { ro } from '../../client/i18n/ro.js';
import { insertKeyring, insertProfile } from '../../server/db/queries.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { makeKeyring, startStack, type Stack } from './helpers/stack.js';
import { SLOW } from './journey.js';

const SHOTS = '/tmp/tipline-profile-shots';
let stack: Stack;
let browser: Browser;
let page: Page;

const AXE = readFileSync(resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe violations on the current page. */
async function runAxe(): Promise<string[]> {
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(AXE + ';undefined');
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

const today = () => new Date().toISOString().slice(0, 10);
const profile = (version: number, name: string): Profile => ({
  version,
  issued: today(),
  name,
  regions: [{ id: 'north', name: 'North' }],
  contacts: [
    { kind: 'emergency', name: 'Emergency services', phone: '999', note: 'or 112 from any phone' },
    { kind: 'support', name: 'Test support line', phone: '01632 960000', hours: 'Mon-Fri 10:00-18:00' },
    { kind: 'scheme', name: 'Test scheme coordinators', email: 'help@example.org' },
  ],
  nextSteps: 'A coordinator reads each report.',
  languages: ['en'],
});

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack({ powDifficulty: 4 });
  browser = await launch('chromium');
  page = await browser.newPage();
  await page.playwright!.setViewportSize({ width: 360, height: 800 });
}, SLOW);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Open the intro and wait until the profile request has been answered and rendered. */
async function intro(): Promise<{ help: string; state: string }> {
  const pw = page.playwright!;
  const answered = pw.waitForResponse((r) => r.url().endsWith('/api/profile'), { timeout: 30_000 });
  await page.goto(`${stack.url}/`);
  await page.waitFor('aside.help');
  await answered;
  // Verification runs after the response; give it a moment, then read what is shown.
  await pw.waitForTimeout(1500);
  return { help: await page.text('aside.help'), state: await page.evaluate(() => document.querySelector('aside.help')!.getAttribute('data-profile')!) };
}

/** The quick report path, up to its summary. */
async function quickReportToSummary(): Promise<void> {
  const next = () => page.click('form button[type="submit"]');
  await page.goto(`${stack.url}/`);
  await page.waitFor('#start-quick');
  await page.click('#start-quick');
  await page.waitFor('input[name="incidentTypes"]');
  await page.click('input[name="incidentTypes"][value="robbery"]');
  await next();
  await page.waitFor('input[name="when"]');
  await page.click('input[name="when"][value="week"]');
  await page.fill('input[name="area"]', 'Leeds');
  await next();
  await page.waitFor('input[name="phone-0"]');
  await page.fill('input[name="phone-0"]', '07700 900456');
  await next();
  await page.waitFor('input[name="publishWarning"]');
  await page.click('input[name="publishWarning"][value="yes"]');
  await next();
  await page.waitFor('.summary');
}

describe('organisation profile on the reporter pages', () => {
  it('with no profile stored the generic emergency text stays', async () => {
    const { help, state } = await intro();
    expect(state).toBe('none');
    expect(help).toContain(en['help.emergency']);
  }, SLOW);

  it('a root-signed profile shows its name and emergency contact, after the first paint', async () => {
    const r = await fetch(`${stack.url}/api/profile`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signProfile(profile(1, 'Test Safety Scheme (fictional)'), stack.rootSeed)),
    });
    expect(r.status).toBe(200);
    const { help, state } = await intro();
    expect(state).toBe('verified');
    expect(help).toContain('Test Safety Scheme (fictional)');
    expect(await page.text('aside.help .contact-emergency')).toContain('999');
    expect(await page.evaluate(() => document.querySelector('aside.help .contact-emergency a')!.getAttribute('href'))).toBe('tel:999');
    expect(help).toContain('Test support line');
    // The profile's emergency contact replaces the generic line rather than repeating it.
    expect(help).not.toContain(en['help.emergency']);
    expect(page.errors).toEqual([]);
    await page.playwright!.screenshot({ path: join(SHOTS, 'intro-360.png'), fullPage: true });
    // No horizontal overflow at 360 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await runAxe()).toEqual([]);
  }, SLOW);

  it('the server-rendered pages (404, no-JS form) carry the same verified profile', async () => {
    for (const path of ['/no-such-page', '/report/basic', '/report/basic?lang=ro']) {
      const res = await fetch(`${stack.url}${path}`);
      const html = await res.text();
      expect(html, path).toContain('data-profile="verified"');
      expect(html, path).toContain('Test Safety Scheme (fictional)');
      expect(html, path).toContain('<a href="tel:999">999</a>');
    }
    // The 404 page is in the visitor's language (Accept-Language), its help labels from that reporter catalogue.
    const missing = await (await fetch(`${stack.url}/no-such-page`)).text();
    expect(missing).toContain(`<p class="contact-group">${en['profile.emergency']}</p>`);
    expect(missing).toContain(`aria-label="${en['profile.heading']}"`);
    const missingRo = await (await fetch(`${stack.url}/no-such-page`, { headers: { 'Accept-Language': 'ro-RO,ro;q=0.9,en;q=0.5' } })).text();
    expect(missingRo).toContain('<html lang="ro">');
    expect(missingRo).toContain(`<p class="contact-group">${ro['profile.emergency']}</p>`);
    expect(missingRo).toContain(`aria-label="${ro['profile.heading']}"`);
    await page.goto(`${stack.url}/no-such-page`);
    await page.waitFor('section.help');
    await page.playwright!.screenshot({ path: join(SHOTS, 'not-found-360.png'), fullPage: true });
    expect(await runAxe()).toEqual([]);
  }, SLOW);

  it('the receipt page and the follow-up page show it too', async () => {
    await quickReportToSummary();
    await page.click('form button[type="submit"]');
    await page.waitFor('#new-report', SLOW);
    await page.waitFor('aside.help[data-profile="verified"]');
    expect(await page.text('aside.help')).toContain('Test Safety Scheme (fictional)');
    expect(await page.text('aside.help .contact-emergency')).toContain('999');
    await page.playwright!.screenshot({ path: join(SHOTS, 'receipt-360.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.goto(`${stack.url}/follow-up`);
    await page.waitFor('aside.help[data-profile="verified"]');
    expect(await page.text('aside.help')).toContain('Test Safety Scheme (fictional)');
  }, SLOW);

  it('a refused keyring: the failure screen offers the profile’s contacts as another way to reach the scheme', async () => {
    // A keyring signed by another key, stored as a seized server could: the wizard refuses it.
    const forged = makeKeyring(primitives().randomBytes(32), stack.coordinator, 2).envelope;
    expect(await insertKeyring(stack.db, 2, JSON.stringify(forged), today())).toBe(true);
    await quickReportToSummary();
    await page.click('form button[type="submit"]');
    await page.waitFor('p.error[role="alert"]', SLOW);
    expect(await page.text('#step-heading')).toBe(en['send.failedHeading']);
    expect(await page.text('p.error[role="alert"]')).toBe(en['error.keyring']);
    await page.waitFor('#reach-scheme');
    const help = await page.text('aside.help');
    expect(help).toContain(en['help.reachScheme']);
    expect(help).toContain('help@example.org');
    expect(help).toContain('Test Safety Scheme (fictional)');
    await page.playwright!.screenshot({ path: join(SHOTS, 'keyring-refused-360.png'), fullPage: true });
  }, SLOW);

  it('a profile signed by another key is not shown: the generic text instead', async () => {
    const other = primitives().randomBytes(32);
    const forged = signProfile(profile(2, 'Forged Scheme'), other);
    // Straight into the database, past the server's own check, as a seized server could.
    expect(await insertProfile(stack.db, 2, JSON.stringify(forged), today())).toBe(true);
    const served = await (await fetch(`${stack.url}/api/profile`)).text();
    expect(served).toContain(JSON.parse(JSON.stringify(forged)).payload);
    const { help, state } = await intro();
    expect(state).toBe('none');
    expect(help).not.toContain('Forged Scheme');
    expect(help).toContain(en['help.emergency']);
    for (const path of ['/no-such-page', '/report/basic']) {
      const html = await (await fetch(`${stack.url}${path}`)).text();
      expect(html, path).toContain('data-profile="none"');
      expect(html, path).not.toContain('Forged Scheme');
      expect(html, path).toContain('999');
    }
  }, SLOW);

  it('a translated profile: the help panel shows the Romanian texts on the Romanian page, the default ones in English', async () => {
    const translated: Profile = {
      ...profile(3, 'Test Safety Scheme (fictional)'),
      translations: [{ lang: 'ro', nextSteps: 'Un coordonator citește fiecare raport.', contacts: [{ note: 'sau 112 de pe orice telefon' }, { hours: 'Lun-Vin 10:00-18:00' }] }],
    };
    const r = await fetch(`${stack.url}/api/profile`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signProfile(translated, stack.rootSeed)) });
    expect(r.status).toBe(200);
    const roPage = await browser.newPage();
    const pw = roPage.playwright!;
    try {
      await pw.setViewportSize({ width: 360, height: 800 });
      await pw.addInitScript(() => Object.defineProperty(Navigator.prototype, 'languages', { get: () => ['ro-RO', 'ro'], configurable: true }));
      await roPage.goto(`${stack.url}/`);
      await roPage.waitFor('aside.help[data-profile="verified"]', 30_000);
      const help = await roPage.text('aside.help');
      expect(await roPage.evaluate(() => document.documentElement.lang)).toBe('ro');
      expect(help).toContain('sau 112 de pe orice telefon');
      expect(help).toContain('Lun-Vin 10:00-18:00');
      expect(help).toContain('Un coordonator citește fiecare raport.');
      expect(help).not.toContain('or 112 from any phone');
      // The numbers are the signed ones in every language.
      expect(await roPage.evaluate(() => document.querySelector('aside.help .contact-emergency a')!.getAttribute('href'))).toBe('tel:999');
      await pw.screenshot({ path: join(SHOTS, 'translated-ro-360.png'), fullPage: true });
      // Switching language in memory switches the profile's texts too.
      await pw.selectOption('#lang', 'en');
      await pw.waitForFunction(() => document.documentElement.lang === 'en');
      await pw.waitForFunction(() => document.querySelector('aside.help')!.textContent!.includes('or 112 from any phone'), undefined, { timeout: 30_000 });
      expect(await roPage.text('aside.help')).not.toContain('sau 112');
    } finally {
      await pw.close();
    }
  }, SLOW);
});
