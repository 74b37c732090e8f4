/**
 * The `tipline` command: a small dispatcher over command modules in ./commands/.
 * bin/tipline.js registers tsx and calls {@link main}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { AgeError, DocumentError, loadSodiumBackend, useBackend } from '../crypto/index.js';
import { CliError, HelpRequested, UsageError, printErr, printOut, quote, runCleanups, systemErrorReason, type Command } from './cli-util.js';

/**
 * Every command, in the order `tipline --help` lists them. Adding a command is one
 * line here plus scripts/commands/NAME.ts exporting name, summary, usage and run.
 */
const COMMANDS = ['init', 'serve', 'console', 'age', 'keyring', 'onion', 'doctor', 'backup', 'restore'] as const;

const USAGE_HEAD = `Usage: tipline <command> [options]

tipline: anonymous, end-to-end encrypted reporting and warnings for sex-worker safety.

Commands:`;

const USAGE_TAIL = `
Run 'tipline <command> --help' or 'tipline help <command>' for a command's options.
Set TIPLINE_DEBUG=1 to print stack traces of internal errors.`;

/** Where a command's module lives, or undefined when it does not exist yet. */
function moduleUrl(name: string): URL | undefined {
  for (const ext of ['.ts', '.js']) {
    const url = new URL(`./commands/${name}${ext}`, import.meta.url);
    if (existsSync(url)) return url;
  }
  return undefined;
}

/**
 * Import a command module and check its shape.
 * @throws CliError (exit 2) when the command is not available yet
 */
async function loadCommand(name: string): Promise<Command> {
  const url = moduleUrl(name);
  if (!url) throw new CliError(`the ${quote(name)} command is not available yet`, 2);
  const mod = (await import(url.href)) as Partial<Command>;
  if (typeof mod.run !== 'function' || typeof mod.usage !== 'string' || typeof mod.summary !== 'string' || mod.name !== name) {
    throw new Error(`command module ${name} does not export name, summary, usage and run`);
  }
  return mod as Command;
}

async function topUsage(): Promise<string> {
  const width = Math.max(...COMMANDS.map((c) => c.length)) + 3;
  const lines: string[] = [];
  for (const name of COMMANDS) {
    let summary: string;
    if (!moduleUrl(name)) summary = '(not available yet)';
    else {
      try {
        summary = (await loadCommand(name)).summary;
      } catch {
        summary = '(failed to load)';
      }
    }
    lines.push(`  ${name.padEnd(width)}${summary}`);
  }
  return `${USAGE_HEAD}\n${lines.join('\n')}\n${USAGE_TAIL}\n`;
}

function isCommandName(s: string): s is (typeof COMMANDS)[number] {
  return (COMMANDS as readonly string[]).includes(s);
}

/** Run one command line and return the exit status. Errors are printed here, never thrown. */
export async function dispatch(argv: readonly string[]): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
      if (first === undefined) {
        process.stderr.write(await topUsage());
        return 2;
      }
      await printOut(await topUsage());
      return 0;
    }
    if (first === '--version') {
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
      await printOut(`tipline ${pkg.version}\n`);
      return 0;
    }
    let name = first;
    let args = rest;
    if (first === 'help') {
      name = rest[0]!;
      args = [...rest.slice(1), '--help'];
    }
    if (!isCommandName(name)) {
      throw new UsageError(name.startsWith('-') ? `unknown option ${quote(name)}` : `unknown command ${quote(name)}`, 'tipline');
    }
    const command = await loadCommand(name);
    if (args[0] === '--help' || args[0] === '-h') {
      await printOut(withNewline(command.usage));
      return 0;
    }
    useBackend(await loadSodiumBackend());
    return await command.run(args);
  } catch (e) {
    return await report(e);
  }
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : s + '\n';
}

/**
 * Print an error as one line on stderr and pick the exit status. Expected errors
 * show their (secret-free) message; anything else is an internal error whose
 * message is not shown, since it might quote input (e.g. a JSON parse error).
 */
async function report(e: unknown): Promise<number> {
  runCleanups();
  if (e instanceof HelpRequested) {
    if (e.exitCode !== 0) process.stderr.write(withNewline(e.usage));
    else await printOut(withNewline(e.usage)).catch(() => undefined);
    return e.exitCode;
  }
  if (e instanceof UsageError) {
    printErr(`tipline: ${e.message}; see '${e.command} --help'`);
    return e.exitCode;
  }
  if (e instanceof CliError) {
    printErr(`tipline: ${e.message}`);
    return e.exitCode;
  }
  if (e instanceof AgeError) {
    printErr(`tipline: ${e.message}${e.detail ? ` (${e.detail})` : ''}`);
    return 1;
  }
  if (e instanceof DocumentError) {
    printErr(`tipline: ${e.message}`);
    return 1;
  }
  const reason = systemErrorReason(e);
  if (reason) {
    printErr(`tipline: ${reason}`);
    return 1;
  }
  printErr(`tipline: internal error (${e instanceof Error ? e.name : typeof e}); set TIPLINE_DEBUG=1 for details`);
  if (process.env.TIPLINE_DEBUG === '1' && e instanceof Error && e.stack) printErr(e.stack);
  return 70;
}

/** The entry point: run, flush, exit. Signals remove temporary files before exiting. */
export async function main(argv: readonly string[]): Promise<never> {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      runCleanups();
      printErr('tipline: interrupted');
      process.exit(code);
    });
  }
  process.on('exit', runCleanups);
  process.on('uncaughtException', (e) => {
    void report(e).then((code) => process.exit(code));
  });
  process.on('unhandledRejection', (e) => {
    void report(e).then((code) => process.exit(code));
  });
  const code = await dispatch(argv);
  process.exit(code);
}
