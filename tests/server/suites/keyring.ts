import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primitives, signKeyring } from '../../../crypto/index.js';
import { dayOf } from '../../../server/util.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

export function keyringSuite(getFactory: GetFactory): void {
  describe('keyring', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
    });
    afterAll(() => h.close());

    const put = (body: unknown, type = 'application/json') =>
      h.request('/api/keyring', { method: 'PUT', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });

    it('GET returns the stored envelope', async () => {
      const r = await h.request('/api/keyring');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await r.json()).toEqual(h.envelope);
    });

    it('refuses keyrings not signed by the root key, not newer, expired or malformed; stores nothing', async () => {
      const other = primitives().randomBytes(32);
      await unchanged(h, async () => {
        expect(await expectError(await put(signKeyring(h.makeKeyring(2), other)), 400)).toBe('invalid signature');
        expect(await expectError(await put(signKeyring(h.makeKeyring(1), h.rootSeed)), 409)).toBe('keyring version not newer');
        const expired = h.makeKeyring(5, undefined, dayOf(h.clock.now().getTime() - 2 * 86_400_000));
        expired.issued = dayOf(h.clock.now().getTime() - 30 * 86_400_000);
        expect(await expectError(await put(signKeyring(expired, h.rootSeed)), 400)).toBe('keyring expired');
        const env = signKeyring(h.makeKeyring(3), h.rootSeed);
        expect(await expectError(await put({ ...env, payload: env.payload.slice(0, -4) + 'AAA=' }), 400)).toMatch(/invalid/);
        expect(await expectError(await put({ hello: 'world' }), 400)).toBe('invalid keyring');
        expect(await expectError(await put('[1,2]'), 400)).toBe('invalid body');
        expect(await expectError(await put(env, 'text/plain'), 415)).toBe('unsupported content type');
      });
    });

    it('accepts a newer root-signed keyring and then refuses older ones', async () => {
      const v3 = signKeyring(h.makeKeyring(3), h.rootSeed);
      const r = await put(v3);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ version: 3 });
      expect(await (await h.request('/api/keyring')).json()).toEqual(v3);
      await unchanged(h, async () => {
        expect(await expectError(await put(signKeyring(h.makeKeyring(2), h.rootSeed)), 409)).toBe('keyring version not newer');
      });
    });
  });

  describe('keyring: none stored', () => {
    it('GET is 404 and reports are refused with 503 until a keyring is uploaded', async () => {
      const h = await makeHarness(getFactory(), { noKeyring: true });
      try {
        expect(await expectError(await h.request('/api/keyring'), 404)).toBe('no keyring');
        const file = await h.reportFile();
        const r = await h.postJson('/api/reports', { report: Buffer.from(file).toString('base64') }, { 'tipline-pow': await h.stamp() });
        expect(await expectError(r, 503)).toBe('no keyring');
        const put = await h.request('/api/keyring', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(h.envelope) });
        expect(put.status).toBe(200);
        await h.submitReport();
      } finally {
        await h.close();
      }
    });
  });
}
