/**
 * Languages of the server-rendered pages (no-JavaScript form, 404, placeholder): which ones
 * exist, which one a request asks for (`?lang=`, else Accept-Language, else English), and
 * their messages. The languages are the shared registry's (client/i18n/languages.ts) that
 * have both catalogues in CATALOGUES below. The server imports every catalogue statically
 * (weight does not matter on the server): adding a language is two import lines and one
 * entry there (tests/server/i18n.test.ts fails while a basic catalogue file is left out).
 */
import type { PageLang } from './html.js';
import { LANGUAGES as REGISTRY, type RealLang } from '../client/i18n/languages.js';
import { en as reporterEn, type MessageKey, type Messages } from '../client/i18n/en.js';
import { messages as reporterRo } from '../client/i18n/ro.js';
import { messages as basicEn, type BasicMessageKey, type BasicMessages } from '../client/i18n/basic/en.js';
import { messages as basicRo } from '../client/i18n/basic/ro.js';
import { messages as reporterBg } from '../client/i18n/bg.js';
import { messages as basicBg } from '../client/i18n/basic/bg.js';
import { messages as reporterPl } from '../client/i18n/pl.js';
import { messages as basicPl } from '../client/i18n/basic/pl.js';
import { messages as reporterHu } from '../client/i18n/hu.js';
import { messages as basicHu } from '../client/i18n/basic/hu.js';
import { messages as reporterPtBR } from '../client/i18n/pt-BR.js';
import { messages as basicPtBR } from '../client/i18n/basic/pt-BR.js';
import { messages as reporterEs } from '../client/i18n/es.js';
import { messages as basicEs } from '../client/i18n/basic/es.js';
import { messages as reporterIt } from '../client/i18n/it.js';
import { messages as basicIt } from '../client/i18n/basic/it.js';
import { messages as reporterFr } from '../client/i18n/fr.js';
import { messages as basicFr } from '../client/i18n/basic/fr.js';
import { messages as reporterRu } from '../client/i18n/ru.js';
import { messages as basicRu } from '../client/i18n/basic/ru.js';
import { messages as reporterUk } from '../client/i18n/uk.js';
import { messages as basicUk } from '../client/i18n/basic/uk.js';
import { messages as reporterTh } from '../client/i18n/th.js';
import { messages as basicTh } from '../client/i18n/basic/th.js';
import { messages as reporterZhCN } from '../client/i18n/zh-CN.js';
import { messages as basicZhCN } from '../client/i18n/basic/zh-CN.js';
import { messages as reporterSq } from '../client/i18n/sq.js';
import { messages as basicSq } from '../client/i18n/basic/sq.js';
import { formatMessage, type Params } from '../client/i18n/format.js';

/** Each language's reporter catalogue (the form's questions) and basic catalogue (this page's own strings). */
const CATALOGUES: Readonly<Record<RealLang, { readonly reporter: Messages; readonly basic: BasicMessages }>> = {
  en: { reporter: reporterEn, basic: basicEn },
  ro: { reporter: reporterRo, basic: basicRo },
  bg: { reporter: reporterBg, basic: basicBg },
  pl: { reporter: reporterPl, basic: basicPl },
  hu: { reporter: reporterHu, basic: basicHu },
  'pt-BR': { reporter: reporterPtBR, basic: basicPtBR },
  es: { reporter: reporterEs, basic: basicEs },
  it: { reporter: reporterIt, basic: basicIt },
  fr: { reporter: reporterFr, basic: basicFr },
  ru: { reporter: reporterRu, basic: basicRu },
  uk: { reporter: reporterUk, basic: basicUk },
  th: { reporter: reporterTh, basic: basicTh },
  'zh-CN': { reporter: reporterZhCN, basic: basicZhCN },
  sq: { reporter: reporterSq, basic: basicSq },
};

export interface ServerLanguage {
  /** BCP 47 tag, as the catalogue files are named. */
  readonly tag: RealLang;
  /** The language's name in itself. */
  readonly endonym: string;
  readonly dir: 'ltr' | 'rtl';
  readonly reporter: Messages;
  readonly basic: BasicMessages;
}

/** Every language of the server pages, in the registry's order (English first, the fallback). */
export const LANGUAGES: readonly ServerLanguage[] = REGISTRY.flatMap((l) => {
  const c = CATALOGUES[l.tag];
  // The endonym as the language's own catalogue writes it (`lang.name`; the registry's `endonym` is the same text).
  return c ? [{ tag: l.tag, endonym: c.reporter['lang.name'], dir: l.dir, ...c }] : [];
});

