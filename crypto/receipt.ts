/**
 * Receipt codes and the reporter's mailbox derived from them (SPEC.md §Receipt codes).
 *
 * A code is 10 words (11 bits each: 100 bits from the CSPRNG followed by a 10-bit checksum),
 * written with the v2 word list (receipt-words.ts) and also shown as 10 groups of 4 digits,
 * each group a word's index. Words of v1 (BIP-39), of v2 and digit groups are all read back.
 * From the 100 bits alone, scrypt then HKDF-SHA-256 give the mailbox id, the mailbox signing
 * key and the hybrid reply identity. The code never leaves the device.
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { base64Raw, concat, utf8, wipe } from './bytes.js';
import { DocumentError } from './errors.js';
import { hkdfSha256, sha256 } from './hkdf.js';
import { HybridIdentity } from './hybrid.js';
import { primitives } from './primitives.js';
import { WORDLIST_V1, WORDLIST_V2 } from './receipt-words.js';

export const RECEIPT_WORDS = 10;
/** Bits drawn from the CSPRNG; the rest of the 110 bits carried by the words is checksum. */
export const RECEIPT_ENTROPY_BITS = 100;
const CHECKSUM_BITS = RECEIPT_WORDS * 11 - RECEIPT_ENTROPY_BITS;
/** 100 bits, most significant first, in 13 bytes whose last 4 bits are zero. */
const ENTROPY_BYTES = Math.ceil(RECEIPT_ENTROPY_BITS / 8);
const MAX_INPUT_LENGTH = 400;

const CHECKSUM_LABEL = utf8('tipline/v1 receipt checksum');
const SCRYPT_SALT = utf8('tipline/v1 receipt code');
const INFO_MAILBOX_ID = 'tipline/v1 mailbox id';
const INFO_SIGNING_KEY = 'tipline/v1 mailbox signing key';
const INFO_REPLY_IDENTITY = 'tipline/v1 reply identity';

/** scrypt parameters of v1 (SPEC.md §Receipt codes explains the choice and the measurements). */
export const RECEIPT_SCRYPT = Object.freeze({ logN: 12, r: 8, p: 1 });

/** The word list new codes are written in. */
export const RECEIPT_WORDLIST: readonly string[] = WORDLIST_V2;
const BOTH = [...WORDLIST_V1.map((w, i) => [w, i] as const), ...WORDLIST_V2.map((w, i) => [w, i] as const)];
const WORD_INDEX = new Map<string, number>(BOTH);
/** Every word of either list is identified by its first four letters (checked by the tests). */
const PREFIX_INDEX = new Map<string, number>(BOTH.map(([w, i]) => [w.slice(0, 4), i]));

export interface Mailbox {
  /** base64url without padding of 32 derived bytes; the server's name for the mailbox. */
  mailboxId: string;
  /** Ed25519 seed that signs the reporter's mailbox requests. Secret: wipe it (bytes.wipe) when done. */
  signingSeed: Uint8Array;
  signingPublicKey: Uint8Array;
  /** Coordinators' replies are encrypted to `replyIdentity.recipient()`. */
  replyIdentity: HybridIdentity;
}

function checksum(entropy: Uint8Array): number {
  const h = sha256(concat(CHECKSUM_LABEL, entropy));
  return ((h[0]! << 8) | h[1]!) >> (16 - CHECKSUM_BITS);
}

/** Word indices for 100 bits of entropy: entropy bits then checksum bits, 11 per word. */
function toIndices(entropy: Uint8Array): number[] {
  const bits: number[] = [];
  for (let i = 0; i < RECEIPT_ENTROPY_BITS; i++) bits.push((entropy[i >> 3]! >> (7 - (i & 7))) & 1);
  const c = checksum(entropy);
  for (let i = CHECKSUM_BITS - 1; i >= 0; i--) bits.push((c >> i) & 1);
  const out: number[] = [];
  for (let w = 0; w < RECEIPT_WORDS; w++) {
    let v = 0;
    for (let b = 0; b < 11; b++) v = (v << 1) | bits[w * 11 + b]!;
    out.push(v);
  }
  return out;
}

