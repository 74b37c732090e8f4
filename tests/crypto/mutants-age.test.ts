/**
 * The age STREAM payload (crypto/age-stream.ts) against an independent reference built on
 * node:crypto's ChaCha20-Poly1305 and HKDF (age.md §Payload), every payload failure with its
 * exact detail, and the whole-file and streaming paths of crypto/age.ts (recipient-set rules,
 * the nonce and payload boundaries, plaintext released before a failure). Written to kill
 * mutants StrykerJS found surviving (`npm run mutate -- crypto/age-stream.ts crypto/age.ts`).
 */
import { createCipheriv, createHash, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AgeError,
  HybridIdentity,
  ScryptIdentity,
  ScryptRecipient,
  X25519Identity,
  bytes,
  decrypt,
  decryptStream,
  encrypt,
  encryptStream,
  inspect,
  prepareEncryption,
  type Identity,
} from '../../crypto/index.js';
import { CHUNK_SIZE, NONCE_SIZE, StreamDecryptor, StreamEncryptor, payloadKey, sealPayload } from '../../crypto/age-stream.js';
import { writeHeader } from '../../crypto/age-header.js';

const C = CHUNK_SIZE;
const FILE_KEY = new Uint8Array(16).map((_, i) => i + 1);
const NONCE = new Uint8Array(16).map((_, i) => 0xa0 + i);

/** The chunk nonce of age.md §Payload: 11-byte big-endian counter, then the last-chunk flag. */
function refNonce(counter: number, last: boolean): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUIntBE(counter, 5, 6);
  iv[11] = last ? 1 : 0;
  return iv;
}

function refChunk(key: Buffer, counter: number, last: boolean, pt: Uint8Array): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, refNonce(counter, last), { authTagLength: 16 });
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

function refKey(): Buffer {
  return Buffer.from(hkdfSync('sha256', FILE_KEY, NONCE, 'payload', 32));
}

/**
 * The reference STREAM ciphertext (without the nonce). `chunks` overrides the chunking:
 * a list of [plaintext, last] pairs, to build streams the encryptor would never write.
 */
function refSeal(pt: Uint8Array, chunks?: [Uint8Array, boolean][]): Buffer {
  const key = refKey();
  const count = Math.max(1, Math.ceil(pt.length / C));
  const list: [Uint8Array, boolean][] =
    chunks ?? Array.from({ length: count }, (_, i) => [pt.subarray(i * C, (i + 1) * C), i === count - 1]);
  return Buffer.concat(list.map(([p, last], i) => refChunk(key, i, last, p)));
}

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 16)) & 0xff;
  return b;
}

function sha(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

function payloadDetail(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AgeError);
    return `${(e as AgeError).kind}: ${(e as AgeError).detail}`;
  }
  throw new Error('not refused');
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof AgeError)) throw new Error(`expected an AgeError, got ${String(e)}`);
  return `${e.kind}: ${e.detail}`;
}

/** Decrypt a STREAM ciphertext with the decryptor, collecting what it released. */
function open(ct: Uint8Array, pieces = [ct.length]): { out: Uint8Array[]; error?: string } {
  const dec = new StreamDecryptor(FILE_KEY, NONCE);
  const out: Uint8Array[] = [];
  try {
    let at = 0;
    for (const n of pieces) {
      dec.push(ct.subarray(at, at + n), out);
      at += n;
    }
    dec.push(ct.subarray(at), out);
    dec.finish(out);
  } catch (e) {
    expect(e).toBeInstanceOf(AgeError);
    return { out, error: `${(e as AgeError).kind}: ${(e as AgeError).detail}` };
  }
  return { out };
}

