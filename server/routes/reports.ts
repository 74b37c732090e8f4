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
  storeSubmissions,
  GROUP_MAX,
  type GroupOutcome,
  type GroupSubmission,
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
    const mailbox = r.mailbox && { id: r.mailbox.id, publicKey: buf(r.mailbox.publicKey), day: today, expiresDay: mailboxExpires };
    await storeGroupedPg(ctx, { submission: { stamp: r.stamp, mailbox, report }, surge, spent });
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

/** A browser submission waiting for its group on PostgreSQL. */
interface PgPending {
  submission: GroupSubmission;
  surge: { name: string; windowMinutes: number };
  spent: () => ApiError;
  resolve(): void;
  reject(error: unknown): void;
}

/** The submissions waiting for the next group, and how many groups are being stored. */
interface PgQueue {
  waiting: PgPending[];
  busy: number;
}

/**
 * Groups stored at once per process. With one, the next group gathers only while the last
 * is on its way to the disk, and its two round trips are idle time for the group after;
 * two kept PostgreSQL busy at 8 clients (measured: x0.78 -> x0.97-1.05 of the baseline).
 */
const PG_GROUPS_AT_ONCE = 2;

const pgQueues = new WeakMap<ServerContext, PgQueue>();

/**
 * PostgreSQL: store a browser submission together with the others that arrive while earlier
 * groups are being stored (server/README.md "Storing a report", group commit): one
 * charge of the counters and one statement per group. Resolves once it is committed.
 * @throws ApiError(403 spent stamp), ApiError(409, 'mailbox exists'), ApiError(503, 'service full')
 */
function storeGroupedPg(ctx: ServerContext, p: Omit<PgPending, 'resolve' | 'reject'>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let q = pgQueues.get(ctx);
    if (!q) pgQueues.set(ctx, (q = { waiting: [], busy: 0 }));
    q.waiting.push({ ...p, resolve, reject });
    if (q.busy < PG_GROUPS_AT_ONCE) {
      q.busy++;
      setImmediate(() => void drainPg(ctx, q));
    }
  });
}

/**
 * Store the waiting submissions group after group until none waits (one of at most
 * {@link PG_GROUPS_AT_ONCE} such loops).
 * A submission repeating the stamp or mailbox of one in the group waits for the next group,
 * so that it sees the first one's outcome as it would alone; so does any beyond
 * {@link GROUP_MAX}.
 */
async function drainPg(ctx: ServerContext, q: PgQueue): Promise<void> {
  while (q.waiting.length > 0) {
    const group: PgPending[] = [];
    const later: PgPending[] = [];
    const stamps = new Set<string>();
    const mailboxes = new Set<string>();
    for (const p of q.waiting.splice(0)) {
      const stamp = p.submission.stamp.hash.toString('base64');
      const mailbox = p.submission.mailbox?.id;
      if (group.length >= GROUP_MAX || stamps.has(stamp) || (mailbox !== undefined && mailboxes.has(mailbox))) later.push(p);
      else {
        group.push(p);
        stamps.add(stamp);
        if (mailbox !== undefined) mailboxes.add(mailbox);
      }
    }
    q.waiting.unshift(...later);
    const eachAlone = () => Promise.all(group.map((p) => storeAlonePg(ctx, p).then(p.resolve, p.reject)));
    try {
      if (group.length === 1) await eachAlone();
      else await storeGroupPg(ctx, group, eachAlone);
    } catch (e) {
      for (const p of group) p.reject(e);
    }
  }
  q.busy--;
}

/** One charge and one statement for `group` (2 or more); `eachAlone` when the group as a whole cannot go. */
async function storeGroupPg(ctx: ServerContext, group: PgPending[], eachAlone: () => Promise<unknown>): Promise<void> {
  const bytes = (ps: PgPending[]) => ps.reduce((n, p) => n + p.submission.report.ciphertext.length, 0);
  let charge: Awaited<ReturnType<typeof ctx.abuse.chargeDailyAlone>>;
  try {
    charge = await ctx.abuse.chargeDailyAlone(bytes(group), group[0]!.surge, group.length);
  } catch (e) {
    // The whole group would pass the day's ceiling: one by one, the ceiling is exact.
    if (e instanceof ApiError && e.status === 503) await eachAlone();
    else for (const p of group) p.reject(e);
    return;
  }
  let outcomes: GroupOutcome[];
  try {
    outcomes = await storeSubmissions(
      ctx.db,
      group.map((p) => p.submission),
    );
  } catch (e) {
    // Nothing of the group was stored. A mailbox taken meanwhile by another transaction:
    // one by one, only that submission is refused.
    await charge.refund().catch(() => {});
    if (isUniqueViolation(e)) await eachAlone();
    else for (const p of group) p.reject(e);
    return;
  }
  const refused = group.filter((_, i) => outcomes[i] !== 'stored');
  if (refused.length > 0) await charge.refund({ bytes: bytes(refused), events: refused.length }).catch(() => {});
  group.forEach((p, i) => {
    const o = outcomes[i];
    if (o === 'stored') p.resolve();
    else p.reject(o === 'spent' ? p.spent() : new ApiError(409, 'mailbox exists'));
  });
}

/** One submission on its own: the counters first, then the report in one statement, a refund when it is not stored. */
async function storeAlonePg(ctx: ServerContext, p: PgPending): Promise<void> {
  const charge = await ctx.abuse.chargeDailyAlone(p.submission.report.ciphertext.length, p.surge);
  let stored = false;
  try {
    stored = await storeSubmission(ctx.db, p.submission.stamp, p.submission.mailbox, p.submission.report);
  } catch (e) {
    await charge.refund().catch(() => {});
    throw isUniqueViolation(e) ? new ApiError(409, 'mailbox exists') : e;
  }
  if (!stored) {
    await charge.refund();
    throw p.spent();
  }
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
