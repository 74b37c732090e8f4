/**
 * Where to get help now. Shows the signed organisation profile (crypto/profile.ts) once it
 * has verified in the browser (lib/profile-lazy.ts, fetched after the first paint); until
 * then, and whenever it fails, everyone sees the generic emergency numbers.
 */
import type { ComponentChildren } from 'preact';
import type { Profile } from '../../crypto/index.js';
import { useI18n } from '../i18n/index.js';
import { useProfile } from '../lib/profile-lazy.js';
import { ProfileContacts } from './ProfileContacts.js';

/**
 * `reachScheme`: the page could not reach the scheme (keyring refused); lead with the
 * profile's own contacts as the other way.
 */
export function HelpPanel({ profile: given, reachScheme, children }: { profile?: Profile; reachScheme?: boolean; children?: ComponentChildren }) {
  const { t, lang } = useI18n();
  const loaded = useProfile(lang);
  const profile = given ?? loaded;
  const hasEmergency = profile?.contacts.some((c) => c.kind === 'emergency') ?? false;
  const other = profile?.contacts.filter((c) => c.kind === 'scheme' || c.kind === 'support') ?? [];
  return (
    <aside class="help" aria-labelledby="help-heading" data-slot="organisation-profile" data-profile={profile ? 'verified' : 'none'}>
      <h2 id="help-heading">{profile?.name ? t('help.headingNamed', { name: profile.name }) : t('help.heading')}</h2>
      {children}
      {reachScheme && profile && other.length > 0 && (
        <p class="ok" id="reach-scheme">
          {t('help.reachScheme')}
        </p>
      )}
      {profile && (
        <ProfileContacts
          profile={profile}
          bare
          labels={{ heading: t('profile.heading'), emergency: t('profile.emergency'), support: t('profile.support'), scheme: t('profile.scheme') }}
        />
      )}
      {profile?.nextSteps && <p class="pre hint">{profile.nextSteps}</p>}
      {!hasEmergency && <p>{t('help.emergency')}</p>}
    </aside>
  );
}
