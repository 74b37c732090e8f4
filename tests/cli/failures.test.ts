/**
 * How `tipline` fails: a non-zero status, exactly one line on stderr, no stack trace,
 * and no output file (or temporary file) left behind. Plus help on every command.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScryptRecipient, encrypt } from '../../crypto/index.js';
import { lines, listDir, makeDir, removeDir, requireAge, run, runInPty, tipline, tiplineCommandLine } from './helpers.js';

requireAge();

let dir: string;
let key: string;
let recipient: string;
let otherKey: string;
/** 200 000 bytes encrypted by tipline: four payload chunks. */
let big: Buffer;
let bigFile: string;

function path(name: string): string {
  return join(dir, name);
}

/**
 * A failure: the status, one stderr line matching `message`, no stack trace, and the
 * working folder `cwd` (where outputs go) unchanged.
 */
async function expectFailure(cwd: string, args: string[], message: RegExp, code = 1, input?: Uint8Array): Promise<void> {
  const before = listDir(cwd);
  const r = await tipline(args, { cwd, input });
  expect(r.code, r.stderr).toBe(code);
  expect(lines(r.stderr), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^tipline: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(listDir(cwd)).toEqual(before);
}

let scratchCount = 0;
/** A folder of its own for one test (tests here run concurrently). */
function scratch(): { cwd: string; file: (name: string, bytes?: Uint8Array | string) => string } {
  const cwd = path(`t${++scratchCount}`);
  mkdirSync(cwd);
  return {
    cwd,
    file(name, bytes) {
      const p = join(cwd, name);
      if (bytes !== undefined) writeFileSync(p, bytes);
      return p;
    },
  };
}

beforeAll(async () => {
  dir = makeDir();
  key = path('key.txt');
  otherKey = path('other.txt');
  await run('age-keygen', ['-o', key]);
  await run('age-keygen', ['-o', otherKey]);
  recipient = (await run('age-keygen', ['-y', key])).stdout.toString().trim();
  big = Buffer.alloc(200_000, 7);
  bigFile = path('big.age');
  const r = await run('age', ['-r', recipient, '-o', bigFile], { input: big });
  if (r.code !== 0) throw new Error(r.stderr);
});

afterAll(() => removeDir(dir));

describe.concurrent('decryption failures leave nothing behind', () => {
  it('wrong identity', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', otherKey, '-o', 'out.bin', bigFile], /^tipline: no identity matched\n$/);
  });

  it('truncated in the header', async () => {
    const t = scratch();
    const f = t.file('trunc-header.age', readFileSync(bigFile).subarray(0, 60));
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', key, '-o', 'out.bin', f], /^tipline: invalid header \(truncated header\)\n$/);
  });

  it('truncated in the payload, after authenticated chunks went to the temporary file', async () => {
    const t = scratch();
    const data = readFileSync(bigFile);
    const f = t.file('trunc-payload.age', data.subarray(0, data.length - 1000));
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', key, '-o', 'out.bin', f], /^tipline: invalid payload/);
  });

  it('cut exactly after a full chunk (the final chunk is missing)', async () => {
    const t = scratch();
    const data = readFileSync(bigFile);
    const headerEnd = data.indexOf('\n---') + 1 + 48;
    const f = t.file('trunc-chunk.age', data.subarray(0, headerEnd + 16 + 2 * (65536 + 16)));
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', key, '-o', 'out.bin', f], /^tipline: invalid payload/);
  });

  it('a tampered payload byte keeps an existing output file as it was', async () => {
    const t = scratch();
    const data = Buffer.from(readFileSync(bigFile));
    data[data.length - 100]! ^= 0x01;
    const f = t.file('tampered.age', data);
    t.file('existing.bin', 'old contents');
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', key, '-o', 'existing.bin', f], /^tipline: invalid payload/);
    expect(readFileSync(join(t.cwd, 'existing.bin'), 'utf8')).toBe('old contents');
  });

  it('a tampered header MAC', async () => {
    const t = scratch();
    const data = Buffer.from(readFileSync(bigFile));
    const at = data.indexOf('\n--- ') + 10;
    data[at] = data[at] === 0x41 ? 0x42 : 0x41; // another base64 letter, still canonical
    const f = t.file('bad-mac.age', data);
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', key, '-o', 'out.bin', f], /^tipline: invalid header HMAC\n$/);
  });

  it('broken armor', async () => {
    const t = scratch();
    const r = await run('age', ['-a', '-r', recipient], { input: Buffer.from('hello') });
    const text = r.stdout.toString('latin1').replace(/\n([A-Za-z0-9+/]{10})/, '\n$1!');
    const f = t.file('broken.asc', Buffer.from(text, 'latin1'));
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', key, '-o', 'out.bin', f], /^tipline: invalid armor/);
  });

  it('not an age file, on standard input', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', key], /^tipline: invalid header \(not an age file\)\n$/, 1, Buffer.from('hello world, this is not age\n'));
  });

  it('a wrong passphrase', async () => {
    const t = scratch();
    const f = t.file('weak.age', await encrypt([new ScryptRecipient('right', 10)], Buffer.from('x')));
    const pass = t.file('wrong.pass', 'wrong\n');
    await expectFailure(t.cwd, ['age', 'decrypt', '--passphrase-file', pass, '-o', 'out.bin', f], /^tipline: incorrect passphrase\n$/);
  });

  it('a passphrase-encrypted identity file with the wrong passphrase (and then the right one)', async () => {
    const t = scratch();
    const f = t.file('key.age', await encrypt([new ScryptRecipient('right', 10)], readFileSync(key), { armor: true }));
    const wrong = t.file('wrong.pass', 'wrong\n');
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', f, '--passphrase-file', wrong, '-o', 'out.bin', bigFile], /^tipline: incorrect passphrase for identity file ".*key\.age"\n$/);
    const right = t.file('right.pass', 'right\n');
    const y = await tipline(['age', 'keygen', '-y', '--passphrase-file', right, f]);
    expect(y.code, y.stderr).toBe(0);
    expect(y.stdout.toString()).toBe(recipient + '\n');
  });

  it('a passphrase is needed but there is no terminal', async () => {
    const t = scratch();
    const f = t.file('weak.age', await encrypt([new ScryptRecipient('right', 10)], Buffer.from('x')));
    await expectFailure(t.cwd, ['age', 'decrypt', '-o', 'out.bin', f], /^tipline: no terminal to read the passphrase from/);
  });

  it('no identity given for a file that is not passphrase-encrypted', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['age', 'decrypt', '-o', 'out.bin', bigFile], /^tipline: the file is not passphrase-encrypted/);
  });

  it('an invalid identity file, without quoting its content', async () => {
    const t = scratch();
    const f = t.file('bad-key.txt', '# comment\nAGE-SECRET-KEY-1SECRETSECRETSECRET\n');
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', f, bigFile], /^tipline: invalid identity file ".*bad-key\.txt"\n$/);
  });
});

