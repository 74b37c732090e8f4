/**
 * The console's words, from its English catalogue (client/i18n/console/en.ts). English only
 * (issue 14): no language switch, no loading. A count picks its plural form with
 * Intl.PluralRules('en') and every number is formatted with Intl.NumberFormat('en').
 */
import { messages, type ConsoleKey, type ConsoleMessages } from '../i18n/console/en.js';

export type { ConsoleKey };

type Plural = { readonly one: string; readonly other: string };
/** The `{name}` placeholders of one string. */
type Holes<S> = S extends `${string}{${infer P}}${infer R}` ? P | Holes<R> : never;
type HolesOf<V> = V extends string ? Holes<V> : V extends Plural ? Holes<V['one'] | V['other']> | 'n' : never;
/** What `t(key, …)` needs: every placeholder of the key, and a number `n` for a count. */
export type ParamsOf<K extends ConsoleKey> = { readonly [P in HolesOf<ConsoleMessages[K]>]: P extends 'n' ? number : string | number };

const plural = new Intl.PluralRules('en');
const number = new Intl.NumberFormat('en');

/**
 * The English text of `key` with its placeholders filled; numbers are formatted, strings used as
 * they are (they go into text nodes, never markup). A placeholder without a value stays visible.
 */
export function t<K extends ConsoleKey>(key: K, ...params: [HolesOf<ConsoleMessages[K]>] extends [never] ? [] : [ParamsOf<K>]): string {
  const value: string | Plural = messages[key];
  const p = params[0] as Readonly<Record<string, string | number>> | undefined;
  const s = typeof value === 'string' ? value : value[plural.select(Number(p?.n)) === 'one' ? 'one' : 'other'];
  return s.replace(/\{(\w+)\}/g, (all, name: string) => {
    const v = p?.[name];
    return v === undefined ? all : typeof v === 'number' ? number.format(v) : v;
  });
}
