/**
 * Retention covers every table: each table of the Database interface has a rule (what the
 * sweep deletes, and what stays because it is live) or is exempt with a reason. A table
 * added to the interface without an entry here does not compile; one added by a migration
 * only fails the first test.
 */
import { describe, expect, it } from 'vitest';
import { bytes, encrypt } from '../../../crypto/index.js';
import type { Database } from '../../../server/db/schema.js';
import { sweep } from '../../../server/retention.js';
import { TABLES, makeHarness, type Harness } from '../harness.js';
import type { GetFactory } from './common.js';

/**
 * For each table: its rule, and how many rows of the scenario below are left after the
 * longest retention period has passed (everything that is not live is gone).
 */
const RETENTION: Record<keyof Database, { rule: string; left: number } | { exempt: string }> = {
  keyrings: { exempt: 'public root-signed documents; the newest one is needed, none holds personal data' },
  abuse_counters: { rule: 'byte ceilings of earlier days and 5-minute buckets past every window are deleted', left: 0 },
  profiles: { exempt: 'public signed documents; the highest version is served' },
  statistics: { exempt: 'one public signed summary of suppressed counts; older versions are deleted when a new one is stored' },
  counters: { exempt: 'a few named sequence numbers, no personal data' },
  reports: { rule: 'deleted after reportDays (expires_day)', left: 0 },
  attachments: { rule: 'deleted with their report; unfinished uploads after a day', left: 0 },
  attachment_chunks: { rule: 'deleted with their attachment', left: 0 },
  case_notes: { rule: 'deleted with their report', left: 0 },
  mailboxes: { rule: 'deleted after mailboxDays (expires_day)', left: 0 },
  mailbox_messages: { rule: 'deleted with their mailbox', left: 0 },
  warnings: { rule: 'live warnings stay until withdrawn; tombstones go after tombstoneDays', left: 1 },
  members: {
    rule: 'approved members stay (their application is dropped applicationDays after the decision); undecided applications go after applicationDays, revoked members revokedMemberDays after revocation',
    left: 1,
  },
  sessions: { rule: 'deleted after sessionDays (expires_day)', left: 0 },
  spent_stamps: { rule: 'deleted the day after their challenge expired', left: 0 },
  seen_requests: { rule: 'deleted the day after their request window closed', left: 0 },
};

async function sweepAt(h: Harness) {
  return sweep(h.db, h.kind, h.config, h.clock.now());
}

