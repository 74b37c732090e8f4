/**
 * Message catalogues and the language switch. The language lives in memory only (no
 * cookie, no storage, no URL): switching re-renders without a reload. English is built in;
 * other catalogues are fetched when chosen (a reporter downloads one language, page weight).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type MessageKey, type Messages, type PluralKey } from './en.js';
import { formatMessage, type Params } from './format.js';

export type { MessageKey, Messages, Params, PluralKey };
export const LANGS = ['en', 'ro'] as const;
export type Lang = (typeof LANGS)[number];
/** Each language's name in itself, for the picker (without loading its catalogue). */
export const LANG_NAMES: Readonly<Record<Lang, string>> = { en: 'English', ro: 'Română' };

const loaded: Partial<Record<Lang, Messages>> = { en };

/** The catalogue for `lang`, fetched once. @throws when the chunk cannot be loaded */
export async function loadCatalogue(lang: Lang): Promise<Messages> {
  const have = loaded[lang];
  if (have) return have;
  const m = lang === 'ro' ? (await import('./ro.js')).messages : en;
  loaded[lang] = m;
  return m;
}

/** The catalogue for `lang` if it is loaded (English always is). */
export function catalogue(lang: Lang): Messages | undefined {
  return loaded[lang];
}

/** Translate a key; a plural key needs the count as `params.n`. */
export type Translate = (key: MessageKey | PluralKey, params?: Params) => string;

/** A translation function for one language (plural forms and numbers as `lang` writes them). */
export function translator(lang: Lang): Translate {
  const m = loaded[lang] ?? en;
  return (key, params) => formatMessage(m === en ? 'en' : lang, m[key], params);
}

/** The first supported language among the browser's preferences, else English. */
export function initialLang(): Lang {
  const prefs = typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : [];
  for (const p of prefs) {
    const base = String(p).toLowerCase().split('-')[0];
    if ((LANGS as readonly string[]).includes(base!)) return base as Lang;
  }
  return 'en';
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
