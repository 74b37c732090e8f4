/**
 * The built client from dist/client (when present): `/` → index.html, `/<page>` →
 * `<page>.html` (follow-up, join, members, ...), `/assets/*` → files under assets/.
 * Without a build, `/` is a small placeholder linking to the no-JavaScript form.
 * A build is served only when the root key it pins (build-info.json, written by the
 * build) is the root key this server is configured with: a client pinned to another
 * organisation's key would refuse every keyring, and one pinned to nothing must not exist.
 */
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { extname, join, resolve, sep } from 'node:path';
import { Hono, type Context } from 'hono';
import { esc, page } from '../html.js';
import { basicText, ENGLISH, pageLang, requestLang, type ServerLanguage } from '../i18n.js';
import { notFound as plainNotFound } from '../not-found.js';
import type { AppEnv } from '../http.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** The page `/` shows before the web client is built, in `lang`. */
export function placeholderHtml(lang: ServerLanguage = ENGLISH): string {
  const b = (k: 'placeholder.title' | 'placeholder.text' | 'placeholder.basic' | 'placeholder.basicNote') => esc(basicText(lang, k));
  return page(
    basicText(lang, 'placeholder.title'),
    `<h1>${b('placeholder.title')}</h1>
<p>${b('placeholder.text')}</p>
<p><a href="/report/basic?lang=${esc(encodeURIComponent(lang.tag))}">${b('placeholder.basic')}</a> ${b('placeholder.basicNote')}</p>`,
    pageLang(lang),
  );
}

export const PLACEHOLDER = placeholderHtml();

/**
 * A regular file strictly inside `root`, or undefined. The check is made on the real path
 * too: a symbolic link inside the client folder must not lead out of it (the folder itself
 * may be reached through a link).
 */
function within(root: string, rel: string): string | undefined {
  if (rel.split('/').some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.'))) return undefined;
  const full = resolve(root, rel);
  if (!full.startsWith(root + sep)) return undefined;
  try {
    const real = realpathSync(full);
    if (!real.startsWith(realpathSync(root) + sep)) return undefined;
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** A plain dark square: browsers ask for /favicon.ico on every page; it says nothing about the site. */
const FAVICON = Buffer.from(
  'AAABAAEAEBAAAAEAIABZAAAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAQAAAAEAgCAAAAkJFoNgAAACBJREFUeNpjmH/xP0mIgUwNAkIiBNGohlENxGigYWoFANFxLwBRM0cPAAAAAElFTkSuQmCC',
  'base64',
);

/**
 * The file, or its .br / .gz sibling written by the build (vite.config.ts compresses once, at
 * build time, instead of on every request) when the browser accepts it. These files hold no
 * secrets, so compression leaks nothing (no BREACH).
 */
function fileResponse(file: string, acceptEncoding = ''): Response {
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const accepts = (e: string) => new RegExp(`(^|[\\s,])${e}(?![^,]*;\\s*q=0(\\.0*)?\\s*(,|$))`, 'i').test(acceptEncoding);
  let path = file;
  let encoding: string | undefined;
  for (const [e, ext] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    // The build's own copy beside the file, not a link out of the folder (the same rule as within()).
    if (accepts(e) && existsSync(file + ext) && realpathSync(file + ext) === realpathSync(file) + ext) {
      path = file + ext;
      encoding = e;
      break;
    }
  }
  const size = statSync(path).size;
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  const headers: Record<string, string> = { 'Content-Type': type, 'Content-Length': String(size), Vary: 'Accept-Encoding' };
  if (encoding) headers['Content-Encoding'] = encoding;
  return new Response(body, { status: 200, headers });
}

/** True when `clientDir` holds a build that pins `rootPublicKey` (canonical base64). */
export function clientBuildMatches(clientDir: string, rootPublicKey: string): boolean {
  try {
    const info = JSON.parse(readFileSync(join(clientDir, 'build-info.json'), 'utf8')) as { rootPublicKey?: unknown };
    return info.rootPublicKey === rootPublicKey && existsSync(join(clientDir, 'index.html'));
  } catch {
    return false;
  }
}

export function staticRoutes(clientDir: string, rootPublicKey: string, notFound: (c: Context) => Response | Promise<Response> = plainNotFound) {
  const root = resolve(clientDir);
  let matched = false;
  // Once a matching build is seen it stays served; until then, look again (a build may finish later).
  const built = () => (matched ||= clientBuildMatches(root, rootPublicKey));
  const app = new Hono<AppEnv>();
  const enc = (c: Context) => c.req.header('accept-encoding') ?? '';

  app.get('/', (c) => {
    const file = built() ? within(root, 'index.html') : undefined;
    return file ? fileResponse(file, enc(c)) : c.html(placeholderHtml(requestLang(c.req.query('lang'), c.req.header('accept-language'))), 200, { Vary: 'Accept-Language' });
  });
  app.get('/favicon.ico', () => new Response(FAVICON, { headers: { 'Content-Type': 'image/x-icon', 'Cache-Control': 'max-age=86400' } }));
  app.get('/assets/*', (c) => {
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(c.req.url).pathname.slice('/assets/'.length));
    } catch {
      return notFound(c);
    }
    const file = within(root, `assets/${rel}`);
    return file ? fileResponse(file, enc(c)) : notFound(c);
  });
  app.get('/:page{[a-z][a-z0-9-]{0,40}}', (c) => {
    const file = built() ? within(root, `${c.req.param('page')}.html`) : undefined;
    return file ? fileResponse(file, enc(c)) : notFound(c);
  });
  // Top-level files a build may carry (favicon.ico, robots.txt, manifest.webmanifest, ...).
  app.get('/:file{[a-z0-9][a-z0-9_-]*\\.[a-z0-9]{2,12}}', (c) => {
    const file = built() ? within(root, c.req.param('file')) : undefined;
    return file ? fileResponse(file, enc(c)) : notFound(c);
  });
  return app;
}
