/**
 * `tipline console` after a key rotation: the new and the old identity files, each with its own
 * passphrase file, in the same order as --identity. Nothing listens on port 9, so reaching the
 * first sync means both files were unlocked.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, primitives } from '../../crypto/index.js';
import { newCoordinator, sealCoordinator } from '../../server/org.js';
import { makeDir, removeDir, tipline } from './helpers.js';

let dir: string;
const root = bytes.base64Padded(primitives().randomBytes(32));
const f = (n: string) => join(dir, n);

beforeAll(async () => {
  dir = makeDir();
  writeFileSync(f('new.age'), await sealCoordinator(newCoordinator('c1', 'One'), 'new passphrase', 10), { mode: 0o600 });
  writeFileSync(f('old.age'), await sealCoordinator(newCoordinator('c1', 'One'), 'old passphrase', 10), { mode: 0o600 });
  writeFileSync(f('new.pass'), 'new passphrase\n', { mode: 0o600 });
  writeFileSync(f('old.pass'), 'old passphrase\n', { mode: 0o600 });
});
afterAll(() => removeDir(dir));

const base = () => ['console', '--server', 'http://127.0.0.1:9', '--root-key', root, '--identity', f('new.age'), '--identity', f('old.age')];

describe('tipline console with a new and an old identity', () => {
  it('unlocks each with its own passphrase file, in order', async () => {
    const r = await tipline([...base(), '--passphrase-file', f('new.pass'), '--passphrase-file', f('old.pass')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toBe('tipline: cannot sync with http://127.0.0.1:9: server unreachable');
  }, 120_000);

  it('one passphrase file serves every identity: the old file with another passphrase is named', async () => {
    const r = await tipline([...base(), '--passphrase-file', f('new.pass')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`tipline: ${f('old.age')}: wrong passphrase\n`);
  }, 120_000);

  it('refuses passphrase files that do not pair with the identities', async () => {
    const r = await tipline([...base(), '--identity', f('new.age'), '--passphrase-file', f('new.pass'), '--passphrase-file', f('old.pass')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give one --passphrase-file for all identities, or one per --identity/);
  }, 120_000);
});
