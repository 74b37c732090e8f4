/**
 * crypto/schema.ts, one rule at a time: what schema.test.ts's property test reaches only by
 * chance (and slowly), each case found by a mutant that survived (npm run mutate,
 * tests/mutation/SURVIVORS.md). Every case is run through zod/mini as well, the reference the
 * module follows, and then pinned to exact issues: code, path and English message.
 */
import { describe, expect, it } from 'vitest';
import * as zm from 'zod/mini';
import * as ours from '../../crypto/schema.js';
import { englishIssues, type Issue, type Schema } from '../../crypto/schema.js';

zm.config({ jitless: true });

type Z = typeof ours;
type Build = (z: Z) => Schema<unknown>;
type Expected = [code: Issue['code'], path: PropertyKey[], message: string][];

const shape = (i: { code: string; path: PropertyKey[]; message: string }) => [i.code, i.path, i.message];

/** Parse with this module and with zod/mini (English messages on both), and check they agree. */
function run(build: Build, value: unknown) {
  const a = build(ours).safeParse(value, { error: englishIssues });
  const b = (build(zm as unknown as Z) as unknown as zm.ZodMiniType).safeParse(value, { error: englishIssues as never });
  expect(a.success, 'same verdict as zod/mini').toBe(b.success);
  if (!a.success && !b.success) expect(a.error.issues.map(shape), 'same issues as zod/mini').toEqual(b.error.issues.map(shape));
  if (a.success && b.success) expect(a.data, 'same data as zod/mini').toStrictEqual(b.data);
  return a;
}

/** The issues both give, which must be exactly `expected`. */
function refuses(build: Build, value: unknown, expected: Expected): void {
  const r = run(build, value);
  expect(r.success).toBe(false);
  if (!r.success) expect(r.error.issues.map(shape)).toEqual(expected);
}

/** The parsed value both give. */
function accepts(build: Build, value: unknown): unknown {
  const r = run(build, value);
  if (!r.success) expect.fail(`refused: ${JSON.stringify(r.error.issues)}`);
  return r.data;
}

class Widget {}

describe('types', () => {
  it('a string, a boolean and a finite number, named as zod names what was received', () => {
    expect(accepts((z) => z.string(), 'x')).toBe('x');
    expect(accepts((z) => z.string(), '')).toBe('');
    expect(accepts((z) => z.boolean(), false)).toBe(false);
    expect(accepts((z) => z.number(), -1.5)).toBe(-1.5);
    const cases: [Build, unknown, string][] = [
      [(z) => z.string(), 5, 'expected string, received number'],
      [(z) => z.string(), undefined, 'expected string, received undefined'],
      [(z) => z.string(), null, 'expected string, received null'],
      [(z) => z.string(), [], 'expected string, received array'],
      [(z) => z.string(), {}, 'expected string, received object'],
      [(z) => z.string(), Object.create(null), 'expected string, received object'],
      [(z) => z.string(), Object.create({ constructor: 0 }), 'expected string, received object'],
      [(z) => z.string(), new Date(0), 'expected string, received Date'],
      [(z) => z.string(), new Map(), 'expected string, received Map'],
      [(z) => z.string(), new Widget(), 'expected string, received Widget'],
      [(z) => z.string(), 10n, 'expected string, received bigint'],
      [(z) => z.string(), true, 'expected string, received boolean'],
      [(z) => z.boolean(), 'true', 'expected boolean, received string'],
      [(z) => z.boolean(), 0, 'expected boolean, received number'],
      [(z) => z.number(), '1', 'expected number, received string'],
      [(z) => z.number(), NaN, 'expected number, received NaN'],
      [(z) => z.number(), Infinity, 'expected number, received Infinity'],
      [(z) => z.number(), -Infinity, 'expected number, received -Infinity'],
    ];
    for (const [build, value, message] of cases) refuses(build, value, [['invalid_type', [], `Invalid input: ${message}`]]);
  });

  it('an enum and a literal name the values they wanted', () => {
    expect(accepts((z) => z.enum(['a', 'b']), 'b')).toBe('b');
    refuses((z) => z.enum(['a', 'b']), 'c', [['invalid_value', [], 'Invalid option: expected one of "a"|"b"']]);
    refuses((z) => z.enum(['a']), 'b', [['invalid_value', [], 'Invalid input: expected "a"']]);
    expect(accepts((z) => z.literal(1), 1)).toBe(1);
    refuses((z) => z.literal(1), 2, [['invalid_value', [], 'Invalid input: expected 1']]);
    refuses((z) => z.literal(1), '1', [['invalid_value', [], 'Invalid input: expected 1']]);
    refuses((z) => z.literal('x'), 'y', [['invalid_value', [], 'Invalid input: expected "x"']]);
    refuses((z) => z.literal(true), 1, [['invalid_value', [], 'Invalid input: expected true']]);
  });

  it('optional lets undefined through and checks anything else', () => {
    expect(accepts((z) => z.optional(z.string()), undefined)).toBe(undefined);
    expect(accepts((z) => z.optional(z.string()), 'a')).toBe('a');
    refuses((z) => z.optional(z.string()), 5, [['invalid_type', [], 'Invalid input: expected string, received number']]);
    refuses((z) => z.optional(z.string()), null, [['invalid_type', [], 'Invalid input: expected string, received null']]);
  });
});

