/**
 * `tipline keyring`: change who the coordinators are, on the offline machine that holds the
 * root key (crypto/SPEC.md §Keyring). Every change signs a new keyring with a higher version
 * and fresh dates; the result is written beside the old one, ready to carry to the server.
 * Nothing is written unless every check passed and the new keyring is signed.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CliError,
  UsageError,
  openOutput,
  parseArgs,
  pickSubcommand,
  printOut,
  promptHidden,
  quote,
  readPassphraseFile,
  readSmallFile,
  writeNewSecretFile,
  type OptionSpec,
} from '../cli-util.js';
import type { Keyring, Role, SignedEnvelope } from '../../crypto/index.js';

export const name = 'keyring';
export const summary = 'show or change the coordinators in the signed keyring (offline, with the root key)';

export const usage = `Usage: tipline keyring <command> [options]

The keyring says who the coordinators are: their keys and roles, signed by the
organisation root key. Run these on the offline machine that holds the root key
(the admin directory of 'tipline init'). Each change signs a new keyring with a
higher version, issued today and valid for --valid-days (default and most 180),
and writes ADMIN_DIR/keyring-vN.json (and replaces ADMIN_DIR/keyring.json).
Carry keyring-vN.json to the server and upload it ('tipline keyring upload').

Commands:
  show      print the keyring: version, dates, coordinators, roles
  add       add a coordinator (new identity file, or their own public keys)
  remove    remove a coordinator: new reports are no longer encrypted to them
  rotate    give a coordinator new keys (they keep the old file for old reports)
  roles     change a coordinator's roles
  renew     sign the same coordinators again with new dates (before it expires)
  upload    PUT a signed keyring to a server (any machine with network access)

Common options (add, remove, rotate, roles, renew):
  --admin-dir DIR         holds root-key.age and keyring.json (default .)
  --root-key FILE         the root key file (default ADMIN_DIR/root-key.age)
  --passphrase-file F     the root key's passphrase (otherwise asked on the terminal)
  --valid-days DAYS       days from today to the new expiry day (1 to 180, default 180)

Run 'tipline keyring <command> --help' for each command's options.
`;

const COMMON = {
  adminDir: { names: ['--admin-dir'], kind: 'value' },
  rootKey: { names: ['--root-key'], kind: 'value' },
  passphraseFile: { names: ['--passphrase-file'], kind: 'value' },
  validDays: { names: ['--valid-days'], kind: 'value' },
} as const satisfies Record<string, OptionSpec>;

const COMMON_HELP = `  --admin-dir DIR         holds root-key.age and keyring.json (default .)
  --root-key FILE         the root key file (default ADMIN_DIR/root-key.age)
  --passphrase-file F     the root key's passphrase (otherwise asked on the terminal)
  --valid-days DAYS       days from today to the new expiry day (1 to 180, default 180)
  -h, --help              Show this help.
`;

const SHOW_USAGE = `Usage: tipline keyring show [--admin-dir DIR | --keyring FILE] [--root-public-key KEY]

Prints the keyring's version, issue and expiry days and each coordinator's id,
name, roles and keys. The signature is checked against the key that signed it,
and against --root-public-key (base64 or a file holding it) when given.

Options:
  --admin-dir DIR          read DIR/keyring.json (default .)
  --keyring FILE           read FILE instead
  --root-public-key KEY    the organisation's root public key to check against
  -h, --help               Show this help.
`;

const ADD_USAGE = `Usage: tipline keyring add --id ID --name NAME [--roles LIST]
                           [--recipient age1pq1... --signing-key BASE64] [common options]

Adds a coordinator. Without --recipient and --signing-key a new identity is made
and written to ADMIN_DIR/coordinator-ID.age with a new passphrase (printed once):
hand both to the coordinator in person. With them, the coordinator made their own
keys and only their public keys enter the keyring.

Options:
  --id ID                 1-64 of A-Z a-z 0-9 . _ -, unique in the keyring
  --name NAME             the name reporters and members see
  --roles LIST            comma separated, of reports, warnings, members, admin
                          (default reports,warnings,members)
  --recipient R           the coordinator's hybrid age recipient (age1pq1...)
  --signing-key K         the coordinator's Ed25519 public key, padded base64
${COMMON_HELP}`;

const REMOVE_USAGE = `Usage: tipline keyring remove --id ID [common options]

Removes a coordinator. Once the new keyring is uploaded, new reports are not
encrypted to them and the server refuses their signed requests. Reports they
could read before stay readable with their old identity file: collect it.

Options:
  --id ID                 the coordinator to remove
${COMMON_HELP}`;

const ROTATE_USAGE = `Usage: tipline keyring rotate --id ID [--recipient R --signing-key K] [common options]

Gives a coordinator new keys (same id, name and roles). Without --recipient and
--signing-key a new identity file ADMIN_DIR/coordinator-ID-vN.age is made with a
new passphrase. Reports sent before the new keyring was uploaded stay encrypted
to the old key: the coordinator keeps the old file and opens the console with
both, the new one first:
  tipline console --server URL --identity NEW.age --identity OLD.age

Options:
  --id ID                 the coordinator whose keys change
  --recipient R           their new hybrid age recipient (age1pq1...)
  --signing-key K         their new Ed25519 public key, padded base64
${COMMON_HELP}`;

const ROLES_USAGE = `Usage: tipline keyring roles --id ID --roles LIST [common options]

Sets a coordinator's roles (comma separated, of reports, warnings, members, admin).

Options:
  --id ID                 the coordinator
  --roles LIST            the new roles
${COMMON_HELP}`;

const RENEW_USAGE = `Usage: tipline keyring renew [common options]

Signs the same coordinators again with a higher version, issued today. Do it well
before the expiry day: on that day reporters' browsers refuse the keyring and no
report can be sent. ('tipline doctor' warns 30 days ahead.)

Options:
${COMMON_HELP}`;

const UPLOAD_USAGE = `Usage: tipline keyring upload FILE --server URL

Sends a signed keyring (keyring-vN.json) to the server: PUT URL/api/keyring. The
server accepts it only when it verifies against the root key, has not expired
and has a higher version than the one it holds. No secret is needed, so any
machine with network access can do this. The same as
  curl --fail -X PUT -H 'Content-Type: application/json' --data-binary @FILE URL/api/keyring
Or copy FILE into the server's data directory as keyring.json and restart
'tipline serve', which loads a newer keyring at start.

Options:
  --server URL            the server (https://... or http://<onion> or http://127.0.0.1:PORT)
  -h, --help              Show this help.
`;

/** A keyring file as stored: the envelope, its payload and the key that signed it. */
interface LoadedKeyring {
  file: string;
  envelope: SignedEnvelope;
  keyring: Keyring;
  signer: Uint8Array;
}

