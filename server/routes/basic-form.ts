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
} from '../../crypto/index.js';
import { COUNTER } from '../abuse.js';
import type { ServerContext } from '../context.js';
import { ApiError, mediaType, type AppEnv } from '../http.js';
import { STYLESHEET, esc, page } from '../html.js';
import { storeReport } from './reports.js';

/** How long a served form may be posted: writing a report can take a long time. */
export const FORM_TTL_SECONDS = 4 * 3600;

type Values = Record<string, string | string[]>;

const LABELS: Record<string, string> = {
  violence: 'Physical violence',
  'sexual-assault': 'Sexual assault',
  robbery: 'Robbery or theft',
  'refused-to-pay': 'Refused to pay',
  stealthing: 'Condom removed or damaged without consent',
  threats: 'Threats',
  blackmail: 'Blackmail (including threats to out you)',
  'stalking-harassment': 'Stalking or harassment',
  'verbal-abuse': 'Verbal abuse',
  'time-waster': 'Time waster',
  'fake-client': 'Fake client / setup',
  drugging: 'Drugging',
  'held-against-will': 'Held against my will',
  'impersonating-police': 'Pretended to be police',
  other: 'Other',
  night: 'Night (00–06)',
  morning: 'Morning (06–12)',
  afternoon: 'Afternoon (12–18)',
  evening: 'Evening (18–24)',
  'outcall-home': 'Outcall to a home',
  hotel: 'Hotel',
  incall: 'Incall',
  'street-outdoor': 'Street or outdoors',
  car: 'Car',
  'online-phone': 'Online or by phone',
  'phone-call': 'Phone call',
  'sms-messaging': 'SMS or messaging app',
  'website-app': 'Website or app',
  'social-media': 'Social media',
  street: 'Street',
  venue: 'Venue',
  agency: 'Agency',
  yes: 'Yes',
  no: 'No',
  unsure: 'Not sure',
  man: 'Man',
  woman: 'Woman',
  'non-binary': 'Non-binary',
  'under-18': 'Under 18',
  '65-plus': '65 or over',
  short: 'Short',
  average: 'Average',
  tall: 'Tall',
  'very-tall': 'Very tall',
  slim: 'Slim',
  athletic: 'Athletic',
  stocky: 'Stocky',
  heavy: 'Heavy',
  one: 'One',
  two: 'Two',
  'three-or-more': 'Three or more',
};
const label = (v: string): string => LABELS[v] ?? v;

const FIELD_NAMES: Record<string, string> = {
  incidentTypes: 'What happened',
  incidentOther: 'Other (what happened)',
  date: 'Date',
  area: 'Area',
  settingOther: 'Other (where)',
  contactDetail: 'Website, app, venue or agency',
  account: 'What happened, in your words',
  consent: 'May we publish a warning',
  offender: 'About the person',
  vehicle: 'Vehicle',
  identifiers: 'Phone numbers, emails or usernames',
  onBehalfOf: 'Reporting for someone else',
};

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
    language: 'en',
    incidentTypes: many(v, 'incidentTypes'),
    incidentOther: opt(one(v, 'incidentOther')),
    date: opt(one(v, 'date')),
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

function text(v: Values, name: string, title: string, max: number, hint = ''): string {
  return `<label>${esc(title)}${hint ? ` <small>${esc(hint)}</small>` : ''}<input type="text" name="${name}" maxlength="${max}" value="${esc(one(v, name))}" autocomplete="off"></label>`;
}
function area(v: Values, name: string, title: string, max: number, hint = ''): string {
  return `<label>${esc(title)}${hint ? ` <small>${esc(hint)}</small>` : ''}<textarea name="${name}" maxlength="${max}" autocomplete="off">${esc(one(v, name))}</textarea></label>`;
}
function select(v: Values, name: string, title: string, options: readonly string[]): string {
  const cur = one(v, name);
  const opts = ['<option value="">—</option>', ...options.map((o) => `<option value="${esc(o)}"${o === cur ? ' selected' : ''}>${esc(label(o))}</option>`)];
  return `<label>${esc(title)}<select name="${name}">${opts.join('')}</select></label>`;
}
function radios(v: Values, name: string, title: string, options: readonly string[]): string {
  const cur = one(v, name);
  return `<fieldset><legend>${esc(title)}</legend>${options
    .map((o) => `<label class="choice"><input type="radio" name="${name}" value="${esc(o)}"${o === cur ? ' checked' : ''}> ${esc(label(o))}</label>`)
    .join('')}</fieldset>`;
}
function checkbox(v: Values, name: string, title: string): string {
  return `<label class="choice"><input type="checkbox" name="${name}" value="yes"${one(v, name) === 'yes' ? ' checked' : ''}> ${esc(title)}</label>`;
}

