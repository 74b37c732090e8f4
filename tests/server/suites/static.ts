import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { expectError, makeHarness } from '../harness.js';
import type { GetFactory } from './common.js';

export function staticSuite(getFactory: GetFactory): void {
  describe('static client files', () => {
    it('serves a placeholder linking to the no-JS form when no client is built', async () => {
      const h = await makeHarness(getFactory());
      try {
        const r = await h.request('/');
        expect(r.status).toBe(200);
        expect(await r.text()).toMatch(/href="\/report\/basic(\?lang=en)?"/);
        const missing = await h.request('/follow-up');
        expect(missing.status).toBe(404);
        expect(await missing.text()).toContain('href="/"');
        const icon = await h.request('/favicon.ico');
        expect(icon.status).toBe(200);
        expect(icon.headers.get('content-type')).toBe('image/x-icon');
        expect([...new Uint8Array(await icon.arrayBuffer()).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
      } finally {
        await h.close();
      }
    });

    it('serves the built pages and assets with their types, and nothing outside them', async () => {
      const h = await makeHarness(getFactory());
      const dir = join(h.dataDir, 'client');
      mkdirSync(join(dir, 'assets'), { recursive: true });
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>index</title>');
      writeFileSync(join(dir, 'follow-up.html'), '<!doctype html><title>follow</title>');
      writeFileSync(join(dir, 'assets', 'app-123.js'), 'console.log(1)');
      writeFileSync(join(dir, 'assets', 'app.css'), 'body{}');
      writeFileSync(join(dir, 'assets', '.hidden'), 'secret');
      writeFileSync(join(h.dataDir, 'outside.txt'), 'secret');
      const KEY = 'A'.repeat(43) + '=';
      writeFileSync(join(dir, 'build-info.json'), JSON.stringify({ rootPublicKey: KEY }));
      const { staticRoutes } = await import('../../../server/routes/static.js');
      const app = staticRoutes(dir, KEY);
      try {
        const index = await app.request('/');
        expect(await index.text()).toContain('<title>index</title>');
        expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(await (await app.request('/follow-up')).text()).toContain('follow');
        const js = await app.request('/assets/app-123.js');
        expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        expect((await app.request('/assets/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
        // Compressed once at build time: the .br / .gz written next to the file are sent as they are.
        const big = 'console.log("tipline");\n'.repeat(400);
        writeFileSync(join(dir, 'assets', 'big.js'), big);
        writeFileSync(join(dir, 'assets', 'big.js.gz'), gzipSync(big));
        writeFileSync(join(dir, 'assets', 'big.js.br'), brotliCompressSync(big));
        const gz = await app.request('/assets/big.js', { headers: { 'Accept-Encoding': 'gzip' } });
        expect(gz.headers.get('content-encoding')).toBe('gzip');
        expect(gz.headers.get('vary')).toBe('Accept-Encoding');
        expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')).toBe(big);
        const br = await app.request('/assets/big.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
        expect(br.headers.get('content-encoding')).toBe('br');
        expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString('utf8')).toBe(big);
        const refused = await app.request('/assets/big.js', { headers: { 'Accept-Encoding': 'br;q=0, gzip;q=0' } });
        expect(refused.headers.get('content-encoding')).toBe(null);
        expect(await refused.text()).toBe(big);
        const plain = await app.request('/assets/app-123.js', { headers: { 'Accept-Encoding': 'gzip, br' } });
        expect(plain.headers.get('content-encoding')).toBe(null);
        // (`/assets/../x` is normalised by the URL parser to `/x` before routing.)
        for (const p of ['/assets/.hidden', '/assets/..%2f..%2foutside.txt', '/assets/%2e%2e%2f%2e%2e%2foutside.txt', '/assets/..%5c..%5coutside.txt', '/assets/%E0%A4%A', '/nothing', '/outside.txt', '/.hidden']) {
          expect((await app.request(p)).status, p).toBe(404);
        }
      } finally {
        await h.close();
      }
    });

    it('follows no symbolic link out of the client folder, but serves a folder reached through one', async () => {
      const h = await makeHarness(getFactory());
      const real = join(h.dataDir, 'client-real');
      mkdirSync(join(real, 'assets'), { recursive: true });
      writeFileSync(join(real, 'index.html'), '<!doctype html><title>index</title>');
      writeFileSync(join(real, 'assets', 'app.js'), 'console.log(1)');
      writeFileSync(join(h.dataDir, 'server-secret.txt'), 'secret');
      mkdirSync(join(h.dataDir, 'elsewhere'));
      writeFileSync(join(h.dataDir, 'elsewhere', 'x.js'), 'secret');
      symlinkSync(join(h.dataDir, 'server-secret.txt'), join(real, 'assets', 'leak.js'));
      symlinkSync(join(h.dataDir, 'server-secret.txt'), join(real, 'robots.txt'));
      symlinkSync(join(h.dataDir, 'server-secret.txt'), join(real, 'leak.html'));
      symlinkSync(join(h.dataDir, 'elsewhere'), join(real, 'assets', 'sub'));
      symlinkSync(join(real, 'assets', 'app.js'), join(real, 'assets', 'alias.js'));
      const KEY = 'A'.repeat(43) + '=';
      writeFileSync(join(real, 'build-info.json'), JSON.stringify({ rootPublicKey: KEY }));
      const dir = join(h.dataDir, 'client');
      symlinkSync(real, dir);
      const { staticRoutes } = await import('../../../server/routes/static.js');
      const app = staticRoutes(dir, KEY);
      try {
        expect(await (await app.request('/')).text()).toContain('<title>index</title>');
        expect(await (await app.request('/assets/app.js')).text()).toBe('console.log(1)');
        expect(await (await app.request('/assets/alias.js')).text()).toBe('console.log(1)');
        for (const p of ['/assets/leak.js', '/robots.txt', '/leak', '/assets/sub/x.js']) {
          const r = await app.request(p);
          expect(r.status, p).toBe(404);
          expect(await r.text()).not.toContain('secret');
        }
      } finally {
        await h.close();
      }
    });

    it('serves no build that pins another root key, or none: the placeholder instead', async () => {
      const h = await makeHarness(getFactory());
      const dir = join(h.dataDir, 'client');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>index</title>');
      writeFileSync(join(dir, 'follow-up.html'), '<!doctype html><title>follow</title>');
      const { staticRoutes } = await import('../../../server/routes/static.js');
      const KEY = 'A'.repeat(43) + '=';
      try {
        for (const info of [undefined, { rootPublicKey: 'B'.repeat(43) + '=' }, { rootPublicKey: '' }]) {
          if (info) writeFileSync(join(dir, 'build-info.json'), JSON.stringify(info));
          const app = staticRoutes(dir, KEY);
          expect(await (await app.request('/')).text()).toMatch(/href="\/report\/basic(\?lang=en)?"/);
          expect((await app.request('/follow-up')).status).toBe(404);
        }
      } finally {
        await h.close();
      }
    });
  });
}
