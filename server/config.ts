/**
 * Server configuration: environment variables, optionally a JSON file, validated
 * with zod at start-up. Environment variables win over the file.
 *
 * Names: PORT, HOST, TIPLINE_DATA_DIR, DATABASE_URL, TIPLINE_ONION_ADDRESS, TIPLINE_PUBLIC_ORIGIN,
 * TIPLINE_CONFIG (path of the JSON file; default `<data dir>/config.json` when it exists),
 * TIPLINE_ROOT_PUBLIC_KEY (base64; default: the file `<data dir>/root-public-key`),
 * TIPLINE_SERVER_KEY (base64, 32 bytes; default: the file `<data dir>/server-key`, created on first start),
 * TIPLINE_CHECK_KEY (base64, 32 bytes; default: the file `<data dir>/check-key`, created on first start),
 * TIPLINE_SECURE_COOKIES (auto|true|false), TIPLINE_POW_DIFFICULTY, TIPLINE_POW_MAX_DIFFICULTY,
 * TIPLINE_REPORT_RETENTION_DAYS, TIPLINE_MAILBOX_RETENTION_DAYS, TIPLINE_SESSION_DAYS,
 * TIPLINE_DEMO (1: make the demo organisation even when not listening on loopback).
 * Without TIPLINE_ONION_ADDRESS, the host name in `<data dir>/onion/hidden-service/hostname`
 * (written by tor for `tipline onion`) is used, when present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { readOnionHostname } from './onion.js';

const int = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const limitsSchema = z
  .object({
    /** Any JSON body. */
    jsonBytes: int(1024, 64 << 20).default(1 << 20),
    /** An encrypted report (age file) before base64. */
    reportBytes: int(1024, 16 << 20).default(512 * 1024),
    /** One encrypted attachment (age file), streamed. */
    attachmentBytes: int(1024, 1 << 30).default(25 << 20),
    attachmentsPerReport: int(0, 100).default(10),
    /** A follow-up or reply (age file). */
    messageBytes: int(1024, 16 << 20).default(256 * 1024),
    messagesPerMailbox: int(1, 10_000).default(200),
    caseNoteBytes: int(1024, 16 << 20).default(256 * 1024),
    warningBytes: int(1024, 16 << 20).default(128 * 1024),
    applicationBytes: int(1024, 16 << 20).default(64 * 1024),
    /** Member applications waiting for a decision; more are refused (503) until coordinators decide. */
    pendingApplications: int(1, 100_000).default(500),
    /** The no-JavaScript form's urlencoded body. */
    basicFormBytes: int(1024, 1 << 20).default(256 * 1024),
    /** Attachment uploads in progress at once in this process (bounds memory and disk churn). */
    concurrentUploads: int(1, 1000).default(8),
  })
  .strict();

const retentionSchema = z
  .object({
    reportDays: int(1, 3650).default(90),
    mailboxDays: int(1, 3650).default(90),
    sessionDays: int(1, 365).default(7),
    /** Pending member applications nobody decided; a decided application's ciphertext as long after the decision. */
    applicationDays: int(1, 3650).default(60),
    /** Revoked members (login name and passphrase hash), counted from the revocation. */
    revokedMemberDays: int(1, 3650).default(30),
    /** Withdrawn-warning tombstones members sync from. */
    tombstoneDays: int(1, 3650).default(365),
    /** How often the retention job runs. */
    intervalMinutes: int(1, 24 * 60).default(60),
    /** How often every file in the data dir is touched, so file times do not date a report (server/datadir.ts). */
    fileTimesSeconds: int(1, 3600).default(10),
  })
  .strict();

const powSchema = z
  .object({
    /**
     * Leading zero bits required normally. 15 bits is about 33k SHA-256 on average: a tenth of a
     * second with a JIT, 3 to 6 s without one, as in Tor Browser at "Safer" (npm run bench).
     */
    difficulty: int(0, 32).default(15),
    /** Ceiling under surge so honest phones still get through. */
    maxDifficulty: int(0, 32).default(18),
    /** 15 minutes: long enough for a phone without a JIT at the ceiling; the browser fetches a new one when it lapses. */
    challengeTtlSeconds: int(10, 24 * 3600).default(900),
    /** A stamp is accepted at the difficulty in force minus this many bits (a surge that began while the browser worked). */
    slackBits: int(0, 8).default(1),
    /** Submissions per surge window above which difficulty rises by one bit per doubling. */
    surgeThreshold: int(1, 1_000_000).default(60),
    surgeWindowMinutes: int(1, 24 * 60).default(10),
  })
  .strict();

