/**
 * The strict validator crypto/ builds its document schemas with (report, keyring, profile,
 * membership, warning): the few pieces of zod/mini's functional API those schemas use, with the
 * same issues in the same order, the same paths and the same English messages, in about a tenth
 * of the code. zod/mini cost the reporter's page about 10 KiB gzip of its 80 KiB budget (issue 13);
 * this costs about 1.5. tests/crypto/schema.test.ts runs the same schemas through zod/mini and
 * this module and compares every issue. The server keeps classic zod for its own request bodies.
 *
 * What it follows from zod 4: a value's own type is checked first, then its checks in order; a
 * type error, an enum or literal mismatch and a non-integer stop the checks after it (size checks
 * still run on anything with a length); an object checks its declared keys in order, then reports
 * unknown keys, then runs its own checks; string lengths count code points; the parsed value is a
 * new object holding the declared keys only, in declaration order.
 */

/** An issue as raised, before its message is settled. */
export interface RawIssue {
  code: 'invalid_type' | 'invalid_value' | 'too_big' | 'too_small' | 'invalid_format' | 'unrecognized_keys' | 'custom';
  path?: PropertyKey[];
  message?: string;
  input?: unknown;
  expected?: string;
  values?: readonly unknown[];
  origin?: string;
  maximum?: number;
  minimum?: number;
  format?: string;
  pattern?: string;
  keys?: string[];
  /** Whether later checks still run (zod's `continue`): only true lets them. */
  continue?: boolean;
  /** The raising check's own message, if it was given one. */
  error?: string;
}

/** A settled issue: where (keys and indices from the root) and why. */
export interface Issue {
  code: RawIssue['code'];
  path: PropertyKey[];
  message: string;
}

export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: { issues: Issue[] } };

export interface ParseParams {
  /** Message for an issue that has none of its own; undefined falls back to {@link englishIssues}. */
  error?: (issue: RawIssue) => string | undefined;
}

interface Payload {
  value: unknown;
  issues: RawIssue[];
}

/** A check on a value of type T (contravariant: a check on any lengthable fits a string). */
export interface Check<in T> {
  readonly fn: (p: Payload) => void;
  /** Set on size checks: run whenever the value has a length, even after an aborting issue. */
  readonly sized?: boolean;
  /** The most items a maximum-size check allows. */
  readonly max?: number;
  /** Phantom: ties the check to the values it accepts. */
  readonly accepts?: (value: T) => void;
}

export interface Schema<T> {
  /** True for optional(): an object may leave the key out. */
  readonly optional: boolean;
  /** @internal Validate `p.value` in place: set `p.value` to the parsed value and push issues. */
  readonly run: (p: Payload) => void;
  /** The same schema with these checks run after the ones it has. */
  check(...checks: Check<T>[]): Schema<T>;
  safeParse(value: unknown, params?: ParseParams): SafeParseResult<T>;
}

export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

type AnySchema = Schema<any>;
type Out<S> = S extends Schema<infer T> ? T : never;
type Shape = Record<string, AnySchema>;
type Flat<T> = { [K in keyof T]: T[K] };
type ObjectOut<S extends Shape> = Flat<
  { [K in keyof S as S[K] extends OptionalSchema<any> ? never : K]: Out<S[K]> } & {
    [K in keyof S as S[K] extends OptionalSchema<any> ? K : never]?: Out<S[K]>;
  }
>;

/** The type a schema parses to (zod's `z.infer`). */
export type { Out as infer };

/** Stop further checks unless every issue so far lets them run. */
const aborts = (issues: readonly RawIssue[]): boolean => issues.some((i) => i.continue !== true);

function make<T>(parse: (p: Payload) => void, checks: readonly Check<T>[] = [], optional = false, capped = false): Schema<T> {
  const run = (p: Payload): void => {
    // An array over a maximum among its leading size checks gets that one issue and no more: its
    // items are not even looked at (zod's capSize).
    if (capped && Array.isArray(p.value)) {
      for (const c of checks) {
        if (!c.sized) break;
        if (p.value.length > (c.max ?? Infinity)) {
          c.fn(p);
          p.issues[p.issues.length - 1]!.continue = false;
          return;
        }
      }
    }
    parse(p);
    for (const c of checks) {
      if (c.sized) {
        const v = p.value as { length?: unknown } | null | undefined;
        if (p.issues.some((i) => i.continue === false) || v == null || v.length === undefined) continue;
      } else if (aborts(p.issues)) continue;
      c.fn(p);
    }
  };
  return {
    optional,
    run,
    check: (...more) => make(parse, [...checks, ...more], optional, capped),
    safeParse(value, params) {
      const p: Payload = { value, issues: [] };
      run(p);
      if (p.issues.length === 0) return { success: true, data: p.value as T };
      return {
        success: false,
        error: {
          issues: p.issues.map((i) => ({ code: i.code, path: i.path ?? [], message: i.message ?? i.error ?? params?.error?.(i) ?? englishIssues(i) ?? 'Invalid input' })),
        },
      };
    },
  };
}

