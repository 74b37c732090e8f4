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
import { cookiesSecure } from '../config.js';
import type { ServerContext } from '../context.js';
import { countMembers, deleteMember, deleteSession, findMemberByLogin, insertMember, insertSession, setMemberApplication, setPassHash, spendStamp } from '../db/queries.js';
import { scrub } from '../db/scrub.js';
import { LOGIN_WINDOW_MINUTES, refuseWhenFull } from '../abuse.js';
import { ApiError, zv, type AppEnv } from '../http.js';
import { checkPassphrase, hashCost, hashPassphrase } from '../passwords.js';
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

/** `Secure` on the session cookie: from configuration, never from the request URL (config.ts cookiesSecure). */
export function secureCookie(ctx: ServerContext, _c?: Context): boolean {
  return cookiesSecure(ctx.config);
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
    .post('/apply', refuseWhenFull(ctx.abuse), zv('json', applyBody), async (c) => {
      const b = c.req.valid('json');
      if (b.website) throw new ApiError(400, 'rejected');
      // The queue coordinators read is bounded; the check reveals nothing about any name.
      if ((await countMembers(ctx.db, 'pending')) >= ctx.config.limits.pendingApplications) {
        throw new ApiError(503, 'too many applications waiting, try later');
      }
      const stamp = await ctx.verifyStamp(c.req.header(POW_HEADER));
      await ctx.checkToCoordinators(b.application, ctx.config.limits.applicationBytes);
      // The stamp is spent before the name is looked up, so asking whether a name is taken
      // costs a stamp each time (a spent stamp gets 403 whatever the name), and before the
      // expensive hash, so one stamp cannot buy many hashes.
      if (!(await spendStamp(ctx.db, stamp.hash, stamp.expiresDay))) throw new ApiError(403, 'proof of work already used');
      await ctx.recordSubmission();
      if (await findMemberByLogin(ctx.db, b.login)) throw new ApiError(409, 'login name taken');
      const memberId = randomId();
      // The hash runs outside any transaction, which would block SQLite's writer.
      const passHash = await ctx.applyGate.run(() => hashPassphrase(b.passphrase, ctx.config.passphraseLogN));
      await ctx.db.transaction().execute(async (trx) => {
        await ctx.abuse.chargeDaily(trx, b.application.length);
        const ok = await insertMember(trx, {
          id: memberId,
          login: b.login,
          passHash,
          application: Buffer.from(b.application),
          day: ctx.today(),
        });
        if (!ok) throw new ApiError(409, 'login name taken');
      });
      return c.json({ id: memberId }, 201);
    })
    .post('/login', zv('json', loginBody), async (c) => {
      const b = c.req.valid('json');
      const parsedLogin = loginName.safeParse(b.login);
      const login = parsedLogin.success ? parsedLogin.data : '';
      // After a few failures for a name, each attempt costs a stamp: guessing gets expensive
      // while the real member still gets in (SECURITY.md "Abuse limits").
      const failures = ctx.abuse.loginCounter(login);
      if ((await ctx.abuse.windowCount(failures, LOGIN_WINDOW_MINUTES)) >= ctx.config.loginAttemptsPerHour) {
        const stamp = await ctx.verifyStamp(c.req.header(POW_HEADER));
        if (!(await spendStamp(ctx.db, stamp.hash, stamp.expiresDay))) throw new ApiError(403, 'proof of work already used');
      }
      const member = login ? await findMemberByLogin(ctx.db, login) : undefined;
      const dummy = member ? undefined : await ctx.dummyHash(login);
      const ok = await ctx.loginGate.run(() => checkPassphrase(b.passphrase, member?.pass_hash, dummy));
      if (!ok || !member) {
        await ctx.abuse.windowAdd(failures, LOGIN_WINDOW_MINUTES);
        throw new ApiError(401, 'invalid login');
      }
      if (member.state === 'pending') throw new ApiError(403, 'not approved');
      if (member.state === 'refused') throw new ApiError(403, 'application refused');
      if (member.state !== 'approved') throw new ApiError(403, 'access revoked');
      // A hash made at another cost is made again at the configured one, so stored costs converge.
      if (hashCost(member.pass_hash) !== ctx.config.passphraseLogN) {
        const again = await ctx.loginGate.run(() => hashPassphrase(b.passphrase, ctx.config.passphraseLogN));
        await setPassHash(ctx.db, member.id, again);
      }
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
      if (token && /^[A-Za-z0-9_-]{43}$/.test(token)) {
        await deleteSession(ctx.db, sha256(token));
        await scrub(ctx.db, ctx.dbKind);
      }
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
      await scrub(ctx.db, ctx.dbKind);
      clearSession(ctx, c);
      return c.json({ ok: true });
    });
}
