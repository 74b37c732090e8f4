/**
 * `tipline doctor` (scripts/commands/doctor.ts): one deployment where every check passes (exit
 * 0), and deployments where each check finds its problem (exit 1, the line says what and what
 * to do). Each run is the real command on real files; the onion files tor would write are
 * written here (tests/browser/onion.test.ts runs tor itself).
 */
import { chmodSync, mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, primitives, type Role } from '../../crypto/index.js';
import { KEYRING_FILE, ROOT_PUBLIC_KEY_FILE, buildKeyring, newCoordinator } from '../../server/org.js';
import { makeDir, removeDir, tipline } from './helpers.js';

const PORT = 18089;
const ADDRESS = `${'a'.repeat(55)}d.onion`;
let dir: string;

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

interface Setup {
  /** Keyring: issued `keyringAge` days ago, valid `validDays`, at this version. */
  keyringAge?: number;
  validDays?: number;
  version?: number;
  /** Config file additions. */
  config?: Record<string, unknown>;
  /** Another organisation's root key in the client build. */
  clientKey?: 'own' | 'other' | 'none';
  clientMinVersion?: number;
  onionPort?: number | 'none';
  backups?: number[] | 'none';
}

/** A data dir (0700, files 0600) with an organisation, a config, a client build, onion files and backups. */
async function deployment(label: string, s: Setup = {}): Promise<{ data: string; backups: string }> {
  const base = join(dir, label);
  const data = join(base, 'data');
  mkdirSync(data, { recursive: true, mode: 0o700 });
  const rootSeed = primitives().randomBytes(32);
  const rootPublicKey = bytes.base64Padded(primitives().ed25519PublicKey(rootSeed));
  const { envelope } = buildKeyring(rootSeed, [{ secret: newCoordinator('c1', 'One'), roles: ['reports'] as Role[] }], {
    now: new Date(Date.now() - (s.keyringAge ?? 0) * 86_400_000),
    validDays: s.validDays ?? 180,
    version: s.version ?? 1,
  });
  writeFileSync(join(data, KEYRING_FILE), JSON.stringify(envelope), { mode: 0o600 });
  writeFileSync(join(data, ROOT_PUBLIC_KEY_FILE), rootPublicKey + '\n', { mode: 0o600 });
  writeFileSync(join(data, 'server-key'), bytes.base64Padded(primitives().randomBytes(32)) + '\n', { mode: 0o600 });
  const clientDir = join(base, 'client');
  mkdirSync(clientDir, { recursive: true });
  if ((s.clientKey ?? 'own') !== 'none') {
    const key = s.clientKey === 'other' ? bytes.base64Padded(primitives().randomBytes(32)) : rootPublicKey;
    writeFileSync(join(clientDir, 'build-info.json'), JSON.stringify({ rootPublicKey: key, minKeyringVersion: s.clientMinVersion ?? s.version ?? 1 }));
    writeFileSync(join(clientDir, 'index.html'), '<!doctype html>');
  }
  writeFileSync(join(data, 'config.json'), JSON.stringify({ port: PORT, clientDir, abuse: { minFreeBytes: 1 << 20 }, ...s.config }), { mode: 0o600 });
  if (s.onionPort !== 'none') {
    const r = await tipline(['onion', '--data-dir', data, '--port', String(s.onionPort ?? PORT)]);
    expect(r.code).toBe(0);
    // What tor writes into the hidden-service folder.
    writeFileSync(join(data, 'onion', 'hidden-service', 'hostname'), ADDRESS + '\n', { mode: 0o600 });
    writeFileSync(join(data, 'onion', 'hidden-service', 'hs_ed25519_secret_key'), 'x', { mode: 0o600 });
  }
  const backups = join(base, 'backups');
  mkdirSync(backups, { recursive: true });
  if (s.backups !== 'none') for (const d of s.backups ?? [0]) writeFileSync(join(backups, `tipline-backup-${day(-d)}T0300Z.age`), 'age');
  writeFileSync(join(backups, 'notes.txt'), 'not a backup');
  return { data, backups };
}

async function doctor(d: { data: string; backups: string }, extra: string[] = []) {
  const r = await tipline(['doctor', '--data-dir', d.data, '--backups', d.backups, ...extra]);
  const out = r.stdout.toString();
  const line = (check: string) => out.split('\n').filter((l) => l.slice(6).startsWith(check));
  return { code: r.code, out, stderr: r.stderr, line };
}

beforeAll(() => {
  dir = makeDir();
});
afterAll(() => removeDir(dir));