describe('STREAM encryption against the node:crypto reference', () => {
  it('derives the payload key as HKDF-SHA-256(file key, nonce, "payload")', () => {
    expect(Buffer.from(payloadKey(FILE_KEY, NONCE)).equals(refKey())).toBe(true);
  });

  for (const n of [0, 1, 1000, C - 1, C, C + 1, 2 * C, 2 * C + 5]) {
    it(`seals ${n} bytes exactly as the reference (chunking, counter, last flag)`, () => {
      const pt = pattern(n);
      const want = Buffer.concat([NONCE, refSeal(pt)]);
      expect(sha(sealPayload(FILE_KEY, NONCE, pt))).toBe(sha(want));
      const { out, error } = open(want.subarray(16));
      expect(error).toBeUndefined();
      expect(sha(bytes.concat(...out))).toBe(sha(pt));
    });
  }

  // A file of 2^8 chunks (16 MiB) or more takes too long for the mutation run, so the counter
  // is set directly: the nonce layout is the spec's, whatever the internals are called.
  for (const counter of [255, 256, 0x0100ff, 2 ** 40 + 0x0203]) {
    it(`uses the 11-byte big-endian counter for chunk ${counter}, in both directions`, () => {
      const pt = pattern(100);
      const enc = new StreamEncryptor(FILE_KEY, NONCE);
      (enc as unknown as { counter: number }).counter = counter;
      const want = refChunk(refKey(), counter, true, pt);
      expect(enc.push(pt)).toEqual([]);
      expect(Buffer.from(enc.finish()).equals(want)).toBe(true);
      const dec = new StreamDecryptor(FILE_KEY, NONCE);
      (dec as unknown as { counter: number }).counter = counter;
      const out: Uint8Array[] = [];
      dec.push(want, out);
      dec.finish(out);
      expect(out).toEqual([pt]);
    });
  }

  it('gives the same bytes for any way of cutting the plaintext, even one byte at a time', () => {
    const n = C + 1500;
    const pt = pattern(n);
    const enc = new StreamEncryptor(FILE_KEY, NONCE);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < n; i++) parts.push(...enc.push(pt.subarray(i, i + 1)));
    parts.push(enc.push(new Uint8Array(0)).length === 0 ? enc.finish() : new Uint8Array(0));
    expect(sha(bytes.concat(...parts))).toBe(sha(refSeal(pt)));
    // The decryptor takes ciphertext one byte at a time too.
    const ct = refSeal(pt);
    const dec = new StreamDecryptor(FILE_KEY, NONCE);
    const out: Uint8Array[] = [];
    for (let i = 0; i < ct.length; i++) dec.push(ct.subarray(i, i + 1), out);
    dec.finish(out);
    expect(sha(bytes.concat(...out))).toBe(sha(pt));
  });

  it('holds a full chunk back until more data shows it is not the last', () => {
    const enc = new StreamEncryptor(FILE_KEY, NONCE);
    expect(enc.push(pattern(C))).toEqual([]);
    const [first, ...rest] = enc.push(new Uint8Array(1));
    expect(rest).toEqual([]);
    expect(first!.length).toBe(C + 16);
    expect(enc.finish().length).toBe(1 + 16);
  });

  it('refuses to be used after finish, and wipes its key', () => {
    const enc = new StreamEncryptor(FILE_KEY, NONCE);
    enc.finish();
    expect(() => enc.push(new Uint8Array(1))).toThrow('stream already finished');
    expect(() => enc.finish()).toThrow('stream already finished');
    expect((enc as unknown as { key: Uint8Array }).key).toEqual(new Uint8Array(32));
  });
});

