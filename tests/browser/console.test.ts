/**
 * The coordinator console (issue 9) in chromium against a real `tipline serve`: two
 * coordinators' consoles spawned with `tipline console`, reports sent through the reporter's
 * page and the public API (real proof of work), and the console's refusals.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, encodeReport, encrypt, keyringRecipients, pad, verifyKeyring, type Report } from '../../crypto/index.js';
import { ensurePages } from '../../console/pages.js';
import { REPO, TEST_SERVER_CONFIG, prepareOrganisation, startTiplineServer, type PreparedOrganisation, type SpawnedServer } from '../helpers/server.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { postApplication, postAttachment, postReport, rawRequest, spawnConsole, writeIdentity, type SpawnedConsole } from './helpers/console.js';
import { buildClient } from './helpers/stack.js';
import { SLOW, TYPED, fillWizard, cameraPhoto, sendAndGetCode } from './journey.js';

let dir: string;
let org: PreparedOrganisation;
let server: SpawnedServer;
let A: SpawnedConsole;
let B: SpawnedConsole;
let browser: Browser;
let reporter: Page;
let code: string;
const ids: Record<'api' | 'hostile' | 'huge' | 'schema' | 'undecryptable' | 'behalf', string> = {} as never;
let recipients: ReturnType<typeof keyringRecipients>;

const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;

function allFiles(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

/** waitForFunction with a function: the console's CSP (rightly) forbids evaluating strings. */
async function until<A>(page: Page, fn: (arg: A) => unknown, arg?: A, timeout = 30_000): Promise<void> {
  await page.playwright!.waitForFunction(fn as never, arg as never, { timeout });
}

async function select(page: Page, selector: string, value: string): Promise<void> {
  await page.waitFor(selector);
  await page.playwright!.selectOption(selector, value);
}

async function openCase(page: Page, id: string): Promise<void> {
  await page.evaluate((h: string) => (location.hash = h), `#/case/${encodeURIComponent(id)}`);
  await until(page, (x: string) => document.querySelector('.case-view')?.getAttribute('data-id') === x, id);
}

async function syncNow(page: Page): Promise<void> {
  await page.click('button[name="sync"]');
  await until(page, () => document.querySelector('button[name="sync"]')?.textContent === 'sync now', undefined, SLOW);
}

