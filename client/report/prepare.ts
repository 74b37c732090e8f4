/**
 * Work done while the person is still answering, so that Send is near-instant even on a slow
 * phone without a JIT: verify the keyring, draw the receipt code and derive its mailbox
 * (scrypt, on this page in 10 ms slices so typing stays smooth), fetch a proof-of-work challenge and
 * solve it in the worker. A challenge is renewed before it expires (the server's are
 * single-use and live minutes). Nothing here is sent until the person presses Send; the code
 * and keys stay in memory and are wiped on quick exit.
 */
import { ApiError, requestJson } from '../lib/api.js';
import { bytes, deriveMailbox, generateReceiptCode, prepareEncryption, type HybridRecipient, type Mailbox, type PreparedEncryption } from '../lib/crypto.js';
import { verifiedRecipients } from '../lib/keyring.js';
import { runPow } from '../lib/pow.js';
import { onWipe } from '../lib/safety.js';

export interface Stamp {
  stamp: string;
  /** Unix seconds (server clock) after which the server refuses it. */
  expires: number;
}

interface Receipt {
  code: string;
  mailbox: Mailbox;
  /** The mailbox's reply recipient (age1pq1...), computed in advance: its ML-KEM key generation is slow without a JIT. */
  replyRecipient: string;
}

async function newReceipt(onProgress?: (fraction: number) => void): Promise<Receipt> {
  const code = generateReceiptCode();
  const mailbox = await deriveMailbox(code, onProgress);
  return { code, mailbox, replyRecipient: mailbox.replyIdentity.recipient().toString() };
}

/** Renew a solved stamp when less than this is left of its life (a send takes seconds; a slow solve, more). */
const RENEW_MARGIN_S = 120;
/** A keyring verified this recently is used at Send without fetching it again (it is re-verified at each renewal). */
const KEYRING_FRESH_MS = 15 * 60 * 1000;

/** The verified keyring's recipients, and the report's age header wrapped to them in advance. */
interface Sealer {
  recipients: HybridRecipient[];
  verifiedAt: number;
  encryption: Promise<PreparedEncryption>;
}
let sealer: Sealer | undefined;
/** The keyring behind the last sealer handed out, for the next one. */
let spent: { recipients: HybridRecipient[]; verifiedAt: number } | undefined;

function dropSealer(): void {
  sealer?.encryption.then((e) => e.wipe()).catch(() => {});
  sealer = undefined;
}

function startSealer(recipients: HybridRecipient[]): void {
  dropSealer();
  const encryption = prepareEncryption(recipients);
  encryption.catch(() => {});
  sealer = { recipients, verifiedAt: Date.now(), encryption };
}

/** Verify the keyring again in the background and prepare a header for it (on renewal). */
function refreshSealer(): void {
  verifiedRecipients().then(
    ({ recipients }) => startSealer(recipients),
    () => dropSealer(),
  );
}

let receipt: Promise<Receipt> | undefined;
let stamp: Promise<Stamp> | undefined;
let renewTimer: ReturnType<typeof setTimeout> | undefined;
let keyringOk: Promise<unknown> | undefined;

function wipeReceipt(p: Promise<Receipt> | undefined): void {
  p?.then((r) => bytes.wipe(r.mailbox.signingSeed)).catch(() => {});
}

onWipe(() => {
  dropSealer();
  spent = undefined;
  wipeReceipt(receipt);
  receipt = stamp = keyringOk = undefined;
  if (renewTimer) clearTimeout(renewTimer);
});

async function solveFresh(onProgress?: (fraction: number) => void): Promise<Stamp> {
  const { challenge, difficulty, expires } = await requestJson<{ challenge: string; difficulty: number; expires?: number }>('/api/pow');
  const stampText = await runPow(challenge, difficulty, (tried, expected) =>
    // The expected count is a mean; show a bar that approaches the end without claiming to reach it.
    onProgress?.(1 - Math.exp(-tried / Math.max(1, expected))),
  );
  // Servers that do not say when the challenge expires: assume ten minutes from now.
  const exp = typeof expires === 'number' && Number.isFinite(expires) ? expires : Math.floor(Date.now() / 1000) + 600;
  return { stamp: stampText, expires: exp };
}

