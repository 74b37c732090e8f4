/**
 * The reporter pages' catalogues and language context. The language lives in memory only
 * (no cookie, no storage, no URL): switching re-renders without a reload. English is built
 * in; every other language is fetched when chosen (a reporter downloads one language).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type MessageKey, type Messages, type PluralKey } from './en.js';
import type { Params } from './format.js';
import type { Lang } from './languages.js';
import { REPORTER_LOADERS } from './loaders.js';
import { catalogues } from './store.js';

export type { Lang, MessageKey, Messages, Params, PluralKey };

/** The reporter catalogues of every language that has one. */
export const reporterCatalogues = catalogues<Messages>(en, REPORTER_LOADERS);

/** The catalogue for `lang`, fetched once. @throws when the chunk cannot be loaded */
export function loadCatalogue(lang: Lang): Promise<Messages> {
  return reporterCatalogues.load(lang);
}

/** The catalogue for `lang` if it is loaded (English always is). */
export function catalogue(lang: Lang): Messages | undefined {
  return reporterCatalogues.get(lang);
}

/** Translate a key; a plural key needs the count as `params.n`. */
export type Translate = (key: MessageKey | PluralKey, params?: Params) => string;

/** A translation function for one language (plural forms and numbers as `lang` writes them). */
export function translator(lang: Lang): Translate {
  return (key, params) => reporterCatalogues.text(lang, key, params);
}

/** The browser's preferred language among those with a reporter catalogue, else English. */
export function initialLang(): Lang {
  return reporterCatalogues.initial();
}

export interface I18nValue {
  lang: Lang;
  t: Translate;
  setLang(lang: Lang): void;
}

export const I18n = createContext<I18nValue>({ lang: 'en', t: translator('en'), setLang() {} });

export function useI18n(): I18nValue {
  return useContext(I18n);
}
