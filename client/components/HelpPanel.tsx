/**
 * Where to get help now. SLOT for the signed organisation profile (crypto/profile.ts,
 * GET /api/profile, client/lib/profile.ts, built separately): pass `profile` once it is
 * verified and it replaces the generic text. Until then everyone sees the emergency numbers.
 */
import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/index.js';

/** What this panel shows of a verified organisation profile (the integrator maps the real type onto it). */
export interface HelpProfile {
  name?: string;
  /** One short paragraph: how to reach the scheme. Shown as text. */
  help?: string;
  /** Labelled numbers, e.g. { label: 'Emergency', number: '999' }. */
  contacts?: readonly { label: string; number: string }[];
}

export function HelpPanel({ profile, children }: { profile?: HelpProfile; children?: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <aside class="help" aria-labelledby="help-heading" data-slot="organisation-profile">
      <h2 id="help-heading">{profile?.name ? t('help.headingNamed', { name: profile.name }) : t('help.heading')}</h2>
      {children}
      {profile?.help && <p class="pre">{profile.help}</p>}
      {profile?.contacts && profile.contacts.length > 0 && (
        <ul>
          {profile.contacts.map((c) => (
            <li key={c.number}>
              {c.label}: <a href={`tel:${c.number.replace(/[^0-9+]/g, '')}`}>{c.number}</a>
            </li>
          ))}
        </ul>
      )}
      <p>{t('help.emergency')}</p>
    </aside>
  );
}