describe.concurrent('bad arguments and missing files', () => {
  it('an unknown option', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['age', 'encrypt', '--frobnicate', '-r', recipient], /^tipline: unknown option "--frobnicate"; see 'tipline age encrypt --help'\n$/, 2);
  });

  it('an option without its value', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['age', 'decrypt', '-i'], /^tipline: option -i needs a value; see 'tipline age decrypt --help'\n$/, 2);
  });

  it('too many arguments', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', key, 'a', 'b'], /^tipline: too many arguments; see 'tipline age decrypt --help'\n$/, 2);
  });

  it('an unknown command and an unknown subcommand', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['frobnicate'], /^tipline: unknown command "frobnicate"; see 'tipline --help'\n$/, 2);
    await expectFailure(t.cwd, ['age', 'frobnicate'], /^tipline: unknown command "frobnicate"; see 'tipline age --help'\n$/, 2);
  });

  it('a missing input file', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', key, '-o', 'out.bin', 'nope.age'], /^tipline: cannot open "nope\.age": no such file or directory\n$/);
  });

  it('a missing identity file', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['age', 'decrypt', '-i', 'nope.txt', bigFile], /^tipline: cannot read identity file "nope\.txt": no such file or directory\n$/);
  });

  it('an invalid recipient, and post-quantum mixed with classical recipients', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['age', 'encrypt', '-r', 'age1notarecipient', '-o', 'out.age', bigFile], /^tipline: option -r: invalid recipient "age1notarecipient"\n$/);
    const pq = join(dir, `pq-${t.cwd.slice(-3)}.txt`);
    expect((await tipline(['age', 'keygen', '--pq', '-o', pq])).code).toBe(0);
    const pqRecipient = readFileSync(pq, 'utf8').match(/age1pq1[0-9a-z]+/)![0];
    await expectFailure(t.cwd, ['age', 'encrypt', '-r', pqRecipient, '-r', recipient, '-o', 'mixed.age', bigFile], /^tipline: cannot mix post-quantum/);
  });

  it('-p together with -r', async () => {
    const t = scratch();
    await expectFailure(t.cwd, ['age', 'encrypt', '-p', '-r', recipient, '-o', 'out.age', bigFile], /^tipline: -p cannot be combined with -r or -R; see/, 2);
  });

  it('keygen never overwrites an existing file', async () => {
    const t = scratch();
    const existing = t.file('key.txt', 'precious\n');
    await expectFailure(t.cwd, ['age', 'keygen', '-o', existing], /^tipline: refusing to overwrite existing file ".*key\.txt"\n$/);
    expect(readFileSync(existing, 'utf8')).toBe('precious\n');
  });

  it('encrypt refuses to write binary to a terminal, but writes armor there', async () => {
    const t = scratch();
    const bin = await runInPty(tiplineCommandLine(['age', 'encrypt', '-r', recipient, key]), /$^/, [], t.cwd);
    expect(bin.code).toBe(1);
    expect(bin.output).toMatch(/^tipline: refusing to write binary ciphertext to a terminal; use -a or -o\r?\n$/);
    const armored = await runInPty(tiplineCommandLine(['age', 'encrypt', '-a', '-r', recipient, key]), /$^/, [], t.cwd);
    expect(armored.code).toBe(0);
    expect(armored.output).toContain('-----BEGIN AGE ENCRYPTED FILE-----');
  });
});

