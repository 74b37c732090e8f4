/**
 * The members' and statistics pages' catalogues and language context: the same in-memory
 * choice and lazy loading as the reporter pages, with the member catalogue (these pages never
 * load the reporter catalogue).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Params } from '../format.js';
import type { Lang } from '../languages.js';
import { catalogues } from '../store.js';
import { en, type MemberKey, type MemberMessages } from './en.js';
import { MEMBER_LOADERS } from './loaders.js';

export type { MemberKey, MemberMessages };

export const memberCatalogues = catalogues<MemberMessages>(en, MEMBER_LOADERS);

/** Translate a member key; a plural key needs the count as `params.n`. */
export type MemberTranslate = (key: MemberKey, params?: Params) => string;

export function memberTranslator(lang: Lang): MemberTranslate {
  return (key, params) => memberCatalogues.text(lang, key, params);
}

/** `2026-10` as `lang` names the month ("October 2026"); the input unchanged when it is not a month. */
export function monthName(lang: Lang, ym: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  if (!m) return ym;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15));
  return new Intl.DateTimeFormat(lang === 'en-XA' ? 'en' : lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

export interface MemberI18nValue {
  lang: Lang;
  t: MemberTranslate;
  setLang(lang: Lang): void;
}

export const MemberI18n = createContext<MemberI18nValue>({ lang: 'en', t: memberTranslator('en'), setLang() {} });

export function useMemberI18n(): MemberI18nValue {
  return useContext(MemberI18n);
}