describe('arrays', () => {
  it('refuses a non-array, names each bad item by index, and parses the items', () => {
    refuses((z) => z.array(z.string()), 'ab', [['invalid_type', [], 'Invalid input: expected array, received string']]);
    refuses((z) => z.array(z.string()), { length: 1, 0: 'a' }, [['invalid_type', [], 'Invalid input: expected array, received object']]);
    refuses((z) => z.array(z.string()), ['a', 5, 'b', true], [
      ['invalid_type', [1], 'Invalid input: expected string, received number'],
      ['invalid_type', [3], 'Invalid input: expected string, received boolean'],
    ]);
    refuses((z) => z.array(z.array(z.string())), [['a'], ['b', 1]], [['invalid_type', [1, 1], 'Invalid input: expected string, received number']]);
    const input = ['a', 'b'];
    const out = accepts((z) => z.array(z.string()), input);
    expect(out).toEqual(['a', 'b']);
    expect(out).not.toBe(input);
    const objects = accepts((z) => z.array(z.strictObject({ a: z.number(), b: z.number() })), [{ b: 1, a: 2 }]);
    expect(JSON.stringify(objects)).toBe('[{"a":2,"b":1}]');
  });

  it('counts items, exactly at the bounds', () => {
    const two = (z: Z) => z.array(z.number()).check(z.minLength(2), z.maxLength(3));
    expect(accepts(two, [1, 2])).toEqual([1, 2]);
    expect(accepts(two, [1, 2, 3])).toEqual([1, 2, 3]);
    refuses(two, [1], [['too_small', [], 'Too small: expected array to have >=2 items']]);
    refuses(two, [1, 2, 3, 4], [['too_big', [], 'Too big: expected array to have <=3 items']]);
    refuses((z) => z.array(z.number()).check(z.minLength(1, 'one at least')), [], [['too_small', [], 'one at least']]);
    refuses((z) => z.array(z.number()).check(z.maxLength(0, 'none')), [1], [['too_big', [], 'none']]);
  });

  it('over a leading maximum: that one issue, its items not looked at, and nothing after it', () => {
    refuses((z) => z.array(z.string()).check(z.maxLength(2)), [1, 2, 3], [['too_big', [], 'Too big: expected array to have <=2 items']]);
    refuses((z) => z.array(z.string()).check(z.minLength(1), z.maxLength(2), z.refine(() => false, 'after')), [1, 2, 3], [
      ['too_big', [], 'Too big: expected array to have <=2 items'],
    ]);
    // Within the maximum, the items are checked.
    refuses((z) => z.array(z.string()).check(z.maxLength(2)), [1, 2], [
      ['invalid_type', [0], 'Invalid input: expected string, received number'],
      ['invalid_type', [1], 'Invalid input: expected string, received number'],
    ]);
    // A check that is not a size check ends the leading ones: the items are checked first.
    refuses((z) => z.array(z.string()).check(z.refine(() => true), z.maxLength(1)), [1, 2], [
      ['invalid_type', [0], 'Invalid input: expected string, received number'],
      ['invalid_type', [1], 'Invalid input: expected string, received number'],
      ['too_big', [], 'Too big: expected array to have <=1 items'],
    ]);
    // The cut stops the parent's checks, and its own size checks, as well.
    const parent = (z: Z) => z.strictObject({ list: z.array(z.string()).check(z.maxLength(1)) }).check(z.refine(() => false, 'parent'));
    refuses(parent, { list: ['a', 'b'] }, [['too_big', ['list'], 'Too big: expected array to have <=1 items']]);
    refuses(parent, { list: [] }, [['custom', [], 'parent']]);
    refuses((z) => z.array(z.array(z.string()).check(z.maxLength(1))).check(z.minLength(5)), [['a', 'b']], [
      ['too_big', [0], 'Too big: expected array to have <=1 items'],
    ]);
  });

  it('size checks still run after bad items; other checks do not', () => {
    refuses((z) => z.array(z.string()).check(z.minLength(3), z.refine(() => false, 'after')), [1], [
      ['invalid_type', [0], 'Invalid input: expected string, received number'],
      ['too_small', [], 'Too small: expected array to have >=3 items'],
    ]);
  });
});

