/**
 * Alert dispatch (issue 11, DESIGN.md §Alerts): when this console publishes a warning, each
 * approved, unpaused member whose regions meet the warning's gets the same constant text by
 * the channels they gave (an email address: email; a mobile number: SMS). Contacts are
 * decrypted in this process at send time and never written down; the outbox (outbox.ts)
 * records each warning × member × channel before and after sending.
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { memberApplicationSchema, normalizePhone, type MemberApplication } from '../crypto/index.js';
import type { AlertSettings, EmailSettings, SmsSettings } from './alert-settings.js';
import type { Channel, Outbox, OutboxRow, RowState } from './outbox.js';
import type { Application } from './service.js';

/** The only text any alert carries: nothing about the warning, the same for everyone, every time. */
export const ALERT_SUBJECT = 'Safety warning';
export const ALERT_TEXT = 'A new safety warning was published for your area. Log in to read it.';

/** What the dispatcher needs from the console: the members, decrypted, and the key its HMACs derive from. */
export interface AlertSource {
  members(): Promise<Application[]>;
  /** Ids of the warnings on the server (to settle warnings signed when the console stopped). */
  publishedIds(): Promise<Set<string>>;
  readonly me: { signingSeed: Uint8Array };
}

/** Sends one message; throws SendFailure. Replaceable in tests of the dispatcher's rules. */
export interface Transports {
  email?(to: string, messageId: string): Promise<void>;
  sms?(to: string, key: string): Promise<void>;
}

/** A send that did not succeed: `definite` when the other side said no (safe to retry), otherwise it may have arrived. */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly definite: boolean,
  ) {
    super(message);
  }
}

interface Contact {
  login: string;
  state: Application['state'];
  app?: MemberApplication;
}

/** A member's alert choices from their decrypted application (undefined when it does not parse). */
export function parseApplication(text: string | undefined): MemberApplication | undefined {
  if (!text) return undefined;
  try {
    const r = memberApplicationSchema().safeParse(JSON.parse(text));
    return r.success ? (r.data as MemberApplication) : undefined;
  } catch {
    return undefined;
  }
}

/** The channels a member gets alerts by for a warning in `regions` (none unless approved, unpaused and in a region). */
export function channelsFor(c: Contact, regions: readonly string[]): Channel[] {
  if (c.state !== 'approved' || !c.app || c.app.paused) return [];
  if (!c.app.regions.some((r) => regions.includes(r))) return [];
  const out: Channel[] = [];
  if (c.app.email) out.push('email');
  if (c.app.mobile) out.push('sms');
  return out;
}

const SEND_LIMIT_MS = 120_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref?.());

export class AlertDispatcher {
  private readonly key: Buffer;
  private running: Promise<void> | undefined;
  private again = false;
  private names = new Map<string, string>();
  private stopped = false;

  constructor(
    private readonly source: AlertSource,
    readonly outbox: Outbox,
    readonly settings: AlertSettings,
    private readonly transports: Transports = defaultTransports(settings),
    private readonly random: () => number = Math.random,
  ) {
    this.key = createHmac('sha256', Buffer.from(source.me.signingSeed)).update('tipline console alert outbox v1').digest();
  }

  /** The outbox's name for a member: an HMAC of the id, so the file alone does not list member ids. */
  memberKey(id: string): string {
    return createHmac('sha256', this.key).update(`member\0${id}`).digest('hex').slice(0, 32);
  }

  /** The Message-ID / Idempotency-Key of one attempt of one row: the same when an `unknown` row is resent. */
  attemptKey(r: Pick<OutboxRow, 'thread' | 'member' | 'channel' | 'attempt'>): string {
    return createHmac('sha256', this.key).update(`attempt\0${r.thread}\0${r.member}\0${r.channel}\0${r.attempt}`).digest('hex').slice(0, 32);
  }

  /** At start: mark rows cut off mid-send `unknown`, then finish what was left (intents and pending rows). */
  start(): void {
    this.outbox.recover();
    const signed = this.outbox.intents('signed');
    if (signed.length === 0) {
      void this.kick();
      return;
    }
    // Signed before the last stop: alert when the server has it, forget it otherwise.
    void this.source
      .publishedIds()
      .then((ids) => {
        for (const w of signed) {
          if (ids.has(w.id)) this.outbox.setIntentState(w.id, 'published');
          else this.outbox.dropIntent(w.id);
        }
      })
      .catch(() => undefined)
      .finally(() => void this.kick());
  }

