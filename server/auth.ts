/**
 * Signed requests (coordinators with their keyring key, reporters with their mailbox key)
 * and member sessions.
 */
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { Context, MiddlewareHandler } from 'hono';
import { DocumentError, findCoordinator, verifyRequest, type RequestScope, type Role } from '../crypto/index.js';
import type { ServerContext } from './context.js';
import { recordRequest, sessionMember } from './db/queries.js';
import { ApiError, type AppEnv } from './http.js';
import { addDays, dayOf, sha256 } from './util.js';

export const SESSION_COOKIE = 'tipline_session';

/** The request target exactly as the client signed it: path plus query. */
export function signedPath(c: Context): string {
  const u = new URL(c.req.url);
  return u.pathname + u.search;
}

/**
 * Verify a signed request's headers and body. Returns the signer's key and the signature.
 * @throws ApiError(401, 'missing signature' | 'invalid signature' | 'stale request'),
 *   ApiError(400, 'request interrupted') when the client stops sending the body
 */
export async function verifySigned(
  ctx: ServerContext,
  c: Context<AppEnv>,
  scope: RequestScope,
): Promise<{ publicKey: Uint8Array; signature: Uint8Array; timestamp: number; body: Uint8Array }> {
  let body: Uint8Array;
  try {
    body = new Uint8Array(await c.req.arrayBuffer());
  } catch (e) {
    // A client that hangs up mid-body is not a server fault: no 500, no log line.
    if (e instanceof HTTPException) throw e;
    throw new ApiError(400, 'request interrupted');
  }
  try {
    const r = verifyRequest(
      scope,
      { method: c.req.method, path: signedPath(c), body, headers: (name) => c.req.header(name) },
      ctx.seconds(),
      ctx.config.requestWindowSeconds,
    );
    return { ...r, body };
  } catch (e) {
    if (e instanceof DocumentError) {
      const m = e.message === 'missing signature' || e.message === 'stale request' ? e.message : 'invalid signature';
      throw new ApiError(401, m);
    }
    throw e;
  }
}

/**
 * Remember an accepted signature of a state-changing request until the day after its
 * window closed. Reads (GET, HEAD) are not recorded: replaying one only repeats the read,
 * and a client polling twice within one second signs the same bytes (Ed25519 is
 * deterministic) and must not be refused.
 * @throws ApiError(401, 'replayed request') when it was accepted before
 */
export async function refuseReplay(
  ctx: ServerContext,
  scope: RequestScope,
  method: string,
  signature: Uint8Array,
  timestamp: number,
): Promise<void> {
  if (method === 'GET' || method === 'HEAD') return;
  const expires = addDays(dayOf((timestamp + ctx.config.requestWindowSeconds) * 1000), 1);
  const fresh = await recordRequest(ctx.db, sha256(Buffer.concat([Buffer.from(`${scope}\0`), signature])), expires);
  if (!fresh) throw new ApiError(401, 'replayed request');
}

/**
 * Coordinator requests: signed with scope 'coordinator' by a key in the current keyring
 * that holds `role`; each signature accepted once.
 */
export function requireCoordinator(ctx: ServerContext, role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { publicKey, signature, timestamp, body } = await verifySigned(ctx, c, 'coordinator');
    const { keyring } = await ctx.keyring();
    const coordinator = findCoordinator(keyring, publicKey);
    if (!coordinator) throw new ApiError(401, 'unknown key');
    if (!coordinator.roles.includes(role)) throw new ApiError(403, 'role required');
    await refuseReplay(ctx, 'coordinator', c.req.method, signature, timestamp);
    c.set('coordinator', coordinator);
    c.set('signedBody', body);
    await next();
  };
}

/** Approved members with a live session cookie; others get 401. */
export function requireMember(ctx: ServerContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw new ApiError(401, 'login required');
    const session = sha256(token);
    const m = await sessionMember(ctx.db, session, ctx.today());
    if (!m) throw new ApiError(401, 'login required');
    c.set('member', { id: m.id, login: m.login, session });
    await next();
  };
}
