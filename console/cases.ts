/**
 * One case: a report as decrypted in this process, with its notes, messages and the state
 * derived from the shared case events. Decrypted content is hostile: it is kept as data and
 * the page renders it as text.
 */
import { decodeReport, decrypt, extractIdentifiers, type Identifier, type Identity, type Report } from '../crypto/index.js';
import { type CaseEvent, type CaseState } from './events.js';

export type CaseStatus = 'ok' | 'undecryptable' | 'invalid';

export interface CaseRecord {
  id: string;
  day: string;
  origin: string;
  expires: string;
  serverState: string;
  hasMailbox: boolean;
  /** Changes whenever anything about the report changes on the server. */
  signature: string;
  status: CaseStatus;
  report?: Report;
  /** For a report that fails the schema: its decrypted text, as text. */
  raw?: string;
  identifiers: Identifier[];
  attachments: { id: string; size: number; day: string }[];
  notes: { id: string; day: string; event?: CaseEvent; error?: string }[];
  messages: { id: string; from: string; day: string; text?: string; error?: string }[];
}

/** Longest raw text of a schema-failing report kept for display. */
export const RAW_LIMIT = 2 * 1024 * 1024;

/**
 * Decrypt and validate a report's ciphertext; never throws: failures become the status.
 */
export async function openReport(identities: readonly Identity[], ciphertext: Uint8Array): Promise<Pick<CaseRecord, 'status' | 'report' | 'raw' | 'identifiers'>> {
  let plaintext: Uint8Array;
  try {
    plaintext = await decrypt(identities, ciphertext);
  } catch {
    return { status: 'undecryptable', identifiers: [] };
  }
  try {
    const report = decodeReport(plaintext);
    return { status: 'ok', report, identifiers: extractIdentifiers(report) };
  } catch {
    return { status: 'invalid', raw: rawText(plaintext), identifiers: [] };
  }
}

/** Best-effort text of bytes that failed the schema: unpadded when the padding is right, invalid UTF-8 replaced. */
function rawText(b: Uint8Array): string {
  let body = b;
  if (b.length >= 4) {
    const n = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (n <= b.length - 4 && b.subarray(4 + n).every((x) => x === 0)) body = b.subarray(4, 4 + n);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(body.subarray(0, RAW_LIMIT));
}

/** Every decrypted text field of a report, for the search box. */
export function searchText(c: Pick<CaseRecord, 'report' | 'raw' | 'notes' | 'messages'>): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(c.report);
  if (c.raw) parts.push(c.raw.slice(0, 64 * 1024));
  for (const n of c.notes) if (n.event && (n.event.kind === 'note' || n.event.kind === 'reply')) parts.push(n.event.text);
  for (const n of c.notes) if (n.event?.kind === 'tags') parts.push(n.event.tags.join(' '));
  for (const m of c.messages) if (m.text) parts.push(m.text);
  return parts.join('\n');
}

export interface Derived {
  state: CaseState;
  tags: string[];
  assignee: string | null;
}

/** The case state, tags and assignee: the latest event of each kind wins (time, then note id). */
export function derive(c: Pick<CaseRecord, 'notes' | 'serverState'>): Derived {
  const events = c.notes
    .filter((n): n is typeof n & { event: CaseEvent } => n.event !== undefined)
    .sort((a, b) => a.event.at - b.event.at || (a.id < b.id ? -1 : 1))
    .map((n) => n.event);
  let state: CaseState = c.serverState === 'closed' ? 'closed' : c.serverState === 'open' ? 'in-progress' : 'new';
  let tags: string[] = [];
  let assignee: string | null = null;
  for (const e of events) {
    if (e.kind === 'state') state = e.state;
    else if (e.kind === 'tags') tags = e.tags;
    else if (e.kind === 'assign') assignee = e.to;
  }
  // A server state set by a console of an older version, or by hand, still shows.
  if (c.serverState === 'closed' && state !== 'closed' && state !== 'possibly-false') state = 'closed';
  return { state, tags, assignee };
}

/** Which raster format the bytes are, by signature; the page still has to decode them. */
export function imageType(b: Uint8Array): 'image/jpeg' | 'image/png' | 'image/webp' | undefined {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length > 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return 'image/png';
  if (b.length > 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') {
    return 'image/webp';
  }
  return undefined;
}
