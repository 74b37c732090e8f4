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
  OFFENDER_COUNTS,
  SETTINGS,
  TIME_BANDS,
  REPORT_LIMITS,
  bytes,
  encodeReport,
  encrypt,
  keyringRecipients,
  reportSchema,
  type Profile,
} from '../../crypto/index.js';
import { COUNTER } from '../abuse.js';
import type { ServerContext } from '../context.js';
import { ApiError, mediaType, type AppEnv } from '../http.js';
import { STYLESHEET, esc, page } from '../html.js';
import { helpSectionHtml, type HelpLabels } from '../profile-html.js';
import { storeReport } from './reports.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { en, type MessageKey, type Messages } from '../../client/i18n/en.js';
import { ro } from '../../client/i18n/ro.js';

/** How long a served form may be posted: writing a report can take a long time. */
export const FORM_TTL_SECONDS = 4 * 3600;

type Values = Record<string, string | string[]>;

/**
 * The wizard's own wording (client/i18n: plain data, no code), so both forms say the same
 * thing in the same languages. Strings only this page needs are in BASIC below.
 */
const CATALOGUES: Readonly<Record<BasicLang, Messages>> = { en, ro };
export const BASIC_LANGS = ['en', 'ro'] as const;
export type BasicLang = (typeof BASIC_LANGS)[number];

const BASIC: Readonly<Record<BasicLang, Record<string, string>>> = {
  en: {
    title: 'Report a dangerous person (basic form)',
    note: 'This is the basic form for browsers without JavaScript. Your report is encrypted on our server as soon as it arrives, not in your browser, so for a moment the server handles your words in memory. Nothing is kept unencrypted. This form cannot give you a receipt code, so we cannot reply to you here. If you can, use the full form: it encrypts on your device and lets you read replies.',
    fullForm: 'Use the full form',
    required: 'Only questions marked “Required” must be answered. Leave out anything you are not comfortable sharing.',
    exitNote: 'Quick exit opens a weather page. Without JavaScript it cannot remove this page from your browser’s history: afterwards, close the tab, or use a private window.',
    problems: 'Please check {n} thing(s) before sending:',
    perLine: 'One per line.',
    send: 'Send report',
    tooQuick: 'The form was sent too quickly. Please check it and send it again.',
    expired: 'This form has expired or was already sent. Please check it and send it again.',
    busy: 'The basic form is busy right now. Please try again later, or use the full form.',
    invalidField: 'This is not valid. Please check it.',
    sentHeading: 'Thank you. Your report was received.',
    sentText: 'It was encrypted for the coordinators only. We cannot reply to you through this basic form.',
    another: 'Send another report',
    sentDirectHeading: 'No report was sent from this page',
    sentDirectText: 'This page confirms a report only straight after it is sent. If you did not see “Thank you. Your report was received.”, your report was not sent.',
    toForm: 'Go to the basic form',
    notSent: 'Not sent',
    unreadable: 'The form could not be read. Please go back and try again.',
    honeypot: 'Please leave the last, hidden field empty.',
    tooLong: 'Report too long',
    shorten: 'Please shorten your report and try again.',
    alreadySent: 'Already sent',
    alreadySentText: 'This form was already sent. Thank you.',
    back: 'Back to the form',
    full: 'Service full',
    fullText: 'We cannot take new reports right now because our storage is full. Please try again later.',
    someoneElse: 'I am reporting for someone else',
    agreed: 'They agreed to this report',
  },
  ro: {
    title: 'Raportează o persoană periculoasă (formular simplu)',
    note: 'Acesta este formularul simplu pentru browsere fără JavaScript. Raportul tău este criptat pe serverul nostru imediat ce ajunge, nu în browserul tău, așa că pentru o clipă serverul îți are cuvintele în memorie. Nimic nu este păstrat necriptat. Acest formular nu îți poate da un cod de confirmare, deci nu îți putem răspunde aici. Dacă poți, folosește formularul complet: criptează pe dispozitivul tău și îți permite să citești răspunsurile.',
    fullForm: 'Folosește formularul complet',
    required: 'Doar întrebările marcate „Obligatoriu” cer un răspuns. Nu scrie nimic din ce nu vrei să spui.',
    exitNote: 'Ieșirea rapidă deschide o pagină cu vremea. Fără JavaScript nu poate șterge această pagină din istoricul browserului: după aceea, închide fila sau folosește o fereastră privată.',
    problems: 'Te rugăm să verifici {n} lucru(ri) înainte de trimitere:',
    perLine: 'Câte unul pe rând.',
    send: 'Trimite raportul',
    tooQuick: 'Formularul a fost trimis prea repede. Verifică-l și trimite-l din nou.',
    expired: 'Acest formular a expirat sau a fost deja trimis. Verifică-l și trimite-l din nou.',
    busy: 'Formularul simplu este ocupat acum. Încearcă mai târziu sau folosește formularul complet.',
    invalidField: 'Nu este valid. Te rugăm să verifici.',
    sentHeading: 'Mulțumim. Raportul tău a fost primit.',
    sentText: 'A fost criptat doar pentru coordonatori. Nu îți putem răspunde prin acest formular simplu.',
    another: 'Trimite alt raport',
    sentDirectHeading: 'Nu a fost trimis niciun raport de pe această pagină',
    sentDirectText: 'Această pagină confirmă un raport doar imediat după trimitere. Dacă nu ai văzut „Mulțumim. Raportul tău a fost primit.”, raportul nu a fost trimis.',
    toForm: 'Mergi la formularul simplu',
    notSent: 'Netrimis',
    unreadable: 'Formularul nu a putut fi citit. Întoarce-te și încearcă din nou.',
    honeypot: 'Te rugăm să lași gol ultimul câmp, cel ascuns.',
    tooLong: 'Raport prea lung',
    shorten: 'Te rugăm să scurtezi raportul și să încerci din nou.',
    alreadySent: 'Deja trimis',
    alreadySentText: 'Acest formular a fost deja trimis. Mulțumim.',
    back: 'Înapoi la formular',
    full: 'Serviciu plin',
    fullText: 'Nu putem primi rapoarte noi acum, pentru că spațiul nostru de stocare este plin. Te rugăm să încerci mai târziu.',
    someoneElse: 'Raportez pentru altcineva',
    agreed: 'Persoana a fost de acord cu acest raport',
  },
};