describe('STREAM decryption failures, each with its detail', () => {
  it('a lone empty final chunk is a valid empty payload, and the decryptor wipes its key when done', () => {
    const dec = new StreamDecryptor(FILE_KEY, NONCE);
    const out: Uint8Array[] = [];
    dec.push(refSeal(new Uint8Array(0)), out);
    dec.finish(out);
    expect(bytes.concat(...out)).toEqual(new Uint8Array(0));
    expect((dec as unknown as { key: Uint8Array }).key).toEqual(new Uint8Array(32));
    // finish again is a no-op, and so is an empty push; more data after the end is refused.
    dec.finish(out);
    dec.push(new Uint8Array(0), out);
    expect(payloadDetail(() => dec.push(new Uint8Array(1), out))).toBe('payload: data after final chunk');
  });

  it('refuses a chunk shorter than a tag', () => {
    for (const n of [0, 1, 15]) expect(open(refSeal(pattern(5)).subarray(0, n)).error).toBe('payload: truncated chunk');
    // After a full chunk, too.
    const ct = refSeal(pattern(C + 10));
    expect(open(ct.subarray(0, C + 16 + 15)).error).toBe('payload: truncated chunk');
  });

  it('refuses an empty final chunk after a full one', () => {
    const ct = refSeal(new Uint8Array(0), [
      [pattern(C), false],
      [new Uint8Array(0), true],
    ]);
    const { out, error } = open(ct);
    expect(error).toBe('payload: empty final chunk');
    expect(out).toHaveLength(1);
  });

  it('releases a full non-final chunk at the end, then says the final chunk is missing', () => {
    const ct = refSeal(pattern(2 * C + 1)).subarray(0, C + 16);
    const { out, error } = open(ct);
    expect(error).toBe('payload: missing final chunk');
    expect(sha(bytes.concat(...out))).toBe(sha(pattern(C)));
  });

  it('accepts a full-size final chunk at the end, and refuses data after it', () => {
    for (const n of [C, 2 * C]) {
      const { out, error } = open(refSeal(pattern(n)));
      expect(error).toBeUndefined();
      expect(sha(bytes.concat(...out))).toBe(sha(pattern(n)));
    }
    const extra = Buffer.concat([refSeal(pattern(C)), Buffer.from([0])]);
    const r = open(extra);
    expect(r.error).toBe('payload: data after final chunk');
    expect(sha(bytes.concat(...r.out))).toBe(sha(pattern(C)));
    const dec = new StreamDecryptor(FILE_KEY, NONCE);
    const out: Uint8Array[] = [];
    expect(payloadDetail(() => dec.push(extra, out))).toBe('payload: data after final chunk');
    expect(payloadDetail(() => dec.push(new Uint8Array(1), out))).toBe('payload: data after final chunk');
    dec.finish(out); // already finished: nothing more
    expect(out).toHaveLength(1);
  });

  it('names the chunk that failed, and releases the chunks before it', () => {
    const ct = Buffer.from(refSeal(pattern(2 * C + 100)));
    const second = Buffer.from(ct);
    second[C + 16 + 5]! ^= 1;
    const r = open(second);
    expect(r.error).toBe('payload: chunk 1 failed authentication');
    expect(r.out).toHaveLength(1);
    const first = Buffer.from(ct);
    first[3]! ^= 0x80;
    expect(open(first)).toEqual({ out: [], error: 'payload: chunk 0 failed authentication' });
    const last = Buffer.from(ct);
    last[last.length - 1]! ^= 1;
    const r3 = open(last);
    expect(r3.error).toBe('payload: chunk 2 failed authentication');
    expect(r3.out).toHaveLength(2);
  });

  it('refuses a stream whose only chunk is not marked last, or whose middle chunk is', () => {
    const notLast = refSeal(new Uint8Array(0), [[pattern(10), false]]);
    expect(open(notLast).error).toBe('payload: chunk 0 failed authentication');
    const lastTooSoon = refSeal(new Uint8Array(0), [
      [pattern(C), true],
      [pattern(10), true],
    ]);
    expect(open(lastTooSoon).error).toBe('payload: data after final chunk');
  });
});