/** Entropy from word indices, or undefined when the checksum does not match. */
function fromIndices(indices: readonly number[]): Uint8Array | undefined {
  const bits: number[] = [];
  for (const v of indices) for (let b = 10; b >= 0; b--) bits.push((v >> b) & 1);
  const entropy = new Uint8Array(ENTROPY_BYTES);
  for (let i = 0; i < RECEIPT_ENTROPY_BITS; i++) entropy[i >> 3]! |= bits[i]! << (7 - (i & 7));
  let c = 0;
  for (let i = RECEIPT_ENTROPY_BITS; i < bits.length; i++) c = (c << 1) | bits[i]!;
  return c === checksum(entropy) ? entropy : undefined;
}

function encode(entropy: Uint8Array): string {
  return toIndices(entropy)
    .map((i) => WORDLIST_V2[i]!)
    .join(' ');
}

/**
 * @internal Test-only: the code (v2 words) for 13 bytes of entropy whose last 4 bits are zero.
 * @throws Error when the entropy is not 13 such bytes
 */
export function receiptCodeFromEntropy(entropy: Uint8Array): string {
  if (entropy.length !== ENTROPY_BYTES || (entropy[ENTROPY_BYTES - 1]! & 0x0f) !== 0) throw new Error('receipt entropy is 13 bytes, last 4 bits zero');
  return encode(entropy);
}

/**
 * The index (0..2047) one typed piece of a code stands for: a whole v1 or v2 word, a word's
 * first four letters or more, or a group of exactly 4 digits up to 2047; undefined otherwise.
 * Input is folded as {@link normalizeReceiptCode} folds it (case, accents).
 */
export function receiptWordIndex(piece: string): number | undefined {
  if (typeof piece !== 'string' || piece.length > 40) return undefined;
  const t = piece.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
  if (/^[0-9]{4}$/.test(t)) {
    const n = Number(t);
    return n < 2048 ? n : undefined;
  }
  if (!/^[a-z]{3,}$/.test(t)) return undefined;
  return WORD_INDEX.get(t) ?? (t.length >= 4 ? PREFIX_INDEX.get(t.slice(0, 4)) : undefined);
}

