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

/** The headers {@link securityHeaders} sets on every response (HSTS aside), once. */
const FIXED: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Permissions-Policy': PERMISSIONS_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};
const HSTS = { 'Strict-Transport-Security': 'max-age=31536000' };
const JSON_HEADERS = { false: { 'Content-Type': 'application/json', ...FIXED }, true: { 'Content-Type': 'application/json', ...FIXED, ...HSTS } };

/** Responses made by {@link secureJson}: they carry every header already. */
const complete = new WeakSet<Response>();

/**
 * A JSON answer that already carries the security headers {@link securityHeaders} would set
 * (`hsts` as configured), as a plain record: setting them afterwards one by one turns the
 * response's headers into a Headers object, a measurable share of a report submission.
 * Never for HTML (Onion-Location depends on the request).
 */
export function secureJson(body: unknown, status: number, hsts: boolean): Response {
  const res = new Response(JSON.stringify(body), { status, headers: JSON_HEADERS[`${hsts}`] });
  complete.add(res);
  return res;
}

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
    if (complete.has(c.res)) return;
    try {
      c.res.headers.set('Referrer-Policy', 'no-referrer');
    } catch {
      // Some responses (Response.redirect) have immutable headers: copy into a mutable one.
      c.res = new Response(c.res.body, { status: c.res.status, headers: new Headers(c.res.headers) });
    }
    const h = c.res.headers;
    for (const k in FIXED) h.set(k, FIXED[k]!);
    if (hsts) h.set('Strict-Transport-Security', HSTS['Strict-Transport-Security']);
    h.delete('Server');
    h.delete('X-Powered-By');
    if (onionAddress && (h.get('content-type') ?? '').startsWith('text/html')) {
      const url = new URL(c.req.url);
      if (url.hostname !== onionAddress) h.set('Onion-Location', `http://${onionAddress}${url.pathname}${url.search}`);
    }
  };
}
