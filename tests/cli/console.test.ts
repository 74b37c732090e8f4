/** `tipline console` start-up refusals: passphrase file permissions, wrong passphrase, hidden prompt, bad options. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, primitives } from '../../crypto/index.js';
import { newCoordinator, sealCoordinator } from '../../server/org.js';
import { makeDir, removeDir, runInPty, tipline, tiplineCommandLine } from './helpers.js';

let dir: string;
let identity: string;
const PASS = 'console test passphrase';
const root = bytes.base64Padded(primitives().randomBytes(32));
// Nothing listens on port 9: the console must fail at its first sync, after unlocking.
const base = () => ['console', '--server', 'http://127.0.0.1:9', '--identity', identity, '--root-key', root];

beforeAll(async () => {
  dir = makeDir();
  identity = join(dir, 'coordinator.age');
  writeFileSync(identity, await sealCoordinator(newCoordinator('c1', 'One'), PASS, 10), { mode: 0o600 });
});
afterAll(() => removeDir(dir));

describe('tipline console', () => {
  it('refuses a passphrase file others can read', async () => {
    const f = join(dir, 'open.pass');
    writeFileSync(f, PASS + '\n', { mode: 0o644 });
    const r = await tipline([...base(), '--passphrase-file', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('must have mode 0600');
    expect(r.stdout.length).toBe(0);
  }, 60_000);

  it('says so for a wrong passphrase', async () => {
    const f = join(dir, 'wrong.pass');
    writeFileSync(f, 'not the passphrase\n', { mode: 0o600 });
    const r = await tipline([...base(), '--passphrase-file', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('wrong passphrase');
  }, 60_000);

  it('unlocks with a 0600 file, then reports an unreachable server in one line', async () => {
    const f = join(dir, 'ok.pass');
    writeFileSync(f, PASS + '\n', { mode: 0o600 });
    const r = await tipline([...base(), '--passphrase-file', f]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toBe('tipline: cannot sync with http://127.0.0.1:9: server unreachable');
  }, 60_000);

  it('asks for the passphrase on the terminal without echoing it', async () => {
    const r = await runInPty(tiplineCommandLine(base()), /Passphrase for /, [PASS], dir);
    expect(r.output).toContain('Passphrase for');
    expect(r.output).not.toContain(PASS);
    expect(r.output).toContain('cannot sync');
  }, 60_000);

  it('refuses a bad server address and a missing identity', async () => {
    expect((await tipline(['console', '--server', 'ftp://x', '--identity', identity, '--root-key', root])).code).toBe(2);
    expect((await tipline(['console', '--server', 'http://127.0.0.1:9', '--root-key', root])).code).toBe(2);
  }, 60_000);
});
