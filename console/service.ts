/**
 * The console's core: keyring, incremental sync, decryption, index and the actions that
 * write back to the server (case events as encrypted notes, replies, member decisions).
 * Everything decrypted lives in this object's memory only.
 */
import {
  HybridRecipient,
  bytes,
  decrypt,
  encrypt,
  keyringRecipients,
  pad,
  unpad,
  verifyKeyring,
  type Identity,
  type Keyring,
} from '../crypto/index.js';
import { derive, openReport, searchText, type CaseRecord, type Derived } from './cases.js';
import { decodeEvent, encodeEvent, serverState, type CaseEvent, type CaseState, type NewEvent } from './events.js';
import type { CoordinatorKey } from './identity.js';
import type { DecryptPool } from './pool.js';
import { PositionHintIdentity } from './position.js';
import type { Remote } from './remote.js';
import { SearchIndex } from './search.js';

interface ReportSummary {
  id: string;
  day: string;
  state: string;
  origin: string;
  expires: string;
  attachments: number;
  hasMailbox: boolean;
  followUps: number;
  notes: number;
}

export interface ReportDetail {
  id: string;
  day: string;
  state: string;
  origin: string;
  expires: string;
  report: string;
  attachments: { id: string; size: number; day: string }[];
  notes: { id: string; day: string; body: string }[];
  hasMailbox: boolean;
  messages: { id: string; from: string; day: string; body: string }[];
}

export interface Application {
  id: string;
  login: string;
  day: string;
  state: 'pending' | 'approved' | 'revoked';
  /** Decrypted application text, or an error. */
  text?: string;
  error?: string;
}

export interface SyncResult {
  added: number;
  changed: number;
  removed: number;
  failed: number;
}

export class ConsoleService {
  readonly cases = new Map<string, CaseRecord>();
  readonly index = new SearchIndex();
  readonly read = new Set<string>();
  private derived = new Map<string, Derived>();
  private reportPlain = new Map<string, Pick<CaseRecord, 'status' | 'report' | 'raw' | 'identifiers'>>();
  private noteCache = new Map<string, CaseRecord['notes'][number]>();
  private messageCache = new Map<string, CaseRecord['messages'][number]>();
  private attachmentCache = new Map<string, Uint8Array | null>();
  keyring: Keyring | undefined;
  lastSync: { at: number; result: SyncResult } | undefined;
  private syncing: Promise<SyncResult> | undefined;
  /** Worker threads that open reports (optional: without it, reports are opened in this thread). */
  pool: DecryptPool | undefined;

  readonly identities: readonly Identity[];

  constructor(
    readonly remote: Remote,
    readonly me: CoordinatorKey,
    identities: readonly Identity[],
    readonly rootPublicKey: Uint8Array,
  ) {
    this.identities = identities.map((i) => new PositionHintIdentity(i));
  }

  /** Fetch and verify the keyring against the pinned root key. @throws DocumentError, RemoteError */
  async refreshKeyring(): Promise<Keyring> {
    const env = await this.remote.keyring();
    this.keyring = verifyKeyring(env as never, this.rootPublicKey, { minVersion: this.keyring?.version ?? 0 });
    return this.keyring;
  }

  private recipients(): HybridRecipient[] {
    if (!this.keyring) throw new Error('no keyring');
    return keyringRecipients(this.keyring);
  }

  coordinators(): { id: string; name: string }[] {
    return (this.keyring?.coordinators ?? []).map((c) => ({ id: c.id, name: c.name }));
  }

  derivedOf(id: string): Derived {
    let d = this.derived.get(id);
    if (!d) {
      const c = this.cases.get(id)!;
      d = derive(c);
      this.derived.set(id, d);
    }
    return d;
  }

