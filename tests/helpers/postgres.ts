/**
 * A throw-away PostgreSQL cluster for tests: initdb + pg_ctl in a temporary directory, on a
 * free loopback port, stopped (and deleted) afterwards. Binaries are looked up in
 * /usr/lib/postgresql/<version>/bin (Debian's `postgresql` package) or PG_BIN.
 *
 * initdb refuses to run as root, so as root the cluster runs as the `postgres` user
 * (created by the Debian package) through `runuser -u postgres --`, in a directory owned
 * by that user.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgCluster {
  /** Superuser URL of a database on the cluster. */
  url(database?: string): string;
  /** Create a fresh, empty database and return its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The directory with initdb/pg_ctl, or undefined when PostgreSQL is not installed. */
export function findPgBin(): string | undefined {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => /^[0-9]+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(base, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1 (there is a small race until the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export const PG_SKIP_MESSAGE =
  'PostgreSQL binaries not found (/usr/lib/postgresql/*/bin): the PostgreSQL run of the server suite is SKIPPED. ' +
  'Install the Debian package "postgresql" (it provides initdb, pg_ctl and the postgres user).';

/**
 * Start a cluster, or return undefined when the binaries are missing. Tests run it without
 * fsync (faster; nothing to keep); benchmarks ask for `durable` so they compare like with like.
 * @throws Error when the binaries exist but the cluster does not start
 */
export async function startPostgres(opts: { durable?: boolean } = {}): Promise<PgCluster | undefined> {
  const bin = findPgBin();
  if (!bin) return undefined;
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'tipline-pg-'));
  const dataDir = join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  const pwFile = join(dir, 'pw');
  writeFileSync(pwFile, password + '\n', { mode: 0o600 });
  let uid = -1;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
      throw new Error('running as root but there is no postgres user to run the cluster as');
    });
    uid = Number(stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, uid, gid);
    chownSync(pwFile, uid, gid);
  }
  const as = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { cwd: dir }) : run(join(bin, cmd), args, { cwd: dir });

  const port = await freePort();
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    ...(opts.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    '-c max_connections=100',
  ].join(' ');
  try {
    await as('initdb', ['-D', dataDir, '-U', 'tipline', '--pwfile', pwFile, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-sync', '--locale=C']);
    await as('pg_ctl', ['-D', dataDir, '-o', settings, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  } catch (e) {
    await as('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL test cluster did not start: ${(e as Error).message.split('\n')[0]}`);
  }

  const url = (database = 'postgres') => `postgres://tipline:${password}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    url,
    async createDatabase() {
      const name = `t_${randomBytes(8).toString('hex')}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await as('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
