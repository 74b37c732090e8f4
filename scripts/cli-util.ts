/**
 * Shared pieces of the `tipline` command line: the command interface, argument
 * parsing, errors that become one line on stderr, input and output streams that
 * never leave a partial file behind, and passphrase entry.
 *
 * A command module (scripts/commands/NAME.ts) exports `name`, `summary`, `usage`
 * and `run` (see {@link Command}). Importing it must be cheap and free of side
 * effects: `tipline --help` imports every module to list the summaries, so heavy
 * dependencies (database drivers, servers) are imported inside `run`.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, unlinkSync, type Stats } from 'node:fs';
import { open, readFile, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ReadStream as TtyReadStream, WriteStream as TtyWriteStream } from 'node:tty';

/** What every command module exports (as named exports). */
export interface Command {
  /** The word after `tipline`. */
  readonly name: string;
  /** One line for `tipline --help`. */
  readonly summary: string;
  /** The full help text, printed by `--help`, `-h` and `tipline help NAME`. */
  readonly usage: string;
  /**
   * Run with the arguments after the command name. Resolves to the exit status.
   * Throws {@link UsageError} for bad arguments (exit 2), {@link CliError} and the
   * crypto errors for expected failures (exit 1); anything else is a bug.
   */
  run(argv: string[]): Promise<number>;
}

// ---------------------------------------------------------------------------
// Errors

/** An expected failure: printed as `tipline: <message>`, exit status 1. Never put secrets in the message. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Bad arguments: printed with a pointer to the command's help, exit status 2. */
export class UsageError extends CliError {
  constructor(
    message: string,
    /** The command line to run with --help, e.g. "tipline age encrypt". */
    readonly command: string,
  ) {
    super(message, 2);
  }
}

/**
 * `--help` or `-h` was given: print `usage` to stdout and exit 0. With a non-zero
 * `exitCode` (a command given no arguments at all) the usage goes to stderr instead.
 */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
  constructor(
    readonly usage: string,
    readonly exitCode = 0,
  ) {
    super('help requested');
  }
}

/** The user pressed Ctrl-C at a prompt. */
export class Interrupted extends CliError {
  constructor() {
    super('interrupted', 130);
  }
}

/** Quote a path or value for an error message: JSON escaping keeps terminal control characters out. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'file exists',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EPIPE: 'broken pipe',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
};

/** The short reason for a Node system error, or undefined when it is not one we know. */
export function systemErrorReason(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? FS_REASONS[code] : undefined;
}

/** Turn a failed file operation into a CliError ("cannot read "x": no such file or directory"). */
export function fileError(e: unknown, verb: string, path: string): CliError {
  if (e instanceof CliError) return e;
  const reason = systemErrorReason(e) ?? 'failed';
  return new CliError(`cannot ${verb} ${quote(path)}: ${reason}`);
}

// ---------------------------------------------------------------------------
// Argument parsing

/** One option: its spellings and whether it takes a value (`value`) or many (`list`). */
export interface OptionSpec {
  /** Spellings, e.g. ['-o', '--output']. */
  readonly names: readonly string[];
  /** 'flag' (default): boolean; 'value': one string; 'list': repeatable, every value kept in order. */
  readonly kind?: 'flag' | 'value' | 'list';
}

type OptionValue<O extends OptionSpec> = O['kind'] extends 'list' ? string[] : O['kind'] extends 'value' ? string | undefined : boolean;
export type ParsedOptions<S extends Record<string, OptionSpec>> = { [K in keyof S]: OptionValue<S[K]> };

export interface ParseConfig {
  /** The command line shown in errors, e.g. "tipline age encrypt". */
  readonly command: string;
  /** Printed for -h/--help. */
  readonly usage: string;
  /** Most positional arguments accepted (default 0). */
  readonly maxPositionals?: number;
}

/**
 * Parse `argv` against `spec`. Accepts `-o VALUE`, `--output VALUE`, `--output=VALUE`,
 * `--` to end options, and `-` as a positional (standard input or output).
 * @throws HelpRequested when -h or --help appears before `--`
 * @throws UsageError for an unknown option, a missing value, a repeated single option or too many arguments
 */
