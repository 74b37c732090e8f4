import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, decrypt, encrypt } from '../../../crypto/index.js';
import { CHUNK_BYTES } from '../../../server/routes/attachments.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

/** A body as a stream of `pieces` chunks, sent without Content-Length (chunked). */
function streamed(data: Uint8Array, pieces = 7): ReadableStream<Uint8Array> {
  const size = Math.ceil(data.length / pieces);
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i >= data.length) return c.close();
      c.enqueue(data.slice(i, i + size));
      i += size;
    },
  });
}

export function attachmentsSuite(getFactory: GetFactory): void {
  describe('attachments', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory(), { config: { limits: { attachmentBytes: 2 * 1024 * 1024, attachmentsPerReport: 3 } } });
    });
    afterAll(() => h.close());

    const upload = (report: string, token: string | undefined, body: BodyInit, headers: Record<string, string> = {}) =>
      h.request(`/api/attachments?report=${report}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', ...(token ? { 'tipline-upload-token': token } : {}), ...headers },
        body,
        duplex: 'half',
      } as RequestInit);

    it('streams an encrypted attachment into bounded chunks and gives coordinators the same bytes back', async () => {
      const { id: report, uploadToken } = await h.submitReport();
      const plaintext = new Uint8Array(1_300_000).map((_, i) => (i * 7) & 0xff);
      const file = await h.toCoordinators(plaintext);
      const r = await upload(report, uploadToken, streamed(file));
      expect(r.status).toBe(201);
      const { id } = (await r.json()) as { id: string };
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const chunks = await h.db.selectFrom('attachment_chunks').select(['seq', 'data']).where('attachment_id', '=', id).orderBy('seq').execute();
      expect(chunks.length).toBe(Math.ceil(file.length / CHUNK_BYTES));
      for (const c of chunks.slice(0, -1)) expect(c.data.length).toBe(CHUNK_BYTES);

      const list = (await (await h.coord('GET', `/api/coordinator/reports/${report}`)).json()) as { attachments: { id: string; size: number }[] };
      expect(list.attachments).toEqual([{ id, size: file.length, day: expect.any(String) }]);
      const got = await h.coord('GET', `/api/coordinator/attachments/${id}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      const back = new Uint8Array(await got.arrayBuffer());
      expect(bytes.equalBytes(back, file)).toBe(true);
      expect(bytes.equalBytes(await decrypt([h.coordinators.reader.identity], back), plaintext)).toBe(true);
    });

    it('accepts an upload with Content-Length too', async () => {
      const { id, uploadToken } = await h.submitReport();
      const r = await upload(id, uploadToken, (await h.toCoordinators('small photo')) as BodyInit);
      expect(r.status).toBe(201);
    });

    it('refuses bad tokens, unknown reports and wrong content types alike, storing nothing', async () => {
      const { id, uploadToken } = await h.submitReport();
      const file = (await h.toCoordinators('x')) as BodyInit;
      await unchanged(h, async () => {
        expect(await expectError(await upload(id, undefined, file), 403)).toBe('invalid upload token');
        expect(await expectError(await upload(id, 'A'.repeat(43), file), 403)).toBe('invalid upload token');
        expect(await expectError(await upload('A'.repeat(22), uploadToken, file), 403)).toBe('invalid upload token');
        expect(await expectError(await upload('bad', uploadToken, file), 400)).toBe('invalid query');
        expect(await expectError(await upload(id, uploadToken, file, { 'content-type': 'image/jpeg' }), 415)).toBe('unsupported content type');
        expect(await expectError(await upload(id, uploadToken, file, { 'content-type': 'application/json' }), 415)).toBe('unsupported content type');
      });
    });

    it('refuses files that are not age to the coordinators, and oversized ones however sent, storing nothing', async () => {
      const { id, uploadToken } = await h.submitReport();
      const other = HybridIdentity.generate().recipient();
      const tooBig = await h.toCoordinators(new Uint8Array(2 * 1024 * 1024));
      await unchanged(h, async () => {
        expect(await expectError(await upload(id, uploadToken, bytes.utf8('JPEG...') as BodyInit), 400)).toBe('not an age file');
        expect(await expectError(await upload(id, uploadToken, (await encrypt([other], bytes.utf8('x'))) as BodyInit), 400)).toBe('wrong recipients');
        expect(await expectError(await upload(id, uploadToken, tooBig as BodyInit), 413)).toBe('too large');
        expect(await expectError(await upload(id, uploadToken, streamed(tooBig, 40)), 413)).toBe('too large');
        // Wrong recipients detected in the first chunk of a streamed upload.
        expect(await expectError(await upload(id, uploadToken, streamed(await encrypt([other], new Uint8Array(900_000)))), 400)).toBe('wrong recipients');
      });
    });

    it('limits the number of attachments per report', async () => {
      const { id, uploadToken } = await h.submitReport();
      for (let i = 0; i < 3; i++) expect((await upload(id, uploadToken, (await h.toCoordinators(`p${i}`)) as BodyInit)).status).toBe(201);
      await unchanged(h, async () => {
        expect(await expectError(await upload(id, uploadToken, (await h.toCoordinators('one more')) as BodyInit), 409)).toBe('too many attachments');
      });
    });

    it('closes uploads after the day following the report', async () => {
      const { id, uploadToken } = await h.submitReport();
      h.clock.advance(2 * 86_400);
      try {
        await unchanged(h, async () => {
          expect(await expectError(await upload(id, uploadToken, (await h.toCoordinators('late')) as BodyInit), 403)).toBe('invalid upload token');
        });
      } finally {
        h.clock.advance(-2 * 86_400);
      }
    });
  });
}
