/**
 * "Check a number" in chromium against a real server (issue 11): warnings are published with
 * private-check tags made by the console's own code (console/warnings.ts checkTags, blinded,
 * signed requests); a member types the number in another format and finds the current
 * warning (not the withdrawn one), finds nothing for an unknown number, and is refused with a
 * clear message over the daily limit. Every request the page and its worker make during the
 * checks is recorded (URL, headers, body): none holds the typed identifier, its normalised
 * form, its Argon2id hash, the OPRF output or the tag, in hex, base64 or base64url.
 * Screenshots at 360 px and desktop in /tmp/tipline-check-shots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page as PwPage, Request } from 'playwright-core';
import {
  blindCheck,
  bytes,
  checkInput,
  checkKey,
  checkTag,
  deriveCheckKey,
  encrypt,
  evaluateOprf,
  keyringRecipients,
  maskIdentifier,
  signProfile,
  signWarning,
  signWithdrawal,
  solvePow,
  type CheckKind,
  type Warning,
} from '../../crypto/index.js';
import { createRemote } from '../../console/remote.js';
import { checkTags } from '../../console/warnings.js';
import type { ConsoleService } from '../../console/service.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { startStack, type Stack } from './helpers/stack.js';

const SLOW = 240_000;
const SHOTS = '/tmp/tipline-check-shots';
const AXE = readFileSync(resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
const LOGIN = 'checker-one';
const PASS = 'correct horse battery staple';
const PUBLISHED = '07700 900123';

let stack: Stack;
let browser: Browser;
let page: Page;
let pw: PwPage;
const recorded: { url: string; headers: string; body: string }[] = [];

const today = () => new Date().toISOString().slice(0, 10);
const warning = (over: Partial<Warning>): Warning => ({ schemaVersion: 1, published: today(), regions: ['north'], month: today().slice(0, 7), incidentTypes: ['violence'], ...over });

async function publish(w: Warning): Promise<string> {
  const { envelope, id } = signWarning(w, stack.coordinator.signingSeed);
  const r = await stack.coordinatorFetch('POST', '/api/coordinator/warnings', envelope);
  if (r.status !== 201) throw new Error(`publish failed: ${r.status} ${await r.text()}`);
  return id;
}

const seen = new Set<Request>();
/** The page and its context both report a request: keep each once. */
async function record(r: Request): Promise<void> {
  if (seen.has(r)) return;
  seen.add(r);
  recorded.push({ url: r.url(), headers: JSON.stringify(await r.allHeaders()), body: r.postDataBuffer()?.toString('latin1') ?? '' });
}

async function runCheck(value: string): Promise<string> {
  await page.fill('#check-value', value);
  await page.click('.check-form button[type="submit"]');
  await pw.waitForSelector('.check-answer .found, .check-answer .not-found, .check-answer .error', { timeout: SLOW });
  return page.text('.check-answer');
}

