/**
 * Alerts (issue 11) end to end: a real `tipline serve`, a spawned `tipline console` with
 * alert settings, a real SMTP server on 127.0.0.1 (smtp-server) and a local HTTP SMS gateway
 * started here that records what it receives. Members apply through the public API and are
 * approved, paused or revoked as a coordinator would. Publishing a warning in the console
 * reaches exactly the approved, unpaused members of its regions, once per channel they chose,
 * with the constant text; a gateway failure is retried alone; a console killed (SIGKILL) in
 * the middle of sending and started again sends nothing twice and misses nobody.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, keyringRecipients, signProfile, verifyKeyring, type MemberApplication, type Recipient } from '../../crypto/index.js';
import { ALERT_SUBJECT, ALERT_TEXT } from '../../console/alerts.js';
import { launch } from '../browser/helpers/browsers.js';
import { postApplication, rawRequest, spawnConsole, writeIdentity, type SpawnedConsole } from '../browser/helpers/console.js';
import { TEST_SERVER_CONFIG, prepareOrganisation, startTiplineServer, type PreparedOrganisation, type SpawnedServer } from '../helpers/server.js';

const SLOW = 240_000;
const month = new Date().toISOString().slice(0, 7);

interface Mail {
  to: string[];
  raw: string;
}
interface Sms {
  body: Record<string, unknown>;
  auth: string | undefined;
  key: string | undefined;
  status: number;
}

let dir: string;
let org: PreparedOrganisation;
let server: SpawnedServer;
let smtp: SMTPServer;
let smtpPort: number;
let gateway: Server;
let con: SpawnedConsole;
let consoleArgs: string[];
let consoleEnv: Record<string, string>;
let recipients: Recipient[];
const mails: Mail[] = [];
const sms: Sms[] = [];
/** Numbers the gateway answers 500 for. */
const failing = new Set<string>();
/** When set, the SMTP server holds the n-th message of these recipients (no answer to DATA) and calls `held`. */
let hold: { after: number; among: Set<string>; seen: number; held?: (m: Mail) => void; heldMail?: Mail } | undefined;

function okSms(to: string): Sms[] {
  return sms.filter((m) => m.body.to === to && m.status === 200);
}
function mailsTo(addr: string): Mail[] {
  return mails.filter((m) => m.to.includes(addr));
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const host = `127.0.0.1:${con.port}`;
  const headers: Record<string, string> = { host, cookie: `tipline_console_${con.port}=${con.token}` };
  if (method !== 'GET') Object.assign(headers, { origin: con.origin, 'content-type': 'application/json' });
  const r = await rawRequest(con.port, method, path, headers, method === 'GET' ? undefined : JSON.stringify(body ?? {}));
  return { status: r.status, json: r.body ? JSON.parse(r.body) : undefined };
}

async function apply(login: string, a: Omit<MemberApplication, 'schemaVersion' | 'type' | 'workingName'>): Promise<void> {
  await postApplication(server.url, recipients, login, 'a long enough passphrase', JSON.stringify({ schemaVersion: 1, type: 'sex-worker', workingName: login, ...a }));
}

async function memberId(login: string): Promise<string> {
  const { json } = await api('GET', '/api/members');
  const m = (json.members as { id: string; login: string }[]).find((x) => x.login === login);
  if (!m) throw new Error(`no member ${login}`);
  return m.id;
}

async function approve(login: string): Promise<void> {
  expect((await api('POST', `/api/members/${await memberId(login)}/decision`, { decision: 'approve' })).status).toBe(200);
}

async function publish(regions: string[], summary: string): Promise<string> {
  const r = await api('POST', '/api/warnings', { regions, month, incidentTypes: ['robbery'], summary });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.id as string;
}

type Progress = { warning: string; counts: Record<string, number>; problems: { id: number; member: string; channel: string; state: string; reason: string }[] };

async function progress(warning: string): Promise<Progress> {
  const { json } = await api('GET', '/api/alerts');
  const p = (json.warnings as Progress[]).find((w) => w.warning === warning);
  if (!p) throw new Error(`no progress for ${warning}`);
  return p;
}

