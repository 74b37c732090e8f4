/**
 * What a person sees at an address that does not exist: a page, not raw JSON, with the quick
 * exit and a way back (issue 13). API paths keep their JSON error. English and Romanian, like
 * the reporter's app. SLOT: the organisation profile (name, help, emergency contacts) goes in
 * the "help" section once the signed profile is available on the server side.
 */
import type { Context } from 'hono';
import { page } from './html.js';

export const NOT_FOUND_HTML = page(
  'Page not found',
  `<h1>This page does not exist</h1>
<p lang="ro">Această pagină nu există.</p>
<ul class="links">
<li><a href="/">Report a dangerous person</a> · <a href="/" lang="ro">Raportează o persoană periculoasă</a></li>
<li><a href="/follow-up">Read replies with your receipt code</a> · <a href="/follow-up" lang="ro">Citește răspunsurile</a></li>
<li><a href="/report/basic">The basic form (works without JavaScript)</a> · <a href="/report/basic?lang=ro" lang="ro">Formularul simplu</a></li>
</ul>
<section class="help" aria-labelledby="help-heading" data-slot="organisation-profile">
<h2 id="help-heading">Need help now?</h2>
<p>If you are in danger now, call 999 (UK) or 112 (anywhere in Europe).</p>
<p lang="ro">Dacă ești în pericol acum, sună la 112 (în toată Europa) sau la 999 (în Marea Britanie).</p>
</section>`,
);

/** 404: JSON for API paths, the page above for everything else. */
export function notFound(c: Context): Response {
  if (c.req.path.startsWith('/api/')) return c.json({ error: 'not found' }, 404);
  return c.html(NOT_FOUND_HTML, 404);
}
