/** Page frame: quick exit and language switch on top, links to the other pages and the basic form at the bottom. */
import type { ComponentChildren } from 'preact';
import { LANGS, catalogues, useI18n } from '../i18n/index.js';
import { quickExit } from '../lib/safety.js';

export function Layout({ page, children }: { page: 'report' | 'follow-up'; children: ComponentChildren }) {
  const { t, lang, setLang } = useI18n();
  return (
    <div class="app">
      <header class="top">
        <nav class="langs" aria-label={t('lang.switch')}>
          {LANGS.map((l) => (
            <button type="button" key={l} lang={l} class="lang" aria-pressed={l === lang} onClick={() => setLang(l)}>
              {catalogues[l]['lang.name']}
            </button>
          ))}
        </nav>
        <button type="button" class="exit" id="quick-exit" aria-describedby="quick-exit-hint" onClick={quickExit}>
          {t('exit.button')}
        </button>
        <p id="quick-exit-hint" class="visually-hidden">
          {t('exit.hint')}
        </p>
      </header>
      <main id="main">{children}</main>
      <footer class="foot">
        <p>{t('footer.privacy')}</p>
        <ul>
          <li>
            {page === 'report' ? <a href="/follow-up">{t('footer.followUp')}</a> : <a href="/">{t('footer.report')}</a>}
          </li>
          <li>
            <a href="/report/basic">{t('footer.basic')}</a>
          </li>
        </ul>
      </footer>
    </div>
  );
}
