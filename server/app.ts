/**
 * The Hono application: one sub-app per resource, shared by the entry point and the tests
 * (`app.request()`).
 *
 * No request logger exists, and nothing here reads the client's address, user agent or
 * referrer. Errors answer `{error}` with a fixed message; an unexpected error is a 500
 * whose only trace is one line naming the error class (never its message, stack or input).
 */
import { Hono } from 'hono';
import { bytes } from '../crypto/index.js';
import { HTTPException } from 'hono/http-exception';
import { ServerContext, type AppDeps } from './context.js';
import { securityHeaders } from './headers.js';
import { ApiError, limit, type AppEnv } from './http.js';
import { attachmentRoutes } from './routes/attachments.js';
import { basicFormRoutes, basicScript, basicStylesheet } from './routes/basic-form.js';
import { coordinatorCheckRoutes, memberCheckRoutes } from './routes/check.js';
import { coordinatorRoutes } from './routes/coordinator.js';
import { keyringRoutes } from './routes/keyring.js';
import { mailboxRoutes } from './routes/mailboxes.js';
import { memberAccountRoutes, memberRoutes } from './routes/members.js';
import { powRoutes } from './routes/pow.js';
import { profileRoutes } from './routes/profile.js';
import { reportRoutes } from './routes/reports.js';
import { staticRoutes } from './routes/static.js';
import { statisticsRoutes } from './routes/statistics.js';
import { notFoundWithProfile } from './not-found.js';
import { warningRoutes } from './routes/warnings.js';

export type { AppDeps } from './context.js';

/** Fixed messages for HTTP exceptions raised inside Hono (their own messages may quote input). */
const HTTP_MESSAGES: Record<number, string> = { 400: 'invalid request', 413: 'body too large', 415: 'unsupported content type' };

/** Report an unexpected error without anything from the request: class name and code only. */
function reportInternal(err: unknown): void {
  const name = err instanceof Error ? err.name : typeof err;
  const code = (err as { code?: unknown } | null)?.code;
  process.stderr.write(`internal error: ${name}${typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? ` (${code})` : ''}\n`);
}

export function createApp(deps: AppDeps): Hono<AppEnv> & { ctx: ServerContext } {
  const ctx = new ServerContext(deps);
  const app = new Hono<AppEnv>();

  app.use('*', securityHeaders(deps.config.onionAddress, deps.config.publicOrigin?.startsWith('https://') === true));
  // Every route has a body limit; attachments stream with their own (larger) limit,
  // and the no-JS form has its own HTML-answering one.
  const L = deps.config.limits;
  const largestField = Math.max(L.reportBytes, L.messageBytes, L.caseNoteBytes, L.warningBytes, L.applicationBytes);
  const jsonLimit = limit(Math.max(L.jsonBytes, Math.ceil((largestField * 4) / 3) + 64 * 1024));
  app.use('*', async (c, next) => {
    const p = c.req.path;
    if (p === '/api/attachments' || p === '/report/basic') return next();
    return jsonLimit(c, next);
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/api/keyring', keyringRoutes(ctx));
  app.route('/api/profile', profileRoutes(ctx));
  app.route('/api/statistics', statisticsRoutes(ctx));
  app.route('/api/pow', powRoutes(ctx));
  app.route('/api/reports', reportRoutes(ctx));
  app.route('/api/attachments', attachmentRoutes(ctx));
  app.route('/api/mailboxes', mailboxRoutes(ctx));
  app.route('/api/warnings', warningRoutes(ctx));
  app.route('/api/members/me', memberAccountRoutes(ctx));
  app.route('/api/members', memberRoutes(ctx));
  app.route('/api/coordinator', coordinatorRoutes(ctx));
  app.route('/api/check', memberCheckRoutes(ctx));
  app.route('/api/coordinator/check', coordinatorCheckRoutes(ctx));
  app.get('/report/basic.css', basicStylesheet);
  app.get('/report/basic.js', basicScript);
  // The pages' quick exit without JavaScript (<noscript>): the HTML names only its own origin, so it links here.
  app.get('/exit', (c) => c.redirect('https://www.bbc.co.uk/weather', 303));
  app.route('/report/basic', basicFormRoutes(ctx));
  const notFound = notFoundWithProfile(() => ctx.profile());
  app.route('/', staticRoutes(deps.config.clientDir, bytes.base64Padded(deps.rootPublicKey), notFound));

  app.notFound(notFound);
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json({ error: err.message }, err.status);
    if (err instanceof HTTPException) {
      const status = err.status >= 400 && err.status < 500 ? err.status : 500;
      return c.json({ error: HTTP_MESSAGES[status] ?? (status === 500 ? 'internal error' : 'invalid request') }, status);
    }
    reportInternal(err);
    return c.json({ error: 'internal error' }, 500);
  });

  return Object.assign(app, { ctx });
}
