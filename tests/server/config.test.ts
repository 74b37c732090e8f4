import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, cookiesSecure, isLoopback, loadConfig } from '../../server/config.js';

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
      checksPerDay: 30,
      coordinatorChecksPerDay: 2000,
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

  it('takes the public origin from configuration: https, or http on an onion address, with no path', () => {
    const onion = `${'c'.repeat(56)}.onion`;
    expect(loadConfig({ TIPLINE_PUBLIC_ORIGIN: 'https://Tips.Example.org/' }, dir).publicOrigin).toBe('https://tips.example.org');
    expect(loadConfig({ TIPLINE_PUBLIC_ORIGIN: 'https://tips.example.org:8443' }, dir).publicOrigin).toBe('https://tips.example.org:8443');
    expect(loadConfig({ TIPLINE_PUBLIC_ORIGIN: `http://${onion}` }, dir).publicOrigin).toBe(`http://${onion}`);
    expect(loadConfig({}, dir).publicOrigin).toBeUndefined();
    for (const bad of ['http://tips.example.org', 'https://tips.example.org/tipline', 'https://u:p@tips.example.org', 'ftp://x', 'tips.example.org', `http://${'c'.repeat(16)}.onion`]) {
      fails({ TIPLINE_PUBLIC_ORIGIN: bad }, /^config: TIPLINE_PUBLIC_ORIGIN must be https:\/\/host/);
    }
  });

  it('makes cookies Secure everywhere but on loopback without a public origin, unless told otherwise', () => {
    const c = (env: Record<string, string>) => cookiesSecure(loadConfig(env, dir));
    expect(c({})).toBe(false);
    expect(c({ HOST: 'localhost' })).toBe(false);
    expect(c({ HOST: '::1' })).toBe(false);
    expect(c({ HOST: '0.0.0.0' })).toBe(true);
    expect(c({ HOST: '10.0.0.5' })).toBe(true);
    expect(c({ TIPLINE_PUBLIC_ORIGIN: 'https://tips.example.org' })).toBe(true);
    expect(c({ TIPLINE_PUBLIC_ORIGIN: `http://${'d'.repeat(56)}.onion` })).toBe(true);
    expect(c({ HOST: '0.0.0.0', TIPLINE_SECURE_COOKIES: 'false' })).toBe(false);
    expect(c({ TIPLINE_SECURE_COOKIES: 'true' })).toBe(true);
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '128.0.0.1', '127.0.0.1.example.org', 'localhost.example.org']) expect(isLoopback(h), h).toBe(false);
  });
});
