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

    it('shows the profile’s texts in the page’s language where it translates them, and refuses a bad translations map', async () => {
      const contacts: Profile['contacts'] = [
        { kind: 'emergency', name: 'Emergency services', phone: '999', note: 'or 112 from any phone' },
        { kind: 'support', name: 'Support line', phone: '0800 000 0000', hours: 'Mon-Fri 10-18' },
      ];
      const translated = sampleProfile(10, {
        contacts,
        languages: ['en', 'ro'],
        translations: [{ lang: 'ro', contacts: [{ name: 'Servicii de urgență', note: 'sau 112 de pe orice telefon' }, { hours: 'Lun-Vin 10-18' }] }],
      });
      await unchanged(h, async () => {
        const swap = signDocument('profile', bytes.utf8(JSON.stringify({ ...translated, translations: [{ lang: 'ro', contacts: [{ phone: '0900 666 666' }] }] })), h.rootSeed);
        expect(await expectError(await put(swap), 400)).toBe('invalid profile');
      });
      expect((await put(signProfile(translated, h.rootSeed))).status).toBe(200);
      const ro = await (await h.request('/report/basic?lang=ro')).text();
      expect(ro).toContain('Servicii de urgență');
      expect(ro).toContain('sau 112 de pe orice telefon');
      expect(ro).toContain('(Lun-Vin 10-18)');
      expect(ro).not.toContain('or 112 from any phone');
      // The numbers are the signed ones whatever the language.
      expect(ro).toContain('<a href="tel:999">999</a>');
      const en = await (await h.request('/report/basic?lang=en')).text();
      expect(en).toContain('or 112 from any phone');
      expect(en).not.toContain('sau 112');
      const notFound = await (await h.request('/nowhere', { headers: { 'accept-language': 'ro-RO, en;q=0.5' } })).text();
      expect(notFound).toContain('sau 112 de pe orice telefon');
      expect(await (await h.request('/nowhere')).text()).toContain('or 112 from any phone');
    });
  });
}