function minimalReport(extra: Partial<Report>): Report {
  return { schemaVersion: 1, incidentTypes: ['threats'], consent: { publishWarning: 'unsure' }, ...extra } as Report;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tipline-console-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  org = prepareOrganisation(dataDir, 2);
  const clientDir = join(dir, 'client');
  await buildClient(org.rootPublicKey, clientDir);
  ensurePages(() => undefined);
  server = await startTiplineServer({
    dataDir,
    org: 'existing',
    config: { ...TEST_SERVER_CONFIG, clientDir, limits: { reportBytes: 2 << 20 } },
  });
  const keyring = verifyKeyring((await (await fetch(`${server.url}/api/keyring`)).json()) as never, org.rootPublicKey);
  recipients = keyringRecipients(keyring);

  // The reporter's page: a full report with a photo and phone "+44 7700 900123".
  browser = await launch('chromium');
  reporter = await browser.newPage();
  await reporter.goto(`${server.url}/`);
  const photo = await cameraPhoto(reporter);
  await fillWizard(reporter, photo);
  code = await sendAndGetCode(reporter);

  // The same phone written the national way, through the API.
  ids.api = (await postReport(server.url, await encrypt(recipients, encodeReport(minimalReport({ area: 'Bradford', identifiers: { phones: ['07700 900123'] } }))))).id;

  // Hostile content.
  const hostile = minimalReport({
    area: 'Hostile town',
    account: '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"><b>bold</b> \u202Eevil\u202C zero\u200Bwidth',
    offender: { nameGiven: '<iframe src="javascript:window.__xss=3">' },
  });
  const h = await postReport(server.url, await encrypt(recipients, encodeReport(hostile)));
  ids.hostile = h.id;
  await postAttachment(server.url, h, recipients, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  await postAttachment(server.url, h, recipients, bytes.utf8('<html><script>window.__xss=4</script></html>'));
  // Raw control characters: not even JSON any more.
  const huge = `{"schemaVersion":1,"account":"${'A'.repeat(1 << 20)}","x":"\u0000\u0007<script>window.__xss=5</script>"}`;
  ids.huge = (await postReport(server.url, await encrypt(recipients, bytes.utf8(huge)))).id;
  const bad = '{"hello":"<img src=x onerror=window.__xss=6>","ctl":"\u0001\u001b[31m"}';
  ids.schema = (await postReport(server.url, await encrypt(recipients, pad(bytes.utf8(bad))))).id;
  const strangers = [HybridIdentity.generate(), HybridIdentity.generate()].map((i) => i.recipient());
  ids.undecryptable = (await postReport(server.url, await encrypt(strangers, encodeReport(minimalReport({}))))).id;

  // Through the no-JavaScript form (the server encrypts), and on someone else's behalf.
  const form = await (await fetch(`${server.url}/report/basic`)).text();
  const token = /name="token" value="([^"]+)"/.exec(form)![1]!;
  const posted = await fetch(`${server.url}/report/basic`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([
      ['token', token],
      ['incidentTypes', 'robbery'],
      ['area', 'No-JS town'],
      ['account', 'Sent without JavaScript.'],
      ['publishWarning', 'no'],
    ]).toString(),
  });
  if (posted.status !== 303) throw new Error(`no-JS report refused: ${posted.status}`);
  const behalf = minimalReport({ area: 'Behalf town', onBehalfOf: { forSomeoneElse: true, theyConsented: true } });
  ids.behalf = (await postReport(server.url, await encrypt(recipients, encodeReport(behalf)))).id;

  const keys = join(dir, 'keys');
  mkdirSync(keys, { mode: 0o700 });
  const root = bytes.base64Padded(org.rootPublicKey);
  const a = await writeIdentity(keys, org.coordinators[0]!);
  const b = await writeIdentity(keys, org.coordinators[1]!);
  A = await spawnConsole(['--server', server.url, '--identity', a.identity, '--passphrase-file', a.passphrase, '--root-key', root]);
  B = await spawnConsole(['--server', server.url, '--identity', b.identity, '--passphrase-file', b.passphrase, '--root-key', root]);
}, SLOW * 4);

