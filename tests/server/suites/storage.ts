/**
 * What deletes leave on disk: after a delete, nothing of the deleted rows may be readable
 * in any file of the data directory (SQLite's main file, -wal and -shm). On PostgreSQL the
 * data directory holds no database files (the cluster's own files have no secure delete,
 * see SECURITY.md), so the same search there only checks that nothing else leaked into it.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bytes, encrypt } from '../../../crypto/index.js';
import { scheduleFileTimes } from '../../../server/datadir.js';
import { sqlitePath } from '../../../server/db/index.js';
import { makeHarness, type Harness } from '../harness.js';
import type { GetFactory } from './common.js';

/** Every regular file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** 48 bytes from the middle of a ciphertext: random-looking, so found only where it was stored. */
const slice = (b: Uint8Array): Buffer => Buffer.from(b.subarray(Math.floor(b.length / 2), Math.floor(b.length / 2) + 48));

/** The files of the data directory that hold any of the needles, with which. */
function holding(dataDir: string, needles: Record<string, Buffer>): string[] {
  const found: string[] = [];
  for (const f of filesUnder(dataDir)) {
    const data = readFileSync(f);
    for (const [name, n] of Object.entries(needles)) if (data.includes(n)) found.push(`${name} in ${f.slice(dataDir.length + 1)}`);
  }
  return found;
}

