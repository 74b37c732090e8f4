/**
 * server/auth.ts through the real app on SQLite: the exact refusal for each way a signed
 * request or a member session can be wrong, replays refused for state changes only, and the
 * replay-cache row kept until the day after the window closed. Written to kill mutants
 * StrykerJS found surviving (`npm run mutate -- auth`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytes, signKeyring, signRequest } from '../../crypto/index.js';
import { makeHarness, expectError, sqliteFactory, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness(sqliteFactory);
});
afterEach(() => h.close());

const seconds = () => Math.floor(h.clock.now().getTime() / 1000);

describe('coordinator requests', () => {
  it('says which part is wrong: missing, stale, forged, unknown key, missing role', async () => {
    expect(await expectError(await h.request('/api/coordinator/reports'), 401)).toBe('missing signature');
    const stale = await h.signed('coordinator', h.coordinators.all.seed, 'GET', '/api/coordinator/reports', undefined, {
      timestamp: seconds() - h.config.requestWindowSeconds - 1,
    });
    expect(await expectError(stale, 401)).toBe('stale request');
    const edge = await h.signed('coordinator', h.coordinators.all.seed, 'GET', '/api/coordinator/reports', undefined, {
      timestamp: seconds() - h.config.requestWindowSeconds,
    });
    expect(edge.status).toBe(200);
    const forged = await h.signed('coordinator', h.coordinators.all.seed, 'GET', '/api/coordinator/reports', undefined, {
      signedPath: '/api/coordinator/reports?state=new',
    });
    expect(await expectError(forged, 401)).toBe('invalid signature');
    expect(await expectError(await h.coord('GET', '/api/coordinator/reports', undefined, h.outsider), 401)).toBe('unknown key');
    expect(await expectError(await h.coord('GET', '/api/coordinator/warnings', undefined, h.coordinators.reader), 403)).toBe('role required');
  });

  it('calls a path too long to have been signed an invalid signature, like any other bad signature', async () => {
    const long = `/api/coordinator/reports?state=new&pad=${'a'.repeat(5000)}`;
    const r = await h.signed('coordinator', h.coordinators.all.seed, 'GET', long, undefined, { signedPath: '/api/coordinator/reports' });
    expect(await expectError(r, 401)).toBe('invalid signature');
  });

  it('signs the query string too: the path plus query as sent is what must verify', async () => {
    const ok = await h.coord('GET', '/api/coordinator/reports?state=new');
    expect(ok.status).toBe(200);
    const wrong = await h.signed('coordinator', h.coordinators.all.seed, 'GET', '/api/coordinator/reports?state=new', undefined, {
      signedPath: '/api/coordinator/reports',
    });
    expect(await expectError(wrong, 401)).toBe('invalid signature');
  });

  it('a mailbox signature is not a coordinator signature', async () => {
    const r = await h.signed('mailbox', h.coordinators.all.seed, 'GET', '/api/coordinator/reports');
    expect(await expectError(r, 401)).toBe('invalid signature');
  });

  it('refuses a replayed state change, and remembers it until the day after its window closed', async () => {
    // 23:59:00 UTC: the window of a request signed now ends after midnight.
    const t = Math.floor(Date.UTC(2026, 2, 10, 23, 59, 0) / 1000);
    h.clock.set(new Date(t * 1000));
    // A keyring valid on that day (keyrings last at most 180 days).
    const k = { ...h.makeKeyring(2), issued: '2026-03-10', expires: '2026-06-01' };
    const put = await h.request('/api/keyring', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signKeyring(k, h.rootSeed)) });
    expect(put.status).toBe(200);
    const { id } = await h.submitReport();
    const before = (await h.db.selectFrom('seen_requests').select('expires_day').execute()).length;
    const send = () =>
      h.signed('coordinator', h.coordinators.all.seed, 'PUT', `/api/coordinator/reports/${id}/state`, { state: 'open' }, { timestamp: t });
    expect((await send()).status).toBe(200);
    expect(await expectError(await send(), 401)).toBe('replayed request');
    // Another signature (a second later) is another request: each is remembered by its own key.
    const again = await h.signed('coordinator', h.coordinators.all.seed, 'PUT', `/api/coordinator/reports/${id}/state`, { state: 'open' }, { timestamp: t + 1 });
    expect(again.status).toBe(200);
    const rows = await h.db.selectFrom('seen_requests').select('expires_day').execute();
    expect(rows.length).toBe(before + 2);
    // window closes 2026-03-11 (23:59 + 120 s); kept until the day after.
    expect(h.config.requestWindowSeconds).toBe(120);
    expect(rows.at(-1)!.expires_day).toBe('2026-03-12');
  });

  it('lets the same signed read (GET or HEAD) through twice: polling within a second repeats a signature', async () => {
    const t = seconds();
    for (const method of ['GET', 'GET', 'HEAD', 'HEAD']) {
      const r = await h.signed('coordinator', h.coordinators.all.seed, method, '/api/coordinator/reports', undefined, { timestamp: t });
      expect(r.status, method).toBe(200);
    }
    expect(await h.db.selectFrom('seen_requests').selectAll().execute()).toEqual([]);
  });

  it('hands the handler the verified body: a note signed over other bytes is refused', async () => {
    const { id } = await h.submitReport();
    const note = bytes.base64Padded(await h.toCoordinators('note'));
    const ok = await h.coord('POST', `/api/coordinator/reports/${id}/notes`, { note });
    expect(ok.status).toBe(201);
    const raw = bytes.utf8(JSON.stringify({ note }));
    const headers = signRequest('coordinator', { method: 'POST', path: `/api/coordinator/reports/${id}/notes`, body: bytes.utf8('{}'), timestamp: seconds() }, h.coordinators.all.seed);
    const forged = await h.request(`/api/coordinator/reports/${id}/notes`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: raw as BodyInit,
    });
    expect(await expectError(forged, 401)).toBe('invalid signature');
  });
});

describe('mailbox requests', () => {
  it('refuses a replayed reporter message but not a repeated read', async () => {
    const m = h.mailbox();
    await h.submitReport({ mailbox: m });
    const t = seconds();
    const msg = { message: bytes.base64Padded(await h.toCoordinators('hello')) };
    const post = () => h.signed('mailbox', m.seed, 'POST', `/api/mailboxes/${m.id}`, msg, { timestamp: t });
    expect((await post()).status).toBe(201);
    expect(await expectError(await post(), 401)).toBe('replayed request');
    for (let i = 0; i < 2; i++) expect((await h.signed('mailbox', m.seed, 'GET', `/api/mailboxes/${m.id}`, undefined, { timestamp: t })).status).toBe(200);
  });
});

describe('member sessions', () => {
  it('needs a well-formed live session cookie', async () => {
    const { cookie } = await h.member();
    const me = (c?: string) => h.request('/api/members/me', c ? { headers: { cookie: c } } : {});
    expect(await (await me(cookie)).json()).toMatchObject({ login: expect.any(String) });
    const token = cookie.slice('tipline_session='.length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await expectError(await me(), 401)).toBe('login required');
    expect(await expectError(await me(`tipline_session=${token}A`), 401)).toBe('login required');
    expect(await expectError(await me(`tipline_session=${token.slice(1)}`), 401)).toBe('login required');
    expect(await expectError(await me(`tipline_session=${token.slice(0, 42)}!`), 401)).toBe('login required');
    const unknown = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    expect(await expectError(await me(`tipline_session=${unknown}`), 401)).toBe('login required');
    expect(await expectError(await me(`other=${token}`), 401)).toBe('login required');
  });

  it('ends with the session day', async () => {
    const { cookie } = await h.member();
    h.clock.advance((h.config.retention.sessionDays + 1) * 86_400);
    expect(await expectError(await h.request('/api/members/me', { headers: { cookie } }), 401)).toBe('login required');
  });
});