describe('tipline doctor', () => {
  it('a healthy deployment: every check ok, exit 0', async () => {
    const r = await doctor(await deployment('good'));
    expect(r.stderr).toBe('');
    expect(r.out).toMatch(/^ok {4}keyring {6}version 1, expires \d{4}-\d\d-\d\d \(in 180 days\)$/m);
    for (const check of ['keyring', 'permissions', 'disk', 'backups', 'client', 'onion']) {
      expect(r.line(check), r.out).toHaveLength(1);
      expect(r.line(check)[0]!.startsWith('ok '), r.out).toBe(true);
    }
    expect(r.line('onion')[0]).toContain(ADDRESS);
    expect(r.line('backups')[0]).toContain(`from ${day(0)} (today)`);
    expect(r.out).toContain('No problems found.');
    expect(r.code).toBe(0);
  }, 240_000);

  it('each check finds its problem: keyring expiring, loose permissions, disk below the watermark, old backup, client for another root key, onion on the wrong port', async () => {
    const d = await deployment('bad', {
      keyringAge: 160,
      validDays: 180,
      config: { abuse: { minFreeBytes: 2 ** 52 } },
      clientKey: 'other',
      onionPort: PORT + 1,
      backups: [30, 12],
    });
    chmodSync(d.data, 0o755);
    chmodSync(join(d.data, 'server-key'), 0o644);
    const r = await doctor(d);
    expect(r.code).toBe(1);
    expect(r.line('keyring')).toEqual([expect.stringMatching(/^SOON  keyring {6}version 1 expires on \d{4}-\d\d-\d\d, in 20 days: .*tipline keyring renew/)]);
    expect(r.line('permissions').join('\n')).toMatch(/has mode 0755, should be 0700/);
    expect(r.line('permissions').join('\n')).toMatch(/server-key \(0644\).*must be 0600/);
    expect(r.line('disk')).toEqual([expect.stringMatching(/^FAIL  disk .*below the server's watermark.*new reports are refused/)]);
    expect(r.line('backups')).toEqual([expect.stringMatching(new RegExp(`^FAIL  backups .*from ${day(-12)}, 12 days ago \\(more than 7\\)`))]);
    expect(r.line('client')).toEqual([expect.stringMatching(/^FAIL  client .*pins another root key/)]);
    expect(r.line('onion')).toEqual([expect.stringMatching(new RegExp(`^FAIL  onion .*tor forwards to port ${PORT + 1} but the server listens on ${PORT}`))]);
    expect(r.out).toMatch(/\d+ problems found\.\n$/);
  }, 240_000);

  it("more problems: an expired keyring, no backup at all, a root key in the data dir, disk space running out, an onion address that is not tor's", async () => {
    const free = Number(statfsSync(dir).bavail) * Number(statfsSync(dir).bsize);
    const d = await deployment('worse', {
      keyringAge: 40,
      validDays: 30,
      // Between the watermark and twice it: SOON.
      config: { abuse: { minFreeBytes: Math.floor(free * 0.7) }, onionAddress: `${'b'.repeat(55)}d.onion` },
      backups: 'none',
    });
    writeFileSync(join(d.data, 'root-key.age'), 'secret', { mode: 0o600 });
    const r = await doctor(d);
    expect(r.code).toBe(1);
    expect(r.line('keyring')).toEqual([expect.stringMatching(/^FAIL  keyring .*has EXPIRED: no report can be sent/)]);
    expect(r.line('backups')).toEqual([expect.stringMatching(/^FAIL  backups .*no backup in .*make one with tipline backup/)]);
    expect(r.line('permissions')).toEqual([expect.stringMatching(/root-key\.age is in the data directory/)]);
    expect(r.line('disk')).toEqual([expect.stringMatching(/^SOON  disk .*less than twice the watermark/)]);
    expect(r.line('client')[0]).toMatch(/^ok /);
    expect(r.line('onion')).toEqual([expect.stringMatching(new RegExp(`^FAIL  onion .*is b{55}d\\.onion but tor serves ${ADDRESS}`))]);
  }, 240_000);

  it('a client build that accepts keyrings older than the current one is a problem', async () => {
    const d = await deployment('rollback', { version: 3, clientMinVersion: 2, onionPort: 'none' });
    const r = await doctor(d);
    expect(r.code).toBe(1);
    expect(r.line('client')).toEqual([expect.stringMatching(/^SOON  client .*from version 2, older than the current 3/)]);
    expect(r.line('onion')).toEqual([expect.stringMatching(/^skip  onion /)]);
    expect(r.line('keyring')[0]).toMatch(/^ok /);
  }, 240_000);
});
