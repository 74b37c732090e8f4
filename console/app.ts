/**
 * The console's local HTTP API and pages: one Hono app, createConsoleApp(deps) shared by
 * `tipline console` and the tests. Sub-apps per resource; every route sits behind the
 * Host, token-cookie and Origin guards (guard.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { validator } from 'hono/validator';
import { z } from 'zod';
import type { AlertDispatcher } from './alerts.js';
import { imageType } from './cases.js';
import { CASE_STATES, LIMITS } from './events.js';
import { exportApi } from './export-api.js';
import { consoleHeaders, hostGuard, originGuard, tokenGuard } from './guard.js';
import { RemoteError } from './remote.js';
import type { ConsoleService } from './service.js';
import { detailOf, summaryOf } from './views.js';
import { publishStatistics, statsView } from './statistics.js';
import { toCsv } from './stats.js';
import { ComposerRefusal, draftForCase, draftForCaseWithTags, listWarnings, maskAndTag, publish, verifiedProfile, withdraw } from './warnings.js';
import { DocumentError, IDENTIFIER_KINDS, INCIDENT_TYPES, TIME_BANDS, WARNING_LIMITS } from '../crypto/index.js';

export interface ConsoleDeps {
  service: ConsoleService;
  token: string;
  /** The port the console listens on (known after listen). */
  port: () => number;
  /** The built pages (dist/console). */
  pagesDir: string;
  /** Alert dispatch (issue 11); without it, publishing sends no alerts. */
  alerts?: AlertDispatcher;
}

function zv<T extends 'json' | 'query', S extends z.ZodType>(target: T, schema: S) {
  return validator(target, async (value, c): Promise<z.output<S> | Response> => {
    if (target === 'json' && (c.req.header('content-type') ?? '').split(';')[0]!.trim() !== 'application/json') {
      return c.json({ error: 'unsupported content type' }, 415);
    }
    const r = await schema.safeParseAsync(value);
    if (!r.success) return c.json({ error: `invalid ${target === 'json' ? 'body' : 'query'}` }, 400);
    return r.data;
  });
}

const tag = z.string().trim().min(1).max(40).regex(/^[^\p{Cc}\p{Cf}\p{Cs}]+$/u);
const eventBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('note'), text: z.string().trim().min(1).max(LIMITS.note) }),
  z.strictObject({ kind: z.literal('tags'), tags: z.array(tag).max(LIMITS.tags) }),
  z.strictObject({ kind: z.literal('assign'), to: z.string().max(100).nullable() }),
  z.strictObject({ kind: z.literal('state'), state: z.enum(CASE_STATES) }),
]);
const bulkBody = z.strictObject({
  ids: z.array(z.string().max(100)).min(1).max(1000),
  action: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('state'), state: z.enum(CASE_STATES) }),
    z.strictObject({ kind: z.literal('tag'), tag }),
    z.strictObject({ kind: z.literal('untag'), tag }),
    z.strictObject({ kind: z.literal('assign'), to: z.string().max(100).nullable() }),
    z.strictObject({ kind: z.literal('read') }),
    z.strictObject({ kind: z.literal('unread') }),
  ]),
});
const inboxQuery = z.object({
  q: z.string().max(500).optional(),
  state: z.enum([...CASE_STATES, 'open', 'all']).optional(),
  tag: z.string().max(40).optional(),
  assignee: z.string().max(100).optional(),
  unread: z.enum(['1', '0']).optional(),
  sort: z.enum(['newest', 'oldest', 'links', 'state']).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(20_000).optional(),
});

const optText = (max: number) => z.string().max(max).optional();
const draftBody = z.strictObject({
  regions: z.array(z.string().max(40)).max(WARNING_LIMITS.regions),
  month: z.string().max(7),
  partOfDay: z.enum(TIME_BANDS).optional(),
  incidentTypes: z.array(z.enum(INCIDENT_TYPES)).max(INCIDENT_TYPES.length),
  summary: optText(WARNING_LIMITS.summary),
  offender: optText(WARNING_LIMITS.offender),
  vehicle: optText(WARNING_LIMITS.vehicle),
  identifiers: z.array(z.strictObject({ kind: z.enum(IDENTIFIER_KINDS), masked: z.string().max(WARNING_LIMITS.masked) })).max(WARNING_LIMITS.identifiers).optional(),
  /** private-check tags (crypto/SPEC.md §Private check), made by POST /warnings/mask or the case's draft */
  checkTags: z.array(z.string().max(100)).max(WARNING_LIMITS.checkTags).optional(),
  advice: optText(WARNING_LIMITS.advice),
  supersedes: z.string().max(40).optional(),
  /** the report the draft started from: its case state becomes `warning-published` */
  fromCase: z.string().max(100).optional(),
});

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

