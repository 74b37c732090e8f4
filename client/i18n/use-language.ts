/** The page's language in component state (memory only), with `lang` and `dir` on <html>. */
import { useState } from 'preact/hooks';
import { language, type Lang } from './languages.js';
import type { Catalogues } from './store.js';
import type { Message } from './plural.js';

/** Mark the document as being in `lang` (assistive technology, hyphenation, fonts). */
export function setDocumentLanguage(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = language(lang).dir;
}

/**
 * The current language and a setter that first fetches the catalogue, then switches; a
 * catalogue that cannot be fetched leaves the page as it is.
 */
export function useLanguage<M extends Readonly<Record<string, Message>>>(cats: Catalogues<M>, initial: Lang): [Lang, (lang: Lang) => void] {
  const [lang, set] = useState<Lang>(() => {
    setDocumentLanguage(initial);
    return initial;
  });
  const choose = (l: Lang) => {
    void cats.load(l).then(
      () => {
        // Set before the re-render so assistive technology never reads new text in the old language.
        setDocumentLanguage(l);
        set(l);
      },
      () => {},
    );
  };
  return [lang, choose];
}
