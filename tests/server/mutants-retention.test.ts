/**
 * server/retention.ts at its exact boundaries, on SQLite: one row just past and one just
 * inside each retention rule, the counts a sweep reports, the WAL truncated after a sweep
 * that deleted anything, and the schedule (runs at once, then every interval, never two at a
 * time, a failure is one line without details). Written to kill mutants StrykerJS found
 * surviving (`npm run mutate -- retention`); the end-to-end retention story is in
 * tests/server/suites/retention.ts.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scheduleRetention, sweep } from '../../server/retention.js';
import { addDays, dayOf } from '../../server/util.js';
import { makeHarness, sqliteFactory, type Harness } from './harness.js';

const NOW = new Date(Date.UTC(2026, 5, 15, 13, 0, 0));
const D = '2026-06-15';
const RET = { reportDays: 30, mailboxDays: 20, sessionDays: 7, applicationDays: 10, revokedMemberDays: 25, tombstoneDays: 40, intervalMinutes: 5 };

let h: Harness;
beforeEach(async () => {
  h = await makeHarness(sqliteFactory, { config: { retention: RET } });
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await h.close();
});

const b = (s: string) => Buffer.from(s.padEnd(32, '.'));

/** One row just past its retention and one on the last day it is kept, for every rule. */
async function seed(): Promise<void> {
  const db = h.db;
  const report = (id: string, expires: string, uploadUntil: string | null) => ({
    id,
    ciphertext: b(id),
    size: 32,
    origin: 'browser' as const,
    state: 'new' as const,
    received_day: addDays(D, -5),
    expires_day: expires,
    upload_token_hash: uploadUntil ? b(`tok-${id}`) : null,
    upload_until_day: uploadUntil,
    mailbox_id: null,
    charged_bytes: 0,
    free_follow_ups: 0,
  });
  await db
    .insertInto('reports')
    .values([report('r-old', addDays(D, -1), null), report('r-last', D, addDays(D, -1)), report('r-open', addDays(D, 9), D)])
    .execute();
  await db
    .insertInto('mailboxes')
    .values([
      { id: 'm-old', public_key: b('m1'), created_day: addDays(D, -30), expires_day: addDays(D, -1) },
      { id: 'm-last', public_key: b('m2'), created_day: addDays(D, -30), expires_day: D },
    ])
    .execute();
  await db
    .insertInto('members')
    .values([
      { id: 'p-old', login: 'p-old', pass_hash: 'x', application: b('a'), state: 'pending', applied_day: addDays(D, -11) },
      { id: 'p-last', login: 'p-last', pass_hash: 'x', application: b('a'), state: 'pending', applied_day: addDays(D, -10) },
      { id: 'ok-old', login: 'ok-old', pass_hash: 'x', application: null, state: 'approved', applied_day: addDays(D, -400) },
    ])
    .execute();
  await db
    .insertInto('sessions')
    .values([
      { token_hash: b('s1'), member_id: 'ok-old', expires_day: addDays(D, -1) },
      { token_hash: b('s2'), member_id: 'ok-old', expires_day: D },
    ])
    .execute();
  for (const table of ['spent_stamps', 'seen_requests'] as const) {
    await db
      .insertInto(table)
      .values([
        { hash: b(`${table}1`), expires_day: addDays(D, -1) },
        { hash: b(`${table}2`), expires_day: D },
      ])
      .execute();
  }
  await db
    .insertInto('attachments')
    .values([
      { id: 'a-crashed', report_id: 'r-open', size: 0, complete: 0, received_day: addDays(D, -2) },
      { id: 'a-uploading', report_id: 'r-open', size: 0, complete: 0, received_day: addDays(D, -1) },
      { id: 'a-done', report_id: 'r-open', size: 3, complete: 1, received_day: addDays(D, -200) },
    ])
    .execute();
  await db
    .insertInto('warnings')
    .values([
      { id: 'w-tomb-old', envelope: null, day: addDays(D, -41), seq: 1 },
      { id: 'w-tomb-last', envelope: null, day: addDays(D, -40), seq: 2 },
      { id: 'w-live-old', envelope: '{"live":true}', day: addDays(D, -900), seq: 3 },
    ])
    .execute();
}

