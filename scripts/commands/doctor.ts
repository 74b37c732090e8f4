/**
 * `tipline doctor`: look at a deployment the way `tipline serve` sees it (same environment,
 * same config file) and say plainly what is wrong now or soon will be. Reads only; changes
 * nothing. Exit status 1 when anything needs doing.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, statSync, statfsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, UsageError, parseArgs, printOut, quote } from '../cli-util.js';

export const name = 'doctor';
export const summary = 'check a deployment: keyring expiry, permissions, disk, backups, client build, onion';

export const usage = `Usage: tipline doctor [--data-dir DIR] [--backups DIR] [--backup-max-days N] [--server URL]

Checks the deployment 'tipline serve' would run with (the same environment
variables and config file; see 'tipline serve --help') and prints one line per
check: ok, SOON (will break: act now), FAIL (broken now) or skip.

  keyring       the current keyring verifies against the root key and does not
                expire within 30 days (renew: 'tipline keyring renew' offline)
  permissions   the data directory is 0700 and nothing in it is readable by
                others (secrets 0600); no root key file sits in it
  disk          free space on the data directory's file system against the
                server's watermark (abuse.minFreeBytes): below it new reports
                are refused; below twice it, SOON
  backups       the newest tipline-backup-YYYY-MM-DD*.age in --backups DIR
                (as 'tipline backup --out DIR' names them) is at most
                --backup-max-days old (default 7)
  client        the built web client pins this root key and at least the
                current keyring version
  onion         when an onion service is set up ('tipline onion') or
                TIPLINE_ONION_ADDRESS is set: torrc, keys and host name present,
                forwarding to the server's port, network not disabled, and the
                address the server sends in Onion-Location is tor's

Options:
  --data-dir DIR          the data directory (default TIPLINE_DATA_DIR or ./data)
  --backups DIR           where the backups are (no backup check without it)
  --backup-max-days N     the oldest acceptable last backup, in days (default 7)
  --server URL            read the current keyring from this running server
                          (default: the newest of the SQLite database and
                          <data dir>/keyring.json; with PostgreSQL only the
                          file is seen, so give --server)
  -h, --help              Show this help.

Exit status: 0 when every check is ok or skipped, 1 when any is SOON or FAIL.
`;

type Level = 'ok' | 'SOON' | 'FAIL' | 'skip';
interface Finding {
  check: string;
  level: Level;
  text: string;
}

const DAY = 86_400_000;
/** A keyring that expires within this many days needs renewing now (it takes a trip to the offline machine). */
export const KEYRING_WARN_DAYS = 30;

function todayStart(now = Date.now()): number {
  return Math.floor(now / DAY) * DAY;
}

