/** Proof-of-work challenges. */
import { Hono } from 'hono';
import type { ServerContext } from '../context.js';
import type { AppEnv } from '../http.js';

export function powRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>().get('/', (c) => {
    const { challenge, difficulty, expires } = ctx.pow.issue();
    return c.json({ challenge, difficulty, expires });
  });
}