/**
 * Read a signed keyring file and check it against the key that signed it and the schema.
 * @throws CliError when it is unreadable, not a keyring, or its signature does not verify
 */
async function loadKeyring(file: string): Promise<LoadedKeyring> {
  const { DocumentError, bytes, keyringSchema, parseEnvelope, parseJsonPayload, verifyDocument } = await import('../../crypto/index.js');
  const text = new TextDecoder().decode(await readSmallFile(file, 'keyring', 2 << 20));
  let envelope: SignedEnvelope;
  let payload: Uint8Array;
  let signer: Uint8Array;
  try {
    envelope = parseEnvelope(JSON.parse(text));
    signer = bytes.fromBase64Padded(envelope.signer);
    ({ payload } = verifyDocument(envelope, 'keyring', [signer]));
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof DocumentError) throw new CliError(`${quote(file)} is not a signed keyring`);
    throw e;
  }
  const r = keyringSchema.safeParse(parseJsonPayload(payload, { message: 'invalid keyring' }));
  if (!r.success) throw new CliError(`${quote(file)} is not a valid keyring`);
  return { file, envelope, keyring: r.data as Keyring, signer };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

async function parseRoles(list: string, cmd: string): Promise<Role[]> {
  const { ROLES } = await import('../../crypto/index.js');
  const roles = list.split(',').map((r) => r.trim());
  if (roles.length === 0 || roles.some((r) => !(ROLES as readonly string[]).includes(r)) || new Set(roles).size !== roles.length) {
    throw new UsageError(`--roles must list distinct roles of ${ROLES.join(', ')}`, cmd);
  }
  return roles as Role[];
}