async function ids(table: 'reports' | 'mailboxes' | 'members' | 'attachments' | 'warnings'): Promise<string[]> {
  return (await h.db.selectFrom(table).select('id').orderBy('id').execute()).map((r) => r.id);
}

/** Wait (real time; only setInterval is faked) until `check` passes. vi.waitFor would advance the fake clock. */
async function until(check: () => Promise<void> | void): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await check();
    } catch (e) {
      if (i > 200) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

const walSize = () => statSync(join(h.dataDir, 'tipline.sqlite-wal')).size;

describe('sweep', () => {
  it('deletes exactly what is past each rule, keeps the last day of each, and says how many', async () => {
    await seed();
    const r = await sweep(h.db, h.kind, h.config, NOW);
    expect(r).toEqual({ reports: 1, mailboxes: 1, sessions: 1, stamps: 1, requests: 1, applications: 1, decided: 0, revoked: 0, uploads: 1, tombstones: 1, counters: 0 });
    expect(await ids('reports')).toEqual(['r-last', 'r-open']);
    expect(await ids('mailboxes')).toEqual(['m-last']);
    expect(await ids('members')).toEqual(['ok-old', 'p-last']);
    expect(await ids('attachments')).toEqual(['a-done', 'a-uploading']);
    expect(await ids('warnings')).toEqual(['w-live-old', 'w-tomb-last']);
    const sessions = await h.db.selectFrom('sessions').select('expires_day').execute();
    expect(sessions.map((s) => s.expires_day)).toEqual([D]);
    for (const t of ['spent_stamps', 'seen_requests'] as const) {
      expect((await h.db.selectFrom(t).select('expires_day').execute()).map((s) => s.expires_day)).toEqual([D]);
    }
    // Upload windows closed before today forget their token; today's stays open.
    const up = await h.db.selectFrom('reports').select(['id', 'upload_token_hash', 'upload_until_day']).orderBy('id').execute();
    expect(up.map((x) => [x.id, x.upload_token_hash === null, x.upload_until_day])).toEqual([
      ['r-last', true, null],
      ['r-open', false, D],
    ]);
    // The old page images do not linger in the WAL.
    expect(walSize()).toBe(0);

    expect(await sweep(h.db, h.kind, h.config, NOW)).toEqual({
      reports: 0,
      mailboxes: 0,
      sessions: 0,
      stamps: 0,
      requests: 0,
      applications: 0,
      decided: 0,
      revoked: 0,
      uploads: 0,
      tombstones: 0,
      counters: 0,
    });
  });

  it('refused and revoked members, decided applications and old counters: exactly past each rule, and counted', async () => {
    const member = (id: string, state: 'refused' | 'approved' | 'revoked', decided: number, application: Buffer | null) => ({
      id,
      login: id,
      pass_hash: 'x',
      application,
      state,
      applied_day: addDays(D, state === 'refused' ? decided : -400),
      decided_day: addDays(D, decided),
    });
    await h.db
      .insertInto('members')
      .values([
        member('ref-old', 'refused', -11, null),
        member('ref-last', 'refused', -10, null),
        member('app-old', 'approved', -11, b('application 1')),
        member('app-last', 'approved', -10, b('application 2')),
        member('rev-old', 'revoked', -26, null),
        member('rev-last', 'revoked', -25, null),
      ])
      .execute();
    // Byte ceilings count per day; the other counters in 5-minute buckets, kept for the
    // longest window (the login window, 60 minutes = 12 buckets, beats surge and form's 10).
    const day = Math.floor(NOW.getTime() / 86_400_000);
    const bucket = Math.floor(NOW.getTime() / 300_000);
    await h.db
      .insertInto('abuse_counters')
      .values([
        { name: 'bytes', bucket: day - 1, value: 1 },
        { name: 'bytes', bucket: day, value: 1 },
        { name: 'surge', bucket: bucket - 13, value: 1 },
        { name: 'surge', bucket: bucket - 12, value: 1 },
      ])
      .execute();
    const r = await sweep(h.db, h.kind, h.config, NOW);
    expect(r).toEqual({ reports: 0, mailboxes: 0, sessions: 0, stamps: 0, requests: 0, applications: 1, decided: 1, revoked: 1, uploads: 0, tombstones: 0, counters: 2 });
    const members = await h.db.selectFrom('members').select(['id', 'application']).orderBy('id').execute();
    expect(members.map((m) => [m.id, m.application === null])).toEqual([
      ['app-last', false],
      ['app-old', true],
      ['ref-last', true],
      ['rev-last', true],
    ]);
    const counters = await h.db.selectFrom('abuse_counters').select(['name', 'bucket']).orderBy('name').execute();
    expect(counters).toEqual([
      { name: 'bytes', bucket: day },
      { name: 'surge', bucket: bucket - 12 },
    ]);
  });

  it('truncates the WAL after a sweep that deleted one thing, and after one that deleted nothing (db/scrub.ts)', async () => {
    await h.db.insertInto('spent_stamps').values({ hash: b('only'), expires_day: addDays(D, -1) }).execute();
    expect(walSize()).toBeGreaterThan(0);
    expect((await sweep(h.db, h.kind, h.config, NOW)).stamps).toBe(1);
    expect(walSize()).toBe(0);
    await h.db.insertInto('spent_stamps').values({ hash: b('kept'), expires_day: D }).execute();
    const before = walSize();
    expect(before).toBeGreaterThan(0);
    await sweep(h.db, h.kind, h.config, NOW);
    expect(walSize()).toBe(0);
  });
});

describe('scheduleRetention', () => {
  it('sweeps at once and then every intervalMinutes until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let day = NOW.getTime();
    await h.db.insertInto('spent_stamps').values({ hash: b('x1'), expires_day: addDays(D, -1) }).execute();
    const stop = scheduleRetention(h.db, h.kind, h.config, () => new Date(day));
    await until(async () => expect(await h.db.selectFrom('spent_stamps').selectAll().execute()).toEqual([]));

    await h.db.insertInto('spent_stamps').values({ hash: b('x2'), expires_day: D }).execute();
    day += 86_400_000;
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(await h.db.selectFrom('spent_stamps').selectAll().execute()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(async () => expect(await h.db.selectFrom('spent_stamps').selectAll().execute()).toEqual([]));

    stop();
    await h.db.insertInto('spent_stamps').values({ hash: b('x3'), expires_day: D }).execute();
    day += 86_400_000;
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(await h.db.selectFrom('spent_stamps').selectAll().execute()).toHaveLength(1);
  });

  it('never starts a sweep while the previous one is still running', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let calls = 0;
    const stop = scheduleRetention(h.db, h.kind, h.config, () => {
      calls++;
      return NOW;
    });
    // The first sweep has begun (it asked the clock) and waits on the database: the
    // interval firing now is skipped.
    expect(calls).toBe(1);
    vi.advanceTimersByTime(5 * 60_000);
    expect(calls).toBe(1);
    // Once it has finished, the next interval sweeps again.
    await until(async () => {
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      expect(calls).toBe(2);
    });
    stop();
  });

  it('reports a failed sweep as one line naming only the error class, and tries again next time', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      lines.push(String(s));
      return true;
    });
    let calls = 0;
    const failing = () => {
      calls++;
      throw new RangeError('secret detail');
    };
    const stop = scheduleRetention(h.db, h.kind, h.config, failing as () => Date);
    await until(() => expect(lines).toEqual(['retention sweep failed: RangeError\n']));
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await until(() => expect(lines).toHaveLength(2));
    expect(calls).toBe(2);
    stop();
  });

  it('names a thrown non-Error just "error", without its value', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      lines.push(String(s));
      return true;
    });
    const stop = scheduleRetention(h.db, h.kind, h.config, (() => {
      throw 'secret detail';
    }) as () => Date);
    await until(() => expect(lines).toEqual(['retention sweep failed: error\n']));
    stop();
  });

  it('uses the real clock when given none', async () => {
    const today = dayOf(new Date());
    await h.db
      .insertInto('spent_stamps')
      .values([
        { hash: b('past'), expires_day: addDays(today, -1) },
        { hash: b('later'), expires_day: addDays(today, 1) },
      ])
      .execute();
    const stop = scheduleRetention(h.db, h.kind, h.config);
    await until(async () => expect((await h.db.selectFrom('spent_stamps').select('expires_day').execute()).map((r) => r.expires_day)).toEqual([addDays(today, 1)]));
    stop();
  });
});
