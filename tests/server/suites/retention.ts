import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bytes, encrypt } from '../../../crypto/index.js';
import { createAttachment, appendChunk } from '../../../server/db/queries.js';
import { sweep } from '../../../server/retention.js';
import { makeHarness } from '../harness.js';
import type { GetFactory } from './common.js';

export function retentionSuite(getFactory: GetFactory): void {
  describe('retention', () => {
    it('deletes expired reports, attachments, mailboxes, sessions, stamps and replay entries, and nothing younger', async () => {
      const h = await makeHarness(getFactory(), {
        config: { retention: { reportDays: 30, mailboxDays: 20, sessionDays: 7, applicationDays: 10 } },
      });
      try {
        const m = h.mailbox();
        const old = await h.submitReport({ mailbox: m });
        const up = await h.request(`/api/attachments?report=${old.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', 'tipline-upload-token': old.uploadToken },
          body: (await h.toCoordinators('photo')) as BodyInit,
        });
        expect(up.status).toBe(201);
        const reply = await encrypt([m.reply.recipient()], bytes.utf8('hi'));
        await h.coord('POST', `/api/coordinator/reports/${old.id}/replies`, { message: bytes.base64Padded(reply) });
        await h.member();
        await h.postJson(
          '/api/members/apply',
          { login: 'never-decided', passphrase: 'some passphrase', application: bytes.base64Padded(await h.toCoordinators('a')) },
          { 'tipline-pow': await h.stamp() },
        );
        const start = await h.counts();
        expect(start).toMatchObject({ reports: 1, attachments: 1, attachment_chunks: 1, mailboxes: 1, mailbox_messages: 1, sessions: 1, members: 2 });
        expect(start.spent_stamps).toBeGreaterThan(0);
        expect(start.seen_requests).toBeGreaterThan(0);

        // Day 3: stamps and replay entries are gone; the upload token is closed.
        h.clock.advance(3 * 86_400);
        await sweep(h.db, h.kind, h.config, h.clock.now());
        let c = await h.counts();
        expect(c).toMatchObject({ spent_stamps: 0, seen_requests: 0, reports: 1, sessions: 1 });
        const row = await h.db.selectFrom('reports').select(['upload_token_hash']).executeTakeFirstOrThrow();
        expect(row.upload_token_hash).toBeNull();
        const fresh = await h.submitReport();

        // Day 9: sessions expired. Day 12: the undecided application.
        h.clock.advance(6 * 86_400);
        await sweep(h.db, h.kind, h.config, h.clock.now());
        c = await h.counts();
        expect(c).toMatchObject({ sessions: 0, members: 2 });
        h.clock.advance(3 * 86_400);
        await sweep(h.db, h.kind, h.config, h.clock.now());
        expect((await h.counts()).members).toBe(1);

        // Day 22: the mailbox with its messages; the report stays.
        h.clock.advance(10 * 86_400);
        await sweep(h.db, h.kind, h.config, h.clock.now());
        c = await h.counts();
        expect(c).toMatchObject({ mailboxes: 0, mailbox_messages: 0, reports: 2, attachments: 1 });

        // Day 32: the old report with its attachment; the one from day 3 stays.
        h.clock.advance(10 * 86_400);
        await sweep(h.db, h.kind, h.config, h.clock.now());
        c = await h.counts();
        expect(c).toMatchObject({ reports: 1, attachments: 0, attachment_chunks: 0 });
        const left = await h.db.selectFrom('reports').select('id').execute();
        expect(left.map((r) => r.id)).toEqual([fresh.id]);
      } finally {
        await h.close();
      }
    });
    // Registered on PostgreSQL only (a VACUUM exists only there), so no run reports it skipped.
    if (getFactory().name === 'postgres') it('on PostgreSQL ends every sweep with a VACUUM, also one that only forgot an upload token', async () => {
      const h = await makeHarness(getFactory());
      const vacuums = async () =>
        Number((await sql<{ n: string }>`select vacuum_count as n from pg_stat_user_tables where relname = 'reports'`.execute(h.db)).rows[0]!.n);
      try {
        const today = h.clock.now();
        const yesterday = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
        await h.db
          .insertInto('reports')
          .values({
            id: 'r-upload-closed',
            ciphertext: Buffer.alloc(32),
            size: 32,
            origin: 'browser',
            state: 'new',
            received_day: yesterday,
            expires_day: '2999-01-01',
            upload_token_hash: Buffer.alloc(32, 1),
            upload_until_day: yesterday,
            mailbox_id: null,
            charged_bytes: 0,
            free_follow_ups: 0,
          })
          .execute();
        const before = await vacuums();
        const r = await sweep(h.db, h.kind, h.config, today);
        expect(Object.values(r).every((x) => x === 0)).toBe(true);
        expect((await h.db.selectFrom('reports').select('upload_token_hash').executeTakeFirstOrThrow()).upload_token_hash).toBeNull();
        expect(await vacuums()).toBe(before + 1);
      } finally {
        await h.close();
      }
    });

    it('forgets decided applications, revoked members, tombstones and unfinished uploads on time, and keeps live warnings, keyrings and counters', async () => {
      const h = await makeHarness(getFactory(), {
        config: { retention: { reportDays: 400, mailboxDays: 400, sessionDays: 400, applicationDays: 10, revokedMemberDays: 20, tombstoneDays: 30 } },
      });
      const sweepNow = () => sweep(h.db, h.kind, h.config, h.clock.now());
      const member = (id: string) => h.db.selectFrom('members').select(['state', 'application']).where('id', '=', id).executeTakeFirst();
      const warnings = async () => (await h.db.selectFrom('warnings').select(['id', 'envelope']).execute()).map((w) => `${w.id}:${w.envelope === null ? 'tombstone' : 'live'}`).sort();
      try {
        const kept = await h.member();
        const revoked = await h.member();
        const live = (await (await h.coord('POST', '/api/coordinator/warnings', h.validWarning({ advice: JSON.stringify({ t: 'stays' }) }).envelope)).json()) as { id: string };
        const gone = (await (await h.coord('POST', '/api/coordinator/warnings', h.validWarning({ advice: JSON.stringify({ t: 'withdrawn' }) }).envelope)).json()) as { id: string };
        const { id: report } = await h.submitReport();
        await createAttachment(h.db, 'unfinished-upload-000', report, h.clock.now().toISOString().slice(0, 10));
        await appendChunk(h.db, 'unfinished-upload-000', 0, Buffer.from('partial'));
        const countersBefore = await h.db.selectFrom('counters').selectAll().orderBy('name').execute();
        expect(countersBefore.length).toBeGreaterThan(0);

        // Day 2: the unfinished upload (a crash left it); nothing else.
        h.clock.advance(2 * 86_400);
        expect((await sweepNow()).uploads).toBe(1);
        expect(await h.counts()).toMatchObject({ attachments: 0, attachment_chunks: 0, reports: 1, members: 2, warnings: 2 });

        // Day 5: revoke one member, withdraw one warning.
        h.clock.advance(3 * 86_400);
        expect((await h.coord('POST', `/api/coordinator/members/${revoked.id}/revoke`)).status).toBe(200);
        expect((await h.coord('POST', '/api/coordinator/warnings', h.withdrawal(gone.id).envelope)).status).toBe(200);
        await sweepNow();
        expect((await member(kept.id))!.application).not.toBeNull();
        expect(await warnings()).toEqual([`${live.id}:live`, `${gone.id}:tombstone`].sort());

        // Day 11: approved on day 0, so the application's ciphertext goes; the revoked one's (day 5) stays.
        h.clock.advance(6 * 86_400);
        expect((await sweepNow()).decided).toBe(1);
        expect(await member(kept.id)).toEqual({ state: 'approved', application: null });
        expect((await member(revoked.id))!.application).not.toBeNull();

        // Day 16: the revoked member's application too; the member row itself stays until day 26.
        h.clock.advance(5 * 86_400);
        await sweepNow();
        expect(await member(revoked.id)).toEqual({ state: 'revoked', application: null });
        h.clock.advance(10 * 86_400);
        expect((await sweepNow()).revoked).toBe(1);
        expect(await member(revoked.id)).toBeUndefined();
        expect((await member(kept.id))!.state).toBe('approved');
        // The approved member still logs in.
        await h.login(kept.login, kept.passphrase);

        // Day 36: the tombstone (withdrawn day 5) goes; the live warning, a year on, stays.
        h.clock.advance(10 * 86_400);
        expect((await sweepNow()).tombstones).toBe(1);
        expect(await warnings()).toEqual([`${live.id}:live`]);
        h.clock.advance(365 * 86_400);
        await sweepNow();
        expect(await warnings()).toEqual([`${live.id}:live`]);
        expect((await h.counts()).keyrings).toBe(1);
        const countersAfter = await h.db.selectFrom('counters').selectAll().orderBy('name').execute();
        for (const c of countersBefore) expect(countersAfter.find((x) => x.name === c.name)?.value).toBeGreaterThanOrEqual(Number(c.value));
      } finally {
        await h.close();
      }
    });
  });
}
