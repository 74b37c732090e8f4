import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, encrypt, primitives, signKeyring, signRequest } from '../../../crypto/index.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

export function coordinatorSuite(getFactory: GetFactory): void {
  describe('coordinator routes', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
    });
    afterAll(() => h.close());

    type Summary = { id: string; state: string; day: string; origin: string; attachments: number; hasMailbox: boolean; followUps: number; notes: number };

    it('lists reports, filters by state and fetches one', async () => {
      const a = await h.submitReport();
      const b = await h.submitReport({ mailbox: h.mailbox() });
      const r = await h.coord('GET', '/api/coordinator/reports');
      expect(r.status).toBe(200);
      const { reports } = (await r.json()) as { reports: Summary[] };
      expect(reports.map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
      const rb = reports.find((x) => x.id === b.id)!;
      expect(rb).toMatchObject({ state: 'new', origin: 'browser', hasMailbox: true, attachments: 0, followUps: 0, notes: 0 });
      expect(Object.keys(rb).sort()).toEqual(['attachments', 'day', 'expires', 'followUps', 'hasMailbox', 'id', 'notes', 'origin', 'size', 'state']);

      expect((await h.coord('PUT', `/api/coordinator/reports/${a.id}/state`, { state: 'open' })).status).toBe(200);
      const open = (await (await h.coord('GET', '/api/coordinator/reports?state=open')).json()) as { reports: Summary[] };
      expect(open.reports.map((x) => x.id)).toEqual([a.id]);
      const one = (await (await h.coord('GET', `/api/coordinator/reports/${a.id}`, undefined, h.coordinators.reader)).json()) as {
        report: string;
        state: string;
      };
      expect(one.state).toBe('open');
      expect(bytes.fromBase64Padded(one.report).length).toBeGreaterThan(0);
    });

    it('keeps encrypted case notes and deletes them', async () => {
      const { id } = await h.submitReport();
      const note = await h.toCoordinators('Called back, no answer.');
      const r = await h.coord('POST', `/api/coordinator/reports/${id}/notes`, { note: bytes.base64Padded(note) });
      expect(r.status).toBe(201);
      const { id: noteId } = (await r.json()) as { id: string };
      const view = (await (await h.coord('GET', `/api/coordinator/reports/${id}`)).json()) as { notes: { id: string; body: string }[] };
      expect(view.notes).toEqual([{ id: noteId, day: expect.any(String), body: bytes.base64Padded(note) }]);
      expect((await h.coord('DELETE', `/api/coordinator/reports/${id}/notes/${noteId}`)).status).toBe(200);
      expect(await expectError(await h.coord('DELETE', `/api/coordinator/reports/${id}/notes/${noteId}`), 404)).toBe('not found');
    });

    it('refuses notes and replies to the wrong recipients, bad states and unknown reports, storing nothing', async () => {
      const { id } = await h.submitReport({ mailbox: h.mailbox() });
      const single = await encrypt([HybridIdentity.generate().recipient()], bytes.utf8('x'));
      await unchanged(
        h,
        async () => {
          expect(await expectError(await h.coord('POST', `/api/coordinator/reports/${id}/notes`, { note: bytes.base64Padded(single) }), 400)).toBe('wrong recipients');
          const toAll = await h.toCoordinators('x');
          expect(await expectError(await h.coord('POST', `/api/coordinator/reports/${id}/replies`, { message: bytes.base64Padded(toAll) }), 400)).toBe('wrong recipients');
          expect(await expectError(await h.coord('PUT', `/api/coordinator/reports/${id}/state`, { state: 'deleted' }), 400)).toBe('invalid body');
          expect(await expectError(await h.coord('PUT', `/api/coordinator/reports/${'A'.repeat(22)}/state`, { state: 'open' }), 404)).toBe('not found');
          expect(await expectError(await h.coord('GET', `/api/coordinator/reports/x`), 404)).toBe('not found');
          expect(await expectError(await h.coord('GET', '/api/coordinator/reports?state=bogus'), 400)).toBe('invalid query');
          const noMailbox = await h.submitReport();
          expect(
            await expectError(await h.coord('POST', `/api/coordinator/reports/${noMailbox.id}/replies`, { message: bytes.base64Padded(single) }), 409),
          ).toBe('report has no mailbox');
        },
        ['seen_requests', 'reports', 'spent_stamps'],
      );
    });

    it('deletes a report with its attachments, notes, mailbox and messages', async () => {
      const m = h.mailbox();
      const { id, uploadToken } = await h.submitReport({ mailbox: m });
      const up = await h.request(`/api/attachments?report=${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'tipline-upload-token': uploadToken },
        body: (await h.toCoordinators('photo')) as BodyInit,
      });
      expect(up.status).toBe(201);
      await h.coord('POST', `/api/coordinator/reports/${id}/notes`, { note: bytes.base64Padded(await h.toCoordinators('n')) });
      const reply = await encrypt([m.reply.recipient()], bytes.utf8('hi'));
      await h.coord('POST', `/api/coordinator/reports/${id}/replies`, { message: bytes.base64Padded(reply) });
      const before = await h.counts();
      expect((await h.coord('DELETE', `/api/coordinator/reports/${id}`)).status).toBe(200);
      const after = await h.counts();
      expect(after.reports).toBe(before.reports - 1);
      expect(after.attachments).toBe(before.attachments - 1);
      expect(after.attachment_chunks).toBe(before.attachment_chunks - 1);
      expect(after.case_notes).toBe(before.case_notes - 1);
      expect(after.mailboxes).toBe(before.mailboxes - 1);
      expect(after.mailbox_messages).toBe(before.mailbox_messages - 1);
      expect(await expectError(await h.signed('mailbox', m.seed, 'GET', `/api/mailboxes/${m.id}`), 404)).toBe('not found');
      expect(await expectError(await h.coord('DELETE', `/api/coordinator/reports/${id}`), 404)).toBe('not found');
    });

    it('refuses unsigned, forged, expired, replayed and outsider requests, storing nothing', async () => {
      const { id } = await h.submitReport();
      const path = `/api/coordinator/reports/${id}/state`;
      const body = { state: 'closed' };
      const now = Math.floor(h.clock.now().getTime() / 1000);
      const seed = h.coordinators.all.seed;
      await unchanged(h, async () => {
        expect(await expectError(await h.request('/api/coordinator/reports'), 401)).toBe('missing signature');
        expect(await expectError(await h.request(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), 401)).toBe(
          'missing signature',
        );
        // Signature over other bytes, another path, another method, the mailbox scope.
        expect(await expectError(await h.signed('coordinator', seed, 'PUT', path, body, { signedBody: bytes.utf8('{"state":"open"}') }), 401)).toBe('invalid signature');
        expect(await expectError(await h.signed('coordinator', seed, 'PUT', path, body, { signedPath: `/api/coordinator/reports/${id}` }), 401)).toBe(
          'invalid signature',
        );
        expect(await expectError(await h.signed('mailbox', seed, 'PUT', path, body), 401)).toBe('invalid signature');
        // A valid signature with another key claimed in the header.
        const headers = signRequest('coordinator', { method: 'PUT', path, body: bytes.utf8(JSON.stringify(body)), timestamp: now }, seed);
        headers['tipline-key'] = bytes.base64Padded(h.coordinators.reader.publicKey);
        const swapped = await h.request(path, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(await expectError(swapped, 401)).toBe('invalid signature');
        expect(await expectError(await h.signed('coordinator', seed, 'PUT', path, body, { timestamp: now - 121 }), 401)).toBe('stale request');
        expect(await expectError(await h.signed('coordinator', seed, 'PUT', path, body, { timestamp: now + 300 }), 401)).toBe('stale request');
        expect(await expectError(await h.coord('PUT', path, body, h.outsider), 401)).toBe('unknown key');
        expect(await expectError(await h.signed('coordinator', primitives().randomBytes(32), 'GET', '/api/coordinator/reports'), 401)).toBe('unknown key');
      });
      const first = await h.signed('coordinator', seed, 'PUT', path, body, { timestamp: now - 3 });
      expect(first.status).toBe(200);
      await unchanged(h, async () => {
        expect(await expectError(await h.signed('coordinator', seed, 'PUT', path, body, { timestamp: now - 3 }), 401)).toBe('replayed request');
      });
    });

    it('checks roles: a reports-only coordinator cannot publish warnings or decide members', async () => {
      const reader = h.coordinators.reader;
      await unchanged(h, async () => {
        expect(await expectError(await h.coord('POST', '/api/coordinator/warnings', h.validWarning({ advice: JSON.stringify({ t: 1 }) }).envelope, reader), 403)).toBe('role required');
        expect(await expectError(await h.coord('GET', '/api/coordinator/applications', undefined, reader), 403)).toBe('role required');
        expect(await expectError(await h.coord('GET', '/api/coordinator/members', undefined, reader), 403)).toBe('role required');
      });
    });

    it('follows the keyring: a coordinator removed from a newer keyring is refused at once', async () => {
      const k2 = signKeyring(h.makeKeyring(2, [h.coordinators.all]), h.rootSeed);
      const put = await h.request('/api/keyring', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(k2) });
      expect(put.status).toBe(200);
      expect(await expectError(await h.coord('GET', '/api/coordinator/reports', undefined, h.coordinators.reader), 401)).toBe('unknown key');
      expect((await h.coord('GET', '/api/coordinator/reports')).status).toBe(200);
      // Reports must now go to the one remaining coordinator only.
      const two = await h.reportFile();
      const r = await h.postJson('/api/reports', { report: bytes.base64Padded(two) }, { 'tipline-pow': await h.stamp() });
      expect(await expectError(r, 400)).toBe('wrong recipients');
    });
    it('pages every list: reports, warnings, applications and members, with a cursor and a limit', async () => {
      const p = await makeHarness(getFactory());
      /** Follow `next` from the first page; returns the pages' lengths and every id in order. */
      const all = async (path: string, key: string, limit: number) => {
        const ids: string[] = [];
        const sizes: number[] = [];
        let next: string | null = null;
        for (let i = 0; i < 20; i++) {
          const sep = path.includes('?') ? '&' : '?';
          const r = await p.coord('GET', `${path}${sep}limit=${limit}${next ? `&after=${encodeURIComponent(next)}` : ''}`);
          expect(r.status).toBe(200);
          const body = (await r.json()) as Record<string, unknown> & { next: string | null };
          const rows = body[key] as { id: string }[];
          sizes.push(rows.length);
          ids.push(...rows.map((x) => x.id));
          next = body.next;
          if (next === null) break;
        }
        return { ids, sizes };
      };
      try {
        const reports = [];
        for (let i = 0; i < 5; i++) {
          if (i === 3) p.clock.advance(86_400);
          reports.push((await p.submitReport()).id);
        }
        const r = await all('/api/coordinator/reports', 'reports', 2);
        expect(r.sizes).toEqual([2, 2, 1]);
        expect(new Set(r.ids)).toEqual(new Set(reports));
        expect(r.ids).toHaveLength(5);
        // Days in order: the two reports of the second day come last.
        expect(new Set(r.ids.slice(3))).toEqual(new Set(reports.slice(3)));
        expect((await all('/api/coordinator/reports?state=new', 'reports', 5)).sizes).toEqual([5]);
        expect((await all('/api/coordinator/reports?state=open', 'reports', 5)).sizes).toEqual([0]);

        const warnings = [];
        for (let i = 0; i < 4; i++) warnings.push(((await (await p.coord('POST', '/api/coordinator/warnings', p.validWarning({ advice: JSON.stringify({ i }) }).envelope)).json()) as { id: string }).id);
        expect((await p.coord('POST', '/api/coordinator/warnings', p.withdrawal(warnings[1]!).envelope)).status).toBe(200);
        const w = await all('/api/coordinator/warnings', 'warnings', 2);
        expect(w.ids).toEqual([warnings[0], warnings[2], warnings[3]]);
        expect(w.sizes).toEqual([2, 1]);

        const members = [];
        for (let i = 0; i < 3; i++) members.push((await p.member()).id);
        const pending = [];
        for (let i = 0; i < 3; i++) {
          const a = await p.postJson(
            '/api/members/apply',
            { login: `pending-${i}`, passphrase: 'some passphrase', application: bytes.base64Padded(await p.toCoordinators('a')) },
            { 'tipline-pow': await p.stamp() },
          );
          pending.push(((await a.json()) as { id: string }).id);
        }
        const a = await all('/api/coordinator/applications', 'applications', 2);
        expect(a.sizes).toEqual([2, 1]);
        expect(new Set(a.ids)).toEqual(new Set(pending));
        const m = await all('/api/coordinator/members', 'members', 1);
        expect(m.sizes).toEqual([1, 1, 1]);
        expect(new Set(m.ids)).toEqual(new Set(members));

        // Without a limit, one page of at most 100 and next null when that is all.
        expect(await (await p.coord('GET', '/api/coordinator/members')).json()).toMatchObject({ next: null });
        for (const q of ['limit=0', 'limit=501', 'limit=x', 'after=nonsense', 'after=2026-01-01.short', 'limit=1&limit=2', 'other=1']) {
          for (const list of ['reports', 'applications', 'members', 'warnings']) {
            expect(await expectError(await p.coord('GET', `/api/coordinator/${list}?${q}`), 400), `${list}?${q}`).toBe('invalid query');
          }
        }
        expect(await expectError(await p.coord('GET', '/api/coordinator/warnings?after=-1'), 400)).toBe('invalid query');
      } finally {
        await p.close();
      }
    }, 120_000);
  });
}