describe('objects', () => {
  it('refuses what is not a plain object', () => {
    for (const [value, received] of [
      [null, 'null'],
      [[], 'array'],
      ['x', 'string'],
      [1, 'number'],
      [undefined, 'undefined'],
    ] as const) {
      refuses((z) => z.strictObject({ a: z.optional(z.number()) }), value, [['invalid_type', [], `Invalid input: expected object, received ${received}`]]);
    }
  });

  it('builds a new object with the declared keys in declaration order', () => {
    const input = { b: 1, a: 2 };
    const out = accepts((z) => z.strictObject({ a: z.number(), b: z.number() }), input);
    expect(out).not.toBe(input);
    expect(JSON.stringify(out)).toBe('{"a":2,"b":1}');
    expect(Object.keys(out as object)).toEqual(['a', 'b']);
  });

  it('requires every key that is not optional, and leaves a missing optional key out', () => {
    refuses((z) => z.strictObject({ a: z.string(), b: z.optional(z.string()) }), {}, [['invalid_type', ['a'], 'Invalid input: expected string, received undefined']]);
    refuses((z) => z.strictObject({ list: z.array(z.string()) }), {}, [['invalid_type', ['list'], 'Invalid input: expected array, received undefined']]);
    // A required key whose schema takes undefined is left out of the data when it is missing.
    // (zod 4 refuses such a key as 'nonoptional'; no schema in crypto/ has one: every custom()
    // there refuses undefined.)
    expect(ours.strictObject({ k: ours.custom(() => true) }).safeParse({})).toStrictEqual({ success: true, data: {} });
    expect(Object.keys(accepts((z) => z.strictObject({ a: z.optional(z.string()) }), {}) as object)).toEqual([]);
    // Present but undefined is kept as a key.
    expect(Object.keys(accepts((z) => z.strictObject({ a: z.optional(z.string()) }), { a: undefined }) as object)).toEqual(['a']);
    // A missing optional key is not even given to the optional schema's own checks.
    const needed = (z: Z) => z.strictObject({ a: z.optional(z.string()).check(z.refine((v) => v !== undefined, 'needed')) });
    expect(accepts(needed, {})).toEqual({});
    refuses(needed, { a: undefined }, [['custom', ['a'], 'needed']]);
    // A present optional key is checked.
    refuses((z) => z.strictObject({ a: z.optional(z.string()) }), { a: 1 }, [['invalid_type', ['a'], 'Invalid input: expected string, received number']]);
  });

  it('names every unknown key after the declared keys\' issues, and still runs its own checks', () => {
    const s = (z: Z) => z.strictObject({ a: z.number() });
    refuses(s, { a: 1, x: 2 }, [['unrecognized_keys', [], 'Unrecognized key: "x"']]);
    refuses(s, { x: 2, a: 'no', y: 3 }, [
      ['invalid_type', ['a'], 'Invalid input: expected number, received string'],
      ['unrecognized_keys', [], 'Unrecognized keys: "x", "y"'],
    ]);
    refuses((z) => s(z).check(z.refine(() => false, 'own')), { a: 1, x: 2 }, [
      ['unrecognized_keys', [], 'Unrecognized key: "x"'],
      ['custom', [], 'own'],
    ]);
    // An inherited enumerable key counts, as for...in sees it.
    refuses(s, Object.assign(Object.create({ x: 1 }), { a: 1 }), [['unrecognized_keys', [], 'Unrecognized key: "x"']]);
  });

  it('puts a nested issue under the whole path, root issues of a child included', () => {
    const s = (z: Z) =>
      z.strictObject({
        inner: z.strictObject({ list: z.array(z.number()) }).check(z.refine(() => false, { message: 'deep', path: ['list', 0] })),
      });
    refuses(s, { inner: { list: ['x'] } }, [['invalid_type', ['inner', 'list', 0], 'Invalid input: expected number, received string']]);
    refuses(s, { inner: { list: [1] } }, [['custom', ['inner', 'list', 0], 'deep']]);
    refuses(s, { inner: { list: [1], more: 1 } }, [
      ['unrecognized_keys', ['inner'], 'Unrecognized key: "more"'],
      ['custom', ['inner', 'list', 0], 'deep'],
    ]);
  });
});