const typed = <T>(expected: string, ok: (v: unknown) => boolean): Schema<T> =>
  make((p) => {
    if (!ok(p.value)) p.issues.push({ code: 'invalid_type', expected, input: p.value });
  });

/** A string (any length unless checked). */
export const string = (): Schema<string> => typed('string', (v) => typeof v === 'string');
/** true or false. */
export const boolean = (): Schema<boolean> => typed('boolean', (v) => typeof v === 'boolean');
/** A finite number (NaN and the infinities are refused). */
export const number = (): Schema<number> => typed('number', (v) => Number.isFinite(v));

/** One of the given values (a string enum). */
function oneOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  return make((p) => {
    if (!(values as readonly unknown[]).includes(p.value)) p.issues.push({ code: 'invalid_value', values, input: p.value });
  });
}
export { oneOf as enum };

/** Exactly this value. */
export function literal<const V extends string | number | boolean>(value: V): Schema<V> {
  return make((p) => {
    if (p.value !== value) p.issues.push({ code: 'invalid_value', values: [value], input: p.value });
  });
}

/** The schema, or a missing value (undefined; an object may leave the key out). */
export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return make<T | undefined>((p) => {
    if (p.value !== undefined) inner.run(p);
  }, [], true) as OptionalSchema<T>;
}

const prefixed = (key: PropertyKey, issues: RawIssue[]): RawIssue[] => issues.map((i) => ({ ...i, path: [key, ...(i.path ?? [])] }));

/** An array whose every item satisfies `element` (issues name the item's index). */
export function array<S extends AnySchema>(element: S): Schema<Out<S>[]> {
  return make<Out<S>[]>((p) => {
    const input = p.value;
    if (!Array.isArray(input)) {
      p.issues.push({ code: 'invalid_type', expected: 'array', input });
      return;
    }
    p.value = input.map((item, i) => {
      const r: Payload = { value: item, issues: [] };
      element.run(r);
      p.issues.push(...prefixed(i, r.issues));
      return r.value;
    });
  }, [], false, true);
}

/** An object with exactly these keys (optional ones may be left out); any other key is an issue. */
export function strictObject<S extends Shape>(shape: S): Schema<ObjectOut<S>> {
  const keys = Object.keys(shape);
  return make((p) => {
    const input = p.value as Record<string, unknown>;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      p.issues.push({ code: 'invalid_type', expected: 'object', input });
      return;
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const el = shape[key]!;
      const present = key in input;
      if (!present && el.optional) continue;
      const r: Payload = { value: input[key], issues: [] };
      el.run(r);
      p.issues.push(...prefixed(key, r.issues));
      if (present) out[key] = r.value;
    }
    const unknown: string[] = [];
    for (const key in input) if (!Object.hasOwn(shape, key)) unknown.push(key);
    if (unknown.length > 0) p.issues.push({ code: 'unrecognized_keys', keys: unknown, input, continue: true });
    p.value = out;
  });
}

/** Code points, as `[...s].length` counts them (a lone surrogate is one) without an array per string. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
      }
    }
  }
  return n;
}

/** Strings are measured in code points, arrays in items. */
const size = (v: string | readonly unknown[]): number => (typeof v === 'string' ? codePoints(v) : v.length);
const origin = (v: unknown): string => (Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : 'unknown');

/** At least `min` characters (code points) or items. */
export function minLength(min: number, message?: string): Check<string | readonly unknown[]> {
  return {
    sized: true,
    fn: (p) => {
      const v = p.value as string;
      if (!(size(v) >= min)) p.issues.push({ code: 'too_small', origin: origin(v), minimum: min, input: v, continue: true, error: message });
    },
  };
}

/** At most `max` characters (code points) or items; an array over it is refused without looking at its items. */
export function maxLength(max: number, message?: string): Check<string | readonly unknown[]> {
  return {
    sized: true,
    max,
    fn: (p) => {
      const v = p.value as string;
      if (!(size(v) <= max)) p.issues.push({ code: 'too_big', origin: origin(v), maximum: max, input: v, continue: true, error: message });
    },
  };
}

/** The whole string matches `pattern` (anchor it). */
export function regex(pattern: RegExp, message?: string): Check<string> {
  return {
    fn: (p) => {
      pattern.lastIndex = 0;
      if (!pattern.test(p.value as string)) {
        p.issues.push({ code: 'invalid_format', format: 'regex', pattern: pattern.toString(), input: p.value, continue: true, error: message });
      }
    },
  };
}

