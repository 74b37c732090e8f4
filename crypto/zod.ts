/**
 * The one way crypto/ imports zod: the functional `zod/mini` build (classic zod would add about
 * 16 KB gzip to the reporter's page), configured before any schema is built, because ES modules
 * evaluate this file before the body of any module that imports it.
 */
import { z } from 'zod/mini';

// Pages run under a CSP without 'unsafe-eval'; stop zod probing `new Function` (which such a CSP
// reports as a violation).
z.config({ jitless: true });

type Issue = z.core.$ZodRawIssue;

const SIZE_UNITS: Record<string, string> = { string: 'characters', file: 'bytes', array: 'items', set: 'items', map: 'entries' };

/** A type's name as the English locale spells it (its `getTypeName`). */
function typeName(t: string, input?: unknown): string {
  if (t === 'number' && typeof input === 'number' && !Number.isFinite(input)) return String(input);
  return t === 'nan' ? 'NaN' : t;
}

/** zod's `util.parsedType`. */
function parsedType(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'nan' : 'number';
  if (typeof v !== 'object') return typeof v;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Object.getPrototypeOf(v) !== Object.prototype && 'constructor' in v && v.constructor) return (v.constructor as { name: string }).name;
  return 'object';
}

/** zod's `util.stringifyPrimitive`. */
const quote = (v: unknown): string => (typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? `"${v}"` : `${v}`);

/**
 * Issue messages for a `safeParse(x, { error: englishIssues })`: word for word what classic zod's
 * English locale says, for every issue a crypto/ schema can raise (type, enum and literal, size,
 * string format, unknown key). zod/mini ships no messages ("Invalid input"), and its English
 * locale weighs about 1.1 KB gzip against about 0.4 KB for this. A custom message on a check
 * still wins. Anything else returns undefined, so zod falls back to its configured locale.
 */
export function englishIssues(iss: Issue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      return `Invalid input: expected ${typeName(iss.expected)}, received ${typeName(parsedType(iss.input), iss.input)}`;
    case 'invalid_value':
      return iss.values.length === 1
        ? `Invalid input: expected ${quote(iss.values[0])}`
        : `Invalid option: expected one of ${iss.values.map(quote).join('|')}`;
    case 'too_big':
    case 'too_small': {
      const big = iss.code === 'too_big';
      const adj = iss.exact ? 'exactly ' : (big ? '<' : '>') + (iss.inclusive ? '=' : '');
      const unit = SIZE_UNITS[iss.origin ?? ''];
      const bound = `${adj}${big ? iss.maximum : iss.minimum}`;
      const what = big ? (iss.origin ?? 'value') : iss.origin;
      return `Too ${big ? 'big' : 'small'}: expected ${what} to ${unit ? `have ${bound} ${unit}` : `be ${bound}`}`;
    }
    case 'invalid_format':
      return iss.format === 'regex' ? `Invalid string: must match pattern ${iss.pattern}` : iss.format === 'date' ? 'Invalid ISO date' : undefined;
    case 'unrecognized_keys':
      return `Unrecognized key${iss.keys.length > 1 ? 's' : ''}: ${iss.keys.map(quote).join(', ')}`;
  }
  return undefined;
}

export { z };
