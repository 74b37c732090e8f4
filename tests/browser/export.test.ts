/**
 * The police intelligence export (issue 12) end to end: a real `tipline serve`, a spawned
 * `tipline console`, chromium. Reports with each consent answer and a shared offender phone
 * (so they link); the coordinator selects them in the inbox, previews what is included and
 * left out, picks a region, downloads an export sealed to a police X25519 key, and the age
 * CLI opens it: the "do not share" canary is absent, hostile text is escaped, the left-out
 * list is there. Each selected case gets its encrypted note (who, the day, what); refused
 * requests change nothing. Screenshots at 360 px and desktop in /tmp/tipline-export-shots.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, dayStart, encodeReport, encrypt, keyringRecipients, primitives, signProfile, verifyKeyring, type Report } from '../../crypto/index.js';
import { ensurePages } from '../../console/pages.js';
import { TEST_SERVER_CONFIG, prepareOrganisation, startTiplineServer, type PreparedOrganisation, type SpawnedServer } from '../helpers/server.js';
import { requireAge, run, runInPty, shQuote } from '../cli/helpers.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { postReport, rawRequest, spawnConsole, writeIdentity, type SpawnedConsole } from './helpers/console.js';
import { buildClient } from './helpers/stack.js';

const SLOW = 180_000;
const SHOTS = '/tmp/tipline-export-shots';
const CANARY = 'CANARY-never-to-police-5c1d';
const REPORTER_PHONE = '07911 123456';
const OFFENDER_PHONE = '07700 900123';
const HOSTILE = '<img src=x onerror="window.__xss=1">';
const MAILBOX_KEY = HybridIdentity.generate().recipient().toString();

let dir: string;
let org: PreparedOrganisation;
let server: SpawnedServer;
let con: SpawnedConsole;
let browser: Browser;
let page: Page;
let keyFile: string;
let recipient: string;
const ids = { anon: '', no: '', full: '' };

async function until<A>(p: Page, fn: (arg: A) => unknown, arg?: A, timeout = 60_000): Promise<void> {
  await p.playwright!.waitForFunction(fn as never, arg as never, { timeout });
}

function api(method: 'GET' | 'POST', path: string, body?: unknown) {
  const host = `127.0.0.1:${con.port}`;
  const headers: Record<string, string> = { host, cookie: `tipline_console_${con.port}=${con.token}` };
  if (method === 'POST') Object.assign(headers, { origin: `http://${host}`, 'content-type': 'application/json' });
  return rawRequest(con.port, method, path, headers, body === undefined ? undefined : JSON.stringify(body));
}

type Thread = { kind: string; text: string | null; at: number; by: string; day: string }[];
async function notes(id: string): Promise<Thread> {
  const r = await api('GET', `/api/cases/${encodeURIComponent(id)}`);
  return (JSON.parse(r.body) as { thread: Thread }).thread.filter((t) => t.kind === 'note');
}

beforeAll(async () => {
  requireAge();
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'tipline-export-'));
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
      name: 'Export Test Scheme (fictional)',
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
  const post = async (r: Report, mailbox?: { id: string; publicKey: string }) => (await postReport(server.url, await encrypt(recipients, encodeReport(r)), mailbox)).id;
  ids.anon = await post({
    schemaVersion: 1,
    incidentTypes: ['robbery'],
    date: '2026-11-14',
    timeBand: 'evening',
    area: 'Acacia Avenue',
    account: `He took my bag. Call me on ${REPORTER_PHONE}.`,
    offender: { gender: 'man', nameGiven: HOSTILE },
    identifiers: { phones: [OFFENDER_PHONE] },
    consent: { publishWarning: 'no', shareWithPolice: 'yes', wantPoliceSupport: 'no' },
  });
  ids.no = await post({
    schemaVersion: 1,
    incidentTypes: ['violence'],
    area: CANARY,
    account: `${CANARY} in the account`,
    offender: { marks: CANARY },
    identifiers: { phones: [`+44 ${OFFENDER_PHONE.slice(1)}`], emails: [`${CANARY}@example.org`] },
    consent: { publishWarning: 'yes', shareWithPolice: 'no', wantPoliceSupport: 'yes' },
  });
  // Full-report support, with an anonymous reply mailbox: its only contact route.
  ids.full = await post(
    {
      schemaVersion: 1,
      incidentTypes: ['threats'],
      identifiers: { phones: [OFFENDER_PHONE] },
      consent: { publishWarning: 'unsure', shareWithPolice: 'yes', wantPoliceSupport: 'yes' },
      replyRecipient: MAILBOX_KEY,
    },
    { id: Buffer.from(primitives().randomBytes(32)).toString('base64url'), publicKey: bytes.base64Padded(primitives().ed25519PublicKey(primitives().randomBytes(32))) },
  );

  keyFile = join(dir, 'police.key');
  if ((await run('age-keygen', ['-o', keyFile])).code !== 0) throw new Error('age-keygen failed');
  recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(keyFile, 'utf8'))![1]!;

  const keys = join(dir, 'keys');
  mkdirSync(keys, { mode: 0o700 });
  const a = await writeIdentity(keys, org.coordinators[0]!);
  con = await spawnConsole(['--server', server.url, '--identity', a.identity, '--passphrase-file', a.passphrase, '--root-key', bytes.base64Padded(org.rootPublicKey)]);

  browser = await launch('chromium');
  page = await browser.newPage();
  await page.goto(con.url);
  await page.waitFor('li.case');
}, SLOW * 2);

afterAll(async () => {
  await browser?.close();
  await con?.stop();
  await server?.stop({ keepDataDir: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('police export in the console', () => {
  it(
    'selected in the inbox, previewed, sealed to a police key, opened by the age CLI: consent honoured per report, hostile text escaped',
    async () => {
      const pw = page.playwright!;
      await pw.setViewportSize({ width: 1280, height: 900 });
      await until(page, (n: number) => document.querySelectorAll('li.case').length === n, 3);
      for (const id of [ids.anon, ids.no]) await pw.check(`li.case[data-id="${id}"] input[aria-label="select"]`);
      await page.click('a[data-action="export"]');
      await page.waitFor('.export-preview');
      expect(await page.evaluate(() => [...document.querySelectorAll('.export-report')].map((e) => e.getAttribute('data-ref')))).toEqual(['R1']);
      expect(await page.text('.left-out')).toContain('1 report left out entirely — consent: the person did not agree to share this report with police');
      expect(await page.text('.export-panel')).not.toContain(CANARY);

      // Linked reports: the full-support one joins (same phone); the "do not share" one stays out.
      await pw.check('input[name="includeLinked"]');
      await until(page, () => document.querySelectorAll('.export-report').length === 2);
      expect(await page.text('.export-report[data-ref="R2"]')).toContain('support to make a full report');
      expect(await page.text('.export-report[data-ref="R2"] .contact-route')).toContain('Contact them only through Export Test Scheme (fictional)');
      expect(await page.text('.export-panel')).not.toContain(CANARY);
      // The hostile name is shown as text in the preview.
      expect(await page.text('.export-report[data-ref="R1"]')).toContain(HOSTILE);

      await pw.check('input[name="region-R1"][value="north"]');
      await until(page, () => document.querySelector('.export-report[data-ref="R1"] [data-field="regions"]')?.textContent?.includes('North'));
      expect(await page.evaluate(() => (document.querySelector('button[name="export"]') as HTMLButtonElement).disabled)).toBe(true);
      await page.fill('input[name="recipient"]', recipient);
      await until(page, () => !(document.querySelector('button[name="export"]') as HTMLButtonElement).disabled);

      for (const [label, width] of [
        ['360', 360],
        ['desktop', 1280],
      ] as const) {
        await pw.setViewportSize({ width, height: 800 });
        if (width === 360) expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await pw.screenshot({ path: join(SHOTS, `export-panel-${label}.png`), fullPage: true });
      }

      const [download] = await Promise.all([pw.waitForEvent('download', { timeout: SLOW }), page.click('button[name="export"]')]);
      expect(download.suggestedFilename()).toMatch(/^police-export-\d{4}-\d{2}-\d{2}-[0-9a-f]{16}\.html\.age$/);
      const sealed = join(dir, 'export.html.age');
      await download.saveAs(sealed);
      await page.waitFor('.export-panel .done');
      expect(readFileSync(sealed).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
      const opened = await run('age', ['-d', '-i', keyFile, '-o', join(dir, 'export.html'), sealed]);
      expect(opened.stderr).toBe('');
      const html = readFileSync(join(dir, 'export.html'), 'utf8');
      expect(html).not.toContain(CANARY);
      for (const secret of [REPORTER_PHONE, 'Acacia', 'took my bag', '2026-11-14', MAILBOX_KEY, ids.anon, ids.no, ids.full]) expect(html, secret).not.toContain(secret);
      expect(html).not.toContain(HOSTILE);
      expect(html).toContain('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;');
      expect(html).toContain('<td>North</td>');
      expect(html).toContain('<td>2026-11</td>');
      expect(html).toContain('Contact them only through Export Test Scheme (fictional)');
      expect(html).toContain('1 report left out entirely: consent');

      // Opened in the browser itself, the exported page runs nothing.
      const viewer = await browser.newPage();
      await viewer.playwright!.setContent(html);
      expect(await viewer.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      await viewer.playwright!.close();
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
    },
    SLOW * 2,
  );

  it(
    'records the export as an encrypted note in each selected case: who, the day, what; the server holds only ciphertext',
    async () => {
      const today = new Date().toISOString().slice(0, 10);
      const exportNote = (t: Thread) => t.filter((n) => n.text?.startsWith('Police intelligence export '));
      const [anon, no, full] = (await Promise.all([ids.anon, ids.no, ids.full].map(notes))) as [Thread, Thread, Thread];
      for (const t of [anon, no, full]) {
        expect(exportNote(t)).toHaveLength(1);
        const n = exportNote(t)[0]!;
        expect(n.at).toBe(dayStart(today));
        expect(n.by).toBe(org.coordinators[0]!.name);
        expect(n.text).toMatch(new RegExp(`^Police intelligence export [0-9a-f]{16} on ${today} by ${org.coordinators[0]!.name} \\(${org.coordinators[0]!.id}\\): HTML file, encrypted to: age X25519 recipient\\. `));
        expect(n.text).toContain('The export holds 2 reports (R1, R2); 1 left out entirely.');
      }
      expect(exportNote(anon)[0]!.text).toContain('This report is in it as R1 (anonymously).');
      expect(exportNote(full)[0]!.text).toContain('This report is in it as R2 (with its contact route through the scheme).');
      expect(exportNote(no)[0]!.text).toContain('This report was left out (consent).');

      // The server's own view of the case: notes are age ciphertext, never the text.
      const raw = await api('GET', `/api/cases/${encodeURIComponent(ids.no)}`);
      expect(raw.status).toBe(200);
      const files = allFiles(join(dir, 'data'));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const b = readFileSync(f);
        expect(b.includes(Buffer.from('Police intelligence export')), f).toBe(false);
        expect(b.includes(Buffer.from(CANARY)), f).toBe(false);
      }
    },
    SLOW,
  );

  it(
    'refuses bad requests with a short error and records nothing; a passphrase export opens with age -d',
    async () => {
      const before = (await notes(ids.anon)).length;
      const base = { ids: [ids.anon], format: 'json' };
      const cases: [unknown, number, string][] = [
        [{ ...base, protection: { kind: 'plain' } }, 400, 'invalid body'],
        [{ ...base, protection: { kind: 'passphrase', passphrase: 'too short' } }, 400, 'invalid body'],
        [{ ...base, protection: { kind: 'recipient', recipient: 'age1nope' } }, 422, 'not an age recipient (age1… or age1pq1…)'],
        [{ ...base, ids: ['no-such-report'], protection: { kind: 'recipient', recipient } }, 404, 'not found'],
        [{ ...base, regions: { [ids.anon]: ['atlantis'] }, protection: { kind: 'recipient', recipient } }, 422, 'unknown region'],
        [{ ...base, protection: { kind: 'recipient', recipient }, extra: 1 }, 400, 'invalid body'],
      ];
      for (const [body, status, error] of cases) {
        const r = await api('POST', '/api/export', body);
        expect([r.status, JSON.parse(r.body)], JSON.stringify(body)).toEqual([status, { error }]);
      }
      expect((await notes(ids.anon)).length).toBe(before);

      const pass = 'a long police passphrase';
      const r = await fetch(`${con.origin}/api/export`, {
        method: 'POST',
        headers: { cookie: `tipline_console_${con.port}=${con.token}`, origin: con.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ ...base, ids: [ids.no, ids.anon], protection: { kind: 'passphrase', passphrase: pass } }),
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="police-export-.*\.json\.age"$/);
      const file = join(dir, 'pass.json.age');
      writeFileSync(file, new Uint8Array(await r.arrayBuffer()));
      const d = await runInPty(`age -d -o ${shQuote(join(dir, 'pass.json'))} ${shQuote(file)}`, /passphrase[^:\n]*:/i, [pass], dir);
      expect(d.code).toBe(0);
      const json = JSON.parse(readFileSync(join(dir, 'pass.json'), 'utf8'));
      expect(JSON.stringify(json)).not.toContain(CANARY);
      expect(json.reports.map((x: { ref: string }) => x.ref)).toEqual(['R1']);
      expect(json.leftOut[0]).toEqual({ reports: 1, what: 'whole-report', why: 'consent: the person did not agree to share this report with police' });
      expect((await notes(ids.anon)).length).toBe(before + 1);
    },
    SLOW,
  );
});

/** Every file under `d` (the server's data folder: database, WAL, blobs). */
function allFiles(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}
