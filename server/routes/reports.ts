/** Report submission from the reporter's browser (ciphertext only). */
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { Transaction } from 'kysely';
import { COUNTER, refuseWhenFull } from '../abuse.js';
import type { ServerContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { syncSqlite, syncTransaction } from '../db/index.js';
import {
  insertMailbox,
  insertMailboxSync,
  insertReport,
  insertReportSync,
  isUniqueViolation,
  spendStamp,
  spendStampSync,
  storeSubmission,
  type NewReport,
} from '../db/queries.js';
import { ApiError, jsonBody, type AppEnv } from '../http.js';
import type { SpendableStamp } from '../pow.js';
import { secureJson } from '../headers.js';
import { reportBody } from '../schemas.js';
import { addDays, buf, randomId, sha256 } from '../util.js';

export const POW_HEADER = 'tipline-pow';

/**
 * Store a checked report: spend the stamp, register the mailbox, insert the report (charged
 * to its own stamp budget), charge the day's byte ceiling (and count the surge window),
 * so that a refusal stores and charges nothing: one transaction, or on PostgreSQL the
 * counters first and a refund when the report is not stored (server/README.md "Storing a
 * report"). Returns the id and the upload token.
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
  const report: NewReport = {
    id,
    ciphertext: buf(r.ciphertext),
    origin: r.origin,
    receivedDay: today,
    expiresDay: addDays(today, ctx.config.retention.reportDays),
    uploadTokenHash: r.origin === 'browser' ? sha256(uploadToken) : null,
    uploadUntilDay: r.origin === 'browser' ? addDays(today, 1) : null,
    mailboxId: r.mailbox?.id ?? null,
  };
  const mailboxExpires = addDays(today, ctx.config.retention.mailboxDays);
  const surge = r.countSurge ? { name: COUNTER.surge, windowMinutes: ctx.config.pow.surgeWindowMinutes } : undefined;
  const spent = () => new ApiError(403, r.spentMessage ?? 'proof of work already used');
  const mailboxTaken = (e: unknown) => (isUniqueViolation(e) ? new ApiError(409, 'mailbox exists') : e);
  // Fast paths (server/README.md "Storing a report"); `alsoIn` needs a kysely transaction.
  const sqlite = r.alsoIn ? undefined : syncSqlite(ctx.db);
  if (sqlite) {
    // One synchronous transaction: the same statements, no promise between them.
    await syncTransaction(sqlite, () => {
      if (!spendStampSync(sqlite, r.stamp.hash, r.stamp.expiresDay)) throw spent();
      if (r.mailbox) {
        try {
          insertMailboxSync(sqlite, r.mailbox.id, buf(r.mailbox.publicKey), today, mailboxExpires);
        } catch (e) {
          throw mailboxTaken(e);
        }
      }
      insertReportSync(sqlite, report);
      ctx.abuse.chargeDailySync(sqlite, r.ciphertext.length, surge);
    });
    return { id, uploadToken };
  }
  if (!r.alsoIn && surge && ctx.dbKind === 'postgres') {
    // The counters first, in a statement of their own, then the report in one statement;
    // a report not stored gives the charge back.
    const charge = await ctx.abuse.chargeDailyAlone(r.ciphertext.length, surge);
    let stored = false;
    try {
      const mailbox = r.mailbox && { id: r.mailbox.id, publicKey: buf(r.mailbox.publicKey), day: today, expiresDay: mailboxExpires };
      stored = await storeSubmission(ctx.db, r.stamp, mailbox, report);
    } catch (e) {
      await charge.refund().catch(() => {});
      throw mailboxTaken(e);
    }
    if (!stored) {
      await charge.refund();
      throw spent();
    }
    return { id, uploadToken };
  }
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await spendStamp(trx, r.stamp.hash, r.stamp.expiresDay))) throw spent();
    await r.alsoIn?.(trx);
    if (r.mailbox) {
      try {
        await insertMailbox(trx, r.mailbox.id, buf(r.mailbox.publicKey), today, mailboxExpires);
      } catch (e) {
        throw mailboxTaken(e);
      }
    }
    await insertReport(trx, report);
    // Last, and the surge count in the same statement: every submission writes these rows,
    // and on PostgreSQL each transaction holds them locked until it commits.
    await ctx.abuse.chargeDaily(trx, r.ciphertext.length, surge);
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
