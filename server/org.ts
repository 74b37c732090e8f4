/**
 * Creating an organisation: the root Ed25519 key, coordinator identities (a hybrid age
 * identity for decryption plus an Ed25519 signing key) and the root-signed keyring.
 *
 * Secret files are ordinary armored age files encrypted with a passphrase (scrypt), whose
 * plaintext is one JSON object:
 *   root key:     {"v":1,"kind":"tipline root key","seed":"<base64 32 bytes>"}
 *   coordinator:  {"v":1,"kind":"tipline coordinator identity","id":"…","name":"…",
 *                  "identity":"AGE-SECRET-KEY-PQ-1…","signingSeed":"<base64 32 bytes>"}
 * so `age -d` can open them too. Public files in the data dir: `keyring.json` (the signed
 * envelope) and `root-public-key` (base64).
 */
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { z } from 'zod';
import {
  HybridIdentity,
  MAX_KEYRING_DAYS,
  ScryptIdentity,
  ScryptRecipient,
  bytes,
  decrypt,
  encrypt,
  primitives,
  signKeyring,
  type Keyring,
  type Role,
  type SignedEnvelope,
} from '../crypto/index.js';
import { addDays, dayOf } from './util.js';

export const KEYRING_FILE = 'keyring.json';
/** The signed organisation profile the server loads at start (tipline init, the demo). */
export const PROFILE_FILE = 'profile.json';
export const ROOT_PUBLIC_KEY_FILE = 'root-public-key';
export const SERVER_KEY_FILE = 'server-key';

export interface CoordinatorSecret {
  id: string;
  name: string;
  identity: HybridIdentity;
  signingSeed: Uint8Array;
}

/** A random passphrase of `words` words from the BIP-39 English list (11 bits each). */
export function randomPassphrase(words = 8): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(wordlist[randomInt(wordlist.length)]!);
  return out.join('-');
}

export function newCoordinator(id: string, name: string): CoordinatorSecret {
  return { id, name, identity: HybridIdentity.generate(), signingSeed: primitives().randomBytes(32) };
}

/** The keyring entry of a coordinator. */
export function coordinatorEntry(c: CoordinatorSecret, roles: Role[]) {
  return {
    id: c.id,
    name: c.name,
    recipient: c.identity.recipient().toString(),
    signingKey: bytes.base64Padded(primitives().ed25519PublicKey(c.signingSeed)),
    roles,
  };
}

/**
 * Build and sign a keyring, valid `validDays` (default and at most MAX_KEYRING_DAYS) after today.
 * @throws KeyringError when a rule is broken (validDays above the cap included)
 */
export function buildKeyring(
  rootSeed: Uint8Array,
  coordinators: { secret: CoordinatorSecret; roles: Role[] }[],
  opts: { version?: number; now?: Date; validDays?: number } = {},
): { keyring: Keyring; envelope: SignedEnvelope } {
  const issued = dayOf(opts.now ?? new Date());
  const keyring: Keyring = {
    version: opts.version ?? 1,
    issued,
    expires: addDays(issued, opts.validDays ?? MAX_KEYRING_DAYS),
    coordinators: coordinators.map((c) => coordinatorEntry(c.secret, c.roles)),
  };
  return { keyring, envelope: signKeyring(keyring, rootSeed) };
}

async function seal(value: unknown, passphrase: string, logN?: number): Promise<string> {
  const plaintext = bytes.utf8(JSON.stringify(value));
  try {
    const file = await encrypt([new ScryptRecipient(passphrase, logN)], plaintext, { armor: true });
    return bytes.fromUtf8(file);
  } finally {
    bytes.wipe(plaintext);
  }
}

/** The armored, passphrase-protected root key file. */
export function sealRootKey(seed: Uint8Array, passphrase: string, logN?: number): Promise<string> {
  return seal({ v: 1, kind: 'tipline root key', seed: bytes.base64Padded(seed) }, passphrase, logN);
}

/** The armored, passphrase-protected coordinator identity file. */
export function sealCoordinator(c: CoordinatorSecret, passphrase: string, logN?: number): Promise<string> {
  return seal(
    {
      v: 1,
      kind: 'tipline coordinator identity',
      id: c.id,
      name: c.name,
      identity: c.identity.toString(),
      signingSeed: bytes.base64Padded(c.signingSeed),
    },
    passphrase,
    logN,
  );
}

const seed32 = z.string().refine((s) => {
  try {
    return bytes.fromBase64Padded(s).length === 32;
  } catch {
    return false;
  }
});
const rootFile = z.strictObject({ v: z.literal(1), kind: z.literal('tipline root key'), seed: seed32 });
const coordinatorFile = z.strictObject({
  v: z.literal(1),
  kind: z.literal('tipline coordinator identity'),
  id: z.string(),
  name: z.string(),
  identity: z.string().startsWith('AGE-SECRET-KEY-PQ-1'),
  signingSeed: seed32,
});

async function open(file: Uint8Array | string, passphrase: string): Promise<unknown> {
  const data = typeof file === 'string' ? bytes.utf8(file) : file;
  const plaintext = await decrypt([new ScryptIdentity(passphrase)], data);
  try {
    return JSON.parse(bytes.fromUtf8(plaintext));
  } finally {
    bytes.wipe(plaintext);
  }
}

/**
 * Open a root key file.
 * @throws AgeError('no-match') for a wrong passphrase; Error('not a tipline root key file')
 */
export async function openRootKey(file: Uint8Array | string, passphrase: string): Promise<Uint8Array> {
  const r = rootFile.safeParse(await open(file, passphrase));
  if (!r.success) throw new Error('not a tipline root key file');
  return bytes.fromBase64Padded(r.data.seed);
}

/**
 * Open a coordinator identity file.
 * @throws AgeError('no-match') for a wrong passphrase; Error('not a tipline coordinator identity file')
 */
export async function openCoordinator(file: Uint8Array | string, passphrase: string): Promise<CoordinatorSecret> {
  const r = coordinatorFile.safeParse(await open(file, passphrase));
  if (!r.success) throw new Error('not a tipline coordinator identity file');
  return {
    id: r.data.id,
    name: r.data.name,
    identity: HybridIdentity.parse(r.data.identity),
    signingSeed: bytes.fromBase64Padded(r.data.signingSeed),
  };
}

/** The root public key stored in a data dir, if any. @throws Error('invalid root public key file') */
export function readRootPublicKey(dataDir: string): Uint8Array | undefined {
  const p = join(dataDir, ROOT_PUBLIC_KEY_FILE);
  if (!existsSync(p)) return undefined;
  try {
    const b = bytes.fromBase64Padded(readFileSync(p, 'utf8').trim());
    if (b.length === 32) return b;
  } catch {
    // fall through
  }
  throw new Error('invalid root public key file');
}
