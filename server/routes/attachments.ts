/**
 * Encrypted attachments, uploaded after their report with its upload token. The body is
 * streamed into bounded chunks in the database: at most one chunk per upload is held in
 * memory, and the file never touches the file system.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { bytes } from '../../crypto/index.js';
import { checkAgeFile, type ServerContext } from '../context.js';
import {
  appendChunk,
  completeAttachment,
  countAttachments,
  createAttachment,
  deleteAttachment,
  getReport,
} from '../db/queries.js';
import { scrub } from '../db/scrub.js';
import { ApiError, requireMediaType, zv, type AppEnv } from '../http.js';
import { id } from '../schemas.js';
import { randomId, sha256 } from '../util.js';

export const UPLOAD_TOKEN_HEADER = 'tipline-upload-token';
/** Chunk size in the database. */
export const CHUNK_BYTES = 512 * 1024;

export function attachmentRoutes(ctx: ServerContext) {
  const max = ctx.config.limits.attachmentBytes;
  return new Hono<AppEnv>().post(
    '/',
    requireMediaType('application/octet-stream'),
    async (c, next) => {
      const len = c.req.header('content-length');
      if (len !== undefined && (!/^[0-9]{1,15}$/.test(len) || Number(len) > max)) throw new ApiError(413, 'too large');
      await next();
    },
    zv('query', z.strictObject({ report: id })),
    async (c) => {
      const reportId = c.req.valid('query').report;
      const token = c.req.header(UPLOAD_TOKEN_HEADER) ?? '';
      const report = /^[A-Za-z0-9_-]{43}$/.test(token) ? await getReport(ctx.db, reportId) : undefined;
      // Unknown report, wrong token and closed uploads get the same answer: no probing for reports.
      if (
        !report ||
        !report.upload_token_hash ||
        !bytes.equalBytes(sha256(token), report.upload_token_hash) ||
        !report.upload_until_day ||
        report.upload_until_day < ctx.today()
      ) {
        throw new ApiError(403, 'invalid upload token');
      }
      if ((await countAttachments(ctx.db, reportId)) >= ctx.config.limits.attachmentsPerReport) {
        throw new ApiError(409, 'too many attachments');
      }
      const { keyring } = await ctx.keyring();
      const stream = c.req.raw.body;
      if (!stream) throw new ApiError(400, 'not an age file');

      return ctx.uploadGate.run(async () => {
        const attachmentId = randomId();
        await createAttachment(ctx.db, attachmentId, reportId, ctx.today());
        const reader = stream.getReader();
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        let total = 0;
        let seq = 0;
        const flush = async (): Promise<void> => {
          const chunk = Buffer.concat(pending, pendingBytes);
          pending = [];
          pendingBytes = 0;
          // The first chunk holds the whole header (a header for 50 coordinators is ~80 KiB).
          if (seq === 0) checkAgeFile(chunk, max, keyring.coordinators.length);
          await appendChunk(ctx.db, attachmentId, seq++, chunk);
        };
        try {
          for (;;) {
            let r: ReadableStreamReadResult<Uint8Array>;
            try {
              r = await reader.read();
            } catch {
              throw new ApiError(400, 'upload interrupted');
            }
            if (r.done) break;
            total += r.value.length;
            if (total > max) throw new ApiError(413, 'too large');
            let v = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
            while (v.length > 0) {
              const take = Math.min(v.length, CHUNK_BYTES - pendingBytes);
              pending.push(Buffer.from(v.subarray(0, take)));
              pendingBytes += take;
              v = v.subarray(take);
              if (pendingBytes === CHUNK_BYTES) await flush();
            }
          }
          if (pendingBytes > 0 || seq === 0) await flush();
          await completeAttachment(ctx.db, attachmentId, total);
        } catch (e) {
          await reader.cancel().catch(() => {});
          await deleteAttachment(ctx.db, attachmentId);
          await scrub(ctx.db, ctx.dbKind);
          throw e;
        }
        return c.json({ id: attachmentId }, 201);
      });
    },
  );
}
