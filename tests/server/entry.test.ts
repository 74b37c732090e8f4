/**
 * The entry points over a real process: `tipline serve` on an empty data dir (demo
 * organisation), a restart, bad configuration, and `tipline init` for a real organisation.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bytes, primitives, signRequest, verifyKeyring } from '../../crypto/index.js';
import { demoNotice } from '../../server/demo.js';
import { openCoordinator, openRootKey } from '../../server/org.js';
import { REPO, startTiplineServer } from '../helpers/server.js';

const run = promisify(execFile);
const tipline = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [join(REPO, 'bin/tipline.js'), ...args], { cwd: REPO, env: { ...process.env, TIPLINE_BUILD_CLIENT: '0', ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'tipline-entry-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const mode = (p: string) => statSync(p).mode & 0o777;

describe('tipline serve', () => {
  it('creates a loudly announced demo organisation in an empty data dir, and reuses it on restart', async () => {
    const dataDir = tmp();
    const s = await startTiplineServer({ dataDir, org: 'demo' });
    try {
      const out = s.output();
      expect(out).toContain('DEMO ORGANISATION CREATED');
      expect(out).toContain(join(dataDir, 'demo', 'root-key.age'));
      expect(s.demoPassphrase).toMatch(/^[a-z]+(-[a-z]+){7}$/);
      for (const f of ['demo/root-key.age', 'demo/coordinator.age', 'demo/passphrase', 'server-key', 'check-key', 'tipline.sqlite']) expect(mode(join(dataDir, f)), f).toBe(0o600);
      expect(mode(dataDir)).toBe(0o700);
      // stdout is a pipe (a log under systemd or docker): the passphrase is only in its 0600 file, which is named.
      expect(out).toContain(`demo passphrase file: ${join(dataDir, 'demo', 'passphrase')}`);
      expect(out).not.toContain(s.demoPassphrase!);
      for (const f of ['demo/root-key.age', 'demo/coordinator.age', 'keyring.json', 'root-public-key', 'config.json']) {
        expect(readFileSync(join(dataDir, f), 'utf8')).not.toContain(s.demoPassphrase!);
      }
      const coordinator = await openCoordinator(readFileSync(join(dataDir, 'demo/coordinator.age')), s.demoPassphrase!);
      // (The root key file is opened in the init test; scrypt at age's work factor is slow.)
      const rootPublicKey = bytes.fromBase64Padded(readFileSync(join(dataDir, 'root-public-key'), 'utf8').trim());
      const keyringText = await (await fetch(`${s.url}/api/keyring`)).text();
      const keyring = verifyKeyring(keyringText, rootPublicKey);
      expect(keyring.coordinators).toHaveLength(1);
      expect(keyring.coordinators[0]).toMatchObject({
        id: 'demo',
        roles: ['reports', 'warnings', 'members'],
        recipient: coordinator.identity.recipient().toString(),
        signingKey: bytes.base64Padded(primitives().ed25519PublicKey(coordinator.signingSeed)),
      });
      // The demo coordinator can use the coordinator API.
      const path = '/api/coordinator/reports';
      const headers = signRequest('coordinator', { method: 'GET', path, body: new Uint8Array(0), timestamp: Math.floor(Date.now() / 1000) }, coordinator.signingSeed);
      const r = await fetch(`${s.url}${path}`, { headers });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { reports: unknown[] }).reports).toEqual([]);
    } finally {
      await s.stop();
    }
    const again = await startTiplineServer({ dataDir, org: 'existing' });
    try {
      expect(again.output()).not.toContain('DEMO');
      expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    } finally {
      await again.stop();
    }
  }, 180_000);

  it('makes no demo organisation on a non-loopback address unless TIPLINE_DEMO=1', async () => {
    const dataDir = tmp();
    const r = await tipline(['serve'], { HOST: '0.0.0.0', PORT: '0', TIPLINE_DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HOST 0\.0\.0\.0 is not a loopback address: run tipline init .*TIPLINE_DEMO=1/);
    expect(existsSync(join(dataDir, 'demo'))).toBe(false);
    expect(existsSync(join(dataDir, 'keyring.json'))).toBe(false);
    const s = await startTiplineServer({ dataDir, org: 'demo', env: { HOST: '0.0.0.0', TIPLINE_DEMO: '1' } });
    try {
      expect(s.output()).toContain('DEMO ORGANISATION CREATED');
      expect(mode(join(dataDir, 'demo', 'passphrase'))).toBe(0o600);
    } finally {
      await s.stop();
    }
  }, 180_000);

  it('prints the demo passphrase only to a terminal, and always names its file', () => {
    const d = { passphrase: 'alpha-bravo-charlie', passphraseFile: '/d/demo/passphrase', rootKeyFile: '/d/demo/root-key.age', coordinatorFile: '/d/demo/coordinator.age', keyringFile: '/d/keyring.json' };
    const tty = demoNotice(d, '/d', true);
    const log = demoNotice(d, '/d', false);
    expect(tty).toContain('alpha-bravo-charlie');
    expect(log).not.toContain('alpha-bravo-charlie');
    for (const text of [tty, log]) expect(text).toContain('demo passphrase file: /d/demo/passphrase');
  });

  it('refuses a bad configuration with one clear line and exit status 2', async () => {
    const r = await tipline(['serve'], { PORT: 'eighty', TIPLINE_DATA_DIR: tmp() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('tipline: config: PORT: must be a whole number from 0 to 65535');
    const pg = await tipline(['serve'], { DATABASE_URL: 'mysql://x', TIPLINE_DATA_DIR: tmp() });
    expect(pg.code).toBe(2);
    expect(pg.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});

describe('tipline init', () => {
  it('sets up an organisation with the root key outside the data dir, and the server runs with it', async () => {
    const base = tmp();
    const dataDir = join(base, 'data');
    const adminDir = join(base, 'admin');
    const r = await tipline(['init', '--data-dir', dataDir, '--admin-dir', adminDir, '--coordinators', '2', '--name', 'Ana']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['root-key.age', 'coordinator-1.age', 'coordinator-2.age', 'keyring.json']) expect(mode(join(adminDir, f)), f).toBe(0o600);
    expect(existsSync(join(dataDir, 'keyring.json'))).toBe(true);
    expect(existsSync(join(dataDir, 'root-public-key'))).toBe(true);
    expect(existsSync(join(dataDir, 'root-key.age'))).toBe(false);
    const passes = [...r.stdout.matchAll(/passphrase: (\S+)/g)].map((m) => m[1]!);
    expect(passes).toHaveLength(3);
    expect(new Set(passes).size).toBe(3);
    const root = await openRootKey(readFileSync(join(adminDir, 'root-key.age')), passes[0]!);
    const ana = await openCoordinator(readFileSync(join(adminDir, 'coordinator-1.age')), passes[1]!);
    expect(ana.name).toBe('Ana');
    await expect(openCoordinator(readFileSync(join(adminDir, 'coordinator-2.age')), passes[1]!)).rejects.toThrow();
    expect(readFileSync(join(dataDir, 'root-public-key'), 'utf8').trim()).toBe(bytes.base64Padded(primitives().ed25519PublicKey(root)));

    const s = await startTiplineServer({ dataDir, org: 'existing' });
    try {
      expect(s.output()).not.toContain('DEMO');
      const path = '/api/coordinator/reports';
      const headers = signRequest('coordinator', { method: 'GET', path, body: new Uint8Array(0), timestamp: Math.floor(Date.now() / 1000) }, ana.signingSeed);
      expect((await fetch(`${s.url}${path}`, { headers })).status).toBe(200);
    } finally {
      await s.stop();
    }

    // Never twice into the same data dir, never with the admin dir inside the data dir.
    const twice = await tipline(['init', '--data-dir', dataDir, '--admin-dir', join(base, 'admin2')]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already has an organisation/);
    const inside = await tipline(['init', '--data-dir', join(base, 'd3'), '--admin-dir', join(base, 'd3', 'admin')]);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/outside the data directory/);
    expect(existsSync(join(base, 'd3'))).toBe(false);
    const usage = await tipline(['init', '--data-dir', join(base, 'd4')]);
    expect(usage.code).toBe(2);
  }, 240_000);
});
