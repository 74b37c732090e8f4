/**
 * Signed warnings for logged-in members, synced incrementally: `since` is the cursor of the
 * previous answer; the answer holds warnings published and ids withdrawn after it. The
 * ETag is the sequence counter, so an unchanged list costs one tiny query and a 304.
 *
 * A warning's id is base64url of the first 16 bytes of SHA-256 of its payload bytes, so a
 * client can compute it from the envelope; `ids[i]` is the id of `warnings[i]`. `proofs[i]`
 * is the signed withdrawal or correction that removed `withdrawn[i]` (null only for
 * tombstones made before proofs were kept), so a member's device removes a stored warning
 * only on a verified reason.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireMember } from '../auth.js';
import { compressPublicJson } from '../compress.js';
import type { ServerContext } from '../context.js';
import { readCounter, warningsSince } from '../db/queries.js';
import { zv, type AppEnv } from '../http.js';

export const WARNINGS_PAGE = 500;

export function warningRoutes(ctx: ServerContext) {
  const query = z.strictObject({
    since: z
      .string()
      .regex(/^(0|[1-9][0-9]{0,14})$/)
      .transform(Number)
      .optional(),
  });
  return new Hono<AppEnv>().get('/', requireMember(ctx), compressPublicJson(), zv('query', query), async (c) => {
    const since = c.req.valid('query').since ?? 0;
    const head = await readCounter(ctx.db, 'warnings');
    const etag = `"w${head}"`;
    const inm = c.req.header('if-none-match');
    if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
      return c.body(null, 304, { ETag: etag });
    }
    const rows = await warningsSince(ctx.db, since, WARNINGS_PAGE + 1);
    const more = rows.length > WARNINGS_PAGE;
    const page = rows.slice(0, WARNINGS_PAGE);
    const live = page.filter((r) => r.envelope !== null);
    const cursor = page.length > 0 ? page[page.length - 1]!.seq : Math.max(since, 0);
    c.header('ETag', etag);
    return c.json({
      warnings: live.map((r) => JSON.parse(r.envelope!) as unknown),
      ids: live.map((r) => r.id),
      withdrawn: page.filter((r) => r.envelope === null).map((r) => r.id),
      proofs: page.filter((r) => r.envelope === null).map((r) => (r.proof === null ? null : (JSON.parse(r.proof) as unknown))),
      cursor,
      more,
    });
  });
}
