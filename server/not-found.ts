/**
 * What a person sees at an address that does not exist: a page, not raw JSON, with the quick
 * exit and a way back (issue 13). API paths keep their JSON error. The page is in the
 * visitor's language (`?lang=`, else Accept-Language, else English: server/i18n.ts), and its
 * link to the basic form keeps that language. The help section carries the verified
 * organisation profile when there is one (server/profile-html.ts), else the generic emergency numbers.
 */
import type { Context } from 'hono';
import { localizeProfile, type Profile } from '../crypto/index.js';
import { esc, page } from './html.js';
import { basicText, ENGLISH, pageLang, requestLang, type ServerLanguage } from './i18n.js';
import { helpLabels, helpSectionHtml } from './profile-html.js';

/** The 404 page in `lang`, with the help section for `profile` (already verified). */
export function notFoundHtml(profile?: Profile, lang: ServerLanguage = ENGLISH): string {
  const b = (k: Parameters<typeof basicText>[1]) => esc(basicText(lang, k));
  return page(
    basicText(lang, 'notFound.title'),
    `<h1>${b('notFound.heading')}</h1>
<ul class="links">
<li><a href="/">${b('notFound.report')}</a></li>
<li><a href="/follow-up">${b('notFound.followUp')}</a></li>
<li><a href="/report/basic?lang=${esc(encodeURIComponent(lang.tag))}">${b('notFound.basic')}</a></li>
</ul>
${helpSectionHtml(profile && localizeProfile(profile, lang.tag), helpLabels(lang, `<p>${b('notFound.emergency')}</p>`))}`,
    pageLang(lang),
  );
}

export const NOT_FOUND_HTML = notFoundHtml();

const langOf = (c: Context) => requestLang(c.req.query('lang'), c.req.header('accept-language'));

/** 404 without the profile: JSON for API paths, the page above for everything else. */
export function notFound(c: Context): Response {
  if (c.req.path.startsWith('/api/')) return c.json({ error: 'not found' }, 404);
  return c.html(notFoundHtml(undefined, langOf(c)), 404, { Vary: 'Accept-Language' });
}

/** 404 with the verified profile from `profile()` (a failure there means the generic page). */
export function notFoundWithProfile(profile: () => Promise<Profile | undefined>) {
  return async function notFoundPage(c: Context): Promise<Response> {
    if (c.req.path.startsWith('/api/')) return c.json({ error: 'not found' }, 404);
    const p = await profile().catch(() => undefined);
    return c.html(notFoundHtml(p, langOf(c)), 404, { Vary: 'Accept-Language' });
  };
}
