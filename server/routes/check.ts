/**
 * The private check (crypto/SPEC.md §Private check): the server evaluates blinded
 * ristretto255 elements with its OPRF key and learns nothing of what was checked.
 *
 * - `POST /api/check` (member session): one element per request, counted against the
 *   member's daily limit in the database (every process shares it). A malformed element is
 *   refused before anything is counted.
 * - `POST /api/coordinator/check` (signed, role `warnings`): up to 50 elements, the tags the
 *   console puts in a warning it signs; counted against the key's own daily limit.
 *
 * Nothing about a check is stored beyond the member's count for the day.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { CheckError, MAX_CHECK_BATCH, bytes, evaluateBlinded } from '../../crypto/index.js';
import { requireCoordinator, requireMember } from '../auth.js';
import type { ServerContext } from '../context.js';
import { ApiError, parseJsonBytes, zv, type AppEnv } from '../http.js';

/** A blinded element on the wire: padded base64 of 32 bytes (44 characters). */
const element = z.string().length(44);

function evaluate(ctx: ServerContext, b64: string): string {
  let raw: Uint8Array;
  try {
    raw = bytes.fromBase64Padded(b64);
  } catch {
    throw new ApiError(400, 'invalid element');
  }
  try {
    return bytes.base64Padded(evaluateBlinded(ctx.checkKey, raw));
  } catch (e) {
    if (e instanceof CheckError) throw new ApiError(400, 'invalid element');
    throw e;
  }
}

/** Member checks, mounted at `/api/check`. */
export function memberCheckRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>().post('/', requireMember(ctx), zv('json', z.strictObject({ blinded: element })), async (c) => {
    const { blinded } = c.req.valid('json');
    // Validate (and evaluate) first: bad input is refused without using up the day's checks.
    const evaluated = evaluate(ctx, blinded);
    if (!(await ctx.abuse.chargeCheck({ member: c.get('member').id }))) {
      throw new ApiError(429, `daily check limit reached (${ctx.config.abuse.checksPerDay} a day): try again tomorrow`);
    }
    return c.json({ evaluated });
  });
}

/** Coordinator checks, mounted at `/api/coordinator/check`. */
export function coordinatorCheckRoutes(ctx: ServerContext) {
  const schema = z.strictObject({ blinded: z.array(element).min(1).max(MAX_CHECK_BATCH) });
  return new Hono<AppEnv>().post('/', requireCoordinator(ctx, 'warnings'), async (c: Context<AppEnv>) => {
    const { blinded } = parseJsonBytes(c, c.get('signedBody'), schema);
    const evaluated = blinded.map((b) => evaluate(ctx, b));
    if (!(await ctx.abuse.chargeCheck({ coordinator: c.get('coordinator').signingKey }, blinded.length))) {
      throw new ApiError(429, `daily check limit reached (${ctx.config.abuse.coordinatorChecksPerDay} a day): try again tomorrow`);
    }
    return c.json({ evaluated });
  });
}