export function parseArgs<const S extends Record<string, OptionSpec>>(
  argv: readonly string[],
  spec: S,
  config: ParseConfig,
): { options: ParsedOptions<S>; positionals: string[] } {
  const end = argv.indexOf('--');
  const optionPart = end < 0 ? argv : argv.slice(0, end);
  if (optionPart.includes('--help') || optionPart.includes('-h')) throw new HelpRequested(config.usage);

  const byName = new Map<string, string>();
  const options: Record<string, boolean | string | string[] | undefined> = {};
  for (const [key, o] of Object.entries(spec)) {
    for (const n of o.names) byName.set(n, key);
    options[key] = o.kind === 'list' ? [] : o.kind === 'value' ? undefined : false;
  }
  const usage = (msg: string) => new UsageError(msg, config.command);
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = byName.get(flag);
    if (key === undefined) throw usage(`unknown option ${quote(flag)}`);
    const o = spec[key]!;
    if (o.kind === 'value' || o.kind === 'list') {
      let value: string;
      if (eq > 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw usage(`option ${flag} needs a value`);
      if (o.kind === 'list') (options[key] as string[]).push(value);
      else if (options[key] !== undefined) throw usage(`option ${flag} given more than once`);
      else options[key] = value;
    } else {
      if (eq > 0) throw usage(`option ${flag} takes no value`);
      options[key] = true;
    }
  }
  const max = config.maxPositionals ?? 0;
  if (positionals.length > max) {
    throw usage(max === 0 ? `unexpected argument ${quote(positionals[0]!)}` : `too many arguments`);
  }
  return { options: options as ParsedOptions<S>, positionals };
}

/**
 * Dispatch to a sub-subcommand (`tipline age encrypt ...`).
 * @throws HelpRequested for no arguments, -h, --help or `help`
 * @throws UsageError for an unknown name
 */
export function pickSubcommand<T>(argv: readonly string[], table: Record<string, T>, command: string, usage: string): { sub: T; rest: string[] } {
  const first = argv[0];
  if (first === undefined) throw new HelpRequested(usage, 2);
  if (first === '--help' || first === '-h') throw new HelpRequested(usage);
  if (first === 'help') {
    const target = argv[1];
    if (target === undefined) throw new HelpRequested(usage);
    if (!Object.hasOwn(table, target)) throw new UsageError(`unknown command ${quote(target)}`, command);
    return { sub: table[target]!, rest: ['--help'] };
  }
  if (!Object.hasOwn(table, first)) {
    throw new UsageError(first.startsWith('-') ? `unknown option ${quote(first)}` : `unknown command ${quote(first)}`, command);
  }
  return { sub: table[first]!, rest: argv.slice(1) };
}

// ---------------------------------------------------------------------------
// Cleanup on exit and signals

const cleanups = new Set<() => void>();

/** Register a synchronous cleanup run on exit, on signals and by the top-level error handler. Returns an unregister function. */
export function onCleanup(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Run every registered cleanup once (never throws). */
export function runCleanups(): void {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // best effort: we are already failing
    }
  }
}

// ---------------------------------------------------------------------------
// Input

/** Largest small file (keys, recipients, passphrases) read whole. */
export const SMALL_FILE_LIMIT = 16 * 1024 * 1024;

/** Chunk size for streaming files: one age STREAM chunk. */
const CHUNK = 64 * 1024;

/** True for the path spellings of standard input/output. */
export function isStdio(path: string | undefined): boolean {
  return path === undefined || path === '-';
}

/**
 * Open a file (or standard input for undefined / "-") as a stream of chunks.
 * Checks at once that the file can be opened, so errors come before any output.
 * @throws CliError when the file cannot be opened or is a directory
 */
export async function openInput(path: string | undefined): Promise<AsyncIterable<Uint8Array>> {
  if (isStdio(path)) return process.stdin;
  const p = path!;
  let fh: FileHandle;
  try {
    fh = await open(p, 'r');
  } catch (e) {
    throw fileError(e, 'open', p);
  }
  let st: Stats;
  try {
    st = await fh.stat();
  } catch (e) {
    await fh.close();
    throw fileError(e, 'open', p);
  }
  if (st.isDirectory()) {
    await fh.close();
    throw new CliError(`cannot read ${quote(p)}: is a directory`);
  }
  return (async function* () {
    try {
      const buf = new Uint8Array(CHUNK);
      for (;;) {
        let n: number;
        try {
          ({ bytesRead: n } = await fh.read(buf, 0, buf.length, null));
        } catch (e) {
          throw fileError(e, 'read', p);
        }
        if (n === 0) return;
        yield buf.slice(0, n);
      }
    } finally {
      await fh.close();
    }
  })();
}

/**
 * Read a small file whole (or standard input for "-").
 * @throws CliError when it cannot be read or is larger than `limit`
 */
