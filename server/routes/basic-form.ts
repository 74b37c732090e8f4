/**
 * The report form for browsers without JavaScript (Tor Browser "Safest").
 *
 * The POST is validated against the shared report schema, encoded and padded, and at once
 * age-encrypted in memory to the keyring's recipients; only the ciphertext is stored, marked
 * origin 'server'. The plaintext is never written to disk, logged, or put in an error
 * message (validation errors name fields, never values).
 *
 * Without JavaScript there is no proof of work. Instead: a server-signed form token (each
 * spent once, valid from a few seconds after the form was served until it expires), the
 * honeypot field, and a strict global ceiling: perHour × windowMinutes / 60 submissions per
 * sliding window of coarse buckets in the database, so every process shares it and the form
 * opens again within one window after a flood stops (SECURITY.md "Abuse limits").
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  AGE_RANGES,
  ANSWERS,
  BUILDS,
  CONTACT_METHODS,
  GENDERS,
  HEIGHTS,
  INCIDENT_TYPES,
  LANGUAGES,
  OFFENDER_COUNTS,
  SETTINGS,
  TIME_BANDS,
  REPORT_LIMITS,
  bytes,
  encodeReport,
  encrypt,
  localizeProfile,
  keyringRecipients,
  reportSchema,
  type Profile,
} from '../../crypto/index.js';
import { COUNTER } from '../abuse.js';
import type { ServerContext } from '../context.js';
import { ApiError, mediaType, type AppEnv } from '../http.js';
import { STYLESHEET, esc, page } from '../html.js';
import { helpLabels, helpSectionHtml } from '../profile-html.js';
import { storeReport } from './reports.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MessageKey } from '../../client/i18n/en.js';
import type { BasicMessageKey } from '../../client/i18n/basic/en.js';
import { LANGUAGES as LANGS, basicText, byTag, ENGLISH, pageLang, reporterText, requestLang, type Params, type ServerLanguage } from '../i18n.js';

/** How long a served form may be posted: writing a report can take a long time. */
export const FORM_TTL_SECONDS = 4 * 3600;

type Values = Record<string, string | string[]>;
type Lang = ServerLanguage;

/** The language a posted form names (its hidden `lang` field), else English: a post never negotiates. */
function langOf(v: string | undefined): Lang {
  return byTag(v) ?? ENGLISH;
}

/** The wizard's wording (client/i18n/<tag>.ts), so both forms say the same thing in the same languages. */
function tr(lang: Lang, key: MessageKey, params?: Params): string {
  return reporterText(lang, key, params);
}
/** The generic help section; the routes swap it for the verified profile's (withProfile). */
function helpSection(lang: Lang, profile?: Profile): string {
  return helpSectionHtml(profile && localizeProfile(profile, lang.tag), helpLabels(lang, `<p>${esc(tr(lang, 'help.emergency'))}</p>`));
}
/** Put the verified profile into a rendered page's help section (user values are escaped, so the generic section cannot be forged). */
function withProfile(body: string, profile: Profile | undefined): string {
  if (!profile) return body;
  for (const lang of LANGS) {
    const generic = helpSection(lang);
    if (body.includes(generic)) return body.replace(generic, () => helpSection(lang, profile));
  }
  return body;
}
/** This page's own wording (client/i18n/basic/<tag>.ts). */
function basic(lang: Lang, key: BasicMessageKey, params?: Params): string {
  return basicText(lang, key, params);
}
/** A pick-list value's label in the wizard's wording (`prefix.value`). */
function pick(lang: Lang, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in lang.reporter ? tr(lang, key as MessageKey) : value;
}

/** Form field → the wizard's label for it, for error messages. */
const FIELD_LABEL: Record<string, MessageKey> = {
  incidentTypes: 'what.legend',
  incidentOther: 'what.otherLabel',
  date: 'when.date',
  timeBand: 'when.band',
  area: 'where.area',
  setting: 'where.setting',
  settingOther: 'where.otherLabel',
  contactMethod: 'contact.legend',
  contactDetail: 'contact.detail',
  account: 'account.label',
  offender: 'person.heading',
  vehicle: 'vehicle.heading',
  identifiers: 'ids.heading',
  phones: 'ids.phones',
  emails: 'ids.emails',
  usernames: 'ids.usernames',
  publishWarning: 'consent.publish.q',
  consent: 'consent.publish.q',
  theyConsented: 'behalf.consent',
  onBehalfOf: 'behalf.heading',
};

