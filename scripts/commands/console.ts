/**
 * `tipline console`: the coordinator's local console (console/), on 127.0.0.1 only.
 * Heavy modules are imported inside run().
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError, UsageError, onCleanup, parseArgs, printErr, promptHidden, quote, readPassphraseFile, readSmallFile } from '../cli-util.js';

export const name = 'console';
export const summary = "run the coordinator console on this machine (decrypts reports locally)";

export const usage = `Usage: tipline console --server URL --identity FILE [--identity FILE2 ...]
                       [--passphrase-file F] [--root-key KEY] [--port N] [--open]
                       [--alerts FILE]
       tipline console --demo

Starts the coordinator console on 127.0.0.1 and prints one line
  console: http://127.0.0.1:PORT/?token=TOKEN
to open in a browser on this machine. Reports are fetched from the server with
requests signed by your key and decrypted in this process only; nothing
decrypted is written to disk.

Options:
  --server URL          the tipline server (https://... or http://127.0.0.1:...)
  --identity FILE       a passphrase-protected coordinator identity file; give
                        older keys too so reports sent before a rotation still
                        open (the first coordinator file signs requests)
  --passphrase-file F   read the passphrase from F (mode 0600 or stricter);
                        otherwise it is asked for on the terminal, hidden. One
                        file serves every identity; or give one per --identity,
                        in the same order (an old key keeps its old passphrase)
  --root-key KEY        the organisation's root public key (base64) or a file
                        holding it; default TIPLINE_ROOT_PUBLIC_KEY or
                        <TIPLINE_DATA_DIR or ./data>/root-public-key
  --port N              listen on port N (default: a random free port)
  --alerts FILE         alert settings (SMTP, SMS gateway, batches; mode 0600);
                        default <data dir>/console/alerts.json. Without the
                        file no alerts are sent. The outbox is
                        <directory of FILE>/outbox.sqlite (console/README.md)
  --open                open the URL in the default browser
  --demo                use the demo organisation of 'npm start': PORT, HOST and
                        TIPLINE_DATA_DIR as 'tipline serve' reads them,
                        <data dir>/demo/coordinator.age and, when present,
                        <data dir>/demo/passphrase
  -h, --help            Show this help.
`;

const spec = {
  server: { names: ['--server'], kind: 'value' },
  identity: { names: ['--identity', '-i'], kind: 'list' },
  passphraseFile: { names: ['--passphrase-file'], kind: 'list' },
  rootKey: { names: ['--root-key'], kind: 'value' },
  port: { names: ['--port'], kind: 'value' },
  open: { names: ['--open'] },
  alerts: { names: ['--alerts'], kind: 'value' },
  demo: { names: ['--demo'] },
} as const;

/** A passphrase file must not be readable by anyone else. @throws CliError */
export async function strictPassphraseFile(path: string): Promise<string> {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    throw new CliError(`cannot read passphrase file ${quote(path)}`);
  }
  if ((mode & 0o077) !== 0) throw new CliError(`passphrase file ${quote(path)} must have mode 0600 (chmod 600 ${path})`);
  return readPassphraseFile(path);
}

function decodeKey(s: string): Uint8Array | undefined {
  const t = s.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
  if (!t) return undefined;
  const b = Buffer.from(t, 'base64');
  return b.length === 32 && b.toString('base64') === t ? new Uint8Array(b) : undefined;
}

async function rootKey(option: string | undefined, dataDir: string): Promise<Uint8Array> {
  const value = option ?? process.env.TIPLINE_ROOT_PUBLIC_KEY?.trim();
  if (value) {
    const direct = decodeKey(value);
    if (direct) return direct;
    const fromFile = decodeKey(new TextDecoder().decode(await readSmallFile(value, 'root key file', 4096)));
    if (fromFile) return fromFile;
    throw new CliError('the root key is not the base64 of a 32-byte Ed25519 public key');
  }
  const file = join(dataDir, 'root-public-key');
  let text: string;
  try {
    text = new TextDecoder().decode(await readSmallFile(file, 'root key file', 4096));
  } catch {
    throw new CliError(`no root public key: give --root-key (looked in ${file})`);
  }
  const k = decodeKey(text);
  if (!k) throw new CliError(`${file} is not the base64 of a 32-byte Ed25519 public key`);
  return k;
}