export type ServerLang = ServerLanguage;
export const ENGLISH: ServerLanguage = LANGUAGES[0]!;

const BY_TAG = new Map(LANGUAGES.map((l) => [l.tag.toLowerCase(), l]));

/**
 * The registered language for one BCP 47 tag: the exact tag (case-insensitive), else the
 * first language with the same primary subtag (`pt`, `pt-PT` → pt-BR; `zh-TW` → zh-CN;
 * `en-GB` → en), else undefined.
 */
export function matchTag<L extends { readonly tag: string }>(tag: string, languages: readonly L[]): L | undefined {
  const t = tag.toLowerCase();
  const exact = languages.find((l) => l.tag.toLowerCase() === t);
  if (exact) return exact;
  const primary = t.split('-')[0]!;
  return languages.find((l) => l.tag.toLowerCase().split('-')[0] === primary);
}

/** At most this much of an Accept-Language header is read, and at most this many entries. */
export const ACCEPT_LANGUAGE_MAX_CHARS = 512;
export const ACCEPT_LANGUAGE_MAX_ENTRIES = 24;
const ENTRY = /^([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,7}|\*)(?:;[qQ]=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?))?$/;

/**
 * The language an Accept-Language header (RFC 9110 §12.5.4) prefers among `languages`:
 * entries by quality (q=0 excluded, equal q in header order), each matched by exact tag then
 * primary subtag. Malformed entries are skipped and only the first
 * ACCEPT_LANGUAGE_MAX_CHARS characters / ACCEPT_LANGUAGE_MAX_ENTRIES entries are read, so a
 * hostile header costs little. Undefined when nothing matches (the caller falls back to English).
 */
export function negotiate<L extends { readonly tag: string }>(header: string | undefined, languages: readonly L[]): L | undefined {
  if (!header) return undefined;
  const text = header.length > ACCEPT_LANGUAGE_MAX_CHARS ? header.slice(0, header.lastIndexOf(',', ACCEPT_LANGUAGE_MAX_CHARS) + 1) : header;
  const prefs: { tag: string; q: number; i: number }[] = [];
  const parts = text.split(',', ACCEPT_LANGUAGE_MAX_ENTRIES);
  for (let i = 0; i < parts.length; i++) {
    const m = ENTRY.exec(parts[i]!.replace(/[ \t]+/g, ''));
    if (!m || m[1] === '*') continue;
    const q = m[2] === undefined ? 1 : Number(m[2]);
    if (q > 0) prefs.push({ tag: m[1]!, q, i });
  }
  prefs.sort((a, b) => b.q - a.q || a.i - b.i);
  for (const p of prefs) {
    const l = matchTag(p.tag, languages);
    if (l) return l;
  }
  return undefined;
}

/** The language a `?lang=` / form value names exactly (by tag, case-insensitive); undefined for anything else. */
export function byTag(value: string | undefined): ServerLanguage | undefined {
  return value && value.length <= 35 ? BY_TAG.get(value.toLowerCase()) : undefined;
}

/** The request's language: `?lang=` if it names one exactly, else Accept-Language, else English. */
export function requestLang(query: string | undefined, acceptLanguage: string | undefined): ServerLanguage {
  return byTag(query) ?? negotiate(acceptLanguage, LANGUAGES) ?? ENGLISH;
}

export type { Params };

/** A basic-catalogue message in `lang` (English if missing); a plural message picks its form by `params.n` (Intl.PluralRules). */
export function basicText(lang: ServerLanguage, key: BasicMessageKey, params?: Params): string {
  return formatMessage(lang.tag, lang.basic[key] ?? ENGLISH.basic[key], params);
}

/** A reporter-catalogue message in `lang` (the wizard's wording), English if missing. */
export function reporterText(lang: ServerLanguage, key: MessageKey, params?: Params): string {
  return formatMessage(lang.tag, lang.reporter[key] ?? ENGLISH.reporter[key], params);
}

/** The page shell's language attributes and quick-exit text (server/html.ts page()). */
export function pageLang(lang: ServerLanguage): PageLang {
  return { tag: lang.tag, dir: lang.dir, exit: reporterText(lang, 'exit.button') };
}
