/**
 * age v1 encryption and decryption (age-encryption.org/v1), in memory and as
 * Web Streams (which run in browsers and in Node) so large files are never held whole.
 */
import { findHeaderEnd, parseHeader, verifyHeaderMac, writeHeader, type ParsedHeader, type Stanza } from './age-header.js';
import { NONCE_SIZE, StreamDecryptor, StreamEncryptor } from './age-stream.js';
import { armor, dearmor, isArmored } from './armor.js';
import { concat, wipe } from './bytes.js';
import { AgeError } from './errors.js';
import { primitives } from './primitives.js';
import { FILE_KEY_SIZE, type Identity, type Recipient } from './recipient.js';

export interface EncryptOptions {
  /** Produce ASCII-armored output. */
  armor?: boolean;
}

/**
 * Check a recipient set and wrap a fresh file key for it.
 * @throws Error('no recipients' | 'scrypt recipients must be alone' | 'cannot mix post-quantum and classical recipients')
 */
async function makeHeader(recipients: readonly Recipient[]): Promise<{ header: Uint8Array; fileKey: Uint8Array }> {
  if (recipients.length === 0) throw new Error('no recipients');
  if (recipients.some((r) => r.mustBeAlone) && recipients.length > 1) throw new Error('scrypt recipients must be alone');
  const pq = recipients.filter((r) => r.postQuantum).length;
  // age.md: a file encrypted to a hybrid recipient SHOULD NOT also go to a classical one.
  if (pq > 0 && pq < recipients.length) throw new Error('cannot mix post-quantum and classical recipients');
  const fileKey = primitives().randomBytes(FILE_KEY_SIZE);
  const stanzas: Stanza[] = [];
  for (const r of recipients) stanzas.push(...(await r.wrap(fileKey)));
  return { header: writeHeader(stanzas, fileKey), fileKey };
}

/**
 * Encrypt a whole payload in memory.
 * @throws see makeHeader
 */
export async function encrypt(recipients: readonly Recipient[], plaintext: Uint8Array, opts: EncryptOptions = {}): Promise<Uint8Array> {
  const { header, fileKey } = await makeHeader(recipients);
  const nonce = primitives().randomBytes(NONCE_SIZE);
  const enc = new StreamEncryptor(fileKey, nonce);
  wipe(fileKey);
  const parts = enc.push(plaintext);
  parts.push(enc.finish());
  const file = concat(header, nonce, ...parts);
  return opts.armor ? new TextEncoder().encode(armor(file)) : file;
}

/** An age header made in advance, to seal exactly one plaintext later. */
export interface PreparedEncryption {
  /**
   * Encrypt the plaintext under the prepared header (the same file `encrypt` would make).
   * @throws Error('prepared encryption already used') on a second call or after wipe()
   */
  seal(plaintext: Uint8Array): Uint8Array;
  /** Forget the file key without using it. */
  wipe(): void;
}

/**
 * The slow half of {@link encrypt} now: draw the file key and wrap it to every recipient (for
 * the hybrid recipients, ML-KEM and X25519 per coordinator); the payload is sealed later with
 * `seal`, once. A reporter's page does this while the person types, so Send only runs
 * ChaCha20-Poly1305 over the report. The file key stays in memory until `seal` or `wipe`.
 * @throws as encrypt
 */
export async function prepareEncryption(recipients: readonly Recipient[]): Promise<PreparedEncryption> {
  const { header, fileKey } = await makeHeader(recipients);
  let used = false;
  return {
    seal(plaintext) {
      if (used) throw new Error('prepared encryption already used');
      used = true;
      const nonce = primitives().randomBytes(NONCE_SIZE);
      const enc = new StreamEncryptor(fileKey, nonce);
      wipe(fileKey);
      const parts = enc.push(plaintext);
      parts.push(enc.finish());
      return concat(header, nonce, ...parts);
    },
    wipe() {
      used = true;
      wipe(fileKey);
    },
  };
}

/** The file key unwrapped from a parsed header by the first identity that matches. */
async function unwrapFileKey(h: ParsedHeader, identities: readonly Identity[]): Promise<Uint8Array> {
  // age.md: an scrypt stanza must be the only one, whatever identities are offered.
  if (h.stanzas.some((s) => s.args[0] === 'scrypt') && h.stanzas.length !== 1) {
    throw new AgeError('header', 'scrypt stanza must be alone');
  }
  for (const id of identities) {
    const fileKey = await id.unwrap(h.stanzas);
    if (fileKey) {
      if (fileKey.length !== FILE_KEY_SIZE) throw new AgeError('header', 'bad file key length');
      verifyHeaderMac(h, fileKey);
      return fileKey;
    }
  }
  throw new AgeError('no-match');
}

