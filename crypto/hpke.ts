/**
 * HPKE base mode (RFC 9180) for one suite: KEM MLKEM768-X25519 (0x647a),
 * KDF HKDF-SHA256 (0x0001), AEAD ChaCha20Poly1305 (0x0003). Single-shot seal/open
 * with sequence number 0, which is all age needs.
 */
import { extract, expand } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, equalBytes, utf8, wipe } from './bytes.js';
import { primitives } from './primitives.js';
import { xwingDecapsulate, xwingEncapsulate, type XWingKeys } from './xwing.js';

const KEM_ID = 0x647a;
const KDF_ID = 0x0001;
const AEAD_ID = 0x0003;
const NK = 32;
const NN = 12;
const MODE_BASE = 0x00;
const EMPTY = new Uint8Array(0);
const HPKE_V1 = utf8('HPKE-v1');

function i2osp2(n: number): Uint8Array {
  return new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
}

// RFC 9180 §5.1: suite_id = concat("HPKE", I2OSP(kem_id, 2), I2OSP(kdf_id, 2), I2OSP(aead_id, 2))
const SUITE_ID = concat(utf8('HPKE'), i2osp2(KEM_ID), i2osp2(KDF_ID), i2osp2(AEAD_ID));

// RFC 9180 §4: LabeledExtract and LabeledExpand
function labeledExtract(salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return extract(sha256, concat(HPKE_V1, SUITE_ID, utf8(label), ikm), salt);
}
function labeledExpand(prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array {
  return expand(sha256, prk, concat(i2osp2(length), HPKE_V1, SUITE_ID, utf8(label), info), length);
}

// The key schedule context depends on the (public) info alone, and age always passes the same
// info: the console opens two stanzas per report on average, so the last one is kept.
let lastInfo: Uint8Array | undefined;
let lastContext: Uint8Array = EMPTY;

function keyScheduleContext(info: Uint8Array): Uint8Array {
  if (lastInfo && equalBytes(lastInfo, info)) return lastContext;
  const pskIdHash = labeledExtract(EMPTY, 'psk_id_hash', EMPTY);
  const infoHash = labeledExtract(EMPTY, 'info_hash', info);
  lastContext = concat(new Uint8Array([MODE_BASE]), pskIdHash, infoHash);
  lastInfo = info.slice();
  return lastContext;
}

// RFC 9180 §5.1: KeySchedule<ROLE>(mode_base, shared_secret, info, psk = "", psk_id = "")
function keySchedule(sharedSecret: Uint8Array, info: Uint8Array): { key: Uint8Array; baseNonce: Uint8Array } {
  const context = keyScheduleContext(info);
  const secret = labeledExtract(sharedSecret, 'secret', EMPTY);
  const key = labeledExpand(secret, 'key', context, NK);
  const baseNonce = labeledExpand(secret, 'base_nonce', context, NN);
  wipe(secret);
  return { key, baseNonce };
}

/**
 * RFC 9180 §6.1 SealBase(pkR, info, aad, pt) for the first (and only) message.
 * @throws Error('invalid recipient')
 */
export function sealBase(
  publicKey: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  eseed?: Uint8Array,
): { enc: Uint8Array; ciphertext: Uint8Array } {
  const { enc, sharedSecret } = xwingEncapsulate(publicKey, eseed);
  const { key, baseNonce } = keySchedule(sharedSecret, info);
  // Sequence number 0: nonce = base_nonce XOR 0.
  const ciphertext = primitives().seal(key, baseNonce, plaintext, aad);
  wipe(sharedSecret, key);
  return { enc, ciphertext };
}

/**
 * RFC 9180 §6.1 OpenBase(enc, skR, info, aad, ct).
 * @throws Error('invalid X25519 point') from the KEM, Error('decryption failed') from the AEAD
 */
export function openBase(keys: XWingKeys, enc: Uint8Array, info: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const sharedSecret = xwingDecapsulate(keys, enc);
  const { key, baseNonce } = keySchedule(sharedSecret, info);
  try {
    return primitives().open(key, baseNonce, ciphertext, aad);
  } finally {
    wipe(sharedSecret, key);
  }
}
