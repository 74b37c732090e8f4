/**
 * The "Need help now?" section of the server-rendered pages (no-JS form, 404): the verified
 * organisation profile's name and contacts (ServerContext.profile()), emergency first, as
 * escaped text; the generic 999/112 line when there is no verified profile or it names no
 * emergency contact. Mirrors client/components/HelpPanel.tsx.
 */
import { CONTACT_KINDS, type ContactKind, type Profile, type ProfileContact } from '../crypto/index.js';
import { esc } from './html.js';
import { reporterText, type ServerLanguage } from './i18n.js';

export interface HelpLabels {
  heading: string;
  /** With a `{name}` placeholder. */
  headingNamed: string;
  /** The contacts list's accessible name. */
  contacts: string;
  groups: Readonly<Record<ContactKind, string>>;
  /** The generic emergency line(s), already HTML (each a `<p>`). */
  genericHtml: string;
}

/** The help section's labels in `lang`, worded as the wizard's help panel (client/i18n/<tag>.ts). */
export function helpLabels(lang: ServerLanguage, genericHtml: string): HelpLabels {
  const t = (k: Parameters<typeof reporterText>[1]) => reporterText(lang, k);
  return {
    heading: t('help.heading'),
    headingNamed: t('help.headingNamed'),
    contacts: t('profile.heading'),
    groups: { emergency: t('profile.emergency'), support: t('profile.support'), scheme: t('profile.scheme') },
    genericHtml,
  };
}

function contactHtml(c: ProfileContact): string {
  const parts = [`<strong>${esc(c.name)}</strong>`];
  if (c.phone) parts.push(`<a href="tel:${esc(c.phone.replace(/[^+0-9]/g, ''))}">${esc(c.phone)}</a>`);
  if (c.email) parts.push(`<a href="mailto:${esc(c.email)}">${esc(c.email)}</a>`);
  if (c.url && c.url.startsWith('https://')) parts.push(`<a href="${esc(c.url)}" rel="noopener noreferrer">${esc(c.url)}</a>`);
  if (c.hours) parts.push(`(${esc(c.hours)})`);
  return `<li class="contact contact-${c.kind}">${parts.join(' ')}${c.note ? `<br>${esc(c.note)}` : ''}</li>`;
}

/** The whole help section; `profile` must already be verified. */
export function helpSectionHtml(profile: Profile | undefined, L: HelpLabels): string {
  const heading = esc(profile ? L.headingNamed.replace('{name}', () => profile.name) : L.heading);
  let body = '';
  if (profile) {
    body += `<div class="profile-contacts" role="group" aria-label="${esc(L.contacts)}">`;
    for (const kind of CONTACT_KINDS) {
      const list = profile.contacts.filter((c) => c.kind === kind);
      if (list.length) body += `<p class="contact-group">${esc(L.groups[kind])}</p><ul class="contacts">${list.map(contactHtml).join('')}</ul>`;
    }
    body += '</div>';
  }
  const hasEmergency = profile?.contacts.some((c) => c.kind === 'emergency') ?? false;
  if (!hasEmergency) body += L.genericHtml;
  return `<section class="help" aria-labelledby="help-heading" data-slot="organisation-profile" data-profile="${profile ? 'verified' : 'none'}"><h2 id="help-heading">${heading}</h2>${body}</section>`;
}
