/** The root-signed keyring: GET the current one, PUT a newer one. */
import { Hono } from 'hono';
import { z } from 'zod';
import { compressPublicJson } from '../compress.js';
import type { ServerContext } from '../context.js';
import { zv, type AppEnv } from '../http.js';

export function keyringRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>()
    .get('/', compressPublicJson(), async (c) => {
      const text = await ctx.keyringText();
      if (text === undefined) return c.json({ error: 'no keyring' }, 404);
      return c.body(text, 200, { 'Content-Type': 'application/json' });
    })
    .put('/', zv('json', z.record(z.string(), z.unknown())), async (c) => {
      const k = await ctx.replaceKeyring(c.req.valid('json'));
      return c.json({ version: k.version }, 200);
    });
}
