/**
 * `tipline restore`: check a backup and restore it into an empty data dir / database.
 */
import { CliError, UsageError, openInput, parseArgs, printOut } from '../cli-util.js';

export const name = 'restore';
export const summary = 'check an encrypted backup and restore it into an empty data dir or database';

export const usage = `Usage: tipline restore FILE --identity KEYFILE [--data-dir DIR]

Decrypts FILE (written by 'tipline backup') with the backup identity, checks it whole
(age authentication, SQLite integrity check, expected tables, migration version) and
only then restores it:
  - the data dir files (server key, root public key, keyring, profile, config) into
    DIR, which must not exist or be empty (default: TIPLINE_DATA_DIR or ./data);
  - a SQLite backup as DIR/tipline.sqlite;
  - a PostgreSQL backup into the database in DATABASE_URL, which must be empty.
A damaged, tampered or foreign file is refused and nothing is written.

Options:
  -i, --identity KEYFILE   backup identity file (repeatable)
  --passphrase-file F      passphrase of a passphrase-protected identity file
  --data-dir DIR           data directory to restore into
  -h, --help               Show this help.
`;

export async function run(argv: string[]): Promise<number> {
  const command = 'tipline restore';
  const { options, positionals } = parseArgs(
    argv,
    {
      identity: { names: ['-i', '--identity'], kind: 'list' },
      passphraseFile: { names: ['--passphrase-file'], kind: 'value' },
      dataDir: { names: ['--data-dir'], kind: 'value' },
    },
    { command, usage, maxPositionals: 1 },
  );
  const file = positionals[0];
  if (file === undefined || file === '-') throw new UsageError('give the backup FILE', command);
  if (options.identity.length === 0) throw new UsageError('give the backup identity with --identity', command);
  const { loadIdentityFile, PassphraseSource } = await import('./age.js');
  const passphrases = new PassphraseSource(options.passphraseFile);
  const identities = [];
  for (const p of options.identity) identities.push(...(await loadIdentityFile(p, passphrases)));
  const { resolve } = await import('node:path');
  const { restore } = await import('../backup.js');
  process.umask(0o077);
  const dataDir = resolve(options.dataDir ?? (process.env.TIPLINE_DATA_DIR || './data'));
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new CliError('DATABASE_URL must be a postgres:// URL');
  const m = await restore({ open: () => openInput(file), identities, dataDir, databaseUrl });
  await printOut(`restored a ${m.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} backup of ${m.day} (schema ${m.migration}) into ${databaseUrl ? 'DATABASE_URL and ' : ''}${dataDir}\n`);
  return 0;
}
