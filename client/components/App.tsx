/** Mounts a page with the language context and the Escape quick exit. */
import { render, type ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { I18n, initialLang, loadCatalogue, translator, type Lang } from '../i18n/index.js';
import { installEscapeExit, onWipe } from '../lib/safety.js';

function Root({ children }: { children: ComponentChildren }) {
  const [lang, setLang] = useState<Lang>(() => {
    const l = initialLang();
    document.documentElement.lang = l;
    return l;
  });
  const value = useMemo(
    () => ({
      lang,
      t: translator(lang),
      setLang(l: Lang) {
        void loadCatalogue(l).then(
          () => {
            // Set before the re-render so assistive technology never reads new text in the old language.
            document.documentElement.lang = l;
            setLang(l);
          },
          () => {},
        );
      },
    }),
    [lang],
  );
  return <I18n.Provider value={value}>{children}</I18n.Provider>;
}

/** Render `page` into #app, replacing the no-JavaScript fallback. */
export function mount(page: () => ComponentChildren): void {
  const el = document.getElementById('app');
  if (!el) return;
  installEscapeExit();
  const start = () => {
    el.replaceChildren();
    render(<Root>{page()}</Root>, el);
    // On quick exit the whole tree goes, taking every answer held in component state with it.
    onWipe(() => render(null, el));
  };
  // The first language's catalogue (English is built in; another is one small request).
  void loadCatalogue(initialLang()).then(start, start);
}