describe('age files (crypto/age.ts)', () => {
  const xid = X25519Identity.generate();
  const xid2 = X25519Identity.generate();
  const hid = HybridIdentity.generate();
  const pt = bytes.utf8('a report about a dangerous man');

  it('refuses an empty recipient list and mixed sets, and accepts sets of one kind', async () => {
    await expect(encrypt([], pt)).rejects.toThrow('no recipients');
    await expect(prepareEncryption([])).rejects.toThrow('no recipients');
    await expect(encrypt([xid.recipient(), hid.recipient()], pt)).rejects.toThrow('cannot mix post-quantum and classical recipients');
    await expect(encrypt([new ScryptRecipient('p', 1), new ScryptRecipient('q', 1)], pt)).rejects.toThrow('scrypt recipients must be alone');
    await expect(encrypt([new ScryptRecipient('p', 1), xid.recipient()], pt)).rejects.toThrow('scrypt recipients must be alone');
    await expect(encrypt([xid.recipient(), new ScryptRecipient('p', 1)], pt)).rejects.toThrow('scrypt recipients must be alone');
    const both = await encrypt([xid.recipient(), xid2.recipient()], pt);
    expect(inspect(both).stanzas.map((s) => s.args[0])).toEqual(['X25519', 'X25519']);
    expect(await decrypt([xid2], both)).toEqual(pt);
    const hybrid = await encrypt([hid.recipient(), HybridIdentity.generate().recipient()], pt);
    expect(await decrypt([hid], hybrid)).toEqual(pt);
    const alone = await encrypt([new ScryptRecipient('p', 1)], pt);
    expect(await decrypt([new ScryptIdentity('p')], alone)).toEqual(pt);
  });

  it('armors on request, and decrypt and inspect read armored files', async () => {
    const file = await encrypt([xid.recipient()], pt, { armor: true });
    const text = new TextDecoder().decode(file);
    expect(text.startsWith('-----BEGIN AGE ENCRYPTED FILE-----\n')).toBe(true);
    expect(text.endsWith('-----END AGE ENCRYPTED FILE-----\n')).toBe(true);
    expect(await decrypt([xid], file)).toEqual(pt);
    expect(inspect(file).payloadLength).toBe(16 + pt.length + 16);
    const binary = await encrypt([xid.recipient()], pt);
    expect(binary.subarray(0, 22)).toEqual(bytes.utf8('age-encryption.org/v1\n'));
  });

  it('tries each identity in turn and checks the file key length and the header MAC', async () => {
    const file = await encrypt([xid.recipient()], pt);
    expect(await decrypt([xid2, hid, xid], file)).toEqual(pt);
    expect(await refusal(decrypt([xid2, hid], file))).toBe('no-match: undefined');
    const short: Identity = { unwrap: async () => new Uint8Array(15) };
    const long: Identity = { unwrap: async () => new Uint8Array(17) };
    expect(await refusal(decrypt([short, xid], file))).toBe('header: bad file key length');
    expect(await refusal(decrypt([long], file))).toBe('header: bad file key length');
    const wrongKey: Identity = { unwrap: async () => new Uint8Array(16) };
    expect(await refusal(decrypt([wrongKey, xid], file))).toBe('hmac: undefined');
    const none: Identity = { unwrap: async () => undefined };
    expect(await decrypt([none, xid], file)).toEqual(pt);
  });

  it('draws the nonce boundary exactly: 15 bytes after the header is no nonce, 16 with no chunk is a truncated payload', async () => {
    const file = await encrypt([xid.recipient()], pt);
    const end = inspect(file).headerLength;
    expect(await refusal(decrypt([xid], file.subarray(0, end)))).toBe('header: missing payload nonce');
    expect(await refusal(decrypt([xid], file.subarray(0, end + 15)))).toBe('header: missing payload nonce');
    expect(await refusal(decrypt([xid], file.subarray(0, end + 16)))).toBe('payload: truncated chunk');
    expect(await refusal(decrypt([xid], file.subarray(0, end - 1)))).toBe('header: truncated header');
  });

  it('inspect needs a nonce and at least one tag after the header, and measures both parts', async () => {
    const empty = await encrypt([xid.recipient(), xid2.recipient()], new Uint8Array(0));
    const { stanzas, headerLength, payloadLength } = inspect(empty);
    expect(stanzas).toHaveLength(2);
    expect(payloadLength).toBe(32);
    expect(headerLength + payloadLength).toBe(empty.length);
    expect(new TextDecoder().decode(empty.subarray(headerLength - 48, headerLength - 44))).toBe('--- ');
    expect(empty[headerLength - 1]).toBe(0x0a);
    expect(() => inspect(empty.subarray(0, empty.length - 1))).toThrow(AgeError);
    expect(payloadDetail(() => inspect(empty.subarray(0, empty.length - 1)))).toBe('header: missing payload');
    expect(payloadDetail(() => inspect(empty.subarray(0, headerLength + 16)))).toBe('header: missing payload');
    expect(payloadDetail(() => inspect(empty.subarray(0, headerLength - 1)))).toBe('header: truncated header');
  });

  it('refuses an scrypt stanza beside another, even when the other one is for the identity offered (both paths)', async () => {
    const fileKey = new Uint8Array(16).fill(4);
    const x = await xid.recipient().wrap(fileKey);
    const s = await new ScryptRecipient('p', 1).wrap(fileKey);
    for (const stanzas of [
      [...x, ...s],
      [...s, ...x],
    ]) {
      const file = bytes.concat(writeHeader(stanzas, fileKey), sealPayload(fileKey, NONCE, pt));
      for (const ids of [[xid], [new ScryptIdentity('p')]]) {
        expect(await refusal(decrypt(ids, file))).toBe('header: scrypt stanza must be alone');
        expect(await refusal(streamed(ids, file, 64))).toBe('header: scrypt stanza must be alone');
      }
    }
    // Alone, each opens.
    expect(await decrypt([xid], bytes.concat(writeHeader(x, fileKey), sealPayload(fileKey, NONCE, pt)))).toEqual(pt);
    expect(await decrypt([new ScryptIdentity('p')], bytes.concat(writeHeader(s, fileKey), sealPayload(fileKey, NONCE, pt)))).toEqual(pt);
  });

  it('a header written by hand with a wrong MAC is an HMAC failure, through both paths', async () => {
    const fileKey = new Uint8Array(16).fill(9);
    const stanzas = await xid.recipient().wrap(fileKey);
    const header = writeHeader(stanzas, new Uint8Array(16).fill(8));
    const file = bytes.concat(header, sealPayload(fileKey, NONCE, pt));
    expect(await refusal(decrypt([xid], file))).toBe('hmac: undefined');
    expect(await refusal(streamed([xid], file, 50))).toBe('hmac: undefined');
    const good = bytes.concat(writeHeader(stanzas, fileKey), sealPayload(fileKey, NONCE, pt));
    expect(await decrypt([xid], good)).toEqual(pt);
  });
});

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for await (const p of stream) parts.push(p);
  return parts;
}

