/**
 * Abuse that should cost the attacker something (issue 8): what one stamp buys, one payment
 * per challenge, difficulty in force, the daily ceiling, the free-space watermark, slow
 * uploads, login queues and the dummy hash's cost. Limits held in the database are checked
 * from a second process on the same database too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, checkPow, solvePow } from '../../../crypto/index.js';
import { getReport } from '../../../server/db/queries.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

const MiB = 1024 * 1024;

/** Upload an attachment body (bytes, or a stream) to a report. */
function uploader(h: Harness) {
  return (report: string, token: string, body: BodyInit, headers: Record<string, string> = {}) =>
    h.request(`/api/attachments?report=${report}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'tipline-upload-token': token, ...headers },
      body,
      duplex: 'half',
    } as RequestInit);
}

/** A stream that sends `head` and then nothing more until cancelled (a stalled upload). */
function stalled(head: Uint8Array): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (!sent) {
        sent = true;
        c.enqueue(head);
        return;
      }
      return new Promise<void>(() => {});
    },
  });
}

/** A stream that sends one byte of `data` every `ms` (a trickle). */
function trickle(data: Uint8Array, ms: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      if (i === 0) {
        c.enqueue(data.slice(0, 4096));
        i = 4096;
        return;
      }
      if (i >= data.length) return c.close();
      await new Promise((r) => setTimeout(r, ms));
      c.enqueue(data.slice(i, i + 1));
      i += 1;
    },
  });
}

/** A second nonce (other than the first solution) that also solves a challenge. */
function secondSolution(first: string, difficulty: number): string {
  const [challenge] = first.split(':');
  for (let n = 0; ; n++) {
    const s = `${challenge}:${n}`;
    if (s !== first && checkPow(s, difficulty)) return s;
  }
}

export function abuseSuite(getFactory: GetFactory): void {
  describe('what one proof-of-work stamp buys', () => {
    const BUDGET = 3 * MiB;
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory(), {
        config: {
          limits: { attachmentBytes: MiB, attachmentsPerReport: 10, messageBytes: 256 * 1024, messagesPerMailbox: 200 },
          abuse: { stampBudgetBytes: BUDGET, freeFollowUps: 3 },
        },
      });
    });
    afterAll(() => h.close());

    const upload = (r: string, t: string, body: BodyInit) => uploader(h)(r, t, body);
    const followUp = async (m: ReturnType<Harness['mailbox']>, size: number, stamp?: string) =>
      h.signed('mailbox', m.seed, 'POST', `/api/mailboxes/${m.id}`, { message: bytes.base64Padded(await h.toCoordinators(new Uint8Array(size))) }, {
        headers: stamp ? { 'tipline-pow': stamp } : {},
      });

    /** Bytes stored for a report without any further stamp: report, attachments, reporter messages. */
    async function bought(reportId: string, mailboxId: string, paidMessages: number): Promise<number> {
      const row = (await getReport(h.db, reportId))!;
      const chunks = await h.db
        .selectFrom('attachment_chunks as c')
        .innerJoin('attachments as a', 'a.id', 'c.attachment_id')
        .select('c.data')
        .where('a.report_id', '=', reportId)
        .execute();
      const messages = await h.db
        .selectFrom('mailbox_messages')
        .select('body')
        .where('mailbox_id', '=', mailboxId)
        .where('sender', '=', 'reporter')
        .orderBy('seq')
        .execute();
      const free = messages.slice(0, messages.length - paidMessages);
      return row.size + chunks.reduce((a, c) => a + c.data.length, 0) + free.reduce((a, m) => a + m.body.length, 0);
    }

    // Each mix spends exactly one stamp (the report's) and tries to store as much as it can.
    const mixes: [string, (r: { id: string; uploadToken: string }, m: ReturnType<Harness['mailbox']>) => Promise<void>][] = [
      [
        'attachments first, then follow-ups',
        async (r, m) => {
          for (let i = 0; i < 10; i++) await upload(r.id, r.uploadToken, (await h.toCoordinators(new Uint8Array(MiB - 8192))) as BodyInit);
          for (let i = 0; i < 10; i++) await followUp(m, 200_000);
        },
      ],
      [
        'follow-ups first, then attachments',
        async (r, m) => {
          for (let i = 0; i < 10; i++) await followUp(m, 200_000);
          for (let i = 0; i < 10; i++) await upload(r.id, r.uploadToken, (await h.toCoordinators(new Uint8Array(MiB - 8192))) as BodyInit);
        },
      ],
      [
        'uploads in parallel',
        async (r) => {
          const file = (await h.toCoordinators(new Uint8Array(MiB - 8192))) as BodyInit;
          for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 6 }, () => upload(r.id, r.uploadToken, file)));
        },
      ],
      [
        'small pieces',
        async (r, m) => {
          for (let i = 0; i < 10; i++) await upload(r.id, r.uploadToken, (await h.toCoordinators(new Uint8Array(900_000))) as BodyInit);
          for (let i = 0; i < 6; i++) await followUp(m, 1000);
        },
      ],
    ];

    for (const [name, mix] of mixes) {
      it(`cannot store more than the budget: ${name}`, async () => {
        const m = h.mailbox();
        const r = await h.submitReport({ mailbox: m });
        const spentBefore = (await h.counts()).spent_stamps;
        await mix(r, m);
        expect((await h.counts()).spent_stamps).toBe(spentBefore); // no other stamp was spent
        const total = await bought(r.id, m.id, 0);
        expect(total).toBeLessThanOrEqual(BUDGET);
        // ...and the budget is really usable: most of it was taken.
        expect(total).toBeGreaterThan(BUDGET - MiB - 300_000);
        expect(Number((await getReport(h.db, r.id))!.charged_bytes)).toBe(total);
      });
    }

    it('refuses an attachment past the budget with 413, storing nothing, and gives back what a refused upload took', async () => {
      const m = h.mailbox();
      const r = await h.submitReport({ mailbox: m });
      const file = await h.toCoordinators(new Uint8Array(MiB - 8192));
      // Upload until the next one would pass the budget.
      while (Number((await getReport(h.db, r.id))!.charged_bytes) + file.length <= BUDGET) {
        expect((await upload(r.id, r.uploadToken, file as BodyInit)).status).toBe(201);
      }
      const before = Number((await getReport(h.db, r.id))!.charged_bytes);
      await unchanged(h, async () => {
        // Announced length: refused before the body is read.
        expect(await expectError(await upload(r.id, r.uploadToken, file as BodyInit), 413)).toBe('budget exhausted');
        // Streamed (no length): refused at the chunk that passes the budget; the chunks before are given back.
        const s = new ReadableStream<Uint8Array>({
          start(c) {
            for (let i = 0; i < file.length; i += 100_000) c.enqueue(file.slice(i, i + 100_000));
            c.close();
          },
        });
        expect(await expectError(await upload(r.id, r.uploadToken, s), 413)).toBe('budget exhausted');
      });
      expect(Number((await getReport(h.db, r.id))!.charged_bytes)).toBe(before);
    });

    it('follow-ups beyond the free ones need a fresh stamp, each spent once', async () => {
      const m = h.mailbox();
      await h.submitReport({ mailbox: m });
      for (let i = 0; i < 3; i++) expect((await followUp(m, 1000)).status).toBe(201);
      await unchanged(h, async () => {
        expect(await expectError(await followUp(m, 1000), 403)).toBe('proof of work required');
      });
      const stamp = await h.stamp();
      expect((await followUp(m, 1000, stamp)).status).toBe(201);
      await unchanged(
        h,
        async () => {
          expect(await expectError(await followUp(m, 1000, stamp), 403)).toBe('proof of work already used');
          // Another nonce for the same challenge is the same payment.
          expect(await expectError(await followUp(m, 1000, secondSolution(stamp, h.config.pow.difficulty)), 403)).toBe('proof of work already used');
        },
        ['seen_requests'],
      );
      expect((await followUp(m, 1000, await h.stamp())).status).toBe(201);
    });
  });

  describe('one payment per challenge, at the difficulty in force', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory(), { config: { pow: { difficulty: 2, maxDifficulty: 6, surgeThreshold: 2, surgeWindowMinutes: 10, slackBits: 1 } } });
    });
    afterAll(() => h.close());

    const submit = async (stamp: string) => h.postJson('/api/reports', { report: bytes.base64Padded(await h.reportFile()) }, { 'tipline-pow': stamp });
    const challenge = async (p: { request: Harness['request'] } = h) =>
      (await (await p.request('/api/pow')).json()) as { challenge: string; difficulty: number; expires: number };

    it('a challenge pays for one report whichever nonce solves it', async () => {
      const c = await challenge();
      const first = await solvePow(c.challenge, c.difficulty);
      const second = secondSolution(first, c.difficulty);
      expect(second).not.toBe(first);
      expect((await submit(first)).status).toBe(201);
      await unchanged(h, async () => {
        expect(await expectError(await submit(second), 403)).toBe('proof of work already used');
      });
    });

    it('challenges live 15 minutes by default', async () => {
      const c = await challenge();
      expect(c.expires - Math.floor(h.clock.now().getTime() / 1000)).toBe(900);
    });

    it('a challenge fetched before a surge is refused once the difficulty rose past the slack; the surge is shared by processes', async () => {
      h.clock.advance(3600); // an empty surge window
      const early = await challenge();
      expect(early.difficulty).toBe(2);
      const earlyStamp = await solvePow(early.challenge, early.difficulty);
      const other = h.otherProcess();
      for (let i = 0; i < 2; i++) await h.submitReport();
      // 2 submissions: 3 bits in force, in this process and in the other one.
      expect((await challenge()).difficulty).toBe(3);
      expect((await challenge(other)).difficulty).toBe(3);
      const within = await solvePow((await challenge()).challenge, 3);
      for (let i = 0; i < 2; i++) await h.submitReport();
      expect((await challenge(other)).difficulty).toBe(4);
      await unchanged(h, async () => {
        expect(await expectError(await submit(earlyStamp), 403)).toBe('proof of work expired');
      });
      // 3 bits is within one bit of the 4 in force.
      expect((await submit(within)).status).toBe(201);
      // The window passes: back to the base, and the counter rows are gone.
      h.clock.advance(11 * 60);
      expect((await challenge(other)).difficulty).toBe(2);
      await h.submitReport();
      const rows = await h.db.selectFrom('abuse_counters').selectAll().where('name', '=', 'surge').execute();
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.value)).toBe(1);
      // A quiet spell after a lone submission: its bucket goes once it left the window, with no further request.
      h.clock.advance(11 * 60);
      expect(await h.app.ctx.abuse.pruneWindows()).toBe(0);
      expect(await h.db.selectFrom('abuse_counters').selectAll().where('name', '!=', 'bytes').execute()).toEqual([]);
    });
  });

  describe('the daily ceiling of the whole service', () => {
    it('refuses new writes past the day ceiling in every process, storing nothing, and opens the next day', async () => {
      const h = await makeHarness(getFactory(), { config: { abuse: { dailyBytes: MiB }, limits: { attachmentBytes: 4 * MiB } } });
      try {
        const m = h.mailbox();
        const r = await h.submitReport({ mailbox: m });
        // Fill the day to within half a report of the ceiling.
        const size = Number((await getReport(h.db, r.id))!.size);
        const overhead = (await h.toCoordinators(new Uint8Array(1000))).length - 1000;
        const big = await h.toCoordinators(new Uint8Array(MiB - size - overhead - Math.floor(size / 2)));
        expect((await uploader(h)(r.id, r.uploadToken, big as BodyInit)).status).toBe(201);
        const file = bytes.base64Padded(await h.reportFile());
        await unchanged(h, async () => {
          expect(await expectError(await h.postJson('/api/reports', { report: file }, { 'tipline-pow': await h.stamp() }), 503)).toBe('service full');
          const other = h.otherProcess();
          const r2 = await other.request('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json', 'tipline-pow': await h.stamp() }, body: JSON.stringify({ report: file }) });
          expect(await expectError(r2, 503)).toBe('service full');
          expect(await expectError(await uploader(h)(r.id, r.uploadToken, (await h.toCoordinators(new Uint8Array(30_000))) as BodyInit), 503)).toBe('service full');
        });
        // Reads keep working.
        expect((await h.coord('GET', `/api/coordinator/reports/${r.id}`)).status).toBe(200);
        expect((await h.signed('mailbox', m.seed, 'GET', `/api/mailboxes/${m.id}`)).status).toBe(200);
        h.clock.advance(86_400);
        expect((await h.postJson('/api/reports', { report: file }, { 'tipline-pow': await h.stamp() })).status).toBe(201);
      } finally {
        await h.close();
      }
    });
  });

  describe('the free-space watermark', () => {
    it('below the watermark new writes get 503 service full while reads keep working (SQLite; PostgreSQL disks are not visible)', async () => {
      const h = await makeHarness(getFactory(), { config: { abuse: { minFreeBytes: 2 ** 52 } } });
      try {
        const m = h.mailbox();
        if (h.kind === 'postgres') {
          expect((await h.submitReport({ mailbox: m })).id).toMatch(/^[A-Za-z0-9_-]{22}$/);
          return;
        }
        const file = bytes.base64Padded(await h.reportFile());
        await unchanged(h, async () => {
          expect(await expectError(await h.postJson('/api/reports', { report: file }, { 'tipline-pow': await h.stamp() }), 503)).toBe('service full');
          expect(await expectError(await uploader(h)('A'.repeat(22), 'A'.repeat(43), new Uint8Array(10) as BodyInit), 503)).toBe('service full');
          const apply = await h.postJson(
            '/api/members/apply',
            { login: 'some-name', passphrase: 'long enough pass', application: bytes.base64Padded(await h.toCoordinators('x')) },
            { 'tipline-pow': await h.stamp() },
          );
          expect(await expectError(apply, 503)).toBe('service full');
          const basic = await h.request('/report/basic', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
          expect(basic.status).toBe(503);
          expect(await basic.text()).toContain('storage is full');
          const follow = await h.signed('mailbox', m.seed, 'POST', `/api/mailboxes/${m.id}`, { message: file });
          expect(await expectError(follow, 503)).toBe('service full');
        });
        expect((await h.request('/api/pow')).status).toBe(200);
        expect((await h.request('/report/basic')).status).toBe(200);
        expect((await h.coord('GET', '/api/coordinator/reports')).status).toBe(200);
      } finally {
        await h.close();
      }
    });
  });

  describe('slow uploads', () => {
    it('stalled uploads on one report cannot take the upload slots: one at a time per report, cut off when idle', async () => {
      const h = await makeHarness(getFactory(), { config: { abuse: { uploadIdleSeconds: 2 }, limits: { concurrentUploads: 8 } } });
      try {
        const r = await h.submitReport();
        const file = await h.toCoordinators(new Uint8Array(100_000));
        const stalls = Array.from({ length: 8 }, () => uploader(h)(r.id, r.uploadToken, stalled(file.slice(0, 2000))));
        const honest = await h.submitReport();
        const ok = await uploader(h)(honest.id, honest.uploadToken, file as BodyInit);
        expect(ok.status).toBe(201);
        const answers = await Promise.all(stalls.map(async (p) => (await p).status));
        expect(answers.filter((s) => s === 429)).toHaveLength(7);
        expect(answers.filter((s) => s === 408)).toHaveLength(1);
        // Nothing of the stalled uploads stays, and its budget was given back.
        const left = await h.db.selectFrom('attachments').select('id').where('report_id', '=', r.id).execute();
        expect(left).toHaveLength(0);
        const row = (await getReport(h.db, r.id))!;
        expect(Number(row.charged_bytes)).toBe(Number(row.size));
      } finally {
        await h.close();
      }
    });

    it('an upload that trickles below the minimum rate is cut off with 408', async () => {
      const h = await makeHarness(getFactory(), { config: { abuse: { uploadIdleSeconds: 5, uploadGraceSeconds: 1, uploadMinBytesPerSecond: 100_000 } } });
      try {
        const r = await h.submitReport();
        const file = await h.toCoordinators(new Uint8Array(50_000));
        await unchanged(h, async () => {
          expect(await expectError(await uploader(h)(r.id, r.uploadToken, trickle(file, 100)), 408)).toBe('upload too slow');
        });
      } finally {
        await h.close();
      }
    });
  });

  describe('logins', () => {
    it('16 concurrent unknown-name logins wait their turn: all answered, none 503', async () => {
      const h = await makeHarness(getFactory(), { config: { passphraseLogN: 14, loginAttemptsPerHour: 100 } });
      try {
        const logins = Array.from({ length: 16 }, (_, i) => h.postJson('/api/members/login', { login: `nobody-${i}`, passphrase: 'some passphrase' }));
        const answers = await Promise.all(logins.map(async (p) => (await p).status));
        expect(answers).toEqual(Array(16).fill(401));
      } finally {
        await h.close();
      }
    });

    it('an unknown name is checked at the cost of stored hashes, not the configured one, and a login re-hashes at the configured cost', async () => {
      const h = await makeHarness(getFactory()); // members hashed at cost 10
      try {
        const m = await h.member('old-cost', 'the right passphrase');
        await h.member('old-cost-2', 'the right passphrase');
        const later = h.otherProcess({ passphraseLogN: 12 });
        const dummy = await later.app.ctx.dummyHash('nobody-at-all');
        expect(dummy).toMatch(/^scrypt\$10\$8\$1\$/);
        const r = await later.request('/api/members/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: m.login, passphrase: m.passphrase }),
        });
        expect(r.status).toBe(200);
        // What the login route does, by its time: with hashes at cost 10 stored and cost 17
        // configured (128 times the work), an unknown name costs what a member's name costs.
        const costly = h.otherProcess({ passphraseLogN: 17 });
        const timed = async (login: string): Promise<number> => {
          const t = performance.now();
          const a = await costly.request('/api/members/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ login, passphrase: 'not the passphrase' }),
          });
          expect(a.status).toBe(401);
          return performance.now() - t;
        };
        const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
        const known: number[] = [];
        const unknown: number[] = [];
        for (let i = 0; i < 5; i++) {
          known.push(await timed('old-cost-2'));
          unknown.push(await timed(`nobody-${i}`));
        }
        expect(median(unknown)).toBeLessThan(median(known) * 5 + 100);
        const row = await h.db.selectFrom('members').select('pass_hash').where('login', '=', 'old-cost').executeTakeFirstOrThrow();
        expect(row.pass_hash).toMatch(/^scrypt\$12\$8\$1\$/);
      } finally {
        await h.close();
      }
    });
  });
}
