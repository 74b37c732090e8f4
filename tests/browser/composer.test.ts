/**
 * The warning composer in the coordinator console (issue 10) in chromium, end to end against
 * a real `tipline serve` and a spawned `tipline console`: a member joins on the member page
 * and is approved in the console; warnings composed, signed and published in the console
 * reach the member's /warnings page with a verified mark; a withdrawal and a correction made
 * in the console take the originals away; the reporter's own phone number is flagged; a
 * report whose consent says no is refused. One server and one console for the file.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, encodeReport, encrypt, keyringRecipients, signProfile, verifyKeyring, type Report } from '../../crypto/index.js';
import { ensurePages } from '../../console/pages.js';
import { TEST_SERVER_CONFIG, prepareOrganisation, startTiplineServer, type PreparedOrganisation, type SpawnedServer } from '../helpers/server.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { postReport, rawRequest, spawnConsole, writeIdentity, type SpawnedConsole } from './helpers/console.js';
import { buildClient } from './helpers/stack.js';

const SLOW = 180_000;
const LOGIN = 'mira-composer';
const PASS = 'correct horse battery staple';
/** The reporter's own number, written in the account; the offender's is in the identifiers. */
const REPORTER_PHONE = '07911 123456';
const OFFENDER_PHONE = '07700 900123';

let dir: string;
let org: PreparedOrganisation;
let server: SpawnedServer;
let con: SpawnedConsole;
let browser: Browser;
let member: Page;
let console_: Page;
const ids = { yes: '', no: '' };

/** The member's private check (issue 11) for what is typed: the answer's text. */
async function memberCheck(typed: string): Promise<string> {
  await member.goto(`${server.url}/check`);
  await member.waitFor('#check-value', SLOW);
  await member.fill('#check-value', typed);
  await member.click('.check-form button[type="submit"]');
  await member.playwright!.waitForSelector('.check-answer .found, .check-answer .not-found, .check-answer .error', { timeout: SLOW });
  return member.text('.check-answer');
}

/** waitForFunction with a function: the console's CSP (rightly) forbids evaluating strings. */
async function until<A>(page: Page, fn: (arg: A) => unknown, arg?: A, timeout = 60_000): Promise<void> {
  await page.playwright!.waitForFunction(fn as never, arg as never, { timeout });
}

async function go(hash: string): Promise<void> {
  await console_.evaluate((h: string) => (location.hash = h), hash);
}

async function composeFromCase(id: string): Promise<void> {
  await go(`#/case/${encodeURIComponent(id)}`);
  await until(console_, (x: string) => document.querySelector('.case-view')?.getAttribute('data-id') === x, id);
  await console_.click('a[data-action="compose"]');
}

/** Tick the checkbox `name=value` unless it is ticked. */
async function tick(page: Page, name: string, value: string): Promise<void> {
  await page.playwright!.check(`.composer input[name="${name}"][value="${value}"]`);
}

async function publishAndWait(): Promise<string> {
  await until(console_, () => !(document.querySelector('button[name="publish"]') as HTMLButtonElement | null)?.disabled);
  await console_.click('button[name="publish"]');
  await console_.waitFor('.published', SLOW);
  return console_.evaluate(() => document.querySelector('.published')!.getAttribute('data-id')!);
}

async function memberWarnings(): Promise<string> {
  await member.goto(`${server.url}/warnings`);
  await member.waitFor('.count', SLOW);
  return member.text('main');
}