/** axe-core's serious and critical violations on the page as it is now. */
async function runAxe(): Promise<string[]> {
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(AXE + ';undefined');
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

/** Screenshots at 360 px and desktop, axe at both, no horizontal overflow on the phone. */
async function shots(name: string): Promise<void> {
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
      regions: [{ id: 'north', name: 'North' }],
      contacts: [{ kind: 'emergency', name: 'Emergency services', phone: '999' }],
      nextSteps: 'A coordinator reads it.',
      languages: ['en'],
    },
    stack.rootSeed,
  );
  expect((await fetch(`${stack.url}/api/profile`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) })).status).toBe(200);

  // A member, approved through the signed coordinator API.
  const { challenge, difficulty } = (await (await fetch(`${stack.url}/api/pow`)).json()) as { challenge: string; difficulty: number };
  const application = bytes.base64Padded(await encrypt(keyringRecipients(stack.keyring), bytes.utf8('{}')));
  const applied = await fetch(`${stack.url}/api/members/apply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tipline-pow': await solvePow(challenge, difficulty) },
    body: JSON.stringify({ login: LOGIN, passphrase: PASS, application }),
  });
  const { id } = (await applied.json()) as { id: string };
  expect((await stack.coordinatorFetch('POST', `/api/coordinator/applications/${id}`, { decision: 'approve' })).status).toBe(200);

  // Warnings with tags made the console's way: checkTags blinds, the server evaluates, the console finalises.
  const con = { remote: createRemote(stack.url, stack.coordinator.signingSeed) } as unknown as ConsoleService;
  const [phoneTag, plateTag] = await checkTags(con, [
    { kind: 'phone', value: PUBLISHED },
    { kind: 'plate', value: 'AB12 CDE' },
  ]);
  expect(phoneTag).toBeDefined();
  await publish(
    warning({
      summary: 'Current warning with the number.',
      identifiers: [{ kind: 'phone', masked: maskIdentifier('phone', PUBLISHED) }],
      checkTags: [phoneTag!, plateTag!],
    }),
  );
  const gone = await publish(warning({ summary: 'Withdrawn warning with the same number.', checkTags: [phoneTag!] }));
  const w = signWithdrawal({ schemaVersion: 1, published: today(), withdraws: gone }, stack.coordinator.signingSeed);
  expect((await stack.coordinatorFetch('POST', '/api/coordinator/warnings', w.envelope)).status).toBe(200);
  await publish(warning({ summary: 'Unrelated warning.' }));

  browser = await launch('chromium');
  page = await browser.newPage();
  pw = page.playwright!;
  await pw.setViewportSize({ width: 360, height: 800 });
}, SLOW);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('check a number in chromium', () => {
  it(
    'finds the current warning for the number typed in another format, nothing for an unknown one, and no request carries the query',
    async () => {
      await page.goto(`${stack.url}/login`);
      await page.waitFor('input[name="login"]');
      await page.fill('input[name="login"]', LOGIN);
      await page.fill('input[name="passphrase"]', PASS);
      await page.click('button[type="submit"]');
      await pw.waitForURL(/\/warnings$/);
      await pw.getByRole('link', { name: 'Check a number' }).click();
      await pw.waitForURL(/\/check$/);
      await page.waitFor('#check-value');

      // From here on, every request of the page and of its workers is recorded.
      pw.on('request', (r) => void record(r));
      pw.context().on('request', (r) => void record(r));
      const workers: string[] = [];
      pw.on('worker', (wk) => workers.push(wk.url()));

      const typed = ['+44 7700 900123', '0044 7700900123'];
      const found = await runCheck(typed[0]!);
      expect(found).toContain('Found in 1 current warning');
      expect(found).toContain('Current warning with the number.');
      expect(found).not.toContain('Withdrawn warning');
      expect(found).not.toContain('Unrelated');
      await shots('found');
      expect(await runCheck(typed[1]!)).toContain('Found in 1 current warning');

      // A plate with other spacing and case, through the kind the page guessed.
      expect(await runCheck('ab12cde')).toContain('Found in 1 current warning');
      const unknown = '07700 900999';
      const none = await runCheck(unknown);
      expect(none).toContain('No current warning carries this');
      await shots('not-found');
      expect(workers.some((u) => u.includes('check-worker'))).toBe(true);

      // Nothing recorded holds the query in any form.
      await new Promise((r) => setTimeout(r, 500));
      const checks = recorded.filter((r) => new URL(r.url).pathname === '/api/check');
      expect(checks.length).toBeGreaterThanOrEqual(4);
      const sk = deriveCheckKey(stack.checkKey);
      const forbidden = new Set<string>();
      const queries: [CheckKind, string][] = [...[...typed, PUBLISHED, unknown].map((v): [CheckKind, string] => ['phone', v]), ['plate', 'ab12cde']];
      for (const [kind, t] of queries) {
        const key = checkKey(kind, t)!;
        const input = checkInput(key);
        const output = evaluateOprf(sk, input);
        forbidden.add(t).add(t.replace(/\s/g, '')).add(key).add(key.slice(key.indexOf(':') + 1));
        for (const b of [input, output, checkTag(output)]) {
          forbidden.add(bytes.toHex(b)).add(bytes.base64Padded(b).replace(/=+$/, '')).add(bytes.base64Padded(b).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
        }
        forbidden.add(encodeURIComponent(t));
      }
      for (const r of recorded) {
        for (const f of forbidden) {
          for (const where of [r.url, r.headers, r.body]) expect(where.includes(f), `${r.url} carries ${f}`).toBe(false);
        }
      }
      // The check request is a blinded element only.
      for (const c of checks) expect(Object.keys(JSON.parse(c.body) as object)).toEqual(['blinded']);
      // Blinded elements are fresh each time: the server cannot link two checks of one number.
      expect(new Set(checks.map((c) => c.body)).size).toBe(checks.length);
      expect(page.errors).toEqual([]);
      expect(page.requests.filter((u) => !u.startsWith(stack.url))).toEqual([]);
    },
    SLOW,
  );

  it(
    'refuses a member over the daily limit with a clear message',
    async () => {
      // Use up the rest of the day from another session of the same member.
      const login = await fetch(`${stack.url}/api/members/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: LOGIN, passphrase: PASS }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      let status = 200;
      for (let i = 0; i < 100 && status === 200; i++) {
        const blinded = bytes.base64Padded(blindCheck(crypto.getRandomValues(new Uint8Array(32))).blinded);
        status = (await fetch(`${stack.url}/api/check`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ blinded }) })).status;
      }
      expect(status).toBe(429);
      const text = await runCheck(PUBLISHED);
      expect(text).toContain('You have used all of today’s checks. You can check again tomorrow.');
      expect(text).not.toContain('Found');
      await shots('limit');
    },
    SLOW,
  );
});