/**
 * Public keys given on the command line.
 * @throws UsageError when only one is given or either is malformed
 */
async function givenKeys(recipient: string | undefined, signingKey: string | undefined, cmd: string): Promise<{ recipient: string; signingKey: string } | undefined> {
  if (recipient === undefined && signingKey === undefined) return undefined;
  if (recipient === undefined || signingKey === undefined) throw new UsageError('give both --recipient and --signing-key, or neither', cmd);
  const { HybridRecipient, bytes } = await import('../../crypto/index.js');
  let r: string;
  try {
    r = HybridRecipient.parse(recipient.trim()).toString();
  } catch {
    throw new UsageError('--recipient must be a hybrid age recipient (age1pq1...)', cmd);
  }
  let k: Uint8Array;
  try {
    k = bytes.fromBase64Padded(signingKey.trim());
  } catch {
    k = new Uint8Array(0);
  }
  if (k.length !== 32) throw new UsageError('--signing-key must be the padded base64 of a 32-byte Ed25519 public key', cmd);
  return { recipient: r, signingKey: bytes.base64Padded(k) };
}

interface Change {
  /** The coordinators of the new keyring. */
  coordinators: Keyring['coordinators'];
  /** A new identity file to write (made here), with its file name. */
  newIdentity?: { file: string; secret: import('../../server/org.js').CoordinatorSecret };
  /** What changed, for the summary. */
  what: string;
}

type Options = { adminDir?: string; rootKey?: string; passphraseFile?: string; validDays?: string };

/**
 * The shared path of every change: read and check the current keyring, open the root key,
 * let `change` compute the new coordinators, sign, then write the identity file (if any),
 * keyring-vN.json and keyring.json.
 */
