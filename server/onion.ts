/**
 * The onion service beside the server (`tipline onion`): where its files live in the data
 * directory, the torrc it runs with, and the host name tor wrote.
 *
 * Layout (all mode 0700 / 0600, owned by the user that runs both tipline and tor):
 *   <data dir>/onion/torrc            written by `tipline onion`
 *   <data dir>/onion/tor/             tor's DataDirectory (its state, never shared)
 *   <data dir>/onion/hidden-service/  tor's HiddenServiceDir: the service keys and `hostname`
 *
 * The server reads `hidden-service/hostname` at start when TIPLINE_ONION_ADDRESS is unset, so
 * the Onion-Location header always names the address whose keys tor actually holds: no
 * address copied by hand, nothing to get out of step after the keys are restored elsewhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ONION_DIR = 'onion';
export const TORRC_FILE = 'torrc';
export const TOR_DATA_DIR = 'tor';
export const HIDDEN_SERVICE_DIR = 'hidden-service';

/** A v3 onion host name: 56 base32 characters and `.onion`. */
export const ONION_HOST = /^[a-z2-7]{56}\.onion$/;

export interface OnionPaths {
  dir: string;
  torrc: string;
  torData: string;
  hiddenService: string;
  hostname: string;
}

/** Where the onion files of a data directory live. */
export function onionPaths(dataDir: string): OnionPaths {
  const dir = join(dataDir, ONION_DIR);
  const hiddenService = join(dir, HIDDEN_SERVICE_DIR);
  return {
    dir,
    torrc: join(dir, TORRC_FILE),
    torData: join(dir, TOR_DATA_DIR),
    hiddenService,
    hostname: join(hiddenService, 'hostname'),
  };
}

export class OnionError extends Error {
  override readonly name = 'OnionError';
}

/**
 * The onion host name tor wrote for this data directory, or undefined when there is none yet.
 * @throws OnionError when the file exists but cannot be read or is not a v3 onion host name
 */
export function readOnionHostname(dataDir: string): string | undefined {
  const file = onionPaths(dataDir).hostname;
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new OnionError(`${file} cannot be read`);
  }
  const host = text.trim();
  if (!ONION_HOST.test(host)) throw new OnionError(`${file} does not hold a v3 onion host name`);
  return host;
}

/**
 * The torrc for the onion service in front of a server listening on `target` (host:port on
 * this machine). No SOCKS, control, OR or directory port: this tor only publishes the
 * service. `offline` adds `DisableNetwork 1` (tests, and making the keys before going live).
 */
export function torrcText(paths: OnionPaths, target: string, opts: { offline?: boolean } = {}): string {
  return [
    '# Written by `tipline onion`. Run tor beside the server with:',
    `#   tor --defaults-torrc /dev/null -f ${paths.torrc}`,
    '# as the same user as `tipline serve` (see docs/OPERATIONS.md).',
    `DataDirectory ${paths.torData}`,
    `HiddenServiceDir ${paths.hiddenService}`,
    `HiddenServicePort 80 ${target}`,
    '# This tor publishes the service and nothing else.',
    'SocksPort 0',
    'ControlPort 0',
    'ORPort 0',
    'DirPort 0',
    'ClientOnly 1',
    'RunAsDaemon 0',
    'AvoidDiskWrites 1',
    'SafeLogging 1',
    'Log notice stdout',
    '# Denial-of-service limits: streams per circuit, introduction rate limits, proof of work.',
    'HiddenServiceMaxStreams 64',
    'HiddenServiceMaxStreamsCloseCircuit 1',
    'HiddenServiceEnableIntroDoSDefense 1',
    'HiddenServicePoWDefensesEnabled 1',
    ...(opts.offline ? ['# Offline: tor makes the service keys and host name but never touches the network.', 'DisableNetwork 1'] : []),
    '',
  ].join('\n');
}

/** The address the onion service forwards to: the server's HOST (loopback for a wildcard) and PORT. */
export function onionTarget(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${h === 'localhost' ? '127.0.0.1' : h}:${port}`;
}
