import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, encrypt } from '../../../crypto/index.js';
import { findMemberByLogin } from '../../../server/db/queries.js';
import { expectError, makeHarness, sessionCookie, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

export function membersSuite(getFactory: GetFactory): void {
  describe('members', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory(), { config: { loginAttemptsPerHour: 3 } });
    });
    afterAll(() => h.close());

    const apply = async (body: Record<string, unknown>, stamp = true) =>
      h.postJson('/api/members/apply', body, stamp ? { 'tipline-pow': await h.stamp() } : {});
    const application = async () => bytes.base64Padded(await h.toCoordinators('name, project, contact'));
    const login = (l: string, p: string) => h.postJson('/api/members/login', { login: l, passphrase: p });

    it('takes an application, hashes the passphrase with scrypt and keeps the member out until approved', async () => {
      const r = await apply({ login: 'Rosa.Project', passphrase: 'a long passphrase', application: await application() });
      expect(r.status).toBe(201);
      const { id } = (await r.json()) as { id: string };
      const row = (await findMemberByLogin(h.db, 'rosa.project'))!;
      expect(row).toMatchObject({ id, state: 'pending' });
      expect(row.pass_hash).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      expect(row.pass_hash).not.toContain('a long passphrase');

      await unchanged(
        h,
        async () => {
          expect(await expectError(await login('rosa.project', 'a long passphrase'), 403)).toBe('not approved');
          expect(await expectError(await login('rosa.project', 'wrong passphrase'), 401)).toBe('invalid login');
          expect(await expectError(await login('nobody-here', 'a long passphrase'), 401)).toBe('invalid login');
        },
        ['abuse_counters'], // failed logins are counted per name
      );

      const apps = (await (await h.coord('GET', '/api/coordinator/applications')).json()) as { applications: { id: string; login: string }[] };
      expect(apps.applications).toEqual([{ id, login: 'rosa.project', day: expect.any(String), application: expect.any(String) }]);
      expect((await h.coord('POST', `/api/coordinator/applications/${id}`, { decision: 'approve' })).status).toBe(200);

      const ok = await login('ROSA.project', 'a long passphrase');
      expect(ok.status).toBe(200);
      const set = ok.headers.get('set-cookie')!;
      expect(set).toMatch(/^tipline_session=[A-Za-z0-9_-]{43};/);
      expect(set).toMatch(/HttpOnly/);
      expect(set).toMatch(/SameSite=Strict/);
      expect(set).toMatch(/Path=\//);
      expect(set).not.toMatch(/Secure/); // plain http in tests
      const cookie = sessionCookie(ok);
      expect(await (await h.request('/api/members/me', { headers: { cookie } })).json()).toEqual({ login: 'rosa.project' });
      // Only a hash of the token is stored.
      const sessions = await h.db.selectFrom('sessions').select('token_hash').execute();
      expect(sessions.some((s) => Buffer.from(s.token_hash).toString('base64url') === cookie.split('=')[1])).toBe(false);

      const out = await h.request('/api/members/logout', { method: 'POST', headers: { cookie } });
      expect(out.status).toBe(200);
      expect(out.headers.get('set-cookie')).toMatch(/tipline_session=;.*Max-Age=0/);
      expect(await expectError(await h.request('/api/members/me', { headers: { cookie } }), 401)).toBe('login required');
    });

    it('revocation ends every session at once', async () => {
      const m = await h.member();
      const second = await h.login(m.login, m.passphrase);
      for (const c of [m.cookie, second]) expect((await h.request('/api/warnings', { headers: { cookie: c } })).status).toBe(200);
      expect((await h.coord('POST', `/api/coordinator/members/${m.id}/revoke`)).status).toBe(200);
      for (const c of [m.cookie, second]) expect(await expectError(await h.request('/api/warnings', { headers: { cookie: c } }), 401)).toBe('login required');
      expect(await expectError(await login(m.login, m.passphrase), 403)).toBe('access revoked');
      const members = (await (await h.coord('GET', '/api/coordinator/members')).json()) as { members: { id: string; state: string }[] };
      expect(members.members.find((x) => x.id === m.id)?.state).toBe('revoked');
      expect(await expectError(await h.coord('POST', `/api/coordinator/members/${m.id}/revoke`), 404)).toBe('not found');
    });

    it('refusing an application deletes its ciphertext at once and tells the applicant plainly', async () => {
      const r = await apply({ login: 'to-refuse', passphrase: 'another passphrase', application: await application() });
      const { id } = (await r.json()) as { id: string };
      expect((await h.coord('POST', `/api/coordinator/applications/${id}`, { decision: 'refuse' })).status).toBe(200);
      expect(await findMemberByLogin(h.db, 'to-refuse')).toMatchObject({ state: 'refused', application: null });
      expect(await expectError(await h.coord('POST', `/api/coordinator/applications/${id}`, { decision: 'approve' }), 404)).toBe('not found');
      expect(await expectError(await login('to-refuse', 'another passphrase'), 403)).toBe('application refused');
      const lists = [await h.coord('GET', '/api/coordinator/applications'), await h.coord('GET', '/api/coordinator/members')];
      for (const l of lists) expect(JSON.stringify(await l.json())).not.toContain(id);
    });

    it('refuses bad applications, storing nothing', async () => {
      const good = { login: 'valid-name', passphrase: 'long enough pass', application: await application() };
      await apply(good);
      const wrong = bytes.base64Padded(await encrypt([HybridIdentity.generate().recipient()], bytes.utf8('x')));
      await unchanged(h, async () => {
        expect(await expectError(await apply({ ...good, login: 'other-name' }, false), 403)).toBe('proof of work required');
        expect(await expectError(await apply({ ...good, login: 'x' }), 400)).toBe('invalid body');
        expect(await expectError(await apply({ ...good, login: 'has space' }), 400)).toBe('invalid body');
        expect(await expectError(await apply({ ...good, login: 'other-name', passphrase: 'short' }), 400)).toBe('invalid body');
        expect(await expectError(await apply({ ...good, login: 'other-name', application: wrong }), 400)).toBe('wrong recipients');
        expect(await expectError(await apply({ ...good, login: 'other-name', website: 'x' }), 400)).toBe('rejected');
        expect(await expectError(await apply({ ...good, extra: true }), 400)).toBe('invalid body');
      });
      // A taken name is refused after the stamp was spent (asking costs a stamp each time).
      await unchanged(h, async () => expect(await expectError(await apply(good), 409)).toBe('login name taken'), ['spent_stamps', 'abuse_counters']);
    });

    it('does not tell a taken name from a free one to a spent stamp (the stamp is spent before any lookup)', async () => {
      const taken = { login: 'already-here', passphrase: 'long enough pass', application: await application() };
      expect((await apply(taken)).status).toBe(201);
      const stamp = await h.stamp();
      const free = { ...taken, login: 'free-name-1' };
      expect((await h.postJson('/api/members/apply', free, { 'tipline-pow': stamp })).status).toBe(201);
      await unchanged(h, async () => {
        for (const login of ['already-here', 'free-name-2']) {
          const r = await h.postJson('/api/members/apply', { ...taken, login }, { 'tipline-pow': stamp });
          expect(await expectError(r, 403)).toBe('proof of work already used');
        }
      });
    });

    it('after a few failed logins for a name, asks for proof of work instead of locking the member out', async () => {
      const m = await h.member('limited-one', 'the right passphrase');
      for (let i = 0; i < 3; i++) expect(await expectError(await login(m.login, 'wrong wrong wrong'), 401)).toBe('invalid login');
      // Other names are not affected.
      const other = await h.member('unlimited-one', 'the right passphrase');
      expect((await login(other.login, other.passphrase)).status).toBe(200);
      await unchanged(h, async () => {
        expect(await expectError(await login(m.login, 'the right passphrase'), 403)).toBe('proof of work required');
      });
      const withStamp = async (p: string, stamp?: string) =>
        h.postJson('/api/members/login', { login: m.login, passphrase: p }, { 'tipline-pow': stamp ?? (await h.stamp()) });
      expect(await expectError(await withStamp('wrong wrong wrong'), 401)).toBe('invalid login');
      const stamp = await h.stamp();
      expect((await withStamp('the right passphrase', stamp)).status).toBe(200);
      expect(await expectError(await withStamp('the right passphrase', stamp), 403)).toBe('proof of work already used');
      // The counts are in the database: another process asks too.
      const p2 = h.otherProcess();
      expect(await expectError(await p2.request('/api/members/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: m.login, passphrase: 'the right passphrase' }) }), 403)).toBe('proof of work required');
      h.clock.advance(3600);
      expect((await login(m.login, 'the right passphrase')).status).toBe(200);
      // The stored counts are gone once out of the window, and never name the login.
      const rows = await h.db.selectFrom('abuse_counters').selectAll().where('name', 'like', 'login:%').execute();
      for (const r of rows) expect(r.name).not.toContain('limited-one');
    });

    it('sets Secure cookies when configured', async () => {
      const s = await makeHarness(getFactory(), { config: { secureCookies: 'true' } });
      try {
        const m = await s.member();
        const r = await s.postJson('/api/members/login', { login: m.login, passphrase: m.passphrase });
        expect(r.headers.get('set-cookie')).toMatch(/; Secure/);
      } finally {
        await s.close();
      }
    });
    it('caps the applications waiting for a decision: more get 503 and store nothing until coordinators decide', async () => {
      const s = await makeHarness(getFactory(), { config: { limits: { pendingApplications: 2 } } });
      try {
        const send = async (login: string) =>
          s.postJson(
            '/api/members/apply',
            { login, passphrase: 'some passphrase', application: bytes.base64Padded(await s.toCoordinators('a')) },
            { 'tipline-pow': await s.stamp() },
          );
        const first = (await (await send('first-one')).json()) as { id: string };
        expect((await send('second-one')).status).toBe(201);
        await unchanged(s, async () => {
          expect(await expectError(await send('third-one'), 503)).toBe('too many applications waiting, try later');
        });
        expect((await s.coord('POST', `/api/coordinator/applications/${first.id}`, { decision: 'approve' })).status).toBe(200);
        expect((await send('third-one')).status).toBe(201);
      } finally {
        await s.close();
      }
    });

    it('sets Secure from the configuration, never from the request URL', async () => {
      const cases: [Parameters<typeof makeHarness>[1], boolean][] = [
        [{}, false],
        [{ config: { host: '0.0.0.0' } }, true],
        [{ config: { publicOrigin: 'https://tips.example.org' } }, true],
      ];
      for (const [opts, secure] of cases) {
        const s = await makeHarness(getFactory(), opts);
        try {
          const m = await s.member();
          // Behind a TLS proxy the request URL says http; a plain request may say https.
          for (const url of ['http://127.0.0.1/api/members/login', 'https://127.0.0.1/api/members/login']) {
            const r = await s.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: m.login, passphrase: m.passphrase }) });
            expect(r.status).toBe(200);
            expect(/; Secure/.test(r.headers.get('set-cookie') ?? ''), `${JSON.stringify(opts)} ${url}`).toBe(secure);
          }
        } finally {
          await s.close();
        }
      }
    }, 120_000);
  });
}
