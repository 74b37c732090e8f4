/**
 * Reads the protocol vectors beside this file. Format (see README.md): the first line is
 * `expect: ...`, every other line `key: value` (or `key:` for an empty value); keys may repeat.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VECTOR_DIR = import.meta.dirname;

export interface Vector {
  name: string;
  expect: string;
  /** The single value of a key. @throws when the key is missing or repeated */
  get(key: string): string;
  /** The single value of a key, or undefined. @throws when repeated */
  opt(key: string): string | undefined;
  /** Every value of a key, in file order. */
  all(key: string): string[];
  /** Keys in file order (without repeats), for sanity checks. */
  keys(): string[];
}

export function parseVector(name: string, text: string): Vector {
  if (!text.endsWith('\n')) throw new Error(`${name}: no final newline`);
  const lines = text.slice(0, -1).split('\n');
  const first = /^expect: (.+)$/.exec(lines[0] ?? '');
  if (!first) throw new Error(`${name}: first line is not expect: ...`);
  const fields = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const m = /^([a-z][a-z0-9 -]*):(?: (.*))?$/.exec(line);
    if (!m) throw new Error(`${name}: bad line ${JSON.stringify(line.slice(0, 40))}`);
    const k = m[1]!;
    if (k === 'expect') throw new Error(`${name}: expect repeated`);
    fields.set(k, [...(fields.get(k) ?? []), m[2] ?? '']);
  }
  const opt = (k: string): string | undefined => {
    const v = fields.get(k);
    if (v && v.length > 1) throw new Error(`${name}: ${k} repeated`);
    return v?.[0];
  };
  return {
    name,
    expect: first[1]!,
    get(k) {
      const v = opt(k);
      if (v === undefined) throw new Error(`${name}: no ${k}`);
      return v;
    },
    opt,
    all: (k) => fields.get(k) ?? [],
    keys: () => [...fields.keys()],
  };
}

/** Every vector whose file name starts with `${prefix}-`, sorted by name. */
export function loadVectors(prefix: 'document' | 'keyring' | 'request' | 'pow'): Vector[] {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.startsWith(`${prefix}-`))
    .sort()
    .map((f) => parseVector(f, readFileSync(join(VECTOR_DIR, f), 'utf8')));
}

/**
 * Ed25519 verification by OpenSSL through node:crypto: an implementation independent of
 * both backends, used to check that the signed bytes are exactly what SPEC.md says.
 */
export async function opensslVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const { createPublicKey, verify } = await import('node:crypto');
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  return verify(null, message, key, signature);
}