export async function readSmallFile(path: string, what: string, limit = SMALL_FILE_LIMIT): Promise<Uint8Array> {
  if (path === '-') {
    const parts: Uint8Array[] = [];
    let n = 0;
    for await (const c of process.stdin as AsyncIterable<Uint8Array>) {
      n += c.length;
      if (n > limit) throw new CliError(`${what} on standard input is too large`);
      parts.push(c);
    }
    return Buffer.concat(parts);
  }
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    throw fileError(e, `read ${what}`, path);
  }
  if (st.isDirectory()) throw new CliError(`cannot read ${what} ${quote(path)}: is a directory`);
  if (st.isFile() && st.size > limit) throw new CliError(`${what} ${quote(path)} is too large`);
  try {
    const data = await readFile(path);
    if (data.length > limit) throw new CliError(`${what} ${quote(path)} is too large`);
    return data;
  } catch (e) {
    throw fileError(e, `read ${what}`, path);
  }
}

/** Wrap an async iterable as a Web ReadableStream (pull-based, so backpressure holds). */
export function toReadableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await it.next();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    async cancel() {
      await it.return?.();
    },
  });
}

/** Read a Web ReadableStream as an async iterable (lib.dom lacks the async iterator typing). */
export async function* fromReadableStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } catch (e) {
    finished = true;
    throw e;
  } finally {
    // The consumer stopped early (e.g. the output failed): stop the producer too.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

// ---------------------------------------------------------------------------
// Output

/** Where a command writes its result. Nothing is visible at the destination path until `commit`. */
export interface Sink {
  write(chunk: Uint8Array): Promise<void>;
  /** Make the output final (rename the temporary file into place). */
  commit(): Promise<void>;
  /** Throw the output away (delete the temporary file). Never throws. */
  abort(): Promise<void>;
  /** True when writing to a terminal. */
  readonly isTerminal: boolean;
}

function stdoutSink(): Sink {
  let failed: unknown;
  const onError = (e: unknown) => {
    failed ??= e;
  };
  process.stdout.on('error', onError);
  const fail = (e: unknown) => new CliError(`cannot write to standard output: ${systemErrorReason(e) ?? 'failed'}`);
  return {
    isTerminal: process.stdout.isTTY === true,
    write(chunk) {
      if (failed) return Promise.reject(fail(failed));
      return new Promise((resolve, reject) => {
        process.stdout.write(chunk, (e) => (e ? reject(fail(e)) : resolve()));
      });
    },
    async commit() {
      process.stdout.off('error', onError);
      if (failed) throw fail(failed);
    },
    async abort() {
      process.stdout.off('error', onError);
    },
  };
}

async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let off = 0;
  while (off < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
    off += bytesWritten;
  }
}

/** Write whole chunks to an open file, reporting failures against the name the user gave. */
function writerFor(fh: FileHandle, p: string): (chunk: Uint8Array) => Promise<void> {
  return async (chunk) => {
    try {
      await writeAll(fh, chunk);
    } catch (e) {
      throw fileError(e, 'write', p);
    }
  };
}

/**
 * Open the output: standard output for undefined or "-"; otherwise a temporary file
 * beside the destination that `commit` renames over it (so a failure never leaves a
 * partial file, and an existing file is replaced only on success). Devices and pipes
 * (e.g. /dev/null) are written in place.
 * @throws CliError when the destination cannot be written
 */
export async function openOutput(path: string | undefined, opts: { mode: number }): Promise<Sink> {
  if (isStdio(path)) return stdoutSink();
  const p = path!;
  let target = p;
  let existing: Stats | undefined;
  try {
    existing = await stat(p);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw fileError(e, 'write', p);
  }
  if (existing?.isDirectory()) throw new CliError(`cannot write ${quote(p)}: is a directory`);
  if (existing && !existing.isFile()) {
    // A device or a pipe: renaming over it would replace it, so write through it.
    let fh: FileHandle;
    try {
      fh = await open(p, 'w');
    } catch (e) {
      throw fileError(e, 'write', p);
    }
    return {
      isTerminal: false,
      write: writerFor(fh, p),
      async commit() {
        await fh.close();
      },
      async abort() {
        await fh.close().catch(() => undefined);
      },
    };
  }
  // Replace the file a symlink points to, not the symlink.
  if (existing) target = await realpath(p).catch(() => p);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let fh: FileHandle;
  try {
    fh = await open(temp, 'wx', opts.mode);
  } catch (e) {
    throw fileError(e, 'write', p);
  }
  const unregister = onCleanup(() => {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  });
  let closed = false;
  return {
    isTerminal: false,
    write: writerFor(fh, p),
    async commit() {
      try {
        await fh.datasync();
        closed = true;
        await fh.close();
        await rename(temp, target);
      } catch (e) {
        throw fileError(e, 'write', p);
      }
      unregister();
    },
    async abort() {
      if (!closed) await fh.close().catch(() => undefined);
      closed = true;
      await unlink(temp).catch(() => undefined);
      unregister();
    },
  };
}

