import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, primitives, signDocument } from '../../../crypto/index.js';
import { warningId } from '../../../server/routes/coordinator.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

type Sync = { warnings: { payload: string }[]; ids: string[]; withdrawn: string[]; cursor: number; more: boolean };

export function warningsSuite(getFactory: GetFactory): void {
  describe('warnings', () => {
    let h: Harness;
    let cookie: string;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
      cookie = (await h.member()).cookie;
    });
    afterAll(() => h.close());

    const sync = (since?: number, headers: Record<string, string> = {}) =>
      h.request(`/api/warnings${since === undefined ? '' : `?since=${since}`}`, { headers: { cookie, ...headers } });

    it('publishes warnings signed by a keyring coordinator with the warnings role', async () => {
      const env = h.warning({ title: 'Man in a grey van', area: 'North' });
      const r = await h.coord('POST', '/api/coordinator/warnings', env);
      expect(r.status).toBe(201);
      const { id } = (await r.json()) as { id: string };
      expect(id).toBe(warningId(bytes.fromBase64Padded(env.payload)));
      const list = (await sync()).clone();
      const body = (await list.json()) as Sync;
      expect(body.warnings).toEqual([env]);
      expect(body.ids).toEqual([id]);
      expect(body.withdrawn).toEqual([]);
      expect(body.cursor).toBeGreaterThan(0);
    });

    it('refuses warnings not signed by a keyring signer holding the warnings role, tampered or duplicate, storing nothing', async () => {
      const good = h.warning({ title: 'dup' });
      expect((await h.coord('POST', '/api/coordinator/warnings', good)).status).toBe(201);
      await unchanged(
        h,
        async () => {
          const byReader = h.warning({ title: 'x' }, h.coordinators.reader);
          expect(await expectError(await h.coord('POST', '/api/coordinator/warnings', byReader), 400)).toBe('untrusted signer');
          const byOutsider = h.warning({ title: 'x' }, h.outsider);
          expect(await expectError(await h.coord('POST', '/api/coordinator/warnings', byOutsider), 400)).toBe('untrusted signer');
          const byRandom = signDocument('warning', bytes.utf8('{"t":1}'), primitives().randomBytes(32));
          expect(await expectError(await h.coord('POST', '/api/coordinator/warnings', byRandom), 400)).toBe('untrusted signer');
          const tampered = { ...good, payload: bytes.base64Padded(bytes.utf8('{"title":"dum"}')) };
          expect(await expectError(await h.coord('POST', '/api/coordinator/warnings', tampered), 400)).toBe('invalid signature');
          const asKeyring = { ...good, kind: 'keyring' };
          expect(await expectError(await h.coord('POST', '/api/coordinator/warnings', asKeyring), 400)).toBe('invalid warning');
          const notCanonical = signDocument('warning', bytes.utf8('{ "title": "x" }'), h.coordinators.all.seed);
          expect(await expectError(await h.coord('POST', '/api/coordinator/warnings', notCanonical), 400)).toBe('invalid warning');
          expect(await expectError(await h.coord('POST', '/api/coordinator/warnings', { nope: 1 }), 400)).toBe('invalid warning');
          expect(await expectError(await h.coord('POST', '/api/coordinator/warnings', good), 409)).toBe('warning exists');
        },
        ['seen_requests'],
      );
    });

    it('syncs incrementally with a cursor and withdrawals', async () => {
      const first = (await (await sync()).json()) as Sync;
      const since = first.cursor;
      expect((await (await sync(since)).json()) as Sync).toMatchObject({ warnings: [], withdrawn: [], cursor: since });
      const env = h.warning({ title: 'new one' });
      const { id } = (await (await h.coord('POST', '/api/coordinator/warnings', env)).json()) as { id: string };
      const next = (await (await sync(since)).json()) as Sync;
      expect(next.warnings).toEqual([env]);
      expect(next.cursor).toBeGreaterThan(since);
      expect((await h.coord('DELETE', `/api/coordinator/warnings/${id}`)).status).toBe(200);
      const after = (await (await sync(next.cursor)).json()) as Sync;
      expect(after).toMatchObject({ warnings: [], withdrawn: [id] });
      const all = (await (await sync()).json()) as Sync;
      expect(all.ids).not.toContain(id);
      expect(all.withdrawn).toContain(id);
      expect(await expectError(await h.coord('DELETE', `/api/coordinator/warnings/${id}`), 404)).toBe('not found');
      const listed = (await (await h.coord('GET', '/api/coordinator/warnings')).json()) as { warnings: { id: string }[] };
      expect(listed.warnings.map((w) => w.id)).not.toContain(id);
    });

    it('answers 304 to a matching If-None-Match and a new ETag after a change', async () => {
      const r = await sync(0);
      const etag = r.headers.get('etag')!;
      expect(etag).toMatch(/^"w\d+"$/);
      const same = await sync(0, { 'if-none-match': etag });
      expect(same.status).toBe(304);
      expect(await same.text()).toBe('');
      await h.coord('POST', '/api/coordinator/warnings', h.warning({ title: 'etag change' }));
      const changed = await sync(0, { 'if-none-match': etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
    });

    it('is for logged-in members only', async () => {
      expect(await expectError(await h.request('/api/warnings'), 401)).toBe('login required');
      expect(await expectError(await h.request('/api/warnings', { headers: { cookie: 'tipline_session=' + 'A'.repeat(43) } }), 401)).toBe('login required');
      expect(await expectError(await sync(-1 as number), 400)).toBe('invalid query');
    });
  });
}
