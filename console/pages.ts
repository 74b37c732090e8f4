/**
 * The console's pages are built from the local source (client/console/, its own Vite entry)
 * into dist/console; `tipline console` builds them when the build is missing or older than
 * the source. The public server serves dist/client only and never this folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..');
export const PAGES_DIR = join(REPO, 'dist', 'console');
// The console shares the members' components (WarningCard, StatBars), the catalogues and their
// formatter (its own English one, client/i18n/console/en.ts, and the members' words), and the
// redaction helper. A listed path that is missing counts as "no sources", so list only what exists.
const SOURCES = [
  join(REPO, 'client', 'console'),
  join(REPO, 'client', 'components'),
  join(REPO, 'client', 'i18n'),
  join(REPO, 'client', 'lib', 'redaction.ts'),
  join(REPO, 'vite.console.config.ts'),
];

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(path)) m = Math.max(m, newest(join(path, e)));
  return m;
}

/** Whether dist/console exists and is newer than its source. */
export function pagesUpToDate(dir = PAGES_DIR): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  if (!SOURCES.every((s) => existsSync(s))) return true; // an installed copy without sources
  return statSync(index).mtimeMs >= Math.max(...SOURCES.map(newest));
}

/** Build the pages unless up to date. @throws Error('console pages build failed: …') */
export function ensurePages(print: (s: string) => void): void {
  if (pagesUpToDate()) return;
  print('tipline: building the console pages (once)\n');
  const viteBin = join(createRequire(import.meta.url).resolve('vite/package.json'), '..', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [viteBin, 'build', '--config', join(REPO, 'vite.console.config.ts'), '--logLevel', 'error'], {
    cwd: REPO,
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(join(PAGES_DIR, 'index.html'))) {
    throw new Error(`console pages build failed: ${`${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' ')}`);
  }
}
