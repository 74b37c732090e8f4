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
export { monthName } from '../format.js';

export const memberCatalogues = catalogues<MemberMessages>(en, MEMBER_LOADERS);

/** Translate a member key; a plural key needs the count as `params.n`. */
export type MemberTranslate = (key: MemberKey, params?: Params) => string;

export function memberTranslator(lang: Lang): MemberTranslate {
  return (key, params) => memberCatalogues.text(lang, key, params);
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