describe('strings', () => {
  it('count code points, exactly at the bounds', () => {
    const s = (z: Z) => z.string().check(z.minLength(2), z.maxLength(3));
    expect(accepts(s, '\u{1F600}\u{1F600}')).toBe('\u{1F600}\u{1F600}');
    expect(accepts(s, 'abc')).toBe('abc');
    expect(accepts(s, '\u{1F600}\u{1F600}\u{1F600}')).toBe('\u{1F600}\u{1F600}\u{1F600}');
    refuses(s, '\u{1F600}', [['too_small', [], 'Too small: expected string to have >=2 characters']]);
    refuses(s, 'abcd', [['too_big', [], 'Too big: expected string to have <=3 characters']]);
    refuses(s, '\u{1F600}\u{1F600}\u{1F600}\u{1F600}', [['too_big', [], 'Too big: expected string to have <=3 characters']]);
    // A failed maximum lets the checks after it run.
    refuses((z) => z.string().check(z.maxLength(1), z.refine(() => false, 'after')), 'ab', [
      ['too_big', [], 'Too big: expected string to have <=1 characters'],
      ['custom', [], 'after'],
    ]);
    refuses((z) => z.string().check(z.minLength(3, 'short'), z.maxLength(0, 'long')), 'a', [
      ['too_small', [], 'short'],
      ['too_big', [], 'long'],
    ]);
  });

  it('run size checks on anything with a length after a type error, and no other check', () => {
    refuses((z) => z.string().check(z.minLength(3), z.regex(/^a/)), ['a'], [
      ['invalid_type', [], 'Invalid input: expected string, received array'],
      ['too_small', [], 'Too small: expected array to have >=3 items'],
    ]);
    // A string schema does not cut arrays short as an array schema does.
    refuses((z) => z.string().check(z.maxLength(1)), ['a', 'b'], [
      ['invalid_type', [], 'Invalid input: expected string, received array'],
      ['too_big', [], 'Too big: expected array to have <=1 items'],
    ]);
    refuses((z) => z.string().check(z.minLength(1)), { length: 0 }, [
      ['invalid_type', [], 'Invalid input: expected string, received object'],
      ['too_small', [], 'Too small: expected unknown to be >=1'],
    ]);
    refuses((z) => z.string().check(z.minLength(1)), { length: 2 }, [['invalid_type', [], 'Invalid input: expected string, received object']]);
    for (const value of [null, undefined, 5]) {
      refuses((z) => z.string().check(z.minLength(1), z.maxLength(0), z.regex(/^a/)), value, [
        ['invalid_type', [], `Invalid input: expected string, received ${value === null ? 'null' : typeof value}`],
      ]);
    }
  });

  it('match a pattern, each parse from the start even for a global pattern', () => {
    const s = (z: Z) => z.string().check(z.regex(/^a/g));
    const mine = s(ours);
    expect(mine.safeParse('ab').success).toBe(true);
    expect(mine.safeParse('ab').success).toBe(true);
    expect(accepts(s, 'a')).toBe('a');
    refuses(s, 'ba', [['invalid_format', [], 'Invalid string: must match pattern /^a/g']]);
    refuses((z) => z.string().check(z.regex(/^a$/, 'just a')), 'b', [['invalid_format', [], 'just a']]);
    // Every failing check is reported, in order.
    refuses((z) => z.string().check(z.minLength(3), z.regex(/^b/), z.refine(() => false, 'third')), 'a', [
      ['too_small', [], 'Too small: expected string to have >=3 characters'],
      ['invalid_format', [], 'Invalid string: must match pattern /^b/'],
      ['custom', [], 'third'],
    ]);
  });

  it('ISO dates: real calendar days only', () => {
    expect(accepts((z) => z.iso.date(), '2024-02-29')).toBe('2024-02-29');
    refuses((z) => z.iso.date(), '2023-02-29', [['invalid_format', [], 'Invalid ISO date']]);
    refuses((z) => z.iso.date().check(z.refine(() => false, 'after')), '2023-02-29', [
      ['invalid_format', [], 'Invalid ISO date'],
      ['custom', [], 'after'],
    ]);
    refuses((z) => z.iso.date(), 20240229, [['invalid_type', [], 'Invalid input: expected string, received number']]);
  });
});