function report(extra: Partial<Report>): Report {
  return { schemaVersion: 1, incidentTypes: ['robbery'], ...extra } as Report;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tipline-composer-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  org = prepareOrganisation(dataDir, 1);
  const clientDir = join(dir, 'client');
  await buildClient(org.rootPublicKey, clientDir);
  ensurePages(() => undefined);
  server = await startTiplineServer({ dataDir, org: 'existing', config: { ...TEST_SERVER_CONFIG, clientDir } });
  const today = new Date().toISOString().slice(0, 10);
  const profile = signProfile(
    {
      version: 1,
      issued: today,
      name: 'Composer Test Scheme (fictional)',
      regions: [
        { id: 'north', name: 'North' },
        { id: 'south', name: 'South' },
      ],
      contacts: [{ kind: 'emergency', name: 'Emergency services', phone: '999' }],
      nextSteps: 'A coordinator reads it.',
      languages: ['en'],
    },
    org.rootSeed,
  );
  const put = await fetch(`${server.url}/api/profile`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
  if (put.status !== 200) throw new Error(`profile upload failed: ${put.status}`);

  const recipients = keyringRecipients(verifyKeyring((await (await fetch(`${server.url}/api/keyring`)).json()) as never, org.rootPublicKey));
  const yes = report({
    area: 'Consenting town',
    date: `${today.slice(0, 7)}-02`,
    timeBand: 'evening',
    account: `He took my bag and drove off. Call me back on ${REPORTER_PHONE} please.`,
    identifiers: { phones: [OFFENDER_PHONE] },
    consent: { publishWarning: 'yes' },
  } as Partial<Report>);
  ids.yes = (await postReport(server.url, await encrypt(recipients, encodeReport(yes)))).id;
  ids.no = (await postReport(server.url, await encrypt(recipients, encodeReport(report({ area: 'Private town', consent: { publishWarning: 'no' } } as Partial<Report>))))).id;

  const keys = join(dir, 'keys');
  mkdirSync(keys, { mode: 0o700 });
  const a = await writeIdentity(keys, org.coordinators[0]!);
  con = await spawnConsole(['--server', server.url, '--identity', a.identity, '--passphrase-file', a.passphrase, '--root-key', bytes.base64Padded(org.rootPublicKey)]);

  browser = await launch('chromium');
  member = await browser.newPage();
  console_ = await browser.newPage();
  await console_.goto(con.url);
  await console_.waitFor('li.case');
}, SLOW * 2);

