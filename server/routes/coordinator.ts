/**
 * Coordinator routes. Every request is signed with scope 'coordinator' by a keyring
 * signing key holding the route's role, inside the time window, and accepted once.
 *
 * Lists (reports, warnings, applications, members) come in pages: `?limit=` (1 to
 * {@link PAGE_MAX}, default {@link PAGE_DEFAULT}) and `?after=<next of the previous page>`;
 * every list answer carries `next`, null on the last page.
 *
 * reports:  GET reports[?state=], GET reports/:id, PUT reports/:id/state, DELETE reports/:id,
 *           POST reports/:id/notes, DELETE reports/:id/notes/:noteId, POST reports/:id/replies,
 *           GET attachments/:id
 * warnings: GET warnings, POST warnings (a warning, a correction or a withdrawal, each signed),
 *           POST statistics (a signed statistics summary)
 * members:  GET applications, POST applications/:id, GET members, POST members/:id/revoke
 */
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { DocumentError, parseEnvelope, verifyWarningDocument, bytes, type Role } from '../../crypto/index.js';
import { requireCoordinator } from '../auth.js';
import { compressPublicJson } from '../compress.js';
import { checkAgeFile, type ServerContext } from '../context.js';
import {
  addMessage,
  addNote,
  deleteNote,
  deleteReport,
  deleteSessionsOf,
  getAttachment,
  getMember,
  getReport,
  listAttachments,
  listMembers,
  listMessages,
  listNotes,
  listReports,
  publishWarning,
  readChunk,
  refuseMember,
  setMemberState,
  setReportState,
  liveWarnings,
  withdrawWarning,
} from '../db/queries.js';
import { REPORT_STATES } from '../db/schema.js';
import { scrub } from '../db/scrub.js';
import { ApiError, parseJsonBytes, zv, type AppEnv } from '../http.js';
import { base64Bytes, id } from '../schemas.js';
import { randomId, sha256 } from '../util.js';

/** The id of a warning: base64url of SHA-256(payload bytes)[0..16]. */
export function warningId(payload: Uint8Array): string {
  return sha256(payload).subarray(0, 16).toString('base64url');
}

export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 500;

const limitQuery = z
  .string()
  .regex(/^[1-9][0-9]{0,3}$/)
  .transform(Number)
  .pipe(z.number().max(PAGE_MAX))
  .optional();
/** A cursor into a list ordered by (day, id): `<YYYY-MM-DD>.<id>`. */
const dayIdCursor = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}\.[A-Za-z0-9_-]{22}$/)
  .transform((s) => ({ day: s.slice(0, 10), id: s.slice(11) }))
  .optional();
const dayIdPageQuery = { limit: limitQuery, after: dayIdCursor };
const dayIdNext = <T>(rows: T[], more: boolean, key: (r: T) => { day: string; id: string }): string | null => {
  const last = rows[rows.length - 1];
  if (!more || !last) return null;
  const k = key(last);
  return `${k.day}.${k.id}`;
};

/** Parse the signed body as JSON against a schema. @throws ApiError(415 | 400 | 413) */
function body<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.output<S> {
  return parseJsonBytes(c, c.get('signedBody'), schema);
}

/** A path parameter that must be a server id; anything else is simply not found. */
function param(c: Context<AppEnv>, name: string): string {
  const r = id.safeParse(c.req.param(name));
  if (!r.success) throw new ApiError(404, 'not found');
  return r.data;
}

