/**
 * The alert rules without a network (issue 11): who gets which channel, the settings the
 * console refuses, the gateway body template, and the outbox's states across a reopen
 * (a real SQLite file).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings, parseSettings, SettingsError } from '../../console/alert-settings.js';
import { AlertDispatcher, channelsFor, fillTemplate, parseApplication, SendFailure, type AlertSource } from '../../console/alerts.js';
import { Outbox } from '../../console/outbox.js';
import type { Application } from '../../console/service.js';

const dir = mkdtempSync(join(tmpdir(), 'tipline-alert-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = (extra: object) => JSON.stringify({ schemaVersion: 1, type: 'sex-worker', workingName: 'x', regions: ['north'], ...extra });
const contact = (state: Application['state'], extra: object) => ({ login: 'x', state, app: parseApplication(app(extra)) });

describe('channelsFor', () => {
  it('gives each channel the member filled in, for a region of theirs', () => {
    expect(channelsFor(contact('approved', { email: 'a@b.example', mobile: '07700900001' }), ['north'])).toEqual(['email', 'sms']);
    expect(channelsFor(contact('approved', { email: 'a@b.example' }), ['south', 'north'])).toEqual(['email']);
    expect(channelsFor(contact('approved', { mobile: '07700900001' }), ['north'])).toEqual(['sms']);
  });
  it('gives nothing to other regions, paused, pending, revoked, no contact or an unreadable application', () => {
    expect(channelsFor(contact('approved', { email: 'a@b.example' }), ['south'])).toEqual([]);
    expect(channelsFor(contact('approved', { email: 'a@b.example', paused: true }), ['north'])).toEqual([]);
    expect(channelsFor(contact('pending', { email: 'a@b.example' }), ['north'])).toEqual([]);
    expect(channelsFor(contact('revoked', { email: 'a@b.example' }), ['north'])).toEqual([]);
    expect(channelsFor(contact('approved', {}), ['north'])).toEqual([]);
    expect(channelsFor({ login: 'x', state: 'approved', app: parseApplication('{"email":"a@b.example","regions":["north"]}') }, ['north'])).toEqual([]);
  });
});

describe('settings', () => {
  const email = { host: 'smtp.example.org', port: 465, tls: 'implicit', from: 'A <a@example.org>' };
  it('takes a full file and fills the batch defaults', () => {
    expect(parseSettings({ email })).toEqual({ email, batch: { size: 20, minDelayMs: 5000, maxDelayMs: 60000 } });
  });
  for (const [name, value, message] of [
    ['cleartext SMTP to another host', { email: { ...email, tls: 'none' } }, 'loopback relay only'],
    ['an unknown TLS mode', { email: { ...email, tls: 'maybe' } }, 'email.tls'],
    ['a user without a password', { email: { ...email, user: 'u' } }, 'go together'],
    ['basic auth without user:password', { sms: { url: 'https://g.example/send', auth: 'basic', token: 'abc' } }, 'user:password'],
    ['a gateway URL that is not http(s)', { sms: { url: 'file:///etc/passwd' } }, 'sms.url'],
    ['a min delay above the max', { batch: { minDelaySeconds: 10, maxDelaySeconds: 1 } }, 'above'],
    ['an unknown field', { emial: email }, 'file'],
  ] as const) {
    it(`refuses ${name}`, () => {
      expect(() => parseSettings(value)).toThrow(SettingsError);
      expect(() => parseSettings(value)).toThrow(message);
    });
  }
  it('accepts cleartext to a loopback relay', () => {
    expect(parseSettings({ email: { ...email, host: '127.0.0.1', tls: 'none' } }).email?.tls).toBe('none');
  });
  it('refuses a file others can read, and reads none as alerts without channels', () => {
    const f = join(dir, 'alerts.json');
    writeFileSync(f, JSON.stringify({ email }), { mode: 0o644 });
    expect(() => loadSettings(f)).toThrow('mode 0600');
    expect(loadSettings(join(dir, 'missing.json'))).toEqual({ batch: { size: 20, minDelayMs: 5000, maxDelayMs: 60000 } });
  });
});

describe('the gateway body template', () => {
  it('fills {to}, {text} and {id} in nested strings and leaves the rest', () => {
    const t = { messages: [{ to: '{to}', body: '{text}', ref: 'x-{id}', n: 1, ok: true }] };
    expect(fillTemplate(t, { to: '+447700900001', text: 'hello "you"', id: 'k1' })).toEqual({ messages: [{ to: '+447700900001', body: 'hello "you"', ref: 'x-k1', n: 1, ok: true }] });
  });
});

describe('the outbox and dispatcher', () => {
  const member = (id: string, extra: object, state: Application['state'] = 'approved'): Application => ({ id, login: id, day: '2026-12-01', state, text: app(extra) });

  it('sends each recipient once, keeps a cut-off send unknown across a reopen, and retries only failures with a new key', async () => {
    const path = join(dir, 'outbox.sqlite');
    const members = [member('m1', { email: 'a@x.example' }), member('m2', { mobile: '07700900002' }), member('m3', { email: 'c@x.example', paused: true })];
    const source: AlertSource = { members: async () => members, publishedIds: async () => new Set(['w1']), me: { signingSeed: new Uint8Array(32).fill(7) } };
    const sent: string[] = [];
    const keys: string[] = [];
    let failSms = true;
    const transports = {
      email: async (to: string, key: string) => void (sent.push(to), keys.push(key)),
      sms: async (to: string, key: string) => {
        keys.push(key);
        if (failSms) throw new SendFailure('the SMS gateway answered 500', true);
        sent.push(to);
      },
    };
    const settings = { batch: { size: 1, minDelayMs: 0, maxDelayMs: 0 } };
    const d = new AlertDispatcher(source, new Outbox(path), settings, transports);
    d.start();
    d.intend('w1', ['north']);
    d.published('w1');
    await d.idle();
    await d.idle();
    expect(sent).toEqual(['a@x.example']);
    const p = d.progress()[0]!;
    expect(p.counts).toMatchObject({ sent: 1, failed: 1, pending: 0 });
    expect(d.outbox.retryFailed('w1')).toBe(1);
    failSms = false;
    await d.kick();
    expect(sent.sort()).toEqual(['+447700900002', 'a@x.example']);
    expect(new Set(keys).size).toBe(3);
    d.outbox.close();

    // A row left `sending` (a crash mid-send) is unknown after a reopen and not sent by start().
    const o = new Outbox(path);
    o.intend('w2', 'w2', ['north']);
    o.setIntentState('w2', 'published');
    const d2 = new AlertDispatcher(source, o, settings, transports);
    await d2.kick();
    const row = o.rows('w2').find((r) => r.channel === 'email')!;
    // Simulate the crash: back to sending by hand, as the killed process left it.
    (o as unknown as { db: { prepare(s: string): { run(...a: unknown[]): unknown } } }).db.prepare(`UPDATE outbox SET state = 'sending' WHERE id = ?`).run(row.id);
    o.close();
    const before = sent.length;
    const o3 = new Outbox(path);
    const d3 = new AlertDispatcher(source, o3, settings, transports);
    d3.start();
    await d3.idle();
    expect(sent.length).toBe(before);
    expect(o3.row(row.id)!.state).toBe('unknown');
    expect(o3.resendUnknown(row.id)).toBe(true);
    expect(o3.resendUnknown(row.id)).toBe(false);
    await d3.kick();
    expect(sent.length).toBe(before + 1);
    // The resend used the key of the cut-off attempt.
    expect(keys.at(-1)).toBe(d3.attemptKey(row));

    // A withdrawn warning's waiting alerts are not sent.
    o3.intend('w3', 'w3', ['north']);
    o3.enqueue('w3', [{ member: d3.memberKey('m1'), channel: 'email' }]);
    expect(o3.cancelPending('w3')).toBe(1);
    await d3.kick();
    expect(sent.length).toBe(before + 1);
    expect(o3.rows('w3').map((r) => [r.state, r.reason])).toEqual([['skipped', 'the warning was withdrawn']]);
    o3.close();
  });
});
