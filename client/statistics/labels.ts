/** Names of the statistics tables and rows in the reader's language (member catalogue, `stats.table.*`, `stats.row.*`). */
import type { Lang } from '../i18n/languages.js';
import { en } from '../i18n/member/en.js';
import { monthName } from '../i18n/format.js';
import type { MemberKey, MemberTranslate } from '../i18n/member/index.js';

const known = (key: string): key is MemberKey => Object.prototype.hasOwnProperty.call(en, key);

/** A table's title; an id this build does not know is shown as it is. */
export function tableTitle(t: MemberTranslate, id: string): string {
  return known(`stats.table.${id}`) ? t(`stats.table.${id}` as MemberKey) : id;
}

/** A row's display name: known keys by name, months spelled out, region ids through the profile. */
export function rowLabel(t: MemberTranslate, lang: Lang, table: string, key: string, regions: Record<string, string> = {}): string {
  if (table === 'month' && /^\d{4}-\d{2}$/.test(key)) return monthName(lang, key);
  if (table === 'incident-type' && known(`incident.${key}`)) return t(`incident.${key}` as MemberKey);
  if (table === 'region' && regions[key]) return regions[key]!;
  return known(`stats.row.${key}`) ? t(`stats.row.${key}` as MemberKey) : key;
}
