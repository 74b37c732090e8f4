/**
 * `tipline backup`: an age-encrypted snapshot of a running deployment (scripts/backup.ts).
 */
import { CliError, UsageError, openOutput, parseArgs, printOut } from '../cli-util.js';

export const name = 'backup';
export const summary = 'write an encrypted backup of the database and data dir (safe while the server runs)';

export const usage = `Usage: tipline backup --out DIR (--recipient AGE1... | --recipients-file FILE)...

Takes a consistent snapshot while the server runs (SQLite backup API, or pg_dump when
DATABASE_URL is set), adds the data dir files a restore needs (server key, root public
key, keyring, profile, config), and encrypts everything with age to the offline backup
recipient(s). Writes DIR/tipline-backup-YYYY-MM-DD.age (-2, -3, ... for more on a day),
mode 0600. The file holds nothing readable without a backup identity: keep those offline.

Settings (data dir, DATABASE_URL) are read as 'tipline serve' reads them.

Options:
  --out DIR                directory to write the backup into (required)
  -r, --recipient R        age recipient (age1... or age1pq1...); repeatable
  -R, --recipients-file F  file of recipients, one per line; repeatable
  -h, --help               Show this help.
`;

export async function run(argv: string[]): Promise<number> {
  const command = 'tipline backup';
  const { options } = parseArgs(
    argv,
    {
      out: { names: ['--out', '-o'], kind: 'value' },
      recipient: { names: ['-r', '--recipient'], kind: 'list' },
      recipientsFile: { names: ['-R', '--recipients-file'], kind: 'list' },
    },
    { command, usage },
  );
  if (!options.out) throw new UsageError('--out DIR is required', command);
  const { parseRecipientArg, loadRecipientsFile } = await import('./age.js');
  const recipients = options.recipient.map((r) => parseRecipientArg(r, 'option --recipient'));
  for (const f of options.recipientsFile) recipients.push(...(await loadRecipientsFile(f)));
  if (recipients.length === 0) throw new UsageError('give at least one --recipient or --recipients-file', command);
  const pq = recipients.filter((r) => r.postQuantum).length;
  if (pq > 0 && pq < recipients.length) throw new CliError('cannot mix post-quantum (age1pq1) and classical recipients');

  const { statSync } = await import('node:fs');
  try {
    if (!statSync(options.out).isDirectory()) throw new CliError(`${options.out} is not a directory`);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${options.out} does not exist`);
  }
  const { loadConfig, ConfigError } = await import('../../server/config.js');
  const { dayOf } = await import('../../server/util.js');
  const { snapshot, encryptBackup, backupFileName } = await import('../backup.js');
  process.umask(0o077);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, 2);
    throw e;
  }
  const day = dayOf(new Date());
  const plain = await snapshot({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, serverKey: process.env.TIPLINE_SERVER_KEY, day });
  const path = backupFileName(options.out, day);
  const sink = await openOutput(path, { mode: 0o600 });
  try {
    for await (const chunk of encryptBackup(plain, recipients)) await sink.write(chunk);
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
  await printOut(`${path}\n`);
  return 0;
}
