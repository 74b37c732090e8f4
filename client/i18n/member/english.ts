/**
 * English labels for the console, which stays in English (issue 14) but shares these words
 * with the members' pages: derived from the member catalogue, so each is written once.
 */
import type { INCIDENT_TYPES, TIME_BANDS } from '../../../crypto/index.js';
import { formatMessage } from '../format.js';
import { rowLabel as statsRowLabel } from '../../statistics/labels.js';
import { en, type MemberKey } from './en.js';

const text = (key: MemberKey): string => formatMessage('en', en[key]);
const pick = <K extends string>(prefix: string): Record<K, string> =>
  Object.fromEntries(Object.keys(en).filter((k) => k.startsWith(`${prefix}.`)).map((k) => [k.slice(prefix.length + 1), text(k as MemberKey)])) as Record<K, string>;

export const INCIDENT_LABELS = pick<(typeof INCIDENT_TYPES)[number]>('incident');
export const PART_OF_DAY = pick<(typeof TIME_BANDS)[number]>('partOfDay');
export const STATS_TEXT = { tables: pick<string>('stats.table') as Record<string, string> };

/** A statistics row's English name (months spelled out), as the statistics page names it; an unknown key as it is. */
export function rowLabel(table: string, key: string): string {
  return statsRowLabel((k, params) => formatMessage('en', en[k], params), 'en', table, key);
}