/** A whole number within the safe integer range. */
export function int(): Check<number> {
  return {
    fn: (p) => {
      const v = p.value as number;
      if (!Number.isInteger(v)) p.issues.push({ code: 'invalid_type', expected: 'int', input: v, continue: false });
      else if (!Number.isSafeInteger(v)) {
        p.issues.push(v > 0 ? { code: 'too_big', maximum: Number.MAX_SAFE_INTEGER, origin: 'int', input: v, continue: true } : { code: 'too_small', minimum: Number.MIN_SAFE_INTEGER, origin: 'int', input: v, continue: true });
      }
    },
  };
}

/** At least `min`. */
export function gte(min: number): Check<number> {
  return { fn: (p) => void ((p.value as number) >= min || p.issues.push({ code: 'too_small', origin: 'number', minimum: min, input: p.value, continue: true })) };
}

/** At most `max`. */
export function lte(max: number): Check<number> {
  return { fn: (p) => void ((p.value as number) <= max || p.issues.push({ code: 'too_big', origin: 'number', maximum: max, input: p.value, continue: true })) };
}

/** A custom condition; `path` places the issue below the value (for an object's field). */
export function refine<T>(ok: (value: T) => unknown, params?: string | { message: string; path?: PropertyKey[] }): Check<T> {
  const { message, path = [] }: { message?: string; path?: PropertyKey[] } = typeof params === 'string' ? { message: params } : (params ?? {});
  return { fn: (p) => void (ok(p.value as T) || p.issues.push({ code: 'custom', path: [...path], input: p.value, continue: true, error: message })) };
}

export interface RefineContext {
  addIssue(issue: { code: 'custom'; message: string; path?: PropertyKey[] }): void;
}

/** A custom check that may raise several issues, each with its own message and path. */
export function superRefine<T>(fn: (value: T, ctx: RefineContext) => void): Check<T> {
  return {
    fn: (p) =>
      fn(p.value as T, {
        addIssue: (i) => p.issues.push({ ...i, input: p.value, continue: true }),
      }),
  };
}

// A real calendar day (leap years included), as zod's `iso.date` pattern.
const ISO_DATE =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))$/;

export const iso = {
  /** A YYYY-MM-DD calendar date. */
  date: (): Schema<string> =>
    string().check({
      fn: (p) => {
        if (!ISO_DATE.test(p.value as string)) p.issues.push({ code: 'invalid_format', format: 'date', pattern: ISO_DATE.toString(), input: p.value, continue: true });
      },
    }),
};

const SIZE_UNITS: Record<string, string> = { string: 'characters', array: 'items' };

/** A type's name as zod's English locale spells it. */
function received(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'number' : String(v);
  if (typeof v !== 'object') return typeof v;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Object.getPrototypeOf(v) !== Object.prototype && v.constructor) return v.constructor.name;
  return 'object';
}

const quote = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : `${v}`);

/**
 * English messages, word for word what zod's English locale says, for every issue these
 * schemas raise without a message of their own (a check's own message still wins).
 */
export function englishIssues(iss: RawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      return `Invalid input: expected ${iss.expected}, received ${received(iss.input)}`;
    case 'invalid_value':
      return iss.values!.length === 1 ? `Invalid input: expected ${quote(iss.values![0])}` : `Invalid option: expected one of ${iss.values!.map(quote).join('|')}`;
    case 'too_big':
    case 'too_small': {
      // Every bound here is inclusive and every size issue names its origin.
      const big = iss.code === 'too_big';
      const unit = SIZE_UNITS[iss.origin!];
      const bound = big ? `<=${iss.maximum}` : `>=${iss.minimum}`;
      return `Too ${big ? 'big' : 'small'}: expected ${iss.origin} to ${unit ? `have ${bound} ${unit}` : `be ${bound}`}`;
    }
    case 'invalid_format':
      return iss.format === 'regex' ? `Invalid string: must match pattern ${iss.pattern}` : 'Invalid ISO date';
    case 'unrecognized_keys':
      return `Unrecognized key${iss.keys!.length > 1 ? 's' : ''}: ${iss.keys!.map(quote).join(', ')}`;
  }
  return undefined;
}

/** A value accepted only when `ok` says so (zod's `z.custom`); refused with `message`. */
export function custom<T>(ok: (value: unknown) => unknown, params?: string | { message: string }): Schema<T> {
  const message = typeof params === 'string' ? params : params?.message;
  return make((p) => {
    if (!ok(p.value)) p.issues.push({ code: 'custom', input: p.value, error: message });
  });
}