describe.concurrent('help', () => {
  const cases: [string[], RegExp][] = [
    [['--help'], /^Usage: tipline <command>[\s\S]*\n {2}age {3,}encrypt, decrypt/],
    [['help', 'age'], /^Usage: tipline age <command>/],
    [['age', '--help'], /^Usage: tipline age <command>/],
    [['age', 'keygen', '--help'], /^Usage:\n {2}tipline age keygen \[--pq\]/],
    [['age', 'encrypt', '-h'], /^Usage:\n {2}tipline age encrypt \(-r RECIPIENT/],
    [['age', 'decrypt', '--help'], /^Usage:\n {2}tipline age decrypt \[-i PATH\]/],
    [['help', 'age', 'decrypt'], /^Usage:\n {2}tipline age decrypt/],
  ];
  for (const [args, pattern] of cases) {
    it(`tipline ${args.join(' ')}`, async () => {
      const r = await tipline(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.toString()).toMatch(pattern);
    });
  }

  it('--help wins over other arguments, even bad ones', async () => {
    const r = await tipline(['age', 'encrypt', '--frobnicate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^Usage:\n {2}tipline age encrypt/);
  });

  it('commands that other parts of the project add later say so clearly', async () => {
    for (const name of ['serve', 'init']) {
      const present = existsSync(join(import.meta.dirname, `../../scripts/commands/${name}.ts`));
      const r = await tipline([name, '--help']);
      if (present) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout.toString()).toMatch(/Usage/);
      } else {
        expect(r.code).toBe(2);
        expect(lines(r.stderr)).toEqual([`tipline: the "${name}" command is not available yet`]);
      }
    }
  });
});
