/** Frame of the members' pages: quick exit, the member navigation and the scheme's help contacts. */
import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Profile } from '../../crypto/index.js';
import { LanguagePicker } from '../components/LanguagePicker.js';
import { startWithMemberLanguage } from '../components/MemberRoot.js';
import { ProfileContacts } from '../components/ProfileContacts.js';
import { memberRequest } from '../lib/member-api.js';
import { localizeProfile, verifiedProfile } from '../lib/profile.js';
import { installEscapeExit, onWipe, quickExit } from '../lib/safety.js';
import { memberCatalogues, useMemberI18n } from '../i18n/member/index.js';


export type MemberPage = 'join' | 'login' | 'warnings' | 'check' | 'settings';

/** The profile once verified; undefined while loading or when it did not verify. */
export function useProfile(): { profile?: Profile; failed: boolean } {
  const [state, set] = useState<{ profile?: Profile; failed: boolean }>({ failed: false });
  useEffect(() => {
    verifiedProfile().then(
      (profile) => set({ profile, failed: false }),
      () => set({ failed: true }),
    );
  }, []);
  return state;
}

async function logout(): Promise<void> {
  try {
    await memberRequest('/api/members/logout', { method: 'POST' });
  } finally {
    location.assign('/login');
  }
}

export function MemberLayout({ page, loggedIn, profile, children }: { page: MemberPage; loggedIn: boolean; profile?: Profile; children: ComponentChildren }) {
  const { t, lang, setLang } = useMemberI18n();
  // The tab's title in the page's language too (the .html files carry the English one).
  useEffect(() => {
    document.title = `${t(`${page}.title`)} · Tipline`;
  }, [lang, page]);
  return (
    <div class="app member">
      <header class="top">
        <nav class="member-nav" aria-label={t('nav.label')}>
          {loggedIn ? (
            <>
              <a href="/warnings" aria-current={page === 'warnings' ? 'page' : undefined}>
                {t('nav.warnings')}
              </a>
              <a href="/check" aria-current={page === 'check' ? 'page' : undefined}>
                {t('nav.check')}
              </a>
              <a href="/settings" aria-current={page === 'settings' ? 'page' : undefined}>
                {t('nav.settings')}
              </a>
              <button type="button" class="small" onClick={() => void logout()}>
                {t('nav.logout')}
              </button>
            </>
          ) : (
            <>
              <a href="/login" aria-current={page === 'login' ? 'page' : undefined}>
                {t('nav.login')}
              </a>
              <a href="/join" aria-current={page === 'join' ? 'page' : undefined}>
                {t('nav.join')}
              </a>
            </>
          )}
        </nav>
        <button type="button" class="exit" id="quick-exit" onClick={quickExit}>
          {t('nav.exit')}
        </button>
        <LanguagePicker lang={lang} langs={memberCatalogues.langs} label={t('lang.label')} onChange={setLang} />
      </header>
      <main id="main">{children}</main>
      <footer class="foot">
        {profile && <ProfileContacts profile={localizeProfile(profile, lang)} labels={{ heading: t('profile.heading'), emergency: t('profile.emergency'), support: t('profile.support'), scheme: t('profile.scheme') }} />}
        <ul>
          <li>
            <a href="/">{t('nav.report')}</a>
          </li>
        </ul>
      </footer>
    </div>
  );
}

/** Render a member page into #app. */
export function mountMember(page: () => ComponentChildren): void {
  const el = document.getElementById('app');
  if (!el) return;
  installEscapeExit();
  startWithMemberLanguage(page, (tree) => {
    el.replaceChildren();
    render(<>{tree}</>, el);
    onWipe(() => render(null, el));
  });
}