  stop(): void {
    this.stopped = true;
  }

  /** Record a signed warning before it is posted. */
  intend(id: string, regions: string[], supersedes?: string): void {
    this.outbox.intend(id, supersedes ? this.outbox.threadOf(supersedes) : id, regions);
  }

  /** The warning is on the server: record its recipients and start sending. */
  published(id: string): void {
    this.outbox.setIntentState(id, 'published');
    this.kick();
  }

  /** Posting failed: forget the intent. */
  abandoned(id: string): void {
    this.outbox.dropIntent(id);
  }

  /** Start the send loop unless it runs (it then goes round once more). */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.loop();
      } while (this.again && !this.stopped);
    })()
      .catch(() => undefined)
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves when nothing is being sent (tests). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async contacts(): Promise<Map<string, Contact>> {
    const m = new Map<string, Contact>();
    for (const a of await this.source.members()) {
      const key = this.memberKey(a.id);
      this.names.set(key, a.login);
      m.set(key, { login: a.login, state: a.state, ...(a.state === 'approved' ? { app: parseApplication(a.text) } : {}) });
    }
    return m;
  }

  private async recordRecipients(contacts: Map<string, Contact>): Promise<void> {
    for (const w of this.outbox.intents('published')) {
      const recipients: Parameters<Outbox['enqueue']>[1] = [];
      for (const [member, c] of contacts) for (const channel of channelsFor(c, w.regions)) recipients.push({ member, channel });
      // Random order, so the order of sending says nothing about the order members joined.
      for (let i = recipients.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [recipients[i], recipients[j]] = [recipients[j]!, recipients[i]!];
      }
      this.outbox.enqueue(w.id, recipients);
    }
  }

  private delay(): number {
    const { minDelayMs, maxDelayMs } = this.settings.batch;
    return minDelayMs + Math.floor(this.random() * (maxDelayMs - minDelayMs + 1));
  }

  private async loop(): Promise<void> {
    let contacts: Map<string, Contact> | undefined;
    if (this.outbox.intents('published').length > 0) {
      contacts = await this.contacts();
      await this.recordRecipients(contacts);
    }
    while (!this.stopped) {
      if (this.outbox.pending(1).length === 0) return;
      // A random pause before every batch, the first too: the send time does not date the publication.
      await sleep(this.delay());
      if (this.stopped) return;
      contacts = await this.contacts();
      for (const row of this.outbox.pending(this.settings.batch.size)) {
        if (this.stopped) return;
        await this.sendOne(row, contacts);
      }
    }
  }

  private async sendOne(row: OutboxRow, contacts: Map<string, Contact>): Promise<void> {
    const c = contacts.get(row.member);
    if (!c) return this.outbox.finish(row.id, 'skipped', 'no longer a member');
    if (c.state !== 'approved') return this.outbox.finish(row.id, 'skipped', 'no longer approved');
    if (!c.app) return this.outbox.finish(row.id, 'skipped', 'the application cannot be read');
    if (c.app.paused) return this.outbox.finish(row.id, 'skipped', 'alerts paused by the member');
    let to: string | undefined;
    if (row.channel === 'email') to = c.app.email;
    else to = c.app.mobile ? normalizePhone(c.app.mobile) : undefined;
    if (!to) return this.outbox.finish(row.id, 'skipped', row.channel === 'email' ? 'no email address any more' : c.app.mobile ? 'not a usable phone number' : 'no mobile number any more');
    const send = row.channel === 'email' ? this.transports.email : this.transports.sms;
    if (!send) return this.outbox.finish(row.id, 'failed', row.channel === 'email' ? 'email is not configured' : 'the SMS gateway is not configured');
    if (!this.outbox.claim(row.id)) return;
    let outcome: ['sent'] | ['failed' | 'unknown', string];
    try {
      // A send that never ends would hold the row `sending` while the process lives: after
      // SEND_LIMIT_MS it is `unknown` (it may have gone out).
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new SendFailure('no answer in time', false)), SEND_LIMIT_MS)));
      await Promise.race([send(to, this.attemptKey(row)), limit]).finally(() => clearTimeout(timer));
      outcome = ['sent'];
    } catch (e) {
      const f = e instanceof SendFailure ? e : new SendFailure('sending failed', false);
      outcome = [f.definite ? 'failed' : 'unknown', f.message];
    }
    this.outbox.finish(row.id, outcome[0], outcome[1]);
  }

  /** Delivery of each warning this console published: counts per state and the rows that need a look. */
  progress(): { warning: string; counts: Record<RowState, number>; problems: { id: number; member: string; channel: Channel; state: RowState; reason: string }[] }[] {
    return this.outbox.warnings().map((w) => {
      const counts = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0, skipped: 0 } as Record<RowState, number>;
      const problems = [];
      for (const r of this.outbox.rows(w.id)) {
        counts[r.state]++;
        if (r.state === 'failed' || r.state === 'unknown' || r.state === 'skipped') {
          problems.push({ id: r.id, member: this.names.get(r.member) ?? 'a former member', channel: r.channel, state: r.state, reason: r.reason ?? '' });
        }
      }
      if (w.state !== 'queued') counts.pending++;
      return { warning: w.id, counts, problems };
    });
  }

  /** Names for the progress list (refreshed from the member list). */
  async refreshNames(): Promise<void> {
    await this.contacts();
  }
}