/** The form field an error is shown at, keyed by the form's own names. */
export type FieldErrors = Partial<Record<string, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()./-]{3,31}$/;

/**
 * Every problem with the posted form at once, each in the wizard's wording: the checks the
 * wizard makes step by step, then whatever else the shared schema refuses (named by field, never by value).
 */
export function formErrors(values: Values, lang: Lang, schemaIssues: readonly { path: readonly PropertyKey[] }[]): FieldErrors {
  const e: FieldErrors = {};
  if (many(values, 'incidentTypes').length === 0) e.incidentTypes = tr(lang, 'what.required');
  const date = one(values, 'date');
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date) && date > new Date().toISOString().slice(0, 10)) e.date = tr(lang, 'when.dateFuture');
  if (lines(values, 'phones').some((p) => !PHONE.test(p) || !/[0-9].*[0-9].*[0-9]/.test(p))) e.phones = tr(lang, 'ids.invalidPhone');
  if (lines(values, 'emails').some((m) => !EMAIL.test(m))) e.emails = tr(lang, 'ids.invalidEmail');
  if (!one(values, 'publishWarning')) e.publishWarning = tr(lang, 'consent.required');
  if (one(values, 'forSomeoneElse') === 'yes' && one(values, 'theyConsented') !== 'yes') e.theyConsented = tr(lang, 'behalf.needConsent');
  for (const issue of schemaIssues) {
    const top = String(issue.path[0] ?? '');
    const sub = String(issue.path[1] ?? '');
    let field = top === 'identifiers' && sub ? sub : top === 'consent' ? 'publishWarning' : top === 'onBehalfOf' ? 'theyConsented' : top;
    if (!(field in FIELD_LABEL)) field = 'incidentTypes';
    if (!e[field] && !(field === 'incidentTypes' && e.incidentTypes)) e[field] = basic(lang, 'error.invalidField');
  }
  return e;
}

function one(v: Values, name: string): string {
  const x = v[name];
  return (Array.isArray(x) ? (x[0] ?? '') : (x ?? '')).trim();
}
function many(v: Values, name: string): string[] {
  const x = v[name];
  return (Array.isArray(x) ? x : x === undefined ? [] : [x]).map((s) => s.trim()).filter((s) => s !== '');
}
function lines(v: Values, name: string): string[] {
  return one(v, name)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function compact<T extends Record<string, unknown>>(o: T): Partial<T> | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined && x !== '' && !(Array.isArray(x) && x.length === 0)));
  return Object.keys(out).length > 0 ? (out as Partial<T>) : undefined;
}
const opt = (s: string): string | undefined => (s === '' ? undefined : s);

/** The report's `language` field: the form's language when the report schema knows it (crypto LANGUAGES), else left out. */
function reportLanguage(lang: Lang): (typeof LANGUAGES)[number] | undefined {
  return (LANGUAGES as readonly string[]).includes(lang.tag) ? (lang.tag as (typeof LANGUAGES)[number]) : undefined;
}

