/**
 * Encrypted attachments, uploaded after their report with its upload token. The body is
 * streamed into bounded chunks in the database: at most one chunk per upload is held in
 * memory, and the file never touches the file system.
 *
 * Every chunk is charged, in the transaction that stores it, to the report's stamp budget
 * and to the day's ceiling of the whole service; an upload that fails gives both back.
 * One upload at a time per report, and a body that stalls or trickles is cut off (408),
 * so a few slow uploads cannot hold every upload slot.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { bytes } from '../../crypto/index.js';
import { refuseWhenFull } from '../abuse.js';
import { checkAgeFile, type ServerContext } from '../context.js';
import {
  appendChunk,
  chargeReport,
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
    refuseWhenFull(ctx.abuse),
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
      const len = c.req.header('content-length');
      if (len !== undefined && Number(report.charged_bytes) + Number(len) > ctx.config.abuse.stampBudgetBytes) {
        throw new ApiError(413, 'budget exhausted');
      }
      if ((await countAttachments(ctx.db, reportId)) >= ctx.config.limits.attachmentsPerReport) {
        throw new ApiError(409, 'too many attachments');
      }
      const { keyring } = await ctx.keyring();
      const stream = c.req.raw.body;
      if (!stream) throw new ApiError(400, 'not an age file');

      const A = ctx.config.abuse;
      const budget = A.stampBudgetBytes;
      return ctx.reportUploads.run(reportId, 'another upload in progress', () =>
        ctx.uploadGate.run(async () => {
          const attachmentId = randomId();
          await createAttachment(ctx.db, attachmentId, reportId, ctx.today());
          const reader = stream.getReader();
          const started = performance.now();
          let pending: Buffer[] = [];
          let pendingBytes = 0;
          let total = 0;
          let charged = 0;
          let day: number | undefined;
          let seq = 0;
          const flush = async (): Promise<void> => {
            const chunk = Buffer.concat(pending, pendingBytes);
            pending = [];
            pendingBytes = 0;
            // The first chunk holds the whole header (a header for 50 coordinators is ~80 KiB).
            if (seq === 0) checkAgeFile(chunk, max, keyring.coordinators.length);
            await ctx.db.transaction().execute(async (trx) => {
              if (!(await chargeReport(trx, reportId, chunk.length, budget))) throw new ApiError(413, 'budget exhausted');
              day = await ctx.abuse.chargeDaily(trx, chunk.length);
              await appendChunk(trx, attachmentId, seq, chunk);
            });
            seq++;
            charged += chunk.length;
          };
          try {
            for (;;) {
              const r = await readSome(reader, A.uploadIdleSeconds * 1000);
              if (r.done) break;
              total += r.value.length;
              if (total > max) throw new ApiError(413, 'too large');
              const elapsed = (performance.now() - started) / 1000;
              if (elapsed > A.uploadGraceSeconds && total < A.uploadMinBytesPerSecond * elapsed) throw new ApiError(408, 'upload too slow');
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
            await ctx.db.transaction().execute(async (trx) => {
              await deleteAttachment(trx, attachmentId);
              if (charged > 0) {
                await chargeReport(trx, reportId, -charged, Number.MAX_SAFE_INTEGER);
                if (day !== undefined) await ctx.abuse.refundDaily(trx, day, charged);
              }
            });
            await scrub(ctx.db, ctx.dbKind);
            throw e;
          }
          return c.json({ id: attachmentId }, 201);
        }),
      );
    },
  );
}

/**
 * Read the next piece of a body, waiting at most `idleMs`.
 * @throws ApiError(400, 'upload interrupted'), ApiError(408, 'upload too slow')
 */
async function readSome(reader: ReadableStreamDefaultReader<Uint8Array>, idleMs: number): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError(408, 'upload too slow')), idleMs);
  });
  try {
    return await Promise.race([
      reader.read().catch(() => {
        throw new ApiError(400, 'upload interrupted');
      }),
      idle,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
