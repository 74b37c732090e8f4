/**
 * The crypto the browser uses, from the shared library's public entry point (which
 * installs the pure-JavaScript noble backend; libsodium is aliased away in vite.config.ts).
 */
export {
  encrypt,
  decrypt,
  bytes,
  verifyKeyring,
  keyringRecipients,
  signRequest,
  solvePow,
  HybridRecipient,
  HybridIdentity,
  DocumentError,
  AgeError,
  type Keyring,
} from '../../crypto/index.js';
// Not yet re-exported by crypto/index.ts.
export { pad, unpad } from '../../crypto/padding.js';
export { generateReceiptCode, normalizeReceiptCode, deriveMailbox, type Mailbox } from '../../crypto/receipt.js';
export {
  reportSchema,
  encodeReport,
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
  type Report,
  type Answer,
  type IncidentType,
} from '../../crypto/report.js';