export function retentionTablesSuite(getFactory: GetFactory): void {
  describe('retention covers every table', () => {
    it('every table in the database has a retention rule or is exempt with a reason', async () => {
      const h = await makeHarness(getFactory());
      try {
        const tables = (await h.db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_'));
        expect(tables.sort()).toEqual(Object.keys(RETENTION).sort());
        expect([...TABLES].sort()).toEqual(Object.keys(RETENTION).sort());
        for (const [table, r] of Object.entries(RETENTION)) {
          expect('exempt' in r ? r.exempt : r.rule, table).toMatch(/\w{3,}/);
        }
      } finally {
        await h.close();
      }
    });

    it('after the longest retention period only live rows are left: live warnings, approved members without their application, exempt tables', async () => {
      const R = { reportDays: 30, mailboxDays: 20, sessionDays: 7, applicationDays: 10, tombstoneDays: 40 };
      const h = await makeHarness(getFactory(), { config: { retention: R } });
      try {
        const m = h.mailbox();
        const report = await h.submitReport({ mailbox: m });
        const up = await h.request(`/api/attachments?report=${report.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', 'tipline-upload-token': report.uploadToken },
          body: (await h.toCoordinators('photo')) as BodyInit,
        });
        expect(up.status).toBe(201);
        const reply = await encrypt([m.reply.recipient()], bytes.utf8('hi'));
        expect((await h.coord('POST', `/api/coordinator/reports/${report.id}/replies`, { message: bytes.base64Padded(reply) })).status).toBe(201);
        expect((await h.coord('POST', `/api/coordinator/reports/${report.id}/notes`, { note: bytes.base64Padded(await h.toCoordinators('n')) })).status).toBe(201);
        const live = h.validWarning({ advice: JSON.stringify({ title: 'still dangerous' }) }).envelope;
        expect((await h.coord('POST', '/api/coordinator/warnings', live)).status).toBe(201);
        const gone = await h.coord('POST', '/api/coordinator/warnings', h.validWarning({ advice: JSON.stringify({ title: 'withdrawn' }) }).envelope);
        const goneId = ((await gone.json()) as { id: string }).id;
        expect((await h.coord('POST', '/api/coordinator/warnings', h.withdrawal(goneId).envelope)).status).toBe(200);
        const approved = await h.member();
        const revoked = await h.member();
        expect((await h.coord('POST', `/api/coordinator/members/${revoked.id}/revoke`)).status).toBe(200);
        const apply = await h.postJson(
          '/api/members/apply',
          { login: 'never-decided', passphrase: 'some passphrase', application: bytes.base64Padded(await h.toCoordinators('a')) },
          { 'tipline-pow': await h.stamp() },
        );
        expect(apply.status).toBe(201);

        const start = await h.counts();
        for (const t of TABLES) {
          if (!('exempt' in RETENTION[t])) expect(start[t], `the scenario puts a row in ${t}`).toBeGreaterThan(0);
        }
        // Sweeps along the way, as the schedule runs them; then one past the longest period.
        const longest = Math.max(...Object.values(R)) + 2;
        for (let day = 0; day <= longest; day += 5) {
          await sweepAt(h);
          h.clock.advance(5 * 86_400);
          const w = await h.db.selectFrom('warnings').select(['envelope']).where('envelope', 'is not', null).execute();
          expect(w, `the live warning survives day ${day}`).toHaveLength(1);
        }
        await sweepAt(h);

        const end = await h.counts();
        for (const t of TABLES) {
          const r = RETENTION[t];
          if ('exempt' in r) expect(end[t], `${t} is exempt`).toBe(start[t]);
          else expect(end[t], `${t}: ${r.rule}`).toBe(r.left);
        }
        const w = await h.db.selectFrom('warnings').select(['envelope']).executeTakeFirstOrThrow();
        expect(JSON.parse(w.envelope!)).toEqual(live);
        const members = await h.db.selectFrom('members').select(['id', 'state', 'application']).execute();
        expect(members).toEqual([{ id: approved.id, state: 'approved', application: null }]);
        // The approved member can still log in.
        await h.login(approved.login, approved.passphrase);
      } finally {
        await h.close();
      }
    });

    it('a withdrawn warning stays as a tombstone for tombstoneDays, then goes; live warnings from the same day stay', async () => {
      const h = await makeHarness(getFactory(), { config: { retention: { tombstoneDays: 30 } } });
      try {
        const live = h.validWarning({ advice: JSON.stringify({ title: 'live' }) }).envelope;
        expect((await h.coord('POST', '/api/coordinator/warnings', live)).status).toBe(201);
        const r = await h.coord('POST', '/api/coordinator/warnings', h.validWarning({ advice: JSON.stringify({ title: 'old' }) }).envelope);
        const id = ((await r.json()) as { id: string }).id;
        expect((await h.coord('POST', '/api/coordinator/warnings', h.withdrawal(id).envelope)).status).toBe(200);
        const rows = () => h.db.selectFrom('warnings').select(['id', 'envelope']).orderBy('seq').execute();

        h.clock.advance(30 * 86_400);
        expect((await sweepAt(h)).tombstones).toBe(0);
        expect((await rows()).map((x) => [x.id, x.envelope === null])).toEqual([
          [expect.any(String), false],
          [id, true],
        ]);
        h.clock.advance(2 * 86_400);
        expect((await sweepAt(h)).tombstones).toBe(1);
        const left = await rows();
        expect(left).toHaveLength(1);
        expect(JSON.parse(left[0]!.envelope!)).toEqual(live);
      } finally {
        await h.close();
      }
    });
  });
}