/** Build the report object from the form fields (validation is the schema's job). */
export function reportFromForm(v: Values): unknown {
  const forSomeoneElse = one(v, 'forSomeoneElse') === 'yes';
  return compact({
    schemaVersion: 1,
    language: reportLanguage(langOf(one(v, 'lang'))),
    incidentTypes: many(v, 'incidentTypes'),
    incidentOther: opt(one(v, 'incidentOther')),
    date: opt(one(v, 'date')),
    datePrecision: one(v, 'date') ? 'day' : undefined,
    timeBand: opt(one(v, 'timeBand')),
    area: opt(one(v, 'area')),
    setting: opt(one(v, 'setting')),
    settingOther: opt(one(v, 'settingOther')),
    contactMethod: opt(one(v, 'contactMethod')),
    contactDetail: opt(one(v, 'contactDetail')),
    account: opt(one(v, 'account')),
    offender: compact({
      count: opt(one(v, 'offenderCount')),
      gender: opt(one(v, 'gender')),
      ageRange: opt(one(v, 'ageRange')),
      height: opt(one(v, 'height')),
      build: opt(one(v, 'build')),
      hair: opt(one(v, 'hair')),
      skin: opt(one(v, 'skin')),
      accent: opt(one(v, 'accent')),
      nameGiven: opt(one(v, 'nameGiven')),
      clothing: opt(one(v, 'clothing')),
      marks: opt(one(v, 'marks')),
    }),
    vehicle: compact({
      make: opt(one(v, 'vehicleMake')),
      model: opt(one(v, 'vehicleModel')),
      colour: opt(one(v, 'vehicleColour')),
      plate: opt(one(v, 'plate')),
      plateIsPartial: one(v, 'plateIsPartial') === 'yes' ? true : undefined,
    }),
    identifiers: compact({ phones: lines(v, 'phones'), emails: lines(v, 'emails'), usernames: lines(v, 'usernames') }),
    consent: compact({
      publishWarning: opt(one(v, 'publishWarning')),
      shareWithPolice: opt(one(v, 'shareWithPolice')),
      wantPoliceSupport: opt(one(v, 'wantPoliceSupport')),
      wantCaseworker: opt(one(v, 'wantCaseworker')),
    }),
    onBehalfOf: forSomeoneElse ? { forSomeoneElse: true, theyConsented: one(v, 'theyConsented') === 'yes' } : undefined,
  });
}

// ---- rendering -------------------------------------------------------------------------

interface R {
  v: Values;
  lang: Lang;
  errors: FieldErrors;
}

/** The error for a field (shown above it, tied by aria-describedby), and the attributes that go with it. */
function err(r: R, name: string): { html: string; attrs: string } {
  const m = r.errors[name];
  return m ? { html: `<p class="field-error" id="e-${name}">${esc(m)}</p>`, attrs: ` aria-invalid="true" aria-describedby="e-${name}"` } : { html: '', attrs: '' };
}
function req(r: R): string {
  return ` <span class="req">${esc(tr(r.lang, 'common.required'))}</span>`;
}
function hintOf(text: string): string {
  return text ? ` <small>${esc(text)}</small>` : '';
}
function text(r: R, name: string, title: string, max: number, hint = '', type = 'text'): string {
  const e = err(r, name);
  return `<div class="field" id="f-${name}"><label for="i-${name}">${esc(title)}${hintOf(hint)}</label>${e.html}<input type="${type}" id="i-${name}" name="${name}" maxlength="${max}" value="${esc(one(r.v, name))}" autocomplete="off" spellcheck="false"${e.attrs}></div>`;
}
function area(r: R, name: string, title: string, max: number, hint = ''): string {
  const e = err(r, name);
  return `<div class="field" id="f-${name}"><label for="i-${name}">${esc(title)}${hintOf(hint)}</label>${e.html}<textarea id="i-${name}" name="${name}" maxlength="${max}" autocomplete="off" spellcheck="false"${e.attrs}>${esc(one(r.v, name))}</textarea></div>`;
}
function select(r: R, name: string, title: string, prefix: string, options: readonly string[]): string {
  const cur = one(r.v, name);
  const opts = [`<option value="">—</option>`, ...options.map((o) => `<option value="${esc(o)}"${o === cur ? ' selected' : ''}>${esc(pick(r.lang, prefix, o))}</option>`)];
  const e = err(r, name);
  return `<div class="field" id="f-${name}"><label for="i-${name}">${esc(title)}</label>${e.html}<select id="i-${name}" name="${name}" autocomplete="off"${e.attrs}>${opts.join('')}</select></div>`;
}
function choices(r: R, type: 'radio' | 'checkbox', name: string, title: string, prefix: string, options: readonly string[], required = false, hint = ''): string {
  const cur = new Set(many(r.v, name));
  const e = err(r, name);
  return `<fieldset id="f-${name}"${e.attrs}><legend>${esc(title)}${required ? req(r) : ''}</legend>${hint ? `<p class="hint">${esc(hint)}</p>` : ''}${e.html}${options
    .map((o) => `<label class="choice"><input type="${type}" name="${name}" value="${esc(o)}"${cur.has(o) ? ' checked' : ''}> <span>${esc(pick(r.lang, prefix, o))}</span></label>`)
    .join('')}</fieldset>`;
}
function checkbox(r: R, name: string, title: string): string {
  const e = err(r, name);
  return `<div id="f-${name}">${e.html}<label class="choice"><input type="checkbox" name="${name}" value="yes"${one(r.v, name) === 'yes' ? ' checked' : ''}${e.attrs}> <span>${esc(title)}</span></label></div>`;
}

