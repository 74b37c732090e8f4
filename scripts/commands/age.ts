/**
 * `tipline age`: age v1 encryption from the command line, compatible with the
 * age and age-keygen tools (files, keys and options), built on crypto/.
 * Files are streamed: several-GiB inputs never sit whole in memory.
 */
import {
  AgeError,
  HybridIdentity,
  ScryptIdentity,
  ScryptRecipient,
  X25519Identity,
  decrypt,
  decryptStream,
  encryptStream,
  formatIdentityFile,
  inspect,
  isArmored,
  parseIdentityFile,
  parseRecipient,
  type AnyIdentity,
  type Identity,
  type Recipient,
  type Stanza,
} from '../../crypto/index.js';
import {
  CliError,
  UsageError,
  fromReadableStream,
  isStdio,
  openInput,
  openOutput,
  parseArgs,
  pickSubcommand,
  printErr,
  printOut,
  promptHidden,
  quote,
  readPassphraseFile,
  readSmallFile,
  stdoutIsWorldReadableFile,
  toReadableStream,
  writeNewSecretFile,
  type Sink,
} from '../cli-util.js';

export const name = 'age';
export const summary = 'encrypt, decrypt and make keys in the age format (like age and age-keygen)';

export const usage = `Usage: tipline age <command> [options]

age v1 encryption (age-encryption.org/v1), interchangeable with the age and
age-keygen tools: files and keys made by one work with the other.

Commands:
  keygen    make an identity (like age-keygen), or list an identity file's recipients (-y)
  encrypt   encrypt to recipients or with a passphrase (like age -e)
  decrypt   decrypt with identity files or a passphrase (like age -d)

Run 'tipline age <command> --help' for a command's options.
`;

const KEYGEN_USAGE = `Usage:
  tipline age keygen [--pq] [-o OUTPUT]
  tipline age keygen -y [--passphrase-file PATH] [-o OUTPUT] [INPUT]

Make a new identity in age-keygen's format: "# created: DATE", "# public key: age1...",
then the secret key "AGE-SECRET-KEY-1...". When the output is not a terminal,
"Public key: age1..." is also printed to standard error.

Options:
  --pq                     Make a post-quantum hybrid identity (ML-KEM-768 + X25519):
                           "AGE-SECRET-KEY-PQ-1..." with recipient "age1pq1...".
                           (age 1.1 does not know this type; age 1.3 and later do.)
  -o, --output OUTPUT      Write to the new file OUTPUT, created with mode 0600.
                           An existing file is never overwritten.
  -y                       Read the identity file INPUT (default: standard input) and
                           print the recipient of each identity, one per line.
  --passphrase-file PATH   With -y, the passphrase of an encrypted identity file
                           (the file's first line); otherwise it is asked for on the terminal.
  -h, --help               Show this help.
`;

const ENCRYPT_USAGE = `Usage:
  tipline age encrypt (-r RECIPIENT | -R PATH)... [-a] [-o OUTPUT] [INPUT]
  tipline age encrypt -p [--passphrase-file PATH] [-a] [-o OUTPUT] [INPUT]

Encrypt INPUT (default: standard input) to OUTPUT (default: standard output).

Options:
  -r, --recipient RECIPIENT     Encrypt to RECIPIENT ("age1..." or post-quantum "age1pq1...").
                                Can be repeated. Post-quantum and classical recipients
                                cannot be mixed in one file.
  -R, --recipients-file PATH    Encrypt to the recipients listed in PATH, one per line;
                                empty lines and lines starting with "#" are ignored.
                                Can be repeated.
  -p, --passphrase              Encrypt with a passphrase (scrypt), asked for twice on the
                                terminal without echo.
  --passphrase-file PATH        Take the passphrase from the first line of PATH instead
                                (implies -p).
  -a, --armor                   Write ASCII armor (PEM, "-----BEGIN AGE ENCRYPTED FILE-----").
  -o, --output OUTPUT           Write to OUTPUT. It is written to a temporary file beside it
                                and renamed into place only on success; an existing
                                OUTPUT is replaced.
  -h, --help                    Show this help.

Binary output is not written to a terminal: use -a or -o.
`;

