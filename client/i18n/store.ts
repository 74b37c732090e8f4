/**
 * One kind of catalogue (reporter pages, members' pages) in every language that has it:
 * English built in, every other language fetched when chosen, so a page downloads only the
 * language it shows (page weight does not grow with the number of languages). The pseudo-
 * locale is made from English on demand, in a chunk of its own.
 */
import { formatMessage, type Params } from './format.js';
import { PSEUDO, browserLanguages, matchLanguage, type Lang, type RealLang } from './languages.js';
import type { Message } from './plural.js';

/** Loads one language's catalogue module (`() => import('./pl.js')`: each its own chunk). */
export type Loader<M> = () => Promise<{ readonly messages: M }>;
/** The languages other than English that have a catalogue of this kind, one line each. */
export type Loaders<M> = { readonly [L in Exclude<RealLang, 'en'>]?: Loader<M> };

export interface Catalogues<M extends Readonly<Record<string, Message>>> {
  /** Languages with a catalogue of this kind, English first (not the pseudo-locale). */
  readonly langs: readonly Lang[];
  /** The catalogue for `lang`, fetched once. @throws when the chunk cannot be loaded */
  load(lang: Lang): Promise<M>;
  /** The catalogue for `lang` if loaded (English always is). */
  get(lang: Lang): M | undefined;
  /** The text of `key` in `lang` (English while `lang` is not loaded). */
  text(lang: Lang, key: keyof M & string, params?: Params): string;
  /** The language to start in: the browser's preference among `langs` (or the pseudo-locale), else English. */
  initial(prefs?: readonly string[]): Lang;
}

/** The catalogues of one kind from its English catalogue and its loader map. */
export function catalogues<M extends Readonly<Record<string, Message>>>(english: M, loaders: Loaders<M>): Catalogues<M> {
  const loaded = new Map<Lang, M>([['en', english]]);
  const langs: Lang[] = ['en', ...(Object.keys(loaders) as Lang[])];
  return {
    langs,
    async load(lang) {
      const have = loaded.get(lang);
      if (have) return have;
      let m: M;
      if (lang === PSEUDO) m = (await import('./pseudo.js')).pseudoCatalogue(english);
      else {
        const loader = loaders[lang as keyof Loaders<M>];
        if (!loader) throw new Error('unknown language');
        m = (await loader()).messages;
      }
      loaded.set(lang, m);
      return m;
    },
    get: (lang) => loaded.get(lang),
    text(lang, key, params) {
      const m = loaded.get(lang);
      return m ? formatMessage(lang === PSEUDO ? 'en' : lang, m[key]!, params) : formatMessage('en', english[key]!, params);
    },
    initial(prefs = browserLanguages()) {
      return matchLanguage(prefs, [...langs, PSEUDO]) ?? 'en';
    },
  };
}