/**
 * The language chooser: a GET form with a labelled list of endonyms (each marked with its own
 * language), so it works without JavaScript and scales to any number of languages.
 */
function langChooser(lang: Lang): string {
  const options = LANGS.map((l) => `<option value="${esc(l.tag)}" lang="${esc(l.tag)}"${l === lang ? ' selected' : ''}>${esc(l.endonym)}</option>`).join('');
  return `<form class="langs" method="get" action="/report/basic"><label for="lang-choice">${esc(tr(lang, 'lang.switch'))}</label> <select id="lang-choice" name="lang">${options}</select> <button type="submit">${esc(basic(lang, 'form.langSubmit'))}</button></form>`;
}

/** The page shell in the form's language, with the honest quick-exit note. */
function basicPage(lang: Lang, title: string, body: string): string {
  return page(
    title,
    `${langChooser(lang)}
<p class="exit-note">${esc(basic(lang, 'form.exitNote'))}</p>
${body}`,
    pageLang(lang),
  ).replace('</head>', '<script src="/report/basic.js" defer></script>\n</head>');
}

/** The form page; `values` refills the fields after a validation error and `errors` lists every problem at once. */
export function renderForm(token: string, values: Values = {}, errors: FieldErrors = {}, formError?: string, langIn?: Lang): string {
  const L = REPORT_LIMITS;
  const lang = langIn ?? langOf(one(values, 'lang'));
  const r: R = { v: values, lang, errors };
  const t = (k: MessageKey) => tr(lang, k);
  const list = Object.entries(errors);
  const summary =
    list.length > 0 || formError
      ? `<div class="error" role="alert" id="problems"><p><strong>${esc(basic(lang, 'form.problems', { n: list.length + (formError ? 1 : 0) }))}</strong></p><ul>${formError ? `<li>${esc(formError)}</li>` : ''}${list
          .map(([f, m]) => `<li><a href="#f-${f}">${esc(FIELD_LABEL[f] ? t(FIELD_LABEL[f]!) : f)}: ${esc(m!)}</a></li>`)
          .join('')}</ul></div>`
      : '';
  return basicPage(
    lang,
    basic(lang, 'form.title'),
    `<h1>${esc(t('intro.heading'))}</h1>
<p class="note">${esc(basic(lang, 'form.note'))} <a href="/">${esc(basic(lang, 'form.fullForm'))}</a></p>
<p>${esc(basic(lang, 'form.required'))}</p>
${summary}
<form method="post" action="/report/basic" autocomplete="off">
<input type="hidden" name="token" value="${esc(token)}">
<input type="hidden" name="lang" value="${lang.tag}">
<fieldset id="f-behalf"><legend>${esc(t('behalf.heading'))}</legend>
${checkbox(r, 'forSomeoneElse', basic(lang, 'form.someoneElse'))}
${checkbox(r, 'theyConsented', basic(lang, 'form.agreed'))}
</fieldset>
${choices(r, 'checkbox', 'incidentTypes', t('what.heading'), 'incident', INCIDENT_TYPES, true, t('what.legend'))}
${text(r, 'incidentOther', t('what.otherLabel'), L.short)}
<fieldset><legend>${esc(t('whenWhere.heading'))}</legend>
${text(r, 'date', t('when.date'), 10, t('when.dateHint'), 'date')}
${select(r, 'timeBand', t('when.band'), 'band', TIME_BANDS)}
${text(r, 'area', t('where.area'), L.short, t('where.areaHint'))}
${select(r, 'setting', t('where.setting'), 'setting', SETTINGS)}
${text(r, 'settingOther', t('where.otherLabel'), L.short)}
${select(r, 'contactMethod', t('contact.legend'), 'method', CONTACT_METHODS)}
${text(r, 'contactDetail', t('contact.detail'), L.short, t('contact.detailHint'))}
</fieldset>
${area(r, 'account', t('account.label'), L.account, t('account.hint'))}
<fieldset><legend>${esc(t('person.heading'))}</legend>
${select(r, 'offenderCount', t('person.count'), 'count', OFFENDER_COUNTS)}
${select(r, 'gender', t('person.gender'), 'gender', GENDERS)}
${select(r, 'ageRange', t('person.age'), 'age', AGE_RANGES)}
${select(r, 'height', t('person.height'), 'height', HEIGHTS)}
${select(r, 'build', t('person.build'), 'build', BUILDS)}
${text(r, 'hair', t('person.hair'), L.short)}
${text(r, 'skin', t('person.skin'), L.short)}
${text(r, 'accent', t('person.accent'), L.short)}
${text(r, 'nameGiven', t('person.nameGiven'), L.short)}
${area(r, 'clothing', t('person.clothing'), L.description)}
${area(r, 'marks', t('person.marks'), L.description)}
</fieldset>
<fieldset><legend>${esc(t('vehicle.heading'))}</legend>
${text(r, 'vehicleMake', t('vehicle.make'), L.vehiclePart)}
${text(r, 'vehicleModel', t('vehicle.model'), L.vehiclePart)}
${text(r, 'vehicleColour', t('vehicle.colour'), L.vehiclePart)}
${text(r, 'plate', t('vehicle.plate'), L.plate, t('vehicle.plateHint'))}
${checkbox(r, 'plateIsPartial', t('vehicle.partial'))}
</fieldset>
<fieldset><legend>${esc(t('ids.heading'))}</legend>
${area(r, 'phones', t('ids.phones'), L.phone * L.phones + L.phones, basic(lang, 'form.perLine'))}
${area(r, 'emails', t('ids.emails'), L.email * L.emails + L.emails, basic(lang, 'form.perLine'))}
${area(r, 'usernames', t('ids.usernames'), L.username * L.usernames + L.usernames, basic(lang, 'form.perLine'))}
</fieldset>
${choices(r, 'radio', 'publishWarning', t('consent.publish.q'), 'answer', ANSWERS, true, t('consent.publish.help'))}
${choices(r, 'radio', 'shareWithPolice', t('consent.police.q'), 'answer', ANSWERS)}
${choices(r, 'radio', 'wantPoliceSupport', t('consent.policeSupport.q'), 'answer', ANSWERS)}
${choices(r, 'radio', 'wantCaseworker', t('consent.caseworker.q'), 'answer', ANSWERS)}
<div class="hp" aria-hidden="true"><label>${esc(basic(lang, 'form.honeypotLabel'))}<input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<p><button type="submit">${esc(basic(lang, 'form.send'))}</button></p>
</form>
${helpSection(lang)}`,
  );
}

