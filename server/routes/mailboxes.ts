/**
 * The reporter's mailbox: replies from coordinators and the reporter's follow-ups,
 * authorised by a signature of the mailbox key (scope 'mailbox').
 *
 * No listing and no probing: a missing or invalid signature is 401 before any lookup;
 * an unknown (or expired) mailbox and a valid signature by a key other than the
 * registered one get the same 404 {error: 'not found'}.
 *
 * Follow-ups are paid for: the report's stamp covers `abuse.freeFollowUps` of them within
 * its byte budget; each further one needs a fresh proof-of-work stamp (`tipline-pow`),
 * spent once. Coordinators' replies go through the coordinator API and cost nothing.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { bytes } from '../../crypto/index.js';
import { refuseReplay, verifySigned } from '../auth.js';
import { refuseWhenFull } from '../abuse.js';
import type { ServerContext } from '../context.js';
import { addMessageIn, getMailbox, listMessages, mailboxBudget, spendStamp, takeFreeFollowUp } from '../db/queries.js';
import { ApiError, mediaType, parseJsonBytes, type AppEnv } from '../http.js';
import { base64Bytes, mailboxId } from '../schemas.js';
import { randomId } from '../util.js';
import { POW_HEADER } from './reports.js';

export function mailboxRoutes(ctx: ServerContext) {
  const postBody = z.strictObject({ message: base64Bytes(ctx.config.limits.messageBytes) });

  /** Authenticate and return the mailbox id and the verified body (the replay check is the caller's). */
  async function authenticate(c: Context<AppEnv>) {
    const parsedId = mailboxId.safeParse(c.req.param('id'));
    const signed = await verifySigned(ctx, c, 'mailbox');
    if (!parsedId.success) throw new ApiError(404, 'not found');
    const mailbox = await getMailbox(ctx.db, parsedId.data);
    const keyMatches = mailbox !== undefined && bytes.equalBytes(signed.publicKey, mailbox.public_key);
    if (!mailbox || !keyMatches || mailbox.expires_day < ctx.today()) throw new ApiError(404, 'not found');
    return { id: mailbox.id, body: signed.body, replay: () => refuseReplay(ctx, 'mailbox', c.req.method, signed.signature, signed.timestamp) };
  }

  return new Hono<AppEnv>()
    .get('/:id', async (c) => {
      const { id, replay } = await authenticate(c);
      await replay();
      const messages = await listMessages(ctx.db, id);
      return c.json({
        messages: messages.map((m) => ({ id: m.id, from: m.sender, day: m.day, body: bytes.base64Padded(m.body) })),
      });
    })
    .post('/:id', refuseWhenFull(ctx.abuse), async (c) => {
      if (mediaType(c) !== 'application/json') throw new ApiError(415, 'unsupported content type');
      const { id, body, replay } = await authenticate(c);
      const parsed = parseJsonBytes(c, body, postBody);
      await ctx.checkToCoordinators(parsed.message, ctx.config.limits.messageBytes);
      const size = parsed.message.length;
      const A = ctx.config.abuse;
      const budget = await mailboxBudget(ctx.db, id);
      const free = budget !== undefined && budget.freeFollowUps < A.freeFollowUps && budget.charged + size <= A.stampBudgetBytes;
      // Asked for before the signature is recorded, so the same request can come again with a stamp.
      const stamp = free ? undefined : await ctx.verifyStamp(c.req.header(POW_HEADER));
      await replay();
      const messageId = randomId();
      await ctx.db.transaction().execute(async (trx) => {
        if (stamp) {
          if (!(await spendStamp(trx, stamp.hash, stamp.expiresDay))) throw new ApiError(403, 'proof of work already used');
        } else if (!(await takeFreeFollowUp(trx, id, size, A.freeFollowUps, A.stampBudgetBytes))) {
          throw new ApiError(403, 'proof of work required');
        }
        await ctx.abuse.chargeDaily(trx, size);
        const ok = await addMessageIn(
          trx,
          { id: messageId, mailboxId: id, sender: 'reporter', day: ctx.today(), body: Buffer.from(parsed.message) },
          ctx.config.limits.messagesPerMailbox,
        );
        if (!ok) throw new ApiError(409, 'mailbox full');
      });
      if (stamp) await ctx.recordSubmission();
      return c.json({ id: messageId }, 201);
    });
}
