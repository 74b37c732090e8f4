/**
 * Start the real server (`node bin/tipline.js serve`) on a free loopback port for suites
 * that need it over HTTP (canary, browser tests). Everything the process prints is kept.
 *
 *   const s = await startTiplineServer({ org: 'prepared' });
 *   ... fetch(`${s.url}/api/keyring`) ...; s.org.coordinators[0].identity decrypts reports
 *   await s.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HybridIdentity, bytes, primitives, type Role } from '../../crypto/index.js';
import { KEYRING_FILE, ROOT_PUBLIC_KEY_FILE, buildKeyring, newCoordinator, type CoordinatorSecret } from '../../server/org.js';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface PreparedOrganisation {
  rootSeed: Uint8Array;
  rootPublicKey: Uint8Array;
  /** c1 has every role. */
  coordinators: CoordinatorSecret[];
}

/**
 * Write a fresh organisation's public files (keyring.json, root-public-key) into a data
 * dir, keeping the secrets in memory (fast: no passphrase-protected files).
 */
export function prepareOrganisation(dataDir: string, count = 1): PreparedOrganisation {
  const rootSeed = primitives().randomBytes(32);
  const coordinators = Array.from({ length: count }, (_, i) => newCoordinator(`c${i + 1}`, `Coordinator ${i + 1}`));
  const roles: Role[] = ['reports', 'warnings', 'members'];
  const { envelope } = buildKeyring(
    rootSeed,
    coordinators.map((secret) => ({ secret, roles })),
  );
  writeFileSync(join(dataDir, KEYRING_FILE), JSON.stringify(envelope));
  const rootPublicKey = primitives().ed25519PublicKey(rootSeed);
  writeFileSync(join(dataDir, ROOT_PUBLIC_KEY_FILE), bytes.base64Padded(rootPublicKey) + '\n');
  return { rootSeed, rootPublicKey, coordinators };
}

export interface StartOptions {
  /** Data dir to use (default: a new temporary one, deleted by stop()). */
  dataDir?: string;
  /** 'prepared' (default): a fresh organisation written by the helper; 'demo': let the server make its demo; 'existing': the dir has one. */
  org?: 'prepared' | 'demo' | 'existing';
  /** Extra environment (PORT and TIPLINE_DATA_DIR are set by the helper). */
  env?: Record<string, string>;
  /** JSON written to <data dir>/config.json before start. Default: low proof of work for tests. */
  config?: unknown;
  timeoutMs?: number;
  /** Options for node itself, before the script (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
}

export interface SpawnedServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Present with org 'prepared'. */
  org?: PreparedOrganisation;
  /** The demo organisation's passphrase (org 'demo'), from <data dir>/demo/passphrase. */
  demoPassphrase?: string;
  /** Everything printed on stdout and stderr so far. */
  output(): string;
  /** SIGTERM, wait for exit; deletes the data dir if the helper made it. Returns the exit code. */
  stop(opts?: { keepDataDir?: boolean }): Promise<number | null>;
}

export const TEST_SERVER_CONFIG = { pow: { difficulty: 4, maxDifficulty: 8 }, basicForm: { minFillSeconds: 0 } };

/**
 * Spawn `node bin/tipline.js serve` with PORT=0 on 127.0.0.1 and wait for its
 * "listening on" line.
 * @throws Error with the output when it exits or does not listen in time
 */
export async function startTiplineServer(opts: StartOptions = {}): Promise<SpawnedServer> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'tipline-serve-'));
  const org = (opts.org ?? 'prepared') === 'prepared' ? prepareOrganisation(dataDir) : undefined;
  if (opts.config !== null) writeFileSync(join(dataDir, 'config.json'), JSON.stringify(opts.config ?? TEST_SERVER_CONFIG));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), join(REPO, 'bin/tipline.js'), 'serve'], {
    cwd: REPO,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', TIPLINE_DATA_DIR: dataDir, TIPLINE_BUILD_CLIENT: '0', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), opts.timeoutMs ?? 90_000);
    const check = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
  // Not printed: stdout is a pipe here, and the server prints it only to a terminal.
  const passphraseFile = join(dataDir, 'demo', 'passphrase');
  const demoPassphrase = existsSync(passphraseFile) ? readFileSync(passphraseFile, 'utf8').trim() : undefined;
  return {
    url,
    dataDir,
    process: child,
    org,
    demoPassphrase,
    output: () => out,
    async stop(o = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (ownDir && !o.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Re-export for suites that decrypt what reached the server. */
export { HybridIdentity };
