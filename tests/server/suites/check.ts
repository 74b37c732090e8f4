/**
 * The private check endpoints (server/routes/check.ts): blinded evaluation for members and
 * coordinators gives the tag the key defines, bad elements are refused without counting,
 * and the member's daily limit holds across two processes on one database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blindCheck,
  bytes,
  checkInput,
  checkKey,
  checkTag,
  deriveCheckKey,
  evaluateOprf,
  finalizeCheck,
  primitives,
  signRequest,
} from '../../../crypto/index.js';
import { subkey } from '../../../server/pow.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

const b64 = bytes.base64Padded;
const IDENTITY = b64(new Uint8Array(32));
const NON_CANONICAL = b64(bytes.fromHex('00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'));
const NEGATIVE = b64(bytes.fromHex('0100000000000000000000000000000000000000000000000000000000000000'));

export function checkSuite(getFactory: GetFactory): void {
  describe('private check', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await makeHarness(getFactory(), { config: { abuse: { checksPerDay: 3, coordinatorChecksPerDay: 5 } } });
    });
    afterEach(() => h.close());

    const check = (cookie: string, body: unknown, via: { request: Harness['request'] } = h) =>
      via.request('/api/check', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const serverKey = () => deriveCheckKey(subkey(h.serverKey, 'check'));

    it('a member and a coordinator get the tag the key defines, for equivalent spellings, without the server seeing the input', async () => {
      const m = await h.member();
      const input = checkInput(checkKey('phone', '07700 900123')!);
      const b = blindCheck(input);
      const r = await check(m.cookie, { blinded: b64(b.blinded) });
      expect(r.status).toBe(200);
      const { evaluated } = (await r.json()) as { evaluated: string };
      const memberTag = finalizeCheck(input, b.blind, bytes.fromBase64Padded(evaluated));
      expect(memberTag).toEqual(checkTag(evaluateOprf(serverKey(), input)));

      // The console, with "+44 7700 900123" typed, and another identifier in the same batch.
      const same = checkInput(checkKey('phone', '+44 7700 900123')!);
      const other = primitives().randomBytes(32);
      const b1 = blindCheck(same);
      const b2 = blindCheck(other);
      const c = await h.coord('POST', '/api/coordinator/check', { blinded: [b64(b1.blinded), b64(b2.blinded)] });
      expect(c.status).toBe(200);
      const ev = ((await c.json()) as { evaluated: string[] }).evaluated;
      expect(ev).toHaveLength(2);
      expect(finalizeCheck(same, b1.blind, bytes.fromBase64Padded(ev[0]!))).toEqual(memberTag);
      expect(finalizeCheck(other, b2.blind, bytes.fromBase64Padded(ev[1]!))).not.toEqual(memberTag);
      // A server with another check key gives another tag: the key, not the database, makes tags.
      expect(checkTag(evaluateOprf(deriveCheckKey(primitives().randomBytes(32)), input))).not.toEqual(memberTag);
    });

    it('bad elements and bodies get a clear 4xx, change nothing and use up none of the day', async () => {
      const m = await h.member();
      await unchanged(h, async () => {
        for (const blinded of [IDENTITY, NON_CANONICAL, NEGATIVE, '!'.repeat(44), b64(new Uint8Array(33)).slice(0, 44)]) {
          expect(await expectError(await check(m.cookie, { blinded }), 400), blinded).toMatch(/^invalid (element|body)$/);
        }
        expect(await expectError(await check(m.cookie, { blinded: 'AAAA' }), 400)).toBe('invalid body');
        expect(await expectError(await check(m.cookie, { blinded: b64(blindCheck(new Uint8Array(32)).blinded), extra: 1 }), 400)).toBe('invalid body');
        expect(await expectError(await check(m.cookie, []), 400)).toBe('invalid body');
        const plain = await h.request('/api/check', { method: 'POST', headers: { cookie: m.cookie, 'content-type': 'text/plain' }, body: '{}' });
        expect(await expectError(plain, 415)).toBe('unsupported content type');
        expect(await expectError(await check('', { blinded: b64(blindCheck(new Uint8Array(32)).blinded) }), 401)).toBe('login required');
      });
      // All three checks of the day are still there.
      for (let i = 0; i < 3; i++) expect((await check(m.cookie, { blinded: b64(blindCheck(primitives().randomBytes(32)).blinded) })).status).toBe(200);
    });

    it('the daily limit holds across two processes on one database, per member, and starts again the next day', async () => {
      const m = await h.member();
      const n = await h.member();
      const other = h.otherProcess();
      const fresh = () => ({ blinded: b64(blindCheck(primitives().randomBytes(32)).blinded) });
      expect((await check(m.cookie, fresh())).status).toBe(200);
      expect((await check(m.cookie, fresh(), other)).status).toBe(200);
      expect((await check(m.cookie, fresh())).status).toBe(200);
      for (const via of [h, other]) {
        const r = await check(m.cookie, fresh(), via);
        expect(await expectError(r, 429)).toBe('daily check limit reached (3 a day): try again tomorrow');
      }
      // Another member has their own count; the refused checks counted nothing.
      expect((await check(n.cookie, fresh(), other)).status).toBe(200);
      const rows = await h.db.selectFrom('abuse_counters').selectAll().where('name', 'like', 'check:%').execute();
      expect(rows.map((r) => Number(r.value)).sort()).toEqual([1, 3]);
      // The counter names do not hold the member id.
      for (const r of rows) expect(r.name).not.toContain(m.id);
      h.clock.advance(86_400);
      expect((await check(m.cookie, fresh(), other)).status).toBe(200);
      const after = await h.db.selectFrom('abuse_counters').selectAll().where('name', 'like', 'check:%').execute();
      expect(after.map((r) => Number(r.value))).toEqual([1]);
    });

    it('coordinator checks need the warnings role and a valid batch', async () => {
      const el = () => b64(blindCheck(primitives().randomBytes(32)).blinded);
      expect(await expectError(await h.coord('POST', '/api/coordinator/check', { blinded: [el()] }, h.coordinators.reader), 403)).toBe('role required');
      expect(await expectError(await h.coord('POST', '/api/coordinator/check', { blinded: [el(), IDENTITY] }), 400)).toBe('invalid element');
      expect(await expectError(await h.coord('POST', '/api/coordinator/check', { blinded: [] }), 400)).toBe('invalid body');
      expect(await expectError(await h.coord('POST', '/api/coordinator/check', { blinded: Array.from({ length: 51 }, el) }), 400)).toBe('invalid body');
      expect(await expectError(await h.signed('coordinator', h.outsider.seed, 'POST', '/api/coordinator/check', { blinded: [el()] }), 401)).toBe('unknown key');
      // A key's own daily limit, counted per element, across processes; refused batches count nothing.
      expect((await h.coord('POST', '/api/coordinator/check', { blinded: [el(), el(), el()] })).status).toBe(200);
      const other = h.otherProcess();
      const signedBy = (seed: Uint8Array, n: number) => {
        const body = bytes.utf8(JSON.stringify({ blinded: Array.from({ length: n }, el) }));
        const headers = signRequest('coordinator', { method: 'POST', path: '/api/coordinator/check', body, timestamp: Math.floor(h.clock.now().getTime() / 1000) }, seed);
        return other.request('/api/coordinator/check', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: body as BodyInit });
      };
      expect(await expectError(await signedBy(h.coordinators.all.seed, 3), 429)).toBe('daily check limit reached (5 a day): try again tomorrow');
      expect((await signedBy(h.coordinators.all.seed, 2)).status).toBe(200);
      expect(await expectError(await h.coord('POST', '/api/coordinator/check', { blinded: [el()] }), 429)).toMatch(/^daily check limit reached/);
    });
  });
}