/** Wait until nothing of `warning` is pending or being sent. */
async function settled(warning: string, timeout = 120_000): Promise<Progress> {
  const end = Date.now() + timeout;
  for (;;) {
    const p = await progress(warning).catch(() => undefined);
    if (p && p.counts.pending === 0 && p.counts.sending === 0) return p;
    if (Date.now() > end) {
      const db = new Database(join(dir, 'console-data', 'console', 'outbox.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT id, member, channel, state, attempt, reason FROM outbox WHERE warning = ?').all(warning);
      db.close();
      throw new Error(`alerts for ${warning} did not settle: ${JSON.stringify(p)}\n${JSON.stringify(rows)}\n${con.output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startConsole(): Promise<void> {
  con = await spawnConsole(consoleArgs, consoleEnv);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tipline-alerts-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  org = prepareOrganisation(dataDir, 1);
  server = await startTiplineServer({ dataDir, org: 'existing', config: TEST_SERVER_CONFIG });
  const today = new Date().toISOString().slice(0, 10);
  const profile = signProfile(
    {
      version: 1,
      issued: today,
      name: 'Alerts Test Scheme (fictional)',
      regions: [
        { id: 'north', name: 'North' },
        { id: 'south', name: 'South' },
        { id: 'east', name: 'East' },
      ],
      contacts: [{ kind: 'emergency', name: 'Emergency services', phone: '999' }],
      nextSteps: 'A coordinator reads it.',
      languages: ['en'],
    },
    org.rootSeed,
  );
  const put = await fetch(`${server.url}/api/profile`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
  if (put.status !== 200) throw new Error(`profile upload failed: ${put.status}`);
  recipients = keyringRecipients(verifyKeyring((await (await fetch(`${server.url}/api/keyring`)).json()) as never, org.rootPublicKey));

  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = { to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') };
        if (hold && mail.to.some((t) => hold!.among.has(t)) && ++hold.seen === hold.after) {
          // Never answered: the console is killed while it waits for the server's 250.
          hold.heldMail = mail;
          hold.held?.(mail);
          return;
        }
        mails.push(mail);
        callback();
      });
    },
  });
  smtpPort = await new Promise<number>((ok) => smtp.listen(0, '127.0.0.1', () => ok((smtp.server.address() as AddressInfo).port)));

  gateway = createServer((req, res) => {
    let b = '';
    req.on('data', (d: Buffer) => (b += d.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(b) as Record<string, unknown>;
      const status = failing.has(String(body.to)) ? 500 : 200;
      sms.push({ body, auth: req.headers.authorization, key: req.headers['idempotency-key'] as string | undefined, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{"ok":true}' : '{"error":"modem busy"}');
    });
  });
  const gatewayPort = await new Promise<number>((ok) => gateway.listen(0, '127.0.0.1', () => ok((gateway.address() as AddressInfo).port)));

  const consoleData = join(dir, 'console-data');
  mkdirSync(join(consoleData, 'console'), { recursive: true, mode: 0o700 });
  writeFileSync(
    join(consoleData, 'console', 'alerts.json'),
    JSON.stringify({
      email: { host: '127.0.0.1', port: smtpPort, tls: 'none', from: 'Safety alerts <alerts@scheme.example>' },
      sms: { url: `http://127.0.0.1:${gatewayPort}/send`, token: 'gateway-test-token' },
      batch: { size: 2, minDelaySeconds: 0.05, maxDelaySeconds: 0.3 },
    }),
    { mode: 0o600 },
  );
  const keys = join(dir, 'keys');
  mkdirSync(keys, { mode: 0o700 });
  const id = await writeIdentity(keys, org.coordinators[0]!);
  consoleArgs = ['--server', server.url, '--identity', id.identity, '--passphrase-file', id.passphrase, '--root-key', bytes.base64Padded(org.rootPublicKey)];
  consoleEnv = { TIPLINE_DATA_DIR: consoleData };
  await startConsole();
}, SLOW);

afterAll(async () => {
  await con?.stop();
  await server?.stop();
  await new Promise<void>((ok) => (smtp ? smtp.close(() => ok()) : ok()));
  await new Promise<void>((ok) => (gateway ? gateway.close(() => ok()) : ok()));
  if (dir) rmSync(dir, { recursive: true, force: true });
}, SLOW);