const basicFormSchema = z
  .object({
    /**
     * Global ceiling on no-JavaScript submissions per hour (they carry no proof of work),
     * enforced as perHour × windowMinutes / 60 per sliding window so the form opens again
     * within one window after a flood stops.
     */
    perHour: int(0, 100_000).default(30),
    windowMinutes: int(5, 60).default(10),
    /** Seconds a form must have been open before it may be posted (bots post at once). */
    minFillSeconds: int(0, 3600).default(3),
  })
  .strict();

/** Abuse limits (issue 8; SECURITY.md "Abuse limits"). Counters live in the database. */
const abuseSchema = z
  .object({
    /** Bytes one proof-of-work stamp buys: a report, its attachments and its free follow-ups together. */
    stampBudgetBytes: int(64 * 1024, 1 << 30).default(40 << 20),
    /** Follow-ups the report's stamp pays for; each further one needs a fresh stamp. */
    freeFollowUps: int(0, 10_000).default(5),
    /** Bytes the whole service accepts per UTC day from reporters and applicants. */
    dailyBytes: int(1 << 20, 2 ** 50).default(2 ** 30),
    /** Below this many free bytes on the data dir's file system (SQLite), new writes get 503. */
    minFreeBytes: int(0, 2 ** 52).default(2 ** 30),
    /** An upload that sends nothing for this long is cut off (408). */
    uploadIdleSeconds: int(1, 600).default(30),
    /** After `uploadGraceSeconds`, an upload slower than this on average is cut off (408). */
    uploadMinBytesPerSecond: int(0, 1 << 30).default(16 * 1024),
    uploadGraceSeconds: int(1, 3600).default(30),
    /** How long a login, application or upload waits for a free slot before 503. */
    queueSeconds: int(1, 120).default(10),
    /** Private checks (blinded evaluations) one member may make per UTC day, across every process. */
    checksPerDay: int(1, 10_000).default(30),
    /** Elements one coordinator key may have evaluated per UTC day (the tags of its warnings): a stolen key cannot enumerate numbers through the server. */
    coordinatorChecksPerDay: int(1, 1_000_000).default(2000),
  })
  .strict();

const fileSchema = z
  .object({
    port: int(0, 65535).optional(),
    host: z.string().min(1).optional(),
    databaseUrl: z.string().min(1).optional(),
    onionAddress: z.string().optional(),
    publicOrigin: z.string().optional(),
    rootPublicKey: z.string().optional(),
    secureCookies: z.enum(['auto', 'true', 'false']).optional(),
    clientDir: z.string().optional(),
    limits: limitsSchema.partial().optional(),
    retention: retentionSchema.partial().optional(),
    pow: powSchema.partial().optional(),
    basicForm: basicFormSchema.partial().optional(),
    abuse: abuseSchema.partial().optional(),
    loginAttemptsPerHour: int(1, 10_000).optional(),
    passphraseLogN: int(10, 20).optional(),
    requestWindowSeconds: int(10, 3600).optional(),
  })
  .strict();

export type Limits = z.infer<typeof limitsSchema>;
export type Retention = z.infer<typeof retentionSchema>;
export type PowConfig = z.infer<typeof powSchema>;
export type BasicFormConfig = z.infer<typeof basicFormSchema>;
export type AbuseConfig = z.infer<typeof abuseSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** A postgres:// URL, or undefined for SQLite at `<dataDir>/tipline.sqlite`. */
  databaseUrl: string | undefined;
  /** `xxxxx.onion` host name (no scheme), for the Onion-Location header. */
  onionAddress: string | undefined;
  /**
   * The origin reporters' browsers use (`https://host[:port]` or `http://<v3>.onion`), when
   * the server sits behind a TLS proxy or an onion service. Decides `Secure` cookies and
   * HSTS (never the request URL, which behind a proxy says http).
   */
  publicOrigin: string | undefined;
  /** Base64 Ed25519 public key of the organisation root, if configured. */
  rootPublicKey: string | undefined;
  /** auto: `Secure` with a public origin, and when listening anywhere but loopback. */
  secureCookies: 'auto' | 'true' | 'false';
  /** The built client (default `dist/client` next to the working directory). */
  clientDir: string;
  limits: Limits;
  retention: Retention;
  pow: PowConfig;
  basicForm: BasicFormConfig;
  abuse: AbuseConfig;
  /** Failed logins per login name per hour after which each attempt needs a proof-of-work stamp. */
  loginAttemptsPerHour: number;
  /** Validity window of signed requests, seconds. */
  requestWindowSeconds: number;
  /** scrypt cost (log2 N, r=8, p=1) for new member passphrase hashes; 15 = 32 MiB, ~0.1 s. */
  passphraseLogN: number;
  /** TIPLINE_DEMO=1: make a demo organisation for an empty data dir on any address, not only loopback. */
  demo: boolean;
}

