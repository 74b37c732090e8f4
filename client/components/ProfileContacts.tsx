/**
 * The organisation's name and its help and emergency contacts, from the verified profile
 * (lib/profile.ts). Emergency contacts come first. Text only; links are tel:, mailto: and the
 * https: URLs the profile schema allows. Labels are props so any page's catalogue can fill them.
 */
import type { Profile, ProfileContact } from '../../crypto/index.js';

export interface ProfileContactsLabels {
  heading: string;
  emergency: string;
  support: string;
  scheme: string;
}

export const PROFILE_CONTACTS_EN: ProfileContactsLabels = {
  heading: 'Help and emergency contacts',
  emergency: 'In an emergency',
  support: 'Support',
  scheme: 'This scheme',
};

const ORDER = { emergency: 0, support: 1, scheme: 2 } as const;

function Contact({ c }: { c: ProfileContact }) {
  const tel = c.phone?.replace(/[^+0-9]/g, '');
  return (
    <li class={`contact contact-${c.kind}`}>
      <strong>{c.name}</strong>
      {c.phone && (
        <>
          {' '}
          <a href={`tel:${tel}`}>{c.phone}</a>
        </>
      )}
      {c.email && (
        <>
          {' '}
          <a href={`mailto:${c.email}`}>{c.email}</a>
        </>
      )}
      {c.url && (
        <>
          {' '}
          <a href={c.url} rel="noopener noreferrer">
            {c.url}
          </a>
        </>
      )}
      {c.hours && <span class="hint"> ({c.hours})</span>}
      {c.note && <p class="hint">{c.note}</p>}
    </li>
  );
}

/** `bare`: without the heading and name, inside a panel whose own heading names the organisation. */
export function ProfileContacts({ profile, labels = PROFILE_CONTACTS_EN, headingLevel = 2, bare = false }: { profile: Profile; labels?: ProfileContactsLabels; headingLevel?: 2 | 3; bare?: boolean }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const groups = (['emergency', 'support', 'scheme'] as const)
    .map((kind) => ({ kind, list: profile.contacts.filter((c) => c.kind === kind) }))
    .filter((g) => g.list.length > 0)
    .sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  return (
    <section class="profile-contacts" aria-label={labels.heading}>
      {!bare && <H>{labels.heading}</H>}
      {!bare && <p class="profile-name">{profile.name}</p>}
      {groups.map((g) => (
        <div key={g.kind}>
          <p class="contact-group">{labels[g.kind]}</p>
          <ul class="contacts">
            {g.list.map((c, i) => (
              <Contact key={i} c={c} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
