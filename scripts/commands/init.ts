/**
 * `tipline init`: set up a real organisation. The root key and the coordinator identities
 * go to an admin directory that must lie outside the server's data directory; the data
 * directory gets only public files (the signed keyring and the root public key).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { relative, resolve, isAbsolute, join } from 'node:path';
import { CliError, UsageError, parseArgs, printOut, quote, writeNewSecretFile } from '../cli-util.js';

export const name = 'init';
export const summary = 'set up a real organisation: root key, coordinator identities, signed keyring';

export const usage = `Usage: tipline init --data-dir DIR --admin-dir DIR [options]

Creates an organisation:
  ADMIN_DIR/root-key.age          the organisation root key (passphrase-protected age file).
                                  Move it to an offline machine; it signs every keyring.
  ADMIN_DIR/coordinator-N.age     one identity per coordinator (its own passphrase), to
                                  hand over to that coordinator for 'tipline console'.
  ADMIN_DIR/keyring.json          a copy of the signed keyring.
  DATA_DIR/keyring.json           the signed keyring the server loads at start.
  DATA_DIR/root-public-key        the root public key the server checks keyrings against.
  DATA_DIR/profile.json           the organisation profile (name, regions, help and
                                  emergency contacts, what happens next, languages),
                                  signed by the root key; every page shows it.

The admin directory must not be inside the data directory (nor the other way round).
Passphrases are generated (8 random words each) and printed once: write them down.

Options:
  --data-dir DIR        the server's data directory (created if missing)
  --admin-dir DIR       where the secret files go (created if missing)
  --coordinators N      number of coordinators (default 1, at most 50)
  --name NAME           a coordinator's display name; repeat in order (default "Coordinator N")
  --roles LIST          roles of every coordinator, comma separated
                        (default reports,warnings,members,admin)
  --profile FILE        the organisation profile as JSON: {name, regions: [{id, name}],
                        contacts: [{kind: emergency|support|scheme, name, phone?, email?,
                        url?, hours?, note?}], nextSteps, languages}; without it, and
                        on a terminal, tipline init asks for each in turn
  --valid-days DAYS     days from the issue day to the keyring's expiry day
                        (default and most 180, crypto/SPEC.md §Keyring)
  -h, --help            Show this help.
`;

export async function run(argv: string[]): Promise<number> {
  const { options } = parseArgs(
    argv,
    {
      dataDir: { names: ['--data-dir'], kind: 'value' },
      adminDir: { names: ['--admin-dir'], kind: 'value' },
      coordinators: { names: ['--coordinators'], kind: 'value' },
      names: { names: ['--name'], kind: 'list' },
      roles: { names: ['--roles'], kind: 'value' },
      validDays: { names: ['--valid-days'], kind: 'value' },
      profile: { names: ['--profile'], kind: 'value' },
    },
    { command: 'tipline init', usage },
  );
  const cmd = 'tipline init';
  if (!options.dataDir) throw new UsageError('--data-dir is required', cmd);
  if (!options.adminDir) throw new UsageError('--admin-dir is required', cmd);
  const count = options.coordinators === undefined ? 1 : Number(options.coordinators);
  if (!Number.isInteger(count) || count < 1 || count > 50) throw new UsageError('--coordinators must be 1 to 50', cmd);
  if (options.names.length > count) throw new UsageError('more --name options than coordinators', cmd);
  const { MAX_KEYRING_DAYS, ROLES, bytes, primitives } = await import('../../crypto/index.js');
  const validDays = options.validDays === undefined ? MAX_KEYRING_DAYS : Number(options.validDays);
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > MAX_KEYRING_DAYS) {
    throw new UsageError(`--valid-days must be 1 to ${MAX_KEYRING_DAYS}`, cmd);
  }
  const roles = (options.roles ?? ROLES.join(',')).split(',').map((r) => r.trim());
  if (roles.length === 0 || roles.some((r) => !(ROLES as readonly string[]).includes(r)) || new Set(roles).size !== roles.length) {
    throw new UsageError(`--roles must list distinct roles of ${ROLES.join(', ')}`, cmd);
  }

  const profile = await readProfile(options.profile, cmd);

  const dataDir = resolve(options.dataDir);
  const adminDir = resolve(options.adminDir);
  const inside = (a: string, b: string) => {
    const r = relative(b, a);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };
  if (inside(adminDir, dataDir) || inside(dataDir, adminDir)) {
    throw new CliError('the admin directory must be outside the data directory (the root key must never sit next to the server)');
  }
  const org = await import('../../server/org.js');
  for (const f of [org.KEYRING_FILE, org.ROOT_PUBLIC_KEY_FILE]) {
    if (existsSync(join(dataDir, f))) throw new CliError(`${quote(join(dataDir, f))} exists: this data directory already has an organisation`);
  }
  const secretFiles = ['root-key.age', 'keyring.json', ...Array.from({ length: count }, (_, i) => `coordinator-${i + 1}.age`)];
  for (const f of secretFiles) {
    if (existsSync(join(adminDir, f))) throw new CliError(`refusing to overwrite existing file ${quote(join(adminDir, f))}`);
  }

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(adminDir, { recursive: true, mode: 0o700 });
  const rootSeed = primitives().randomBytes(32);
  const coordinators = Array.from({ length: count }, (_, i) =>
    org.newCoordinator(`c${i + 1}`, options.names[i] ?? `Coordinator ${i + 1}`),
  );
  let envelope;
  try {
    ({ envelope } = org.buildKeyring(
      rootSeed,
      coordinators.map((secret) => ({ secret, roles: roles as (typeof ROLES)[number][] })),
      { validDays },
    ));
  } catch (e) {
    throw new CliError(`cannot build the keyring: ${e instanceof Error && 'detail' in e ? String(e.detail) : 'invalid'}`);
  }
  const rootPassphrase = org.randomPassphrase();
  const lines: string[] = [];
  await writeNewSecretFile(join(adminDir, 'root-key.age'), await org.sealRootKey(rootSeed, rootPassphrase));
  const keyringText = JSON.stringify(envelope, null, 2) + '\n';
  for (let i = 0; i < count; i++) {
    const pass = org.randomPassphrase();
    const file = join(adminDir, `coordinator-${i + 1}.age`);
    await writeNewSecretFile(file, await org.sealCoordinator(coordinators[i]!, pass));
    lines.push(`  ${coordinators[i]!.name} (id ${coordinators[i]!.id}): ${file}`, `    passphrase: ${pass}`);
    bytes.wipe(coordinators[i]!.signingSeed);
  }
  await writeNewSecretFile(join(adminDir, 'keyring.json'), keyringText);
  await writeNewSecretFile(join(dataDir, org.KEYRING_FILE), keyringText);
  await writeNewSecretFile(join(dataDir, org.ROOT_PUBLIC_KEY_FILE), bytes.base64Padded(primitives().ed25519PublicKey(rootSeed)) + '\n');
  if (profile) {
    const { signProfile } = await import('../../crypto/index.js');
    await writeNewSecretFile(join(dataDir, org.PROFILE_FILE), JSON.stringify(signProfile(profile, rootSeed), null, 2) + '\n');
  }
  bytes.wipe(rootSeed);

  await printOut(
    [
      'Organisation created. Write the passphrases down now: they are not stored anywhere.',
      '',
      `Root key: ${join(adminDir, 'root-key.age')}`,
      `  passphrase: ${rootPassphrase}`,
      '  Move this file to an offline machine and delete it here.',
      '',
      'Coordinator identities (give each to its coordinator, with its passphrase, in person):',
      ...lines,
      '',
      `Server data directory: ${dataDir} (keyring.json, root-public-key${profile ? ', profile.json' : ''})`,
      ...(profile ? [] : ['No organisation profile was written: pages will show no help contacts until one is uploaded (PUT /api/profile).']),
      `Start the server with: TIPLINE_DATA_DIR=${dataDir} tipline serve`,
      '',
    ].join('\n'),
  );
  return 0;
}

type ProfileInput = import('../../crypto/index.js').Profile;

/**
 * The profile from `--profile FILE`, or asked for on a terminal, or none (not a terminal).
 * Validated here, so a mistake is reported before any key is made.
 * @throws CliError when the file is unreadable or the profile breaks a rule
 */
