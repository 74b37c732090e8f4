import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, primitives, signDocument, signKeyring, signProfile, verifyProfile, type Profile } from '../../../crypto/index.js';
import { expectError, makeHarness, type Harness, type TestCoordinator } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

export const sampleProfile = (version: number, over: Partial<Profile> = {}): Profile => ({
  version,
  issued: '2026-01-01',
  name: 'Example Safety Scheme (fictional)',
  regions: [
    { id: 'north', name: 'North' },
    { id: 'south', name: 'South' },
  ],
  contacts: [{ kind: 'emergency', name: 'Emergency services', phone: '999' }],
  nextSteps: 'A coordinator reads your report.',
  languages: ['en'],
  ...over,
});

export function profileSuite(getFactory: GetFactory): void {
  describe('organisation profile', () => {
    let h: Harness;
    let admin: TestCoordinator;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
      const seed = primitives().randomBytes(32);
      admin = { id: 'admin', identity: HybridIdentity.generate(), seed, publicKey: primitives().ed25519PublicKey(seed), roles: ['admin'] };
      const k = h.makeKeyring(2, [...Object.values(h.coordinators), admin]);
      const r = await h.request('/api/keyring', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signKeyring(k, h.rootSeed)) });
      expect(r.status).toBe(200);
    });
    afterAll(() => h.close());
    const put = (env: unknown) => h.request('/api/profile', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(env) });

    it('is 404 until one is stored, then serves the stored envelope as is', async () => {
      expect(await expectError(await h.request('/api/profile'), 404)).toBe('no profile');
      const env = signProfile(sampleProfile(1), h.rootSeed);
      const r = await put(env);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ version: 1 });
      const got = await h.request('/api/profile');
      expect(got.status).toBe(200);
      const text = await got.text();
      expect(JSON.parse(text)).toEqual(env);
      expect(verifyProfile(text, h.rootPublicKey).name).toBe('Example Safety Scheme (fictional)');
    });

    it('accepts a newer version from an admin coordinator and refuses the others, storing nothing', async () => {
      await unchanged(h, async () => {
        expect(await expectError(await put(signProfile(sampleProfile(1), h.rootSeed)), 409)).toBe('profile version not newer');
        expect(await expectError(await put(signProfile(sampleProfile(5), h.coordinators.all.seed)), 400)).toBe('invalid signature');
        expect(await expectError(await put(signProfile(sampleProfile(5), h.outsider.seed)), 400)).toBe('invalid signature');
        const good = signProfile(sampleProfile(5), h.rootSeed);
        const tampered = { ...good, payload: signProfile(sampleProfile(5, { name: 'Evil' }), h.rootSeed).payload };
        expect(await expectError(await put(tampered), 400)).toBe('invalid signature');
        const noEmergency = signDocument('profile', bytes.utf8(JSON.stringify({ ...sampleProfile(5), contacts: [{ kind: 'support', name: 'x', phone: '0800' }] })), h.rootSeed);
        expect(await expectError(await put(noEmergency), 400)).toBe('invalid profile');
        expect(await expectError(await put({ ...good, kind: 'keyring' }), 400)).toBe('invalid profile');
        expect(await expectError(await put({ nope: 1 }), 400)).toBe('invalid profile');
        const notJson = await h.request('/api/profile', { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'x' });
        expect(notJson.status).toBe(415);
      });
      // Warnings may name only the stored profile's regions.
      await unchanged(
        h,
        async () => {
          const elsewhere = h.validWarning({ regions: ['north', 'atlantis'] }).envelope;
          expect(await expectError(await h.coord('POST', '/api/coordinator/warnings', elsewhere), 400)).toBe('unknown region');
        },
        ['seen_requests'],
      );
      expect((await h.coord('POST', '/api/coordinator/warnings', h.validWarning({ regions: ['south'] }).envelope)).status).toBe(201);
      const r = await put(signProfile(sampleProfile(2, { name: 'Renamed scheme' }), admin.seed));
      expect(r.status).toBe(200);
      const text = await (await h.request('/api/profile')).text();
      expect(() => verifyProfile(text, h.rootPublicKey)).toThrow('invalid signature');
    });
  });
}
