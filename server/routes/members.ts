/**
 * Members: applications (encrypted to the coordinators, PoW-paid), login and logout with a
 * session cookie; and the logged-in member's own account (`/api/members/me`): read, replace
 * the encrypted settings, leave. Nothing is accessible before a coordinator approves the
 * application; revocation deletes every session at once.
 */
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { SESSION_COOKIE, requireMember } from '../auth.js';
import type { ServerContext } from '../context.js';
import { deleteMember, deleteSession, findMemberByLogin, insertMember, insertSession, setMemberApplication, spendStamp } from '../db/queries.js';
import { ApiError, zv, type AppEnv } from '../http.js';
import { checkPassphrase, hashPassphrase } from '../passwords.js';
import { base64Bytes } from '../schemas.js';
import { addDays, randomId, sha256 } from '../util.js';
import { POW_HEADER } from './reports.js';

/** Login names: 3-64 of a-z 0-9 . _ - (compared lower case). */
export const loginName = z
  .string()
  .max(64)
  .transform((s) => s.normalize('NFKC').toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/));
export const passphrase = z.string().min(10).max(1024);

export function secureCookie(ctx: ServerContext, c: Context): boolean {
  const s = ctx.config.secureCookies;
  return s === 'true' || (s === 'auto' && new URL(c.req.url).protocol === 'https:');
}

export function memberRoutes(ctx: ServerContext) {
  const applyBody = z.strictObject({
    login: loginName,
    passphrase,
    application: base64Bytes(ctx.config.limits.applicationBytes),
    website: z.string().max(1000).optional(),
  });
  const loginBody = z.strictObject({ login: z.string().max(200), passphrase: z.string().max(1024) });

  return new Hono<AppEnv>()
    .post('/apply', zv('json', applyBody), async (c) => {
      const b = c.req.valid('json');
      if (b.website) throw new ApiError(400, 'rejected');
      const stamp = ctx.pow.verify(c.req.header(POW_HEADER));
      await ctx.checkToCoordinators(b.application, ctx.config.limits.applicationBytes);
      if (await findMemberByLogin(ctx.db, b.login)) throw new ApiError(409, 'login name taken');
      const memberId = randomId();
      // The stamp is spent before the expensive hash, so one stamp cannot buy many hashes;
      // and the hash runs outside any transaction, which would block SQLite's writer.
      await ctx.scryptGate.run(async () => {
        if (!(await spendStamp(ctx.db, stamp.hash, stamp.expiresDay))) throw new ApiError(403, 'proof of work already used');
        const passHash = await hashPassphrase(b.passphrase, ctx.config.passphraseLogN);
        const ok = await insertMember(ctx.db, {
          id: memberId,
          login: b.login,
          passHash,
          application: Buffer.from(b.application),
          day: ctx.today(),
        });
        if (!ok) throw new ApiError(409, 'login name taken');
      });
      ctx.pow.recordSubmission();
      return c.json({ id: memberId }, 201);
    })
    .post('/login', zv('json', loginBody), async (c) => {
      const b = c.req.valid('json');
      const parsedLogin = loginName.safeParse(b.login);
      const login = parsedLogin.success ? parsedLogin.data : '';
      if (ctx.loginFailures.get(login) >= ctx.config.loginAttemptsPerHour) throw new ApiError(429, 'too many attempts');
      const member = login ? await findMemberByLogin(ctx.db, login) : undefined;
      const ok = await ctx.scryptGate.run(() => checkPassphrase(b.passphrase, member?.pass_hash, ctx.config.passphraseLogN));
      if (!ok || !member) {
        ctx.loginFailures.add(login);
        throw new ApiError(401, 'invalid login');
      }
      if (member.state === 'pending') throw new ApiError(403, 'not approved');
      if (member.state === 'refused') throw new ApiError(403, 'application refused');
      if (member.state !== 'approved') throw new ApiError(403, 'access revoked');
      const token = randomBytes(32).toString('base64url');
      const days = ctx.config.retention.sessionDays;
      await insertSession(ctx.db, sha256(token), member.id, addDays(ctx.today(), days));
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: secureCookie(ctx, c),
        path: '/',
        maxAge: days * 86_400,
      });
      return c.json({ login: member.login });
    })
    .post('/logout', async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token && /^[A-Za-z0-9_-]{43}$/.test(token)) await deleteSession(ctx.db, sha256(token));
      clearSession(ctx, c);
      return c.json({ ok: true });
    });
}

function clearSession(ctx: ServerContext, c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookie(ctx, c), httpOnly: true, sameSite: 'Strict' });
}

/**
 * The logged-in member's account: `GET /` → `{login}`; `PUT /application` replaces the
 * encrypted application (channels, regions, paused alerts: only the coordinators can read
 * it); `DELETE /` leaves: the member row, its application and every session go at once.
 */
export function memberAccountRoutes(ctx: ServerContext) {
  const settingsBody = z.strictObject({ application: base64Bytes(ctx.config.limits.applicationBytes) });
  return new Hono<AppEnv>()
    .use(requireMember(ctx))
    .get('/', (c) => c.json({ login: c.get('member').login }))
    .put('/application', zv('json', settingsBody), async (c) => {
      const b = c.req.valid('json');
      await ctx.checkToCoordinators(b.application, ctx.config.limits.applicationBytes);
      if (!(await setMemberApplication(ctx.db, c.get('member').id, Buffer.from(b.application)))) throw new ApiError(401, 'login required');
      return c.json({ ok: true });
    })
    .delete('/', async (c) => {
      // Sessions and the application go with the row (ON DELETE CASCADE).
      await deleteMember(ctx.db, c.get('member').id);
      clearSession(ctx, c);
      return c.json({ ok: true });
    });
}
