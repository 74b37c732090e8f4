import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, primitives, signDocument, verifyWarningDocument, type SignedEnvelope } from '../../../crypto/index.js';
import { warningId } from '../../../server/routes/coordinator.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

type Sync = { warnings: SignedEnvelope[]; ids: string[]; withdrawn: string[]; proofs: (SignedEnvelope | null)[]; cursor: number; more: boolean };

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
    const post = (env: unknown) => h.coord('POST', '/api/coordinator/warnings', env);

    it('publishes warnings signed by a keyring coordinator with the warnings role', async () => {
      const { envelope: env, id: expected } = h.validWarning({ summary: 'Man in a grey van' });
      const r = await post(env);
      expect(r.status).toBe(201);
      const { id } = (await r.json()) as { id: string };
      expect(id).toBe(warningId(bytes.fromBase64Padded(env.payload)));
      expect(id).toBe(expected);
      const body = (await (await sync()).json()) as Sync;
      expect(body.warnings).toEqual([env]);
      expect(body.ids).toEqual([id]);
      expect(body.withdrawn).toEqual([]);
      expect(body.proofs).toEqual([]);
      expect(body.cursor).toBeGreaterThan(0);
    });

    it('refuses warnings not signed by a keyring signer holding the warnings role, tampered, off-schema or duplicate, storing nothing', async () => {
      const good = h.validWarning({ summary: 'dup' }).envelope;
      expect((await post(good)).status).toBe(201);
      await unchanged(
        h,
        async () => {
          const byReader = h.validWarning({}, h.coordinators.reader).envelope;
          expect(await expectError(await post(byReader), 400)).toBe('untrusted signer');
          const byOutsider = h.validWarning({}, h.outsider).envelope;
          expect(await expectError(await post(byOutsider), 400)).toBe('untrusted signer');
          const byRandom = signDocument('warning', bytes.utf8('{"t":1}'), primitives().randomBytes(32));
          expect(await expectError(await post(byRandom), 400)).toBe('untrusted signer');
          const tampered = { ...good, payload: h.validWarning({ summary: 'dum' }).envelope.payload };
          expect(await expectError(await post(tampered), 400)).toBe('invalid signature');
          expect(await expectError(await post({ ...good, kind: 'keyring' }), 400)).toBe('invalid warning');
          const notCanonical = signDocument('warning', bytes.utf8('{ "title": "x" }'), h.coordinators.all.seed);
          expect(await expectError(await post(notCanonical), 400)).toBe('invalid warning');
          // Off-schema: the old free-form payload, and an unmasked phone number.
          expect(await expectError(await post(h.warning({ title: 'Man in a grey van' })), 400)).toBe('invalid warning');
          const unmasked = h.warning({ ...JSON.parse(bytes.fromUtf8(bytes.fromBase64Padded(good.payload))), identifiers: [{ kind: 'phone', masked: '07123 456123' }] });
          expect(await expectError(await post(unmasked), 400)).toBe('invalid warning');
          expect(await expectError(await post({ nope: 1 }), 400)).toBe('invalid warning');
          expect(await expectError(await post(good), 409)).toBe('warning exists');
          // A correction or withdrawal of something that is not a live warning.
          const orphan = h.validWarning({ supersedes: 'A'.repeat(22) }).envelope;
          expect(await expectError(await post(orphan), 404)).toBe('superseded warning not found');
          expect(await expectError(await post(h.withdrawal('A'.repeat(22)).envelope), 404)).toBe('not found');
          const outsiderWithdrawal = h.withdrawal(warningId(bytes.fromBase64Padded(good.payload)), h.outsider).envelope;
          expect(await expectError(await post(outsiderWithdrawal), 400)).toBe('untrusted signer');
        },
        ['seen_requests'],
      );
    });

    it('syncs incrementally; a signed withdrawal tombstones a warning and members get the withdrawal as proof', async () => {
      const first = (await (await sync()).json()) as Sync;
      const since = first.cursor;
      expect((await (await sync(since)).json()) as Sync).toMatchObject({ warnings: [], withdrawn: [], cursor: since });
      const { envelope: env, id } = h.validWarning({ summary: 'new one' });
      expect((await post(env)).status).toBe(201);
      const next = (await (await sync(since)).json()) as Sync;
      expect(next.warnings).toEqual([env]);
      expect(next.cursor).toBeGreaterThan(since);
      const w = h.withdrawal(id);
      const r = await post(w.envelope);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ withdrawn: id });
      const after = (await (await sync(next.cursor)).json()) as Sync;
      expect(after).toMatchObject({ warnings: [], withdrawn: [id], proofs: [w.envelope] });
      const proof = verifyWarningDocument(after.proofs[0]!, h.keyring);
      expect(proof.kind === 'withdrawal' && proof.withdrawal.withdraws).toBe(id);
      const all = (await (await sync()).json()) as Sync;
      expect(all.ids).not.toContain(id);
      expect(all.withdrawn).toContain(id);
      expect(await expectError(await post(h.withdrawal(id).envelope), 404)).toBe('not found');
      const listed = (await (await h.coord('GET', '/api/coordinator/warnings')).json()) as { warnings: { id: string }[] };
      expect(listed.warnings.map((x) => x.id)).not.toContain(id);
      // The unsigned DELETE is gone: a withdrawal must be signed.
      expect((await h.coord('DELETE', `/api/coordinator/warnings/${id}`)).status).toBe(404);
    });

    it('a correction replaces the warning it supersedes, with itself as the proof', async () => {
      const before = ((await (await sync()).json()) as Sync).cursor;
      const original = h.validWarning({ summary: 'first version' });
      expect((await post(original.envelope)).status).toBe(201);
      const correction = h.validWarning({ summary: 'corrected version', supersedes: original.id });
      expect((await post(correction.envelope)).status).toBe(201);
      const d = (await (await sync(before)).json()) as Sync;
      expect(d.ids).toEqual([correction.id]);
      expect(d.withdrawn).toEqual([original.id]);
      expect(d.proofs).toEqual([correction.envelope]);
      // Superseding twice is refused: the original is no longer live.
      const again = h.validWarning({ summary: 'another', supersedes: original.id });
      expect(await expectError(await post(again.envelope), 404)).toBe('superseded warning not found');
    });

    it('answers 304 to a matching If-None-Match and a new ETag after a change', async () => {
      const r = await sync(0);
      const etag = r.headers.get('etag')!;
      expect(etag).toMatch(/^"w\d+"$/);
      const same = await sync(0, { 'if-none-match': etag });
      expect(same.status).toBe(304);
      expect(await same.text()).toBe('');
      await post(h.validWarning({ summary: 'etag change' }).envelope);
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
