/**
 * The age v1 STREAM payload (age.md §Payload): 64 KiB chunks of ChaCha20-Poly1305
 * under a key derived from the file key and a 16-byte nonce.
 * Both directions work incrementally so large files never sit whole in memory.
 */
import { concat, wipe } from './bytes.js';
import { AgeError } from './errors.js';
import { hkdfSha256 } from './hkdf.js';
import { primitives } from './primitives.js';

export const CHUNK_SIZE = 64 * 1024;
const TAG_SIZE = 16;
const ENC_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
export const NONCE_SIZE = 16;

/** payload key = HKDF-SHA-256(ikm = file key, salt = nonce, info = "payload") */
export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return hkdfSha256(fileKey, nonce, 'payload');
}

function chunkNonce(counter: number, last: boolean): Uint8Array {
  const n = new Uint8Array(12);
  // 11-byte big-endian counter; 2^53 chunks is far beyond any file we handle.
  let c = counter;
  for (let i = 10; i >= 0 && c > 0; i--) {
    n[i] = c % 256;
    c = Math.floor(c / 256);
  }
  n[11] = last ? 1 : 0;
  return n;
}

/** A growing list of byte arrays that can be consumed from the front without copying everything. */
class ByteQueue {
  private parts: Uint8Array[] = [];
  private head = 0;
  length = 0;
  push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.length += b.length;
  }
  /** Remove and return the first n bytes (n <= length). */
  take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const p = this.parts[this.head]!;
      const k = Math.min(p.length, n - o);
      out.set(p.subarray(0, k), o);
      o += k;
      if (k === p.length) this.head++;
      else this.parts[this.head] = p.subarray(k);
    }
    // Drop consumed parts now and then, so tiny writes stay linear overall.
    if (this.head > 1024) {
      this.parts = this.parts.slice(this.head);
      this.head = 0;
    }
    this.length -= n;
    return out;
  }
}

/** Incremental STREAM encryptor: push plaintext, get ciphertext chunks; finish() emits the final chunk. */
export class StreamEncryptor {
  private readonly key: Uint8Array;
  private counter = 0;
  private readonly queue = new ByteQueue();
  private done = false;

  constructor(fileKey: Uint8Array, nonce: Uint8Array) {
    this.key = payloadKey(fileKey, nonce);
  }

  push(plaintext: Uint8Array): Uint8Array[] {
    if (this.done) throw new Error('stream already finished');
    this.queue.push(plaintext);
    const out: Uint8Array[] = [];
    // Keep at least one byte back: only then do we know a full chunk is not the last one.
    while (this.queue.length > CHUNK_SIZE) out.push(this.sealChunk(this.queue.take(CHUNK_SIZE), false));
    return out;
  }

  finish(): Uint8Array {
    if (this.done) throw new Error('stream already finished');
    this.done = true;
    const last = this.sealChunk(this.queue.take(this.queue.length), true);
    wipe(this.key);
    return last;
  }

  private sealChunk(pt: Uint8Array, last: boolean): Uint8Array {
    const ct = primitives().seal(this.key, chunkNonce(this.counter++, last), pt);
    wipe(pt);
    return ct;
  }
}

/**
 * Incremental STREAM decryptor. Plaintext is appended to `out` chunk by chunk once its
 * tag verifies, so a caller can release it before a later failure; a full chunk is held
 * back until we know whether more data follows.
 */
export class StreamDecryptor {
  private readonly key: Uint8Array;
  private counter = 0;
  private readonly queue = new ByteQueue();
  private finished = false;

  constructor(fileKey: Uint8Array, nonce: Uint8Array) {
    this.key = payloadKey(fileKey, nonce);
  }

  /** @throws AgeError('payload') */
  push(ciphertext: Uint8Array, out: Uint8Array[]): void {
    this.queue.push(ciphertext);
    if (this.finished && this.queue.length > 0) throw new AgeError('payload', 'data after final chunk');
    while (this.queue.length > ENC_CHUNK_SIZE) {
      const ct = this.queue.take(ENC_CHUNK_SIZE);
      const pt = this.tryOpen(ct, false);
      if (pt) {
        out.push(pt);
        continue;
      }
      // A full-size chunk may be the final one (age.md §Payload); then what follows is garbage.
      out.push(this.openChunk(ct, true));
      this.finished = true;
      throw new AgeError('payload', 'data after final chunk');
    }
  }

  /** @throws AgeError('payload') when the stream does not end with a valid final chunk */
  finish(out: Uint8Array[]): void {
    if (this.finished) return;
    const rest = this.queue.take(this.queue.length);
    if (rest.length < TAG_SIZE) throw new AgeError('payload', 'truncated chunk');
    if (rest.length === TAG_SIZE && this.counter > 0) throw new AgeError('payload', 'empty final chunk');
    if (rest.length === ENC_CHUNK_SIZE) {
      // A full chunk at the end that verifies as non-final is released, but the file is cut short.
      const pt = this.tryOpen(rest, false);
      if (pt) {
        out.push(pt);
        throw new AgeError('payload', 'missing final chunk');
      }
    }
    out.push(this.openChunk(rest, true));
    this.finished = true;
    wipe(this.key);
  }

  private tryOpen(ct: Uint8Array, last: boolean): Uint8Array | undefined {
    try {
      const pt = primitives().open(this.key, chunkNonce(this.counter, last), ct);
      this.counter++;
      return pt;
    } catch {
      return undefined;
    }
  }

  private openChunk(ct: Uint8Array, last: boolean): Uint8Array {
    const pt = this.tryOpen(ct, last);
    if (!pt) throw new AgeError('payload', `chunk ${this.counter} failed authentication`);
    return pt;
  }
}

/** Encrypt a whole payload in memory (convenience over StreamEncryptor). */
export function sealPayload(fileKey: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const enc = new StreamEncryptor(fileKey, nonce);
  const parts = enc.push(plaintext);
  parts.push(enc.finish());
  return concat(nonce, ...parts);
}
