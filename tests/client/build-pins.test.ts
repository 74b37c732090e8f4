/**
 * What the client build pins (vite.config.ts) and when `tipline serve` rebuilds for it
 * (server/client-build.ts): the root key and the lowest keyring version (crypto/SPEC.md §Keyring).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, primitives, signKeyring, type Keyring } from '../../crypto/index.js';
import { builtMinKeyringVersion, ensureClientBuild } from '../../server/client-build.js';
import { readMinKeyringVersion } from '../../vite.config.js';

const dir = mkdtempSync(join(tmpdir(), 'tipline-pins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const p = primitives();
const rootSeed = new Uint8Array(32).fill(4);
const root = bytes.base64Padded(p.ed25519PublicKey(rootSeed));
const ring = (version: number, issued = '2020-01-01', expires = '2020-06-01'): Keyring => ({
  version,
  issued,
  expires,
  coordinators: [
    {
      id: 'c1',
      name: 'Sam',
      recipient: HybridIdentity.generate().recipient().toString(),
      signingKey: bytes.base64Padded(p.ed25519PublicKey(new Uint8Array(32).fill(5))),
      roles: ['reports'],
    },
  ],
});

describe('readMinKeyringVersion', () => {
  it('takes TIPLINE_MIN_KEYRING_VERSION first, and refuses anything but a whole number from 1', () => {
    expect(readMinKeyringVersion(root, { TIPLINE_MIN_KEYRING_VERSION: '12', TIPLINE_DATA_DIR: join(dir, 'none') })).toBe(12);
    for (const bad of ['0', '-1', '1.5', '07', 'x', '99999999999999999']) {
      expect(() => readMinKeyringVersion(root, { TIPLINE_MIN_KEYRING_VERSION: bad }), bad).toThrow('TIPLINE_MIN_KEYRING_VERSION');
    }
  });

  it("is the data dir's root-signed keyring version, even when that keyring has expired", () => {
    const data = mkdtempSync(join(dir, 'data-'));
    writeFileSync(join(data, 'keyring.json'), JSON.stringify(signKeyring(ring(9), rootSeed)));
    expect(readMinKeyringVersion(root, { TIPLINE_DATA_DIR: data })).toBe(9);
  });

  it('is 1 without a keyring, and refuses a keyring signed by another key', () => {
    expect(readMinKeyringVersion(root, { TIPLINE_DATA_DIR: join(dir, 'none') })).toBe(1);
    const data = mkdtempSync(join(dir, 'data-'));
    writeFileSync(join(data, 'keyring.json'), JSON.stringify(signKeyring(ring(9), new Uint8Array(32).fill(6))));
    expect(() => readMinKeyringVersion(root, { TIPLINE_DATA_DIR: data })).toThrow('not a keyring signed by the pinned root key');
  });
});

describe('ensureClientBuild', () => {
  it('keeps a build that pins the key and at least the stored version, and says when one pins less', () => {
    const client = mkdtempSync(join(dir, 'client-'));
    writeFileSync(join(client, 'index.html'), '<!doctype html>');
    writeFileSync(join(client, 'build-info.json'), JSON.stringify({ rootPublicKey: root, minKeyringVersion: 3 }));
    expect(builtMinKeyringVersion(client)).toBe(3);
    const printed: string[] = [];
    ensureClientBuild(client, root, (t) => printed.push(t), 3);
    ensureClientBuild(client, root, (t) => printed.push(t), 2);
    expect(printed).toEqual([]);
    // Not the repository's dist/client, so it cannot rebuild: it warns.
    ensureClientBuild(client, root, (t) => printed.push(t), 4);
    expect(printed.join('')).toContain('accepts keyrings older than version 4');
    writeFileSync(join(client, 'build-info.json'), JSON.stringify({ rootPublicKey: root }));
    expect(builtMinKeyringVersion(client)).toBe(0);
  });
});