async function changeKeyring(
  o: Options,
  cmd: string,
  change: (k: Keyring, nextVersion: number) => Promise<Change>,
  opts: { allowExpired?: boolean } = {},
): Promise<number> {
  const { AgeError, KeyringError, MAX_KEYRING_DAYS, bytes, primitives, signKeyring } = await import('../../crypto/index.js');
  const org = await import('../../server/org.js');
  const validDays = o.validDays === undefined ? MAX_KEYRING_DAYS : Number(o.validDays);
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > MAX_KEYRING_DAYS) throw new UsageError(`--valid-days must be 1 to ${MAX_KEYRING_DAYS}`, cmd);
  const adminDir = resolve(o.adminDir ?? '.');
  const current = await loadKeyring(join(adminDir, 'keyring.json'));
  const k = current.keyring;
  const expiredOn = Date.now() >= Date.parse(`${k.expires}T00:00:00Z`) + 86_400_000;
  if (expiredOn && !opts.allowExpired) {
    throw new CliError(`the keyring expired on ${k.expires}: renew it first (tipline keyring renew), then make the change`);
  }
  const version = k.version + 1;
  const result = await change(k, version);

  const rootFile = o.rootKey ?? join(adminDir, 'root-key.age');
  const rootData = await readSmallFile(rootFile, 'root key', 1 << 20);
  const passphrase = o.passphraseFile ? await readPassphraseFile(o.passphraseFile) : (await promptHidden([`Passphrase for the root key ${rootFile}: `]))[0]!;
  let rootSeed: Uint8Array;
  try {
    rootSeed = await org.openRootKey(rootData, passphrase);
  } catch (e) {
    if (e instanceof AgeError && e.kind === 'no-match') throw new CliError(`wrong passphrase for the root key ${quote(rootFile)}`);
    throw new CliError(`${quote(rootFile)} is not a tipline root key file`);
  }
  let envelope: SignedEnvelope;
  let next: Keyring;
  try {
    if (!bytes.equalBytes(primitives().ed25519PublicKey(rootSeed), current.signer)) {
      throw new CliError(`the root key in ${quote(rootFile)} did not sign ${quote(current.file)}: wrong root key`);
    }
    const issued = today();
    next = {
      version,
      issued,
      expires: new Date(Date.parse(`${issued}T00:00:00Z`) + validDays * 86_400_000).toISOString().slice(0, 10),
      coordinators: result.coordinators,
    };
    try {
      envelope = signKeyring(next, rootSeed);
    } catch (e) {
      if (e instanceof KeyringError) throw new CliError(`the new keyring would be invalid: ${e.detail}`);
      throw e;
    }
  } finally {
    bytes.wipe(rootSeed);
  }

  const text = JSON.stringify(envelope, null, 2) + '\n';
  const uploadFile = join(adminDir, `keyring-v${version}.json`);
  if (existsSync(uploadFile)) throw new CliError(`refusing to overwrite existing file ${quote(uploadFile)}`);
  const lines: string[] = [];
  let identityPath: string | undefined;
  if (result.newIdentity) {
    identityPath = join(adminDir, result.newIdentity.file);
    const pass = org.randomPassphrase();
    await writeNewSecretFile(identityPath, await org.sealCoordinator(result.newIdentity.secret, pass));
    bytes.wipe(result.newIdentity.secret.signingSeed);
    lines.push(`New identity file: ${identityPath}`, `  passphrase: ${pass}`, '  Give both to the coordinator in person; the passphrase is not stored anywhere.', '');
  }
  try {
    await writeNewSecretFile(uploadFile, text);
    const out = await openOutput(join(adminDir, 'keyring.json'), { mode: 0o600 });
    try {
      await out.write(new TextEncoder().encode(text));
      await out.commit();
    } catch (e) {
      await out.abort();
      throw e;
    }
  } catch (e) {
    // Leave nothing half done: without the keyring the new identity file means nothing.
    for (const f of [identityPath, uploadFile]) {
      try {
        if (f) unlinkSync(f);
      } catch {
        // not written
      }
    }
    throw e;
  }
  await printOut(
    [
      `${result.what}`,
      `Keyring version ${version} signed (issued ${next.issued}, expires ${next.expires}): ${uploadFile}`,
      `(${join(adminDir, 'keyring.json')} is now this keyring too.)`,
      '',
      ...lines,
      'Carry the file to a machine with network access and upload it:',
      `  tipline keyring upload keyring-v${version}.json --server https://YOUR-SERVER`,
      "or copy it into the server's data directory as keyring.json and restart tipline serve.",
      `tipline serve rebuilds the web client at its next start so that it refuses keyrings older than version ${version}.`,
      '',
    ].join('\n'),
  );
  return 0;
}

function findIndex(k: Keyring, id: string): number {
  const i = k.coordinators.findIndex((c) => c.id.toLowerCase() === id.toLowerCase());
  if (i < 0) throw new CliError(`no coordinator with id ${quote(id)} in the keyring (ids: ${k.coordinators.map((c) => c.id).join(', ')})`);
  return i;
}

function required(v: string | undefined, flag: string, cmd: string): string {
  if (v === undefined || v.trim() === '') throw new UsageError(`${flag} is required`, cmd);
  return v.trim();
}

