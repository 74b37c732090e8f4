/**
 * The reporter's mailbox: replies from coordinators and the reporter's follow-ups,
 * authorised by a signature of the mailbox key (scope 'mailbox').
 *
 * No listing and no probing: a missing or invalid signature is 401 before any lookup;
 * an unknown (or expired) mailbox and a valid signature by a key other than the
 * registered one get the same 404 {error: 'not found'}.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { bytes } from '../../crypto/index.js';
import { refuseReplay, verifySigned } from '../auth.js';
import type { ServerContext } from '../context.js';
import { addMessage, getMailbox, listMessages } from '../db/queries.js';
import { ApiError, mediaType, parseJsonBytes, type AppEnv } from '../http.js';
import { base64Bytes, mailboxId } from '../schemas.js';
import { randomId } from '../util.js';

export function mailboxRoutes(ctx: ServerContext) {
  const postBody = z.strictObject({ message: base64Bytes(ctx.config.limits.messageBytes) });

  /** Authenticate and return the mailbox id and the verified body. */
  async function open(c: Context<AppEnv>): Promise<{ id: string; body: Uint8Array }> {
    const parsedId = mailboxId.safeParse(c.req.param('id'));
    const signed = await verifySigned(ctx, c, 'mailbox');
    if (!parsedId.success) throw new ApiError(404, 'not found');
    const mailbox = await getMailbox(ctx.db, parsedId.data);
    const keyMatches = mailbox !== undefined && bytes.equalBytes(signed.publicKey, mailbox.public_key);
    if (!mailbox || !keyMatches || mailbox.expires_day < ctx.today()) throw new ApiError(404, 'not found');
    await refuseReplay(ctx, 'mailbox', c.req.method, signed.signature, signed.timestamp);
    return { id: mailbox.id, body: signed.body };
  }

  return new Hono<AppEnv>()
    .get('/:id', async (c) => {
      const { id } = await open(c);
      const messages = await listMessages(ctx.db, id);
      return c.json({
        messages: messages.map((m) => ({ id: m.id, from: m.sender, day: m.day, body: bytes.base64Padded(m.body) })),
      });
    })
    .post('/:id', async (c) => {
      if (mediaType(c) !== 'application/json') throw new ApiError(415, 'unsupported content type');
      const { id, body } = await open(c);
      const parsed = parseJsonBytes(c, body, postBody);
      await ctx.checkToCoordinators(parsed.message, ctx.config.limits.messageBytes);
      const messageId = randomId();
      const ok = await addMessage(
        ctx.db,
        { id: messageId, mailboxId: id, sender: 'reporter', day: ctx.today(), body: Buffer.from(parsed.message) },
        ctx.config.limits.messagesPerMailbox,
      );
      if (!ok) throw new ApiError(409, 'mailbox full');
      return c.json({ id: messageId }, 201);
    });
}
