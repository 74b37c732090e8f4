import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, decrypt, encrypt, primitives } from '../../../crypto/index.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

export function mailboxesSuite(getFactory: GetFactory): void {
  describe('reporter mailboxes', () => {
    let h: Harness;
    let m: ReturnType<Harness['mailbox']>;
    let report: string;
    beforeAll(async () => {
      h = await makeHarness(getFactory(), { config: { limits: { messagesPerMailbox: 4 } } });
      m = h.mailbox();
      report = (await h.submitReport({ mailbox: m })).id;
    });
    afterAll(() => h.close());

    const path = () => `/api/mailboxes/${m.id}`;
    type Messages = { messages: { id: string; from: string; day: string; body: string }[] };

    it('an empty mailbox answers an empty list to its own key, as often as asked', async () => {
      for (let i = 0; i < 2; i++) {
        // The same second: identical signatures. Reads are not replay-checked.
        const r = await h.signed('mailbox', m.seed, 'GET', path());
        expect(r.status).toBe(200);
        expect(await r.json()).toEqual({ messages: [] });
      }
    });

    it('carries a coordinator reply to the reporter and a follow-up back', async () => {
      const reply = await encrypt([m.reply.recipient()], bytes.utf8('We got your report.'));
      const sent = await h.coord('POST', `/api/coordinator/reports/${report}/replies`, { message: bytes.base64Padded(reply) });
      expect(sent.status).toBe(201);

      const got = (await (await h.signed('mailbox', m.seed, 'GET', path())).json()) as Messages;
      expect(got.messages).toHaveLength(1);
      expect(got.messages[0]).toMatchObject({ from: 'coordinator', day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      expect(bytes.fromUtf8(await decrypt([m.reply], bytes.fromBase64Padded(got.messages[0]!.body)))).toBe('We got your report.');

      const followUp = await h.toCoordinators('He came back on Friday.');
      const post = await h.signed('mailbox', m.seed, 'POST', path(), { message: bytes.base64Padded(followUp) });
      expect(post.status).toBe(201);
      const view = (await (await h.coord('GET', `/api/coordinator/reports/${report}`)).json()) as Messages;
      expect(view.messages.map((x) => x.from)).toEqual(['coordinator', 'reporter']);
      expect(bytes.fromUtf8(await decrypt([h.coordinators.all.identity], bytes.fromBase64Padded(view.messages[1]!.body)))).toBe(
        'He came back on Friday.',
      );
    });

    it('answers an unknown mailbox and a wrong key the same way, before and without storing anything', async () => {
      const other = primitives().randomBytes(32);
      const unknown = `/api/mailboxes/${h.mailbox().id}`;
      await unchanged(h, async () => {
        const wrongKey = await h.signed('mailbox', other, 'GET', path());
        const missing = await h.signed('mailbox', other, 'GET', unknown);
        const missingOwnKey = await h.signed('mailbox', m.seed, 'GET', unknown);
        for (const r of [wrongKey, missing, missingOwnKey]) expect(await expectError(r, 404)).toBe('not found');
        const post = await h.signed('mailbox', other, 'POST', path(), { message: bytes.base64Padded(await h.toCoordinators('x')) });
        expect(await expectError(post, 404)).toBe('not found');
        expect(await expectError(await h.signed('mailbox', m.seed, 'GET', '/api/mailboxes/not-an-id'), 404)).toBe('not found');
      });
    });

    it('refuses unsigned, forged, stale and replayed requests, storing nothing', async () => {
      const now = Math.floor(h.clock.now().getTime() / 1000);
      const body = { message: bytes.base64Padded(await h.toCoordinators('x')) };
      await unchanged(h, async () => {
        expect(await expectError(await h.request(path()), 401)).toBe('missing signature');
        expect(await expectError(await h.signed('coordinator', m.seed, 'GET', path()), 401)).toBe('invalid signature');
        expect(await expectError(await h.signed('mailbox', m.seed, 'GET', path(), undefined, { signedPath: `${path()}?x` }), 401)).toBe('invalid signature');
        expect(
          await expectError(await h.signed('mailbox', m.seed, 'POST', path(), body, { signedBody: bytes.utf8('{}') }), 401),
        ).toBe('invalid signature');
        expect(await expectError(await h.signed('mailbox', m.seed, 'GET', path(), undefined, { timestamp: now - 121 }), 401)).toBe('stale request');
        expect(await expectError(await h.signed('mailbox', m.seed, 'GET', path(), undefined, { timestamp: now + 121 }), 401)).toBe('stale request');
      });
      const first = await h.signed('mailbox', m.seed, 'POST', path(), body, { timestamp: now - 5 });
      expect(first.status).toBe(201);
      await unchanged(h, async () => {
        expect(await expectError(await h.signed('mailbox', m.seed, 'POST', path(), body, { timestamp: now - 5 }), 401)).toBe('replayed request');
      });
    });

    it('refuses follow-ups that are not to the coordinators or not JSON, and a full mailbox', async () => {
      const reply = await encrypt([m.reply.recipient()], bytes.utf8('only for the reporter'));
      await unchanged(
        h,
        async () => {
          expect(await expectError(await h.signed('mailbox', m.seed, 'POST', path(), { message: bytes.base64Padded(reply) }), 400)).toBe('wrong recipients');
          expect(await expectError(await h.signed('mailbox', m.seed, 'POST', path(), { message: 'no!' }), 400)).toBe('invalid body');
          expect(
            await expectError(await h.signed('mailbox', m.seed, 'POST', path(), { message: 'x' }, { contentType: 'text/plain' }), 415),
          ).toBe('unsupported content type');
        },
        ['seen_requests'],
      );
      // 2 messages exist (reply + follow-up above, plus one in the replay test): fill to the limit of 4.
      const count = async () => ((await (await h.signed('mailbox', m.seed, 'GET', path())).json()) as Messages).messages.length;
      while ((await count()) < 4) {
        expect((await h.signed('mailbox', m.seed, 'POST', path(), { message: bytes.base64Padded(await h.toCoordinators('more')) })).status).toBe(201);
      }
      await unchanged(
        h,
        async () => {
          const r = await h.signed('mailbox', m.seed, 'POST', path(), { message: bytes.base64Padded(await h.toCoordinators('too many')) });
          expect(await expectError(r, 409)).toBe('mailbox full');
        },
        ['seen_requests'],
      );
    });

    it('an expired mailbox is not found', async () => {
      h.clock.advance((h.config.retention.mailboxDays + 1) * 86_400);
      try {
        expect(await expectError(await h.signed('mailbox', m.seed, 'GET', path()), 404)).toBe('not found');
      } finally {
        h.clock.advance(-(h.config.retention.mailboxDays + 1) * 86_400);
      }
    });
  });
}