const DECRYPT_USAGE = `Usage:
  tipline age decrypt [-i PATH]... [--passphrase-file PATH] [-o OUTPUT] [INPUT]

Decrypt INPUT (default: standard input; binary or ASCII-armored) to OUTPUT
(default: standard output).

Options:
  -i, --identity PATH         Use the identity file PATH ("AGE-SECRET-KEY-1..." or
                              "AGE-SECRET-KEY-PQ-1..." lines, "#" comments). It may itself
                              be a passphrase-encrypted age file (binary or armored), unlocked
                              with the passphrase. Can be repeated. "-" reads standard input.
  --passphrase-file PATH      The passphrase for a passphrase-encrypted INPUT or identity
                              file (the file's first line). Without it, the passphrase is
                              asked for on the terminal when needed.
  -o, --output OUTPUT         Write to OUTPUT, created with mode 0600. It is written to a
                              temporary file beside it and renamed into place only when the
                              whole file has been authenticated; on any failure nothing is left.
  -h, --help                  Show this help.

Without -o the plaintext is streamed to standard output one authenticated 64 KiB chunk
at a time, so if the file turns out to be truncated or damaged further on, the chunks
before the damage have already been written (age does the same). Check the exit status;
use -o when a partial result must never be seen.
`;

// ---------------------------------------------------------------------------
// Armor, streamed

const BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const END = '-----END AGE ENCRYPTED FILE-----';
const FULL_LINE = /^[A-Za-z0-9+/]{64}$/;
const FULL_LINES = /^(?:[A-Za-z0-9+/]{64}\r?\n)+/;
const LAST_LINE = /^[A-Za-z0-9+/]{1,64}={0,2}$/;
/** Longest armor line we accept before giving up (64 columns plus slack for whitespace). */
const MAX_ARMOR_LINE = 4096;

function ascii(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** Encode a binary stream as ASCII armor, 64 columns, LF line endings (the same bytes as crypto's armor()). */
export async function* armorStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield ascii(BEGIN + '\n');
  let rest: Uint8Array = new Uint8Array(0);
  for await (const chunk of source) {
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const full = data.length - (data.length % 48);
    if (full > 0) {
      const b64 = Buffer.from(data.buffer, data.byteOffset, full).toString('base64');
      let out = '';
      for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n';
      yield ascii(out);
    }
    rest = data.slice(full);
  }
  const tail = rest.length > 0 ? Buffer.from(rest).toString('base64') + '\n' : '';
  yield ascii(tail + END + '\n');
}

/**
 * Decode streamed ASCII armor as strictly as crypto's dearmor(): optional whitespace,
 * the BEGIN line, full 64-column lines, one shorter padded last line, the END line,
 * optional whitespace; LF or CRLF; canonical base64.
 * @throws AgeError('armor')
 */
export async function* dearmorStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  type State = 'before' | 'body' | 'end' | 'after';
  let state = 'before' as State;
  let partial: Buffer = Buffer.alloc(0);
  const bad = (detail: string) => new AgeError('armor', detail);

  function line(raw: Buffer): Uint8Array | undefined {
    let text = raw.toString('latin1');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (state === 'body' && FULL_LINE.test(text)) return Buffer.from(text, 'base64');
    if (/[^\x20-\x7e\t\r]/.test(text)) throw bad('invalid character');
    switch (state) {
      case 'before': {
        const t = text.replace(/^[ \t\r]+/, '');
        if (t === '') return undefined;
        if (t !== BEGIN) throw bad('missing armor boundaries');
        state = 'body';
        return undefined;
      }
      case 'body':
      case 'end': {
        if (text.replace(/[ \t\r]+$/, '') === END) {
          state = 'after';
          return undefined;
        }
        if (state === 'end') throw bad('bad armor line');
        if (FULL_LINE.test(text)) return Buffer.from(text, 'base64');
        if (!LAST_LINE.test(text) || text.length % 4 !== 0) throw bad('bad armor line');
        state = 'end';
        const body = text.replace(/=+$/, '');
        const bytes = Buffer.from(body, 'base64');
        // Canonical: re-encoding gives back the same text (no stray bits, exact padding).
        if (bytes.toString('base64') !== text) throw bad('armor base64 not canonical');
        return bytes;
      }
      case 'after':
        if (text.replace(/[ \t\r]+/g, '') !== '') throw bad('data after armor');
        return undefined;
    }
  }

  for await (const input of source) {
    // Bounded pieces keep the line regular expressions below on small strings.
    for (let piece = 0; piece < input.length; piece += 64 * 1024) {
      yield* decodePiece(input.subarray(piece, piece + 64 * 1024));
    }
  }
  if (partial.length > 0) {
    const decoded = line(partial);
    if (decoded) yield decoded;
  }
  if (state !== 'after') throw bad('missing armor boundaries');

  function* decodePiece(chunk: Uint8Array): Generator<Uint8Array> {
    const data = partial.length > 0 ? Buffer.concat([partial, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const out: Uint8Array[] = [];
    let start = 0;
    if (state === 'body') {
      // Fast path: a run of full 64-column lines decodes in one go.
      const lastNl = data.lastIndexOf(0x0a);
      if (lastNl > 0) {
        const text = data.toString('latin1', 0, lastNl + 1);
        const m = FULL_LINES.exec(text);
        if (m) {
          out.push(Buffer.from(m[0].replace(/\r?\n/g, ''), 'base64'));
          start = m[0].length;
        }
      }
    }
    for (;;) {
      const nl = data.indexOf(0x0a, start);
      if (nl < 0) break;
      const decoded = line(data.subarray(start, nl));
      if (decoded) out.push(decoded);
      start = nl + 1;
    }
    partial = Buffer.from(data.subarray(start)); // a copy: the source may reuse its buffer
    if (partial.length > MAX_ARMOR_LINE) throw bad('armor line too long');
    if (out.length > 0) yield Buffer.concat(out);
  }
}

/**
 * Look at the start of a stream to tell armored from binary input, then hand back
 * a stream that still yields every byte.
 */
async function sniffArmor(source: AsyncIterable<Uint8Array>): Promise<{ armored: boolean; stream: AsyncIterable<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  let ended = false;
  const enough = () => {
    const buf = Buffer.concat(head);
    let i = 0;
    while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
    return i < buf.length && buf.length - i >= BEGIN.length;
  };
  while (!enough() && headLength < 1 << 20) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headLength += r.value.length;
  }
  const first = Buffer.concat(head);
  const armored = isArmored(first);
  async function* stream(): AsyncGenerator<Uint8Array> {
    try {
      if (first.length > 0) yield first;
      if (ended) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { armored, stream: stream() };
}

// ---------------------------------------------------------------------------
// Keys

/** True for an age file (binary header or armor), which as an identity file means passphrase-encrypted. */
function looksLikeAgeFile(data: Uint8Array): boolean {
  const text = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 4096)).toString('latin1');
  return text.startsWith('age-encryption.org/') || text.replace(/^[ \t\r\n]+/, '').startsWith(BEGIN);
}

function decodeUtf8(data: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new CliError(`${what} is not UTF-8 text`);
  }
}

