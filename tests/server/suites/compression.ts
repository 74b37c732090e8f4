import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, encrypt } from '../../../crypto/index.js';
import { pickEncoding } from '../../../server/compress.js';
import { makeHarness, type Harness } from '../harness.js';
import type { GetFactory } from './common.js';

/** Compression of API answers (server/README.md "Compression"): only public, secret-free answers. */
export function compressionSuite(getFactory: GetFactory): void {
  describe('compression', () => {
    let h: Harness;
    let cookie: string;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
      cookie = (await h.member()).cookie;
      for (let i = 0; i < 200; i++) {
        const r = await h.coord('POST', '/api/coordinator/warnings', h.validWarning({ summary: `Man in a grey van, number ${i}. ${'Refused to pay and took the money back. '.repeat(8)}` }).envelope);
        expect(r.status).toBe(201);
      }
    }, 300_000);
    afterAll(() => h.close());

    const raw = async (r: Response) => Buffer.from(await r.arrayBuffer());

    it("members' warning sync is compressed when asked (br, else gzip) and identical once decompressed", async () => {
      const plain = await h.request('/api/warnings', { headers: { cookie } });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/);
      const identity = await raw(plain);
      expect((JSON.parse(identity.toString()) as { warnings: unknown[] }).warnings).toHaveLength(200);

      const br = await h.request('/api/warnings', { headers: { cookie, 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers.get('content-encoding')).toBe('br');
      const brBody = await raw(br);
      expect(brotliDecompressSync(brBody).equals(identity)).toBe(true);
      expect(brBody.length).toBeLessThan(identity.length / 3);

      const gz = await h.request('/api/warnings', { headers: { cookie, 'accept-encoding': 'br;q=0, gzip' } });
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(await raw(gz)).equals(identity)).toBe(true);

      const none = await h.request('/api/warnings', { headers: { cookie, 'accept-encoding': 'identity' } });
      expect(none.headers.get('content-encoding')).toBeNull();
      expect((await raw(none)).equals(identity)).toBe(true);
      // An unchanged list is still a bodiless 304.
      const etag = plain.headers.get('etag')!;
      const again = await h.request('/api/warnings', { headers: { cookie, 'accept-encoding': 'br', 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('content-encoding')).toBeNull();
    });

    it('the coordinator warning list and the public keyring are compressed too', async () => {
      const list = await h.coord('GET', '/api/coordinator/warnings?limit=100');
      expect(list.status).toBe(200);
      // h.coord sends no Accept-Encoding: none.
      expect(list.headers.get('content-encoding')).toBeNull();
      const k = await h.request('/api/keyring', { headers: { 'accept-encoding': 'gzip' } });
      expect(k.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(await raw(k)).toString()).toBe(await (await h.request('/api/keyring')).text());
    });

    it('mailbox answers (padded ciphertext), report submissions and errors are never compressed', async () => {
      const m = h.mailbox();
      const { id } = await h.submitReport({ mailbox: m });
      for (let i = 0; i < 3; i++) {
        const reply = await encrypt([m.reply.recipient()], bytes.utf8('We got your report. '.repeat(200)));
        expect((await h.coord('POST', `/api/coordinator/reports/${id}/replies`, { message: bytes.base64Padded(reply) })).status).toBe(201);
      }
      const r = await h.signed('mailbox', m.seed, 'GET', `/api/mailboxes/${m.id}`, undefined, { headers: { 'accept-encoding': 'gzip, br' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-encoding')).toBeNull();
      expect(((await r.json()) as { messages: unknown[] }).messages).toHaveLength(3);
      const report = await h.coord('GET', `/api/coordinator/reports/${id}`, undefined);
      expect(report.headers.get('content-encoding')).toBeNull();
      const bad = await h.request('/api/warnings', { headers: { 'accept-encoding': 'br' } });
      expect(bad.status).toBe(401);
      expect(bad.headers.get('content-encoding')).toBeNull();
    });

    it('reads Accept-Encoding with its q-values', () => {
      expect(pickEncoding(undefined)).toBeUndefined();
      expect(pickEncoding('gzip')).toBe('gzip');
      expect(pickEncoding('gzip, br')).toBe('br');
      expect(pickEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
      expect(pickEncoding('br;q=0, gzip;q=0')).toBeUndefined();
      expect(pickEncoding('*')).toBe('gzip');
      expect(pickEncoding('identity, deflate')).toBeUndefined();
    });
  });
}
