/**
 * Message catalogues and the language switch. The language lives in memory only (no
 * cookie, no storage, no URL): switching re-renders without a reload.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type MessageKey, type Messages } from './en.js';
import { ro } from './ro.js';

export type { MessageKey, Messages };
export const LANGS = ['en', 'ro'] as const;
export type Lang = (typeof LANGS)[number];
export const catalogues: Readonly<Record<Lang, Messages>> = { en, ro };

export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** A translation function for one language; `{name}` placeholders are filled from params. */
export function translator(lang: Lang): Translate {
  const m = catalogues[lang];
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
