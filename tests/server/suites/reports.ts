import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridIdentity, ScryptRecipient, armor, bytes, decodeReport, decrypt, encrypt } from '../../../crypto/index.js';
import { getReport } from '../../../server/db/queries.js';
import { dayOf } from '../../../server/util.js';
import { classicalFile, expectError, makeHarness, minimalReport, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

export function reportsSuite(getFactory: GetFactory): void {
  describe('reports', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
    });
    afterAll(() => h.close());

    const post = async (body: unknown, withStamp = true, type = 'application/json') =>
      h.request('/api/reports', {
        method: 'POST',
        headers: { 'content-type': type, ...(withStamp ? { 'tipline-pow': await h.stamp() } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const b64 = bytes.base64Padded;

    it('stores the ciphertext as sent with only coarse metadata and answers {id, uploadToken}', async () => {
      const file = await h.reportFile(minimalReport({ area: 'Riverside' }));
      const r = await post({ report: b64(file) });
      expect(r.status).toBe(201);
      const body = (await r.json()) as { id: string; uploadToken: string };
      expect(Object.keys(body).sort()).toEqual(['id', 'uploadToken']);
      expect(body.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(body.uploadToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const row = (await getReport(h.db, body.id))!;
      expect(Buffer.from(row.ciphertext).equals(Buffer.from(file))).toBe(true);
      expect(row).toMatchObject({ origin: 'browser', state: 'new', received_day: dayOf(h.clock.now()), mailbox_id: null });
      expect(row.received_day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // Every coordinator can open it; the server never could.
      for (const c of Object.values(h.coordinators)) {
        expect(decodeReport(await decrypt([c.identity], row.ciphertext)).area).toBe('Riverside');
      }
    });

    it('registers a mailbox with the report', async () => {
      const m = h.mailbox();
      const { id } = await h.submitReport({ mailbox: m });
      const row = (await getReport(h.db, id))!;
      expect(row.mailbox_id).toBe(m.id);
    });

    it('refuses wrong content types, bad JSON, unknown fields and bad base64, storing nothing', async () => {
      const file = b64(await h.reportFile());
      await unchanged(h, async () => {
        expect(await expectError(await post({ report: file }, true, 'text/plain'), 415)).toBe('unsupported content type');
        expect(await expectError(await post({ report: file }, true, 'application/x-www-form-urlencoded'), 415)).toBe('unsupported content type');
        expect(await expectError(await post('{"report":', true), 400)).toBe('invalid request');
        expect(await expectError(await post({ report: file, extra: 1 }), 400)).toBe('invalid body');
        expect(await expectError(await post({}), 400)).toBe('invalid body');
        expect(await expectError(await post({ report: file.replace(/=+$/, '') + '!' }), 400)).toBe('invalid body');
        expect(await expectError(await post({ report: file, mailbox: { id: 'short', publicKey: b64(new Uint8Array(32)) } }), 400)).toBe('invalid body');
        expect(await expectError(await post({ report: file, mailbox: { id: 'a'.repeat(43), publicKey: b64(new Uint8Array(31)) } }), 400)).toBe('invalid body');
      });
    });

    it('refuses age files not addressed to exactly the keyring coordinators, storing nothing', async () => {
      const other = HybridIdentity.generate().recipient();
      const plaintext = bytes.utf8('x');
      await unchanged(h, async () => {
        const cases: [Uint8Array, string][] = [
          [bytes.utf8('not an age file at all'), 'not an age file'],
          [await encrypt([other], plaintext), 'wrong recipients'],
          [await encrypt([h.recipients[0]!], plaintext), 'wrong recipients'],
          [await encrypt([...h.recipients, other], plaintext), 'wrong recipients'],
          [await classicalFile(), 'wrong recipients'],
          [await encrypt([new ScryptRecipient('pw', 2)], plaintext), 'wrong recipients'],
          [bytes.utf8(armor(await h.reportFile())), 'not an age file'],
        ];
        for (const [file, message] of cases) {
          expect(await expectError(await post({ report: b64(file) }), 400)).toBe(message);
        }
        // A truncated file (header only).
        const whole = await h.reportFile();
        expect(await expectError(await post({ report: b64(whole.subarray(0, 200)) }), 400)).toBe('not an age file');
      });
    });

    it('refuses oversized reports with 413', async () => {
      const small = await makeHarness(getFactory(), { config: { limits: { reportBytes: 8 * 1024 } } });
      try {
        const big = await encrypt(small.recipients, new Uint8Array(16 * 1024));
        await unchanged(small, async () => {
          const r = await small.postJson('/api/reports', { report: b64(big) }, { 'tipline-pow': await small.stamp() });
          expect(await expectError(r, 413)).toBe('too large');
        });
        const fits = await small.reportFile();
        expect(fits.length).toBeLessThan(8 * 1024);
        await small.submitReport({ file: fits });
      } finally {
        await small.close();
      }
    });

    it('refuses a filled honeypot openly (no fake success), storing nothing', async () => {
      await unchanged(h, async () => {
        expect(await expectError(await post({ report: b64(await h.reportFile()), website: 'http://spam' }), 400)).toBe('rejected');
      });
    });

    it('refuses a mailbox id that exists, and then neither the report nor the stamp is stored', async () => {
      const m = h.mailbox();
      await h.submitReport({ mailbox: m });
      const stamp = await h.stamp();
      const body = { report: b64(await h.reportFile()), mailbox: { id: m.id, publicKey: b64(m.publicKey) } };
      await unchanged(h, async () => {
        expect(await expectError(await h.postJson('/api/reports', body, { 'tipline-pow': stamp }), 409)).toBe('mailbox exists');
      });
      // The stamp was not spent by the refused request.
      const r = await h.postJson('/api/reports', { report: body.report }, { 'tipline-pow': stamp });
      expect(r.status).toBe(201);
    });
  });
}
