/**
 * The onion service (`tipline onion`, server/onion.ts) with Debian's real tor, only ever with
 * `DisableNetwork 1`: tor makes the service keys and host name from the generated torrc, the
 * server (a real `tipline serve`) picks the address up and names it in Onion-Location, and
 * chromium opened at http://<address>/ (host resolver rules send that name to the server's
 * loopback port, as tor would deliver it) loads the pages without a request to any other origin.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { tipline } from '../cli/helpers.js';
import { TEST_SERVER_CONFIG, prepareOrganisation, startTiplineServer, type SpawnedServer } from '../helpers/server.js';
import { CHROMIUM } from './helpers/browsers.js';
import { buildClient } from './helpers/stack.js';

const TOR = '/usr/sbin/tor';
const hasTor = existsSync(TOR);
if (!hasTor) console.log(`onion tests skipped: ${TOR} is not installed (apt-get install tor)`);

let dir: string;
let dataDir: string;
let port: number;
let tor: ChildProcess | undefined;
let server: SpawnedServer | undefined;
let address = '';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

/** Start tor with a torrc, refusing any torrc that would let it reach the network. */
function startTor(torrc: string): ChildProcess {
  if (!/^DisableNetwork 1$/m.test(readFileSync(torrc, 'utf8'))) throw new Error('refusing to start tor without DisableNetwork 1');
  return spawn(TOR, ['--defaults-torrc', '/dev/null', '-f', torrc], { stdio: 'ignore' });
}

async function waitForFile(path: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!existsSync(path) || readFileSync(path, 'utf8').trim() === '') {
    if (Date.now() > end) throw new Error(`${path} did not appear`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  if (!hasTor) return;
  dir = mkdtempSync(join(tmpdir(), 'tipline-onion-'));
  dataDir = join(dir, 'data');
  port = await freePort();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (tor && tor.exitCode === null) {
    tor.kill('SIGTERM');
    await new Promise((r) => tor!.once('exit', r));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasTor)('tipline onion with real tor (DisableNetwork 1)', () => {
  it('writes an owner-only torrc for the server port, with DisableNetwork 1 when --offline', async () => {
    const r = await tipline(['onion', '--data-dir', dataDir, '--port', String(port), '--offline']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const torrc = join(dataDir, 'onion', 'torrc');
    const text = readFileSync(torrc, 'utf8');
    expect(text).toMatch(/^DisableNetwork 1$/m);
    expect(text).toMatch(new RegExp(`^HiddenServicePort 80 127\\.0\\.0\\.1:${port}$`, 'm'));
    expect(text).toMatch(new RegExp(`^HiddenServiceDir ${join(dataDir, 'onion', 'hidden-service')}$`, 'm'));
    expect(text).toMatch(/^SocksPort 0$/m);
    expect(text).toMatch(/^ControlPort 0$/m);
    expect(statSync(torrc).mode & 0o777).toBe(0o600);
    for (const d of ['onion', 'onion/tor', 'onion/hidden-service']) expect(statSync(join(dataDir, d)).mode & 0o777).toBe(0o700);
    expect(r.stdout.toString()).toContain('No service keys yet');
  }, 60_000);

  it('tor makes the service keys and the host name from that torrc', async () => {
    tor = startTor(join(dataDir, 'onion', 'torrc'));
    const hostname = join(dataDir, 'onion', 'hidden-service', 'hostname');
    await waitForFile(hostname, 60_000);
    address = readFileSync(hostname, 'utf8').trim();
    expect(address).toMatch(/^[a-z2-7]{56}\.onion$/);
    expect(existsSync(join(dataDir, 'onion', 'hidden-service', 'hs_ed25519_secret_key'))).toBe(true);
    // Running the command again keeps the keys and prints their address.
    const r = await tipline(['onion', '--data-dir', dataDir, '--port', String(port), '--offline']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain(`onion address: ${address}`);
  }, 90_000);

  it('--create-keys runs tor with the network disabled and prints the address it made', async () => {
    const other = join(dir, 'other');
    const r = await tipline(['onion', '--data-dir', other, '--port', String(port), '--create-keys']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const made = readFileSync(join(other, 'onion', 'hidden-service', 'hostname'), 'utf8').trim();
    expect(made).toMatch(/^[a-z2-7]{56}\.onion$/);
    expect(made).not.toBe(address);
    expect(r.stdout.toString()).toContain(`onion address: ${made}`);
    // Without --offline the torrc is for a live service.
    expect(readFileSync(join(other, 'onion', 'torrc'), 'utf8')).not.toMatch(/DisableNetwork/);
  }, 90_000);

  it("the server names that address in Onion-Location, and chromium at the onion's host name loads the pages from that origin alone", async () => {
    expect(address).not.toBe('');
    const org = prepareOrganisation(dataDir);
    const clientDir = join(dir, 'client');
    await buildClient(org.rootPublicKey, clientDir);
    server = await startTiplineServer({
      dataDir,
      org: 'existing',
      config: { ...TEST_SERVER_CONFIG, clientDir },
      env: { PORT: String(port) },
    });
    const res = await fetch(`${server.url}/follow-up?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('onion-location')).toBe(`http://${address}/follow-up?x=1`);

    const origin = `http://${address}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-default-apps',
        '--disable-extensions',
        // Every name but the onion's resolves to nothing, and nothing goes through a proxy but to the onion.
        `--host-resolver-rules=MAP ${address} 127.0.0.1:${port}, MAP * ~NOTFOUND`,
        '--proxy-server=http://127.0.0.1:9',
        `--proxy-bypass-list=${address}`,
      ],
    });
    const requests: string[] = [];
    try {
      const context = await browser.newContext({ locale: 'en-GB' });
      context.on('request', (r) => requests.push(r.url()));
      const page = await context.newPage();
      const first = await page.goto(`${origin}/`);
      expect(first?.status()).toBe(200);
      // Reached over the onion itself: no Onion-Location pointing at where the page already is.
      expect(first?.headers()['onion-location']).toBeUndefined();
      await page.waitForSelector('form button[type="submit"]', { timeout: 60_000 });
      const followUp = await page.goto(`${origin}/follow-up`);
      expect(followUp?.status()).toBe(200);
      await page.waitForSelector('form', { timeout: 60_000 });
      const basic = await page.goto(`${origin}/report/basic`);
      expect(basic?.status()).toBe(200);
      expect(await page.textContent('body')).toBeTruthy();
      await context.close();
    } finally {
      await browser.close();
    }
    expect(requests.length).toBeGreaterThan(3);
    const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
    // The page asked the server for the keyring through the onion, as a reporter's browser does.
    expect(requests).toContain(`${origin}/api/keyring`);
  }, 240_000);
});
