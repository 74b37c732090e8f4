/** Property and tamper tests for our age implementation (fast-check). */
import fc from 'fast-check';
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
  primitives,
  type AnyIdentity,
} from '../../crypto/index.js';
import { writeHeader, type Stanza } from '../../crypto/age-header.js';
import { StreamEncryptor } from '../../crypto/age-stream.js';
import type { Identity } from '../../crypto/recipient.js';

const x25519Ids = Array.from({ length: 3 }, () => X25519Identity.generate());
const hybridIds = Array.from({ length: 3 }, () => HybridIdentity.generate());

/** A non-empty subset of one kind of identity (hybrid and X25519 are never mixed). */
const recipientSet = fc.oneof(
  fc.subarray(x25519Ids, { minLength: 1 }),
  fc.subarray(hybridIds, { minLength: 1 }),
) as fc.Arbitrary<AnyIdentity[]>;

async function rejects(p: Promise<unknown>): Promise<AgeError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AgeError);
  return e as AgeError;
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of stream) parts.push(p);
  return bytes.concat(...parts);
}

async function collectStream(t: TransformStream<Uint8Array, Uint8Array>, data: Uint8Array): Promise<Uint8Array> {
  return collect(streamOf(data, 1000).pipeThrough(t));
}

function streamOf(data: Uint8Array, piece: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (let i = 0; i < data.length; i += piece) c.enqueue(data.slice(i, i + piece));
      c.close();
    },
  });
}

describe('age round trips', () => {
  it('decrypts what it encrypts, for any payload and recipient set, with every identity of the set', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), recipientSet, fc.boolean(), async (pt, ids, armored) => {
        const file = await encrypt(
          ids.map((i) => i.recipient()),
          pt,
          { armor: armored },
        );
        for (const id of ids) expect(await decrypt([id], file)).toEqual(pt);
        const others = [...x25519Ids, ...hybridIds].filter((i) => !ids.includes(i));
        if (others.length) expect((await rejects(decrypt(others, file))).kind).toBe('no-match');
      }),
      { numRuns: 40 },
    );
  });

  it('round-trips across chunk boundaries through the streaming API with any piece size', async () => {
    const sizes = fc.constantFrom(0, 1, 65535, 65536, 65537, 131072, 131073, 200_000);
    await fc.assert(
      fc.asyncProperty(sizes, fc.integer({ min: 997, max: 70_000 }), async (size, piece) => {
        const pt = globalThis.crypto.getRandomValues(new Uint8Array(Math.min(size, 65536)));
        const full = new Uint8Array(size);
        for (let i = 0; i < size; i += pt.length || 1) full.set(pt.subarray(0, Math.min(pt.length, size - i)), i);
        const id = x25519Ids[0]!;
        const file = await collect(streamOf(full, piece).pipeThrough(encryptStream([id.recipient()])));
        expect(await decrypt([id], file)).toEqual(full);
        expect(await collect(streamOf(file, piece).pipeThrough(decryptStream([id])))).toEqual(full);
      }),
      { numRuns: 25 },
    );
  });

  it('emits files whose payload length is fixed by the plaintext length (64 KiB chunks + 16-byte tags)', async () => {
    for (const n of [0, 1, 65536, 65537]) {
      const file = await encrypt([x25519Ids[0]!.recipient()], new Uint8Array(n));
      const chunks = Math.max(1, Math.ceil(n / 65536));
      expect(inspect(file).payloadLength).toBe(16 + n + 16 * chunks);
    }
  });
});

