/**
 * The printable HTML page of a police export (issue 12). Every value from a report is
 * hostile: it is escaped as text, and invisible characters (controls, bidi overrides,
 * zero-width) are written out as ⟨U+XXXX⟩ so a printed page cannot be reordered. The page
 * carries its own CSP that allows no script at all, in case a viewer ignores nothing else.
 */
import type { ExportModel, ExportedReport, LeftOut } from './export.js';

const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029\ufff9-\ufffb\p{Co}\p{Cs}]/gu;

/** Text as HTML text: `& < > " '` escaped, invisible characters made visible. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(INVISIBLE, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

const label = (v: string) => v.replace(/-/g, ' ');

const LABELS: Record<string, string> = {
  types: 'Incident',
  month: 'Month',
  partOfDay: 'Part of day',
  regions: 'Region',
  setting: 'Setting',
  contactMethod: 'How the offender made contact',
  count: 'Number of offenders',
  gender: 'Gender',
  ageRange: 'Age range',
  height: 'Height',
  build: 'Build',
  hair: 'Hair',
  skin: 'Skin colour or ethnicity',
  accent: 'Accent',
  nameGiven: 'Name used',
  clothing: 'Clothing',
  marks: 'Distinctive marks',
  make: 'Make',
  model: 'Model',
  colour: 'Colour',
  plate: 'Plate',
  phones: 'Phone numbers',
  emails: 'Email addresses',
  usernames: 'Usernames and profiles',
};
const ENUMS = new Set(['types', 'partOfDay', 'setting', 'contactMethod', 'count', 'gender', 'ageRange', 'height', 'build']);

function rows(o: Record<string, unknown> | undefined, extra: (k: string, v: unknown) => string | undefined = () => undefined): string {
  if (!o) return '';
  let out = '';
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || k === 'plateIsPartial') continue;
    const special = extra(k, v);
    const shown = special ?? (Array.isArray(v) ? v.map((x) => escapeHtml(ENUMS.has(k) ? label(String(x)) : String(x))).join('<br>') : escapeHtml(ENUMS.has(k) ? label(String(v)) : String(v)));
    out += `<tr><th scope="row">${escapeHtml(LABELS[k] ?? k)}</th><td>${shown}</td></tr>\n`;
  }
  return out;
}

function section(title: string, body: string): string {
  return body ? `<h3>${title}</h3>\n<table>\n${body}</table>\n` : '';
}

function reportHtml(r: ExportedReport): string {
  const consent = r.consent === 'full-report-support' ? 'shared with consent; the person wants support to make a full police report' : 'shared anonymously, with consent';
  const plate = (k: string, v: unknown) => (k === 'plate' ? escapeHtml(String(v)) + (r.vehicle?.plateIsPartial ? ' (partial)' : '') : undefined);
  return (
    `<section class="report" id="${r.ref}">\n<h2>Report ${r.ref}</h2>\n<p class="consent">${consent}</p>\n` +
    section('Incident', rows(r.incident)) +
    section('Offender', rows(r.offender)) +
    section('Vehicle', rows(r.vehicle, plate)) +
    section('Identifiers', rows(r.identifiers)) +
    (r.linkedTo ? `<p class="linked">Shares an offender identifier with ${r.linkedTo.map((x) => `<a href="#${x}">${x}</a>`).join(', ')}.</p>\n` : '') +
    (r.contactRoute ? `<h3>Contact route</h3>\n<p class="contact">${escapeHtml(r.contactRoute.instructions)}</p>\n` : '') +
    '</section>\n'
  );
}

function leftOutHtml(l: LeftOut): string {
  const who = l.ref ? `Report ${l.ref}` : `${l.reports} report${l.reports === 1 ? '' : 's'} left out entirely`;
  const what = l.what === 'whole-report' ? '' : ` — ${escapeHtml(l.what === 'reporters-words' ? "reporter's words" : l.what.replace(/-/g, ' '))}${l.fields?.length ? ` (${l.fields.map(escapeHtml).join(', ')})` : ''}`;
  return `<li data-what="${l.what}">${who}${what}: ${escapeHtml(l.why)}</li>\n`;
}

const CSS = `body{font:11pt/1.45 system-ui,'DejaVu Sans',sans-serif;color:#111;max-width:48rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:1.6em}h3{font-size:1em;margin:0.8em 0 0.3em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:0.2em 0.5em;border-bottom:1px solid #ddd;overflow-wrap:anywhere}
th{width:35%;font-weight:600}.notice{border:1px solid #999;padding:0.5em}.left-out li{margin:0.2em 0}
@media print{body{margin:0;max-width:none}.report{break-inside:avoid}a{color:inherit;text-decoration:none}}`;

/** The whole page, from `<!doctype html>`: the reports, then the left-out list. */
export function exportHtml(m: ExportModel): string {
  const n = m.reports.length;
  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n` +
    `<meta name="referrer" content="no-referrer">\n` +
    `<title>Police intelligence export ${escapeHtml(m.exportId)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n` +
    `<h1>Police intelligence export</h1>\n` +
    `<p>From ${escapeHtml(m.scheme)} · export ${escapeHtml(m.exportId)} · ${escapeHtml(m.created)} · ${n} report${n === 1 ? '' : 's'} · format ${m.format} version ${m.version}</p>\n` +
    `<p class="notice">${escapeHtml(m.notice)}</p>\n` +
    m.reports.map(reportHtml).join('') +
    `<section class="left-out">\n<h2>Left out, and why</h2>\n` +
    (m.leftOut.length ? `<ul>\n${m.leftOut.map(leftOutHtml).join('')}</ul>\n` : '<p>Nothing was left out.</p>\n') +
    `</section>\n</body>\n</html>\n`
  );
}