/** Right after a report was stored (rendered by the POST itself, so opening /sent directly claims nothing). */
export function renderSent(lang: Lang = ENGLISH): string {
  return basicPage(
    lang,
    basic(lang, 'sent.heading'),
    `<h1>${esc(basic(lang, 'sent.heading'))}</h1>
<p>${esc(basic(lang, 'sent.text'))}</p>
<p><a href="/report/basic?lang=${lang.tag}">${esc(basic(lang, 'sent.another'))}</a></p>
${helpSection(lang)}`,
  );
}

/** /report/basic/sent opened without a fresh receipt: say plainly that nothing was sent from here. */
export function renderSentDirect(lang: Lang = ENGLISH): string {
  return basicPage(
    lang,
    basic(lang, 'sent.directHeading'),
    `<h1>${esc(basic(lang, 'sent.directHeading'))}</h1>
<p>${esc(basic(lang, 'sent.directText'))}</p>
<p><a href="/report/basic?lang=${lang.tag}">${esc(basic(lang, 'sent.toForm'))}</a></p>`,
  );
}

function renderMessage(lang: Lang, titleKey: BasicMessageKey, messageKey: BasicMessageKey): string {
  const title = basic(lang, titleKey);
  return basicPage(lang, title, `<h1>${esc(title)}</h1><p>${esc(basic(lang, messageKey))}</p><p><a href="/report/basic?lang=${lang.tag}">${esc(basic(lang, 'error.back'))}</a></p>`);
}

