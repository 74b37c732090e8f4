/**
 * server/auth.ts through the real app on SQLite: the exact refusal for each way a signed
 * request or a member session can be wrong, replays refused for state changes only, and the
 * replay-cache row kept until the day after the window closed. Written to kill mutants
 * StrykerJS found surviving (`npm run mutate -- auth`).
 */
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_HEADERS, bytes, signKeyring, signRequest } from '../../crypto/index.js';
import { requireCoordinator, verifySigned } from '../../server/auth.js';
import type { ServerContext } from '../../server/context.js';
import type { AppEnv } from '../../server/http.js';
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

describe('the replay cache key', () => {
  const key = (scope: string, headers: Record<string, string>) =>
    createHash('sha256')
      .update(Buffer.concat([Buffer.from(`${scope}\0`), bytes.fromBase64Padded(headers[REQUEST_HEADERS.signature]!)]))
      .digest()
      .toString('hex');
  const stored = async () => (await h.db.selectFrom('seen_requests').select('hash').execute()).map((r) => Buffer.from(r.hash).toString('hex'));

  it('is SHA-256(scope, NUL, signature), so the scope is part of what is remembered', async () => {
    const { id } = await h.submitReport();
    const path = `/api/coordinator/reports/${id}/state`;
    const raw = bytes.utf8(JSON.stringify({ state: 'open' }));
    const headers = signRequest('coordinator', { method: 'PUT', path, body: raw, timestamp: seconds() }, h.coordinators.all.seed);
    const before = await stored();
    const r = await h.request(path, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: raw as BodyInit });
    expect(r.status).toBe(200);
    expect((await stored()).filter((x) => !before.includes(x))).toEqual([key('coordinator', headers)]);

    const m = h.mailbox();
    await h.submitReport({ mailbox: m });
    const mpath = `/api/mailboxes/${m.id}`;
    const mraw = bytes.utf8(JSON.stringify({ message: bytes.base64Padded(await h.toCoordinators('hello')) }));
    const mheaders = signRequest('mailbox', { method: 'POST', path: mpath, body: mraw, timestamp: seconds() }, m.seed);
    const before2 = await stored();
    const p = await h.request(mpath, { method: 'POST', headers: { ...mheaders, 'content-type': 'application/json' }, body: mraw as BodyInit });
    expect(p.status).toBe(201);
    expect((await stored()).filter((x) => !before2.includes(x))).toEqual([key('mailbox', mheaders)]);
  });
});

describe('the middleware and verifySigned on their own', () => {
  /** A one-route app over the harness's context: what a handler behind requireCoordinator sees. */
  function probe(ctx: ServerContext) {
    const app = new Hono<AppEnv>();
    app.post('/api/probe', requireCoordinator(ctx, 'reports'), (c) =>
      c.json({ coordinator: c.get('coordinator').id, body: bytes.fromUtf8(c.get('signedBody')) }),
    );
    app.post('/api/verify', async (c) => {
      try {
        const r = await verifySigned(ctx, c, 'coordinator');
        return c.json({ ok: r.timestamp });
      } catch (e) {
        return c.json({ threw: (e as Error).constructor.name, message: (e as Error).message });
      }
    });
    return app;
  }

  it('hands the handler the keyring entry of the signer and the signed body', async () => {
    const body = bytes.utf8('{"x":1}');
    const headers = signRequest('coordinator', { method: 'POST', path: '/api/probe', body, timestamp: seconds() }, h.coordinators.reader.seed);
    const r = await probe(h.app.ctx).request('/api/probe', { method: 'POST', headers, body: body as BodyInit });
    expect(await r.json()).toEqual({ coordinator: 'reader', body: '{"x":1}' });
  });

  it('lets a programming error (an invalid window) through instead of blaming the signature', async () => {
    const ctx = Object.create(h.app.ctx, { config: { value: { ...h.app.ctx.config, requestWindowSeconds: -1 } } }) as ServerContext;
    const body = bytes.utf8('{}');
    const headers = signRequest('coordinator', { method: 'POST', path: '/api/verify', body, timestamp: seconds() }, h.coordinators.all.seed);
    const r = await probe(ctx).request('/api/verify', { method: 'POST', headers, body: body as BodyInit });
    expect(await r.json()).toEqual({ threw: 'TypeError', message: 'invalid window' });
    // The same request with the harness's window verifies.
    const ok = await probe(h.app.ctx).request('/api/verify', { method: 'POST', headers, body: body as BodyInit });
    expect(await ok.json()).toEqual({ ok: Number(headers[REQUEST_HEADERS.timestamp]) });
  });

  it('passes an HTTP error raised while reading the body on unchanged (a body limit answers for itself)', async () => {
    const tooLarge = new HTTPException(413, { message: 'body too large' });
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        ctl.enqueue(new Uint8Array([123]));
        ctl.error(tooLarge);
      },
    });
    const req = new Request('http://localhost/api/verify', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    const r = await probe(h.app.ctx).request(req);
    expect(await r.json()).toEqual({ threw: 'HTTPException', message: 'body too large' });
    const broken = new ReadableStream<Uint8Array>({
      start(ctl) {
        ctl.error(new Error('socket hang up'));
      },
    });
    const r2 = await probe(h.app.ctx).request(new Request('http://localhost/api/verify', { method: 'POST', body: broken, duplex: 'half' } as RequestInit));
    expect(await r2.json()).toEqual({ threw: 'ApiError', message: 'request interrupted' });
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

  it('looks up only tokens of the issued shape, even when a stored session would match', async () => {
    const { cookie } = await h.member();
    const token = cookie.slice('tipline_session='.length);
    const [row] = await h.db.selectFrom('sessions').selectAll().where('token_hash', '=', createHash('sha256').update(token).digest()).execute();
    expect(row).toBeDefined();
    // Sessions whose token is not 43 base64url characters: no login ever issues one, and a
    // cookie carrying such a token is refused before the database is asked.
    for (const bad of ['short', `!${token}`, `${token}!`, `${token}A`]) {
      await h.db.insertInto('sessions').values({ token_hash: createHash('sha256').update(bad).digest(), member_id: row!.member_id, expires_day: row!.expires_day }).execute();
      expect(await expectError(await h.request('/api/members/me', { headers: { cookie: `tipline_session=${bad}` } }), 401), bad).toBe('login required');
    }
    expect((await h.request('/api/members/me', { headers: { cookie } })).status).toBe(200);
  });

  it('ends with the session day', async () => {
    const { cookie } = await h.member();
    h.clock.advance((h.config.retention.sessionDays + 1) * 86_400);
    expect(await expectError(await h.request('/api/members/me', { headers: { cookie } }), 401)).toBe('login required');
  });
});
