/**
 * Build of the coordinator console's pages (client/console/) into dist/console: its own
 * entry and output folder, served only by `tipline console` on 127.0.0.1, never by the
 * public server. No inline script or style (the console's CSP forbids them), nothing from
 * another origin, and no crypto: decryption happens in the console process.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

function guard(): Plugin {
  return {
    name: 'tipline-console-guard',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const [name, item] of Object.entries(bundle)) {
        if (item.type === 'chunk') {
          const bad = item.moduleIds.find((id) => /libsodium|[\\/]crypto[\\/]/.test(id));
          if (bad) this.error(`the console page must not bundle crypto (${bad} in ${name})`);
        } else if (name.endsWith('.html')) {
          const html = typeof item.source === 'string' ? item.source : new TextDecoder().decode(item.source);
          if (/<script(?![^>]*\ssrc=)[^>]*>/i.test(html)) this.error(`inline script in ${name}`);
          if (/<style[\s>]/i.test(html) || /\sstyle=/i.test(html)) this.error(`inline style in ${name}`);
          if (/(?:src|href)=["']?(?:https?:)?\/\//i.test(html)) this.error(`reference to another origin in ${name}`);
        }
      }
    },
  };
}

export default defineConfig({
  root: resolve(here, 'client/console'),
  base: '/',
  publicDir: false,
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false }), guard()],
  build: {
    outDir: resolve(here, 'dist/console'),
    emptyOutDir: true,
    target: ['es2022', 'firefox115', 'chrome110'],
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});