export function coordinatorRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();
  const as = (role: Role) => requireCoordinator(ctx, role);
  const L = ctx.config.limits;

  // ---- reports ----
  app.get('/reports', as('reports'), zv('query', z.strictObject({ state: z.enum(REPORT_STATES).optional(), ...dayIdPageQuery })), async (c) => {
    const q = c.req.valid('query');
    const { rows, more } = await listReports(ctx.db, { state: q.state, after: q.after, limit: q.limit ?? PAGE_DEFAULT });
    return c.json({ reports: rows, next: dayIdNext(rows, more, (r) => r) });
  });

  app.get('/reports/:id', as('reports'), async (c) => {
    const r = await getReport(ctx.db, param(c, 'id'));
    if (!r) throw new ApiError(404, 'not found');
    const [attachments, notes, messages] = await Promise.all([
      listAttachments(ctx.db, r.id),
      listNotes(ctx.db, r.id),
      r.mailbox_id ? listMessages(ctx.db, r.mailbox_id) : Promise.resolve([]),
    ]);
    return c.json({
      id: r.id,
      day: r.received_day,
      state: r.state,
      origin: r.origin,
      expires: r.expires_day,
      report: bytes.base64Padded(r.ciphertext),
      attachments,
      notes: notes.map((n) => ({ id: n.id, day: n.day, body: bytes.base64Padded(n.body) })),
      hasMailbox: r.mailbox_id !== null,
      messages: messages.map((m) => ({ id: m.id, from: m.sender, day: m.day, body: bytes.base64Padded(m.body) })),
    });
  });

  app.put('/reports/:id/state', as('reports'), async (c) => {
    const reportId = param(c, 'id');
    const b = body(c, z.strictObject({ state: z.enum(REPORT_STATES) }));
    if (!(await setReportState(ctx.db, reportId, b.state))) throw new ApiError(404, 'not found');
    return c.json({ ok: true });
  });

  app.delete('/reports/:id', as('reports'), async (c) => {
    if (!(await deleteReport(ctx.db, param(c, 'id')))) throw new ApiError(404, 'not found');
    await scrub(ctx.db, ctx.dbKind);
    return c.json({ ok: true });
  });

  app.post('/reports/:id/notes', as('reports'), async (c) => {
    const reportId = param(c, 'id');
    const b = body(c, z.strictObject({ note: base64Bytes(L.caseNoteBytes) }));
    await ctx.checkToCoordinators(b.note, L.caseNoteBytes);
    if (!(await getReport(ctx.db, reportId))) throw new ApiError(404, 'not found');
    const noteId = randomId();
    await addNote(ctx.db, noteId, reportId, Buffer.from(b.note), ctx.today());
    return c.json({ id: noteId }, 201);
  });

  app.delete('/reports/:id/notes/:noteId', as('reports'), async (c) => {
    if (!(await deleteNote(ctx.db, param(c, 'id'), param(c, 'noteId')))) throw new ApiError(404, 'not found');
    await scrub(ctx.db, ctx.dbKind);
    return c.json({ ok: true });
  });

  // A reply goes to the reporter's reply recipient only: exactly one hybrid stanza.
  app.post('/reports/:id/replies', as('reports'), async (c) => {
    const reportId = param(c, 'id');
    const b = body(c, z.strictObject({ message: base64Bytes(L.messageBytes) }));
    checkAgeFile(b.message, L.messageBytes, 1);
    const r = await getReport(ctx.db, reportId);
    if (!r) throw new ApiError(404, 'not found');
    if (!r.mailbox_id) throw new ApiError(409, 'report has no mailbox');
    const messageId = randomId();
    const ok = await addMessage(
      ctx.db,
      { id: messageId, mailboxId: r.mailbox_id, sender: 'coordinator', day: ctx.today(), body: Buffer.from(b.message) },
      L.messagesPerMailbox,
    );
    if (!ok) throw new ApiError(409, 'mailbox full');
    return c.json({ id: messageId }, 201);
  });

  app.get('/attachments/:id', as('reports'), async (c) => {
    const a = await getAttachment(ctx.db, param(c, 'id'));
    if (!a) throw new ApiError(404, 'not found');
    c.header('Content-Type', 'application/octet-stream');
    c.header('Content-Length', String(a.size));
    return stream(c, async (s) => {
      for (let seq = 0; ; seq++) {
        const chunk = await readChunk(ctx.db, a.id, seq);
        if (!chunk) break;
        await s.write(chunk);
      }
    });
  });

  // ---- warnings ----
  const warningsQuery = z.strictObject({
    limit: limitQuery,
    after: z.string().regex(/^(0|[1-9][0-9]{0,14})$/).transform(Number).optional(),
  });
  app.get('/warnings', as('warnings'), compressPublicJson(), zv('query', warningsQuery), async (c) => {
    const q = c.req.valid('query');
    const { rows, more } = await liveWarnings(ctx.db, q.after ?? 0, q.limit ?? PAGE_DEFAULT);
    return c.json({
      warnings: rows.map((r) => ({ id: r.id, day: r.day, envelope: JSON.parse(r.envelope) as unknown })),
      next: more && rows.length > 0 ? String(rows[rows.length - 1]!.seq) : null,
    });
  });

  // A warning or correction is stored as is; a correction tombstones the warning it
  // supersedes, and a withdrawal tombstones its warning, each keeping the signed document as
  // the tombstone's proof (members verify why a warning went away).
  app.post('/warnings', as('warnings'), async (c) => {
    const raw = body(c, z.record(z.string(), z.unknown()));
    const { keyring } = await ctx.keyring();
    let text: string;
    let doc;
    try {
      const env = parseEnvelope(raw);
      text = JSON.stringify(env);
      if (text.length > 4 * Math.ceil(L.warningBytes / 3) + 512) throw new ApiError(413, 'too large');
      doc = verifyWarningDocument(env, keyring);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof DocumentError && (e.message === 'untrusted signer' || e.message === 'invalid signature')) {
        throw new ApiError(400, e.message);
      }
      throw new ApiError(400, 'invalid warning');
    }
    if (doc.kind === 'withdrawal') {
      if (!(await withdrawWarning(ctx.db, doc.withdrawal.withdraws, ctx.today(), text))) throw new ApiError(404, 'not found');
      await scrub(ctx.db, ctx.dbKind);
      return c.json({ withdrawn: doc.withdrawal.withdraws }, 200);
    }
    // A region the organisation does not have would reach no member's filter: a slip, refused.
    const regions = await ctx.profileRegions();
    if (regions && doc.warning.regions.some((r) => !regions.has(r))) throw new ApiError(400, 'unknown region');
    const r = await publishWarning(ctx.db, doc.id, text, ctx.today(), doc.warning.supersedes);
    if (r === 'exists') throw new ApiError(409, 'warning exists');
    if (r === 'not found') throw new ApiError(404, 'superseded warning not found');
    return c.json({ id: doc.id }, 201);
  });

  // ---- statistics (issue 12): a signed summary of suppressed aggregates, audited again here ----
  app.post('/statistics', as('warnings'), async (c) => {
    const s = await ctx.replaceStatistics(body(c, z.record(z.string(), z.unknown())));
    return c.json({ version: s.version }, 201);
  });

  // ---- members ----
  app.get('/applications', as('members'), zv('query', z.strictObject(dayIdPageQuery)), async (c) => {
    const q = c.req.valid('query');
    const { rows, more } = await listMembers(ctx.db, { state: 'pending', after: q.after, limit: q.limit ?? PAGE_DEFAULT });
    return c.json({
      applications: rows.map((m) => ({
        id: m.id,
        login: m.login,
        day: m.applied_day,
        application: m.application ? bytes.base64Padded(m.application) : null,
      })),
      next: dayIdNext(rows, more, (m) => ({ day: m.applied_day, id: m.id })),
    });
  });

  // Refusing deletes the application's ciphertext at once; the row stays, state 'refused',
  // so the applicant is told plainly, until retention deletes it with undecided applications.
  app.post('/applications/:id', as('members'), async (c) => {
    const memberId = param(c, 'id');
    const b = body(c, z.strictObject({ decision: z.enum(['approve', 'refuse']) }));
    const m = await getMember(ctx.db, memberId);
    if (!m || m.state !== 'pending') throw new ApiError(404, 'not found');
    if (b.decision === 'approve') {
      if (!(await setMemberState(ctx.db, memberId, ['pending'], 'approved', ctx.today()))) throw new ApiError(404, 'not found');
    } else if (!(await refuseMember(ctx.db, memberId, ctx.today()))) {
      throw new ApiError(404, 'not found');
    }
    await scrub(ctx.db, ctx.dbKind);
    return c.json({ ok: true });
  });

  app.get('/members', as('members'), zv('query', z.strictObject(dayIdPageQuery)), async (c) => {
    const q = c.req.valid('query');
    const { rows, more } = await listMembers(ctx.db, { notState: 'pending', after: q.after, limit: q.limit ?? PAGE_DEFAULT });
    return c.json({
      members: rows
        // Refused applicants keep a row (so they can be told) until retention; they are not members.
        .filter((m) => m.state !== 'refused')
        .map((m) => ({
        id: m.id,
        login: m.login,
        state: m.state,
        day: m.applied_day,
        application: m.application ? bytes.base64Padded(m.application) : null,
      })),
      next: dayIdNext(rows, more, (m) => ({ day: m.applied_day, id: m.id })),
    });
  });

  app.post('/members/:id/revoke', as('members'), async (c) => {
    const memberId = param(c, 'id');
    const ok = await ctx.db.transaction().execute(async (trx) => {
      if (!(await setMemberState(trx, memberId, ['approved'], 'revoked', ctx.today()))) return false;
      await deleteSessionsOf(trx, memberId);
      return true;
    });
    if (!ok) throw new ApiError(404, 'not found');
    await scrub(ctx.db, ctx.dbKind);
    return c.json({ ok: true });
  });

  return app;
}
