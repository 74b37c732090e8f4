/** Report submission from the reporter's browser (ciphertext only). */
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { Transaction } from 'kysely';
import { COUNTER, refuseWhenFull } from '../abuse.js';
import type { ServerContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { insertMailbox, insertReport, isUniqueViolation, spendStamp } from '../db/queries.js';
import { ApiError, jsonBody, type AppEnv } from '../http.js';
import type { SpendableStamp } from '../pow.js';
import { secureJson } from '../headers.js';
import { reportBody } from '../schemas.js';
import { addDays, buf, randomId, sha256 } from '../util.js';

export const POW_HEADER = 'tipline-pow';

/**
 * Store a checked report: spend the stamp, register the mailbox, insert the report (charged
 * to its own stamp budget), charge the day's byte ceiling, all in one transaction so a
 * refusal stores nothing. Returns the id and the upload token.
 * @throws ApiError(403, 'proof of work already used'), ApiError(409, 'mailbox exists'), ApiError(503, 'service full')
 */
export async function storeReport(
  ctx: ServerContext,
  r: {
    ciphertext: Uint8Array;
    origin: 'browser' | 'server';
    stamp: SpendableStamp;
    mailbox?: { id: string; publicKey: Uint8Array } | undefined;
    spentMessage?: string;
    /** Count the submission towards the surge window (server/pow.ts), in the same transaction. */
    countSurge?: boolean;
    /** A further check inside the transaction (the no-JS form's ceiling); throwing stores nothing. */
    alsoIn?: (trx: Transaction<Database>) => Promise<void>;
  },
): Promise<{ id: string; uploadToken: string }> {
  const today = ctx.today();
  const id = randomId();
  const uploadToken = randomBytes(32).toString('base64url');
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await spendStamp(trx, r.stamp.hash, r.stamp.expiresDay))) {
      throw new ApiError(403, r.spentMessage ?? 'proof of work already used');
    }
    await r.alsoIn?.(trx);
    if (r.mailbox) {
      try {
        await insertMailbox(trx, r.mailbox.id, buf(r.mailbox.publicKey), today, addDays(today, ctx.config.retention.mailboxDays));
      } catch (e) {
        if (isUniqueViolation(e)) throw new ApiError(409, 'mailbox exists');
        throw e;
      }
    }
    await insertReport(trx, {
      id,
      ciphertext: buf(r.ciphertext),
      origin: r.origin,
      receivedDay: today,
      expiresDay: addDays(today, ctx.config.retention.reportDays),
      uploadTokenHash: r.origin === 'browser' ? sha256(uploadToken) : null,
      uploadUntilDay: r.origin === 'browser' ? addDays(today, 1) : null,
      mailboxId: r.mailbox?.id ?? null,
    });
    // Last, and the surge count in the same statement: every submission writes these rows,
    // and on PostgreSQL each transaction holds them locked until it commits.
    await ctx.abuse.chargeDaily(trx, r.ciphertext.length, r.countSurge ? { name: COUNTER.surge, windowMinutes: ctx.config.pow.surgeWindowMinutes } : undefined);
  });
  return { id, uploadToken };
}

export function reportRoutes(ctx: ServerContext) {
  // `website` is a honeypot: people never see it, so it stays empty.
  const body = reportBody(ctx.config.limits.reportBytes);
  const hsts = ctx.config.publicOrigin?.startsWith('https://') === true;
  return new Hono<AppEnv>().post('/', refuseWhenFull(ctx.abuse), jsonBody(body), async (c) => {
    const b = c.req.valid('json');
    // A filled honeypot is refused openly: a silently dropped report could be a real person's.
    if (b.website) throw new ApiError(400, 'rejected');
    const stamp = await ctx.verifyStamp(c.req.header(POW_HEADER));
    await ctx.checkToCoordinators(b.report, ctx.config.limits.reportBytes);
    // Counted in the report's transaction: one commit, and a refused report counts for nothing.
    const r = await storeReport(ctx, { ciphertext: b.report, origin: 'browser', stamp, mailbox: b.mailbox, countSurge: true });
    ctx.countedSubmission();
    return secureJson(r, 201, hsts);
  });
}
