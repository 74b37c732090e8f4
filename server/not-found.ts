/**
 * What a person sees at an address that does not exist: a page, not raw JSON, with the quick
 * exit and a way back (issue 13). API paths keep their JSON error. English and Romanian, like
 * the reporter's app. The help section carries the verified organisation profile when there
 * is one (server/profile-html.ts), else the generic emergency numbers.
 */
import type { Context } from 'hono';
import type { Profile } from '../crypto/index.js';
import { en, type Messages } from '../client/i18n/en.js';
import { ro } from '../client/i18n/ro.js';
import { page } from './html.js';
import { helpSectionHtml } from './profile-html.js';

const GENERIC = `<p>If you are in danger now, call 999 (UK) or 112 (anywhere in Europe).</p>
<p lang="ro">Dacă ești în pericol acum, sună la 112 (în toată Europa) sau la 999 (în Marea Britanie).</p>`;

/** The help section's labels from a reporter-page catalogue, so they read as the wizard's do. */
const labels = (m: Messages) => ({
  heading: m['help.heading'],
  headingNamed: m['help.headingNamed'],
  contacts: m['profile.heading'],
  groups: { emergency: m['profile.emergency'], support: m['profile.support'], scheme: m['profile.scheme'] },
});

/** The 404 page, with the help section for `profile` (already verified). */
export function notFoundHtml(profile?: Profile): string {
  return page(
    'Page not found',
    `<h1>This page does not exist</h1>
<p lang="ro">Această pagină nu există.</p>
<ul class="links">
<li><a href="/">Report a dangerous person</a> · <a href="/" lang="ro">Raportează o persoană periculoasă</a></li>
<li><a href="/follow-up">Read replies with your receipt code</a> · <a href="/follow-up" lang="ro">Citește răspunsurile</a></li>
<li><a href="/report/basic">The basic form (works without JavaScript)</a> · <a href="/report/basic?lang=ro" lang="ro">Formularul simplu</a></li>
</ul>
${helpSectionHtml(profile, { ...labels(en), genericHtml: GENERIC, alt: { lang: 'ro', ...labels(ro) } })}`,
  );
}

export const NOT_FOUND_HTML = notFoundHtml();

/** 404 without the profile: JSON for API paths, the page above for everything else. */
export function notFound(c: Context): Response {
  if (c.req.path.startsWith('/api/')) return c.json({ error: 'not found' }, 404);
  return c.html(NOT_FOUND_HTML, 404);
}

/** 404 with the verified profile from `profile()` (a failure there means the generic page). */
export function notFoundWithProfile(profile: () => Promise<Profile | undefined>) {
  return async function notFoundPage(c: Context): Promise<Response> {
    if (c.req.path.startsWith('/api/')) return c.json({ error: 'not found' }, 404);
    const p = await profile().catch(() => undefined);
    return c.html(notFoundHtml(p), 404);
  };
}