function scheduleRenewal(s: Stamp): void {
  if (renewTimer) clearTimeout(renewTimer);
  const ms = Math.max(1000, (s.expires - Math.floor(Date.now() / 1000) - RENEW_MARGIN_S) * 1000);
  renewTimer = setTimeout(() => {
    renewTimer = undefined;
    startStamp();
    refreshSealer();
  }, ms);
}

function startStamp(): void {
  const p = solveFresh();
  stamp = p;
  p.then(scheduleRenewal, () => {
    // A failed prefetch is simply done again at Send.
    if (stamp === p) stamp = undefined;
  });
}

function startReceipt(): void {
  const p = newReceipt();
  receipt = p;
  p.catch(() => {
    if (receipt === p) receipt = undefined;
  });
}

/**
 * Start the work in the background (idempotent). Nothing starts until the keyring verifies,
 * so a page given a forged keyring asks the server for nothing else.
 */
export function prepare(): void {
  if (keyringOk) return;
  const k = verifiedRecipients();
  keyringOk = k;
  k.then(
    ({ recipients }) => {
      startSealer(recipients);
      if (!receipt) startReceipt();
      if (!stamp) startStamp();
    },
    () => {
      if (keyringOk === k) keyringOk = undefined;
    },
  );
}

/** The prepared receipt code and mailbox (derived now if none is ready); each is handed out once. */
export async function takeReceipt(onProgress: (fraction: number) => void): Promise<Receipt> {
  const p = receipt;
  receipt = undefined;
  if (p) {
    try {
      return await p;
    } catch {
      // derive again below
    }
  }
  return newReceipt(onProgress);
}

/** A solved stamp with enough life left (solved now if none is ready); each is handed out once, then a new one is prepared. */
export async function takeStamp(onProgress: (fraction: number) => void): Promise<string> {
  const p = stamp;
  stamp = undefined;
  if (renewTimer) clearTimeout(renewTimer);
  let s: Stamp | undefined;
  if (p) {
    try {
      s = await p;
    } catch {
      s = undefined;
    }
  }
  if (!s || s.expires - Math.floor(Date.now() / 1000) < 30) s = await solveFresh(onProgress);
  return s.stamp;
}

/**
 * The recipients of a keyring verified in the last 15 minutes and an age header already wrapped
 * to them (used once), or undefined: then Send fetches and verifies the keyring itself.
 */
export function takeSealer(): { recipients: HybridRecipient[]; encryption: Promise<PreparedEncryption> } | undefined {
  const s = sealer;
  sealer = undefined;
  if (!s) return undefined;
  if (Date.now() - s.verifiedAt > KEYRING_FRESH_MS) {
    s.encryption.then((e) => e.wipe()).catch(() => {});
    return undefined;
  }
  // The next report (or a retry) gets its own header, wrapped to the same verified keyring, but
  // only after this send (prepareNext): wrapping is hundreds of milliseconds of main-thread work
  // on a slow phone without a JIT, and here it would delay the receipt code.
  spent = { recipients: s.recipients, verifiedAt: s.verifiedAt };
  return s;
}

/** After a send (or a failed one): have the next code and stamp ready for another report or a retry. */
export function prepareNext(): void {
  if (!receipt) startReceipt();
  if (!stamp) startStamp();
  const s = spent;
  spent = undefined;
  if (!sealer && s && Date.now() - s.verifiedAt <= KEYRING_FRESH_MS) {
    sealer = { ...s, encryption: prepareEncryption(s.recipients) };
    sealer.encryption.catch(() => {});
  }
}

export type { HybridRecipient };
export { ApiError };
