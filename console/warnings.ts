/**
 * Warnings in the console process (issue 10): the organisation profile fetched through the
 * server client and verified against the pinned root, first drafts from consenting reports,
 * and warnings, corrections and withdrawals signed here with the coordinator's key, never
 * in the page.
 */
import {
  CHECK_KINDS,
  blindCheck,
  bytes,
  checkInput,
  checkKey,
  finalizeCheck,
  maskIdentifier,
  signWarning,
  signWithdrawal,
  verifyProfile,
  verifyWarningDocument,
  type CheckKind,
  type IdentifierKind,
  type MaskedIdentifier,
  type Profile,
  type Warning,
} from '../crypto/index.js';
import { draftFromReport, warningFromDraft, type WarningDraft } from '../client/lib/composer.js';
import { ConsentRefused } from '../client/lib/redaction.js';
import { RemoteError } from './remote.js';
import type { ConsoleService } from './service.js';

/** A refusal the page shows as it is: `status` is the console API's answer code. */
export class ComposerRefusal extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

const CONSENT_REASONS: Record<ConsentRefused['reason'], string> = {
  'publish-warning-no': 'the reporter answered "no" to publishing a warning',
  'publish-warning-unsure': 'the reporter was not sure about publishing a warning',
  'publish-warning-missing': 'the report does not say whether a warning may be published',
  'third-party-no-consent': 'it was sent on someone else\'s behalf without their consent',
};