/** The form page; `values` refills the fields after a validation error. */
export function renderForm(token: string, values: Values = {}, error?: string): string {
  const L = REPORT_LIMITS;
  const chosen = new Set(many(values, 'incidentTypes'));
  return page(
    'Report an incident (basic form)',
    `<h1>Report an incident</h1>
<p class="note">This is the basic form for browsers without JavaScript. Your report is encrypted on our server as soon as it arrives, not in your browser, so for a moment the server handles your words in memory. Nothing is kept unencrypted. This form cannot give you a receipt code, so we cannot reply to you here. If you can, use the <a href="/">full form</a>: it encrypts on your device and lets you read replies.</p>
<p>Only “What happened” and the question about publishing a warning are required. Leave out anything you are not comfortable sharing.</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/report/basic" autocomplete="off">
<input type="hidden" name="token" value="${esc(token)}">
<fieldset><legend>What happened? (choose all that apply)</legend>
${INCIDENT_TYPES.map((t) => `<label class="choice"><input type="checkbox" name="incidentTypes" value="${t}"${chosen.has(t) ? ' checked' : ''}> ${esc(label(t))}</label>`).join('\n')}
${text(values, 'incidentOther', 'If other, what?', L.short)}
</fieldset>
<fieldset><legend>When and where</legend>
<label>Date<input type="date" name="date" value="${esc(one(values, 'date'))}"></label>
${select(values, 'timeBand', 'Time of day', TIME_BANDS)}
${text(values, 'area', 'Area', L.short, '(town, district or road — not an address)')}
${select(values, 'setting', 'Where did it happen?', SETTINGS)}
${text(values, 'settingOther', 'If other, where?', L.short)}
${select(values, 'contactMethod', 'How did they contact you?', CONTACT_METHODS)}
${text(values, 'contactDetail', 'Website, app, venue or agency', L.short)}
</fieldset>
${area(values, 'account', 'What happened, in your words', L.account)}
<fieldset><legend>About the person</legend>
${select(values, 'offenderCount', 'How many people?', OFFENDER_COUNTS)}
${select(values, 'gender', 'Gender', GENDERS)}
${select(values, 'ageRange', 'Age', AGE_RANGES)}
${select(values, 'height', 'Height', HEIGHTS)}
${select(values, 'build', 'Build', BUILDS)}
${text(values, 'hair', 'Hair', L.short)}
${text(values, 'skin', 'Skin colour or ethnicity', L.short)}
${text(values, 'accent', 'Accent', L.short)}
${text(values, 'nameGiven', 'Name they used', L.short)}
${area(values, 'clothing', 'Clothing', L.description)}
${area(values, 'marks', 'Tattoos, scars or anything distinctive', L.description)}
</fieldset>
<fieldset><legend>Vehicle</legend>
${text(values, 'vehicleMake', 'Make', L.vehiclePart)}
${text(values, 'vehicleModel', 'Model', L.vehiclePart)}
${text(values, 'vehicleColour', 'Colour', L.vehiclePart)}
${text(values, 'plate', 'Number plate', L.plate)}
${checkbox(values, 'plateIsPartial', 'I only know part of the plate')}
</fieldset>
<fieldset><legend>Phone numbers, emails, usernames (one per line)</legend>
${area(values, 'phones', 'Phone numbers', L.phone * L.phones + L.phones)}
${area(values, 'emails', 'Email addresses', L.email * L.emails + L.emails)}
${area(values, 'usernames', 'Usernames or profile links', L.username * L.usernames + L.usernames)}
</fieldset>
${radios(values, 'publishWarning', 'May we publish an anonymous warning to other workers? (required)', ANSWERS)}
${radios(values, 'shareWithPolice', 'May we share the details anonymously with the police?', ANSWERS)}
${radios(values, 'wantPoliceSupport', 'Would you like support to make a full police report?', ANSWERS)}
${radios(values, 'wantCaseworker', 'Would you like a caseworker to contact you?', ANSWERS)}
<fieldset><legend>Reporting for someone else?</legend>
${checkbox(values, 'forSomeoneElse', 'I am reporting for someone else')}
${checkbox(values, 'theyConsented', 'They agreed to this report')}
</fieldset>
<div class="hp" aria-hidden="true"><label>Leave this field empty<input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<p><button type="submit">Send report</button></p>
</form>`,
  );
}

