/**
 * crypto/schema.ts against zod/mini (which it replaces in crypto/ to keep the reporter's page
 * within its budget): the same schema built with each must accept the same values, parse them
 * to the same object (same keys, same order) and refuse the rest with the same issues (code,
 * path, message) in the same order, since keyring, profile and warning errors quote the first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as zm from 'zod/mini';
import * as ours from '../../crypto/schema.js';
import { englishIssues } from '../../crypto/schema.js';

zm.config({ jitless: true });

// Both modules offer these functions with the same meaning; the builder below uses only them.
type Z = typeof ours;

const ROLES = ['reports', 'warnings', 'members'] as const;

function build(z: Z) {
  const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(/^[^\p{Cc}]*$/u));
  const member = z.strictObject({
    id: z.string().check(z.regex(/^[a-z][a-z0-9]{0,5}$/, 'id must be a-z 0-9')),
    name: z.string().check(z.minLength(1), z.maxLength(4), z.refine((s) => s === s.trim(), 'white space')),
    roles: z.array(z.enum(ROLES)).check(z.minLength(1, 'a role is needed'), z.refine((r) => new Set(r).size === r.length, 'duplicate role')),
    note: z.optional(text(3)),
    on: z.optional(z.boolean()),
  });
  return z
    .strictObject({
      v: z.literal(1),
      version: z.number().check(z.int(), z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
      date: z.optional(z.iso.date()),
      kind: z.optional(z.enum(['a', 'b'])),
      pair: z.optional(
        z.strictObject({ x: z.boolean(), y: z.boolean() }).check(z.refine((o) => !o.x || o.y, { message: 'x needs y', path: ['y'] })),
      ),
      members: z.array(member).check(z.minLength(1), z.maxLength(3)),
      tags: z.optional(z.array(text(2)).check(z.maxLength(2))),
    })
    .check(
      z.superRefine((k, ctx) => {
        const ids = new Set<string>();
        k.members.forEach((m, i) => {
          if (ids.has(m.id)) ctx.addIssue({ code: 'custom', path: ['members', i, 'id'], message: 'duplicate id' });
          ids.add(m.id);
        });
        if (k.version > 5) ctx.addIssue({ code: 'custom', message: 'version too new' });
      }),
    );
}

const mine = build(ours);
const theirs = build(zm as unknown as Z) as unknown as zm.ZodMiniType;

function compare(value: unknown): void {
  const a = mine.safeParse(value, { error: englishIssues });
  const b = theirs.safeParse(value, { error: englishIssues as never });
  expect(a.success).toBe(b.success);
  if (a.success && b.success) {
    expect(JSON.stringify(a.data)).toBe(JSON.stringify(b.data));
    expect(a.data).toStrictEqual(b.data);
  } else if (!a.success && !b.success) {
    const shape = (i: { code: string; path: PropertyKey[]; message: string }) => ({ code: i.code, path: i.path, message: i.message });
    expect(a.error.issues.map(shape)).toEqual(b.error.issues.map(shape));
  }
}

const good = {
  v: 1,
  version: 3,
  date: '2024-02-29',
  kind: 'a',
  pair: { x: true, y: true },
  members: [{ id: 'ann', name: 'Ann', roles: ['reports'], note: 'hi', on: true }],
  tags: ['x'],
};

/** A value that is either valid or off by a little (a field swapped for anything, removed, or an extra key). */
const near = <T>(valid: fc.Arbitrary<T>, odd: fc.Arbitrary<unknown> = fc.anything()): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: odd }, { weight: 1, arbitrary: fc.constant(undefined) });

const str = fc.oneof(fc.constantFrom('', ' a', 'ab', 'abcd', 'a\u0000', '\u{1F600}\u{1F600}\u{1F600}', '\u{1F600}\u{1F600}', '\ud800', 'ann'), fc.string({ maxLength: 6 }));
const obj = (entries: Record<string, fc.Arbitrary<unknown>>) =>
  fc.tuple(fc.record(entries, { requiredKeys: [] }), fc.option(fc.dictionary(fc.constantFrom('extra', 'zz', '__proto__', 'id'), fc.anything(), { maxKeys: 2 }))).map(([r, extra]) => {
    const o: Record<string, unknown> = { ...r };
    if (extra) for (const [k, v] of Object.entries(extra)) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  });
const memberArb = near(
  obj({
    id: near(fc.oneof(fc.constantFrom('ann', 'bob', 'Ann', '1x'), str)),
    name: near(str),
    roles: near(fc.array(near(fc.constantFrom(...ROLES, 'admin')), { maxLength: 3 })),
    note: near(str),
    on: near(fc.boolean()),
  }),
);
const docArb = near(
  obj({
    v: near(fc.constantFrom(1, 2, '1')),
    version: near(fc.oneof(fc.constantFrom(1, 0, 3, 6, 1.5, -1, NaN, Infinity, 2 ** 53, Number.MAX_SAFE_INTEGER), fc.integer())),
    date: near(fc.constantFrom('2024-02-29', '2023-02-29', '2024-13-01', '24-01-01', '2024-04-31')),
    kind: near(fc.constantFrom('a', 'b', 'c')),
    pair: near(obj({ x: near(fc.boolean()), y: near(fc.boolean()) })),
    members: near(fc.array(memberArb, { maxLength: 4 })),
    tags: near(fc.array(near(str), { maxLength: 3 })),
  }),
);

describe('crypto/schema.ts behaves as zod/mini', () => {
  it('measures strings in code points: pairs, lone and reversed surrogates (property)', () => {
    // Each end of both surrogate ranges, and the characters just outside them.
    const units = fc.constantFrom('a', '\u{1F600}', '\ud7ff', '\ud800', '\udbff', '\udc00', '\udfff', '\ue000');
    fc.assert(
      fc.property(fc.array(units, { maxLength: 8 }).map((u) => u.join('')), fc.nat(9), (s, k) => {
        for (const check of ['minLength', 'maxLength'] as const) {
          const a = ours.string().check(ours[check](k)).safeParse(s).success;
          const b = zm.string().check(zm[check](k)).safeParse(s).success;
          expect(a, `${check}(${k}) ${JSON.stringify(s)}`).toBe(b);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts a valid document and parses it to the same object', () => {
    compare(good);
    expect(mine.safeParse(good).success).toBe(true);
  });

  it('refuses with the same issues, paths and messages in the same order', () => {
    for (const v of [
      null,
      [],
      'x',
      {},
      { ...good, v: 2 },
      { ...good, version: 1.5 },
      { ...good, version: 9 },
      { ...good, version: 2 ** 53 },
      { ...good, date: '2023-02-29' },
      { ...good, pair: { x: true, y: false } },
      { ...good, pair: { x: true, y: false, z: 1 } },
      { ...good, members: [] },
      { ...good, members: [good.members[0], good.members[0]] },
      { ...good, members: [{ ...good.members[0], name: ' \u{1F600}\u{1F600}\u{1F600}\u{1F600}\u{1F600}', roles: ['reports', 'reports'] }] },
      { ...good, members: [{ ...good.members[0], roles: [] }], extra: 1, more: 2 },
      { ...good, tags: ['abc', '', 'a', 'b'] },
    ]) {
      compare(v);
    }
    expect(mine.safeParse({ ...good, members: [] }).success).toBe(false);
  });

  it('agrees with zod/mini on any near-valid or random value (property)', () => {
    fc.assert(fc.property(docArb, (v) => compare(v)), { numRuns: 3000 });
  });
});
