/**
 * The members' pages in chromium against a real server: join (encrypted application, proof
 * of work) → approval through the signed coordinator API → login → warnings signed with the
 * coordinator's key appear with a verified mark; a warning with a broken signature injected
 * straight into the database is flagged without its content; a withdrawn warning disappears
 * and a correction replaces its original, also through the on-device copy and incremental
 * sync; settings are encrypted to the coordinators; leaving deletes the account. axe-core on
 * every page, screenshots at 360 px and desktop in /tmp/tipline-member-shots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page as PwPage } from 'playwright-core';
import {
  bytes,
  decodeApplication,
  decrypt,
  documentId,
  encodeWarning,
  signDocument,
  signProfile,
  signWarning,
  signWithdrawal,
  type Warning,
} from '../../crypto/index.js';
import { findMemberByLogin, publishWarning } from '../../server/db/queries.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { startStack, type Stack } from './helpers/stack.js';

const SLOW = 180_000;
const AXE = readFileSync(resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
const SHOTS = '/tmp/tipline-member-shots';

let stack: Stack;
let browser: Browser;
let page: Page;
let pw: PwPage;

const today = () => new Date().toISOString().slice(0, 10);
const warning = (over: Partial<Warning> = {}): Warning => ({
  schemaVersion: 1,
  published: today(),
  regions: ['north'],
  month: today().slice(0, 7),
  partOfDay: 'evening',
  incidentTypes: ['violence'],
  ...over,
});

async function publish(w: Warning): Promise<string> {
  const { envelope, id } = signWarning(w, stack.coordinator.signingSeed);
  const r = await stack.coordinatorFetch('POST', '/api/coordinator/warnings', envelope);
  if (r.status !== 201) throw new Error(`publish failed: ${r.status} ${await r.text()}`);
  return id;
}

async function runAxe(): Promise<string[]> {
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(AXE + ';undefined');
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

/** axe at 360 px and at desktop width, a full-page screenshot of each, and no horizontal overflow on the phone. */
async function checkPage(name: string): Promise<void> {
  expect(await page.evaluate('window.__cspViolations'), `${name}: CSP violations`).toEqual([]);
  for (const [label, width] of [
    ['360', 360],
    ['desktop', 1280],
  ] as const) {
    await pw.setViewportSize({ width, height: 800 });
    expect(await runAxe(), `${name} at ${label}`).toEqual([]);
    if (width === 360) expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await pw.screenshot({ path: `${SHOTS}/${name}-${label}.png`, fullPage: true });
  }
  await pw.setViewportSize({ width: 360, height: 800 });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack({ powDifficulty: 4 });
  const profile = signProfile(
    {
      version: 1,
      issued: today(),
      name: 'Test Safety Scheme (fictional)',
      regions: [
        { id: 'north', name: 'North' },
        { id: 'south', name: 'South' },
      ],
      contacts: [
        { kind: 'emergency', name: 'Emergency services', phone: '999', note: 'or 112' },
        { kind: 'scheme', name: 'The scheme', email: 'help@example.org' },
      ],
      nextSteps: 'A coordinator reads it.',
      languages: ['en'],
    },
    stack.rootSeed,
  );
  const r = await fetch(`${stack.url}/api/profile`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
  if (r.status !== 200) throw new Error(`profile upload failed: ${r.status}`);
  browser = await launch('chromium');
  page = await browser.newPage();
  pw = page.playwright!;
  await pw.setViewportSize({ width: 360, height: 800 });
}, SLOW);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const LOGIN = 'rosa-test';
const PASS = 'correct horse battery staple';

