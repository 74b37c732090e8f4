/** Frame of the members' pages: quick exit, the member navigation and the scheme's help contacts. */
import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Profile } from '../../crypto/index.js';
import { ProfileContacts } from '../components/ProfileContacts.js';
import { memberRequest } from '../lib/member-api.js';
import { verifiedProfile } from '../lib/profile.js';
import { installEscapeExit, onWipe, quickExit } from '../lib/safety.js';
import { memberText } from './text.js';

const M = memberText();

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
  return (
    <div class="app member">
      <header class="top">
        <nav class="member-nav" aria-label={M.nav.label}>
          {loggedIn ? (
            <>
              <a href="/warnings" aria-current={page === 'warnings' ? 'page' : undefined}>
                {M.nav.warnings}
              </a>
              <a href="/check" aria-current={page === 'check' ? 'page' : undefined}>
                {M.nav.check}
              </a>
              <a href="/settings" aria-current={page === 'settings' ? 'page' : undefined}>
                {M.nav.settings}
              </a>
              <button type="button" class="small" onClick={() => void logout()}>
                {M.nav.logout}
              </button>
            </>
          ) : (
            <>
              <a href="/login" aria-current={page === 'login' ? 'page' : undefined}>
                {M.nav.login}
              </a>
              <a href="/join" aria-current={page === 'join' ? 'page' : undefined}>
                {M.nav.join}
              </a>
            </>
          )}
        </nav>
        <button type="button" class="exit" id="quick-exit" onClick={quickExit}>
          {M.nav.exit}
        </button>
      </header>
      <main id="main">{children}</main>
      <footer class="foot">
        {profile && <ProfileContacts profile={profile} />}
        <ul>
          <li>
            <a href="/">{M.nav.report}</a>
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
  el.replaceChildren();
  render(<>{page()}</>, el);
  onWipe(() => render(null, el));
}
