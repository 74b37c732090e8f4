/**
 * Every age test vector from C2SP/CCTV (tests/vectors/age-cctv, copied into the repository), one test each,
 * under both primitives backends.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  AgeError,
  ScryptIdentity,
  bytes,
  decrypt,
  decryptStream,
  dearmor,
  parseIdentity,
  type Identity,
} from '../../crypto/index.js';
import { backendNames, installBackend } from './backends.js';

const DIR = join(import.meta.dirname, '../vectors/age-cctv');

interface Vector {
  name: string;
  expect: string;
  payload?: string;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  file: Uint8Array;
}

function load(name: string): Vector | undefined {
  const raw = readFileSync(join(DIR, name));
  const sep = raw.indexOf('\n\n');
  const headerText = raw.subarray(0, sep).toString('utf8');
  let file: Uint8Array = raw.subarray(sep + 2);
  const v: Vector = { name, expect: '', identities: [], passphrases: [], armored: false, file };
  for (const line of headerText.split('\n')) {
    const i = line.indexOf(': ');
    const key = line.slice(0, i);
    const value = line.slice(i + 2);
    if (key === 'expect') v.expect = value;
    else if (key === 'payload') v.payload = value;
    else if (key === 'identity') v.identities.push(value);
    else if (key === 'passphrase') v.passphrases.push(value);
    else if (key === 'armored') v.armored = value === 'yes';
    else if (key === 'compressed') file = inflateSync(file);
    else if (key === 'file key' || key === 'comment') continue;
    else return undefined; // README: files with other keys are to be ignored
  }
  v.file = file;
  return v;
}

const names = readdirSync(DIR).filter((n) => n !== 'README.md' && !n.startsWith('.')).sort();
const vectors = names.map(load).filter((v): v is Vector => v !== undefined);

const KIND: Record<string, string> = {
  'header failure': 'header',
  'HMAC failure': 'hmac',
  'no match': 'no-match',
  'payload failure': 'payload',
  'armor failure': 'armor',
};

function identitiesOf(v: Vector): Identity[] {
  return [...v.identities.map(parseIdentity), ...v.passphrases.map((p) => new ScryptIdentity(p))];
}

/** Decrypt through the streaming API, returning everything released before any failure. */
async function streamDecrypt(v: Vector): Promise<{ released: Uint8Array; error?: unknown }> {
  let data = v.file;
  if (v.armored) data = dearmor(data);
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      // Feed in uneven pieces so chunk boundaries are exercised.
      for (let i = 0; i < data.length; i += 7919) c.enqueue(data.subarray(i, i + 7919));
      c.close();
    },
  });
  const parts: Uint8Array[] = [];
  try {
    for await (const p of source.pipeThrough(decryptStream(identitiesOf(v)))) parts.push(p);
    return { released: bytes.concat(...parts) };
  } catch (error) {
    return { released: bytes.concat(...parts), error };
  }
}

it('loads all 143 CCTV vectors', () => {
  expect(vectors.length).toBe(143);
});

for (const name of backendNames) {
  describe(`age CCTV vectors (${name} backend)`, () => {
    beforeAll(() => installBackend(name));

    for (const v of vectors) {
      it(`${v.name}: ${v.expect}`, async () => {
        if (v.armored) {
          // The armor layer is checked on its own; the rest goes through decrypt().
          let inner: Uint8Array | undefined;
          try {
            inner = dearmor(v.file);
          } catch (e) {
            expect(e).toBeInstanceOf(AgeError);
            expect(v.expect).toBe('armor failure');
            return;
          }
          expect(inner).toBeDefined();
        }
        if (v.expect === 'success') {
          const out = await decrypt(identitiesOf(v), v.file);
          expect(bytes.toHex(sha256(out))).toBe(v.payload);
          const streamed = await streamDecrypt(v);
          expect(streamed.error).toBeUndefined();
          expect(bytes.toHex(sha256(streamed.released))).toBe(v.payload);
          return;
        }
        const kind = KIND[v.expect];
        expect(kind, `unknown expectation ${v.expect}`).toBeDefined();
        const err = await decrypt(identitiesOf(v), v.file).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(AgeError);
        expect((err as AgeError).kind).toBe(kind);
        const streamed = await streamDecrypt(v);
        expect(streamed.error).toBeInstanceOf(AgeError);
        expect((streamed.error as AgeError).kind).toBe(kind);
        // The payload hash covers all plaintext released before the failure.
        if (v.payload) expect(bytes.toHex(sha256(streamed.released))).toBe(v.payload);
        else expect(streamed.released.length).toBe(0);
      });
    }
  });
}