async function reportWithEverything(h: Harness) {
  const m = h.mailbox();
  const report = await h.reportFile();
  const { id, uploadToken } = await h.submitReport({ file: report, mailbox: m });
  // Over one 512 KiB chunk and SQLite's page size: overflow pages too.
  const attachment = await h.toCoordinators(new Uint8Array(700_000).map((_, i) => (i * 13) & 0xff));
  const up = await h.request(`/api/attachments?report=${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'tipline-upload-token': uploadToken },
    body: attachment as BodyInit,
  });
  expect(up.status).toBe(201);
  const note = await h.toCoordinators('Called back.');
  expect((await h.coord('POST', `/api/coordinator/reports/${id}/notes`, { note: bytes.base64Padded(note) })).status).toBe(201);
  const reply = await encrypt([m.reply.recipient()], bytes.utf8('We read it.'));
  expect((await h.coord('POST', `/api/coordinator/reports/${id}/replies`, { message: bytes.base64Padded(reply) })).status).toBe(201);
  const followUp = await h.toCoordinators('He came back.');
  expect((await h.signed('mailbox', m.seed, 'POST', `/api/mailboxes/${m.id}`, { message: bytes.base64Padded(followUp) })).status).toBe(201);
  return { id, needles: { report: slice(report), attachment: slice(attachment), note: slice(note), reply: slice(reply), followUp: slice(followUp) } };
}

export function storageSuite(getFactory: GetFactory): void {
  const sqlite = getFactory().name === 'sqlite';

  describe('deleted data on disk', () => {
    it('a deleted report leaves no slice of its ciphertext, attachments, notes or messages in any file of the data directory', async () => {
      const h = await makeHarness(getFactory());
      try {
        const { id, needles } = await reportWithEverything(h);
        const keep = await reportWithEverything(h);
        // The search finds what is stored (on SQLite), so finding nothing later means something.
        if (sqlite) expect(holding(h.dataDir, needles).length).toBeGreaterThan(0);
        expect((await h.coord('DELETE', `/api/coordinator/reports/${id}`)).status).toBe(200);
        expect(holding(h.dataDir, needles)).toEqual([]);
        if (sqlite) expect(holding(h.dataDir, { report: keep.needles.report }).length).toBeGreaterThan(0);
      } finally {
        await h.close();
      }
    }, 120_000);

    it('a deleted note, a refused application and a withdrawn warning leave nothing readable either', async () => {
      const h = await makeHarness(getFactory());
      try {
        const { id } = await h.submitReport();
        const note = await h.toCoordinators('a note');
        const n = await h.coord('POST', `/api/coordinator/reports/${id}/notes`, { note: bytes.base64Padded(note) });
        const { id: noteId } = (await n.json()) as { id: string };
        const application = await h.toCoordinators('who I am');
        const a = await h.postJson(
          '/api/members/apply',
          { login: 'to-be-refused', passphrase: 'some passphrase', application: bytes.base64Padded(application) },
          { 'tipline-pow': await h.stamp() },
        );
        const { id: applicant } = (await a.json()) as { id: string };
        const envelope = h.validWarning({ advice: JSON.stringify({ text: 'a warning to withdraw' }) }).envelope;
        const w = await h.coord('POST', '/api/coordinator/warnings', envelope);
        const { id: warning } = (await w.json()) as { id: string };
        const needles = { note: slice(note), application: slice(application), warning: Buffer.from(envelope.signature) };
        if (sqlite) expect(new Set(holding(h.dataDir, needles).map((x) => x.split(' ')[0]))).toEqual(new Set(Object.keys(needles)));

        expect((await h.coord('DELETE', `/api/coordinator/reports/${id}/notes/${noteId}`)).status).toBe(200);
        expect((await h.coord('POST', `/api/coordinator/applications/${applicant}`, { decision: 'refuse' })).status).toBe(200);
        expect((await h.coord('POST', '/api/coordinator/warnings', h.withdrawal(warning).envelope)).status).toBe(200);
        expect(holding(h.dataDir, needles)).toEqual([]);
      } finally {
        await h.close();
      }
    }, 120_000);

    // SQLite only (its WAL): not registered at all under PostgreSQL, rather than shown as skipped.
    if (sqlite) it(
      'when another connection holds the WAL, the delete answers and the checkpoint is retried until it succeeds',
      async () => {
        const h = await makeHarness(getFactory());
        const reader = new BetterSqlite3(sqlitePath(h.dataDir));
        try {
          const { id, needles } = await reportWithEverything(h);
          // A read transaction pins a snapshot: a TRUNCATE checkpoint cannot finish.
          reader.prepare('BEGIN').run();
          reader.prepare('SELECT count(*) FROM reports').get();
          expect((await h.coord('DELETE', `/api/coordinator/reports/${id}`)).status).toBe(200);
          expect(holding(h.dataDir, needles).length).toBeGreaterThan(0);
          expect(statSync(`${sqlitePath(h.dataDir)}-wal`).size).toBeGreaterThan(0);
          reader.prepare('COMMIT').run();
          const until = Date.now() + 20_000;
          while (holding(h.dataDir, needles).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
          expect(holding(h.dataDir, needles)).toEqual([]);
          expect(statSync(`${sqlitePath(h.dataDir)}-wal`).size).toBe(0);
        } finally {
          reader.close();
          await h.close();
        }
      },
      120_000,
    );
  });

  describe('file times in the data directory', () => {
    it('say when the server last ticked, not when the last report arrived', async () => {
      const h = await makeHarness(getFactory());
      const stop = scheduleFileTimes(h.dataDir, 1);
      try {
        await h.submitReport();
        const before = Date.now();
        await h.submitReport({ mailbox: h.mailbox() });
        const after = Date.now();
        await new Promise((r) => setTimeout(r, 2500));
        const paths = [h.dataDir, ...filesUnder(h.dataDir)];
        if (sqlite) expect(paths.map((p) => p.slice(h.dataDir.length))).toContain('/tipline.sqlite-wal');
        for (const p of paths) {
          const st = lstatSync(p);
          for (const [name, t] of [['mtime', st.mtimeMs], ['ctime', st.ctimeMs], ['atime', st.atimeMs]] as const) {
            expect(t, `${name} of ${p.slice(h.dataDir.length) || '/'} lies in the report's window [${before}, ${after}]`).toBeGreaterThan(after + 1);
          }
        }
        // One tick set them all: they are equal, so none stands out.
        expect(new Set(paths.map((p) => lstatSync(p).mtimeMs)).size).toBe(1);
      } finally {
        stop();
        await h.close();
      }
    }, 60_000);
  });
}
