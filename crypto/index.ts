/**
 * The public crypto API of tipline. Everything outside crypto/ imports from here.
 * It imports nothing from server/ or client/.
 */
import './noble.js';

export { encrypt, decrypt, encryptStream, decryptStream, inspect, type EncryptOptions } from './age.js';
export { armor, dearmor, isArmored } from './armor.js';
export type { Stanza } from './age-header.js';
export { AgeError, DocumentError, type AgeErrorKind } from './errors.js';
export { X25519Identity, X25519Recipient } from './x25519.js';
export { HybridIdentity, HybridRecipient } from './hybrid.js';
export { ScryptIdentity, ScryptRecipient, DEFAULT_SCRYPT_LOG_N, MAX_SCRYPT_LOG_N } from './scrypt.js';
export { parseRecipient, parseIdentity, parseIdentityFile, formatIdentityFile, type AnyIdentity, type AnyRecipient } from './keys.js';
export type { Identity, Recipient } from './recipient.js';
export { primitives, useBackend, type Primitives } from './primitives.js';
export { nobleBackend } from './noble.js';
export { loadSodiumBackend } from './sodium.js';
export * as bytes from './bytes.js';
// exports: protocol (signed documents, keyring, request signatures, proof of work)
// exports: report (padding, receipt codes, report schema)
