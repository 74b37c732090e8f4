/**
 * The server's onion address (server/onion.ts, server/config.ts): without TIPLINE_ONION_ADDRESS
 * it is the host name tor wrote into <data dir>/onion/hidden-service; an explicit address
 * wins; a malformed host name file stops the start with a one-line ConfigError.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { onionPaths, onionTarget, torrcText } from '../../server/onion.js';

const A = `${'a'.repeat(55)}d.onion`;
const B = `${'b'.repeat(55)}d.onion`;
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function dataDirWithHostname(text: string | undefined): string {
  dir = mkdtempSync(join(tmpdir(), 'tipline-onion-config-'));
  const p = onionPaths(dir);
  mkdirSync(p.hiddenService, { recursive: true, mode: 0o700 });
  if (text !== undefined) writeFileSync(p.hostname, text, { mode: 0o600 });
  return dir;
}

describe('onion address in the configuration', () => {
  it("is tor's host name when TIPLINE_ONION_ADDRESS is unset", () => {
    const d = dataDirWithHostname(`${A}\n`);
    expect(loadConfig({ TIPLINE_DATA_DIR: d }).onionAddress).toBe(A);
  });

  it('is the explicit address when one is set, and none without either', () => {
    const d = dataDirWithHostname(`${A}\n`);
    expect(loadConfig({ TIPLINE_DATA_DIR: d, TIPLINE_ONION_ADDRESS: B }).onionAddress).toBe(B);
    rmSync(onionPaths(d).hostname);
    expect(loadConfig({ TIPLINE_DATA_DIR: d }).onionAddress).toBeUndefined();
  });

  it('refuses a host name file that is not a v3 onion name, in one line', () => {
    for (const bad of ['', 'example.org\n', `${A}x\n`, `${'A'.repeat(55)}D.onion\n`]) {
      const d = dataDirWithHostname(bad);
      expect(() => loadConfig({ TIPLINE_DATA_DIR: d })).toThrow(ConfigError);
      expect(() => loadConfig({ TIPLINE_DATA_DIR: d })).toThrow(/hostname does not hold a v3 onion host name/);
      rmSync(dir, { recursive: true, force: true });
    }
    dir = mkdtempSync(join(tmpdir(), 'tipline-onion-config-'));
  });
});

describe('torrc', () => {
  it('forwards port 80 to the server, opens no other port, and disables the network only when asked', () => {
    const p = onionPaths('/srv/data');
    const live = torrcText(p, onionTarget('0.0.0.0', 8080));
    expect(live).toMatch(/^HiddenServicePort 80 127\.0\.0\.1:8080$/m);
    expect(live).toMatch(/^HiddenServiceDir \/srv\/data\/onion\/hidden-service$/m);
    expect(live).toMatch(/^DataDirectory \/srv\/data\/onion\/tor$/m);
    for (const port of ['SocksPort', 'ControlPort', 'ORPort', 'DirPort']) expect(live).toMatch(new RegExp(`^${port} 0$`, 'm'));
    expect(live).not.toMatch(/DisableNetwork/);
    expect(torrcText(p, '127.0.0.1:1', { offline: true })).toMatch(/^DisableNetwork 1$/m);
    expect(onionTarget('::', 80)).toBe('[::1]:80');
    expect(onionTarget('::1', 80)).toBe('[::1]:80');
    expect(onionTarget('localhost', 81)).toBe('127.0.0.1:81');
    expect(onionTarget('10.0.0.5', 82)).toBe('10.0.0.5:82');
  });
});
