/**
 * The local console's gatekeepers (issue 9, SECURITY.md §Coordinator console): Host check
 * against DNS rebinding, the token-for-cookie swap, the cookie on every request, an Origin
 * check on every state change, and strict headers. Each refusal is a bare 403.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/** One cookie name per port: cookies ignore ports, and two consoles (two coordinators) may run side by side. */
export function cookieName(port: number): string {
  return `tipline_console_${port}`;
}

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function forbidden(): Response {
  return new Response(JSON.stringify({ error: 'forbidden' }), { status: 403, headers: { 'content-type': 'application/json' } });
}

function same(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The only acceptable Host headers: the loopback address or localhost, with our port. */
export function hostGuard(port: () => number): MiddlewareHandler {
  return async function checkHost(c, next) {
    const host = (c.req.header('host') ?? '').toLowerCase();
    const p = port();
    if (host !== `127.0.0.1:${p}` && host !== `localhost:${p}`) return forbidden();
    await next();
  };
}

/**
 * `GET /?token=T` with the right token sets the HttpOnly, SameSite=Strict cookie and
 * redirects to `/`, so the token leaves the address bar and history. Everything else
 * needs the cookie.
 */
export function tokenGuard(token: string, port: () => number): MiddlewareHandler {
  return async function checkToken(c, next) {
    const url = new URL(c.req.url);
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (c.req.method !== 'GET' || url.pathname !== '/' || !same(offered, token)) return forbidden();
      setCookie(c, cookieName(port()), token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.redirect('/', 303);
    }
    if (!same(getCookie(c, cookieName(port())), token)) return forbidden();
    await next();
  };
}

/** State changes must come from the console's own page (CSRF): same-origin Origin, JSON body. */
export function originGuard(port: () => number): MiddlewareHandler {
  return async function checkOrigin(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      const p = port();
      if (origin !== `http://127.0.0.1:${p}` && origin !== `http://localhost:${p}`) return forbidden();
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin') return forbidden();
    }
    await next();
  };
}

export function consoleHeaders(): MiddlewareHandler {
  return async function setHeaders(c, next) {
    await next();
    try {
      c.res.headers.set('Cache-Control', 'no-store');
    } catch {
      c.res = new Response(c.res.body, { status: c.res.status, headers: new Headers(c.res.headers) });
    }
    const h = c.res.headers;
    h.set('Content-Security-Policy', CONSOLE_CSP);
    h.set('Cache-Control', 'no-store');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Frame-Options', 'DENY');
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  };
}
