/**
 * The organisation profile at start: the demo writes a clearly fictional one signed by its
 * root key and the server serves it; `tipline serve` loads a newer profile.json and warns about
 * a bad one without refusing to start.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyKeyring, verifyProfile } from '../../crypto/index.js';
import { defaultConfig } from '../../server/config.js';
import { readRootPublicKey } from '../../server/org.js';
import { startServer } from '../../server/start.js';
import { REPO } from '../helpers/server.js';

const run = promisify(execFile);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('organisation profile at start', () => {
  it('the demo organisation ships a fictional profile, signed by its root key, and serves it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tipline-profile-start-'));
    dirs.push(dir);
    const out: string[] = [];
    const config = defaultConfig(dir, { port: 0, host: '127.0.0.1', clientDir: join(dir, 'none'), passphraseLogN: 10 });
    const s = await startServer(config, (t) => out.push(t));
    try {
      const root = readRootPublicKey(dir)!;
      const text = await (await fetch(`${s.url}/api/profile`)).text();
      const keyring = verifyKeyring(await (await fetch(`${s.url}/api/keyring`)).text(), root);
      const p = verifyProfile(text, root, { keyring });
      expect(p.name).toMatch(/fictional/i);
      expect(p.contacts.find((c) => c.kind === 'emergency')?.phone).toBe('999');
      expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(join(dir, 'profile.json'), 'utf8')));
      expect(out.join('')).toContain('organisation profile version 1 loaded');

      // A profile.json that does not verify is reported, not served, and the server keeps running.
      writeFileSync(join(dir, 'profile.json'), JSON.stringify({ ...JSON.parse(text), signature: JSON.parse(text).signature.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) }));
    } finally {
      await s.close();
    }
    const again: string[] = [];
    const s2 = await startServer(config, (t) => again.push(t));
    try {
      expect(again.join('')).toMatch(/WARNING: .*profile\.json not loaded: invalid (signature|profile)/);
      expect((await fetch(`${s2.url}/api/profile`)).status).toBe(200);
    } finally {
      await s2.close();
    }
  }, 120_000);
});

describe('tipline init --profile', () => {
  it('signs the profile with the new root key into the data dir, and refuses an invalid one before making any key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tipline-init-profile-'));
    dirs.push(dir);
    const file = join(dir, 'profile-input.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Init Test Scheme',
        regions: [{ id: 'north', name: 'North' }],
        contacts: [{ kind: 'emergency', name: 'Emergency services', phone: '112' }],
        nextSteps: 'We read every report.',
        languages: ['en'],
      }),
    );
    const bin = join(REPO, 'bin/tipline.js');
    await run(process.execPath, [bin, 'init', '--data-dir', join(dir, 'data'), '--admin-dir', join(dir, 'admin'), '--profile', file], { timeout: 120_000 });
    const p = verifyProfile(readFileSync(join(dir, 'data', 'profile.json'), 'utf8'), readRootPublicKey(join(dir, 'data'))!);
    expect(p).toMatchObject({ version: 1, name: 'Init Test Scheme', regions: [{ id: 'north', name: 'North' }] });

    writeFileSync(file, JSON.stringify({ name: 'No emergency', regions: [{ id: 'north', name: 'North' }], contacts: [{ kind: 'support', name: 'x', phone: '0800' }], nextSteps: 'x', languages: ['en'] }));
    const bad = await run(process.execPath, [bin, 'init', '--data-dir', join(dir, 'd2'), '--admin-dir', join(dir, 'a2'), '--profile', file], { timeout: 120_000 }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad?.code).toBe(2);
    expect(bad?.stderr).toContain('at least one emergency contact');
    expect(() => readFileSync(join(dir, 'a2', 'root-key.age'))).toThrow();
  }, 180_000);
});
