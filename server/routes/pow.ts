/** Proof-of-work challenges. */
import { Hono } from 'hono';
import type { ServerContext } from '../context.js';
import type { AppEnv } from '../http.js';

export function powRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>().get('/', async (c) => {
    const { challenge, difficulty, expires } = ctx.pow.issue(await ctx.powDifficulty());
    return c.json({ challenge, difficulty, expires });
  });
}
