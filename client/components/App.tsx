/** Mounts a page with the language context and the Escape quick exit. */
import { render, type ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { I18n, initialLang, loadCatalogue, reporterCatalogues, translator, type Lang } from '../i18n/index.js';
import { useLanguage } from '../i18n/use-language.js';
import { installEscapeExit, onWipe } from '../lib/safety.js';

function Root({ initial, children }: { initial: Lang; children: ComponentChildren }) {
  const [lang, setLang] = useLanguage(reporterCatalogues, initial);
  const value = useMemo(() => ({ lang, t: translator(lang), setLang }), [lang]);
  return <I18n.Provider value={value}>{children}</I18n.Provider>;
}

/** Render `page` into #app, replacing the no-JavaScript fallback. */
export function mount(page: () => ComponentChildren): void {
  const el = document.getElementById('app');
  if (!el) return;
  installEscapeExit();
  const lang = initialLang();
  const start = (l: Lang) => () => {
    el.replaceChildren();
    render(<Root initial={l}>{page()}</Root>, el);
    // On quick exit the whole tree goes, taking every answer held in component state with it.
    onWipe(() => render(null, el));
  };
  // The first language's catalogue (English is built in; another is one small request).
  void loadCatalogue(lang).then(start(lang), start('en'));
}