describe('numbers', () => {
  it('int refuses fractions and stops there; outside the safe range it says which side', () => {
    const s = (z: Z) => z.number().check(z.int(), z.gte(5));
    refuses(s, 1.5, [['invalid_type', [], 'Invalid input: expected int, received number']]);
    refuses(s, 2 ** 53, [['too_big', [], 'Too big: expected int to be <=9007199254740991']]);
    refuses((z) => z.number().check(z.int(), z.lte(5)), 2 ** 53, [
      ['too_big', [], 'Too big: expected int to be <=9007199254740991'],
      ['too_big', [], 'Too big: expected number to be <=5'],
    ]);
    refuses(s, -(2 ** 53), [
      ['too_small', [], 'Too small: expected int to be >=-9007199254740991'],
      ['too_small', [], 'Too small: expected number to be >=5'],
    ]);
    expect(accepts(s, Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    refuses((z) => z.number().check(z.int()), Number.MIN_SAFE_INTEGER - 2, [['too_small', [], 'Too small: expected int to be >=-9007199254740991']]);
    expect(accepts((z) => z.number().check(z.int()), Number.MIN_SAFE_INTEGER)).toBe(Number.MIN_SAFE_INTEGER);
    refuses((z) => z.number().check(z.int()), NaN, [['invalid_type', [], 'Invalid input: expected number, received NaN']]);
  });

  it('gte and lte include their bound', () => {
    const s = (z: Z) => z.number().check(z.gte(5), z.lte(7));
    expect(accepts(s, 5)).toBe(5);
    expect(accepts(s, 7)).toBe(7);
    refuses(s, 4.5, [['too_small', [], 'Too small: expected number to be >=5']]);
    refuses(s, 7.5, [['too_big', [], 'Too big: expected number to be <=7']]);
    refuses((z) => z.number().check(z.lte(3), z.refine(() => false, 'after')), 4, [
      ['too_big', [], 'Too big: expected number to be <=3'],
      ['custom', [], 'after'],
    ]);
    // Both fail when the bounds cross: each check runs.
    refuses((z) => z.number().check(z.gte(5), z.lte(3)), 4, [
      ['too_small', [], 'Too small: expected number to be >=5'],
      ['too_big', [], 'Too big: expected number to be <=3'],
    ]);
  });
});

describe('custom checks', () => {
  it('refine: truthy passes, falsy fails with its message, or Invalid input, at its path', () => {
    expect(accepts((z) => z.string().check(z.refine(() => 1)), 'a')).toBe('a');
    refuses((z) => z.string().check(z.refine(() => 0)), 'a', [['custom', [], 'Invalid input']]);
    refuses((z) => z.string().check(z.refine(() => '', 'empty')), 'a', [['custom', [], 'empty']]);
    refuses((z) => z.string().check(z.refine(() => false, { message: 'at x', path: ['x', 0] })), 'a', [['custom', ['x', 0], 'at x']]);
    refuses((z) => z.string().check(z.refine((s) => s.length > 1, { message: 'longer' })), 'a', [['custom', [], 'longer']]);
    expect(accepts((z) => z.string().check(z.refine((s) => s.length > 1, 'longer')), 'ab')).toBe('ab');
    // A failed refine lets the checks after it run.
    refuses((z) => z.string().check(z.refine(() => false, 'one'), z.refine(() => false, { message: 'two' })), 'a', [
      ['custom', [], 'one'],
      ['custom', [], 'two'],
    ]);
  });

  it('superRefine: several issues, each with its own path and message, and later checks still run', () => {
    const s = (z: Z) =>
      z.strictObject({ a: z.number() }).check(
        z.superRefine((v, ctx) => {
          ctx.addIssue({ code: 'custom', message: 'first', path: ['a'] });
          ctx.addIssue({ code: 'custom', message: `second ${v.a}` });
        }),
        z.refine(() => false, 'after'),
      );
    refuses(s, { a: 1 }, [
      ['custom', ['a'], 'first'],
      ['custom', [], 'second 1'],
      ['custom', [], 'after'],
    ]);
  });

  it('custom: a value of any type, refused with its message or Invalid input', () => {
    const one = (v: unknown) => v === 1;
    expect(ours.custom(one).safeParse(1)).toEqual({ success: true, data: 1 });
    expect(ours.custom(one).safeParse(2)).toEqual({ success: false, error: { issues: [{ code: 'custom', path: [], message: 'Invalid input' }] } });
    expect(ours.custom(one, 'not one').safeParse(2)).toEqual({ success: false, error: { issues: [{ code: 'custom', path: [], message: 'not one' }] } });
    expect(ours.custom(one, { message: 'still not one' }).safeParse(2)).toEqual({
      success: false,
      error: { issues: [{ code: 'custom', path: [], message: 'still not one' }] },
    });
    refuses((z) => z.strictObject({ k: z.custom((v) => v === 1, 'k is 1') }), { k: 2 }, [['custom', ['k'], 'k is 1']]);
  });
});

describe('schemas and messages', () => {
  it('check() adds to a copy and keeps every earlier check', () => {
    const base = ours.string();
    const short = base.check(ours.minLength(2));
    const both = short.check(ours.maxLength(3));
    expect(base.safeParse('a').success).toBe(true);
    expect(short.safeParse('abcd').success).toBe(true);
    expect(both.safeParse('a').success).toBe(false);
    expect(both.safeParse('abcd').success).toBe(false);
    expect(both.safeParse('abc')).toEqual({ success: true, data: 'abc' });
    // An optional schema stays optional through check().
    const opt = ours.optional(ours.string()).check(ours.refine(() => true));
    expect(opt.optional).toBe(true);
    expect(ours.string().optional).toBe(false);
  });

  it('message order: the check\'s own, then the error map, then English, then Invalid input', () => {
    const s = ours.string().check(ours.minLength(3, 'own'), ours.maxLength(0));
    const issues = (params?: ours.ParseParams) => {
      const r = s.safeParse('ab', params);
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(issues()).toEqual(['own', 'Too big: expected string to have <=0 characters']);
    expect(issues({})).toEqual(['own', 'Too big: expected string to have <=0 characters']);
    expect(issues({ error: () => 'mapped' })).toEqual(['own', 'mapped']);
    expect(issues({ error: () => undefined })).toEqual(['own', 'Too big: expected string to have <=0 characters']);
    expect(ours.number().safeParse('1')).toEqual({
      success: false,
      error: { issues: [{ code: 'invalid_type', path: [], message: 'Invalid input: expected number, received string' }] },
    });
    // A superRefine issue's message wins over the error map.
    const sr = ours.string().check(ours.superRefine((_v, ctx) => ctx.addIssue({ code: 'custom', message: 'said so' })));
    expect(sr.safeParse('a', { error: () => 'mapped' })).toEqual({ success: false, error: { issues: [{ code: 'custom', path: [], message: 'said so' }] } });
    // No message anywhere: Invalid input, and the error map still sees the raw issue.
    const seen: unknown[] = [];
    const r = ours.string().check(ours.refine(() => false)).safeParse('a', { error: (i) => void seen.push(i.code) });
    expect(r).toEqual({ success: false, error: { issues: [{ code: 'custom', path: [], message: 'Invalid input' }] } });
    expect(seen).toEqual(['custom']);
  });

  it('success carries the parsed value and no issues', () => {
    expect(ours.strictObject({ a: ours.string() }).safeParse({ a: 'x' })).toEqual({ success: true, data: { a: 'x' } });
  });
});
