/**
 * Starting the server from a configuration: the server key, the demo organisation when
 * there is no keyring, the database, the keyring file import, the HTTP listener and the
 * retention schedule. Used by `tipline serve`.
 */
import { ensureClientBuild } from './client-build.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { bytes } from '../crypto/index.js';
import type { ServerContext } from './context.js';
import { createApp } from './app.js';
import { isLoopback, type Config } from './config.js';
import { DataDirError, scheduleFileTimes, secureDataDir, touchDataFiles } from './datadir.js';
import { openDatabase } from './db/index.js';
import { createDemo, demoNotice } from './demo.js';
import { KEYRING_FILE, PROFILE_FILE, SERVER_KEY_FILE, readRootPublicKey } from './org.js';
import { scheduleRetention } from './retention.js';

/**
 * Replace console output in the server process: a library's log line (an aborted request,
 * a stream error) may carry request data, so only the class of an Error gets through.
 * The server's own messages use process.stdout/stderr directly.
 */
export function silenceConsole(): void {
  const quiet = (...args: unknown[]): void => {
    const e = args.find((a) => a instanceof Error);
    if (e) process.stderr.write(`internal error: ${(e as Error).name}\n`);
  };
  for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[m] = quiet;
}

export class StartError extends Error {
  override readonly name = 'StartError';
}

/**
 * The server key: TIPLINE_SERVER_KEY (base64, for several processes sharing a database)
 * or `<data dir>/server-key`, created with 32 random bytes on first start.
 * @throws StartError for a malformed key
 */
export function loadServerKey(dataDir: string, env: Record<string, string | undefined> = process.env): Uint8Array {
  return loadSecret(dataDir, SERVER_KEY_FILE, 'TIPLINE_SERVER_KEY', env);
}

/** The file beside `server-key` holding the private check's OPRF key seed. */
export const CHECK_KEY_FILE = 'check-key';

/**
 * The private check's key seed (crypto/SPEC.md §Private check): TIPLINE_CHECK_KEY or
 * `<data dir>/check-key` (mode 0600), created on first start; never in the database, so a
 * database or backup alone cannot test identifiers against the published tags. Replacing it
 * makes every published tag unmatchable.
 * @throws StartError for a malformed key
 */
export function loadCheckKey(dataDir: string, env: Record<string, string | undefined> = process.env): Uint8Array {
  return loadSecret(dataDir, CHECK_KEY_FILE, 'TIPLINE_CHECK_KEY', env);
}

function loadSecret(dataDir: string, file: string, envName: string, env: Record<string, string | undefined>): Uint8Array {
  const fromEnv = env[envName];
  const path = join(dataDir, file);
  let text: string;
  if (fromEnv) text = fromEnv;
  else if (existsSync(path)) text = readFileSync(path, 'utf8').trim();
  else {
    text = randomBytes(32).toString('base64');
    writeFileSync(path, text + '\n', { mode: 0o600, flag: 'wx' });
  }
  try {
    const key = bytes.fromBase64Padded(text);
    if (key.length === 32) return key;
  } catch {
    // fall through
  }
  throw new StartError(fromEnv ? `${envName} must be base64 of 32 bytes` : `${path} must hold base64 of 32 bytes`);
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  /** Last-resort synchronous close of the database (exit handlers). */
  closeSync(): void;
}

/**
 * Start everything. Messages for the operator go to `print` (never anything from a request).
 * @throws StartError for a setup that cannot run
 */