async function show(argv: string[]): Promise<number> {
  const cmd = 'tipline keyring show';
  const { options } = parseArgs(
    argv,
    { adminDir: COMMON.adminDir, keyring: { names: ['--keyring'], kind: 'value' }, rootPublicKey: { names: ['--root-public-key'], kind: 'value' } },
    { command: cmd, usage: SHOW_USAGE },
  );
  const { bytes } = await import('../../crypto/index.js');
  const file = options.keyring ?? join(resolve(options.adminDir ?? '.'), 'keyring.json');
  const { keyring: k, signer } = await loadKeyring(file);
  let signature = `good, by ${bytes.base64Padded(signer)}`;
  if (options.rootPublicKey !== undefined) {
    const root = await readPublicKey(options.rootPublicKey);
    if (!root) throw new UsageError('--root-public-key must be base64 of a 32-byte key, or a file holding it', cmd);
    if (!bytes.equalBytes(root, signer)) throw new CliError(`${quote(file)} is not signed by that root key`);
    signature += ' (the given root key)';
  }
  const left = daysBetween(today(), k.expires);
  const lines = [
    `keyring ${file}`,
    `  version:   ${k.version}`,
    `  issued:    ${k.issued}`,
    `  expires:   ${k.expires} (${left < 0 ? `EXPIRED ${-left} days ago` : left === 0 ? 'today is the last day' : `in ${left} days`})`,
    `  signature: ${signature}`,
    `  coordinators (${k.coordinators.length}):`,
  ];
  for (const c of k.coordinators) {
    lines.push(`    ${c.id}  ${JSON.stringify(c.name)}  roles: ${c.roles.join(',')}`);
    lines.push(`      recipient:   ${c.recipient.slice(0, 24)}...${c.recipient.slice(-12)}`);
    lines.push(`      signing key: ${c.signingKey}`);
  }
  await printOut(lines.join('\n') + '\n');
  return 0;
}

/** A 32-byte public key given as base64 or as a file holding it; undefined when it is neither. */
async function readPublicKey(value: string): Promise<Uint8Array | undefined> {
  const decode = (s: string): Uint8Array | undefined => {
    const t = s.trim();
    const b = Buffer.from(t, 'base64');
    return b.length === 32 && b.toString('base64') === t ? new Uint8Array(b) : undefined;
  };
  const direct = decode(value);
  if (direct) return direct;
  if (!existsSync(value)) return undefined;
  return decode(new TextDecoder().decode(await readSmallFile(value, 'root public key', 4096)));
}

async function add(argv: string[]): Promise<number> {
  const cmd = 'tipline keyring add';
  const { options: o } = parseArgs(
    argv,
    {
      ...COMMON,
      id: { names: ['--id'], kind: 'value' },
      name: { names: ['--name'], kind: 'value' },
      roles: { names: ['--roles'], kind: 'value' },
      recipient: { names: ['--recipient'], kind: 'value' },
      signingKey: { names: ['--signing-key'], kind: 'value' },
    },
    { command: cmd, usage: ADD_USAGE },
  );
  const id = required(o.id, '--id', cmd);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) throw new UsageError('--id must be 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit', cmd);
  const displayName = required(o.name, '--name', cmd);
  const roles = await parseRoles(o.roles ?? 'reports,warnings,members', cmd);
  const keys = await givenKeys(o.recipient, o.signingKey, cmd);
  return changeKeyring(o, cmd, async (k) => {
    if (k.coordinators.some((c) => c.id.toLowerCase() === id.toLowerCase())) throw new CliError(`a coordinator with id ${quote(id)} is already in the keyring`);
    const org = await import('../../server/org.js');
    if (keys) {
      return { coordinators: [...k.coordinators, { id, name: displayName, ...keys, roles }], what: `Added ${id} (their own keys), roles ${roles.join(',')}.` };
    }
    const secret = org.newCoordinator(id, displayName);
    return {
      coordinators: [...k.coordinators, org.coordinatorEntry(secret, roles)],
      newIdentity: { file: `coordinator-${id}.age`, secret },
      what: `Added ${id}, roles ${roles.join(',')}.`,
    };
  });
}

async function remove(argv: string[]): Promise<number> {
  const cmd = 'tipline keyring remove';
  const { options: o } = parseArgs(argv, { ...COMMON, id: { names: ['--id'], kind: 'value' } }, { command: cmd, usage: REMOVE_USAGE });
  const id = required(o.id, '--id', cmd);
  return changeKeyring(o, cmd, async (k) => {
    const i = findIndex(k, id);
    if (k.coordinators.length === 1) throw new CliError('cannot remove the last coordinator: add another one first');
    return { coordinators: k.coordinators.filter((_, j) => j !== i), what: `Removed ${k.coordinators[i]!.id}.` };
  });
}