function defaultTransports(s: AlertSettings): Transports {
  return { ...(s.email ? { email: emailTransport(s.email) } : {}), ...(s.sms ? { sms: smsTransport(s.sms) } : {}) };
}

/** nodemailer's error codes that mean the server refused before taking the message (nothing was delivered). */
const DEFINITE = new Set(['EAUTH', 'EENVELOPE', 'ECONNECTION', 'EDNS', 'ETLS', 'EREQUIRETLS', 'ENOAUTH']);

/** One email over SMTP; TLS is implicit or STARTTLS is required ("none" only for a loopback relay, alert-settings.ts). */
export function emailTransport(s: EmailSettings): NonNullable<Transports['email']> {
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.tls === 'implicit',
    requireTLS: s.tls === 'starttls',
    ignoreTLS: s.tls === 'none',
    ...(s.user !== undefined ? { auth: { user: s.user, pass: s.pass ?? '' } } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  const domain = /@([^\s>]+)>?\s*$/.exec(s.from)?.[1] ?? 'localhost';
  return async (to, key) => {
    try {
      await transport.sendMail({ from: s.from, to, subject: ALERT_SUBJECT, text: ALERT_TEXT, messageId: `<${key}@${domain}>` });
    } catch (e) {
      const err = e as { code?: string; command?: string; responseCode?: number };
      // A numeric answer from the server, or a refusal before DATA, means the message was not taken.
      const definite = typeof err.responseCode === 'number' || DEFINITE.has(err.code ?? '') || (err.command !== undefined && err.command !== 'DATA' && err.command !== 'DATA end');
      const what = typeof err.responseCode === 'number' ? `the mail server answered ${err.responseCode}` : `email failed (${err.code ?? 'error'})`;
      throw new SendFailure(what, definite);
    }
  };
}

/** Replace {to}, {text} and {id} in every string of the body template. */
export function fillTemplate(t: unknown, v: { to: string; text: string; id: string }): unknown {
  if (typeof t === 'string') return t.replace(/\{(to|text|id)\}/g, (_, k: 'to' | 'text' | 'id') => v[k]);
  if (Array.isArray(t)) return t.map((x) => fillTemplate(x, v));
  if (t && typeof t === 'object') return Object.fromEntries(Object.entries(t).map(([k, x]) => [k, fillTemplate(x, v)]));
  return t;
}

/** One JSON POST per SMS, with the token and an Idempotency-Key header. */
export function smsTransport(s: SmsSettings): NonNullable<Transports['sms']> {
  const template = s.body ?? { to: '{to}', text: '{text}' };
  const auth = s.token ? (s.auth === 'basic' ? `Basic ${Buffer.from(s.token).toString('base64')}` : `Bearer ${s.token}`) : undefined;
  return async (to, key) => {
    let res: Response;
    try {
      res = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify(fillTemplate(template, { to, text: ALERT_TEXT, id: key })),
        signal: AbortSignal.timeout((s.timeoutSeconds ?? 30) * 1000),
        redirect: 'error',
      });
    } catch (e) {
      const code = (e as { cause?: { code?: string } }).cause?.code;
      // Refused or unresolvable: nothing reached the gateway. A timeout or a dropped answer may have sent it.
      const definite = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
      throw new SendFailure(`the SMS gateway could not be reached (${code ?? 'no answer'})`, definite);
    }
    await res.body?.cancel().catch(() => undefined);
    if (!res.ok) throw new SendFailure(`the SMS gateway answered ${res.status}`, true);
  };
}
