/**
 * `tipline serve` builds the reporter's web client when the build on disk does not pin this
 * organisation's root key (a fresh clone, or a demo organisation just created), so that
 * `npm start` alone gives a working service. The key must be baked into the JavaScript at
 * build time: a key sent by the server at run time would be the server's word, which
 * the keyring check exists not to trust.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { clientBuildMatches } from './routes/static.js';

const REPO = resolve(import.meta.dirname, '..');

/** Build dist/client for `rootPublicKey` (canonical base64) unless a matching build exists; messages go to `print`. */
export function ensureClientBuild(clientDir: string, rootPublicKey: string, print: (text: string) => void): void {
  if (clientBuildMatches(clientDir, rootPublicKey)) return;
  const fallback = 'tipline: the web client is not built for this root key; serving the basic (no-JavaScript) form only\n';
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
  print("tipline: building the web client with this organisation's root key pinned (about half a minute, once)\n");
  const r = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'error'], {
    cwd: REPO,
    env: { ...process.env, TIPLINE_ROOT_PUBLIC_KEY: rootPublicKey },
    encoding: 'utf8',
  });
  if (r.status !== 0 || !clientBuildMatches(clientDir, rootPublicKey)) {
    const detail = `${r.stderr ?? ''}`.trim().split('\n').slice(-3).join('\n');
    print(`tipline: WARNING: the web client build failed${detail ? `:\n${detail}` : ''}\n` + fallback);
  }
}
