import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReport, decrypt } from '../../../crypto/index.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';
import { en } from '../../../client/i18n/en.js';
import { ro } from '../../../client/i18n/ro.js';
import { esc } from '../../../server/html.js';
import { LANGUAGES } from '../../../server/i18n.js';

const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)![1]!;

export function basicFormSuite(getFactory: GetFactory): void {
  describe('no-JavaScript report form', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory(), { config: { basicForm: { minFillSeconds: 2, perHour: 18, windowMinutes: 10 } } });
    });
    afterAll(() => h.close());

    const form = async () => {
      const r = await h.request('/report/basic');
      return { r, html: await r.text() };
    };
    const post = (fields: [string, string][], type = 'application/x-www-form-urlencoded') =>
      h.request('/report/basic', { method: 'POST', headers: { 'content-type': type }, body: new URLSearchParams(fields).toString() });
    const fill = (token: string, extra: [string, string][] = []): [string, string][] => [
      ['token', token],
      ['incidentTypes', 'violence'],
      ['incidentTypes', 'robbery'],
      ['publishWarning', 'yes'],
      ['website', ''],
      ...extra,
    ];

    it('serves a server-rendered form with no inline script or style and a stylesheet file', async () => {
      const { r, html } = await form();
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.headers.get('cache-control')).toBe('no-store');
      // One script, a file: the quick exit's upgrade where JavaScript runs (the form works without it).
      expect(html.replace('<script src="/report/basic.js" defer></script>', '')).not.toMatch(/<script|\sstyle=|<style|javascript:|\son[a-z]+=/i);
      const js = await h.request('/report/basic.js');
      expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await js.text()).toContain('location.replace');
      expect(html).toContain('<link rel="stylesheet" href="/report/basic.css">');
      expect(html).toContain('autocomplete="off"');
      expect(tokenOf(html)).toMatch(/^[A-Za-z0-9_-]{51}$/);
      const css = await h.request('/report/basic.css');
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    });

    it('encrypts a posted report in memory to the keyring and stores only ciphertext marked server-encrypted', async () => {
      const canary = `canary-${Math.random().toString(36).slice(2)}`;
      const token = tokenOf((await form()).html);
      h.clock.advance(3);
      const before = await h.counts();
      const r = await post(fill(token, [['account', `He said his name was ${canary}.`], ['area', 'Old Town'], ['phones', '07700 900123\n07700 900456'], ['timeBand', 'evening']]));
      expect(r.status).toBe(303);
      const location = r.headers.get('location')!;
      expect(location).toMatch(/^\/report\/basic\/sent\?r=[0-9]+\.[A-Za-z0-9_-]{22}&lang=en$/);
      expect((await h.counts()).reports).toBe(before.reports + 1);
      const row = await h.db.selectFrom('reports').selectAll().where('origin', '=', 'server').executeTakeFirstOrThrow();
      expect(row.upload_token_hash).toBeNull();
      expect(row.mailbox_id).toBeNull();
      expect(Buffer.from(row.ciphertext).includes(Buffer.from(canary))).toBe(false);
      const report = decodeReport(await decrypt([h.coordinators.reader.identity], row.ciphertext));
      expect(report).toMatchObject({
        schemaVersion: 1,
        incidentTypes: ['violence', 'robbery'],
        consent: { publishWarning: 'yes' },
        account: `He said his name was ${canary}.`,
        area: 'Old Town',
        timeBand: 'evening',
        identifiers: { phones: ['07700 900123', '07700 900456'] },
      });
      expect(await (await h.request(location)).text()).toContain('Thank you. Your report was received.');
      // Opened directly, or with a forged or stale receipt, the page claims nothing.
      for (const path of ['/report/basic/sent', location.replace(/r=[0-9]+/, 'r=1'), location.replace(/\.[A-Za-z0-9_-]{4}/, '.AAAA')]) {
        const direct = await (await h.request(path)).text();
        expect(direct, path).not.toContain('<h1>Thank you');
        expect(direct, path).toContain('No report was sent from this page');
      }
      h.clock.advance(601);
      expect(await (await h.request(location)).text()).toContain('No report was sent from this page');
    });

    it('refuses a form posted too quickly, twice, expired, forged or with the honeypot filled, storing nothing', async () => {
      const token = tokenOf((await form()).html);
      await unchanged(h, async () => {
        const quick = await post(fill(token));
        expect(quick.status).toBe(403);
        expect(await quick.text()).toContain('too quickly');
      });
      h.clock.advance(3);
      expect((await post(fill(token))).status).toBe(303);
      await unchanged(h, async () => {
        expect((await post(fill(token))).status).toBe(403);
        const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BA' : 'AA');
        expect((await post(fill(forged))).status).toBe(403);
        expect((await post(fill('x'))).status).toBe(403);
        const honeypot = await post(fill(tokenOf((await form()).html), [['website', 'http://spam.example']]));
        expect(honeypot.status).toBe(400);
        expect(await honeypot.text()).toContain('hidden field');
      });
      const old = tokenOf((await form()).html);
      h.clock.advance(5 * 3600);
      await unchanged(h, async () => {
        expect((await post(fill(old))).status).toBe(403);
      });
    });

    it('re-renders the form with the fields kept (escaped) when the report is invalid, storing nothing', async () => {
      const token = tokenOf((await form()).html);
      h.clock.advance(3);
      await unchanged(h, async () => {
        const r = await post([
          ['token', token],
          ['account', '<script>alert(1)</script>'],
          ['publishWarning', 'yes'],
        ]);
        expect(r.status).toBe(400);
        const html = await r.text();
        expect(html).toContain(en['what.required']);
        expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(html).not.toContain('<script>');
        // After an error the new token is usable at once: no second wait (the schema refuses the type, 400, not 403 "too quickly").
        const bad = await post(fill(tokenOf(html), [['incidentTypes', 'not-a-type']]));
        expect(bad.status).toBe(400);
      });
    });

    it('refuses other content types and oversized bodies', async () => {
      await unchanged(h, async () => {
        expect((await post(fill('x'), 'application/json')).status).toBe(415);
        const big = await h.request('/report/basic', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'account=' + 'x'.repeat(h.config.limits.basicFormBytes),
        });
        expect(big.status).toBe(413);
        expect(await big.text()).toContain('too long');
      });
    });

    it('keeps a strict global ceiling per sliding window that opens again minutes after a flood stops', async () => {
      // 18 per hour = 3 per 10-minute window. Start at the beginning of a 5-minute bucket.
      const t0 = h.clock.now().getTime();
      h.clock.advance((300_000 - (t0 % 300_000)) / 1000 + 10);
      h.clock.advance(600);
      const send = async () => {
        const t = tokenOf((await form()).html);
        h.clock.advance(3);
        return post(fill(t));
      };
      for (let i = 0; i < 3; i++) expect((await send()).status).toBe(303);
      await unchanged(h, async () => {
        const r = await send();
        expect(r.status).toBe(429);
        expect(await r.text()).toContain('busy');
      });
      // Another process shares the ceiling.
      const p2 = h.otherProcess();
      const t = tokenOf(await (await p2.request('/report/basic')).text());
      h.clock.advance(3);
      const r2 = await p2.request('/report/basic', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fill(t)).toString() });
      expect(r2.status).toBe(429);
      // The flood stops: within one window (10 minutes) the form works again, not an hour later.
      h.clock.advance(10 * 60);
      expect((await send()).status).toBe(303);
    });

    it('shows every problem at once, each with its reason in the wizard wording, in English and Romanian', async () => {
      for (const [lang, m] of [
        ['en', en],
        ['ro', ro],
      ] as const) {
        const page = await h.request(`/report/basic?lang=${lang}`);
        const html = await page.text();
        expect(html).toContain(`<html lang="${lang}">`);
        expect(html).toContain(esc(m['consent.publish.q']));
        expect(html).toContain(esc(m['common.required']));
        h.clock.advance(3);
        await unchanged(h, async () => {
          const r = await post([
            ['token', tokenOf(html)],
            ['lang', lang],
            ['phones', 'call me'],
            ['emails', 'nope'],
            ['forSomeoneElse', 'yes'],
            ['date', '2999-01-01'],
          ]);
          expect(r.status).toBe(400);
          const out = await r.text();
          for (const k of ['what.required', 'consent.required', 'ids.invalidPhone', 'ids.invalidEmail', 'behalf.needConsent', 'when.dateFuture'] as const) {
            expect(out, `${lang} ${k}`).toContain(esc(m[k]));
          }
          expect(out.match(/class="field-error"/g)).toHaveLength(6);
          expect(out).toContain('role="alert"');
        });
      }
    });

    it('sends a Romanian report in Romanian', async () => {
      const html = await (await h.request('/report/basic?lang=ro')).text();
      h.clock.advance(3);
      const r = await post(fill(tokenOf(html), [['lang', 'ro']]));
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toMatch(/&lang=ro$/);
      expect(await (await h.request(r.headers.get('location')!)).text()).toContain(esc('Mulțumim. Raportul tău a fost primit.'));
      const rows = await h.db.selectFrom('reports').selectAll().where('origin', '=', 'server').execute();
      const reports = await Promise.all(rows.map(async (row) => decodeReport(await decrypt([h.coordinators.reader.identity], row.ciphertext))));
      expect(reports.some((x) => x.language === 'ro')).toBe(true);
    });

    it('chooses the language: ?lang= first, else Accept-Language by quality, else English; says Vary', async () => {
      const get = async (path: string, acceptLanguage?: string) => {
        const r = await h.request(path, acceptLanguage === undefined ? {} : { headers: { 'accept-language': acceptLanguage } });
        expect(r.status, path).toBe(200);
        expect(r.headers.get('vary') ?? '', path).toMatch(/accept-language/i);
        const html = await r.text();
        return { html, lang: /<html lang="([^"]+)"/.exec(html)![1], hidden: /name="lang" value="([^"]+)"/.exec(html)![1] };
      };
      expect((await get('/report/basic', 'en;q=0.5, ro;q=0.9')).lang).toBe('ro');
      expect((await get('/report/basic', 'ro;q=0.4, en;q=0.6')).lang).toBe('en');
      expect((await get('/report/basic', 'ro-RO')).hidden).toBe('ro');
      for (const garbage of ['<script>', ';;;', 'ro;q=7', 'x'.repeat(5000)]) expect((await get('/report/basic', garbage)).lang, garbage).toBe('en');
      expect((await get('/report/basic')).lang).toBe('en');
      // pt-BR is chosen for a plain `pt` once it is registered; until then, English.
      const ptBr = LANGUAGES.some((l) => l.tag === 'pt-BR');
      expect((await get('/report/basic', 'pt, en;q=0.1')).lang).toBe(ptBr ? 'pt-BR' : 'en');
      // ?lang= overrides the header; an unknown one is English, not an error and not reflected.
      expect((await get('/report/basic?lang=en', 'ro')).lang).toBe('en');
      expect((await get('/report/basic?lang=ro', 'en')).lang).toBe('ro');
      const odd = await get('/report/basic?lang=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(odd.lang).toBe('en');
      expect(odd.html).not.toContain('alert(1)');
      // The chooser works without JavaScript: a GET form, a labelled select of endonyms each in its own language.
      const { html } = await get('/report/basic?lang=ro');
      expect(html).toMatch(/<form class="langs" method="get" action="\/report\/basic"><label for="lang-choice">[^<]+<\/label> <select id="lang-choice" name="lang">/);
      for (const l of LANGUAGES) expect(html).toContain(`<option value="${l.tag}" lang="${l.tag}"${l.tag === 'ro' ? ' selected' : ''}>${esc(l.endonym)}</option>`);
    });

    it('a posted form keeps its own language for its error page, whatever the header says', async () => {
      const html = await (await h.request('/report/basic?lang=ro')).text();
      h.clock.advance(3);
      await unchanged(h, async () => {
        const r = await h.request('/report/basic', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
          body: new URLSearchParams([
            ['token', tokenOf(html)],
            ['lang', 'ro'],
            ['publishWarning', 'yes'],
          ]).toString(),
        });
        expect(r.status).toBe(400);
        const out = await r.text();
        expect(out).toContain('<html lang="ro">');
        expect(out).toContain('name="lang" value="ro"');
        expect(out).toContain(esc(ro['what.required']));
        // One problem: Romanian's "one" form.
        expect(out).toContain('Te rugăm să verifici 1 lucru înainte de trimitere:');
      });
    });

    it('the 404 page speaks the visitor’s language and links to the basic form in it', async () => {
      const ro404 = await h.request('/no/such/page', { headers: { 'accept-language': 'ro;q=0.9, en;q=0.2' } });
      expect(ro404.status).toBe(404);
      expect(ro404.headers.get('vary') ?? '').toMatch(/accept-language/i);
      const html = await ro404.text();
      expect(html).toContain('<html lang="ro">');
      expect(html).toContain('<h1>Această pagină nu există</h1>');
      expect(html).toContain('href="/report/basic?lang=ro"');
      expect(html).toContain(`>${esc(ro['exit.button'])}</a>`);
      const en404 = await (await h.request('/no/such/page', { headers: { 'accept-language': 'de, ;;; garbage' } })).text();
      expect(en404).toContain('<html lang="en">');
      expect(en404).toContain('<h1>This page does not exist</h1>');
      expect(en404).toContain('href="/report/basic?lang=en"');
    });

    it('unknown addresses get a page with the quick exit and a way back; API paths stay JSON', async () => {
      const r = await h.request('/report/basic/nothing');
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await r.text();
      expect(html).toContain('class="exit"');
      expect(html).toContain('href="/"');
      expect(await expectError(await h.request('/api/nothing'), 404)).toBe('not found');
    });
  });
}
