/**
 * `tipline serve`: run the server (configuration from the environment and an optional
 * JSON file; see server/config.ts). Heavy modules are imported inside run().
 */
import { CliError, onCleanup, parseArgs, printErr } from '../cli-util.js';

export const name = 'serve';
export const summary = 'run the tipline server (creates a demo organisation when there is no keyring)';

export const usage = `Usage: tipline serve

Runs the server. Settings come from environment variables and, optionally, a JSON
file (TIPLINE_CONFIG, or <data dir>/config.json when it exists):

  PORT                    port to listen on (default 8080; 0 picks a free one)
  HOST                    address to listen on (default 127.0.0.1)
  TIPLINE_DATA_DIR        data directory (default ./data)
  DATABASE_URL            postgres://... to use PostgreSQL; unset: SQLite in the data dir
  TIPLINE_ONION_ADDRESS   v3 onion host name, sent as Onion-Location (default: the
                          one tor wrote for 'tipline onion' in <data dir>/onion)
  TIPLINE_ROOT_PUBLIC_KEY organisation root key (default: <data dir>/root-public-key)
  TIPLINE_SERVER_KEY      base64 32-byte server key shared by several processes
                          (default: <data dir>/server-key, created on first start)
  TIPLINE_CHECK_KEY       base64 32-byte private-check key shared by several processes
                          (default: <data dir>/check-key, created on first start)
  TIPLINE_PUBLIC_ORIGIN   the address reporters use: https://host[:port] (behind a
                          TLS proxy; also turns on HSTS) or http://<onion>.onion
  TIPLINE_SECURE_COOKIES  auto | true | false (auto: Secure with a public origin and
                          on any HOST but loopback)
  TIPLINE_POW_DIFFICULTY, TIPLINE_POW_MAX_DIFFICULTY
  TIPLINE_REPORT_RETENTION_DAYS, TIPLINE_MAILBOX_RETENTION_DAYS, TIPLINE_SESSION_DAYS
  TIPLINE_DEMO            1: make the demo organisation on a non-loopback HOST too
  TIPLINE_BUILD_CLIENT    0: never build the web client at start (default: build
                          dist/client when it does not pin this root key)

When the data directory has no keyring and no root key and HOST is a loopback
address (or TIPLINE_DEMO=1), a DEMO organisation is created there. Its passphrase
is written to <data dir>/demo/passphrase (owner only) and printed only when stdout
is a terminal. Use 'tipline init' for a real organisation.

Options:
  -h, --help   Show this help.
`;

export async function run(argv: string[]): Promise<number> {
  parseArgs(argv, {}, { command: 'tipline serve', usage });
  const { loadConfig, ConfigError } = await import('../../server/config.js');
  const { startServer, StartError, silenceConsole } = await import('../../server/start.js');
  process.umask(0o077);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, 2);
    throw e;
  }
  silenceConsole();
  let running;
  try {
    running = await startServer(config, (text) => process.stdout.write(text), {
      buildClient: process.env.TIPLINE_BUILD_CLIENT !== '0',
      terminal: process.stdout.isTTY === true,
    });
  } catch (e) {
    if (e instanceof StartError) throw new CliError(e.message);
    throw e;
  }
  // The CLI's signal handlers exit at once; the database is closed synchronously first.
  const unregister = onCleanup(() => running.closeSync());
  process.stdout.write(
    `tipline: listening on ${running.url} (${config.databaseUrl ? 'PostgreSQL' : 'SQLite'}, data in ${config.dataDir})\n`,
  );
  if (config.onionAddress) process.stdout.write(`tipline: Onion-Location names ${config.onionAddress}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      void running.close().finally(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  unregister();
  printErr('tipline: stopped');
  return 0;
}
