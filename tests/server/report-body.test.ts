/**
 * The hand-written check of the report submission body (server/schemas.ts reportBody, used
 * instead of zod on the hottest route) gives the same outcome as the zod schema it replaced:
 * the same accepted value, or the same answer (413 'too large' or 400 'invalid body').
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BodyError, TOO_LARGE, base64Bytes, mailboxId, publicKey32, reportBody } from '../../server/schemas.js';

const MAX = 48;
const zodSchema = z.strictObject({
  report: base64Bytes(MAX),
  mailbox: z.strictObject({ id: mailboxId, publicKey: publicKey32 }).optional(),
  website: z.string().max(1000).optional(),
});

type Outcome = { ok: unknown } | { error: 'too large' | 'invalid body' };

function viaZod(v: unknown): Outcome {
  const r = zodSchema.safeParse(v);
  if (r.success) return { ok: JSON.parse(JSON.stringify(r.data, (_k, x: { type?: unknown; data?: number[] }) => (x?.type === 'Buffer' ? Buffer.from(x.data!).toString('hex') : x))) };
  return { error: r.error.issues.some((i) => i.message === TOO_LARGE) ? 'too large' : 'invalid body' };
}

const check = reportBody(MAX);
function viaHand(v: unknown): Outcome {
  try {
    const r = check(v);
    return { ok: JSON.parse(JSON.stringify(r, (_k, x: { type?: unknown; data?: number[] }) => (x?.type === 'Buffer' ? Buffer.from(x.data!).toString('hex') : x))) };
  } catch (e) {
    if (!(e instanceof BodyError)) throw e;
    return { error: e.message === TOO_LARGE ? 'too large' : 'invalid body' };
  }
}

const b64 = (n: { min?: number; max: number }) => fc.uint8Array({ minLength: n.min ?? 0, maxLength: n.max }).map((b) => Buffer.from(b).toString('base64'));
const damaged = (s: fc.Arbitrary<string>) =>
  fc.tuple(s, fc.nat(), fc.constantFrom('-', '_', ' ', '=', 'A', '!', 'é', '')).map(([t, at, ch]) => (t.length ? t.slice(0, at % t.length) + ch + t.slice((at % t.length) + 1) : ch));
const anything = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}));
const report = fc.oneof(b64({ max: MAX + 12 }), damaged(b64({ max: MAX })), anything);
const mailbox = fc.oneof(
  fc.record({ id: fc.oneof(b64({ min: 32, max: 32 }).map((s) => Buffer.from(s, 'base64').toString('base64url')), fc.string({ maxLength: 44 })), publicKey: fc.oneof(b64({ min: 31, max: 33 }), damaged(b64({ min: 32, max: 32 }))) }),
  fc.record({ id: fc.string({ minLength: 43, maxLength: 43 }), publicKey: b64({ min: 32, max: 32 }), extra: anything }, { requiredKeys: ['id'] }),
  anything,
);
const website = fc.oneof(fc.string({ maxLength: 4 }), fc.constant('x'.repeat(1000)), fc.constant('x'.repeat(1001)), anything);
const body = fc.oneof(
  fc.record({ report, mailbox, website, other: anything }, { requiredKeys: [] }),
  fc.record({ report, mailbox }, { requiredKeys: ['report'] }),
  anything,
);

describe('reportBody', () => {
  it('agrees with the zod schema it replaced on valid, damaged and foreign bodies', () => {
    fc.assert(
      fc.property(body, (v) => {
        expect(viaHand(v)).toEqual(viaZod(v));
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts a submission and answers too large for an oversized report whatever else is wrong', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const id = Buffer.alloc(32, 1).toString('base64url');
    const ok = check({ report: Buffer.alloc(MAX, 9).toString('base64'), mailbox: { id, publicKey: key } });
    expect(ok.report).toEqual(Buffer.alloc(MAX, 9));
    expect(ok.mailbox).toEqual({ id, publicKey: Buffer.alloc(32, 7) });
    const big = Buffer.alloc(MAX + 1).toString('base64');
    expect(viaHand({ report: big, extra: 1, mailbox: null })).toEqual({ error: 'too large' });
    expect(check({ report: Buffer.alloc(MAX).toString('base64') }).report).toEqual(Buffer.alloc(MAX));
    expect(viaHand({ report: 'QUFB', __proto__: null })).toEqual(viaZod({ report: 'QUFB', __proto__: null }));
    expect(viaHand(JSON.parse('{"report":"QUFB","__proto__":{}}'))).toEqual({ error: 'invalid body' });
  });
});