function source(data: Uint8Array, piece: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (let i = 0; i < data.length; i += piece) c.enqueue(data.slice(i, i + piece));
      c.close();
    },
  });
}

async function streamed(ids: Identity[], file: Uint8Array, piece: number): Promise<Uint8Array> {
  return bytes.concat(...(await collect(source(file, piece).pipeThrough(decryptStream(ids)))));
}

describe('decryptStream and encryptStream', () => {
  const xid = X25519Identity.generate();

  it('decrypts whatever the piece size, the header and nonce arriving in any cut', async () => {
    const small = pattern(40);
    const smallFile = await encrypt([xid.recipient()], small);
    for (const piece of [1, 7, 15, 16, 17]) {
      expect(sha(await streamed([xid], smallFile, piece)), `piece ${piece}`).toBe(sha(small));
    }
    const pt = pattern(C + 500);
    const file = await encrypt([xid.recipient()], pt);
    for (const piece of [4999, C + 16, file.length]) {
      expect(sha(await streamed([xid], file, piece)), `piece ${piece}`).toBe(sha(pt));
    }
  });

  it('says what is missing when the input ends early', async () => {
    const file = await encrypt([xid.recipient()], pattern(10));
    const end = inspect(file).headerLength;
    expect(await refusal(streamed([xid], new Uint8Array(0), 10))).toBe('header: truncated header');
    expect(await refusal(streamed([xid], file.subarray(0, end - 1), 10))).toBe('header: truncated header');
    expect(await refusal(streamed([xid], file.subarray(0, end + 15), 10))).toBe('header: missing payload nonce');
    expect(await refusal(streamed([xid], file.subarray(0, end + 16), 10))).toBe('payload: truncated chunk');
    expect(await refusal(streamed([X25519Identity.generate()], file, 10))).toBe('no-match: undefined');
  });

  it('releases verified chunks before the failure', async () => {
    const pt = pattern(2 * C + 10);
    const file = await encrypt([xid.recipient()], pt);
    file[file.length - 3]! ^= 1;
    const got: Uint8Array[] = [];
    const reader = source(file, 5000).pipeThrough(decryptStream([xid])).getReader();
    let error: unknown;
    for (;;) {
      try {
        const r = await reader.read();
        if (r.done) break;
        got.push(r.value);
      } catch (e) {
        error = e;
        break;
      }
    }
    expect((error as AgeError).detail).toBe('chunk 2 failed authentication');
    expect(sha(bytes.concat(...got))).toBe(sha(pt.subarray(0, 2 * C)));
  });

  it('encryptStream writes header and nonce first, then the same STREAM as encrypt', async () => {
    const pt = pattern(C + 1);
    const parts = await collect(source(pt, 1000).pipeThrough(encryptStream([xid.recipient()])));
    const file = bytes.concat(...parts);
    const { headerLength, payloadLength } = inspect(file);
    expect(parts[0]!.length).toBe(headerLength + NONCE_SIZE);
    expect(payloadLength).toBe(16 + C + 1 + 32);
    expect(sha(await decrypt([xid], file))).toBe(sha(pt));
    await expect(collect(source(pt, 1000).pipeThrough(encryptStream([])))).rejects.toThrow('no recipients');
  });
});
