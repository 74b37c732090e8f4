/** Security headers on every response, including errors and 404s. */
import type { MiddlewareHandler } from 'hono';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'none'",
].join('; ');

export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

/**
 * Set the security headers. `Cache-Control: no-store` goes on everything (pages, API and
 * assets): nothing the service sends may stay in a reporter's browser cache. No Server or
 * X-Powered-By header is sent. With an onion address configured, HTML responses carry
 * Onion-Location pointing at the same path there. HSTS is sent when `hsts` (the configured
 * public origin is https), whatever the request URL says: behind a TLS proxy it says http,
 * and a plain-HTTP request must not be able to switch it on.
 */
export function securityHeaders(onionAddress: string | undefined, hsts = false): MiddlewareHandler {
  return async (c, next) => {
    await next();
    try {
      c.res.headers.set('Referrer-Policy', 'no-referrer');
    } catch {
      // Some responses (Response.redirect) have immutable headers: copy into a mutable one.
      c.res = new Response(c.res.body, { status: c.res.status, headers: new Headers(c.res.headers) });
    }
    const h = c.res.headers;
    h.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Frame-Options', 'DENY');
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Permissions-Policy', PERMISSIONS_POLICY);
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    h.set('Cache-Control', 'no-store');
    if (hsts) h.set('Strict-Transport-Security', 'max-age=31536000');
    h.delete('Server');
    h.delete('X-Powered-By');
    if (onionAddress && (h.get('content-type') ?? '').startsWith('text/html')) {
      const url = new URL(c.req.url);
      if (url.hostname !== onionAddress) h.set('Onion-Location', `http://${onionAddress}${url.pathname}${url.search}`);
    }
  };
}
