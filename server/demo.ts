/**
 * The demo organisation `tipline serve` creates when a data dir has no keyring (on a
 * loopback address, or anywhere with TIPLINE_DEMO=1): a root key and one coordinator with
 * every role, both protected by one random passphrase. The passphrase is written to
 * `<data dir>/demo/passphrase` (mode 0600; the coordinator console reads it from there) and
 * printed only to a terminal: under systemd or docker stdout is a log, which must not hold
 * the passphrase next to the key it opens. Everything sits inside the data dir, which a real
 * organisation must never do with its root key (use `tipline init`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytes, primitives } from '../crypto/index.js';
import { writeDemoProfile } from './demo-profile.js';
import { KEYRING_FILE, ROOT_PUBLIC_KEY_FILE, buildKeyring, newCoordinator, randomPassphrase, sealCoordinator, sealRootKey } from './org.js';

export interface DemoOrganisation {
  passphrase: string;
  /** `<data dir>/demo/passphrase`, mode 0600. */
  passphraseFile: string;
  rootKeyFile: string;
  coordinatorFile: string;
  keyringFile: string;
}

/** The file holding the demo passphrase; the coordinator console reads this exact path. */
export function demoPassphraseFile(dataDir: string): string {
  return join(dataDir, 'demo', 'passphrase');
}

/** Create the demo organisation's files in `dataDir`. */
export async function createDemo(dataDir: string, now = new Date()): Promise<DemoOrganisation> {
  const dir = join(dataDir, 'demo');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const passphrase = randomPassphrase();
  const rootSeed = primitives().randomBytes(32);
  const coordinator = newCoordinator('demo', 'Demo coordinator');
  const { envelope } = buildKeyring(rootSeed, [{ secret: coordinator, roles: ['reports', 'warnings', 'members'] }], { now });
  const rootKeyFile = join(dir, 'root-key.age');
  const coordinatorFile = join(dir, 'coordinator.age');
  const keyringFile = join(dataDir, KEYRING_FILE);
  const passphraseFile = demoPassphraseFile(dataDir);
  writeFileSync(passphraseFile, passphrase + '\n', { mode: 0o600, flag: 'wx' });
  writeFileSync(rootKeyFile, await sealRootKey(rootSeed, passphrase), { mode: 0o600, flag: 'wx' });
  writeFileSync(coordinatorFile, await sealCoordinator(coordinator, passphrase), { mode: 0o600, flag: 'wx' });
  writeFileSync(join(dataDir, ROOT_PUBLIC_KEY_FILE), bytes.base64Padded(primitives().ed25519PublicKey(rootSeed)) + '\n', {
    mode: 0o644,
    flag: 'wx',
  });
  writeFileSync(keyringFile, JSON.stringify(envelope, null, 2) + '\n', { mode: 0o644, flag: 'wx' });
  writeDemoProfile(dataDir, rootSeed, now);
  bytes.wipe(rootSeed, coordinator.signingSeed);
  return { passphrase, passphraseFile, rootKeyFile, coordinatorFile, keyringFile };
}

/**
 * The loud notice printed after creating a demo organisation. The passphrase itself is in
 * it only when `terminal` (stdout is a TTY); the file holding it is always named.
 */
export function demoNotice(d: DemoOrganisation, dataDir: string, terminal: boolean): string {
  const bar = '#'.repeat(78);
  return [
    bar,
    '#  DEMO ORGANISATION CREATED: THIS IS NOT A SAFE SETUP FOR REAL REPORTS',
    '#',
    '#  No keyring was found, so tipline made a throw-away demo organisation.',
    '#  Its ROOT KEY lies inside the data directory, next to the server:',
    `#    data directory:       ${dataDir}`,
    `#    root key (secret):    ${d.rootKeyFile}`,
    `#    coordinator identity: ${d.coordinatorFile}`,
    `#    signed keyring:       ${d.keyringFile}`,
    `#    demo passphrase file: ${d.passphraseFile} (owner only)`,
    ...(terminal ? [`#    demo passphrase (both files): ${d.passphrase}`] : ['#    (the passphrase is printed only to a terminal)']),
    '#',
    '#  For a real organisation, stop this',
    '#  server, delete the data directory and run `tipline init` on an offline',
    '#  machine, keeping the root key away from the server.',
    bar,
    '',
  ].join('\n');
}