/** Asks for passphrases: from --passphrase-file when given, else on the terminal. */
export class PassphraseSource {
  private fromFile: Promise<string> | undefined;
  constructor(private readonly file: string | undefined) {}

  async get(prompt: string): Promise<string> {
    if (this.file !== undefined) {
      this.fromFile ??= readPassphraseFile(this.file);
      return this.fromFile;
    }
    const [p] = await promptHidden([prompt]);
    if (!p) throw new CliError('empty passphrase');
    return p;
  }
}

/**
 * Read an identity file: plain (age-keygen format) or a passphrase-encrypted age file.
 * @throws CliError for unreadable, malformed or wrongly unlocked files (the message never quotes the content)
 */
export async function loadIdentityFile(path: string, passphrases: PassphraseSource): Promise<AnyIdentity[]> {
  const data = await readSmallFile(path, 'identity file');
  const label = path === '-' ? 'identity file on standard input' : `identity file ${quote(path)}`;
  let plain: Uint8Array = data;
  try {
    if (looksLikeAgeFile(data)) {
      let stanzas: Stanza[];
      try {
        stanzas = inspect(data).stanzas;
      } catch (e) {
        if (e instanceof AgeError) throw new CliError(`${label}: ${e.message}`);
        throw e;
      }
      if (!stanzas.some((s) => s.args[0] === 'scrypt')) throw new CliError(`${label} is encrypted, but not with a passphrase`);
      const passphrase = await passphrases.get(`Enter passphrase for ${label}: `);
      try {
        plain = await decrypt([new ScryptIdentity(passphrase)], data);
      } catch (e) {
        if (e instanceof AgeError && e.kind === 'no-match') throw new CliError(`incorrect passphrase for ${label}`);
        if (e instanceof AgeError) throw new CliError(`${label}: ${e.message}`);
        throw e;
      }
    }
    const text = decodeUtf8(plain, label);
    if (/PRIVATE KEY-----|^ssh-/m.test(text)) throw new CliError(`${label}: SSH keys are not supported`);
    try {
      return parseIdentityFile(text);
    } catch {
      throw new CliError(`invalid ${label}`);
    }
  } finally {
    data.fill(0);
    plain.fill(0);
  }
}