async function rotate(argv: string[]): Promise<number> {
  const cmd = 'tipline keyring rotate';
  const { options: o } = parseArgs(
    argv,
    { ...COMMON, id: { names: ['--id'], kind: 'value' }, recipient: { names: ['--recipient'], kind: 'value' }, signingKey: { names: ['--signing-key'], kind: 'value' } },
    { command: cmd, usage: ROTATE_USAGE },
  );
  const id = required(o.id, '--id', cmd);
  const keys = await givenKeys(o.recipient, o.signingKey, cmd);
  return changeKeyring(o, cmd, async (k, version) => {
    const i = findIndex(k, id);
    const old = k.coordinators[i]!;
    const org = await import('../../server/org.js');
    const coordinators = [...k.coordinators];
    if (keys) {
      if (keys.recipient === old.recipient || keys.signingKey === old.signingKey) throw new CliError('the new keys must differ from the current ones');
      coordinators[i] = { ...old, ...keys };
      return { coordinators, what: `Rotated ${old.id}'s keys (their own new keys).` };
    }
    const secret = org.newCoordinator(old.id, old.name);
    coordinators[i] = org.coordinatorEntry(secret, [...old.roles]);
    return {
      coordinators,
      newIdentity: { file: `coordinator-${old.id}-v${version}.age`, secret },
      what: `Rotated ${old.id}'s keys. They keep their old identity file for reports sent before the upload.`,
    };
  });
}

async function roles(argv: string[]): Promise<number> {
  const cmd = 'tipline keyring roles';
  const { options: o } = parseArgs(argv, { ...COMMON, id: { names: ['--id'], kind: 'value' }, roles: { names: ['--roles'], kind: 'value' } }, { command: cmd, usage: ROLES_USAGE });
  const id = required(o.id, '--id', cmd);
  const list = await parseRoles(required(o.roles, '--roles', cmd), cmd);
  return changeKeyring(o, cmd, async (k) => {
    const i = findIndex(k, id);
    const coordinators = [...k.coordinators];
    coordinators[i] = { ...coordinators[i]!, roles: list };
    return { coordinators, what: `${coordinators[i]!.id} now has roles ${list.join(',')}.` };
  });
}

async function renew(argv: string[]): Promise<number> {
  const cmd = 'tipline keyring renew';
  const { options: o } = parseArgs(argv, COMMON, { command: cmd, usage: RENEW_USAGE });
  return changeKeyring(o, cmd, async (k) => ({ coordinators: k.coordinators, what: `Renewed (was to expire on ${k.expires}).` }), { allowExpired: true });
}

async function upload(argv: string[]): Promise<number> {
  const cmd = 'tipline keyring upload';
  const { options, positionals } = parseArgs(argv, { server: { names: ['--server'], kind: 'value' } }, { command: cmd, usage: UPLOAD_USAGE, maxPositionals: 1 });
  const file = positionals[0];
  if (!file) throw new UsageError('the keyring file is required', cmd);
  const server = required(options.server, '--server', cmd).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(server)) throw new UsageError('--server must be http(s)://host[:port]', cmd);
  const { keyring } = await loadKeyring(file);
  const body = new TextDecoder().decode(await readSmallFile(file, 'keyring', 2 << 20));
  let res: Response;
  try {
    res = await fetch(`${server}/api/keyring`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
  } catch {
    throw new CliError(`cannot reach ${server}`);
  }
  let answer: { version?: unknown; error?: unknown } = {};
  try {
    answer = (await res.json()) as typeof answer;
  } catch {
    // not JSON: say the status
  }
  if (!res.ok) throw new CliError(`the server refused keyring version ${keyring.version}: ${typeof answer.error === 'string' ? answer.error.slice(0, 100) : `HTTP ${res.status}`}`);
  await printOut(`The server now holds keyring version ${String(answer.version)}.\n`);
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = { show, add, remove, rotate, roles, renew, upload };

export async function run(argv: string[]): Promise<number> {
  const { sub, rest } = pickSubcommand(argv, SUBCOMMANDS, 'tipline keyring', usage);
  return sub(rest);
}