/**
 * A public origin: https with any host, or http with a v3 onion host; no path, query or
 * credentials. Returns the normalised origin.
 * @throws ConfigError
 */
function parsePublicOrigin(text: string): string {
  const error = 'config: TIPLINE_PUBLIC_ORIGIN must be https://host[:port] or http://<v3 onion>.onion, with no path';
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ConfigError(error);
  }
  const bare = u.pathname === '/' && !u.search && !u.hash && !u.username && !u.password;
  const ok = u.protocol === 'https:' || (u.protocol === 'http:' && ONION.test(u.hostname));
  if (!bare || !ok) throw new ConfigError(error);
  return u.origin;
}

/**
 * Whether session cookies get `Secure`: as configured, or (auto) whenever a public origin is
 * configured (https, or an onion address, which Tor Browser treats as secure) and whenever
 * the server listens anywhere but loopback. Only a local test server on 127.0.0.1 without a
 * public origin sends cookies without it.
 */
export function cookiesSecure(config: Pick<Config, 'secureCookies' | 'publicOrigin' | 'host'>): boolean {
  if (config.secureCookies !== 'auto') return config.secureCookies === 'true';
  return config.publicOrigin !== undefined || !isLoopback(config.host);
}

/** True for a loopback listening address: localhost, 127.0.0.0/8, ::1 (also IPv4-mapped). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const ONION = /^[a-z2-7]{56}\.onion$/;
const BASE64_32 = /^[A-Za-z0-9+/]{43}=$/;

function firstIssue(e: z.ZodError, prefix: string): string {
  const i = e.issues[0];
  const where = i && i.path.length > 0 ? i.path.join('.') : '(root)';
  return `${prefix}${where}: ${i?.message ?? 'invalid'}`;
}

/**
 * Build the configuration from the environment (and the JSON file it names or the
 * data dir holds). Values not given take the documented defaults.
 * @throws ConfigError with a one-line message naming the offending setting
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const dataDir = resolve(cwd, env.TIPLINE_DATA_DIR || './data');
  const configPath = env.TIPLINE_CONFIG ? resolve(cwd, env.TIPLINE_CONFIG) : resolve(dataDir, 'config.json');
  let file: z.infer<typeof fileSchema> = {};
  if (env.TIPLINE_CONFIG || existsSync(configPath)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(configPath, 'utf8'));
    } catch {
      throw new ConfigError(`config file ${configPath}: not readable JSON`);
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) throw new ConfigError(firstIssue(parsed.error, `config file ${configPath}: `));
    file = parsed.data;
  }

  const pick = (name: string, fromFile: unknown): unknown => (env[name] !== undefined && env[name] !== '' ? env[name] : fromFile);
  const envSchema = z.object({
    port: int(0, 65535).default(8080),
    host: z.string().min(1).default('127.0.0.1'),
    databaseUrl: z.string().optional(),
    onionAddress: z.string().optional(),
    publicOrigin: z.string().optional(),
    rootPublicKey: z.string().optional(),
    secureCookies: z.enum(['auto', 'true', 'false']).default('auto'),
  });
  const top = envSchema.safeParse({
    port: pick('PORT', file.port),
    host: pick('HOST', file.host),
    databaseUrl: pick('DATABASE_URL', file.databaseUrl),
    onionAddress: pick('TIPLINE_ONION_ADDRESS', file.onionAddress),
    publicOrigin: pick('TIPLINE_PUBLIC_ORIGIN', file.publicOrigin),
    rootPublicKey: pick('TIPLINE_ROOT_PUBLIC_KEY', file.rootPublicKey),
    secureCookies: pick('TIPLINE_SECURE_COOKIES', file.secureCookies),
  });
  if (!top.success) {
    const names: Record<string, string> = {
      port: 'PORT',
      host: 'HOST',
      databaseUrl: 'DATABASE_URL',
      onionAddress: 'TIPLINE_ONION_ADDRESS',
      publicOrigin: 'TIPLINE_PUBLIC_ORIGIN',
      rootPublicKey: 'TIPLINE_ROOT_PUBLIC_KEY',
      secureCookies: 'TIPLINE_SECURE_COOKIES',
    };
    const i = top.error.issues[0];
    const key = String(i?.path[0] ?? '');
    throw new ConfigError(`config: ${names[key] ?? key}: ${i?.message ?? 'invalid'}`);
  }
  const t = top.data;

  let databaseUrl: string | undefined;
  if (t.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(t.databaseUrl)) throw new ConfigError('config: DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)');
    databaseUrl = t.databaseUrl;
  }
  let onionAddress: string | undefined;
  if (t.onionAddress) {
    const host = t.onionAddress.replace(/^https?:\/\//, '').replace(/\/+$/, '').toLowerCase();
    if (!ONION.test(host)) throw new ConfigError('config: TIPLINE_ONION_ADDRESS must be a v3 onion host name (56 characters + .onion)');
    onionAddress = host;
  } else {
    // Unset: the address of the onion service beside the server, when `tipline onion` set one up (server/onion.ts).
    try {
      onionAddress = readOnionHostname(dataDir);
    } catch (e) {
      throw new ConfigError(`config: ${e instanceof Error ? e.message : 'onion host name unreadable'} (or set TIPLINE_ONION_ADDRESS)`);
    }
  }
  const publicOrigin = t.publicOrigin ? parsePublicOrigin(t.publicOrigin) : undefined;
  if (t.rootPublicKey !== undefined && !BASE64_32.test(t.rootPublicKey)) {
    throw new ConfigError('config: TIPLINE_ROOT_PUBLIC_KEY must be a base64 Ed25519 public key (32 bytes)');
  }

  const sub = <S extends z.ZodTypeAny>(schema: S, value: unknown, label: string): z.infer<S> => {
    const r = schema.safeParse(value ?? {});
    if (!r.success) throw new ConfigError(firstIssue(r.error, `config: ${label}.`));
    return r.data;
  };
  const envInt = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    if (!/^[0-9]+$/.test(v)) throw new ConfigError(`config: ${name} must be a whole number`);
    return Number(v);
  };
  const defined = <T extends object>(o: T): Partial<T> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

  const pow = sub(
    powSchema,
    { ...file.pow, ...defined({ difficulty: envInt('TIPLINE_POW_DIFFICULTY'), maxDifficulty: envInt('TIPLINE_POW_MAX_DIFFICULTY') }) },
    'pow',
  );
  if (pow.maxDifficulty < pow.difficulty) throw new ConfigError('config: pow.maxDifficulty must be at least pow.difficulty');
  const retention = sub(
    retentionSchema,
    {
      ...file.retention,
      ...defined({
        reportDays: envInt('TIPLINE_REPORT_RETENTION_DAYS'),
        mailboxDays: envInt('TIPLINE_MAILBOX_RETENTION_DAYS'),
        sessionDays: envInt('TIPLINE_SESSION_DAYS'),
      }),
    },
    'retention',
  );

  const clientDir = file.clientDir ? resolve(cwd, file.clientDir) : resolve(cwd, 'dist/client');
  return {
    port: t.port,
    host: t.host,
    dataDir,
    databaseUrl,
    onionAddress,
    publicOrigin,
    rootPublicKey: t.rootPublicKey,
    secureCookies: t.secureCookies,
    clientDir: isAbsolute(clientDir) ? clientDir : resolve(clientDir),
    limits: sub(limitsSchema, file.limits, 'limits'),
    retention,
    pow,
    basicForm: sub(basicFormSchema, file.basicForm, 'basicForm'),
    abuse: sub(abuseSchema, file.abuse, 'abuse'),
    loginAttemptsPerHour: file.loginAttemptsPerHour ?? 5,
    requestWindowSeconds: file.requestWindowSeconds ?? 120,
    passphraseLogN: file.passphraseLogN ?? 15,
    demo: parseFlag(env.TIPLINE_DEMO, 'TIPLINE_DEMO'),
  };
}

/** An on/off environment variable: 1/true/yes or 0/false/no (unset: off). @throws ConfigError */
function parseFlag(v: string | undefined, name: string): boolean {
  if (v === undefined || v === '') return false;
  if (/^(1|true|yes)$/i.test(v)) return true;
  if (/^(0|false|no)$/i.test(v)) return false;
  throw new ConfigError(`config: ${name} must be 1 or 0`);
}

/** A configuration for tests and tools: defaults plus overrides, no environment read. */
export function defaultConfig(dataDir: string, overrides: DeepPartial<Config> = {}): Config {
  const base = loadConfig({ TIPLINE_DATA_DIR: dataDir, TIPLINE_CONFIG: undefined }, process.cwd());
  return mergeDeep(base, overrides);
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function mergeDeep<T>(base: T, over: DeepPartial<T>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] = b && typeof b === 'object' && v && typeof v === 'object' && !Array.isArray(v) ? mergeDeep(b, v as DeepPartial<typeof b>) : v;
  }
  return out as T;
}
