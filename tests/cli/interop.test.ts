/**
 * `tipline age` against the reference age 1.1 (Debian's age and age-keygen), both ways:
 * files, keys, armor, several recipients, passphrases and passphrase-protected
 * identity files. Every run goes through `node bin/tipline.js`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines, listDir, makeDir, removeDir, requireAge, run, runInPty, sha256, shQuote, tipline, tiplineCommandLine } from './helpers.js';

const AGE_VERSION = requireAge();

let dir: string;
/** Made by age-keygen. */
let ageKey: string;
let ageRecipient: string;
/** Made by tipline age keygen. */
let ourKey: string;
let ourRecipient: string;

async function ok(p: Promise<{ code: number | null; stderr: string }>): Promise<void> {
  const r = await p;
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
}

function path(name: string): string {
  return join(dir, name);
}

function plaintext(name: string, size: number): Buffer {
  const data = randomBytes(size);
  writeFileSync(path(name), data);
  return data;
}

beforeAll(async () => {
  dir = makeDir();
  ageKey = path('age-key.txt');
  await ok(run('age-keygen', ['-o', ageKey]));
  ageRecipient = (await run('age-keygen', ['-y', ageKey])).stdout.toString().trim();
  ourKey = path('our-key.txt');
  await ok(tipline(['age', 'keygen', '-o', ourKey]));
  ourRecipient = (await run('age-keygen', ['-y', ourKey])).stdout.toString().trim();
});

afterAll(() => removeDir(dir));

