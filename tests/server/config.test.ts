import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const dir = mkdtempSync(join(tmpdir(), 'tipline-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fails = (env: Record<string, string | undefined>, pattern: RegExp) => {
  let err: unknown;
  try {
    loadConfig(env, dir);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  const msg = (err as Error).message;
  expect(msg).toMatch(pattern);
  expect(msg).not.toContain('\n');
};

describe('configuration', () => {
  it('has safe defaults: loopback, port 8080, ./data, SQLite', () => {
    const c = loadConfig({}, dir);
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, dataDir: join(dir, 'data'), databaseUrl: undefined, onionAddress: undefined });
    expect(c.pow.difficulty).toBeLessThanOrEqual(c.pow.maxDifficulty);
    expect(c.retention.reportDays).toBeGreaterThan(0);
    expect(c.requestWindowSeconds).toBe(120);
  });

  it('has the documented abuse limits by default (server/README.md "Abuse limits")', () => {
    const c = loadConfig({}, dir);
    expect(c.abuse).toEqual({
      stampBudgetBytes: 40 * 1024 * 1024,
      freeFollowUps: 5,
      dailyBytes: 1024 * 1024 * 1024,
      minFreeBytes: 1024 * 1024 * 1024,
      uploadIdleSeconds: 30,
      uploadMinBytesPerSecond: 16 * 1024,
      uploadGraceSeconds: 30,
      queueSeconds: 10,
    });
    expect(c.pow.challengeTtlSeconds).toBe(900);
    expect(c.pow.slackBits).toBe(1);
    expect(c.basicForm).toMatchObject({ perHour: 30, windowMinutes: 10 });
    expect(c.loginAttemptsPerHour).toBe(5);
    // One stamp buys less than the day's ceiling, and a report plus one full attachment fits a stamp.
    expect(c.abuse.stampBudgetBytes).toBeLessThan(c.abuse.dailyBytes);
    expect(c.abuse.stampBudgetBytes).toBeGreaterThan(c.limits.reportBytes + c.limits.attachmentBytes);
  });

  it('reads the abuse limits from the config file and refuses bad ones', () => {
    const data = join(dir, 'abuse-data');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'config.json'), JSON.stringify({ abuse: { stampBudgetBytes: 1 << 20, minFreeBytes: 0 } }));
    const c = loadConfig({ TIPLINE_DATA_DIR: data }, dir);
    expect(c.abuse.stampBudgetBytes).toBe(1 << 20);
    expect(c.abuse.minFreeBytes).toBe(0);
    writeFileSync(join(data, 'config.json'), JSON.stringify({ abuse: { uploadIdleSeconds: 0 } }));
    fails({ TIPLINE_DATA_DIR: data }, /abuse\.uploadIdleSeconds/);
    writeFileSync(join(data, 'config.json'), JSON.stringify({ abuse: { nonsense: 1 } }));
    fails({ TIPLINE_DATA_DIR: data }, /abuse/);
  });

  it('reads the environment', () => {
    const onion = `${'b'.repeat(56)}.onion`;
    const c = loadConfig(
      {
        PORT: '9000',
        HOST: '0.0.0.0',
        TIPLINE_DATA_DIR: '/srv/tipline',
        DATABASE_URL: 'postgres://u:p@db/tipline',
        TIPLINE_ONION_ADDRESS: `http://${onion}/`,
        TIPLINE_POW_DIFFICULTY: '12',
        TIPLINE_REPORT_RETENTION_DAYS: '30',
      },
      dir,
    );
    expect(c).toMatchObject({ port: 9000, host: '0.0.0.0', dataDir: '/srv/tipline', databaseUrl: 'postgres://u:p@db/tipline', onionAddress: onion });
    expect(c.pow.difficulty).toBe(12);
    expect(c.retention.reportDays).toBe(30);
  });

  it('reads a JSON file, with the environment winning', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ port: 7000, pow: { difficulty: 10 }, limits: { attachmentsPerReport: 2 }, retention: { mailboxDays: 5 } }));
    const c = loadConfig({ TIPLINE_CONFIG: file, PORT: '7001' }, dir);
    expect(c.port).toBe(7001);
    expect(c.pow.difficulty).toBe(10);
    expect(c.pow.maxDifficulty).toBe(18);
    expect(c.limits.attachmentsPerReport).toBe(2);
    expect(c.retention.mailboxDays).toBe(5);
  });

  it('picks up <data dir>/config.json by itself', () => {
    const data = join(dir, 'd2');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'config.json'), JSON.stringify({ basicForm: { perHour: 5 } }));
    expect(loadConfig({ TIPLINE_DATA_DIR: data }, dir).basicForm.perHour).toBe(5);
  });

  it('refuses bad values with one clear line naming the setting', () => {
    fails({ PORT: 'eighty' }, /^config: PORT: /);
    fails({ PORT: '70000' }, /^config: PORT: /);
    fails({ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/);
    fails({ TIPLINE_ONION_ADDRESS: 'example.com' }, /TIPLINE_ONION_ADDRESS/);
    fails({ TIPLINE_ROOT_PUBLIC_KEY: 'abc' }, /TIPLINE_ROOT_PUBLIC_KEY/);
    fails({ TIPLINE_SECURE_COOKIES: 'maybe' }, /TIPLINE_SECURE_COOKIES/);
    fails({ TIPLINE_POW_DIFFICULTY: '-1' }, /TIPLINE_POW_DIFFICULTY must be a whole number/);
    fails({ TIPLINE_POW_DIFFICULTY: '30', TIPLINE_POW_MAX_DIFFICULTY: '20' }, /maxDifficulty must be at least/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    fails({ TIPLINE_CONFIG: bad }, /not readable JSON/);
    writeFileSync(bad, JSON.stringify({ limits: { reportBytes: 'big' } }));
    fails({ TIPLINE_CONFIG: bad }, /limits\.reportBytes/);
    writeFileSync(bad, JSON.stringify({ prot: 80 }));
    fails({ TIPLINE_CONFIG: bad }, /bad\.json/);
    fails({ TIPLINE_CONFIG: join(dir, 'missing.json') }, /not readable JSON/);
  });
});


