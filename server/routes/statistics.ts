/** The published statistics summary: GET the current one (public; coordinators upload through /api/coordinator/statistics). */
import { Hono } from 'hono';
import type { ServerContext } from '../context.js';
import type { AppEnv } from '../http.js';

export function statisticsRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>().get('/', async (c) => {
    const text = await ctx.statisticsText();
    if (text === undefined) return c.json({ error: 'no statistics' }, 404);
    return c.body(text, 200, { 'Content-Type': 'application/json' });
  });
}
