/**
 * The console's words, from its English catalogue (client/i18n/console/en.ts). English only
 * (issue 14): no language switch, no loading. A count picks its plural form with
 * Intl.PluralRules('en') and numbers are written by Intl.NumberFormat('en'), through the
 * formatter every catalogue shares (client/i18n/format.ts).
 */
import { messages, type ConsoleKey, type ConsoleMessages } from '../i18n/console/en.js';
import { formatMessage } from '../i18n/format.js';

export type { ConsoleKey };

type Plural = { readonly one: string; readonly other: string };
/** The `{name}` placeholders of one string. */
type Holes<S> = S extends `${string}{${infer P}}${infer R}` ? P | Holes<R> : never;
type HolesOf<V> = V extends string ? Holes<V> : V extends Plural ? Holes<V['one'] | V['other']> | 'n' : never;
/** What `t(key, …)` needs: every placeholder of the key, and a number `n` for a count. */
export type ParamsOf<K extends ConsoleKey> = { readonly [P in HolesOf<ConsoleMessages[K]>]: P extends 'n' ? number : string | number };

/**
 * The English text of `key` with its placeholders filled (a missing one is a type error);
 * numbers are formatted, strings used as they are (they go into text nodes, never markup).
 */
export function t<K extends ConsoleKey>(key: K, ...params: [HolesOf<ConsoleMessages[K]>] extends [never] ? [] : [ParamsOf<K>]): string {
  return formatMessage('en', messages[key], params[0]);
}