/** Parse one recipient given on the command line. @throws CliError naming `where` */
export function parseRecipientArg(s: string, where: string): Recipient {
  if (s.startsWith('ssh-')) throw new CliError(`${where}: SSH recipients are not supported`);
  try {
    return parseRecipient(s);
  } catch {
    throw new CliError(`${where}: invalid recipient ${quote(s.length > 120 ? s.slice(0, 120) + '...' : s)}`);
  }
}

/** Read a recipients file (one per line, # comments). @throws CliError */
export async function loadRecipientsFile(path: string): Promise<Recipient[]> {
  const label = path === '-' ? 'recipients file on standard input' : `recipients file ${quote(path)}`;
  const text = decodeUtf8(await readSmallFile(path, 'recipients file'), label);
  const out: Recipient[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    out.push(parseRecipientArg(line, `${label}, line ${i + 1}`));
  });
  if (out.length === 0) throw new CliError(`${label} lists no recipients`);
  return out;
}

/**
 * The passphrase as an identity, asked for only when the file turns out to be
 * passphrase-encrypted (its header has an scrypt stanza).
 */
class PassphraseIdentity implements Identity {
  wrongPassphrase = false;
  constructor(private readonly passphrases: PassphraseSource) {}

  async unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array | undefined> {
    if (!stanzas.some((s) => s.args[0] === 'scrypt')) return undefined;
    const passphrase = await this.passphrases.get('Enter passphrase: ');
    const key = await new ScryptIdentity(passphrase).unwrap(stanzas);
    if (!key) this.wrongPassphrase = true;
    return key;
  }
}

// ---------------------------------------------------------------------------
// Streaming