/**
 * Create a new file with `content` and mode 0600, refusing to replace an existing one
 * (like age-keygen -o). The file is removed again if writing fails.
 * @throws CliError('... file exists') and other write failures
 */
export async function writeNewSecretFile(path: string, content: string): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'wx', 0o600);
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') throw new CliError(`refusing to overwrite existing file ${quote(path)}`);
    throw fileError(e, 'create', path);
  }
  const unregister = onCleanup(() => {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  });
  try {
    await fh.writeFile(content);
    await fh.datasync();
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    unregister();
    throw fileError(e, 'write', path);
  }
  unregister();
}

/** True when standard output is a regular file that others can read (a secret should not go there). */
export function stdoutIsWorldReadableFile(): boolean {
  try {
    const st = fstatSync(1);
    return st.isFile() && (st.mode & 0o004) !== 0;
  } catch {
    return false;
  }
}

/** Write text to standard output and wait until it is handed to the OS. */
export function printOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (e) => (e ? reject(new CliError(`cannot write to standard output: ${systemErrorReason(e) ?? 'failed'}`)) : resolve()));
  });
}

/** Write one line to standard error. */
export function printErr(line: string): void {
  process.stderr.write(line.endsWith('\n') ? line : line + '\n');
}

// ---------------------------------------------------------------------------
// Passphrases

/**
 * Read a passphrase file: its content without one trailing newline (LF or CRLF).
 * @throws CliError when the file is missing, empty, not UTF-8 or has more than one line
 */
export async function readPassphraseFile(path: string): Promise<string> {
  const data = await readSmallFile(path, 'passphrase file', 64 * 1024);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new CliError(`passphrase file ${quote(path)} is not UTF-8`);
  } finally {
    data.fill(0);
  }
  if (text.endsWith('\r\n')) text = text.slice(0, -2);
  else if (text.endsWith('\n')) text = text.slice(0, -1);
  if (text.includes('\n')) throw new CliError(`passphrase file ${quote(path)} must hold a single line`);
  if (text === '') throw new CliError(`passphrase file ${quote(path)} is empty`);
  return text;
}

/**
 * Ask for one or more hidden answers on the controlling terminal (/dev/tty), without
 * echo, so standard input and output stay free for data.
 * @throws CliError when there is no terminal; Interrupted on Ctrl-C; CliError on end of input
 */
export async function promptHidden(prompts: readonly string[]): Promise<string[]> {
  let inFd: number;
  let outFd: number;
  try {
    inFd = openSync('/dev/tty', 'r');
  } catch {
    throw new CliError('no terminal to read the passphrase from (use --passphrase-file)');
  }
  try {
    outFd = openSync('/dev/tty', 'w');
  } catch {
    closeSync(inFd);
    throw new CliError('no terminal to read the passphrase from (use --passphrase-file)');
  }
  const input = new TtyReadStream(inFd);
  const output = new TtyWriteStream(outFd);
  // readline echoes what is typed to its output; give it one that drops everything.
  const muted = new Writable({ write: (_chunk, _enc, cb) => cb() });
  const rl = createInterface({ input, output: muted, terminal: true, historySize: 0 });
  const restore = () => {
    try {
      input.setRawMode(false);
    } catch {
      // terminal gone
    }
  };
  const unregister = onCleanup(restore);
  const answers: string[] = [];
  try {
    for (const prompt of prompts) {
      output.write(prompt);
      const answer = await new Promise<string>((resolve, reject) => {
        const onLine = (line: string) => {
          done();
          resolve(line);
        };
        const onSigint = () => {
          done();
          reject(new Interrupted());
        };
        const onClose = () => {
          done();
          reject(new CliError('no passphrase entered'));
        };
        const done = () => {
          rl.off('line', onLine);
          rl.off('SIGINT', onSigint);
          rl.off('close', onClose);
        };
        rl.on('line', onLine);
        rl.on('SIGINT', onSigint);
        rl.on('close', onClose);
      });
      output.write('\n');
      answers.push(answer);
    }
    return answers;
  } catch (e) {
    output.write('\n');
    throw e;
  } finally {
    rl.close();
    restore();
    unregister();
    input.destroy();
    output.destroy();
  }
}
