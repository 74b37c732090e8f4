/**
 * Message catalogues and the language switch. The language lives in memory only (no
 * cookie, no storage, no URL): switching re-renders without a reload. English is built in;
 * other catalogues are fetched when chosen (a reporter downloads one language, page weight).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type MessageKey, type Messages } from './en.js';

export type { MessageKey, Messages };
export const LANGS = ['en', 'ro'] as const;
export type Lang = (typeof LANGS)[number];
/** Each language's name in itself, for the picker (without loading its catalogue). */
export const LANG_NAMES: Readonly<Record<Lang, string>> = { en: 'English', ro: 'Română' };

const loaded: Partial<Record<Lang, Messages>> = { en };

/** The catalogue for `lang`, fetched once. @throws when the chunk cannot be loaded */
export async function loadCatalogue(lang: Lang): Promise<Messages> {
  const have = loaded[lang];
  if (have) return have;
  const m = lang === 'ro' ? (await import('./ro.js')).ro : en;
  loaded[lang] = m;
  return m;
}

/** The catalogue for `lang` if it is loaded (English always is). */
export function catalogue(lang: Lang): Messages | undefined {
  return loaded[lang];
}

export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** A translation function for one language; `{name}` placeholders are filled from params. */
export function translator(lang: Lang): Translate {
  const m = loaded[lang] ?? en;
  return (key, params) => {
    const s = m[key];
    return params ? s.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all)) : s;
  };
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
