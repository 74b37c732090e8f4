/**
 * Warnings in the console process (issue 10): the organisation profile fetched through the
 * server client and verified against the pinned root, first drafts from consenting reports,
 * and warnings, corrections and withdrawals signed here with the coordinator's key, never
 * in the page.
 */
import {
  maskIdentifier,
  signWarning,
  signWithdrawal,
  verifyProfile,
  verifyWarningDocument,
  type IdentifierKind,
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