/** Copy a stream into a sink; commit on success, abort (delete the temporary file) on any failure. */
async function drain(source: AsyncIterable<Uint8Array>, sink: Sink): Promise<void> {
  try {
    for await (const chunk of source) await sink.write(chunk);
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Subcommands

async function keygen(argv: string[]): Promise<number> {
  const command = 'tipline age keygen';
  const { options, positionals } = parseArgs(
    argv,
    {
      pq: { names: ['--pq'] },
      output: { names: ['-o', '--output'], kind: 'value' },
      convert: { names: ['-y'] },
      passphraseFile: { names: ['--passphrase-file'], kind: 'value' },
    },
    { command, usage: KEYGEN_USAGE, maxPositionals: 1 },
  );
  const output = options.output === '-' ? undefined : options.output;

  if (options.convert) {
    if (options.pq) throw new UsageError('-y cannot be combined with --pq', command);
    const ids = await loadIdentityFile(positionals[0] ?? '-', new PassphraseSource(options.passphraseFile));
    const text = ids.map((id) => id.recipient().toString() + '\n').join('');
    if (output === undefined) await printOut(text);
    else await writeNewSecretFile(output, text);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${quote(positionals[0]!)}`, command);
  if (options.passphraseFile !== undefined) throw new UsageError('--passphrase-file is only used with -y', command);

  const identity: AnyIdentity = options.pq ? HybridIdentity.generate() : X25519Identity.generate();
  const text = formatIdentityFile(identity);
  const publicKey = identity.recipient().toString();
  if (output !== undefined) {
    await writeNewSecretFile(output, text);
    printErr(`Public key: ${publicKey}`);
  } else {
    if (!process.stdout.isTTY) {
      if (stdoutIsWorldReadableFile()) printErr('tipline: warning: writing a secret key to a world-readable file');
      printErr(`Public key: ${publicKey}`);
    }
    await printOut(text);
  }
  return 0;
}

async function encryptCommand(argv: string[]): Promise<number> {
  const command = 'tipline age encrypt';
  const { options, positionals } = parseArgs(
    argv,
    {
      recipient: { names: ['-r', '--recipient'], kind: 'list' },
      recipientsFile: { names: ['-R', '--recipients-file'], kind: 'list' },
      passphrase: { names: ['-p', '--passphrase'] },
      passphraseFile: { names: ['--passphrase-file'], kind: 'value' },
      armor: { names: ['-a', '--armor'] },
      output: { names: ['-o', '--output'], kind: 'value' },
    },
    { command, usage: ENCRYPT_USAGE, maxPositionals: 1 },
  );
  const input = positionals[0];
  const usePassphrase = options.passphrase || options.passphraseFile !== undefined;
  const hasRecipients = options.recipient.length > 0 || options.recipientsFile.length > 0;
  if (usePassphrase && hasRecipients) throw new UsageError('-p cannot be combined with -r or -R', command);
  if (!usePassphrase && !hasRecipients) throw new UsageError('missing recipients: use -r, -R or -p', command);
  const stdinUsers = options.recipientsFile.filter((p) => p === '-').length + (isStdio(input) ? 1 : 0) + (options.passphraseFile === '-' ? 1 : 0);
  if (stdinUsers > 1) throw new UsageError('standard input can be used only once', command);
  if (isStdio(options.output) && !options.armor && process.stdout.isTTY) {
    throw new CliError('refusing to write binary ciphertext to a terminal; use -a or -o');
  }

  const recipients: Recipient[] = [];
  if (usePassphrase) {
    let passphrase: string;
    if (options.passphraseFile !== undefined) passphrase = await readPassphraseFile(options.passphraseFile);
    else {
      const [a, b] = await promptHidden(['Enter passphrase: ', 'Confirm passphrase: ']);
      if (!a) throw new CliError('empty passphrase');
      if (a !== b) throw new CliError("passphrases didn't match");
      passphrase = a;
    }
    recipients.push(new ScryptRecipient(passphrase));
  } else {
    for (const r of options.recipient) recipients.push(parseRecipientArg(r, 'option -r'));
    for (const f of options.recipientsFile) recipients.push(...(await loadRecipientsFile(f)));
    const pq = recipients.filter((r) => r.postQuantum).length;
    if (pq > 0 && pq < recipients.length) throw new CliError('cannot mix post-quantum (age1pq1) and classical recipients');
  }

  const source = await openInput(input);
  const sink = await openOutput(options.output, { mode: 0o666 });
  const ciphertext = fromReadableStream(toReadableStream(source).pipeThrough(encryptStream(recipients)));
  await drain(options.armor ? armorStream(ciphertext) : ciphertext, sink);
  return 0;
}

async function decryptCommand(argv: string[]): Promise<number> {
  const command = 'tipline age decrypt';
  const { options, positionals } = parseArgs(
    argv,
    {
      identity: { names: ['-i', '--identity'], kind: 'list' },
      passphraseFile: { names: ['--passphrase-file'], kind: 'value' },
      output: { names: ['-o', '--output'], kind: 'value' },
    },
    { command, usage: DECRYPT_USAGE, maxPositionals: 1 },
  );
  const input = positionals[0];
  const stdinUsers = options.identity.filter((p) => p === '-').length + (isStdio(input) ? 1 : 0) + (options.passphraseFile === '-' ? 1 : 0);
  if (stdinUsers > 1) throw new UsageError('standard input can be used only once', command);

  const passphrases = new PassphraseSource(options.passphraseFile);
  const identities: Identity[] = [];
  for (const path of options.identity) identities.push(...(await loadIdentityFile(path, passphrases)));
  const byPassphrase = new PassphraseIdentity(passphrases);

  const source = await openInput(input);
  const sink = await openOutput(options.output, { mode: 0o600 });
  try {
    const { armored, stream } = await sniffArmor(source);
    const binary = armored ? dearmorStream(stream) : stream;
    const plaintext = fromReadableStream(toReadableStream(binary).pipeThrough(decryptStream([...identities, byPassphrase])));
    await drain(plaintext, sink);
  } catch (e) {
    await sink.abort();
    if (e instanceof AgeError && e.kind === 'no-match') {
      if (byPassphrase.wrongPassphrase) throw new CliError('incorrect passphrase');
      if (identities.length === 0) throw new CliError('the file is not passphrase-encrypted: give an identity file with -i');
    }
    throw e;
  }
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  keygen,
  encrypt: encryptCommand,
  decrypt: decryptCommand,
};

export async function run(argv: string[]): Promise<number> {
  const { sub, rest } = pickSubcommand(argv, SUBCOMMANDS, 'tipline age', usage);
  return sub(rest);
}
