/**
 * The members' warning list as a small model (no DOM): applies the server's incremental
 * answers, verifying every document against the root-pinned keyring. A warning that fails
 * verification is kept only as a flagged entry without its content; a warning goes away only
 * on a verified withdrawal or a verified correction that supersedes it.
 */
import { verifyWarningDocument, type Keyring, type SignedEnvelope, type Warning } from '../../crypto/index.js';
import type { MemberKey } from '../i18n/member/index.js';

export type Entry =
  | { id: string; status: 'verified'; warning: Warning; signer: string; envelope: SignedEnvelope; disputed?: boolean }
  | { id: string; status: 'failed'; reason: MemberKey };

export interface SyncAnswer {
  warnings: unknown[];
  ids: string[];
  withdrawn: string[];
  proofs?: unknown[];
  cursor: number;
  more: boolean;
}

export interface SyncState {
  cursor: number;
  entries: Map<string, Entry>;
  /** ids removed by a verified withdrawal or correction: never shown again */
  removed: Set<string>;
}

export const emptyState = (): SyncState => ({ cursor: 0, entries: new Map(), removed: new Set() });

/** Why a document failed, in words a member can act on. */
function reason(e: unknown): MemberKey {
  const m = e instanceof Error ? e.message : '';
  if (m === 'untrusted signer') return 'warnings.untrusted';
  if (m === 'invalid signature') return 'warnings.altered';
  return 'warnings.invalid';
}

/** Add one verified-or-not warning envelope to the state. */
export function addWarning(state: SyncState, id: string, env: unknown, keyring: Keyring): void {
  if (state.removed.has(id)) return;
  try {
    const d = verifyWarningDocument(env as SignedEnvelope, keyring);
    if (d.kind !== 'warning') throw new Error('not a warning');
    if (d.id !== id) throw new Error('id mismatch');
    state.entries.set(id, { id, status: 'verified', warning: d.warning, signer: d.signer.name, envelope: env as SignedEnvelope });
    if (d.warning.supersedes) {
      state.entries.delete(d.warning.supersedes);
      state.removed.add(d.warning.supersedes);
    }
  } catch (e) {
    state.entries.set(id, { id, status: 'failed', reason: reason(e) });
  }
}

/** Apply one answer of `GET /api/warnings?since=`; returns the same (mutated) state. */
export function applySync(state: SyncState, a: SyncAnswer, keyring: Keyring): SyncState {
  a.warnings.forEach((env, i) => addWarning(state, a.ids[i] ?? '', env, keyring));
  a.withdrawn.forEach((id, i) => {
    const proof = a.proofs?.[i];
    let ok = false;
    try {
      const d = verifyWarningDocument(proof as SignedEnvelope, keyring);
      ok = d.kind === 'withdrawal' ? d.withdrawal.withdraws === id : d.warning.supersedes === id;
    } catch {
      ok = false;
    }
    if (ok) {
      state.entries.delete(id);
      state.removed.add(id);
    } else {
      const e = state.entries.get(id);
      // The server stopped serving it without a signed reason: keep it, and say so.
      if (e?.status === 'verified') e.disputed = true;
    }
  });
  state.cursor = a.cursor;
  return state;
}

/** Verified entries newest first (published day, then the month it happened), then flagged ones. */
export function ordered(state: SyncState): Entry[] {
  const all = [...state.entries.values()];
  const v = all.filter((e): e is Extract<Entry, { status: 'verified' }> => e.status === 'verified');
  v.sort((a, b) => (b.warning.published + b.warning.month).localeCompare(a.warning.published + a.warning.month) || a.id.localeCompare(b.id));
  return [...all.filter((e) => e.status === 'failed'), ...v];
}

// ---- the opt-in copy on the device (members only) ----

const STORE = 'tipline-member-warnings';

interface Stored {
  v: 1;
  cursor: number;
  keyringVersion: number;
  warnings: [string, SignedEnvelope][];
  removed: string[];
}

/** The stored copy, or undefined when there is none (or it is unreadable). */
export function loadStored(): Stored | undefined {
  try {
    const raw = localStorage.getItem(STORE);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as Stored;
    return s && s.v === 1 && Array.isArray(s.warnings) ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Rebuild a state from the stored copy, verifying every stored envelope again. */
export function stateFromStored(s: Stored, keyring: Keyring): SyncState {
  const state = emptyState();
  state.removed = new Set(s.removed);
  for (const [id, env] of s.warnings) addWarning(state, id, env, keyring);
  state.cursor = s.cursor;
  return state;
}

/** Keep the verified warnings (only those) on this device. */
export function saveStored(state: SyncState, keyringVersion: number): void {
  const warnings: [string, SignedEnvelope][] = [];
  for (const e of state.entries.values()) if (e.status === 'verified') warnings.push([e.id, e.envelope]);
  const s: Stored = { v: 1, cursor: state.cursor, keyringVersion, warnings, removed: [...state.removed] };
  localStorage.setItem(STORE, JSON.stringify(s));
}

/** Forget this device: remove every stored warning. */
export function forgetDevice(): void {
  try {
    localStorage.removeItem(STORE);
  } catch {
    // storage unavailable: nothing stored
  }
}