describe('members in chromium', () => {
  it(
    'joins with an application only the coordinators can read, is told plainly while pending, and logs in once approved',
    async () => {
      await page.goto(`${stack.url}/join`);
      await page.waitFor('input[name="type"]');
      expect(await page.text('main')).toContain('What happens next');
      expect(await page.text('main')).toContain('How to leave');
      expect(await page.text('footer')).toContain('999');
      await checkPage('join');
      await page.click('input[name="type"][value="sex-worker"]');
      await page.fill('input[name="workingName"]', 'Rosa');
      await page.click('input[name="regions"][value="north"]');
      await page.fill('input[name="email"]', 'rosa@example.net');
      await page.fill('input[name="login"]', LOGIN);
      await page.fill('input[name="passphrase"]', PASS);
      await page.fill('input[name="passphrase2"]', PASS);
      await page.click('button[type="submit"]');
      await pw.getByText('Application sent').waitFor({ timeout: SLOW });

      const apps = (await (await stack.coordinatorFetch('GET', '/api/coordinator/applications')).json()) as { applications: { id: string; login: string; application: string }[] };
      const mine = apps.applications.find((a) => a.login === LOGIN)!;
      expect(mine).toBeDefined();
      const text = JSON.stringify(mine);
      expect(text).not.toContain('Rosa');
      expect(text).not.toContain('rosa@example.net');
      const app = decodeApplication(await decrypt([stack.coordinator.identity], bytes.fromBase64Padded(mine.application)));
      expect(app).toEqual({ schemaVersion: 1, type: 'sex-worker', workingName: 'Rosa', regions: ['north'], email: 'rosa@example.net' });

      await page.goto(`${stack.url}/login`);
      await page.waitFor('input[name="login"]');
      await checkPage('login');
      await page.fill('input[name="login"]', LOGIN);
      await page.fill('input[name="passphrase"]', PASS);
      await page.click('button[type="submit"]');
      await pw.getByText('waiting for a coordinator').waitFor();
      // Nothing to read before approval, through any route the page could use.
      expect((await fetch(`${stack.url}/api/warnings`)).status).toBe(401);

      expect((await stack.coordinatorFetch('POST', `/api/coordinator/applications/${mine.id}`, { decision: 'approve' })).status).toBe(200);
      await page.click('button[type="submit"]');
      await pw.waitForURL(/\/warnings$/);
      await page.waitFor('.count');
    },
    SLOW,
  );

  it(
    'shows a warning signed with the coordinator key with a verified mark, and flags one with a broken signature injected into the database',
    async () => {
      await publish(warning({ summary: 'Hit a worker <b>when</b> asked to pay.', offender: 'Tall man, about 40.', identifiers: [{ kind: 'phone', masked: '07*** ***123' }], advice: 'Take payment first.' }));
      // A forged warning straight into the database: valid JSON, signature not over these bytes.
      const forgedPayload = encodeWarning(warning({ summary: 'FORGED: meet him anywhere, he is safe.', regions: ['south'] }));
      const genuine = signDocument('warning', encodeWarning(warning({ summary: 'something else' })), stack.coordinator.signingSeed);
      const forged = { ...genuine, payload: bytes.base64Padded(forgedPayload) };
      expect(await publishWarning(stack.db, documentId(forgedPayload), JSON.stringify(forged), today())).toBe('ok');

      await page.goto(`${stack.url}/warnings`);
      await page.waitFor('.mark.verified');
      const verified = await page.text('.warning-item:not(.failed)');
      expect(verified).toContain('Verified: signed by Test Coordinator');
      expect(verified).toContain('Hit a worker <b>when</b> asked to pay.'); // text, never markup
      expect(verified).toContain('07*** ***123');
      expect(await page.evaluate('document.querySelectorAll(".warning-card b").length')).toBe(0);
      const flagged = await page.text('.warning-item.failed');
      expect(flagged).toContain('Not verified');
      expect(flagged).toContain('changed after signing');
      expect(await page.text('main')).not.toContain('FORGED');
      expect(await page.evaluate('document.querySelectorAll(".warning-item.failed .mark.verified").length')).toBe(0);
      // Nothing is kept on the device until the member opts in.
      expect(await page.evaluate('window.__storageWrites')).toEqual([]);
      await checkPage('warnings');
    },
    SLOW,
  );

  it(
    'removes a withdrawn warning and replaces a corrected one, through the device copy and incremental sync, and forgets the device',
    async () => {
      const gone = await publish(warning({ summary: 'This one will be withdrawn.' }));
      const original = await publish(warning({ summary: 'Original wording, silver car.' }));
      await page.goto(`${stack.url}/warnings`);
      await pw.getByText('Original wording, silver car.').waitFor();
      await page.click('section[aria-labelledby="device-h"] input[type="checkbox"]');
      await pw.getByText('kept on this device').waitFor();
      expect(await page.evaluate('localStorage.length')).toBe(1);

      const w = signWithdrawal({ schemaVersion: 1, published: today(), withdraws: gone }, stack.coordinator.signingSeed);
      expect((await stack.coordinatorFetch('POST', '/api/coordinator/warnings', w.envelope)).status).toBe(200);
      await publish(warning({ summary: 'Corrected wording, blue car.', supersedes: original }));

      const syncs: string[] = [];
      pw.on('request', (r) => {
        if (r.url().includes('/api/warnings')) syncs.push(new URL(r.url()).search);
      });
      await page.goto(`${stack.url}/warnings`);
      await pw.getByText('Corrected wording, blue car.').waitFor();
      const main = await page.text('main');
      expect(main).not.toContain('This one will be withdrawn.');
      expect(main).not.toContain('Original wording, silver car.');
      expect(main).toContain('Corrected');
      // The page started from its stored cursor, not from zero.
      expect(syncs[0]).not.toBe('?since=0');

      await pw.selectOption('#f-region', 'south');
      expect(await page.text('main')).not.toContain('Corrected wording, blue car.');
      await pw.selectOption('#f-region', '');

      await pw.getByRole('button', { name: 'Forget this device' }).click();
      await pw.getByText('no longer holds any warnings').waitFor();
      expect(await page.evaluate('localStorage.length')).toBe(0);
    },
    SLOW,
  );

  it(
    'changes settings encrypted to the coordinators, then leaves, deleting the account',
    async () => {
      await page.goto(`${stack.url}/settings`);
      await page.waitFor('input[name="type"]');
      await checkPage('settings');
      await page.click('input[name="type"][value="support-project"]');
      await page.fill('input[name="workingName"]', 'Rosa Project');
      await page.click('input[name="regions"][value="south"]');
      await page.fill('input[name="mobile"]', '07700 900123');
      await page.click('input[name="paused"]');
      await pw.getByRole('button', { name: 'Save settings' }).click();
      await pw.getByText('Alerts are paused').waitFor({ timeout: SLOW });
      const members = (await (await stack.coordinatorFetch('GET', '/api/coordinator/members')).json()) as { members: { login: string; application: string }[] };
      const me = members.members.find((m) => m.login === LOGIN)!;
      const app = decodeApplication(await decrypt([stack.coordinator.identity], bytes.fromBase64Padded(me.application)));
      expect(app).toEqual({ schemaVersion: 1, type: 'support-project', workingName: 'Rosa Project', regions: ['south'], mobile: '07700 900123', paused: true });

      await page.click('section[aria-labelledby="leave-h"] input[type="checkbox"]');
      await pw.getByRole('button', { name: 'Leave and delete my account' }).click();
      await pw.waitForURL(/\/login\?left$/);
      await pw.getByText('Your account has been deleted').waitFor();
      expect(await findMemberByLogin(stack.db, LOGIN)).toBeUndefined();
      await page.goto(`${stack.url}/warnings`);
      await pw.getByText('You are not logged in').waitFor();
      expect(page.errors).toEqual([]);
      expect(page.requests.filter((u) => !u.startsWith(stack.url))).toEqual([]);
      expect(await page.cookies()).toEqual([]);
    },
    SLOW,
  );
});