export interface PublishedWarning {
  id: string;
  day: string;
  warning: Warning;
  signer: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/** The profile as published, verified against the pinned root (or an admin of the verified keyring). @throws RemoteError, DocumentError */
export async function verifiedProfile(s: ConsoleService): Promise<Profile> {
  const keyring = s.keyring ?? (await s.refreshKeyring());
  const env = await s.remote.publicJson('/api/profile');
  return verifyProfile(env as never, s.rootPublicKey, { keyring });
}

/** Signing warnings needs the `warnings` role in the verified keyring. @throws ComposerRefusal */
function assertCanSign(s: ConsoleService): void {
  const me = s.keyring?.coordinators.find((c) => c.id === s.me.id);
  if (!me?.roles.includes('warnings')) throw new ComposerRefusal(403, 'your key does not hold the warnings role in the keyring');
}

/**
 * A first draft from a report: only when it decrypted, passes the schema, and its consent allows a warning.
 * @throws ComposerRefusal (404 no such report, 422 unreadable, 409 consent says no, with the reason)
 */
export function draftForCase(s: ConsoleService, id: string): WarningDraft {
  const c = s.cases.get(id);
  if (!c) throw new ComposerRefusal(404, 'not found');
  if (c.status !== 'ok' || !c.report) throw new ComposerRefusal(422, 'this report could not be read, so its consent is unknown: no warning can start from it');
  try {
    return draftFromReport(c.report);
  } catch (e) {
    if (e instanceof ConsentRefused) throw new ComposerRefusal(409, `No warning from this report: ${CONSENT_REASONS[e.reason]}.`);
    throw e;
  }
}

export function mask(kind: IdentifierKind, value: string): string {
  return maskIdentifier(kind, value);
}

/** What happens around posting a signed warning (alerts.ts records it before and after). */
export interface PublishHooks {
  signed(id: string, regions: string[], supersedes?: string): void;
  published(id: string): void;
  /** the server refused it (an answer, not a lost connection) */
  refused(id: string): void;
}

/** An identifier as the composer holds it: masked for reading, with its private-check tag when it has one. */
export type TaggedIdentifier = MaskedIdentifier & { tag?: string };

/**
 * The private-check tags of identifiers typed in full (crypto/SPEC.md §Private check): each
 * normalised and hashed here (Argon2id), blinded, evaluated by the server in one signed
 * request (it sees blinded elements only), finalised here. `undefined` for a kind members
 * cannot check (`other`) or a value that cannot be of its kind.
 * @throws RemoteError
 */
export async function checkTags(s: ConsoleService, ids: { kind: IdentifierKind; value: string }[]): Promise<(string | undefined)[]> {
  const prepared = ids.map((i) => {
    const key = (CHECK_KINDS as readonly string[]).includes(i.kind) ? checkKey(i.kind as CheckKind, i.value) : undefined;
    if (!key) return undefined;
    const input = checkInput(key);
    return { input, ...blindCheck(input) };
  });
  const todo = prepared.filter((p): p is NonNullable<typeof p> => p !== undefined);
  if (todo.length === 0) return prepared.map(() => undefined);
  const r = await s.remote.json<{ evaluated: string[] }>('POST', '/api/coordinator/check', { blinded: todo.map((p) => bytes.base64Padded(p.blinded)) });
  if (!Array.isArray(r.evaluated) || r.evaluated.length !== todo.length) throw new ComposerRefusal(422, 'the server answered the check tags wrongly');
  let k = 0;
  return prepared.map((p) => {
    if (!p) return undefined;
    const ev = bytes.fromBase64Padded(String(r.evaluated[k++]));
    return bytes.base64Padded(finalizeCheck(p.input, p.blind, ev));
  });
}

/** A masked identifier with its tag, from the value typed in full. @throws RemoteError */
export async function maskAndTag(s: ConsoleService, kind: IdentifierKind, value: string): Promise<TaggedIdentifier> {
  const [tag] = await checkTags(s, [{ kind, value }]);
  return { kind, masked: maskIdentifier(kind, value), ...(tag ? { tag } : {}) };
}

/**
 * {@link draftForCase} with the private-check tag of each identifier the report gave in full
 * (the order of draftFromReport: phones, emails, usernames, plate).
 * @throws ComposerRefusal, RemoteError
 */
export async function draftForCaseWithTags(s: ConsoleService, id: string): Promise<Omit<WarningDraft, 'identifiers'> & { identifiers?: TaggedIdentifier[] }> {
  const draft = draftForCase(s, id);
  const r = s.cases.get(id)!.report!;
  const raw: { kind: IdentifierKind; value: string }[] = [
    ...(r.identifiers?.phones ?? []).map((value) => ({ kind: 'phone' as const, value })),
    ...(r.identifiers?.emails ?? []).map((value) => ({ kind: 'email' as const, value })),
    ...(r.identifiers?.usernames ?? []).map((value) => ({ kind: 'username' as const, value })),
    ...(r.vehicle?.plate && !r.vehicle.plateIsPartial ? [{ kind: 'plate' as const, value: r.vehicle.plate }] : []),
  ].slice(0, draft.identifiers?.length ?? 0);
  if (!draft.identifiers || raw.length === 0) return draft;
  const tags = await checkTags(s, raw);
  return { ...draft, identifiers: draft.identifiers.map((i, k) => (tags[k] && raw[k]?.kind === i.kind ? { ...i, tag: tags[k] } : i)) };
}

/** Sign a warning (a correction when `draft.supersedes` is set) and publish it. @throws ComposerRefusal, WarningError, RemoteError */
export async function publish(s: ConsoleService, draft: WarningDraft, hooks?: PublishHooks): Promise<string> {
  await s.refreshKeyring();
  assertCanSign(s);
  const warning = warningFromDraft(draft, today());
  const { id, envelope } = signWarning(warning, s.me.signingSeed);
  hooks?.signed(id, warning.regions, draft.supersedes);
  try {
    await s.remote.json('POST', '/api/coordinator/warnings', envelope);
  } catch (e) {
    if (e instanceof RemoteError && e.status !== 0) hooks?.refused(id);
    throw e;
  }
  hooks?.published(id);
  return id;
}

/** Sign a withdrawal of warning `id` and publish it. @throws ComposerRefusal, WarningError, RemoteError */
export async function withdraw(s: ConsoleService, id: string, reason?: string): Promise<void> {
  await s.refreshKeyring();
  assertCanSign(s);
  const { envelope } = signWithdrawal({ schemaVersion: 1, published: today(), withdraws: id, ...(reason ? { reason } : {}) }, s.me.signingSeed);
  await s.remote.json('POST', '/api/coordinator/warnings', envelope);
}

/** The live warnings, each verified against the keyring; any that fails is left out of the list and counted. @throws RemoteError */
export async function listWarnings(s: ConsoleService): Promise<{ warnings: PublishedWarning[]; failed: number }> {
  const keyring = await s.refreshKeyring();
  const rows = await s.remote.list<{ id: string; day: string; envelope: unknown }>('/api/coordinator/warnings', 'warnings');
  const warnings: PublishedWarning[] = [];
  let failed = 0;
  for (const r of rows) {
    try {
      const d = verifyWarningDocument(r.envelope as never, keyring);
      if (d.kind !== 'warning' || d.id !== r.id) throw new Error('mismatch');
      warnings.push({ id: d.id, day: r.day, warning: d.warning, signer: d.signer.name });
    } catch {
      failed++;
    }
  }
  // Newest first: the server lists in publishing order.
  warnings.reverse().sort((a, b) => (a.warning.published < b.warning.published ? 1 : a.warning.published > b.warning.published ? -1 : 0));
  return { warnings, failed };
}
