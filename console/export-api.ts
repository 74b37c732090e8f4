/**
 * The police export's local API (issue 12), a sub-app under /api/export:
 * `POST /api/export/preview` shows what would be included and left out;
 * `POST /api/export` builds, seals, records (case notes) and answers with the file.
 */
import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import { MIN_PASSPHRASE, modelFor, runExport } from './export-run.js';
import type { ConsoleService } from './service.js';

const selectionBody = {
  ids: z.array(z.string().min(1).max(100)).min(1).max(500),
  includeLinked: z.boolean().optional(),
  regions: z.record(z.string().max(100), z.array(z.string().max(40)).max(20)).optional(),
};
const previewBody = z.strictObject(selectionBody);
const exportBody = z.strictObject({
  ...selectionBody,
  format: z.enum(['html', 'json']),
  protection: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('recipient'), recipient: z.string().trim().min(1).max(2000) }),
    z.strictObject({ kind: z.literal('passphrase'), passphrase: z.string().min(MIN_PASSPHRASE).max(1000) }),
    // A plain download needs the coordinator's explicit choice, spelled out.
    z.strictObject({ kind: z.literal('plain'), confirm: z.literal('unencrypted') }),
  ]),
});

function json<S extends z.ZodType>(schema: S) {
  return validator('json', async (value, c): Promise<z.output<S> | Response> => {
    if ((c.req.header('content-type') ?? '').split(';')[0]!.trim() !== 'application/json') return c.json({ error: 'unsupported content type' }, 415);
    const r = await schema.safeParseAsync(value);
    if (!r.success) return c.json({ error: 'invalid body' }, 400);
    return r.data;
  });
}

/**
 * The export sub-app. `errors` maps refusals and remote failures to answers (app.ts's).
 */
export function exportApi(s: ConsoleService, errors: (c: Context, fn: () => Promise<Response>) => Promise<Response>) {
  const app = new Hono();
  app.post('/preview', json(previewBody), (c) => errors(c, async () => c.json(await modelFor(s, c.req.valid('json')))));
  app.post('/', json(exportBody), (c) =>
    errors(c, async () => {
      const b = c.req.valid('json');
      const protection = b.protection.kind === 'plain' ? ({ kind: 'plain' } as const) : b.protection;
      const out = await runExport(s, { ...b, protection });
      return c.body(out.file as Uint8Array<ArrayBuffer>, 200, {
        'content-type': out.contentType,
        'content-disposition': `attachment; filename="${out.filename}"`,
        'cache-control': 'no-store',
      });
    }),
  );
  return app;
}