export async function run(argv: string[]): Promise<number> {
  const { options } = parseArgs(argv, spec, { command: 'tipline console', usage });
  const dataDir = resolve(process.env.TIPLINE_DATA_DIR?.trim() || 'data');
  let server = options.server;
  let identityFiles = options.identity;
  let passphraseFiles = options.passphraseFile;
  if (options.demo) {
    if (server || identityFiles.length) throw new UsageError('--demo takes no --server or --identity', 'tipline console');
    const host = process.env.HOST?.trim() || '127.0.0.1';
    const connect = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    server = `http://${connect}:${process.env.PORT?.trim() || '8080'}`;
    identityFiles = [join(dataDir, 'demo', 'coordinator.age')];
    const demoPass = join(dataDir, 'demo', 'passphrase');
    try {
      statSync(demoPass);
      if (passphraseFiles.length === 0) passphraseFiles = [demoPass];
    } catch {
      // an older demo: ask
    }
  }
  if (!server) throw new UsageError('--server is required', 'tipline console');
  if (!/^https?:\/\/[^/]+\/?$/.test(server)) throw new UsageError('--server must be http(s)://host[:port]', 'tipline console');
  if (identityFiles.length === 0) throw new UsageError('--identity is required', 'tipline console');
  if (passphraseFiles.length > 1 && passphraseFiles.length !== identityFiles.length) {
    throw new UsageError('give one --passphrase-file for all identities, or one per --identity', 'tipline console');
  }
  let port: number | undefined;
  if (options.port !== undefined) {
    if (!/^\d{1,5}$/.test(options.port) || Number(options.port) > 65535) throw new UsageError('--port must be a port number', 'tipline console');
    port = Number(options.port);
  }
  const root = await rootKey(options.rootKey, dataDir);

  const { openIdentityFile, IdentityError } = await import('../../console/identity.js');
  const { ensurePages } = await import('../../console/pages.js');
  const { startConsole } = await import('../../console/start.js');
  const { RemoteError } = await import('../../console/remote.js');

  const alertsFile = resolve(options.alerts ?? join(dataDir, 'console', 'alerts.json'));
  let alerts: { settings: import('../../console/alert-settings.js').AlertSettings; outboxPath: string } | undefined;
  if (existsSync(alertsFile)) {
    const { loadSettings, SettingsError } = await import('../../console/alert-settings.js');
    try {
      alerts = { settings: loadSettings(alertsFile), outboxPath: join(dirname(alertsFile), 'outbox.sqlite') };
    } catch (e) {
      if (e instanceof SettingsError) throw new CliError(e.message);
      throw e;
    }
  } else if (options.alerts) {
    throw new CliError(`no alert settings at ${quote(alertsFile)}`);
  }

  const passphrases: string[] = [];
  for (const f of passphraseFiles) passphrases.push(await strictPassphraseFile(f));
  const identities = [];
  let me;
  for (const [i, file] of identityFiles.entries()) {
    const data = await readSmallFile(file, 'identity file', 1024 * 1024);
    const passphrase = passphrases[passphrases.length === 1 ? 0 : i] ?? (await promptHidden([`Passphrase for ${file}: `]))[0]!;
    let opened;
    try {
      opened = await openIdentityFile(data, passphrase);
    } catch (e) {
      if (e instanceof IdentityError) throw new CliError(`${file}: ${e.message}`);
      throw e;
    }
    identities.push(...opened.identities);
    me ??= opened.coordinator;
  }
  if (!me) throw new CliError('none of the identity files is a coordinator identity (needed to sign requests)');

  try {
    ensurePages((t) => process.stderr.write(t));
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : 'console pages build failed');
  }
  let running;
  try {
    running = await startConsole({ server, me, identities, rootPublicKey: root, port, ...(alerts ? { alerts } : {}) });
  } catch (e) {
    if (e instanceof RemoteError) throw new CliError(`cannot sync with ${server}: ${e.message}`);
    if (e instanceof Error && (e.name === 'DocumentError' || e.name === 'KeyringError')) throw new CliError(`the server's keyring: ${e.message}`);
    if (e instanceof Error && 'code' in e && e.code === 'EADDRINUSE') throw new CliError(`port ${port} is in use`);
    throw e;
  }
  const unregister = onCleanup(() => void running.close());
  printErr(alerts ? `tipline: alerts on (outbox ${alerts.outboxPath})` : `tipline: alerts off (no ${alertsFile})`);
  process.stdout.write(`console: ${running.url}\n`);
  if (options.open) {
    const { spawn } = await import('node:child_process');
    spawn('xdg-open', [running.url], { stdio: 'ignore', detached: true }).on('error', () => printErr('tipline: could not open a browser')).unref();
  }
  await new Promise<void>((resolvePromise) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      void running.close().finally(resolvePromise);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  unregister();
  printErr('tipline: console stopped');
  return 0;
}