afterAll(async () => {
  await browser?.close();
  await A?.stop();
  await B?.stop();
  await server?.stop({ keepDataDir: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('coordinator console', () => {
  it('prints one line with a token of at least 128 bits and refuses requests without it, with a wrong one, a foreign Host or a foreign Origin', async () => {
    expect(A.output()).toMatch(/^console: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/m);
    const host = `127.0.0.1:${A.port}`;
    const cookie = `tipline_console_${A.port}=${A.token}`;
    expect((await rawRequest(A.port, 'GET', '/', { host })).status).toBe(403);
    expect((await rawRequest(A.port, 'GET', '/api/session', { host })).status).toBe(403);
    expect((await rawRequest(A.port, 'GET', '/?token=' + 'A'.repeat(43), { host })).status).toBe(403);
    expect((await rawRequest(A.port, 'GET', '/api/session', { host, cookie: `tipline_console_${A.port}=${'A'.repeat(43)}` })).status).toBe(403);
    // B's token does not open A.
    expect((await rawRequest(A.port, 'GET', `/?token=${B.token}`, { host })).status).toBe(403);

    const swap = await rawRequest(A.port, 'GET', `/?token=${A.token}`, { host });
    expect(swap.status).toBe(303);
    expect(swap.headers.location).toBe('/');
    const set = String(swap.headers['set-cookie']);
    expect(set).toContain(cookie);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);

    const ok = await rawRequest(A.port, 'GET', '/api/session', { host, cookie });
    expect(ok.status).toBe(200);
    expect((await rawRequest(A.port, 'GET', '/api/session', { host: `localhost:${A.port}`, cookie })).status).toBe(200);
    // DNS rebinding: the right cookie, a foreign name.
    expect((await rawRequest(A.port, 'GET', '/api/session', { host: `evil.example:${A.port}`, cookie })).status).toBe(403);
    expect((await rawRequest(A.port, 'GET', '/', { host: `127.0.0.1:${A.port + 1}`, cookie })).status).toBe(403);
    // CSRF: state changes need our own Origin.
    const post = (origin?: string) =>
      rawRequest(A.port, 'POST', '/api/sync', { host, cookie, 'content-type': 'application/json', ...(origin ? { origin } : {}) }, '{}');
    expect((await post('http://evil.example')).status).toBe(403);
    expect((await post(`http://127.0.0.1:${A.port + 1}`)).status).toBe(403);
    expect((await post()).status).toBe(403);
    expect((await post(`http://127.0.0.1:${A.port}`)).status).toBe(200);

    // The public server never serves the console's pages.
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(readFileSync(join(REPO, 'dist/console/index.html'), 'utf8'))![1]!;
    expect((await rawRequest(A.port, 'GET', asset, { host, cookie })).status).toBe(200);
    expect((await fetch(server.url + asset)).status).toBe(404);

    const csp = String(ok.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe|https?:|\*/);
  });

  it(
    'shows the reporter page report decrypted, links "07700 900123" with "+44 7700 900123", and groups the offender',
    async () => {
      const page = await browser.newPage();
      await page.goto(A.url);
      await page.waitFor('li.case');
      // The token left the address bar; the cookie is HttpOnly and SameSite=Strict.
      expect(await page.evaluate(() => location.href)).toBe(`${A.origin}/`);
      expect(await page.evaluate(() => document.cookie)).toBe('');
      const cookies = (await page.cookies()) as { name: string; httpOnly: boolean; sameSite: string }[];
      expect(cookies.find((c) => c.name === `tipline_console_${A.port}`)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

      await page.fill('input[name="q"]', '07700 900123');
      await until(page, () => document.querySelectorAll('li.case').length === 2);
      const found = await page.evaluate(() => [...document.querySelectorAll('li.case')].map((li) => li.getAttribute('data-id')!));
      expect(found).toContain(ids.api);
      const pageReport = found.find((x) => x !== ids.api)!;
      await page.fill('input[name="q"]', '+44 7700 900123');
      await until(page, () => document.querySelectorAll('li.case').length === 2);

      await openCase(page, pageReport);
      expect(await page.text('[data-field="account"]')).toBe(TYPED.account);
      expect(await page.text('[data-field="nameGiven"]')).toBe(TYPED.nameGiven);
      expect(await page.evaluate(() => document.querySelectorAll('.case-view dd b, .case-view p b').length)).toBe(0);
      expect(await page.text('[data-consent="publishWarning"]')).toBe('yes');
      expect(await page.text('[data-consent="shareWithPolice"]')).toBe('no');
      expect(await page.evaluate(() => document.querySelector('.seen')!.getAttribute('data-seen'))).toBe('1');
      expect(await page.evaluate((id: string) => !!document.querySelector(`a[data-related="${id}"]`), ids.api)).toBe(true);
      expect(await page.evaluate(() => document.querySelector('[data-key="phone:+447700900123"]') !== null)).toBe(true);
      // The photo decodes and shows, at the size the reporter's browser re-encoded it to.
      await until(page, () => {
        const i = document.querySelector('li.photo img') as HTMLImageElement | null;
        return i && i.complete && i.naturalWidth === 1600;
      });

      await page.evaluate(() => (location.hash = '#/offenders'));
      await page.waitFor('.group');
      const groups = await page.evaluate(() => [...document.querySelectorAll('.group')].map((g) => [...g.querySelectorAll('li.case')].map((li) => li.getAttribute('data-id'))));
      expect(groups.some((g) => g.includes(ids.api) && g.includes(pageReport))).toBe(true);
      expect(page.errors).toEqual([]);
    },
    SLOW,
  );

  it(
    "carries a note, tags, assignment and state from A's console to B's, and the note's text is in no server file",
    async () => {
      const note = unique('Note only coordinators read');
      const tag = unique('tag');
      const page = await browser.newPage();
      await page.goto(A.url);
      await page.waitFor('li.case');
      await openCase(page, ids.api);
      await page.fill('textarea[name="note"]', note);
      await page.click('.note-form button[type="submit"]');
      await until(page, (t: string) => [...document.querySelectorAll('.entry-text')].some((e) => e.textContent === t), note);
      await page.fill('input[name="tags"]', `urgent, ${tag}`);
      await page.click('.tags-form button[type="submit"]');
      await until(page, () => document.querySelectorAll('.k-tags').length === 1);
      await select(page, '.actions select[name="assignee"]', org.coordinators[1]!.id);
      await until(page, () => document.querySelectorAll('.k-assign').length === 1);
      await select(page, '.actions select[name="state"]', 'in-progress');
      await until(page, () => document.querySelectorAll('.k-state').length === 1);

      const pb = await browser.newPage();
      await pb.goto(B.url);
      await pb.waitFor('li.case');
      await syncNow(pb);
      await openCase(pb, ids.api);
      await until(pb, (t: string) => [...document.querySelectorAll('.entry-text')].some((e) => e.textContent === t), note);
      expect(await pb.evaluate(() => (document.querySelector('input[name="tags"]') as HTMLInputElement).value)).toBe(`urgent, ${tag}`);
      expect(await pb.evaluate(() => (document.querySelector('.actions select[name="assignee"]') as HTMLSelectElement).value)).toBe(org.coordinators[1]!.id);
      expect(await pb.evaluate(() => (document.querySelector('.actions select[name="state"]') as HTMLSelectElement).value)).toBe('in-progress');
      // B's inbox filters by A's tag.
      await pb.evaluate(() => (location.hash = '#/'));
      await select(pb, 'select[name="tag"]', tag);
      await until(pb, (x: string) => document.querySelectorAll('li.case').length === 1 && document.querySelector('li.case')!.getAttribute('data-id') === x, ids.api);

      // Bulk: tag two reports at once in A; B's inbox filters them by that tag after a sync.
      const bulkTag = unique('bulk');
      await page.evaluate(() => (location.hash = '#/'));
      await page.fill('input[name="q"]', '7700 900123');
      await until(page, () => document.querySelectorAll('li.case').length === 2);
      await page.click('.bulk input[name="all"]');
      await page.fill('input[name="bulk-tag"]', bulkTag);
      await page.click('button[name="bulk-add-tag"]');
      await until(page, () => document.querySelectorAll('li.case .tag').length >= 3);
      // A bulk action clears the selection; select both again.
      await page.click('.bulk input[name="all"]');
      await select(page, '.bulk select[name="bulk-state"]', 'warning-published');
      await until(page, () => [...document.querySelectorAll('li.case .state')].every((e) => e.textContent === 'warning published'));
      await syncNow(pb);
      await select(pb, 'select[name="state"]', 'warning-published');
      await select(pb, 'select[name="tag"]', bulkTag);
      await until(pb, () => document.querySelectorAll('li.case').length === 2);

      for (const f of allFiles(server.dataDir)) {
        const content = readFileSync(f);
        expect(content.includes(Buffer.from(note)), f).toBe(false);
        expect(content.includes(Buffer.from(tag)), f).toBe(false);
        expect(content.includes(Buffer.from(bulkTag)), f).toBe(false);
      }
      expect(server.output()).not.toContain(note);
    },
    SLOW,
  );

  it(
    "sends a reply the reporter reads on the follow-up page, and the reporter's follow-up appears in the thread",
    async () => {
      const page = await browser.newPage();
      await page.goto(A.url);
      await page.waitFor('li.case');
      await page.fill('input[name="q"]', 'Leeds city centre');
      await until(page, () => document.querySelectorAll('li.case').length === 1);
      const id = await page.evaluate(() => document.querySelector('li.case')!.getAttribute('data-id')!);
      await openCase(page, id);
      const reply = 'Thank you for telling us. Are you safe now?\n<b>not bold</b>';
      await page.fill('textarea[name="reply"]', reply);
      await page.click('.reply-form button[type="submit"]');
      await until(page, () => document.querySelectorAll('.k-reply').length === 1, undefined, SLOW);

      await reporter.goto(`${server.url}/follow-up`);
      await reporter.waitFor('input[name="word-1"]');
      // The whole code pasted into the first box fills every box.
      await reporter.fill('input[name="word-1"]', code);
      await reporter.click('form button[type="submit"]');
      await reporter.waitFor('.message-text', SLOW);
      expect(await reporter.text('.message-text')).toBe(reply);
      const details = unique('He came back the next day');
      await reporter.fill('textarea[name="message"]', details);
      await reporter.click('form.compose button[type="submit"]');
      await reporter.waitFor('li.message.reporter', SLOW);

      await syncNow(page);
      await page.evaluate(() => (location.hash = '#/'));
      await page.waitFor('li.case');
      await openCase(page, id);
      await until(page, (t: string) => [...document.querySelectorAll('.k-follow-up .entry-text')].some((e) => e.textContent === t), details);
    },
    SLOW * 2,
  );

  it(
    'decrypts a member application, approves it, and the member can log in; revoking ends that',
    async () => {
      const login = unique('project').toLowerCase();
      const passphrase = 'correct horse battery staple';
      await postApplication(server.url, recipients, login, passphrase, 'Support project North <script>window.__xss=7</script>');
      const tryLogin = () =>
        fetch(`${server.url}/api/members/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, passphrase }) });
      expect((await tryLogin()).status).toBe(403);

      const page = await browser.newPage();
      await page.goto(A.url);
      await page.waitFor('li.case, .count');
      await page.evaluate(() => (location.hash = '#/members'));
      const item = `.members-pending li[data-login="${login}"]`;
      await page.waitFor(item);
      expect(await page.text(`${item} .application`)).toBe('Support project North <script>window.__xss=7</script>');
      await page.click(`${item} button[name="approve"]`);
      await page.waitFor(`.members-approved li[data-login="${login}"]`);
      expect((await tryLogin()).status).toBe(200);

      await page.click(`.members-approved li[data-login="${login}"] button[name="revoke"]`);
      await page.waitFor(`.members-revoked li[data-login="${login}"]`);
      expect((await tryLogin()).status).toBe(403);
      expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    },
    SLOW,
  );

  it(
    'marks no-JavaScript and third-party reports where nobody can miss them, with the consent answers',
    async () => {
      const page = await browser.newPage();
      await page.goto(A.url);
      await page.waitFor('li.case');
      await page.fill('input[name="q"]', 'No-JS town');
      await until(page, () => document.querySelectorAll('li.case').length === 1);
      expect(await page.text('li.case .badge.warn')).toBe('no-JS form');
      const noJs = await page.evaluate(() => document.querySelector('li.case')!.getAttribute('data-id')!);
      await openCase(page, noJs);
      await page.waitFor('[data-flag="no-js"]');
      expect(await page.text('[data-consent="publishWarning"]')).toBe('no');
      await openCase(page, ids.behalf);
      await page.waitFor('[data-flag="third-party"]');
      expect(await page.text('[data-flag="third-party"]')).toContain('they say the person consented');
      expect(await page.evaluate(() => document.querySelector('[data-flag="no-js"]'))).toBeNull();
    },
    SLOW,
  );

  it(
    'renders hostile content inertly and the inbox keeps working',
    async () => {
      const page = await browser.newPage();
      await page.goto(A.url);
      await page.waitFor('li.case');
      await select(page, 'select[name="state"]', 'all');
      await until(page, () => document.querySelectorAll('li.case').length >= 6);
      const badges = await page.evaluate(() => [...document.querySelectorAll('li.case .badge.bad')].map((b) => b.textContent));
      expect(badges.filter((b) => b === 'cannot decrypt')).toHaveLength(1);
      expect(badges.filter((b) => b === 'fails the schema')).toHaveLength(2);

      await openCase(page, ids.hostile);
      const account = await page.text('[data-field="account"]');
      expect(account).toContain('<script>window.__xss=1</script><img src=x onerror="window.__xss=2"><b>bold</b>');
      expect(account).toContain('⟨U+202E⟩evil⟨U+202C⟩');
      expect(account).toContain('zero⟨U+200B⟩width');
      expect(await page.text('[data-field="nameGiven"]')).toBe('<iframe src="javascript:window.__xss=3">');
      expect(await page.evaluate(() => document.querySelectorAll('.case-view script, .case-view iframe, .case-view b, .case-view img:not([src^="/api/attachments/"])').length)).toBe(0);
      // A malformed JPEG and an HTML file: listed by size, never shown.
      await until(page, () => document.querySelectorAll('li.file').length === 2 && document.querySelectorAll('li.photo').length === 0);

      await openCase(page, ids.huge);
      await page.waitFor('[data-flag="invalid"]');
      expect((await page.text('.raw-text')).length).toBeLessThan(20_000);
      await page.click('.raw-text button.more');
      await until(page, () => document.querySelector('.raw-text')!.textContent!.length > 1048576);
      const tail = await page.evaluate(() => document.querySelector('.raw-text')!.textContent!.slice(-200));
      expect(tail).toContain('⟨U+0000⟩⟨U+0007⟩<script>window.__xss=5</script>');

      await openCase(page, ids.schema);
      await page.waitFor('[data-flag="invalid"]');
      const raw = await page.text('.raw-text');
      expect(raw).toContain('<img src=x onerror=window.__xss=6>');
      expect(raw).toContain('⟨U+0001⟩⟨U+001B⟩[31m');

      await openCase(page, ids.undecryptable);
      await page.waitFor('[data-flag="undecryptable"]');

      await page.evaluate(() => (location.hash = '#/'));
      await page.fill('input[name="q"]', 'Hostile town');
      await until(page, (x: string) => document.querySelectorAll('li.case').length === 1 && document.querySelector('li.case')!.getAttribute('data-id') === x, ids.hostile);

      const state = await page.evaluate(() => ({
        xss: (window as { __xss?: unknown }).__xss,
        csp: (window as unknown as { __cspViolations: string[] }).__cspViolations,
      }));
      expect(state).toEqual({ xss: undefined, csp: [] });
      expect(page.errors).toEqual([]);
      expect(page.requests.filter((u) => new URL(u).origin !== A.origin)).toEqual([]);

      const shots = process.env.TIPLINE_SCREENSHOTS;
      if (shots) {
        const pw = page.playwright!;
        for (const [name, width, hash] of [
          ['inbox-desktop', 1280, '#/'],
          ['inbox-360', 360, '#/'],
          ['case-desktop', 1280, `#/case/${ids.hostile}`],
          ['case-360', 360, `#/case/${ids.hostile}`],
          ['offenders-360', 360, '#/offenders'],
          ['members-desktop', 1280, '#/members'],
        ] as const) {
          await pw.setViewportSize({ width, height: 900 });
          await page.evaluate((h: string) => (location.hash = h), hash);
          await pw.waitForTimeout(700);
          await pw.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
        }
      }
    },
    SLOW,
  );
});