/**
 * Where JavaScript runs, quick exit on the basic pages also wipes the form and replaces the
 * history entry (as in the wizard); without it the link is an ordinary link, and the page says so.
 */
export const BASIC_EXIT_SCRIPT = `document.addEventListener('click',function(e){var a=e.target&&e.target.closest&&e.target.closest('a.exit');if(!a)return;e.preventDefault();try{document.querySelectorAll('form').forEach(function(f){f.reset()});document.body.replaceChildren()}catch(x){}location.replace(a.href)});
`;

/** Controls as large as the wizard's (48 px targets, 1.125rem text), the error summary, the language chooser (wraps rather than squeezing its list). */
const BASIC_FORM_CSS = `body{font-size:1.125rem}
label,legend{font-weight:600}
input[type=text],input[type=date],select,textarea{min-height:48px;padding:.6rem .7rem;border:2px solid #555;border-radius:8px;font-size:1.125rem}
.field{margin:1rem 0}
.choice{min-height:48px;padding:.5rem .6rem;margin:.35rem 0;border:2px solid #ccc;border-radius:8px;align-items:center;font-weight:400}
.choice input{width:1.4rem;height:1.4rem;margin:0}
button{min-height:48px;font-size:1.125rem;font-weight:600;padding:.7rem 1.4rem}
.exit{display:inline-flex;align-items:center;min-height:48px;font-size:1.125rem}
.exit-note{font-size:1rem;color:#333;margin:.25rem 0}
.langs{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:.25rem 0}
.langs label{margin:0}
.langs select{flex:1 1 10rem;min-width:10rem;width:auto;margin:0}
.langs button{max-width:100%}
.req{display:inline-block;margin-left:.3rem;padding:0 .4rem;border:1px solid #7a4f00;border-radius:4px;color:#7a4f00;font-size:.9rem}
.field-error{color:#8a0015;font-weight:700;margin:.25rem 0}
[aria-invalid=true]{border-color:#b00020}
fieldset[aria-invalid=true]{border:2px solid #b00020}
.error a{color:#8a0015}
.hint{margin:.25rem 0;color:#333}
.help{margin:2rem 0 1rem;padding:.5rem 1rem;border:2px solid #ccc;border-radius:8px}
`;

