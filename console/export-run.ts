/**
 * Police intelligence export (issue 12) in the console process: the selection (with linked
 * reports when asked), the regions the coordinator chose, the file (HTML or JSON) sealed
 * with age to a police recipient or a passphrase before it leaves this process, and a case
 * note on every selected report saying who exported what, when (the day) and to what kind
 * of recipient. The plaintext leaves unencrypted only when the coordinator asks for a
 * plain download, and is never written to disk here.
 */
import { DEFAULT_SCRYPT_LOG_N, ScryptRecipient, bytes, dayStart, encrypt, parseRecipient, primitives, type Recipient } from '../crypto/index.js';
import { buildExport, exportJson, type ExportModel, type ExportOutcome, type ExportSource } from './export.js';
import { exportHtml } from './export-html.js';
import type { ConsoleService } from './service.js';
import { ComposerRefusal, verifiedProfile } from './warnings.js';

export type ExportFormat = 'html' | 'json';
export type Protection = { kind: 'recipient'; recipient: string } | { kind: 'passphrase'; passphrase: string } | { kind: 'plain' };
export type RecipientKind = 'age X25519 recipient' | 'age post-quantum recipient' | 'passphrase' | 'none (plain download)';

/** Shorter passphrases are refused: the file may travel by email. */
export const MIN_PASSPHRASE = 12;

export interface ExportRequest {
  ids: string[];
  includeLinked?: boolean;
  /** region ids of the organisation profile, per report id */
  regions?: Record<string, string[]>;
}

/** The selection in order, each linked report after the one it links to when asked. */
export function selection(s: ConsoleService, req: ExportRequest): ExportSource[] {
  const ids: string[] = [];
  for (const id of req.ids) {
    if (!s.cases.has(id)) throw new ComposerRefusal(404, 'not found');
    ids.push(id);
    if (req.includeLinked) for (const l of s.index.related(id)) ids.push(l.id);
  }
  return [...new Set(ids)].map((id) => {
    const c = s.cases.get(id)!;
    return {
      id,
      status: c.status,
      ...(c.report ? { report: c.report } : {}),
      hasMailbox: c.hasMailbox && !!c.report?.replyRecipient,
      attachments: c.attachments.length,
      followUps: c.messages.filter((m) => m.from === 'reporter').length,
    };
  });
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * The export model for a request: region ids become the profile's region names.
 * @throws ComposerRefusal (404 unknown report, 422 unknown region), RemoteError, DocumentError
 */
export async function modelFor(s: ConsoleService, req: ExportRequest, exportId = randomId()): Promise<{ model: ExportModel; outcomes: ExportOutcome[] }> {
  const sources = selection(s, req);
  let scheme = 'the scheme';
  let names = new Map<string, string>();
  const wantsRegions = Object.values(req.regions ?? {}).some((r) => r.length > 0);
  try {
    const p = await verifiedProfile(s);
    scheme = p.name;
    names = new Map(p.regions.map((r) => [r.id, r.name]));
  } catch (e) {
    // Without a verified profile there is no scheme name and no region to choose.
    if (wantsRegions) throw e;
  }
  const regions: Record<string, string[]> = {};
  for (const [id, list] of Object.entries(req.regions ?? {})) {
    regions[id] = list.map((r) => {
      const n = names.get(r);
      if (!n) throw new ComposerRefusal(422, 'unknown region');
      return n;
    });
  }
  return buildExport(sources, { scheme, created: today(), exportId, regions });
}

/** 8 random bytes as 16 hex digits: names the export in its file and in the case notes. */
export function randomId(): string {
  return bytes.toHex(primitives().randomBytes(8));
}

/**
 * The file's bytes, sealed as the coordinator chose.
 * @throws ComposerRefusal(422) for a recipient that does not parse or a short passphrase
 */
export async function seal(plain: Uint8Array, p: Protection, logN = DEFAULT_SCRYPT_LOG_N): Promise<{ file: Uint8Array; kind: RecipientKind }> {
  if (p.kind === 'plain') return { file: plain, kind: 'none (plain download)' };
  let recipient: Recipient;
  let kind: RecipientKind;
  if (p.kind === 'passphrase') {
    if ([...p.passphrase].length < MIN_PASSPHRASE) throw new ComposerRefusal(422, `the passphrase needs at least ${MIN_PASSPHRASE} characters`);
    recipient = new ScryptRecipient(p.passphrase, logN);
    kind = 'passphrase';
  } else {
    try {
      recipient = parseRecipient(p.recipient);
    } catch {
      throw new ComposerRefusal(422, 'not an age recipient (age1… or age1pq1…)');
    }
    kind = p.recipient.trim().toLowerCase().startsWith('age1pq1') ? 'age post-quantum recipient' : 'age X25519 recipient';
  }
  return { file: await encrypt([recipient], plain), kind };
}

/** The text of the case note for one selected report. */
export function noteText(o: ExportOutcome, m: ExportModel, who: { id: string; name: string }, format: ExportFormat, kind: RecipientKind): string {
  const left = m.leftOut.filter((l) => l.what === 'whole-report').reduce((n, l) => n + (l.reports ?? 0), 0);
  const self = o.ref
    ? `This report is in it as ${o.ref} (${o.consent === 'full-report-support' ? 'with its contact route through the scheme' : 'anonymously'}).`
    : `This report was left out (${o.leftOut === 'consent' ? 'consent' : 'unreadable'}).`;
  return (
    `Police intelligence export ${m.exportId} on ${m.created} by ${who.name} (${who.id}): ${format.toUpperCase()} file, encrypted to: ${kind}. ` +
    `${self} The export holds ${m.reports.length} report${m.reports.length === 1 ? '' : 's'}${m.reports.length ? ` (${m.reports.map((r) => r.ref).join(', ')})` : ''}; ${left} left out entirely.`
  );
}

/**
 * Build, seal, record and hand back an export. Every selected report gets its case note
 * before the file is returned: an export that cannot be recorded is not given out.
 * @throws ComposerRefusal, RemoteError, DocumentError
 */
export async function runExport(
  s: ConsoleService,
  req: ExportRequest & { format: ExportFormat; protection: Protection },
  logN = DEFAULT_SCRYPT_LOG_N,
): Promise<{ file: Uint8Array; filename: string; contentType: string; model: ExportModel }> {
  const { model, outcomes } = await modelFor(s, req);
  const text = req.format === 'html' ? exportHtml(model) : exportJson(model);
  const { file, kind } = await seal(bytes.utf8(text), req.protection, logN);
  const at = dayStart(model.created)!;
  for (const o of outcomes) await s.addEvent(o.id, { kind: 'note', text: noteText(o, model, s.me, req.format, kind) }, at);
  const base = `police-export-${model.created}-${model.exportId}.${req.format}`;
  const plain = req.protection.kind === 'plain';
  return {
    file,
    filename: plain ? base : `${base}.age`,
    contentType: plain ? (req.format === 'html' ? 'text/html; charset=utf-8' : 'application/json') : 'application/octet-stream',
    model,
  };
}