export function renderSent(): string {
  return page(
    'Report sent',
    `<h1>Thank you. Your report was received.</h1>
<p>It was encrypted for the coordinators only. We cannot reply to you through this basic form.</p>
<p><a href="/report/basic">Send another report</a></p>`,
  );
}

function renderMessage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p><p><a href="/report/basic">Back to the form</a></p>`);
}

/** A readable name for the first field a schema issue points at (never its value). */
function fieldOf(path: readonly PropertyKey[]): string {
  const top = String(path[0] ?? '');
  return FIELD_NAMES[top] ?? 'one of the fields';
}

/** The form's stylesheet, served at /report/basic.css. */
export function basicStylesheet(c: Context): Response {
  return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
}

export function basicFormRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();
  const html = (c: Context, body: string, status: 200 | 400 | 403 | 413 | 415 | 429 | 503 = 200) => c.html(body, status);
  const newToken = () => ctx.pow.issueFormToken(FORM_TTL_SECONDS);

  app.get('/', (c) => html(c, renderForm(newToken())));
  app.get('/sent', (c) => html(c, renderSent()));

  app.post(
    '/',
    bodyLimit({
      maxSize: ctx.config.limits.basicFormBytes,
      onError: (c) => html(c, renderMessage('Report too long', 'Please shorten your report and try again.'), 413),
    }),
    async (c) => {
      const full = () =>
        html(c, renderMessage('Service full', 'We cannot take new reports right now because our storage is full. Please try again later.'), 503);
      try {
        ctx.abuse.checkSpace();
      } catch {
        return full();
      }
      if (mediaType(c) !== 'application/x-www-form-urlencoded') {
        return html(c, renderMessage('Not sent', 'The form could not be read. Please go back and try again.'), 415);
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
        return html(c, renderMessage('Not sent', 'The form could not be read. Please go back and try again.'), 400);
      }
      if (many(values, 'website').length > 0) {
        return html(c, renderMessage('Not sent', 'Please leave the last, hidden field empty.'), 400);
      }
      let stamp;
      try {
        stamp = ctx.pow.verifyFormToken(one(values, 'token'), FORM_TTL_SECONDS, ctx.config.basicForm.minFillSeconds);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const msg =
          e.message === 'form sent too quickly'
            ? 'The form was sent too quickly. Please check it and send it again.'
            : 'This form has expired or was already sent. Please check it and send it again.';
        return html(c, renderForm(newToken(), values, msg), 403);
      }
      const parsed = reportSchema.safeParse(reportFromForm(values));
      if (!parsed.success) {
        const msg = `Please check: ${fieldOf(parsed.error.issues[0]?.path ?? [])}.`;
        return html(c, renderForm(newToken(), values, msg), 400);
      }
      const busy = () => html(c, renderForm(newToken(), values, 'The basic form is busy right now. Please try again in a few minutes, or use the full form.'), 429);
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
          return html(c, renderMessage('Already sent', 'This form was already sent. Thank you.'), 403);
        }
        if (e instanceof ApiError && e.status === 429) return busy();
        if (e instanceof ApiError && e.status === 503) return full();
        throw e;
      }
      return c.redirect('/report/basic/sent', 303);
    },
  );
  return app;
}
