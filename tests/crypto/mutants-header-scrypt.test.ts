/**
 * The age header parser and writer (crypto/age-header.ts) and the scrypt stanza
 * (crypto/scrypt.ts), one malformed input per refusal with its exact detail, the writer's
 * line layout at the 64-character boundary, and the scrypt stanza's rules. The CCTV vectors
 * check the error class; these pin which check fired. Written to kill mutants StrykerJS found
 * surviving (`npm run mutate -- crypto/age-header.ts crypto/scrypt.ts`).
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import '../../crypto/index.js'; // installs the primitives backend
import { MAX_HEADER_BYTES, findHeaderEnd, parseHeader, verifyHeaderMac, writeHeader, type Stanza } from '../../crypto/age-header.js';
import { base64Raw, utf8 } from '../../crypto/bytes.js';
import { AgeError } from '../../crypto/errors.js';
import { MAX_SCRYPT_LOG_N, ScryptIdentity, ScryptRecipient } from '../../crypto/scrypt.js';
import { X25519Identity, encrypt, nobleBackend, useBackend } from '../../crypto/index.js';

const MAC = 'A'.repeat(43);
const V = 'age-encryption.org/v1';

function detail(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AgeError);
    return `${(e as AgeError).kind}: ${(e as AgeError).detail}`;
  }
  throw new Error('not refused');
}

async function detailAsync(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(AgeError);
    return `${(e as AgeError).kind}: ${(e as AgeError).detail}`;
  }
  throw new Error('not refused');
}

describe('parseHeader', () => {
  const cases: [string, string][] = [
    [`${V}\n-> X25519 abc\nAAAA\n--- ${MAC}`, 'header must end with LF'],
    [`age-encryption.org/v2\n-> X25519 abc\nAAAA\n--- ${MAC}\n`, 'unsupported version'],
    [`${V}\n->X25519 abc\nAAAA\n--- ${MAC}\n`, 'bad stanza line'],
    [`${V}\n-> X25519  abc\nAAAA\n--- ${MAC}\n`, 'bad stanza argument'],
    [`${V}\n-> X25519 a\u00e9c\nAAAA\n--- ${MAC}\n`, 'bad stanza argument'],
    [`${V}\n-> X25519 abc\n${'A'.repeat(64)}\n`, 'stanza without final line'],
    [`${V}\n-> X25519 abc\n${'A'.repeat(65)}\n--- ${MAC}\n`, 'bad stanza body line'],
    [`${V}\n-> X25519 abd\n${'A'.repeat(65)}\nAAA\n--- ${MAC}\n`, 'bad stanza body line'],
    [`${V}\n-> X25519 abc\nAA==\n--- ${MAC}\n`, 'bad stanza body line'],
    [`${V}\n-> X25519 abc\nAB\n--- ${MAC}\n`, 'stanza body not canonical base64'],
    [`${V}\n--- ${MAC}\n`, 'no recipient stanzas'],
    [`${V}\n-> X25519 abc\nAAAA\njunk\n--- ${MAC}\n`, 'unexpected line in header'],
    [`${V}\n-> X25519 abc\nAAAA\n`, 'unexpected line in header'],
    [`${V}\n-> X25519 abc\nAAAA\n---${MAC}\n`, 'bad MAC line'],
    [`${V}\n-> X25519 abc\nAAAA\n--- ${MAC.slice(1)}\n`, 'bad MAC length'],
    [`${V}\n-> X25519 abc\nAAAA\n--- ${MAC.slice(1)}B\n`, 'MAC not canonical base64'],
  ];
  for (const [text, want] of cases) {
    it(`refuses with "${want}": ${JSON.stringify(text.slice(22, 60))}`, () => {
      expect(detail(() => parseHeader(utf8(text)))).toBe(`header: ${want}`);
    });
  }

  it('parses stanzas (a 64-character body line continues, a shorter one ends) and splits off the MAC', () => {
    const body64 = 'B'.repeat(64);
    const text = `${V}\n-> X25519 abc\n${body64}\nAAAA\n-> other\n\n--- ${MAC}\n`;
    const h = parseHeader(utf8(text));
    expect(h.stanzas.map((s) => s.args)).toEqual([['X25519', 'abc'], ['other']]);
    expect(h.stanzas[0]!.body.length).toBe(48 + 3);
    expect(h.stanzas[1]!.body.length).toBe(0);
    expect(h.mac).toEqual(new Uint8Array(32));
    expect(h.length).toBe(text.length);
    expect(new TextDecoder().decode(h.macInput)).toBe(text.slice(0, text.length - 45));
    expect(new TextDecoder().decode(h.macInput).endsWith('\n---')).toBe(true);
  });
});

describe('findHeaderEnd', () => {
  it('finds the end of the MAC line, asks for more bytes before it, and refuses what is not age', () => {
    const text = `${V}\n-> X25519 abc\nAAAA\n--- ${MAC}\npayload`;
    expect(findHeaderEnd(utf8(text))).toBe(text.indexOf('payload'));
    expect(findHeaderEnd(utf8(text.slice(0, text.indexOf('payload') - 1)))).toBe(-1);
    expect(findHeaderEnd(utf8('age-encr'))).toBe(-1);
    expect(detail(() => findHeaderEnd(utf8('age-encryption.org-v1\n')))).toBe('header: not an age file');
    expect(detail(() => findHeaderEnd(utf8('bge')))).toBe('header: not an age file');
  });

  it('refuses a header of more than 1 MiB, with or without line breaks', () => {
    expect(MAX_HEADER_BYTES).toBe(1 << 20);
    const lines = utf8(`${V}\n${`-> x\n`.repeat((MAX_HEADER_BYTES / 5) | 0)}AAAA\n`);
    expect(detail(() => findHeaderEnd(lines))).toBe('header: header too large');
    const flat = new Uint8Array(MAX_HEADER_BYTES + 1).fill(0x41);
    flat.set(utf8(V));
    expect(detail(() => findHeaderEnd(flat))).toBe('header: header too large');
    expect(findHeaderEnd(flat.subarray(0, MAX_HEADER_BYTES))).toBe(-1);
  });

  it('refuses a header whose MAC line comes after 1 MiB of lines', () => {
    const big = utf8(`${V}\n${`-> x\n`.repeat((MAX_HEADER_BYTES / 5) | 0)}AAAA\n--- ${MAC}\npayload`);
    expect(detail(() => findHeaderEnd(big))).toBe('header: header too large');
  });

  it('a line feed that ends the 1 MiB exactly still asks for more; one byte more is too large', () => {
    const buf = new Uint8Array(MAX_HEADER_BYTES + 1).fill(0x41);
    buf.set(utf8(`${V}\n-> x\n`));
    buf[MAX_HEADER_BYTES - 1] = 0x0a;
    expect(findHeaderEnd(buf.subarray(0, MAX_HEADER_BYTES))).toBe(-1);
    expect(detail(() => findHeaderEnd(buf))).toBe('header: header too large');
  });

  it('ends at the first line starting with "--", not at another line whose second byte is "-"', () => {
    const text = `${V}\n-> X25519 abc\nAAAA\nx-y\n-\n--- ${MAC}\npayload`;
    expect(findHeaderEnd(utf8(text))).toBe(text.indexOf('payload'));
    expect(findHeaderEnd(utf8(`${V}\n-> X25519 abc\nAAAA\nx-y\n`))).toBe(-1);
  });
});

describe('writeHeader', () => {
  it('wraps bodies at 64 characters, adds an empty line after a full last line, and MACs up to "---"', () => {
    const key = new Uint8Array(16).fill(1);
    const stanzas: Stanza[] = [0, 47, 48, 49, 96].map((n) => ({ args: ['t', String(n)], body: new Uint8Array(n).fill(n) }));
    const out = writeHeader(stanzas, key);
    const text = new TextDecoder().decode(out);
    const lines = text.split('\n');
    expect(lines[0]).toBe(V);
    expect(lines.slice(1, 4)).toEqual(['-> t 0', '', '-> t 47']);
    expect(lines[4]!.length).toBe(63);
    expect(lines.slice(5, 8)).toEqual(['-> t 48', base64Raw(new Uint8Array(48).fill(48)), '']);
    expect(lines[9]!.length).toBe(64);
    expect(lines[10]!.length).toBe(2);
    const h = parseHeader(out);
    expect(h.stanzas).toEqual(stanzas);
    verifyHeaderMac(h, key);
    // The MAC, recomputed with node:crypto: HMAC-SHA-256 under HKDF-SHA-256(file key, salt empty, info "header").
    const macKey = Buffer.from(hkdfSync('sha256', key, new Uint8Array(0), 'header', 32));
    const want = createHmac('sha256', macKey).update(h.macInput).digest();
    expect(Buffer.from(h.mac).equals(want)).toBe(true);
    expect(text.endsWith(`--- ${base64Raw(want)}\n`)).toBe(true);
    expect(detail(() => verifyHeaderMac(h, new Uint8Array(16).fill(2)))).toBe('hmac: undefined');
  });
});

describe('scrypt stanza', () => {
  afterEach(() => useBackend(nobleBackend));

  /** Install noble with seal and open recording the keys they were given. */
  function recordKeys(): Uint8Array[] {
    const keys: Uint8Array[] = [];
    useBackend({
      ...nobleBackend,
      seal: (key, nonce, plaintext, aad) => {
        keys.push(key);
        return nobleBackend.seal(key, nonce, plaintext, aad);
      },
      open: (key, nonce, ciphertext, aad) => {
        keys.push(key);
        return nobleBackend.open(key, nonce, ciphertext, aad);
      },
    });
    return keys;
  }

  const id = new ScryptIdentity('correct horse', 10);
  const salt = base64Raw(new Uint8Array(16).fill(5));
  const st = (args: string[], body = new Uint8Array(32)): Stanza => ({ args, body });

  it('must be alone, whichever stanza comes first', async () => {
    const other = st(['X25519', 'abc']);
    expect(await detailAsync(() => id.unwrap([st(['scrypt', salt, '10']), other]))).toBe('header: scrypt stanza must be alone');
    expect(await detailAsync(() => id.unwrap([other, st(['scrypt', salt, '10'])]))).toBe('header: scrypt stanza must be alone');
  });

  it('refuses each malformed part with its own detail', async () => {
    const cases: [Stanza, string][] = [
      [st(['scrypt', salt]), 'scrypt stanza needs three arguments'],
      [st(['scrypt', salt, '10', 'x']), 'scrypt stanza needs three arguments'],
      [st(['scrypt', `${salt.slice(0, -1)}B`, '10']), 'scrypt salt not canonical base64'],
      [st(['scrypt', base64Raw(new Uint8Array(15)), '10']), 'scrypt salt must be 16 bytes'],
      [st(['scrypt', salt, '010']), 'bad scrypt work factor'],
      [st(['scrypt', salt, '0']), 'bad scrypt work factor'],
      [st(['scrypt', salt, '10x']), 'bad scrypt work factor'],
      [st(['scrypt', salt, 'x10']), 'bad scrypt work factor'],
      [st(['scrypt', salt, '11']), 'scrypt work factor too high'],
      [st(['scrypt', salt, '10'], new Uint8Array(31)), 'scrypt body must be 32 bytes'],
      [st(['scrypt', salt, '10'], new Uint8Array(33)), 'scrypt body must be 32 bytes'],
    ];
    for (const [s, want] of cases) expect(await detailAsync(() => id.unwrap([s])), JSON.stringify(s.args)).toBe(`header: ${want}`);
  });

  it('wraps to ["scrypt", salt, logN] with a 32-byte body that only the same passphrase opens', async () => {
    const fileKey = new Uint8Array(16).map((_, i) => i);
    const [s] = await new ScryptRecipient('correct horse', 10).wrap(fileKey);
    expect(s!.args[0]).toBe('scrypt');
    expect(s!.args[1]).toMatch(/^[A-Za-z0-9+/]{22}$/);
    expect(s!.args[2]).toBe('10');
    expect(s!.args).toHaveLength(3);
    expect(s!.body.length).toBe(32);
    expect(await id.unwrap([s!])).toEqual(fileKey);
    expect(await new ScryptIdentity('wrong horse', 10).unwrap([s!])).toBeUndefined();
    expect(await id.unwrap([st(['X25519', 'abc'])])).toBeUndefined();
    expect(await new ScryptIdentity('correct horse', 9).unwrap([s!]).catch((e: AgeError) => e.detail)).toBe('scrypt work factor too high');
  });

  it('is refused by encrypt next to a classical recipient, and a one-digit work factor opens', async () => {
    await expect(encrypt([new ScryptRecipient('p', 1), X25519Identity.generate().recipient()], utf8('x'))).rejects.toThrow(
      'scrypt recipients must be alone',
    );
    const fileKey = new Uint8Array(16).fill(3);
    const [s] = await new ScryptRecipient('correct horse', 9).wrap(fileKey);
    expect(s!.args[2]).toBe('9');
    expect(await id.unwrap([s!])).toEqual(fileKey);
  });

  it('wipes the scrypt-derived wrapping key after wrapping and after unwrapping, also with a wrong passphrase', async () => {
    const keys = recordKeys();
    const fileKey = new Uint8Array(16).fill(9);
    const [s] = await new ScryptRecipient('correct horse', 4).wrap(fileKey);
    expect(await new ScryptIdentity('correct horse').unwrap([s!])).toEqual(fileKey);
    expect(await new ScryptIdentity('wrong horse').unwrap([s!])).toBeUndefined();
    expect(keys).toHaveLength(3);
    for (const k of keys) expect(k).toEqual(new Uint8Array(32));
  });

  it('gives scrypt the memory it needs at work factor 12 (N = 4096, about 4 MiB)', async () => {
    const fileKey = new Uint8Array(16).fill(7);
    const [s] = await new ScryptRecipient('correct horse', 12).wrap(fileKey);
    expect(s!.args[2]).toBe('12');
    expect(await new ScryptIdentity('correct horse').unwrap([s!])).toEqual(fileKey);
  });

  it('accepts work factors from 1 to 22 for new files', () => {
    for (const bad of [0, 23, 1.5, -1]) expect(() => new ScryptRecipient('p', bad)).toThrow('invalid scrypt work factor');
    expect(new ScryptRecipient('p', 1).logN).toBe(1);
    expect(new ScryptRecipient('p', MAX_SCRYPT_LOG_N).logN).toBe(22);
    expect(new ScryptRecipient('p').logN).toBe(18);
    expect(new ScryptIdentity('p').maxLogN).toBe(22);
  });
});
