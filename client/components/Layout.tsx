/** Page frame: a compact sticky bar (quick exit, language picker), links to the other pages and the basic form at the bottom. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { reporterCatalogues, useI18n } from '../i18n/index.js';
import { reportLanguage } from '../i18n/languages.js';
import { useBusy } from '../lib/busy.js';
import { onEscapeArmed, quickExit } from '../lib/safety.js';
import { LanguagePicker } from './LanguagePicker.js';

export function Layout({ page, children }: { page: 'report' | 'follow-up'; children: ComponentChildren }) {
  const { t, lang, setLang } = useI18n();
  const busy = useBusy();
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    onEscapeArmed(setArmed);
    return () => onEscapeArmed(undefined);
  }, []);
  const link = (href: string, text: string) =>
    // While a report is being sent, leaving would lose it: the link is shown but inert.
    busy ? (
      <a aria-disabled="true" class="disabled">
        {text}
      </a>
    ) : (
      <a href={href}>{text}</a>
    );
  return (
    <div class="app">
      <header class="top">
        <button type="button" class="exit" id="quick-exit" aria-describedby="quick-exit-hint" onClick={quickExit}>
          {t('exit.button')}
        </button>
        <LanguagePicker lang={lang} langs={reporterCatalogues.langs} label={t('lang.switch')} onChange={setLang} />
      </header>
      <p id="quick-exit-hint" class="exit-hint">
        {t('exit.hint')}
      </p>
      <p class="escape-armed" role="status">
        {armed ? t('exit.again') : ''}
      </p>
      <main id="main">{children}</main>
      <footer class="foot">
        <p>{t('footer.privacy')}</p>
        <ul>
          <li>{page === 'report' ? link('/follow-up', t('footer.followUp')) : link('/', t('footer.report'))}</li>
          <li>{link(`/report/basic?lang=${reportLanguage(lang)}`, t('footer.basic'))}</li>
        </ul>
      </footer>
    </div>
  );
}
