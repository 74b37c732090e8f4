/**
 * Build of the reporter's web app (client/): two HTML entries, hashed assets, no inline
 * script or style, nothing from another origin.
 *
 * The organisation root public key is baked into the JavaScript at build time, because
 * the server that serves the files is not trusted to tell the browser which key to trust.
 * It comes from TIPLINE_ROOT_PUBLIC_KEY (base64 of the 32-byte Ed25519 key) or, failing
 * that, from the file `<TIPLINE_DATA_DIR or ./data>/root-public-key`, the same place the
 * server reads it from (server/config.ts). Without one the build fails: a page that
 * trusted whatever keyring the server hands out would defeat the point of the keyring.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The pinned root public key as canonical base64 of 32 bytes.
 * @throws when no key is configured or it is not a 32-byte base64 value
 */
export function readRootPublicKey(env: NodeJS.ProcessEnv = process.env): string {
  let raw = env.TIPLINE_ROOT_PUBLIC_KEY?.trim();
  let source = 'TIPLINE_ROOT_PUBLIC_KEY';
  if (!raw) {
    source = resolve(env.TIPLINE_DATA_DIR?.trim() || 'data', 'root-public-key');
    let text: string;
    try {
      text = readFileSync(source, 'utf8');
    } catch {
      throw new Error(
        `client build: no root public key to pin: set TIPLINE_ROOT_PUBLIC_KEY (base64) or create ${source} (tipline init does)`,
      );
    }
    raw = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('#'));
  }
  const key = raw ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  if (key.length !== 32 || key.toString('base64') !== raw) {
    throw new Error(`client build: ${source} is not the base64 of a 32-byte Ed25519 public key`);
  }
  return raw;
}

/**
 * Fails the build when something that must never reach a reporter's browser is in the output,
 * and writes build-info.json with the pinned key so `tipline serve` can check that the client
 * it serves pins the root key it is configured with.
 */
function guard(rootPublicKey: () => string): Plugin {
  return {
    name: 'tipline-client-guard',
    apply: 'build',
    generateBundle(_options, bundle) {
      this.emitFile({ type: 'asset', fileName: 'build-info.json', source: JSON.stringify({ rootPublicKey: rootPublicKey() }) + '\n' });
      for (const [name, item] of Object.entries(bundle)) {
        if (item.type === 'chunk') {
          const bad = item.moduleIds.find((id) => /libsodium/.test(id));
          if (bad) this.error(`libsodium must not be bundled into the browser app (${bad} in ${name})`);
        } else if (name.endsWith('.html')) {
          const html = typeof item.source === 'string' ? item.source : new TextDecoder().decode(item.source);
          // Strict CSP: every script has a src, no <style> element, no style attribute.
          if (/<script(?![^>]*\ssrc=)[^>]*>/i.test(html)) this.error(`inline script in ${name}`);
          if (/<style[\s>]/i.test(html) || /\sstyle=/i.test(html)) this.error(`inline style in ${name}`);
          if (/(?:src|href)=["']?(?:https?:)?\/\//i.test(html)) this.error(`reference to another origin in ${name}`);
        }
      }
    },
  };
}

/**
 * Compress the text files once, at build time, at the highest levels (gzip 9, brotli 11):
 * the server sends `<file>.br` or `<file>.gz` to browsers that accept them instead of
 * compressing on every request (server/routes/static.ts).
 */
function precompress(): Plugin {
  return {
    name: 'tipline-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css|html|svg)$/.test(name)) continue;
        const file = join(options.dir!, name);
        const raw = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
      }
    },
  };
}

export default defineConfig(({ command }) => {
  const rootPublicKey = command === 'build' ? readRootPublicKey() : (process.env.TIPLINE_ROOT_PUBLIC_KEY ?? '');
  return {
    root: resolve(here, 'client'),
    base: '/',
    publicDir: false,
    plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false }), guard(() => rootPublicKey), precompress()],
    define: {
      __TIPLINE_ROOT_PUBLIC_KEY__: JSON.stringify(rootPublicKey),
    },
    resolve: {
      // crypto/sodium.ts only imports libsodium dynamically and the browser never calls it;
      // the alias makes sure no path can pull the WebAssembly build into the page.
      alias: { 'libsodium-wrappers': resolve(here, 'client/lib/no-sodium.ts') },
    },
    worker: { format: 'es' },
    build: {
      outDir: resolve(here, 'dist/client'),
      emptyOutDir: true,
      target: ['es2022', 'firefox115', 'chrome110', 'safari16'],
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      sourcemap: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: {
          index: resolve(here, 'client/index.html'),
          'follow-up': resolve(here, 'client/follow-up.html'),
        },
      },
    },
  };
});
