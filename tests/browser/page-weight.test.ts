/** What the built client contains and weighs. */
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_JS_BUDGET, REPORT_START_BUDGET, measurePageWeight, type Weights } from './page-weight.js';

/**
 * Measures what `vite build` ships. vitest sets NODE_ENV=test, under which Vite compiles JSX
 * in development form (every element carries its source file's absolute path and line and
 * column: about 1.3 KB gzip more, and not what a reporter downloads), so the build runs with
 * NODE_ENV=production, as `npm run build` and `tipline serve` run it.
 */
let w: Weights;
beforeAll(async () => {
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    w = await measurePageWeight();
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
}, 120_000);

describe('built client', () => {
  it('the report page paints with at most 40 KiB of JavaScript: no crypto, no word list, no photo step before it', () => {
    const report = w.pages.find((p) => p.page.startsWith('report'))!;
    console.log(`report page JS at start: ${report.startGzip} bytes gzip (budget ${REPORT_START_BUDGET}); in all ${report.jsGzip}; follow-up: ${w.pages[1]!.jsGzip}`);
    expect(report.startGzip).toBeGreaterThan(5_000);
    expect(report.startGzip).toBeLessThanOrEqual(REPORT_START_BUDGET);
    // What the report page loads before it paints (the members' pages are a separate bundle with their own crypto).
    expect(report.startFiles.some((n) => /^(crypto|Photos|ro|send|prepare|pow-worker|profile)-/.test(n))).toBe(false);
    const startText = report.startFiles.map((n) => w.assets[n]!.toString('utf8')).join('');
    // The word lists and the hybrid KEM are not in what loads first.
    expect(startText).not.toContain('abandon');
    expect(startText).not.toContain('velour');
  });

  // Issue 13: about 87 KiB with zod/mini and the plain BIP-39 list; crypto/ now validates with its
  // own crypto/schema.ts (zod/mini was about 10 KiB gzip of the crypto chunk) and stores the list
  // prefix-compressed.
  it('report page JavaScript, in total for one language, stays within 80 KiB', () => {
    const report = w.pages.find((p) => p.page.startsWith('report'))!;
    expect(Object.keys(report.files).some((f) => f.startsWith('pow-worker'))).toBe(true);
    const session = Object.entries(report.files)
      .filter(([n]) => !report.otherLanguages.includes(n))
      .reduce((a, [, b]) => a + b, 0);
    console.log(`report page JS a one-language session loads: ${session} bytes gzip (budget ${REPORT_JS_BUDGET})`);
    expect(session).toBeLessThanOrEqual(REPORT_JS_BUDGET);
    // No zod in anything the report page loads.
    for (const f of Object.keys(report.files)) expect(w.assets[f]!.toString('utf8'), f).not.toMatch(/\$ZodType|_zod\b/);
    // Nor the members' private check (noble's OPRF, Argon2id): crypto/oprf.ts builds nothing at load.
    for (const f of Object.keys(report.files)) expect(w.assets[f]!.toString('utf8'), f).not.toMatch(/HashToGroup|blindEvaluate/);
  });

  it('carries no libsodium, no WebAssembly, no source maps, no source paths, no other origin but the quick-exit target', () => {
    for (const [name, data] of Object.entries(w.assets)) {
      expect(name).not.toMatch(/\.(wasm|map)$/);
      const text = data.toString('latin1');
      // Development JSX (fileName/lineNumber on every element) means the measured build is not the shipped one.
      expect(text, name).not.toMatch(/\blineNumber:|\/client\/[\w/-]+\.tsx/);
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
    expect(JSON.parse(w.assets['build-info.json']!.toString('utf8'))).toEqual({ rootPublicKey: key, minKeyringVersion: 1 });
    expect(Object.entries(w.assets).some(([n, d]) => n.endsWith('.js') && d.toString('utf8').includes(key))).toBe(true);
  });
});