function langOf(v: string | undefined): BasicLang {
  return v === 'ro' ? 'ro' : 'en';
}

/** Translate with the wizard's catalogue (`{name}` placeholders as in client/i18n). */
function tr(lang: BasicLang, key: MessageKey, params?: Record<string, string | number>): string {
  const s = CATALOGUES[lang][key];
  return params ? s.replace(/\{(\w+)\}/g, (all, n: string) => (n in params ? String(params[n]) : all)) : s;
}
function helpLabels(lang: BasicLang): HelpLabels {
  return {
    heading: tr(lang, 'help.heading'),
    headingNamed: tr(lang, 'help.headingNamed'),
    contacts: tr(lang, 'profile.heading'),
    groups: { emergency: tr(lang, 'profile.emergency'), support: tr(lang, 'profile.support'), scheme: tr(lang, 'profile.scheme') },
    genericHtml: `<p>${esc(tr(lang, 'help.emergency'))}</p>`,
  };
}
/** The generic help section; the routes swap it for the verified profile's (withProfile). */
function helpSection(lang: BasicLang, profile?: Profile): string {
  return helpSectionHtml(profile, helpLabels(lang));
}
/** Put the verified profile into a rendered page's help section (user values are escaped, so the generic section cannot be forged). */
function withProfile(body: string, profile: Profile | undefined): string {
  if (!profile) return body;
  for (const lang of ['en', 'ro'] as const) {
    const generic = helpSection(lang);
    if (body.includes(generic)) return body.replace(generic, () => helpSection(lang, profile));
  }
  return body;
}
function basic(lang: BasicLang, key: string, params?: Record<string, string | number>): string {
  const s = BASIC[lang][key] ?? BASIC.en[key] ?? key;
  return params ? s.replace(/\{(\w+)\}/g, (all, n: string) => (n in params ? String(params[n]) : all)) : s;
}
/** A pick-list value's label in the wizard's wording (`prefix.value`). */
function pick(lang: BasicLang, prefix: string, value: string): string {
  return (CATALOGUES[lang] as Readonly<Record<string, string>>)[`${prefix}.${value}`] ?? value;
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
export function formErrors(values: Values, lang: BasicLang, schemaIssues: readonly { path: readonly PropertyKey[] }[]): FieldErrors {
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
    if (!e[field] && !(field === 'incidentTypes' && e.incidentTypes)) e[field] = basic(lang, 'invalidField');
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

/** Build the report object from the form fields (validation is the schema's job). */
export function reportFromForm(v: Values): unknown {
  const forSomeoneElse = one(v, 'forSomeoneElse') === 'yes';
  return compact({
    schemaVersion: 1,
    language: langOf(one(v, 'lang')),
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
  lang: BasicLang;
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

/** Language links: the same form in every language the wizard has. */
function langLinks(lang: BasicLang): string {
  return `<nav class="langs" aria-label="${esc(tr(lang, 'lang.switch'))}">${BASIC_LANGS.map((l) =>
    l === lang ? `<span lang="${l}" aria-current="true">${esc(CATALOGUES[l]['lang.name'])}</span>` : `<a href="/report/basic?lang=${l}" lang="${l}" hreflang="${l}">${esc(CATALOGUES[l]['lang.name'])}</a>`,
  ).join(' ')}</nav>`;
}

/** The page shell in the form's language, with the honest quick-exit note. */
function basicPage(lang: BasicLang, title: string, body: string): string {
  return page(title, `${langLinks(lang)}
<p class="exit-note">${esc(basic(lang, 'exitNote'))}</p>
${body}`)
    .replace('<html lang="en">', `<html lang="${lang}">`)
    .replace('>Quick exit</a>', `>${esc(tr(lang, 'exit.button'))}</a>`)
    .replace('</head>', '<script src="/report/basic.js" defer></script>\n</head>');
}

/** The form page; `values` refills the fields after a validation error and `errors` lists every problem at once. */
export function renderForm(token: string, values: Values = {}, errors: FieldErrors = {}, formError?: string, langIn?: BasicLang): string {
  const L = REPORT_LIMITS;
  const lang = langIn ?? langOf(one(values, 'lang'));
  const r: R = { v: values, lang, errors };
  const t = (k: MessageKey) => tr(lang, k);
  const list = Object.entries(errors);
  const summary =
    list.length > 0 || formError
      ? `<div class="error" role="alert" id="problems"><p><strong>${esc(basic(lang, 'problems', { n: list.length + (formError ? 1 : 0) }))}</strong></p><ul>${formError ? `<li>${esc(formError)}</li>` : ''}${list
          .map(([f, m]) => `<li><a href="#f-${f}">${esc(FIELD_LABEL[f] ? t(FIELD_LABEL[f]!) : f)}: ${esc(m!)}</a></li>`)
          .join('')}</ul></div>`
      : '';
  return basicPage(
    lang,
    basic(lang, 'title'),
    `<h1>${esc(t('intro.heading'))}</h1>
<p class="note">${esc(basic(lang, 'note'))} <a href="/">${esc(basic(lang, 'fullForm'))}</a></p>
<p>${esc(basic(lang, 'required'))}</p>
${summary}
<form method="post" action="/report/basic" autocomplete="off">
<input type="hidden" name="token" value="${esc(token)}">
<input type="hidden" name="lang" value="${lang}">
<fieldset id="f-behalf"><legend>${esc(t('behalf.heading'))}</legend>
${checkbox(r, 'forSomeoneElse', basic(lang, 'someoneElse'))}
${checkbox(r, 'theyConsented', basic(lang, 'agreed'))}
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
${area(r, 'phones', t('ids.phones'), L.phone * L.phones + L.phones, basic(lang, 'perLine'))}
${area(r, 'emails', t('ids.emails'), L.email * L.emails + L.emails, basic(lang, 'perLine'))}
${area(r, 'usernames', t('ids.usernames'), L.username * L.usernames + L.usernames, basic(lang, 'perLine'))}
</fieldset>
${choices(r, 'radio', 'publishWarning', t('consent.publish.q'), 'answer', ANSWERS, true, t('consent.publish.help'))}
${choices(r, 'radio', 'shareWithPolice', t('consent.police.q'), 'answer', ANSWERS)}
${choices(r, 'radio', 'wantPoliceSupport', t('consent.policeSupport.q'), 'answer', ANSWERS)}
${choices(r, 'radio', 'wantCaseworker', t('consent.caseworker.q'), 'answer', ANSWERS)}
<div class="hp" aria-hidden="true"><label>Leave this field empty<input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<p><button type="submit">${esc(basic(lang, 'send'))}</button></p>
</form>
${helpSection(lang)}`,
  );
}

/** Right after a report was stored (rendered by the POST itself, so opening /sent directly claims nothing). */
export function renderSent(lang: BasicLang = 'en'): string {
  return basicPage(
    lang,
    basic(lang, 'sentHeading'),
    `<h1>${esc(basic(lang, 'sentHeading'))}</h1>
<p>${esc(basic(lang, 'sentText'))}</p>
<p><a href="/report/basic?lang=${lang}">${esc(basic(lang, 'another'))}</a></p>
${helpSection(lang)}`,
  );
}

/** /report/basic/sent opened without a fresh receipt: say plainly that nothing was sent from here. */
export function renderSentDirect(lang: BasicLang = 'en'): string {
  return basicPage(
    lang,
    basic(lang, 'sentDirectHeading'),
    `<h1>${esc(basic(lang, 'sentDirectHeading'))}</h1>
<p>${esc(basic(lang, 'sentDirectText'))}</p>
<p><a href="/report/basic?lang=${lang}">${esc(basic(lang, 'toForm'))}</a></p>`,
  );
}

function renderMessage(lang: BasicLang, titleKey: string, messageKey: string): string {
  const title = basic(lang, titleKey);
  return basicPage(lang, title, `<h1>${esc(title)}</h1><p>${esc(basic(lang, messageKey))}</p><p><a href="/report/basic?lang=${lang}">${esc(basic(lang, 'back'))}</a></p>`);
}

/**
 * Where JavaScript runs, quick exit on the basic pages also wipes the form and replaces the
 * history entry (as in the wizard); without it the link is an ordinary link, and the page says so.
 */
export const BASIC_EXIT_SCRIPT = `document.addEventListener('click',function(e){var a=e.target&&e.target.closest&&e.target.closest('a.exit');if(!a)return;e.preventDefault();try{document.querySelectorAll('form').forEach(function(f){f.reset()});document.body.replaceChildren()}catch(x){}location.replace(a.href)});
`;

/** Controls as large as the wizard's (48 px targets, 1.125rem text), the error summary, the language links. */
const BASIC_FORM_CSS = `body{font-size:1.125rem}
label,legend{font-weight:600}
input[type=text],input[type=date],select,textarea{min-height:48px;padding:.6rem .7rem;border:2px solid #555;border-radius:8px;font-size:1.125rem}
.field{margin:1rem 0}
.choice{min-height:48px;padding:.5rem .6rem;margin:.35rem 0;border:2px solid #ccc;border-radius:8px;align-items:center;font-weight:400}
.choice input{width:1.4rem;height:1.4rem;margin:0}
button{min-height:48px;font-size:1.125rem;font-weight:600;padding:.7rem 1.4rem}
.exit{display:inline-flex;align-items:center;min-height:48px;font-size:1.125rem}
.exit-note{font-size:1rem;color:#333;margin:.25rem 0}
.langs{display:flex;gap:1rem;margin:.25rem 0}
.langs a,.langs span{display:inline-flex;align-items:center;min-height:44px;padding:0 .25rem}
.langs span{font-weight:700}
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
  const html = async (c: Context, body: string, status: 200 | 400 | 403 | 413 | 415 | 429 | 503 = 200) =>
    c.html(withProfile(body, await ctx.profile().catch(() => undefined)), status);
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
  const queryLang = (c: Context) => langOf(c.req.query('lang'));

  app.get('/', (c) => html(c, renderForm(newToken(), {}, {}, undefined, queryLang(c))));
  app.get('/sent', (c) => html(c, receiptValid(c.req.query('r')) ? renderSent(queryLang(c)) : renderSentDirect(queryLang(c))));

  app.post(
    '/',
    bodyLimit({
      maxSize: ctx.config.limits.basicFormBytes,
      onError: (c) => html(c, renderMessage(queryLang(c), 'tooLong', 'shorten'), 413),
    }),
    async (c) => {
      const full = () => html(c, renderMessage(queryLang(c), 'full', 'fullText'), 503);
      try {
        ctx.abuse.checkSpace();
      } catch {
        return full();
      }
      if (mediaType(c) !== 'application/x-www-form-urlencoded') {
        return html(c, renderMessage('en', 'notSent', 'unreadable'), 415);
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
        return html(c, renderMessage('en', 'notSent', 'unreadable'), 400);
      }
      const lang = langOf(one(values, 'lang'));
      if (many(values, 'website').length > 0) {
        return html(c, renderMessage(lang, 'notSent', 'honeypot'), 400);
      }
      let stamp;
      try {
        stamp = ctx.pow.verifyFormToken(one(values, 'token'), FORM_TTL_SECONDS, ctx.config.basicForm.minFillSeconds);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const msg = e.message === 'form sent too quickly' ? basic(lang, 'tooQuick') : basic(lang, 'expired');
        return html(c, renderForm(retryToken(), values, formErrors(values, lang, []), msg), 403);
      }
      const parsed = reportSchema.safeParse(reportFromForm(values));
      const errors = formErrors(values, lang, parsed.success ? [] : parsed.error.issues);
      if (!parsed.success || Object.keys(errors).length > 0) {
        return html(c, renderForm(retryToken(), values, errors), 400);
      }
      const busy = () => html(c, renderForm(retryToken(), values, {}, basic(lang, 'busy')), 429);
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
          return html(c, renderMessage(lang, 'alreadySent', 'alreadySentText'), 403);
        }
        if (e instanceof ApiError && e.status === 429) return busy();
        if (e instanceof ApiError && e.status === 503) return full();
        throw e;
      }
      return c.redirect(`/report/basic/sent?r=${receipt()}&lang=${lang}`, 303);
    },
  );
  return app;
}
