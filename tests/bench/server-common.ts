/**
 * Shared pieces of the server benches: the time scale, starting the real tipline server
 * (tests/helpers/server.ts, `node bin/tipline.js serve` in a child process) and the
 * baseline server (server-baseline.ts), and the typical encrypted report body.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bytes, encrypt, type HybridRecipient } from '../../crypto/index.js';
import { prepareOrganisation, startTiplineServer, type PreparedOrganisation, type SpawnedServer } from '../helpers/server.js';
import { padReport, typicalReportJson } from './typical-report.js';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASELINE = fileURLToPath(new URL('./server-baseline.ts', import.meta.url));

/** BENCH_TIME_SCALE (see harness.ts): 0.3 for a smoke run, 3 for steadier numbers. */
export const timeScale = (() => {
  const s = Number(process.env.BENCH_TIME_SCALE ?? '1');
  return Number.isFinite(s) && s > 0 ? s : 1;
})();

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** File system type of a directory (e.g. ext4, tmpfs), for the notes: fsync cost depends on it. */
export async function fsType(dir: string): Promise<string> {
  for (const [cmd, args] of [
    ['findmnt', ['-n', '-o', 'FSTYPE', '--target', dir]],
    ['stat', ['-f', '-c', '%T', dir]],
  ] as const) {
    try {
      const out = (await execFileAsync(cmd, [...args])).stdout.trim();
      if (out) return out;
    } catch {
      // try the next way
    }
  }
  return 'unknown';
}

export interface OurServer {
  server: SpawnedServer;
  org: PreparedOrganisation;
  url: string;
  stop(): Promise<void>;
}

/**
 * Opt-in CPU profiling of our server: TIPLINE_BENCH_CPU_PROF=<dir> starts it with
 * `node --cpu-prof --cpu-prof-dir=<dir>` (only that child: NODE_OPTIONS refuses --cpu-prof),
 * and V8 writes a .cpuprofile there when it exits (SIGTERM at the end of the bench).
 * Summarise one with `npx tsx tests/bench/cpuprofile-top.ts <file>`. Off by default:
 * profiling slows the server, so its numbers are not comparable with an unprofiled run.
 */
function cpuProfileArgs(): string[] {
  const dir = process.env.TIPLINE_BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * The real server (`node bin/tipline.js serve`, Hono on @hono/node-server) on 127.0.0.1 with
 * a fresh data dir holding an organisation of `coordinators` coordinators (all roles),
 * proof-of-work difficulty 0 and SQLite, or PostgreSQL when `databaseUrl` is given.
 * Profiled when TIPLINE_BENCH_CPU_PROF is set ({@link cpuProfileArgs}).
 */
export async function startOurServer(opts: { coordinators: number; databaseUrl?: string; config?: Record<string, unknown> }): Promise<OurServer> {
  const tmp = tempDir('tipline-bench-server-');
  const org = prepareOrganisation(tmp.dir, opts.coordinators);
  let server: SpawnedServer;
  try {
    server = await startTiplineServer({
      dataDir: tmp.dir,
      org: 'existing',
      // An empty DATABASE_URL means SQLite, whatever the bench's own environment says.
      env: { DATABASE_URL: opts.databaseUrl ?? '', TIPLINE_POW_DIFFICULTY: '', TIPLINE_POW_MAX_DIFFICULTY: '' },
      nodeArgs: cpuProfileArgs(),
      config: { pow: { difficulty: 0, maxDifficulty: 0 }, ...opts.config },
      timeoutMs: 60_000,
    });
  } catch (e) {
    tmp.remove();
    throw e;
  }
  return {
    server,
    org,
    url: server.url,
    async stop() {
      try {
        await server.stop();
      } finally {
        tmp.remove();
      }
    },
  };
}

export interface Baseline {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Start server-baseline.ts in a child process (`node --import tsx`) and wait until it listens. */
export async function startBaseline(kind: 'sqlite' | 'postgres', target: string, mode: 'same-work' | 'grouped' | 'one-insert' = 'one-insert'): Promise<Baseline> {
  const child = spawn(process.execPath, ['--import', 'tsx', BASELINE, kind, target, mode], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`baseline server did not start:\n${out}`));
    }, 30_000);
    child.stdout.on('data', () => {
      const m = /BASELINE_LISTENING (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`baseline server exited before listening:\n${out}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface TypicalBody {
  /** Base64 of the age file (the `report` field). */
  reportBase64: string;
  jsonBytes: number;
  paddedBytes: number;
  padding: string;
  fileBytes: number;
}

/** The typical ~3 KiB report, padded with crypto pad() and age-encrypted to the given hybrid recipients. */
export async function typicalEncryptedReport(recipients: HybridRecipient[]): Promise<TypicalBody> {
  const json = typicalReportJson();
  const { padded, how } = await padReport(json);
  const file = await encrypt(recipients, padded);
  return { reportBase64: bytes.base64Padded(file), jsonBytes: json.length, paddedBytes: padded.length, padding: how, fileBytes: file.length };
}

/** Quantities for the load runs, scaled by BENCH_TIME_SCALE. */
export function loadBounds(timedMs: number, warmupMs: number): { maxMs: number; warmupMs: number } {
  return { maxMs: timedMs * timeScale, warmupMs: warmupMs * timeScale };
}

let clockTicks: number | undefined;

/**
 * CPU time (user + system, milliseconds) a process has used so far, from /proc/PID/stat;
 * undefined where /proc is not available. Waiting for the disk (fsync) is not CPU time.
 */
export async function processCpuMs(pid: number): Promise<number | undefined> {
  try {
    clockTicks ??= Number((await execFileAsync('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
    const { readFile } = await import('node:fs/promises');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}