/**
 * Decrypt a whole file in memory; armored input is detected.
 * @throws AgeError (header, hmac, no-match, payload, armor)
 */
export async function decrypt(identities: readonly Identity[], file: Uint8Array): Promise<Uint8Array> {
  const { data, end, header } = readHeader(file);
  const fileKey = await unwrapFileKey(header, identities);
  if (data.length - end < NONCE_SIZE) throw new AgeError('header', 'missing payload nonce');
  const dec = new StreamDecryptor(fileKey, data.subarray(end, end + NONCE_SIZE));
  wipe(fileKey);
  const parts: Uint8Array[] = [];
  dec.push(data.subarray(end + NONCE_SIZE), parts);
  dec.finish(parts);
  return concat(...parts);
}

/**
 * Read only the header of an age file, without any key: for checks such as
 * "exactly N hybrid stanzas" on a server that never decrypts.
 * @throws AgeError('header' | 'armor')
 */
export function inspect(file: Uint8Array): { stanzas: Stanza[]; headerLength: number; payloadLength: number } {
  const { data, end, header } = readHeader(file);
  if (data.length - end < NONCE_SIZE + 16) throw new AgeError('header', 'missing payload');
  return { stanzas: header.stanzas, headerLength: end, payloadLength: data.length - end };
}

/** Dearmor when armored, then find and parse the header of a whole file held in memory. */
function readHeader(file: Uint8Array): { data: Uint8Array; end: number; header: ParsedHeader } {
  const data = isArmored(file) ? dearmor(file) : file;
  const end = findHeaderEnd(data);
  if (end < 0) throw new AgeError('header', 'truncated header');
  return { data, end, header: parseHeader(data.subarray(0, end)) };
}

/** A TransformStream that encrypts its input to the recipients (binary output). */
export function encryptStream(recipients: readonly Recipient[]): TransformStream<Uint8Array, Uint8Array> {
  let enc: StreamEncryptor | undefined;
  return new TransformStream<Uint8Array, Uint8Array>({
    async start(controller) {
      const { header, fileKey } = await makeHeader(recipients);
      const nonce = primitives().randomBytes(NONCE_SIZE);
      enc = new StreamEncryptor(fileKey, nonce);
      wipe(fileKey);
      controller.enqueue(concat(header, nonce));
    },
    transform(chunk, controller) {
      for (const c of enc!.push(chunk)) controller.enqueue(c);
    },
    flush(controller) {
      controller.enqueue(enc!.finish());
    },
  });
}

/**
 * A TransformStream that decrypts a binary age file. Verified plaintext is released
 * chunk by chunk; the stream errors with an AgeError on the first failure.
 */
export function decryptStream(identities: readonly Identity[]): TransformStream<Uint8Array, Uint8Array> {
  let pending: Uint8Array = new Uint8Array(0);
  let dec: StreamDecryptor | undefined;
  let header: ParsedHeader | undefined;
  let fileKey: Uint8Array | undefined;

  async function advance(chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    if (dec) return release(controller, (out) => dec!.push(chunk, out));
    pending = concat(pending, chunk);
    if (!header) {
      const end = findHeaderEnd(pending);
      if (end < 0) return;
      header = parseHeader(pending.subarray(0, end));
      fileKey = await unwrapFileKey(header, identities);
      pending = pending.subarray(end);
    }
    if (pending.length < NONCE_SIZE) return;
    dec = new StreamDecryptor(fileKey!, pending.subarray(0, NONCE_SIZE));
    wipe(fileKey);
    const rest = pending.subarray(NONCE_SIZE);
    pending = new Uint8Array(0);
    release(controller, (out) => dec!.push(rest, out));
  }

  return new TransformStream<Uint8Array, Uint8Array>({
    transform: advance,
    flush(controller) {
      if (!header) throw new AgeError('header', 'truncated header');
      if (!dec) throw new AgeError('header', 'missing payload nonce');
      release(controller, (out) => dec!.finish(out));
    },
  });
}

/** Enqueue whatever plaintext was verified, even when the step then fails. */
function release(controller: TransformStreamDefaultController<Uint8Array>, step: (out: Uint8Array[]) => void): void {
  const out: Uint8Array[] = [];
  try {
    step(out);
  } finally {
    for (const c of out) controller.enqueue(c);
  }
}
