/**
 * The data directory's mode: a new one is 0700; an existing one readable by others is
 * tightened to 0700 at start (and the operator told), and the database file to 0600.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.js';
import { DataDirError, secureDataDir } from '../../server/datadir.js';
import { openDatabase, sqlitePath } from '../../server/db/index.js';
import { StartError, startServer } from '../../server/start.js';
import { prepareOrganisation } from '../helpers/server.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'tipline-datadir-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const mode = (p: string) => statSync(p).mode & 0o777;

describe('data directory mode', () => {
  it('creates a missing directory 0700 and leaves a 0700 one alone', () => {
    const d = join(tmp(), 'new', 'data');
    expect(secureDataDir(d)).toBe(false);
    expect(mode(d)).toBe(0o700);
    expect(secureDataDir(d)).toBe(false);
  });

  it('tightens an existing 0755 directory to 0700', () => {
    const d = tmp();
    chmodSync(d, 0o755);
    expect(secureDataDir(d)).toBe(true);
    expect(mode(d)).toBe(0o700);
  });

  it('refuses a path that is not a directory with a clear message', () => {
    const f = join(tmp(), 'file');
    writeFileSync(f, 'x');
    expect(() => secureDataDir(f)).toThrow(DataDirError);
  });

  it('tipline serve tightens a 0755 data dir and a 0644 database file, and says so', async () => {
    const dataDir = tmp();
    prepareOrganisation(dataDir);
    const first = await openDatabase({ dataDir });
    await first.close();
    chmodSync(sqlitePath(dataDir), 0o644);
    chmodSync(dataDir, 0o755);
    let out = '';
    const s = await startServer(defaultConfig(dataDir, { port: 0, clientDir: join(dataDir, 'no-client') }), (t) => (out += t));
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(sqlitePath(dataDir))).toBe(0o600);
      expect(out).toContain(`data directory ${dataDir} was readable by others: its mode is now 0700`);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('tipline serve touches every file in the data dir on its timer', async () => {
    const dataDir = tmp();
    prepareOrganisation(dataDir);
    const s = await startServer(defaultConfig(dataDir, { port: 0, clientDir: join(dataDir, 'no-client'), retention: { fileTimesSeconds: 1 } }), () => {});
    try {
      const r = await fetch(`${s.url}/api/pow`);
      expect(r.status).toBe(200);
      const after = Date.now();
      await new Promise((res) => setTimeout(res, 2500));
      const files = ['', 'tipline.sqlite', 'tipline.sqlite-wal', 'server-key', 'keyring.json'].map((f) => join(dataDir, f));
      const times = files.map((f) => statSync(f).mtimeMs);
      for (const t of times) expect(t).toBeGreaterThan(after);
      expect(new Set(times).size).toBe(1);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('tipline serve refuses a data dir path that is a file', async () => {
    const f = join(tmp(), 'data');
    mkdirSync(join(f, '..'), { recursive: true });
    writeFileSync(f, 'x');
    await expect(startServer(defaultConfig(f, { port: 0 }), () => {})).rejects.toThrow(StartError);
  });
});