describe('alerts on publishing', () => {
  let warning: string;
  const SECRET = 'Tall man, grey Ford, plate XY12 ABC, calls himself Dave';

  it('reach exactly the approved, unpaused members of the region, once per chosen channel, with the constant text', async () => {
    await apply('n-both', { regions: ['north'], email: 'both@members.example', mobile: '07700 900001' });
    await apply('n-email', { regions: ['south', 'north'], email: 'email@members.example' });
    await apply('n-sms', { regions: ['north'], mobile: '+44 7700 900003' });
    await apply('n-fail', { regions: ['north'], mobile: '07700900999' });
    await apply('n-paused', { regions: ['north'], email: 'paused@members.example', mobile: '07700 900005', paused: true });
    await apply('n-revoked', { regions: ['north'], email: 'revoked@members.example', mobile: '07700 900006' });
    await apply('n-pending', { regions: ['north'], email: 'pending@members.example' });
    await apply('s-only', { regions: ['south'], email: 'south@members.example', mobile: '07700 900008' });
    for (const login of ['n-both', 'n-email', 'n-sms', 'n-fail', 'n-paused', 'n-revoked', 's-only']) await approve(login);
    expect((await api('POST', `/api/members/${await memberId('n-revoked')}/revoke`, {})).status).toBe(200);
    failing.add('+447700900999');

    warning = await publish(['north'], SECRET);
    const p = await settled(warning);

    expect(mails.map((m) => m.to).flat().sort()).toEqual(['both@members.example', 'email@members.example']);
    expect(sms.filter((m) => m.status === 200).map((m) => m.body.to).sort()).toEqual(['+447700900001', '+447700900003']);
    expect(sms.filter((m) => m.status === 500).map((m) => m.body.to)).toEqual(['+447700900999']);
    expect(p.counts).toMatchObject({ sent: 4, failed: 1, pending: 0, sending: 0, unknown: 0 });
    expect(p.problems).toEqual([{ id: expect.any(Number), member: 'n-fail', channel: 'sms', state: 'failed', reason: 'the SMS gateway answered 500' }]);

    for (const m of sms) {
      expect(m.body).toEqual({ to: m.body.to, text: ALERT_TEXT });
      expect(m.auth).toBe('Bearer gateway-test-token');
      expect(m.key).toMatch(/^[0-9a-f]{32}$/);
    }
    for (const m of mails) {
      expect(m.raw).toMatch(new RegExp(`^Subject: ${ALERT_SUBJECT}\\r?$`, 'm'));
      expect(m.raw).toContain(ALERT_TEXT);
      for (const leak of [warning, 'Dave', 'XY12', 'grey Ford', 'North', 'north', 'robbery']) expect(m.raw).not.toContain(leak);
    }
    // The same text for everyone: the bodies differ only in the address and the ids.
    const body = (raw: string) => raw.slice(raw.search(/\r?\n\r?\n/)).trim();
    expect(new Set(mails.map((m) => body(m.raw))).size).toBe(1);
  }, SLOW);

  it('a retry sends only the failed message', async () => {
    failing.clear();
    expect((await api('POST', `/api/alerts/${warning}/retry`, {})).json).toEqual({ retried: 1 });
    const p = await settled(warning);
    expect(p.counts).toMatchObject({ sent: 5, failed: 0 });
    expect(p.problems).toEqual([]);
    expect(okSms('+447700900999')).toHaveLength(1);
    // A new attempt, a new idempotency key; nobody else got anything again.
    const keys = sms.filter((m) => m.body.to === '+447700900999').map((m) => m.key);
    expect(new Set(keys).size).toBe(2);
    expect(okSms('+447700900001')).toHaveLength(1);
    expect(okSms('+447700900003')).toHaveLength(1);
    expect(mails).toHaveLength(2);
    // Retrying again finds nothing to retry; bad input changes nothing.
    expect((await api('POST', `/api/alerts/${warning}/retry`, {})).json).toEqual({ retried: 0 });
    expect((await api('POST', '/api/alerts/no-such-warning/retry', {})).json).toEqual({ retried: 0 });
    expect((await api('POST', `/api/alerts/${warning}/retry`, { all: true })).status).toBe(400);
    for (const id of ['abc', '-1', '1e3', String(p.problems.length + 10_000)]) {
      expect((await api('POST', `/api/alerts/rows/${id}/resend`, {})).status, id).toBe(409);
    }
    // A sent row is not "unknown": it cannot be resent.
    expect((await api('POST', '/api/alerts/rows/1/resend', {})).status).toBe(409);
    expect((await progress(warning)).counts).toMatchObject({ sent: 5, pending: 0 });
    expect(okSms('+447700900999')).toHaveLength(1);
  }, SLOW);

  it('a correction alerts nobody twice', async () => {
    const r = await api('POST', '/api/warnings', { regions: ['north', 'south'], month, incidentTypes: ['robbery'], summary: 'corrected', supersedes: warning });
    expect(r.status).toBe(201);
    const p = await settled(r.json.id);
    // Only the south member is new to this thread.
    expect(p.counts).toMatchObject({ sent: 2 });
    expect(mailsTo('south@members.example')).toHaveLength(1);
    expect(okSms('+447700900008')).toHaveLength(1);
    expect(mailsTo('both@members.example')).toHaveLength(1);
    expect(mailsTo('email@members.example')).toHaveLength(1);
  }, SLOW);
});