describe('age tamper resistance', () => {
  const id = hybridIds[0]!;
  const xid = x25519Ids[0]!;

  it('rejects any single flipped bit anywhere in a file (hybrid and X25519)', async () => {
    const files = await Promise.all([
      encrypt([id.recipient(), hybridIds[1]!.recipient()], bytes.utf8('a report about a dangerous man')),
      encrypt([xid.recipient()], new Uint8Array(70_000).fill(7)),
    ]);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1), fc.nat(), fc.integer({ min: 0, max: 7 }), async (which, pos, bit) => {
        const file = files[which]!.slice();
        file[pos % file.length]! ^= 1 << bit;
        await rejects(decrypt(which === 0 ? [id] : [xid], file));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every truncation of a file', async () => {
    const file = await encrypt([xid.recipient()], new Uint8Array(65536 + 100).fill(1));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: file.length - 1 }), async (len) => {
        await rejects(decrypt([xid], file.subarray(0, len)));
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a flipped bit in the mlkem768x25519 enc or body (header or no-match, never success)', async () => {
    const file = await encrypt([id.recipient()], bytes.utf8('payload'));
    const { stanzas } = inspect(file);
    const st = stanzas[0]!;
    expect(st.args[0]).toBe('mlkem768x25519');
    const enc = bytes.fromBase64Raw(st.args[1]!);
    expect(enc.length).toBe(1120);
    expect(st.body.length).toBe(32);
    const text = new TextDecoder('latin1').decode(file);
    const encB64 = st.args[1]!;
    const bodyB64 = bytes.base64Raw(st.body);
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 7 }), async (inEnc, pos, bit) => {
        const original = inEnc ? enc : st.body;
        const changed = original.slice();
        changed[pos % changed.length]! ^= 1 << bit;
        const from = inEnc ? encB64 : bodyB64;
        const tampered = text.replace(from, bytes.base64Raw(changed));
        const e = await rejects(decrypt([id], Uint8Array.from(tampered, (c) => c.charCodeAt(0))));
        expect(['header', 'no-match', 'hmac']).toContain(e.kind);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses every one of the 256 single-bit changes to the header MAC, as an HMAC failure (X25519 and hybrid)', async () => {
    const plaintext = bytes.utf8('a report about a dangerous man');
    for (const [who, file] of [
      [xid, await encrypt([xid.recipient()], plaintext)],
      [id, await encrypt([id.recipient()], plaintext)],
    ] as const) {
      expect(await decrypt([who], file)).toEqual(plaintext);
      const text = new TextDecoder('latin1').decode(file);
      const at = text.indexOf('\n--- ') + 5;
      const mac = bytes.fromBase64Raw(text.slice(at, at + 43));
      expect(mac.length).toBe(32);
      for (let bit = 0; bit < 256; bit++) {
        const changed = mac.slice();
        changed[bit >> 3]! ^= 1 << (bit & 7);
        const tampered = text.slice(0, at) + bytes.base64Raw(changed) + text.slice(at + 43);
        const e = await rejects(decrypt([who], Uint8Array.from(tampered, (c) => c.charCodeAt(0))));
        expect(e.kind, `MAC bit ${bit}`).toBe('hmac');
      }
    }
  });

  it('refuses an scrypt stanza beside another even when that other stanza matches the identity offered (either order)', async () => {
    const plaintext = bytes.utf8('a coordinator key file');
    const passphrase = 'correct horse battery staple';
    /** A well-formed file whose stanzas all wrap the same file key, with a correct MAC. */
    async function fileWith(order: 'scrypt first' | 'scrypt last' | 'x25519 only'): Promise<Uint8Array> {
      const fileKey = primitives().randomBytes(16);
      const x = await xid.recipient().wrap(fileKey);
      const s = await new ScryptRecipient(passphrase, 10).wrap(fileKey);
      const stanzas: Stanza[] = order === 'x25519 only' ? x : order === 'scrypt first' ? [...s, ...x] : [...x, ...s];
      const nonce = primitives().randomBytes(16);
      const enc = new StreamEncryptor(fileKey, nonce);
      return bytes.concat(writeHeader(stanzas, fileKey), nonce, ...enc.push(plaintext), enc.finish());
    }
    // The construction is sound: alone, the X25519 stanza opens the file.
    expect(await decrypt([xid], await fileWith('x25519 only'))).toEqual(plaintext);
    const offers: Identity[][] = [[xid], [new ScryptIdentity(passphrase)], [xid, new ScryptIdentity(passphrase)], [new ScryptIdentity(passphrase), xid]];
    for (const order of ['scrypt first', 'scrypt last'] as const) {
      const file = await fileWith(order);
      for (const identities of offers) {
        const e = await rejects(decrypt(identities, file));
        expect(e.kind, order).toBe('header');
        const e2 = await rejects(collectStream(decryptStream(identities), file));
        expect(e2.kind, `${order}, streaming`).toBe('header');
      }
    }
  });

  it('refuses to mix post-quantum and classical recipients, and scrypt with anything', async () => {
    await expect(encrypt([id.recipient(), xid.recipient()], new Uint8Array(1))).rejects.toThrow(
      'cannot mix post-quantum and classical recipients',
    );
  });
});