describe(`keys (reference: age ${AGE_VERSION})`, () => {
  it('keygen writes age-keygen format with mode 0600 and reports the public key on stderr', async () => {
    const out = path('new-key.txt');
    const r = await tipline(['age', 'keygen', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(0);
    const text = readFileSync(out, 'utf8');
    const m = /^# created: \d{4}-\d{2}-\d{2}\n# public key: (age1[0-9a-z]{58})\n(AGE-SECRET-KEY-1[0-9A-Z]{58})\n$/.exec(text);
    expect(m).not.toBeNull();
    expect(statSync(out).mode & 0o777).toBe(0o600);
    // age-keygen derives the same public key from our secret key.
    const ref = (await run('age-keygen', ['-y', out])).stdout.toString().trim();
    expect(ref).toBe(m![1]);
    expect(lines(r.stderr)).toEqual([`Public key: ${ref}`]);
  });

  it('keygen to standard output prints the identity there', async () => {
    const r = await tipline(['age', 'keygen']);
    expect(r.code).toBe(0);
    const text = r.stdout.toString();
    expect(text).toMatch(/^# created: .*\n# public key: age1.*\nAGE-SECRET-KEY-1[0-9A-Z]{58}\n$/);
    // Not a terminal: the public key also goes to stderr, as age-keygen does.
    expect(r.stderr).toMatch(/^Public key: age1[0-9a-z]{58}\n$/);
  });

  it('keygen -y gives the same recipients as age-keygen -y', async () => {
    const both = path('two-keys.txt');
    writeFileSync(both, readFileSync(ageKey, 'utf8') + '\n# another\n' + readFileSync(ourKey, 'utf8'));
    const r = await tipline(['age', 'keygen', '-y', both]);
    expect(r.code).toBe(0);
    const ref = await run('age-keygen', ['-y', both]);
    expect(r.stdout.toString()).toBe(ref.stdout.toString());
    expect(r.stdout.toString()).toBe(`${ageRecipient}\n${ourRecipient}\n`);
  });

  it('post-quantum keys round-trip through tipline (age 1.1 has no post-quantum support)', async () => {
    const key = path('pq-key.txt');
    const gen = await tipline(['age', 'keygen', '--pq', '-o', key]);
    expect(gen.code).toBe(0);
    const text = readFileSync(key, 'utf8');
    const m = /^# created: \d{4}-\d{2}-\d{2}\n# public key: (age1pq1[0-9a-z]+)\n(AGE-SECRET-KEY-PQ-1[0-9A-Z]+)\n$/.exec(text);
    expect(m).not.toBeNull();
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(lines(gen.stderr)).toEqual([`Public key: ${m![1]}`]);
    const y = await tipline(['age', 'keygen', '-y', key]);
    expect(y.stdout.toString()).toBe(`${m![1]}\n`);

    const data = plaintext('pq.bin', 70_000);
    const recipients = path('pq-recipients.txt');
    writeFileSync(recipients, `# coordinators\n${m![1]}\n`);
    await ok(tipline(['age', 'encrypt', '-R', recipients, '-a', '-o', path('pq.age'), path('pq.bin')]));
    const armored = readFileSync(path('pq.age'), 'utf8');
    expect(armored.startsWith('-----BEGIN AGE ENCRYPTED FILE-----\n')).toBe(true);
    expect(Buffer.from(armored.split('\n').slice(1, 3).join(''), 'base64').toString('latin1')).toContain('-> mlkem768x25519 ');
    const dec = await tipline(['age', 'decrypt', '-i', key, path('pq.age')]);
    expect(dec.code).toBe(0);
    expect(sha256(dec.stdout)).toBe(sha256(data));
  });
});

const SIZES = [0, 1, 65535, 65536, 65537, 5 * 1024 * 1024];

describe.concurrent('files, both ways', () => {
  for (const size of SIZES) {
    it(`${size} bytes: age -r and age -a files decrypt with tipline`, async ({ expect }) => {
      const data = plaintext(`in-age-${size}.bin`, size);
      await ok(run('age', ['-r', ourRecipient, '-o', path(`age-${size}.age`), path(`in-age-${size}.bin`)]));
      await ok(run('age', ['-a', '-r', ourRecipient, '-o', path(`age-${size}.asc`), path(`in-age-${size}.bin`)]));

      // Binary from a file to a file.
      const out = path(`age-${size}.out`);
      const r1 = await tipline(['age', 'decrypt', '-i', ourKey, '-o', out, path(`age-${size}.age`)]);
      expect(r1.code, r1.stderr).toBe(0);
      expect(r1.stderr).toBe('');
      expect(sha256(readFileSync(out))).toBe(sha256(data));
      expect(statSync(out).mode & 0o777).toBe(0o600);

      // Armored from standard input to standard output.
      const r2 = await tipline(['age', 'decrypt', '-i', ourKey], { input: readFileSync(path(`age-${size}.asc`)) });
      expect(r2.code, r2.stderr).toBe(0);
      expect(sha256(r2.stdout)).toBe(sha256(data));
    });

    it(`${size} bytes: tipline files (binary and -a) decrypt with age -d`, async ({ expect }) => {
      const data = plaintext(`in-our-${size}.bin`, size);
      const bin = path(`our-${size}.age`);
      const r1 = await tipline(['age', 'encrypt', '-r', ageRecipient, '-o', bin, path(`in-our-${size}.bin`)]);
      expect(r1.code, r1.stderr).toBe(0);
      expect(r1.stderr).toBe('');
      const r2 = await tipline(['age', 'encrypt', '-a', '-r', ageRecipient], { input: data });
      expect(r2.code, r2.stderr).toBe(0);
      const armorLines = r2.stdout.toString('latin1').split('\n');
      expect(armorLines[0]).toBe('-----BEGIN AGE ENCRYPTED FILE-----');
      expect(armorLines.slice(-2)).toEqual(['-----END AGE ENCRYPTED FILE-----', '']);
      const body = armorLines.slice(1, -2);
      expect(body.slice(0, -1).every((l) => /^[A-Za-z0-9+/]{64}$/.test(l))).toBe(true);
      expect(body.at(-1)).toMatch(/^[A-Za-z0-9+/]{1,64}={0,2}$/);

      const d1 = await run('age', ['-d', '-i', ageKey, bin]);
      expect(d1.code, d1.stderr).toBe(0);
      expect(sha256(d1.stdout)).toBe(sha256(data));
      const d2 = await run('age', ['-d', '-i', ageKey], { input: r2.stdout });
      expect(d2.code, d2.stderr).toBe(0);
      expect(sha256(d2.stdout)).toBe(sha256(data));
      // The binary file is exactly as long as age's own: header, nonce, 64 KiB chunks with tags.
      const chunks = Math.max(1, Math.ceil(size / 65536));
      const header = readFileSync(bin).indexOf('\n---') + 1 + 48; // "--- " + 43 base64 + LF
      expect(statSync(bin).size).toBe(header + 16 + size + 16 * chunks);
    });
  }
});

describe.concurrent('several recipients', () => {
  it('tipline encrypts to -r and -R recipients; age decrypts with each key', async ({ expect }) => {
    const k3 = path('k3.txt');
    await ok(run('age-keygen', ['-o', k3]));
    const r3 = (await run('age-keygen', ['-y', k3])).stdout.toString().trim();
    const list = path('recipients.txt');
    writeFileSync(list, `# team\n\n${ourRecipient}\r\n  ${r3}  \n`);
    const data = plaintext('multi.bin', 100_000);
    const r = await tipline(['age', 'encrypt', '-r', ageRecipient, '-R', list, '-o', path('multi.age'), path('multi.bin')]);
    expect(r.code, r.stderr).toBe(0);
    const header = readFileSync(path('multi.age')).toString('latin1');
    expect(header.match(/\n-> X25519 /g)?.length).toBe(3);
    for (const key of [ageKey, ourKey, k3]) {
      const d = await run('age', ['-d', '-i', key, path('multi.age')]);
      expect(d.code, d.stderr).toBe(0);
      expect(sha256(d.stdout)).toBe(sha256(data));
    }
  });

  it('tipline decrypts an age file to several recipients with any of several identity files', async ({ expect }) => {
    const k4 = path('k4.txt');
    await ok(run('age-keygen', ['-o', k4]));
    const data = plaintext('multi2.bin', 1000);
    await ok(run('age', ['-r', ageRecipient, '-r', ourRecipient, '-o', path('multi2.age'), path('multi2.bin')]));
    // k4 matches nothing; ourKey matches the second stanza.
    const r = await tipline(['age', 'decrypt', '-i', k4, '-i', ourKey, path('multi2.age')]);
    expect(r.code, r.stderr).toBe(0);
    expect(sha256(r.stdout)).toBe(sha256(data));
  });
});

describe.concurrent('passphrases', () => {
  const PASS = 'correct horse battery staple ✓';
  const AGE_PROMPT = /passphrase[^:\n]*:/;

  it('tipline -p --passphrase-file → age -d (passphrase typed into a terminal)', async ({ expect }) => {
    const data = plaintext('p1.bin', 70_000);
    writeFileSync(path('p1.pass'), PASS + '\n');
    const r = await tipline(['age', 'encrypt', '-p', '--passphrase-file', path('p1.pass'), '-o', path('p1.age'), path('p1.bin')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path('p1.age')).toString('latin1')).toMatch(/^age-encryption\.org\/v1\n-> scrypt [A-Za-z0-9+/]{22} 18\n/);
    const d = await runInPty(`age -d -o ${shQuote(path('p1.out'))} ${shQuote(path('p1.age'))}`, AGE_PROMPT, [PASS], dir);
    expect(d.code, d.output).toBe(0);
    expect(sha256(readFileSync(path('p1.out')))).toBe(sha256(data));
  });

  it('age -p -a (typed into a terminal) → tipline --passphrase-file', async ({ expect }) => {
    const data = plaintext('p2.bin', 1234);
    const e = await runInPty(`age -p -a -o ${shQuote(path('p2.age'))} ${shQuote(path('p2.bin'))}`, AGE_PROMPT, [PASS, PASS], dir);
    expect(e.code, e.output).toBe(0);
    writeFileSync(path('p2.pass'), PASS + '\r\n');
    const r = await tipline(['age', 'decrypt', '--passphrase-file', path('p2.pass'), path('p2.age')]);
    expect(r.code, r.stderr).toBe(0);
    expect(sha256(r.stdout)).toBe(sha256(data));
  });

  it('tipline -p asks twice on the terminal without echo; age -d decrypts', async ({ expect }) => {
    const data = plaintext('p3.bin', 300);
    const cmd = tiplineCommandLine(['age', 'encrypt', '-p', '-o', path('p3.age'), path('p3.bin')]);
    const e = await runInPty(cmd, /(Enter|Confirm) passphrase: /, [PASS, PASS], dir);
    expect(e.code, e.output).toBe(0);
    expect(e.output).toContain('Enter passphrase: ');
    expect(e.output).toContain('Confirm passphrase: ');
    const d = await runInPty(`age -d -o ${shQuote(path('p3.out'))} ${shQuote(path('p3.age'))}`, AGE_PROMPT, [PASS], dir);
    expect(d.code, d.output).toBe(0);
    expect(sha256(readFileSync(path('p3.out')))).toBe(sha256(data));
  });

  it('tipline decrypt asks for the passphrase of an age -p file on the terminal', async ({ expect }) => {
    const data = plaintext('p4.bin', 65537);
    const e = await runInPty(`age -p -o ${shQuote(path('p4.age'))} ${shQuote(path('p4.bin'))}`, AGE_PROMPT, [PASS, PASS], dir);
    expect(e.code, e.output).toBe(0);
    const cmd = tiplineCommandLine(['age', 'decrypt', '-o', path('p4.out'), path('p4.age')]);
    const d = await runInPty(cmd, /Enter passphrase: /, [PASS], dir);
    expect(d.code, d.output).toBe(0);
    expect(sha256(readFileSync(path('p4.out')))).toBe(sha256(data));
  });
});

describe.concurrent('passphrase-protected identity files', () => {
  const PASS = 'identity passphrase';

  it('an identity file encrypted by age -p -a works with tipline decrypt -i and keygen -y', async ({ expect }) => {
    const enc = path('age-key.txt.age');
    const e = await runInPty(`age -p -a -o ${shQuote(enc)} ${shQuote(ageKey)}`, /passphrase[^:\n]*:/, [PASS, PASS], dir);
    expect(e.code, e.output).toBe(0);
    expect(readFileSync(enc, 'latin1').startsWith('-----BEGIN AGE ENCRYPTED FILE-----')).toBe(true);
    const data = plaintext('id1.bin', 5000);
    await ok(run('age', ['-r', ageRecipient, '-o', path('id1.age'), path('id1.bin')]));
    writeFileSync(path('id1.pass'), PASS + '\n');
    const r = await tipline(['age', 'decrypt', '-i', enc, '--passphrase-file', path('id1.pass'), path('id1.age')]);
    expect(r.code, r.stderr).toBe(0);
    expect(sha256(r.stdout)).toBe(sha256(data));
  });

  it('an identity file encrypted by tipline -p works with age -d -i (passphrase typed into a terminal)', async ({ expect }) => {
    const enc = path('our-key.txt.age');
    writeFileSync(path('id2.pass'), PASS + '\n');
    const r = await tipline(['age', 'encrypt', '--passphrase-file', path('id2.pass'), '-o', enc, ourKey]);
    expect(r.code, r.stderr).toBe(0);
    const data = plaintext('id2.bin', 5000);
    await ok(tipline(['age', 'encrypt', '-r', ourRecipient, '-o', path('id2.age'), path('id2.bin')]));
    const d = await runInPty(`age -d -i ${shQuote(enc)} -o ${shQuote(path('id2.out'))} ${shQuote(path('id2.age'))}`, /passphrase[^:\n]*:/, [PASS], dir);
    expect(d.code, d.output).toBe(0);
    expect(sha256(readFileSync(path('id2.out')))).toBe(sha256(data));
    // Only this test's outputs: tests in this folder run concurrently and may have theirs in flight.
    expect(listDir(dir).filter((n) => /^\.(our-key\.txt\.age|id2\.age)\..*\.tmp$/.test(n))).toEqual([]);
  });
});