/** The form's stylesheet, served at /report/basic.css. */
export function basicStylesheet(c: Context): Response {
  return c.body(STYLESHEET + BASIC_FORM_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
}

/** The quick-exit upgrade for browsers with JavaScript, served at /report/basic.js. */
export function basicScript(c: Context): Response {
  return c.body(BASIC_EXIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
}

/** How long /report/basic/sent confirms a submission after it happened. */
const SENT_RECEIPT_SECONDS = 600;

export function basicFormRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();
  // Which language a page is in may depend on Accept-Language (a GET without ?lang=): say so to caches.
  const html = async (c: Context, body: string, status: 200 | 400 | 403 | 413 | 415 | 429 | 503 = 200) =>
    c.html(withProfile(body, await ctx.profile().catch(() => undefined)), status, { Vary: 'Accept-Language' });
  const newToken = () => ctx.pow.issueFormToken(FORM_TTL_SECONDS);
  // After an error the person has already spent time on the form: the new token is dated back
  // by the minimum fill time, so that a corrected form can be sent at once (no second wait).
  const retryToken = () => ctx.pow.issueFormToken(Math.max(1, FORM_TTL_SECONDS - ctx.config.basicForm.minFillSeconds));
  // The thank-you page is shown only with a fresh, server-signed receipt, so opening it directly claims nothing.
  const receiptMac = (exp: number) => createHmac('sha256', ctx.serverKey).update(`tipline basic-form sent|${exp}`).digest('base64url').slice(0, 22);
  const receipt = () => {
    const exp = ctx.seconds() + SENT_RECEIPT_SECONDS;
    return `${exp}.${receiptMac(exp)}`;
  };
  const receiptValid = (r: string | undefined) => {
    const m = /^(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(r ?? '');
    if (!m) return false;
    const exp = Number(m[1]);
    const now = ctx.seconds();
    return exp >= now && exp <= now + SENT_RECEIPT_SECONDS && timingSafeEqual(Buffer.from(m[2]!), Buffer.from(receiptMac(exp)));
  };
  const queryLang = (c: Context) => requestLang(c.req.query('lang'), c.req.header('accept-language'));

  app.get('/', (c) => html(c, renderForm(newToken(), {}, {}, undefined, queryLang(c))));
  app.get('/sent', (c) => html(c, receiptValid(c.req.query('r')) ? renderSent(queryLang(c)) : renderSentDirect(queryLang(c))));

  app.post(
    '/',
    bodyLimit({
      maxSize: ctx.config.limits.basicFormBytes,
      onError: (c) => html(c, renderMessage(queryLang(c), 'error.tooLong', 'error.shorten'), 413),
    }),
    async (c) => {
      const full = () => html(c, renderMessage(queryLang(c), 'error.full', 'error.fullText'), 503);
      try {
        ctx.abuse.checkSpace();
      } catch {
        return full();
      }
      if (mediaType(c) !== 'application/x-www-form-urlencoded') {
        return html(c, renderMessage(queryLang(c), 'error.notSent', 'error.unreadable'), 415);
      }
      let values: Values;
      try {
        const params = new URLSearchParams(new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer()));
        values = {};
        for (const [k, v] of params) {
          const prev = values[k];
          values[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
        }
      } catch {
        return html(c, renderMessage(queryLang(c), 'error.notSent', 'error.unreadable'), 400);
      }
      const lang = langOf(one(values, 'lang'));
      if (many(values, 'website').length > 0) {
        return html(c, renderMessage(lang, 'error.notSent', 'error.honeypot'), 400);
      }
      let stamp;
      try {
        stamp = ctx.pow.verifyFormToken(one(values, 'token'), FORM_TTL_SECONDS, ctx.config.basicForm.minFillSeconds);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const msg = e.message === 'form sent too quickly' ? basic(lang, 'error.tooQuick') : basic(lang, 'error.expired');
        return html(c, renderForm(retryToken(), values, formErrors(values, lang, []), msg), 403);
      }
      const parsed = reportSchema.safeParse(reportFromForm(values));
      const errors = formErrors(values, lang, parsed.success ? [] : parsed.error.issues);
      if (!parsed.success || Object.keys(errors).length > 0) {
        return html(c, renderForm(retryToken(), values, errors), 400);
      }
      const busy = () => html(c, renderForm(retryToken(), values, {}, basic(lang, 'error.busy')), 429);
      const { perHour, windowMinutes } = ctx.config.basicForm;
      const ceiling = Math.ceil((perHour * windowMinutes) / 60);
      if ((await ctx.abuse.windowCount(COUNTER.basicForm, windowMinutes)) >= ceiling) return busy();
      const { keyring } = await ctx.keyring();
      const padded = encodeReport(parsed.data);
      let ciphertext: Uint8Array;
      try {
        ciphertext = await encrypt(keyringRecipients(keyring), padded);
      } finally {
        bytes.wipe(padded);
      }
      try {
        await storeReport(ctx, {
          ciphertext,
          origin: 'server',
          stamp,
          spentMessage: 'form already sent',
          // Counted in the transaction that stores the report: atomic across processes, and a
          // refused or replayed post counts for nothing.
          alsoIn: async (trx) => {
            if (!(await ctx.abuse.windowAdd(COUNTER.basicForm, windowMinutes, ceiling, trx))) throw new ApiError(429, 'busy');
          },
        });
      } catch (e) {
        if (e instanceof ApiError && e.status === 403) {
          return html(c, renderMessage(lang, 'error.alreadySent', 'error.alreadySentText'), 403);
        }
        if (e instanceof ApiError && e.status === 429) return busy();
        if (e instanceof ApiError && e.status === 503) return full();
        throw e;
      }
      return c.redirect(`/report/basic/sent?r=${receipt()}&lang=${lang.tag}`, 303);
    },
  );
  return app;
}