describe('a console killed while sending', () => {
  it('sends nothing twice and misses nobody after a restart; the message cut off is shown as unknown and resent by hand', async () => {
    const east = Array.from({ length: 9 }, (_, i) => `e${i}@members.example`);
    for (const [i, addr] of east.entries()) await apply(`e-${i}`, { regions: ['east'], email: addr });
    for (let i = 0; i < east.length; i++) await approve(`e-${i}`);

    const held = new Promise<Mail>((ok) => (hold = { after: 3, among: new Set(east), seen: 0, held: ok }));
    const warning = await publish(['east'], 'east warning');
    const cut = await held;
    await con.stop('SIGKILL');
    const before = east.map((a) => mailsTo(a).length);
    expect(before.filter((n) => n === 1)).toHaveLength(2);
    expect(before.every((n) => n <= 1)).toBe(true);

    hold = undefined;
    await startConsole();
    const p = await settled(warning);
    // The cut-off one is not sent again on its own: it may have arrived.
    expect(p.counts).toMatchObject({ sent: 8, unknown: 1, failed: 0 });
    const unknown = p.problems.find((x) => x.state === 'unknown')!;
    expect(unknown.member).toBe(`e-${east.indexOf(cut.to[0]!)}`);
    expect(mailsTo(cut.to[0]!)).toHaveLength(0);
    for (const a of east) if (a !== cut.to[0]) expect(mailsTo(a), a).toHaveLength(1);

    // The coordinator checked and resends it: once, with the same Message-ID as the cut-off attempt.
    expect((await api('POST', `/api/alerts/rows/${unknown.id}/resend`, {})).status).toBe(200);
    expect((await settled(warning)).counts).toMatchObject({ sent: 9, unknown: 0 });
    const resent = mailsTo(cut.to[0]!);
    expect(resent).toHaveLength(1);
    const messageId = (raw: string) => /^Message-ID: (.+?)\r?$/im.exec(raw)?.[1];
    expect(messageId(resent[0]!.raw)).toBe(messageId(cut.raw));
    for (const a of east) expect(mailsTo(a), a).toHaveLength(1);
    // A second resend is refused: the row is sent.
    expect((await api('POST', `/api/alerts/rows/${unknown.id}/resend`, {})).status).toBe(409);
  }, SLOW);
});

describe('the Alerts panel (chromium)', () => {
  it('shows progress and the failure with its reason, and Retry sends only the failed one', async () => {
    failing.add('+447700900003');
    const warning = await publish(['north'], 'a third warning');
    expect((await settled(warning)).counts).toMatchObject({ sent: 4, failed: 1 });
    const browser = await launch('chromium');
    try {
      const page = await browser.newPage();
      const pw = page.playwright!;
      await page.goto(con.url);
      await page.evaluate(() => (location.hash = '#/alerts'));
      const item = `.delivery[data-warning="${warning}"]`;
      await page.waitFor(`${item} button[name="retry"]`, 60_000);
      expect(await page.text(`${item} .counts`)).toMatch(/4 sent.*0 waiting.*1 failed/s);
      expect(await page.text(`${item} .problems`)).toBe('n-sms · SMS · failed: the SMS gateway answered 500');
      const shots = '/tmp/tipline-alert-shots';
      mkdirSync(shots, { recursive: true });
      for (const width of [360, 1280]) {
        await pw.setViewportSize({ width, height: 800 });
        await pw.screenshot({ path: join(shots, `alerts-${width}.png`), fullPage: true });
        // Nothing wider than the phone's screen (the list names what sticks out).
        const wide = await page.evaluate(() =>
          [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5).map((e) => `${e.tagName}.${e.className}`),
        );
        expect(wide, `at ${width} px`).toEqual([]);
      }
      failing.clear();
      await page.click(`${item} button[name="retry"]`);
      await pw.waitForFunction((sel: string) => !document.querySelector(`${sel} button[name="retry"]`) && / 5 sent/.test(' ' + document.querySelector(`${sel} .counts`)!.textContent), item, { timeout: 60_000 });
      expect(await page.text(`${item} .counts`)).toMatch(/5 sent.*0 waiting.*0 failed/s);
      expect(okSms('+447700900003')).toHaveLength(2); // one for the first warning, one for this one
      expect(sms.filter((m) => m.body.to === '+447700900003')).toHaveLength(3);
      expect(page.errors).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])).toEqual([]);
    } finally {
      await browser.close();
    }
  }, SLOW);
});
