/**
 * Helpers for the CLI suites: run `node bin/tipline.js` (the real entry point) and the
 * reference `age` / `age-keygen`, drive terminal prompts through a pseudo-terminal
 * (`script` from util-linux), and keep each test's files in a temporary folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '../../bin/tipline.js');

export interface Result {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** The environment for children: no debug switches inherited from the developer's shell. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TIPLINE_DEBUG;
  delete env.NODE_OPTIONS;
  return env;
}

/** Run a program to completion, feeding `input` on stdin (or nothing: stdin closed). */
export function run(cmd: string, args: readonly string[], opts: { cwd?: string; input?: Uint8Array | string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    // detached: a new session without a controlling terminal, so a passphrase prompt
    // can never block on the developer's terminal (it fails instead).
    const child = spawn(cmd, args, { cwd: opts.cwd, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // the child may exit before reading everything
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** Run `node bin/tipline.js ARGS`. */
export function tipline(args: readonly string[], opts: { cwd?: string; input?: Uint8Array | string } = {}): Promise<Result> {
  return run(process.execPath, [BIN, ...args], opts);
}

/** Single-quote for sh. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The shell command line that runs tipline with `args`. */
export function tiplineCommandLine(args: readonly string[]): string {
  return [process.execPath, BIN, ...args].map(shQuote).join(' ');
}

/**
 * Run a shell command line inside a pseudo-terminal, answering prompts: each time the
 * terminal output shows `prompt` (a regular expression) for the n-th time, the n-th
 * answer is typed, followed by Enter. Output seen through the terminal has CRLF line
 * ends, so compare data through files (-o), not through this output.
 */
export function runInPty(commandLine: string, prompt: RegExp, answers: readonly string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', commandLine, '/dev/null'], { cwd, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let answered = 0;
    const global = new RegExp(prompt.source, 'g');
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      const seen = output.match(global)?.length ?? 0;
      while (answered < Math.min(seen, answers.length)) child.stdin.write(answers[answered++] + '\n');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => resolve({ code, output }));
  });
}

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A fresh temporary folder; remove it with {@link removeDir}. */
export function makeDir(): string {
  return mkdtempSync(join(tmpdir(), 'tipline-cli-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The names in a folder, sorted (to check that a failure left nothing behind). */
export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The stderr lines (a failure must print exactly one). */
export function lines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '');
}

/**
 * The reference implementation must be present: CI installs Debian's age. A missing
 * binary fails the suite instead of skipping it.
 */
export function requireAge(): string {
  for (const tool of ['age', 'age-keygen', 'script']) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (r.error) throw new Error(`${tool} is not installed: the CLI interoperability suite needs it (apt-get install age util-linux)`);
  }
  return spawnSync('age', ['--version'], { encoding: 'utf8' }).stdout.trim();
}
