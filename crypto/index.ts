/**
 * The public crypto API of tipline. Everything outside crypto/ imports from here.
 * It imports nothing from server/ or client/.
 */
import './noble.js';

export { encrypt, prepareEncryption, decrypt, encryptStream, decryptStream, inspect, type EncryptOptions, type PreparedEncryption } from './age.js';
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
export {
  DOCUMENT_LABELS,
  MAX_DOCUMENT_PAYLOAD,
  MAX_ENVELOPE_LENGTH,
  documentMessage,
  signDocument,
  parseEnvelope,
  verifyDocument,
  parseJsonPayload,
  type DocumentKind,
  type SignedEnvelope,
} from './signed.js';
export {
  ROLES,
  MAX_COORDINATORS,
  MAX_KEYRING_DAYS,
  KeyringError,
  keyringSchema,
  dayStart,
  encodeKeyring,
  signKeyring,
  verifyKeyring,
  keyringRecipients,
  findCoordinator,
  type Role,
  type Coordinator,
  type Keyring,
} from './keyring.js';
export {
  REQUEST_LABELS,
  REQUEST_HEADERS,
  DEFAULT_REQUEST_WINDOW,
  MAX_SIGNED_PATH,
  requestMessage,
  signRequest,
  verifyRequest,
  type RequestScope,
  type RequestToSign,
} from './request-auth.js';
export { MAX_STAMP_LENGTH, MAX_POW_DIFFICULTY, isChallenge, parseStamp, leadingZeroBits, checkPow, solvePow } from './pow.js';
export { pad, unpad, PADDING_CLASSES, MAX_PADDED_SIZE, MAX_PAYLOAD_SIZE } from './padding.js';
export {
  generateReceiptCode,
  normalizeReceiptCode,
  receiptCodeDigits,
  receiptWordIndex,
  completeReceiptWord,
  deriveMailbox,
  RECEIPT_WORDS,
  RECEIPT_WORDLIST,
  type Mailbox,
} from './receipt.js';
export {
  reportSchema,
  encodeReport,
  decodeReport,
  REPORT_LIMITS,
  INCIDENT_TYPES,
  TIME_BANDS,
  SETTINGS,
  CONTACT_METHODS,
  ANSWERS,
  GENDERS,
  AGE_RANGES,
  HEIGHTS,
  BUILDS,
  OFFENDER_COUNTS,
  LANGUAGES,
  type Report,
  type IncidentType,
  type Answer,
} from './report.js';
export {
  CONTACT_KINDS,
  PROFILE_LIMITS,
  REGION_ID,
  ProfileError,
  profileSchema,
  encodeProfile,
  signProfile,
  profileSigners,
  verifyProfile,
  localizeProfile,
  PROFILE_LANG_TAG,
  type Profile,
  type ProfileTranslation,
  type ProfileRegion,
  type ProfileContact,
  type ContactKind,
} from './profile.js';
export { SMALL, audit, suppress, isPublishableCell, type Cell, type TableKind, type RawTable, type RawPeriod, type PublishedTable, type PublishedPeriod, type Disclosure } from './suppress.js';
export {
  STAT_TABLES,
  STATISTICS_LIMITS,
  StatisticsError,
  quarterDays,
  quarterOf,
  encodeStatistics,
  signStatistics,
  statisticsSigners,
  verifyStatistics,
  assertPeriodsKept,
  type StatTableId,
  type Statistics,
} from './statistics.js';
export {
  IDENTIFIER_KINDS,
  WARNING_LIMITS,
  WARNING_ID,
  WarningError,
  warningSchema,
  withdrawalSchema,
  isMasked,
  maskIdentifier,
  documentId,
  encodeWarning,
  encodeWithdrawal,
  signWarning,
  signWithdrawal,
  warningSigners,
  verifyWarningDocument,
  type Warning,
  type Withdrawal,
  type MaskedIdentifier,
  type IdentifierKind,
  type VerifiedDocument,
} from './warning.js';
export {
  MEMBER_TYPES,
  memberApplicationSchema,
  encodeApplication,
  decodeApplication,
  type MemberApplication,
  type MemberType,
} from './membership.js';
export {
  MATCH_KINDS,
  DEFAULT_COUNTRY,
  extractIdentifiers,
  normalizePhone,
  normalizeEmail,
  normalizePlate,
  normalizeUrl,
  normalizeHandle,
  partialPlateMatches,
  queryKeys,
  CHECK_KINDS,
  checkKey,
  guessCheckKind,
  type Identifier,
  type MatchKind,
  type CheckKind,
} from './identifiers.js';
export {
  CHECK_PARAMS,
  CHECK_SALT,
  CHECK_TAG_BYTES,
  CHECK_KEY_INFO,
  MAX_CHECK_BATCH,
  CheckError,
  checkInput,
  blindCheck,
  blindWith,
  checkElement,
  deriveCheckKey,
  deriveOprfKey,
  evaluateBlinded,
  finalizeOprf,
  evaluateOprf,
  checkTag,
  finalizeCheck,
} from './oprf.js';
