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
 *
 * The lowest keyring version the page accepts is baked in the same way (crypto/SPEC.md
 * §Keyring, version), so that a seized or restored server cannot hand it an older keyring
 * that still lists a removed coordinator: TIPLINE_MIN_KEYRING_VERSION, or else the version
 * of the root-signed `<data dir>/keyring.json`, or else 1 (no keyring yet: nothing older to
 * roll back to).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { build, defineConfig, type Plugin } from 'vite';
import { dayStart, verifyKeyring } from './crypto/index.js';

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
 * The lowest keyring version the built client accepts.
 * @throws when TIPLINE_MIN_KEYRING_VERSION is not a whole number from 1, or the data dir's
 *   keyring.json is not a keyring signed by the pinned root key
 */
export function readMinKeyringVersion(rootPublicKey: string, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TIPLINE_MIN_KEYRING_VERSION?.trim();
  if (raw) {
    if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      throw new Error('client build: TIPLINE_MIN_KEYRING_VERSION must be a whole number from 1');
    }
    return Number(raw);
  }
  const path = resolve(env.TIPLINE_DATA_DIR?.trim() || 'data', 'keyring.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 1;
  }
  try {
    // The version counts whatever the keyring's dates: verify it as of its issue day.
    const envelope = JSON.parse(text) as { payload: string };
    const issued = (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { issued: string }).issued;
    return verifyKeyring(text, Buffer.from(rootPublicKey, 'base64'), { now: new Date(dayStart(issued)!) }).version;
  } catch {
    throw new Error(`client build: ${path} is not a keyring signed by the pinned root key (or set TIPLINE_MIN_KEYRING_VERSION)`);
  }
}

/**
 * Fails the build when something that must never reach a reporter's browser is in the output,
 * and writes build-info.json with the pinned key so `tipline serve` can check that the client
 * it serves pins the root key it is configured with.
 */
function guard(pins: () => { rootPublicKey: string; minKeyringVersion: number }): Plugin {
  return {
    name: 'tipline-client-guard',
    apply: 'build',
    generateBundle(_options, bundle) {
      this.emitFile({ type: 'asset', fileName: 'build-info.json', source: JSON.stringify(pins()) + '\n' });
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

/** The members' pages (issue 10), the private check (issue 11) and the public statistics page (issue 12): built in a second pass into the same folder. */
const MEMBER_PAGES = ['join', 'login', 'warnings', 'check', 'settings', 'statistics'] as const;
const MEMBERS_PASS = 'TIPLINE_CLIENT_MEMBERS_PASS';

/**
 * After the reporter pages are built, build the members' pages into the same folder as a
 * separate bundle. Sharing one bundle would split the report page's JavaScript into more
 * chunks (each file costs gzip overhead against its 80 KiB budget); a separate pass leaves the
 * reporter pages byte for byte as they were, at the price of the members' pages carrying their
 * own copy of the shared code.
 */
function membersPass(): Plugin {
  let outDir = '';
  let configFile: string | undefined;
  return {
    name: 'tipline-members-pass',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
      configFile = config.configFile;
    },
    async closeBundle() {
      if (process.env[MEMBERS_PASS] === '1') return;
      process.env[MEMBERS_PASS] = '1';
      try {
        await build({ configFile, logLevel: 'warn', build: { outDir, emptyOutDir: false } });
      } finally {
        delete process.env[MEMBERS_PASS];
      }
    },
  };
}

/**
 * Builds the proof-of-work worker as a chunk of the page's own bundle instead of Vite's
 * separate worker bundle, so that it imports the SHA-256 code it shares with the page's crypto
 * chunk rather than carrying a second copy (2.3 KiB gzip of the report page's 80 KiB budget).
 * The worker's URL becomes the emitted chunk's path (a string, which `new Worker` takes).
 * @throws (fails the build) when client/lib/pow.ts no longer starts the worker the way it expects
 */
function powWorkerChunk(): Plugin {
  const POW = resolve(here, 'client/lib/pow.ts');
  const START = "new URL('./pow-worker.ts', import.meta.url)";
  return {
    name: 'tipline-pow-worker-chunk',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (id !== POW) return undefined;
      if (code.split(START).length !== 2) this.error(`${POW}: expected exactly one ${START}`);
      const ref = this.emitFile({ type: 'chunk', id: resolve(here, 'client/lib/pow-worker.ts'), name: 'pow-worker' });
      return { code: code.replace(START, `import.meta.ROLLUP_FILE_URL_${ref}`), map: null };
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
  const members = process.env[MEMBERS_PASS] === '1';
  const rootPublicKey = command === 'build' ? readRootPublicKey() : (process.env.TIPLINE_ROOT_PUBLIC_KEY ?? '');
  const minKeyringVersion = command === 'build' ? readMinKeyringVersion(rootPublicKey) : Number(process.env.TIPLINE_MIN_KEYRING_VERSION ?? 1);
  return {
    root: resolve(here, 'client'),
    base: '/',
    publicDir: false,
    plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false }), guard(() => ({ rootPublicKey, minKeyringVersion })), powWorkerChunk(), membersPass(), precompress()],
    define: {
      __TIPLINE_ROOT_PUBLIC_KEY__: JSON.stringify(rootPublicKey),
      __TIPLINE_MIN_KEYRING_VERSION__: JSON.stringify(minKeyringVersion),
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
        input: members
          ? Object.fromEntries(MEMBER_PAGES.map((p) => [p, resolve(here, `client/${p}.html`)]))
          : {
              index: resolve(here, 'client/index.html'),
              'follow-up': resolve(here, 'client/follow-up.html'),
            },
      },
    },
  };
});