afterAll(async () => {
  await browser?.close();
  await con?.stop();
  await server?.stop({ keepDataDir: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('warning composer in the console', () => {
  it(
    'refuses a report whose consent says no, plainly, with the reason, in the page and in the local API',
    async () => {
      await composeFromCase(ids.no);
      await console_.waitFor('.composer .refusal');
      expect(await console_.text('.composer .refusal')).toBe('No warning from this report: the reporter answered "no" to publishing a warning.');
      expect(await console_.evaluate(() => document.querySelectorAll('.composer form, button[name="publish"]').length)).toBe(0);
      const cookie = `tipline_console_${con.port}=${con.token}`;
      const r = await rawRequest(con.port, 'GET', `/api/cases/${ids.no}/draft`, { host: `127.0.0.1:${con.port}`, cookie });
      expect(r.status).toBe(409);
      expect(JSON.parse(r.body)).toEqual({ error: 'No warning from this report: the reporter answered "no" to publishing a warning.' });

      // Bad drafts: a short clear error each, and nothing is published.
      const host = `127.0.0.1:${con.port}`;
      const post = (path: string, body: unknown) =>
        rawRequest(con.port, 'POST', path, { host, cookie, origin: `http://${host}`, 'content-type': 'application/json' }, JSON.stringify(body));
      const month = new Date().toISOString().slice(0, 7);
      const cases: [unknown, number, string][] = [
        [{}, 400, 'invalid body'],
        [{ regions: ['north'], month, incidentTypes: ['threats'], signature: 'x' }, 400, 'invalid body'],
        [{ regions: ['north'], month, incidentTypes: [] }, 422, 'invalid warning: incidentTypes: Too small: expected array to have >=1 items'],
        [{ regions: ['north'], month, incidentTypes: ['threats'], identifiers: [{ kind: 'phone', masked: '07700900123' }] }, 422, ''],
        [{ regions: ['nowhere'], month, incidentTypes: ['threats'] }, 502, 'server: unknown region'],
      ];
      for (const [body, status, error] of cases) {
        const res = await post('/api/warnings', body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        const e = (JSON.parse(res.body) as { error: string }).error;
        if (error) expect(e).toBe(error);
        else expect(e).toMatch(/^invalid warning: identifiers\.0\.masked: identifier is not masked/);
      }
      const sneaky = await post('/api/warnings', { regions: ['north'], month, incidentTypes: ['threats'], fromCase: ids.no });
      expect([sneaky.status, JSON.parse(sneaky.body)]).toEqual([409, { error: 'No warning from this report: the reporter answered "no" to publishing a warning.' }]);
      expect((await post('/api/warnings/AAAAAAAAAAAAAAAAAAAAAA/withdraw', {})).status).toBe(502);
      const list = await rawRequest(con.port, 'GET', '/api/warnings', { host, cookie });
      expect(JSON.parse(list.body)).toEqual({ warnings: [], failed: 0 });
    },
    SLOW,
  );

  it(
    "flags the reporter's own phone number copied into the composer, and will not publish until it is removed or overridden",
    async () => {
      await composeFromCase(ids.yes);
      await console_.waitFor('textarea[name="summary"]');
      // The first draft leaves the account out and masks the offender's number.
      expect(await console_.evaluate(() => (document.querySelector('textarea[name="summary"]') as HTMLTextAreaElement).value)).toBe('');
      expect(await console_.text('.composer .identifiers')).toContain('07*** ***123');
      // The console made its private-check tag (issue 11) through the blinded coordinator endpoint.
      expect(await console_.evaluate(() => document.querySelector('.composer .identifiers li')?.getAttribute('data-checkable'))).toBe('yes');
      await tick(console_, 'regions', 'north');
      await until(console_, () => !(document.querySelector('button[name="publish"]') as HTMLButtonElement).disabled);

      await console_.fill('textarea[name="summary"]', `Took a worker's bag and drove off. Ring ${REPORTER_PHONE} for details.`);
      await console_.waitFor('.flags .flag[data-kind="reporter-contact"][data-field="summary"]');
      expect(await console_.text('.flags .flag[data-kind="reporter-contact"] q')).toBe(REPORTER_PHONE);
      expect(await console_.evaluate(() => (document.querySelector('button[name="publish"]') as HTMLButtonElement).disabled)).toBe(true);
      expect(await console_.text('.problems')).toContain('1 redaction flag to remove or override');
      // The preview shows exactly what members would see: the number is there until removed.
      expect(await console_.text('.preview .warning-card')).toContain(REPORTER_PHONE);

      // Overriding unblocks publishing; taking the override back blocks it again.
      await console_.click('.flags .flag[data-kind="reporter-contact"] input[name="override"]');
      await until(console_, () => !(document.querySelector('button[name="publish"]') as HTMLButtonElement).disabled);
      await console_.click('.flags .flag[data-kind="reporter-contact"] input[name="override"]');
      await until(console_, () => (document.querySelector('button[name="publish"]') as HTMLButtonElement).disabled);

      // An offender's number typed in full is flagged too (it belongs in the masked list).
      await console_.fill('textarea[name="summary"]', `Took a worker's bag. He used ${OFFENDER_PHONE}.`);
      await console_.waitFor('.flags .flag[data-kind="unmasked-identifier"]');
      await console_.fill('textarea[name="summary"]', "Took a worker's bag and drove off.");
      await until(console_, () => document.querySelectorAll('.flags .flag').length === 0);
      expect(await console_.evaluate(() => (document.querySelector('button[name="publish"]') as HTMLButtonElement).disabled)).toBe(false);
    },
    SLOW,
  );

  it(
    "joins on the member page, is approved in the console, logs in, and reads a warning published in the console with a verified mark",
    async () => {
      await member.goto(`${server.url}/join`);
      await member.waitFor('input[name="type"]');
      await member.click('input[name="type"][value="sex-worker"]');
      await member.fill('input[name="workingName"]', 'Mira');
      await member.click('input[name="regions"][value="north"]');
      await member.fill('input[name="login"]', LOGIN);
      await member.fill('input[name="passphrase"]', PASS);
      await member.fill('input[name="passphrase2"]', PASS);
      await member.click('button[type="submit"]');
      await member.playwright!.getByText('Application sent').waitFor({ timeout: SLOW });

      await go('#/members');
      const item = `.members-pending li[data-login="${LOGIN}"]`;
      await console_.waitFor(item);
      expect(await console_.text(`${item} .application`)).toContain('Mira');
      await console_.click(`${item} button[name="approve"]`);
      await console_.waitFor(`.members-approved li[data-login="${LOGIN}"]`);

      await member.goto(`${server.url}/login`);
      await member.waitFor('input[name="login"]');
      await member.fill('input[name="login"]', LOGIN);
      await member.fill('input[name="passphrase"]', PASS);
      await member.click('button[type="submit"]');
      await member.playwright!.waitForURL(/\/warnings$/, { timeout: SLOW });
      await member.waitFor('.count', SLOW);

      await composeFromCase(ids.yes);
      await console_.waitFor('textarea[name="summary"]');
      await tick(console_, 'regions', 'north');
      await console_.fill('textarea[name="summary"]', 'Original: took a worker\'s bag and drove off in a silver car.');
      await console_.fill('textarea[name="advice"]', 'Take payment first; work with a buddy.');
      expect(await console_.text('.preview .warning-card')).toContain('silver car');
      await publishAndWait();
      // The report's case moves to "warning published" (an encrypted case event).
      await go(`#/case/${encodeURIComponent(ids.yes)}`);
      await until(console_, () => (document.querySelector('.actions select[name="state"]') as HTMLSelectElement | null)?.value === 'warning-published');

      const main = await memberWarnings();
      expect(main).toContain('Original: took a worker\'s bag and drove off in a silver car.');
      expect(main).toContain('07*** ***123');
      expect(main).not.toContain(REPORTER_PHONE);
      expect(await member.text('.warning-item:not(.failed) .mark.verified')).toContain('Verified: signed by Coordinator 1');
      expect(await member.evaluate('document.querySelectorAll(".warning-item.failed").length')).toBe(0);
      // The private check finds it by the offender's number typed another way (issue 11).
      const found = await memberCheck('+44 7700 900123');
      expect(found).toContain('Found in 1 current warning');
      expect(found).toContain('Original: took');
      expect(await memberCheck('07700 900999')).toContain('No current warning carries this');
    },
    SLOW,
  );

  it(
    'withdraws a warning written from scratch and corrects another from the console: the member sees the correction only',
    async () => {
      await go('#/warnings');
      await console_.click('a[data-action="new-warning"]');
      await console_.waitFor('textarea[name="summary"]');
      await tick(console_, 'incidentTypes', 'threats');
      await tick(console_, 'regions', 'south');
      await console_.fill('textarea[name="summary"]', 'Withdrawn soon: threatened a worker outside a hotel.');
      await console_.fill('input[name="idValue"]', '07123 456789');
      await console_.click('button[name="add-identifier"]');
      await console_.waitFor('.composer .identifiers li[data-masked="07*** ***789"]');
      const gone = await publishAndWait();
      expect(await memberWarnings()).toContain('Withdrawn soon');

      await go('#/warnings');
      await console_.waitFor(`li.published-warning[data-id="${gone}"]`);
      await console_.click(`li.published-warning[data-id="${gone}"] button[name="withdraw"]`);
      await until(console_, (x: string) => document.querySelector('.published-warnings') !== null && !document.querySelector(`li.published-warning[data-id="${x}"]`), gone);

      const original = await console_.evaluate(
        () => [...document.querySelectorAll('li.published-warning')].find((li) => li.textContent!.includes('Original:'))!.getAttribute('data-id')!,
      );
      await console_.click(`li.published-warning[data-id="${original}"] a[data-action="correct"]`);
      await console_.waitFor('textarea[name="summary"]');
      expect(await console_.evaluate(() => (document.querySelector('textarea[name="summary"]') as HTMLTextAreaElement).value)).toContain('Original:');
      await console_.fill('textarea[name="summary"]', 'Corrected: took a worker\'s bag and drove off in a blue car.');
      const corrected = await publishAndWait();
      expect(corrected).not.toBe(original);

      const main = await memberWarnings();
      expect(main).toContain('Corrected: took a worker\'s bag and drove off in a blue car.');
      expect(main).not.toContain('Original:');
      expect(main).not.toContain('Withdrawn soon');
      expect(await member.evaluate('document.querySelectorAll(".warning-item:not(.failed) .mark.verified").length')).toBe(1);
      // The correction carried the tag over; the withdrawn warning's number finds nothing current.
      const check = await memberCheck('0044 7700900123');
      expect(check).toContain('Corrected:');
      expect(check).not.toContain('Original:');
      expect(await memberCheck('07123 456789')).toContain('No current warning carries this');

      await go('#/warnings');
      await console_.waitFor(`li.published-warning[data-id="${corrected}"]`);
      expect(await console_.evaluate(() => document.querySelectorAll('li.published-warning').length)).toBe(1);
      expect(console_.errors).toEqual([]);
      expect(member.errors).toEqual([]);
    },
    SLOW,
  );
});