async function readProfile(file: string | undefined, cmd: string): Promise<ProfileInput | undefined> {
  const { ProfileError, primitives, signProfile } = await import('../../crypto/index.js');
  const today = new Date().toISOString().slice(0, 10);
  let raw: Record<string, unknown>;
  if (file !== undefined) {
    const { readFileSync } = await import('node:fs');
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new CliError(`${quote(file)} is not a readable JSON file`);
    }
  } else if (process.stdin.isTTY) {
    raw = await askProfile();
  } else {
    return undefined;
  }
  const candidate = { version: 1, issued: today, ...raw } as ProfileInput;
  try {
    // Signing with a throw-away key runs every rule and gives the rule's own message.
    signProfile(candidate, primitives().randomBytes(32));
  } catch (e) {
    throw new UsageError(`the profile is not valid: ${e instanceof ProfileError ? e.detail : 'invalid'}`, cmd);
  }
  return candidate;
}

async function askProfile(): Promise<Record<string, unknown>> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const ask = async (q: string, def = ''): Promise<string> => (await rl.question(def ? `${q} [${def}]: ` : `${q}: `)).trim() || def;
    process.stdout.write('The organisation profile (shown on every page; change it later with a new signed version).\n');
    const name = await ask('Organisation name');
    const regions = (await ask('Regions members choose, comma separated', 'North, South'))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((n) => ({ id: n.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32) || 'region', name: n }));
    const emergency = await ask('Emergency number', '999');
    const contacts: Record<string, string>[] = [{ kind: 'emergency', name: 'Emergency services', phone: emergency, note: 'or 112 from any phone' }];
    const support = await ask('A support service (name, empty for none)');
    if (support) contacts.push({ kind: 'support', name: support, phone: await ask(`${support}: phone number`) });
    const email = await ask("The scheme's own contact email (empty for none)");
    if (email) contacts.push({ kind: 'scheme', name: name || 'The scheme', email });
    const nextSteps = await ask('What happens next, for reporters', 'A coordinator reads every report. Nothing is shared without your consent.');
    const languages = (await ask('Languages offered, comma separated', 'en, ro')).split(',').map((s) => s.trim()).filter(Boolean);
    return { name, regions, contacts, nextSteps, languages };
  } finally {
    rl.close();
  }
}
