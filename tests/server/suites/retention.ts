import { describe, expect, it } from 'vitest';
import { bytes, encrypt } from '../../../crypto/index.js';
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
  });
}
