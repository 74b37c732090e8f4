/**
 * Turns a catalogue value into text: picks the plural form for `params.n` with
 * Intl.PluralRules, then fills `{name}` placeholders, numbers through Intl.NumberFormat.
 * Shared by every catalogue kind (reporter, member) and by the server-rendered pages.
 */
import type { Message, Plural } from './plural.js';

export type Params = Readonly<Record<string, string | number>>;

const plurals = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();
function cached<T>(map: Map<string, T>, lang: string, make: () => T): T {
  let v = map.get(lang);
  if (!v) map.set(lang, (v = make()));
  return v;
}

/** The plural form of `value` for the count `n` in `lang` (`other` when the category is missing). */
export function pluralForm(lang: string, value: Plural, n: number): string {
  const category = cached(plurals, lang, () => new Intl.PluralRules(lang)).select(n);
  return value[category as keyof Plural] ?? value.other;
}

/** A number as `lang` writes it (grouping, digits). */
export function formatNumber(lang: string, n: number): string {
  return cached(numbers, lang, () => new Intl.NumberFormat(lang)).format(n);
}

/**
 * The text of one value in `lang`. A plural value needs a numeric `params.n` (without it the
 * `other` form is used); a placeholder with no parameter is left as it is, so a gap shows.
 */
export function formatMessage(lang: string, value: Message, params?: Params): string {
  const n = params?.n;
  const s = typeof value === 'string' ? value : pluralForm(lang, value, typeof n === 'number' ? n : Number.NaN);
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (all, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) return all;
    const v = params[name]!;
    return typeof v === 'number' ? formatNumber(lang, v) : v;
  });
}

/** `2026-10` as `lang` names the month ("October 2026"); the input unchanged when it is not a month. */
export function monthName(lang: string, ym: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  if (!m) return ym;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15));
  return new Intl.DateTimeFormat(lang === 'en-XA' ? 'en' : lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}
