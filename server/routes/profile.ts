/** The signed organisation profile: GET the current one (public), PUT a newer one (root or admin signature inside). */
import { Hono } from 'hono';
import { z } from 'zod';
import { compressPublicJson } from '../compress.js';
import type { ServerContext } from '../context.js';
import { zv, type AppEnv } from '../http.js';

export function profileRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>()
    .get('/', compressPublicJson(), async (c) => {
      const text = await ctx.profileText();
      if (text === undefined) return c.json({ error: 'no profile' }, 404);
      return c.body(text, 200, { 'Content-Type': 'application/json' });
    })
    .put('/', zv('json', z.record(z.string(), z.unknown())), async (c) => {
      const p = await ctx.replaceProfile(c.req.valid('json'));
      return c.json({ version: p.version }, 200);
    });
}