export async function startServer(
  config: Config,
  print: (text: string) => void,
  opts: {
    buildClient?: boolean;
    /** stdout is a terminal: the demo passphrase may be printed. */
    terminal?: boolean;
  } = {},
): Promise<RunningServer> {
  try {
    if (secureDataDir(config.dataDir)) print(`tipline: data directory ${config.dataDir} was readable by others: its mode is now 0700\n`);
  } catch (e) {
    if (e instanceof DataDirError) throw new StartError(e.message);
    throw e;
  }
  const serverKey = loadServerKey(config.dataDir);
  const checkKey = loadCheckKey(config.dataDir);

  let rootPublicKey = config.rootPublicKey ? bytes.fromBase64Padded(config.rootPublicKey) : undefined;
  try {
    rootPublicKey ??= readRootPublicKey(config.dataDir);
  } catch {
    throw new StartError(`${join(config.dataDir, 'root-public-key')} must hold a base64 Ed25519 public key`);
  }
  const keyringPath = join(config.dataDir, KEYRING_FILE);
  if (!rootPublicKey && !existsSync(keyringPath)) {
    // A demo on a public address would be a real-looking service with its root key beside it.
    if (!config.demo && !isLoopback(config.host)) {
      throw new StartError(
        `no keyring in ${config.dataDir} and HOST ${config.host} is not a loopback address: run tipline init for a real organisation, or set TIPLINE_DEMO=1 to make a throw-away demo organisation anyway`,
      );
    }
    const demo = await createDemo(config.dataDir);
    print(demoNotice(demo, config.dataDir, opts.terminal === true));
    rootPublicKey = readRootPublicKey(config.dataDir);
  }
  if (!rootPublicKey) {
    throw new StartError('no root public key: set TIPLINE_ROOT_PUBLIC_KEY or put it in <data dir>/root-public-key (tipline init does)');
  }

  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const app = createApp({ db: database.db, dbKind: database.kind, config, serverKey, checkKey, rootPublicKey });

  if (existsSync(keyringPath)) {
    let envelope: unknown;
    try {
      envelope = JSON.parse(readFileSync(keyringPath, 'utf8'));
    } catch {
      await database.close();
      throw new StartError(`${keyringPath} is not JSON`);
    }
    try {
      const k = await app.ctx.replaceKeyring(envelope);
      print(`tipline: keyring version ${k.version} loaded from ${keyringPath}\n`);
    } catch (e) {
      const m = e instanceof Error ? e.message : 'error';
      if (m !== 'keyring version not newer') print(`tipline: WARNING: ${keyringPath} not loaded: ${m}\n`);
    }
  }
  await loadProfileFile(app.ctx, join(config.dataDir, PROFILE_FILE), print);
  let keyringVersion = 1;
  try {
    keyringVersion = (await app.ctx.keyring()).keyring.version;
  } catch (e) {
    print(`tipline: WARNING: ${e instanceof Error ? e.message : 'no keyring'}: reports cannot be accepted until a valid keyring is uploaded (PUT /api/keyring)\n`);
  }
  // After the keyring is loaded: the client pins the stored keyring's version as its minimum.
  if (opts.buildClient) ensureClientBuild(config.clientDir, bytes.base64Padded(rootPublicKey), print, keyringVersion);

  const stopRetention = scheduleRetention(database.db, database.kind, config);
  touchDataFiles(config.dataDir);
  const stopFileTimes = scheduleFileTimes(config.dataDir, config.retention.fileTimesSeconds);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  }).catch(async (e: unknown) => {
    stopRetention();
    stopFileTimes();
    await database.close();
    const code = (e as { code?: string }).code;
    throw new StartError(`cannot listen on ${config.host}:${config.port}${code ? ` (${code})` : ''}`);
  });
  // Slow clients (Tor) need time, but a connection may not hold the server forever.
  if ('requestTimeout' in server) {
    server.requestTimeout = 10 * 60_000;
    server.headersTimeout = 60_000;
  }
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  return {
    url,
    async close() {
      stopRetention();
      stopFileTimes();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
    closeSync: database.closeSync,
  };
}

/** Load `<data dir>/profile.json` when it is newer than the stored profile; a bad file is a warning, never fatal. */
async function loadProfileFile(ctx: ServerContext, file: string, print: (s: string) => void): Promise<void> {
  if (!existsSync(file)) return;
  try {
    const p = await ctx.replaceProfile(JSON.parse(readFileSync(file, 'utf8')));
    print(`tipline: organisation profile version ${p.version} loaded from ${file}\n`);
  } catch (e) {
    const m = e instanceof SyntaxError ? 'not JSON' : e instanceof Error ? e.message : 'error';
    if (m !== 'profile version not newer') print(`tipline: WARNING: ${file} not loaded: ${m}\n`);
  }
}
