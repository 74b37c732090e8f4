/**
 * `tipline onion`: set up the onion service that puts the server on Tor (server/onion.ts).
 * Writes the torrc, optionally lets tor make the service keys (network disabled), and prints
 * the address. The server picks the address up from tor's `hostname` file at its next start.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, UsageError, openOutput, parseArgs, printOut, quote } from '../cli-util.js';

export const name = 'onion';
export const summary = 'set up the onion service in front of the server (torrc, keys, address)';

export const usage = `Usage: tipline onion [--data-dir DIR] [--port N] [--host H] [--create-keys] [--offline]

Writes DATA_DIR/onion/torrc for a tor that publishes the server as a v3 onion
service (HiddenServicePort 80 -> HOST:PORT; no SOCKS, control or relay port),
with its state in DATA_DIR/onion/tor and the service keys in
DATA_DIR/onion/hidden-service (all owner-only). Then run tor beside the server,
as the same user:

  tor --defaults-torrc /dev/null -f DATA_DIR/onion/torrc

'tipline serve' reads DATA_DIR/onion/hidden-service/hostname at start when
TIPLINE_ONION_ADDRESS is unset and sends Onion-Location with that address, so
restart the server once the keys exist. Keep a copy of the hidden-service
folder with your backups (encrypted): it is the onion address.

Options:
  --data-dir DIR     the server's data directory (default TIPLINE_DATA_DIR or ./data)
  --port N           the server's port (default PORT or 8080)
  --host H           the server's address (default HOST or 127.0.0.1; a wildcard
                     address becomes loopback)
  --create-keys      run tor once with the network disabled until it has made the
                     service keys and host name, then stop it and print the address
  --offline          write 'DisableNetwork 1' into the torrc (tests; a tor started
                     with it never connects anywhere)
  --timeout S        seconds to wait for tor with --create-keys (default 60)
  -h, --help         Show this help.
`;

const TOR = '/usr/sbin/tor';

export async function run(argv: string[]): Promise<number> {
  const cmd = 'tipline onion';
  const { options } = parseArgs(
    argv,
    {
      dataDir: { names: ['--data-dir'], kind: 'value' },
      port: { names: ['--port'], kind: 'value' },
      host: { names: ['--host'], kind: 'value' },
      createKeys: { names: ['--create-keys'] },
      offline: { names: ['--offline'] },
      timeout: { names: ['--timeout'], kind: 'value' },
    },
    { command: cmd, usage },
  );
  const { onionPaths, onionTarget, readOnionHostname, torrcText, OnionError } = await import('../../server/onion.js');
  const dataDir = resolve(options.dataDir ?? (process.env.TIPLINE_DATA_DIR?.trim() || 'data'));
  const portText = options.port ?? (process.env.PORT?.trim() || '8080');
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) throw new UsageError('--port must be a port number from 1 to 65535', cmd);
  const host = options.host ?? (process.env.HOST?.trim() || '127.0.0.1');
  if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(host)) throw new UsageError('--host must be a host name or address', cmd);
  const timeout = options.timeout === undefined ? 60 : Number(options.timeout);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) throw new UsageError('--timeout must be 1 to 3600 seconds', cmd);

  const paths = onionPaths(dataDir);
  for (const dir of [dataDir, paths.dir, paths.torData, paths.hiddenService]) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!statSync(dir).isDirectory()) throw new Error('not a directory');
      // tor refuses a HiddenServiceDir or DataDirectory others can read; so does the server for its data dir.
      chmodSync(dir, 0o700);
    } catch {
      throw new CliError(`cannot create ${quote(dir)} with mode 0700`);
    }
  }
  const out = await openOutput(paths.torrc, { mode: 0o600 });
  try {
    await out.write(new TextEncoder().encode(torrcText(paths, onionTarget(host, Number(portText)), { offline: options.offline })));
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
  chmodSync(paths.torrc, 0o600);

  if (options.createKeys) await createKeys(paths.torrc, paths.hostname, timeout);

  let address: string | undefined;
  try {
    address = readOnionHostname(dataDir);
  } catch (e) {
    if (e instanceof OnionError) throw new CliError(e.message);
    throw e;
  }
  const lines = [`torrc written: ${paths.torrc}`];
  if (address) {
    lines.push(
      `onion address: ${address}`,
      `The server sends "Onion-Location: http://${address}/..." after its next start (it reads ${paths.hostname}),`,
      `unless TIPLINE_ONION_ADDRESS names another address. For an onion-only service also set`,
      `TIPLINE_PUBLIC_ORIGIN=http://${address}`,
    );
  } else {
    lines.push('No service keys yet: run tor with this torrc (or tipline onion --create-keys), then restart the server.');
  }
  lines.push(`Run tor beside the server, as the same user: tor --defaults-torrc /dev/null -f ${paths.torrc}`);
  await printOut(lines.join('\n') + '\n');
  return 0;
}

/**
 * Run tor with the network disabled until the host name file appears, then stop it.
 * @throws CliError when tor is missing, exits early or takes too long
 */
async function createKeys(torrc: string, hostname: string, timeoutSeconds: number): Promise<void> {
  if (!existsSync(TOR)) throw new CliError(`${TOR} not found: install tor (apt-get install tor)`);
  // DisableNetwork on the command line as well: making keys never needs the network.
  const child = spawn(TOR, ['--defaults-torrc', '/dev/null', '-f', torrc, '--DisableNetwork', '1', '--Log', 'warn stderr'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    if (err.length < 4000) err += d.toString('utf8');
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.once('error', () => undefined);
  try {
    const deadline = Date.now() + timeoutSeconds * 1000;
    while (!existsSync(hostname)) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const line = err.trim().split('\n').filter(Boolean).pop() ?? '';
        throw new CliError(`tor stopped before making the service keys${line ? `: ${line.replace(/^.*\[(warn|err)\] /, '')}` : ''}`);
      }
      if (Date.now() > deadline) throw new CliError(`tor did not make the service keys within ${timeoutSeconds} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // tor writes the keys before the host name; give it a moment to finish the file.
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  }
}
