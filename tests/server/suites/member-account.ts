import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes } from '../../../crypto/index.js';
import { findMemberByLogin, getMember } from '../../../server/db/queries.js';
import { sweep } from '../../../server/retention.js';
import { classicalFile, expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

/** Every route that hands out warnings or member data; each must refuse anyone but an approved, logged-in member. */
const MEMBER_ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/warnings'],
  ['GET', '/api/warnings?since=0'],
  ['GET', '/api/members/me'],
  ['PUT', '/api/members/me/application', { application: 'AAAA' }],
  ['DELETE', '/api/members/me'],
];

export function memberAccountSuite(getFactory: GetFactory): void {
  describe('member account and access', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
      expect((await h.coord('POST', '/api/coordinator/warnings', h.validWarning({ summary: 'members only' }).envelope)).status).toBe(201);
    });
    afterAll(() => h.close());

    const call = (method: string, path: string, cookie: string | undefined, body?: unknown) =>
      h.request(path, {
        method,
        headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    async function refusedEverywhere(cookie: string | undefined): Promise<void> {
      await unchanged(h, async () => {
        for (const [method, path, body] of MEMBER_ROUTES) {
          expect(await expectError(await call(method, path, cookie, body), 401), `${method} ${path}`).toBe('login required');
        }
      });
    }

    async function applyOnly(login: string) {
      const r = await h.postJson(
        '/api/members/apply',
        { login, passphrase: 'correct horse battery', application: bytes.base64Padded(await h.toCoordinators('app')) },
        { 'tipline-pow': await h.stamp() },
      );
      return ((await r.json()) as { id: string }).id;
    }

    it('pending, refused, revoked, logged-out and cookie-less visitors cannot read warnings through any route', async () => {
      await refusedEverywhere(undefined);
      await refusedEverywhere('tipline_session=' + 'B'.repeat(43));
      // pending: cannot log in, and a forged session row cannot be made without the token
      await applyOnly('pending-one');
      expect(await expectError(await h.postJson('/api/members/login', { login: 'pending-one', passphrase: 'correct horse battery' }), 403)).toBe('not approved');
      // refused
      const refused = await applyOnly('refused-one');
      await h.coord('POST', `/api/coordinator/applications/${refused}`, { decision: 'refuse' });
      expect(await expectError(await h.postJson('/api/members/login', { login: 'refused-one', passphrase: 'correct horse battery' }), 403)).toBe('application refused');
      // revoked, with a session taken before the revocation
      const m = await h.member();
      expect((await call('GET', '/api/warnings', m.cookie)).status).toBe(200);
      await h.coord('POST', `/api/coordinator/members/${m.id}/revoke`);
      await refusedEverywhere(m.cookie);
      // logged out
      const n = await h.member();
      expect((await call('POST', '/api/members/logout', n.cookie)).status).toBe(200);
      await refusedEverywhere(n.cookie);
      // An old session of a member later set back to pending is not honoured either.
      const o = await h.member();
      await h.db.updateTable('members').set({ state: 'pending' }).where('id', '=', o.id).execute();
      await refusedEverywhere(o.cookie);
    });

    it('retention deletes refused applications with undecided ones, and keeps approved members', async () => {
      const refused = await applyOnly('old-refused');
      await h.coord('POST', `/api/coordinator/applications/${refused}`, { decision: 'refuse' });
      const m = await h.member();
      const old = new Date(h.clock.now().getTime() - (h.config.retention.applicationDays + 2) * 86_400_000).toISOString().slice(0, 10);
      await h.db.updateTable('members').set({ applied_day: old }).where('id', 'in', [refused, m.id]).execute();
      await sweep(h.db, h.kind, h.config, h.clock.now());
      expect(await getMember(h.db, refused)).toBeUndefined();
      expect(await getMember(h.db, m.id)).toMatchObject({ state: 'approved' });
    });

    it('replaces the encrypted settings (age to the coordinators only), refusing anything else', async () => {
      const m = await h.member();
      const before = (await getMember(h.db, m.id))!.application!;
      const settings = await h.toCoordinators('new settings');
      await unchanged(h, async () => {
        const bad = [
          { application: bytes.base64Padded(await classicalFile()) },
          { application: 'not base64!' },
          { application: bytes.base64Padded(settings), extra: 1 },
          {},
        ];
        for (const b of bad) expect((await call('PUT', '/api/members/me/application', m.cookie, b)).status).toBe(400);
      });
      expect(Buffer.compare((await getMember(h.db, m.id))!.application!, before)).toBe(0);
      const r = await call('PUT', '/api/members/me/application', m.cookie, { application: bytes.base64Padded(settings) });
      expect(r.status).toBe(200);
      expect(Buffer.compare((await getMember(h.db, m.id))!.application!, Buffer.from(settings))).toBe(0);
      const listed = (await (await h.coord('GET', '/api/coordinator/members')).json()) as { members: { id: string; application: string }[] };
      expect(listed.members.find((x) => x.id === m.id)?.application).toBe(bytes.base64Padded(settings));
    });

    it('leaving deletes the account, its application and every session at once', async () => {
      const m = await h.member();
      const second = await h.login(m.login, m.passphrase);
      const before = await h.counts();
      const r = await call('DELETE', '/api/members/me', m.cookie);
      expect(r.status).toBe(200);
      expect(r.headers.get('set-cookie')).toMatch(/tipline_session=;.*Max-Age=0/);
      expect(await findMemberByLogin(h.db, m.login)).toBeUndefined();
      const after = await h.counts();
      expect(after.members).toBe(before.members - 1);
      expect(after.sessions).toBe(before.sessions - 2);
      await refusedEverywhere(second);
      expect(await expectError(await h.postJson('/api/members/login', { login: m.login, passphrase: m.passphrase }), 401)).toBe('invalid login');
    });
  });
}