/** Up to `max` v2 words starting with `prefix` (lowercase letters), for completion while typing. */
export function completeReceiptWord(prefix: string, max = 6): string[] {
  const p = prefix.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
  if (!/^[a-z]{1,12}$/.test(p)) return [];
  const out: string[] = [];
  for (const w of WORDLIST_V2) {
    if (w.startsWith(p) || (p.length > 4 && w.startsWith(p.slice(0, 4)) && PREFIX_INDEX.get(p.slice(0, 4)) === WORD_INDEX.get(w))) out.push(w);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * The same code as 10 groups of 4 digits (each group a word's index, 0000–2047), which read
 * the same in every language: "0412 1999 ...".
 * @throws DocumentError('invalid receipt code') as {@link normalizeReceiptCode}
 */
export function receiptCodeDigits(code: string): string {
  const entropy = parse(code);
  const digits = toIndices(entropy)
    .map((i) => String(i).padStart(4, '0'))
    .join(' ');
  wipe(entropy);
  return digits;
}

/** Draw a new receipt code: 10 lowercase words separated by single spaces. */
export function generateReceiptCode(): string {
  const entropy = primitives().randomBytes(ENTROPY_BYTES);
  entropy[ENTROPY_BYTES - 1]! &= 0xf0;
  const code = encode(entropy);
  wipe(entropy);
  return code;
}

/** Separators a person may type or a phone may substitute between words. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212_.,;:/|·•]+/u;

function parse(input: string): Uint8Array {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) throw new DocumentError('invalid receipt code');
  let tokens = input
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(SEPARATORS)
    .filter((t) => t !== '');
  // The digits form: 40 digits, in groups of 4 or in any other grouping a person wrote them in.
  if (tokens.length > 0 && tokens.every((t) => /^[0-9]+$/.test(t))) {
    const all = tokens.join('');
    if (all.length !== RECEIPT_WORDS * 4) throw new DocumentError('invalid receipt code');
    tokens = all.match(/[0-9]{4}/g)!;
  }
  if (tokens.length !== RECEIPT_WORDS) throw new DocumentError('invalid receipt code');
  // All words or all digit groups: a mix is not a form anyone was given.
  const digits = /^[0-9]{4}$/.test(tokens[0]!);
  const indices: number[] = [];
  for (const t of tokens) {
    if (!(digits ? /^[0-9]{4}$/ : /^[a-z]{3,}$/).test(t)) throw new DocumentError('invalid receipt code');
    const i = receiptWordIndex(t);
    if (i === undefined) throw new DocumentError('invalid receipt code');
    indices.push(i);
  }
  const entropy = fromIndices(indices);
  if (!entropy) throw new DocumentError('invalid receipt code');
  return entropy;
}

/**
 * The canonical form of a receipt code: lowercase full v2 words separated by single spaces
 * (a v1 code comes back in its v2 spelling: the same code).
 * Accepts any letter case, accents (stripped), any run of spaces, hyphens, dashes, dots, commas or underscores
 * between words, and a word written as its first four letters or more (only the first four
 * are read; three-letter words must be exact). The checksum catches almost every mistyped word.
 * @throws DocumentError('invalid receipt code') on a wrong word count, an unknown word or a checksum mismatch
 */
export function normalizeReceiptCode(input: string): string {
  const entropy = parse(input);
  const code = encode(entropy);
  wipe(entropy);
  return code;
}

/** @internal Test-only: scrypt parameters, so property tests need not pay for the real work factor. */
export interface ReceiptKdfParams {
  logN: number;
  r: number;
  p: number;
}

/**
 * Derive the mailbox for a receipt code (in any form {@link normalizeReceiptCode} accepts).
 * Runs scrypt (about 0.1 s with a JIT, a few seconds without), yielding to the event loop.
 * @param onProgress called with a fraction in [0, 1]; 1 is reported once, at the end
 * @throws DocumentError('invalid receipt code')
 */
export function deriveMailbox(code: string, onProgress?: (fraction: number) => void): Promise<Mailbox> {
  return deriveMailboxWithParams(code, RECEIPT_SCRYPT, onProgress);
}

/**
 * @internal Test-only: {@link deriveMailbox} with other scrypt parameters. Not exported from
 * crypto/index.ts; production code MUST use deriveMailbox.
 */
export async function deriveMailboxWithParams(
  code: string,
  params: ReceiptKdfParams,
  onProgress?: (fraction: number) => void,
): Promise<Mailbox> {
  const entropy = parse(code);
  const N = 2 ** params.logN;
  let root: Uint8Array;
  try {
    root = await scryptAsync(entropy, SCRYPT_SALT, {
      N,
      r: params.r,
      p: params.p,
      dkLen: 32,
      maxmem: 128 * params.r * (N + params.p) + 1024 * 1024,
      ...(onProgress ? { onProgress: throttled(onProgress) } : {}),
    });
  } finally {
    wipe(entropy);
  }
  const mailboxId = base64Url(hkdfSha256(root, new Uint8Array(0), INFO_MAILBOX_ID));
  const signingSeed = hkdfSha256(root, new Uint8Array(0), INFO_SIGNING_KEY);
  const replySeed = hkdfSha256(root, new Uint8Array(0), INFO_REPLY_IDENTITY);
  wipe(root);
  const replyIdentity = new HybridIdentity(replySeed);
  wipe(replySeed);
  const signingPublicKey = primitives().ed25519PublicKey(signingSeed);
  onProgress?.(1);
  return { mailboxId, signingSeed, signingPublicKey, replyIdentity };
}

/**
 * noble reports progress after every BlockMix (thousands of calls); pass on steps of at least 1%,
 * and at most 0.99, because the key expansion after scrypt still has to run.
 */
function throttled(onProgress: (fraction: number) => void): (f: number) => void {
  let last = -1;
  return (f) => {
    const capped = Math.min(f, 0.99);
    if (capped - last >= 0.01) {
      last = capped;
      onProgress(capped);
    }
  };
}

function base64Url(b: Uint8Array): string {
  return base64Raw(b).replace(/\+/g, '-').replace(/\//g, '_');
}
