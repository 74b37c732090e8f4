/**
 * The languages tipline speaks: tag (BCP 47, also the catalogue file name), the name of the
 * language in itself (for the picker), text direction, and whether a native speaker has
 * reviewed the translation. The README's table of languages is checked against this list
 * (tests/i18n/readme.test.ts). Which catalogues exist for each language is in the loader maps
 * (./loaders.ts, ./member/loaders.ts); a language shows in a picker once its catalogue does.
 */
export interface Language {
  readonly tag: string;
  /** the name in the language itself (the picker) */
  readonly endonym: string;
  readonly dir: 'ltr' | 'rtl';
  /** a native speaker has reviewed every catalogue of this language */
  readonly reviewed: boolean;
}

export const LANGUAGES = [
  { tag: 'en', endonym: 'English', dir: 'ltr', reviewed: true },
  { tag: 'ro', endonym: 'Română', dir: 'ltr', reviewed: false },
  { tag: 'bg', endonym: 'Български', dir: 'ltr', reviewed: false },
  { tag: 'pl', endonym: 'Polski', dir: 'ltr', reviewed: false },
  { tag: 'hu', endonym: 'Magyar', dir: 'ltr', reviewed: false },
  { tag: 'pt-BR', endonym: 'Português do Brasil', dir: 'ltr', reviewed: false },
  { tag: 'es', endonym: 'Español', dir: 'ltr', reviewed: false },
  { tag: 'it', endonym: 'Italiano', dir: 'ltr', reviewed: false },
  { tag: 'fr', endonym: 'Français', dir: 'ltr', reviewed: false },
  { tag: 'ru', endonym: 'Русский', dir: 'ltr', reviewed: false },
  { tag: 'uk', endonym: 'Українська', dir: 'ltr', reviewed: false },
  { tag: 'th', endonym: 'ไทย', dir: 'ltr', reviewed: false },
  { tag: 'zh-CN', endonym: '简体中文', dir: 'ltr', reviewed: false },
  { tag: 'sq', endonym: 'Shqip', dir: 'ltr', reviewed: false },
] as const satisfies readonly Language[];

/** The pseudo-locale: English made longer and accented, to find cut-off and untranslated text. Never a file; offered only when the browser asks for it. */
export const PSEUDO = 'en-XA';
export const PSEUDO_LANGUAGE: Language = { tag: PSEUDO, endonym: '[Ƥšéûðö]', dir: 'ltr', reviewed: false };

export type RealLang = (typeof LANGUAGES)[number]['tag'];
export type Lang = RealLang | typeof PSEUDO;

/** The registry entry of `tag` (the pseudo-locale included). */
export function language(tag: Lang): Language {
  return tag === PSEUDO ? PSEUDO_LANGUAGE : LANGUAGES.find((l) => l.tag === tag)!;
}

/** The language a report records for `lang` (the pseudo-locale is English). */
export function reportLanguage(lang: Lang): RealLang {
  return lang === PSEUDO ? 'en' : lang;
}

const primary = (tag: string) => tag.toLowerCase().split('-')[0]!;

/**
 * The best of `available` for the browser's preferences (navigator.languages order). For
 * each preference in turn: the exact tag (any case), else the first available language with
 * the same primary subtag (`pt-PT` → `pt-BR`, `zh-TW` → `zh-CN`, `en-GB` → `en`). The
 * pseudo-locale is matched only exactly. Undefined when nothing matches.
 */
export function matchLanguage<T extends string>(prefs: readonly string[], available: readonly T[]): T | undefined {
  for (const p of prefs) {
    const want = String(p).trim().toLowerCase();
    if (!want) continue;
    const exact = available.find((a) => a.toLowerCase() === want);
    if (exact) return exact;
    const same = available.find((a) => a !== PSEUDO && primary(a) === primary(want));
    if (same) return same;
  }
  return undefined;
}

/** The browser's language preferences (none outside a browser). */
export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}