async function remoteErrors(c: Context, fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RemoteError) return c.json({ error: `server: ${e.message}` }, 502);
    if (e instanceof Error && /no mailbox/.test(e.message)) return c.json({ error: e.message }, 409);
    if (e instanceof ComposerRefusal) return c.json({ error: e.message }, e.status);
    // A draft that breaks the warning schema, or a profile that fails verification.
    if (e instanceof DocumentError) return c.json({ error: 'detail' in e ? `${e.message}: ${String(e.detail)}` : e.message }, 422);
    throw e;
  }
}

export function createConsoleApp(deps: ConsoleDeps) {
  const { service: s } = deps;
  const app = new Hono();
  app.use('*', consoleHeaders(), hostGuard(deps.port), tokenGuard(deps.token, deps.port), originGuard(deps.port));
  app.onError((_e, c) => c.json({ error: 'internal error' }, 500));
  app.notFound((c) => c.json({ error: 'not found' }, 404));

  const api = new Hono();
  api.use('*', bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.json({ error: 'body too large' }, 413) }));

  api.get('/session', (c) =>
    c.json({
      me: { id: s.me.id, name: s.me.name },
      server: s.remote.baseUrl,
      coordinators: s.coordinators(),
      lastSync: s.lastSync ?? null,
      cases: s.cases.size,
    }),
  );

  api.post('/sync', (c) => remoteErrors(c, async () => c.json(await s.sync())));

  // Filters and sorts work on light rows; full summaries (with link counts, which cost an index
  // walk each) are built for the page shown only, unless sorting by links.
  api.get('/inbox', zv('query', inboxQuery), (c) => {
    const q = c.req.valid('query');
    let cases = [...s.cases.values()];
    if (q.q?.trim()) {
      const hits = s.index.search(q.q);
      cases = cases.filter((x) => hits.has(x.id));
    }
    const rows = cases.map((x) => ({ id: x.id, day: x.day, ...s.derivedOf(x.id), unread: !s.read.has(x.id), links: 0 }));
    const tags = [...new Set([...s.cases.keys()].flatMap((id) => s.derivedOf(id).tags))].sort();
    let items = rows;
    if (q.state && q.state !== 'all') items = items.filter((x) => (q.state === 'open' ? x.state !== 'closed' && x.state !== 'possibly-false' : x.state === q.state));
    if (q.tag) items = items.filter((x) => x.tags.includes(q.tag!));
    if (q.assignee) items = items.filter((x) => (q.assignee === '-' ? x.assignee === null : x.assignee === q.assignee));
    if (q.unread === '1') items = items.filter((x) => x.unread);
    if (q.sort === 'links') for (const x of items) x.links = s.index.related(x.id).length;
    type Row = (typeof rows)[number];
    const order = CASE_STATES as readonly string[];
    const newest = (a: Row, b: Row) => (a.day < b.day ? 1 : a.day > b.day ? -1 : a.id < b.id ? 1 : -1);
    const cmp = {
      newest,
      oldest: (a: Row, b: Row) => -newest(a, b),
      links: (a: Row, b: Row) => b.links - a.links || newest(a, b),
      state: (a: Row, b: Row) => order.indexOf(a.state) - order.indexOf(b.state) || newest(a, b),
    }[q.sort ?? 'newest'];
    items.sort(cmp);
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 100;
    return c.json({
      total: items.length,
      unread: rows.filter((x) => x.unread).length,
      tags,
      items: items.slice(offset, offset + limit).map((x) => summaryOf(s, s.cases.get(x.id)!)),
    });
  });

  api.get('/cases/:id', (c) => {
    const x = s.cases.get(c.req.param('id'));
    if (!x) return c.json({ error: 'not found' }, 404);
    return c.json(detailOf(s, x));
  });

  api.post('/cases/:id/read', (c) => {
    const id = c.req.param('id');
    if (!s.cases.has(id)) return c.json({ error: 'not found' }, 404);
    s.read.add(id);
    return c.json({ ok: true });
  });

  api.post('/cases/:id/events', zv('json', eventBody), (c) =>
    remoteErrors(c, async () => {
      const id = c.req.param('id');
      if (!s.cases.has(id)) return c.json({ error: 'not found' }, 404);
      const e = c.req.valid('json');
      if (e.kind === 'tags') await s.setTags(id, e.tags);
      else if (e.kind === 'state') await s.setState(id, e.state);
      else await s.addEvent(id, e);
      return c.json(detailOf(s, s.cases.get(id)!));
    }),
  );

  api.post('/cases/:id/reply', zv('json', z.strictObject({ text: z.string().trim().min(1).max(LIMITS.reply) })), (c) =>
    remoteErrors(c, async () => {
      const id = c.req.param('id');
      if (!s.cases.has(id)) return c.json({ error: 'not found' }, 404);
      await s.reply(id, c.req.valid('json').text);
      return c.json(detailOf(s, s.cases.get(id)!));
    }),
  );

  api.post('/bulk', zv('json', bulkBody), (c) =>
    remoteErrors(c, async () => {
      const { ids, action } = c.req.valid('json');
      let done = 0;
      for (const id of ids) {
        if (!s.cases.has(id)) continue;
        const d = s.derivedOf(id);
        if (action.kind === 'read') s.read.add(id);
        else if (action.kind === 'unread') s.read.delete(id);
        else if (action.kind === 'state') await s.setState(id, action.state);
        else if (action.kind === 'assign') {
          if (d.assignee !== action.to) await s.addEvent(id, { kind: 'assign', to: action.to });
        } else if (action.kind === 'tag') {
          if (!d.tags.includes(action.tag)) await s.setTags(id, [...d.tags, action.tag]);
        } else if (d.tags.includes(action.tag)) await s.setTags(id, d.tags.filter((t) => t !== action.tag));
        done++;
      }
      return c.json({ done });
    }),
  );

  // Only raster images whose bytes say JPEG, PNG or WebP are served, with that type; the page
  // shows them only when they decode. Any other file is listed by size and never served.
  api.get('/attachments/:id', (c) =>
    remoteErrors(c, async () => {
      const id = c.req.param('id');
      const owned = [...s.cases.values()].some((x) => x.attachments.some((a) => a.id === id));
      if (!owned) return c.json({ error: 'not found' }, 404);
      const plain = await s.attachment(id);
      if (!plain) return c.json({ error: 'undecryptable' }, 422);
      const type = imageType(plain);
      if (!type) return c.json({ error: 'not an image' }, 415);
      return c.body(plain as Uint8Array<ArrayBuffer>, 200, { 'content-type': type, 'content-disposition': 'inline; filename="photo"' });
    }),
  );

  api.get('/offenders', (c) => {
    const groups = s.index.groups().map((g) => ({ keys: g.keys, cases: g.ids.map((id) => summaryOf(s, s.cases.get(id)!)) }));
    return c.json({ groups });
  });

  api.get('/members', (c) => remoteErrors(c, async () => c.json({ members: await s.members() })));
  api.post('/members/:id/decision', zv('json', z.strictObject({ decision: z.enum(['approve', 'refuse']) })), (c) =>
    remoteErrors(c, async () => {
      await s.decide(c.req.param('id'), c.req.valid('json').decision);
      return c.json({ ok: true });
    }),
  );
  api.post('/members/:id/revoke', (c) =>
    remoteErrors(c, async () => {
      await s.revoke(c.req.param('id'));
      return c.json({ ok: true });
    }),
  );

  // ---- warnings (issue 10): signed here, with the coordinator's key; the page never signs ----
  api.get('/profile', (c) =>
    remoteErrors(c, async () => {
      const p = await verifiedProfile(s);
      return c.json({ name: p.name, regions: p.regions });
    }),
  );
  api.get('/warnings', (c) => remoteErrors(c, async () => c.json(await listWarnings(s))));
  api.get('/cases/:id/draft', (c) => remoteErrors(c, async () => c.json({ draft: await draftForCaseWithTags(s, c.req.param('id')) })));
  // The identifier typed in full stays in this process: the page gets it masked, with its private-check tag.
  api.post('/warnings/mask', zv('json', z.strictObject({ kind: z.enum(IDENTIFIER_KINDS), value: z.string().trim().min(1).max(200) })), (c) =>
    remoteErrors(c, async () => {
      const b = c.req.valid('json');
      return c.json(await maskAndTag(s, b.kind, b.value));
    }),
  );
  api.post('/warnings', zv('json', draftBody), (c) =>
    remoteErrors(c, async () => {
      const { fromCase, ...d } = c.req.valid('json');
      if (fromCase !== undefined) draftForCase(s, fromCase); // the consent is checked again, here
      // Empty fields are left out, never published as empty strings.
      const clean = Object.fromEntries(
        Object.entries(d).filter(([k, v]) => v !== undefined && v !== '' && !((k === 'identifiers' || k === 'checkTags') && (v as unknown[]).length === 0)),
      );
      const a = deps.alerts;
      const id = await publish(
        s,
        clean as never,
        a && { signed: (w, regions, supersedes) => a.intend(w, regions, supersedes), published: (w) => a.published(w), refused: (w) => a.abandoned(w) },
      );
      if (fromCase !== undefined) await s.setState(fromCase, 'warning-published');
      return c.json({ id }, 201);
    }),
  );
  api.post('/warnings/:id/withdraw', zv('json', z.strictObject({ reason: z.string().trim().max(WARNING_LIMITS.reason).optional() })), (c) =>
    remoteErrors(c, async () => {
      await withdraw(s, c.req.param('id'), c.req.valid('json').reason || undefined);
      deps.alerts?.outbox.cancelPending(c.req.param('id'));
      return c.json({ ok: true });
    }),
  );

  // ---- police intelligence export (issue 12): its own sub-app ----
  api.route('/export', exportApi(s, remoteErrors));
  // ---- statistics (issue 12): live counts for coordinators; the published summary is suppressed and signed here ----
  api.get('/stats', (c) => remoteErrors(c, async () => c.json(await statsView(s))));
  api.get('/stats.csv', zv('query', z.strictObject({ view: z.enum(['live', 'published']) })), (c) =>
    remoteErrors(c, async () => {
      const v = await statsView(s);
      const live = c.req.valid('query').view === 'live';
      const rows = live
        ? [
            { period: 'all', table: 'reports', key: 'total', value: v.live.reports },
            ...v.live.tables.flatMap((t) => t.rows.map((r) => ({ period: 'all', table: t.id, key: r.key, value: r.count }))),
          ]
        : (v.published?.periods ?? []).flatMap((p) => [
            { period: p.period, table: 'reports', key: 'total', value: p.reports },
            ...p.tables.flatMap((t) => (t.rows ?? [{ key: 'withheld', value: 'withheld' }]).map((r) => ({ period: p.period, table: t.id, key: r.key, value: r.value }))),
          ]);
      return c.body(toCsv(rows), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="tipline-statistics-${live ? 'live' : 'published'}.csv"`,
      });
    }),
  );
  api.post('/stats/publish', (c) => remoteErrors(c, async () => c.json(await publishStatistics(s), 201)));
  // ---- alerts (issue 11): delivery progress, retry of failures, resend of unknowns ----
  api.get('/alerts', (c) =>
    remoteErrors(c, async () => {
      const a = deps.alerts;
      if (!a) return c.json({ enabled: false, email: false, sms: false, warnings: [] });
      await a.refreshNames().catch(() => undefined);
      return c.json({ enabled: true, email: !!a.settings.email, sms: !!a.settings.sms, warnings: a.progress() });
    }),
  );
  api.post('/alerts/:warning/retry', zv('json', z.strictObject({})), (c) => {
    if (!deps.alerts) return c.json({ error: 'alerts are off' }, 409);
    const retried = deps.alerts.outbox.retryFailed(c.req.param('warning'));
    void deps.alerts.kick();
    return c.json({ retried });
  });
  api.post('/alerts/rows/:id/resend', zv('json', z.strictObject({})), (c) => {
    if (!deps.alerts) return c.json({ error: 'alerts are off' }, 409);
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || !deps.alerts.outbox.resendUnknown(id)) return c.json({ error: 'only an alert in state "unknown" can be resent' }, 409);
    void deps.alerts.kick();
    return c.json({ ok: true });
  });

  app.route('/api', api);

  // The built pages: index.html for any page path, hashed assets under /assets/.
  app.get('*', (c) => {
    const path = new URL(c.req.url).pathname;
    const file = path.startsWith('/assets/') ? normalize(join(deps.pagesDir, path)) : join(deps.pagesDir, 'index.html');
    if (!file.startsWith(deps.pagesDir + sep) || !existsSync(file)) return c.json({ error: 'not found' }, 404);
    return c.body(readFileSync(file), 200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  });

  return app;
}
