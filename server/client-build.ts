/**
 * `tipline serve` builds the reporter's web client when the build on disk does not pin this
 * organisation's root key (a fresh clone, or a demo organisation just created), so that
 * `npm start` alone gives a working service. The key must be baked into the JavaScript at
 * build time: a key sent by the server at run time would be the server's word, which
 * the keyring check exists not to trust. The same goes for the lowest keyring version the
 * client accepts (crypto/SPEC.md §Keyring, version): a build that pins a version below the
 * stored keyring's is rebuilt, so the floor follows each new keyring at the next start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { clientBuildMatches } from './routes/static.js';

const REPO = resolve(import.meta.dirname, '..');

/** The minimum keyring version the build in `clientDir` pins (0 when it says none). */
export function builtMinKeyringVersion(clientDir: string): number {
  try {
    const v = (JSON.parse(readFileSync(join(clientDir, 'build-info.json'), 'utf8')) as { minKeyringVersion?: unknown }).minKeyringVersion;
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : 0;
  } catch {
    return 0;
  }
}

/**
 * Build dist/client for `rootPublicKey` (canonical base64) and `minKeyringVersion` (the
 * stored keyring's version) unless a build pins that key and at least that version;
 * messages go to `print`.
 */
export function ensureClientBuild(clientDir: string, rootPublicKey: string, print: (text: string) => void, minKeyringVersion = 1): void {
  const keyMatches = clientBuildMatches(clientDir, rootPublicKey);
  if (keyMatches && builtMinKeyringVersion(clientDir) >= minKeyringVersion) return;
  const fallback = keyMatches
    ? `tipline: WARNING: the web client accepts keyrings older than version ${minKeyringVersion}; rebuild it (npm run build with TIPLINE_MIN_KEYRING_VERSION=${minKeyringVersion})\n`
    : 'tipline: the web client is not built for this root key; serving the basic (no-JavaScript) form only\n';
  if (resolve(clientDir) !== join(REPO, 'dist', 'client') || !existsSync(join(REPO, 'vite.config.ts'))) {
    print(fallback);
    return;
  }
  let viteBin: string;
  try {
    viteBin = join(createRequire(import.meta.url).resolve('vite/package.json'), '..', 'bin', 'vite.js');
  } catch {
    print('tipline: vite is not installed (npm ci installs it)\n' + fallback);
    return;
  }
  print(`tipline: building the web client with this organisation's root key and keyring version ${minKeyringVersion} pinned (about half a minute)\n`);
  const r = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'error'], {
    cwd: REPO,
    env: { ...process.env, TIPLINE_ROOT_PUBLIC_KEY: rootPublicKey, TIPLINE_MIN_KEYRING_VERSION: String(minKeyringVersion) },
    encoding: 'utf8',
  });
  if (r.status !== 0 || !clientBuildMatches(clientDir, rootPublicKey) || builtMinKeyringVersion(clientDir) < minKeyringVersion) {
    const detail = `${r.stderr ?? ''}`.trim().split('\n').slice(-3).join('\n');
    print(`tipline: WARNING: the web client build failed${detail ? `:\n${detail}` : ''}\n` + fallback);
  }
}