export async function run(argv: string[]): Promise<number> {
  const cmd = 'tipline doctor';
  const { options } = parseArgs(
    argv,
    {
      dataDir: { names: ['--data-dir'], kind: 'value' },
      backups: { names: ['--backups'], kind: 'value' },
      backupMaxDays: { names: ['--backup-max-days'], kind: 'value' },
      server: { names: ['--server'], kind: 'value' },
    },
    { command: cmd, usage },
  );
  const maxDays = options.backupMaxDays === undefined ? 7 : Number(options.backupMaxDays);
  if (!Number.isInteger(maxDays) || maxDays < 1 || maxDays > 3650) throw new UsageError('--backup-max-days must be 1 to 3650', cmd);
  if (options.server !== undefined && !/^https?:\/\/[^/]+\/?$/.test(options.server)) throw new UsageError('--server must be http(s)://host[:port]', cmd);

  const { loadConfig, ConfigError } = await import('../../server/config.js');
  const env = { ...process.env, ...(options.dataDir ? { TIPLINE_DATA_DIR: resolve(options.dataDir) } : {}) };
  let config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      await printOut(`FAIL  config       ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (!existsSync(config.dataDir)) throw new CliError(`no data directory at ${quote(config.dataDir)} (give --data-dir)`);

  const findings: Finding[] = [];
  const add = (check: string, level: Level, text: string) => findings.push({ check, level, text });

  const root = rootKey(config, add);
  const keyringVersion = await checkKeyring(config, root, options.server, add);
  checkPermissions(config.dataDir, add);
  checkDisk(config, add);
  checkBackups(options.backups, maxDays, add);
  await checkClient(config, root, keyringVersion, add);
  await checkOnion(config, add);

  await printOut(findings.map((f) => `${f.level.padEnd(5)} ${f.check.padEnd(12)} ${f.text}`).join('\n') + '\n');
  const problems = findings.filter((f) => f.level === 'SOON' || f.level === 'FAIL').length;
  await printOut(problems === 0 ? 'No problems found.\n' : `${problems} problem${problems === 1 ? '' : 's'} found.\n`);
  return problems === 0 ? 0 : 1;
}

type Add = (check: string, level: Level, text: string) => void;
type Config = import('../../server/config.js').Config;

function rootKey(config: Config, add: Add): Uint8Array | undefined {
  if (config.rootPublicKey) return new Uint8Array(Buffer.from(config.rootPublicKey, 'base64'));
  const file = join(config.dataDir, 'root-public-key');
  try {
    const b = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (b.length === 32) return new Uint8Array(b);
    add('keyring', 'FAIL', `${file} does not hold a base64 Ed25519 public key`);
  } catch {
    add('keyring', 'FAIL', `no root public key: set TIPLINE_ROOT_PUBLIC_KEY or put it in ${file}`);
  }
  return undefined;
}

/** The newest keyring the server holds, as text: from the server, or from the SQLite database and keyring.json. */
async function currentKeyringText(config: Config, server: string | undefined): Promise<{ text: string; from: string } | undefined> {
  if (server) {
    const url = `${server.replace(/\/+$/, '')}/api/keyring`;
    let res: Response;
    try {
      res = await fetch(url);
    } catch {
      throw new CliError(`cannot reach ${server}`);
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw new CliError(`${url} answered HTTP ${res.status}`);
    return { text: await res.text(), from: url };
  }
  const candidates: { text: string; version: number; from: string }[] = [];
  const file = join(config.dataDir, 'keyring.json');
  const versionOf = (text: string): number => {
    try {
      const env = JSON.parse(text) as { payload?: string };
      const v = (JSON.parse(Buffer.from(env.payload ?? '', 'base64').toString('utf8')) as { version?: unknown }).version;
      return typeof v === 'number' ? v : 0;
    } catch {
      return 0;
    }
  };
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    candidates.push({ text, version: versionOf(text), from: file });
  }
  const db = join(config.dataDir, 'tipline.sqlite');
  if (!config.databaseUrl && existsSync(db)) {
    try {
      const { default: Database } = await import('better-sqlite3');
      const conn = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const row = conn.prepare('SELECT version, envelope FROM keyrings ORDER BY version DESC LIMIT 1').get() as { version: number; envelope: string } | undefined;
        if (row) candidates.push({ text: row.envelope, version: row.version, from: db });
      } finally {
        conn.close();
      }
    } catch {
      // An unreadable database is for the server to report; the file is still checked.
    }
  }
  candidates.sort((a, b) => b.version - a.version);
  return candidates[0];
}

async function checkKeyring(config: Config, root: Uint8Array | undefined, server: string | undefined, add: Add): Promise<number> {
  if (!root) return 0;
  const { DocumentError, verifyKeyring } = await import('../../crypto/index.js');
  const current = await currentKeyringText(config, server);
  if (!current) {
    add('keyring', 'FAIL', 'no keyring: reports cannot be sent (upload one: tipline keyring upload)');
    return 0;
  }
  try {
    const k = verifyKeyring(current.text, root);
    const left = Math.round((Date.parse(`${k.expires}T00:00:00Z`) - todayStart()) / DAY);
    if (left < KEYRING_WARN_DAYS) {
      add(
        'keyring',
        'SOON',
        `version ${k.version} expires on ${k.expires}, ${left === 0 ? 'today' : `in ${left} day${left === 1 ? '' : 's'}`}: then no report can be sent. Renew it now on the offline machine (tipline keyring renew) and upload it`,
      );
    } else {
      add('keyring', 'ok', `version ${k.version}, expires ${k.expires} (in ${left} days)`);
    }
    return k.version;
  } catch (e) {
    if (e instanceof DocumentError && e.message === 'keyring expired') {
      add('keyring', 'FAIL', `the keyring (${current.from}) has EXPIRED: no report can be sent. Renew it on the offline machine (tipline keyring renew) and upload it`);
    } else if (e instanceof DocumentError) {
      add('keyring', 'FAIL', `the keyring (${current.from}) does not verify against the root key: ${e.message}`);
    } else throw e;
    return 0;
  }
}

const mode = (m: number) => (m & 0o777).toString(8).padStart(4, '0');

function checkPermissions(dataDir: string, add: Add): void {
  const st = statSync(dataDir);
  const problems: string[] = [];
  if ((st.mode & 0o077) !== 0) problems.push(`${dataDir} has mode ${mode(st.mode)}, should be 0700 (chmod 700 ${dataDir})`);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) problems.push(`${dataDir} is owned by uid ${st.uid}, not by this user (run doctor as the server's user)`);
  let loose = 0;
  let first = '';
  let rootKeyFile = '';
  const visit = (dir: string, depth: number) => {
    if (depth > 6) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      problems.push(`${dir} cannot be read`);
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      let s;
      try {
        s = lstatSync(p);
      } catch {
        continue;
      }
      if (s.isSymbolicLink()) continue;
      if (/^root-key(\.age)?$/.test(n)) rootKeyFile ||= p;
      if ((s.mode & 0o077) !== 0) {
        loose++;
        first ||= `${p} (${mode(s.mode)})`;
      }
      if (s.isDirectory()) visit(p, depth + 1);
    }
  };
  visit(dataDir, 0);
  if (loose > 0) problems.push(`${loose} file${loose === 1 ? '' : 's'} readable or writable by others, e.g. ${first}: secrets must be 0600 (chmod -R go= ${dataDir})`);
  if (rootKeyFile) problems.push(`${rootKeyFile} is in the data directory: the organisation root key belongs on the offline machine only`);
  if (problems.length === 0) add('permissions', 'ok', `${dataDir} is 0700 and nothing in it is open to others`);
  else for (const p of problems) add('permissions', 'FAIL', p);
}

function gib(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${Math.round(n / 2 ** 20)} MiB`;
}

function checkDisk(config: Config, add: Add): void {
  if (config.databaseUrl) {
    add('disk', 'skip', "PostgreSQL: check the database server's disk there");
    return;
  }
  let free: number;
  try {
    const s = statfsSync(config.dataDir);
    free = Number(s.bavail) * Number(s.bsize);
  } catch {
    add('disk', 'FAIL', `cannot read the free space of ${config.dataDir}`);
    return;
  }
  const mark = config.abuse.minFreeBytes;
  if (free < mark) add('disk', 'FAIL', `${gib(free)} free, below the server's watermark of ${gib(mark)}: new reports are refused (503) until space is freed`);
  else if (free < 2 * mark) add('disk', 'SOON', `${gib(free)} free, less than twice the watermark of ${gib(mark)}: free space before reports are refused`);
  else add('disk', 'ok', `${gib(free)} free (watermark ${gib(mark)})`);
}

/** Backups are files `tipline-backup-YYYY-MM-DD*.age` (the name `tipline backup --out DIR` gives them). */
export const BACKUP_NAME = /^tipline-backup-(\d{4}-\d{2}-\d{2})[^/]*\.age$/;

function checkBackups(dir: string | undefined, maxDays: number, add: Add): void {
  if (dir === undefined) {
    add('backups', 'skip', 'not checked: give --backups DIR (where tipline backup --out writes)');
    return;
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    add('backups', 'FAIL', `cannot read the backup folder ${dir}`);
    return;
  }
  const days = names
    .map((n) => BACKUP_NAME.exec(n)?.[1])
    .filter((d): d is string => d !== undefined && Number.isFinite(Date.parse(`${d}T00:00:00Z`)))
    .sort();
  const newest = days.at(-1);
  if (!newest) {
    add('backups', 'FAIL', `no backup in ${dir} (tipline-backup-YYYY-MM-DD*.age): make one with tipline backup`);
    return;
  }
  const age = Math.round((todayStart() - Date.parse(`${newest}T00:00:00Z`)) / DAY);
  if (age > maxDays) add('backups', 'FAIL', `the last backup is from ${newest}, ${age} days ago (more than ${maxDays}): make one now with tipline backup`);
  else add('backups', 'ok', `the last backup is from ${newest} (${age === 0 ? 'today' : `${age} day${age === 1 ? '' : 's'} ago`})`);
}

async function checkClient(config: Config, root: Uint8Array | undefined, keyringVersion: number, add: Add): Promise<void> {
  if (!root) return;
  const { clientBuildMatches } = await import('../../server/routes/static.js');
  const { builtMinKeyringVersion } = await import('../../server/client-build.js');
  const key = Buffer.from(root).toString('base64');
  if (!existsSync(join(config.clientDir, 'build-info.json'))) {
    add('client', 'FAIL', `no web client built in ${config.clientDir}: only the no-JavaScript form is served (tipline serve builds it at start; or npm run build)`);
    return;
  }
  if (!clientBuildMatches(config.clientDir, key)) {
    add('client', 'FAIL', `the web client in ${config.clientDir} pins another root key: it refuses this organisation's keyring, so nobody can send a report. Rebuild it (restart tipline serve, or npm run build with TIPLINE_ROOT_PUBLIC_KEY)`);
    return;
  }
  const min = builtMinKeyringVersion(config.clientDir);
  if (keyringVersion > 0 && min < keyringVersion) {
    add('client', 'SOON', `the web client accepts keyrings from version ${min}, older than the current ${keyringVersion}: a seized server could serve an old one. Restart tipline serve to rebuild it`);
    return;
  }
  add('client', 'ok', `the web client pins this root key and keyring version ${min} or newer`);
}

async function checkOnion(config: Config, add: Add): Promise<void> {
  const { onionPaths, readOnionHostname } = await import('../../server/onion.js');
  const paths = onionPaths(config.dataDir);
  // What the server sends in Onion-Location: TIPLINE_ONION_ADDRESS (or the config file), else tor's host name.
  const explicit = config.onionAddress;
  if (!existsSync(paths.torrc) && !existsSync(paths.hostname)) {
    if (explicit) add('onion', 'ok', `Onion-Location names ${explicit} (TIPLINE_ONION_ADDRESS; tor is run elsewhere)`);
    else add('onion', 'skip', 'no onion service set up (tipline onion)');
    return;
  }
  const problems: string[] = [];
  let torrc = '';
  if (!existsSync(paths.torrc)) problems.push(`no torrc at ${paths.torrc} (run tipline onion)`);
  else torrc = readFileSync(paths.torrc, 'utf8');
  const setting = (key: string): string | undefined => new RegExp(`^\\s*${key}\\s+(.+?)\\s*$`, 'mi').exec(torrc)?.[1];
  if (torrc) {
    if (setting('HiddenServiceDir') !== paths.hiddenService) problems.push(`the torrc's HiddenServiceDir is not ${paths.hiddenService}`);
    const target = /^80\s+(?:\[?[0-9a-fA-F:.]+\]?|localhost):(\d+)$/.exec(setting('HiddenServicePort') ?? '');
    if (!target) problems.push('the torrc has no "HiddenServicePort 80 HOST:PORT" line');
    else if (Number(target[1]) !== config.port) problems.push(`tor forwards to port ${target[1]} but the server listens on ${config.port}: rerun tipline onion --port ${config.port}`);
    if (/^\s*DisableNetwork\s+1\b/mi.test(torrc)) problems.push('the torrc says DisableNetwork 1: tor never publishes the service (rerun tipline onion without --offline)');
  }
  let address: string | undefined;
  try {
    address = readOnionHostname(config.dataDir);
  } catch (e) {
    problems.push(e instanceof Error ? e.message : 'the host name cannot be read');
  }
  if (!address && problems.length === 0) problems.push(`no host name in ${paths.hostname}: start tor with the torrc (or tipline onion --create-keys)`);
  if (address && !existsSync(join(paths.hiddenService, 'hs_ed25519_secret_key'))) problems.push(`${paths.hiddenService} has a host name but no secret key: the address cannot be served`);
  if (explicit && address && explicit !== address) {
    problems.push(`TIPLINE_ONION_ADDRESS is ${explicit} but tor serves ${address}: Onion-Location sends people to the wrong address (unset TIPLINE_ONION_ADDRESS)`);
  }
  if (problems.length === 0) add('onion', 'ok', `${address} forwards to port ${config.port}; Onion-Location names it`);
  else for (const p of problems) add('onion', 'FAIL', p);
}