  /** Pull what changed since the last sync. Concurrent calls share one run. */
  sync(): Promise<SyncResult> {
    this.syncing ??= this.runSync().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async runSync(): Promise<SyncResult> {
    await this.refreshKeyring();
    const list = await this.remote.list<ReportSummary>('/api/coordinator/reports', 'reports');
    const result: SyncResult = { added: 0, changed: 0, removed: 0, failed: 0 };
    const seen = new Set<string>();
    const todo: ReportSummary[] = [];
    for (const s of list) {
      seen.add(s.id);
      const signature = [s.day, s.state, s.expires, s.attachments, s.followUps, s.notes, s.hasMailbox].join('|');
      const known = this.cases.get(s.id);
      if (known?.signature === signature) continue;
      todo.push(s);
    }
    for (const id of [...this.cases.keys()]) {
      if (!seen.has(id)) {
        this.forget(id);
        result.removed++;
      }
    }
    await pool(todo, 8, async (s) => {
      try {
        const isNew = !this.cases.has(s.id);
        await this.load(s.id);
        if (isNew) result.added++;
        else result.changed++;
      } catch {
        result.failed++;
      }
    });
    this.lastSync = { at: Date.now(), result };
    return result;
  }

  private forget(id: string): void {
    this.cases.delete(id);
    this.index.remove(id);
    this.derived.delete(id);
    this.reportPlain.delete(id);
    this.read.delete(id);
  }

  /** Fetch one report's detail, decrypt what is new, re-index. @throws RemoteError */
  async load(id: string): Promise<CaseRecord> {
    const d = await this.remote.json<ReportDetail>('GET', `/api/coordinator/reports/${encodeURIComponent(id)}`);
    return this.ingest(d);
  }

  /** Decrypt and index a report detail as the server sends it (also what the bench measures). */
  async ingest(d: ReportDetail): Promise<CaseRecord> {
    const previous = this.cases.get(d.id);
    let plain = this.reportPlain.get(d.id);
    if (!plain) {
      let ct: Uint8Array | undefined;
      try {
        ct = bytes.fromBase64Padded(d.report);
      } catch {
        ct = undefined;
      }
      plain = ct ? await (this.pool ? this.pool.open(ct) : openReport(this.identities, ct)) : { status: 'undecryptable', identifiers: [] };
      this.reportPlain.set(d.id, plain);
    }
    const notes: CaseRecord['notes'] = [];
    for (const n of d.notes) {
      let entry = this.noteCache.get(n.id);
      if (!entry) {
        entry = { id: n.id, day: n.day };
        try {
          entry.event = decodeEvent(await decrypt(this.identities, bytes.fromBase64Padded(n.body)));
        } catch {
          entry.error = 'this note could not be decrypted or read';
        }
        this.noteCache.set(n.id, entry);
      }
      notes.push(entry);
    }
    const messages: CaseRecord['messages'] = [];
    for (const m of d.messages) {
      let entry = this.messageCache.get(m.id);
      if (!entry) {
        entry = { id: m.id, from: m.from === 'reporter' ? 'reporter' : 'coordinator', day: m.day };
        if (entry.from === 'reporter') {
          try {
            entry.text = bytes.fromUtf8(unpad(await decrypt(this.identities, bytes.fromBase64Padded(m.body))));
          } catch {
            entry.error = 'this message could not be decrypted or read';
          }
        }
        this.messageCache.set(m.id, entry);
      }
      messages.push(entry);
    }
    const followUps = messages.filter((m) => m.from === 'reporter').length;
    const c: CaseRecord = {
      id: d.id,
      day: d.day,
      origin: d.origin,
      expires: d.expires,
      serverState: d.state,
      hasMailbox: d.hasMailbox,
      signature: [d.day, d.state, d.expires, d.attachments.length, followUps, d.notes.length, d.hasMailbox].join('|'),
      ...plain,
      attachments: d.attachments.map((a) => ({ id: a.id, size: a.size, day: a.day })),
      notes,
      messages,
    };
    // New follow-ups make a case unread again.
    const prevFollowUps = previous?.messages.filter((m) => m.from === 'reporter').length ?? 0;
    if (followUps > prevFollowUps) this.read.delete(d.id);
    this.cases.set(d.id, c);
    this.derived.delete(d.id);
    this.index.set(d.id, c.identifiers, searchText(c));
    return c;
  }

  /**
   * Encrypt a case event to every keyring coordinator and post it as a note. `at` defaults to
   * now; an export note passes the day's start (issue 12: when, to the day).
   * @throws RemoteError
   */
  async addEvent(id: string, e: NewEvent, at = Date.now()): Promise<void> {
    const event = { ...e, v: 1, by: this.me.id, at } as CaseEvent;
    const sealed = await encrypt(this.recipients(), encodeEvent(event));
    await this.remote.json('POST', `/api/coordinator/reports/${encodeURIComponent(id)}/notes`, { note: bytes.base64Padded(sealed) });
    if (e.kind === 'state') {
      const c = this.cases.get(id);
      const s = serverState(e.state);
      if (c && c.serverState !== s) await this.remote.json('PUT', `/api/coordinator/reports/${encodeURIComponent(id)}/state`, { state: s });
    }
    await this.load(id);
  }

  async setState(id: string, state: CaseState): Promise<void> {
    if (this.derivedOf(id).state !== state) await this.addEvent(id, { kind: 'state', state });
  }

  async setTags(id: string, tags: string[]): Promise<void> {
    const uniq = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
    await this.addEvent(id, { kind: 'tags', tags: uniq });
  }

  /** Reply to the reporter (readable by them only) and keep a copy for the coordinators. @throws RemoteError, Error('no mailbox') */
  async reply(id: string, text: string): Promise<void> {
    const c = this.cases.get(id);
    const to = c?.report?.replyRecipient;
    if (!c || !c.hasMailbox || !to) throw new Error('this report has no mailbox to reply to');
    const sealed = await encrypt([HybridRecipient.parse(to)], pad(bytes.utf8(text)));
    await this.remote.json('POST', `/api/coordinator/reports/${encodeURIComponent(id)}/replies`, { message: bytes.base64Padded(sealed) });
    await this.addEvent(id, { kind: 'reply', text });
  }

  /** A decrypted attachment, or null when it cannot be decrypted. Kept in memory only. */
  async attachment(id: string): Promise<Uint8Array | null> {
    if (this.attachmentCache.has(id)) return this.attachmentCache.get(id)!;
    const ct = await this.remote.binary(`/api/coordinator/attachments/${encodeURIComponent(id)}`);
    let plain: Uint8Array | null;
    try {
      plain = await decrypt(this.identities, ct);
    } catch {
      plain = null;
    }
    this.attachmentCache.set(id, plain);
    return plain;
  }

  /** Applications and members, decrypted. @throws RemoteError */
  async members(): Promise<Application[]> {
    const [apps, members] = await Promise.all([
      this.remote.list<{ id: string; login: string; day: string; application: string | null }>('/api/coordinator/applications', 'applications'),
      this.remote.list<{ id: string; login: string; day: string; state: string; application: string | null }>('/api/coordinator/members', 'members'),
    ]);
    const out: Application[] = [];
    for (const a of [...apps.map((x) => ({ ...x, state: 'pending' })), ...members]) {
      const entry: Application = {
        id: a.id,
        login: a.login,
        day: a.day,
        state: a.state === 'approved' || a.state === 'revoked' ? a.state : 'pending',
      };
      if (a.application) {
        try {
          const p = await decrypt(this.identities, bytes.fromBase64Padded(a.application));
          let body = p;
          try {
            body = unpad(p);
          } catch {
            // not padded: shown as it is
          }
          entry.text = new TextDecoder('utf-8', { fatal: false }).decode(body.subarray(0, 256 * 1024));
        } catch {
          entry.error = 'this application could not be decrypted';
        }
      }
      out.push(entry);
    }
    return out;
  }

  decide(id: string, decision: 'approve' | 'refuse'): Promise<unknown> {
    return this.remote.json('POST', `/api/coordinator/applications/${encodeURIComponent(id)}`, { decision });
  }

  revoke(id: string): Promise<unknown> {
    return this.remote.json('POST', `/api/coordinator/members/${encodeURIComponent(id)}/revoke`, {});
  }
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}
