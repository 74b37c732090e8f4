/**
 * The police export model and its two outputs (issue 12), pure: each report's consent on its
 * own, the left-out list, linked reports with mixed consent, hostile text in the HTML, the
 * JSON against its published schema, and a property: nothing from a report without consent
 * ever appears.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANSWERS, HybridIdentity, type Report } from '../../crypto/index.js';
import { buildExport, consentOf, exportJson, type ExportModel, type ExportSource } from '../../console/export.js';
import { escapeHtml, exportHtml } from '../../console/export-html.js';

const CANARY = 'CANARY-do-not-share-7f3a';
const REPORTER_PHONE = '07911 123456';
const OFFENDER_PHONE = '07700 900123';
const MAILBOX = HybridIdentity.generate().recipient().toString();
const OPTS = { scheme: 'Test Scheme (fictional)', created: '2026-12-02', exportId: '0123456789abcdef' };

function src(id: string, report: Report | undefined, extra: Partial<ExportSource> = {}): ExportSource {
  return { id, status: report ? 'ok' : 'undecryptable', ...(report ? { report } : {}), hasMailbox: !!report?.replyRecipient, attachments: 0, followUps: 0, ...extra };
}

const noShare: Report = {
  schemaVersion: 1,
  incidentTypes: ['violence'],
  area: `${CANARY} area`,
  account: `${CANARY} account`,
  offender: { nameGiven: `${CANARY}name`, marks: `${CANARY} marks` },
  vehicle: { plate: 'CAN4RY' },
  identifiers: { phones: [OFFENDER_PHONE, '07700 111222'], emails: [`${CANARY}@example.org`] },
  consent: { publishWarning: 'yes', shareWithPolice: 'no', wantPoliceSupport: 'yes' },
  replyRecipient: MAILBOX,
};
const anonymous: Report = {
  schemaVersion: 1,
  language: 'ro',
  incidentTypes: ['robbery', 'threats'],
  date: '2026-11-14',
  datePrecision: 'day',
  timeBand: 'evening',
  area: '12 Acacia Avenue',
  setting: 'hotel',
  contactMethod: 'website-app',
  contactDetail: 'The Venue Agency',
  account: `He took my bag. Call me on ${REPORTER_PHONE}.`,
  offender: { count: 'one', gender: 'man', ageRange: '35-44', hair: 'short grey', nameGiven: 'Dave', marks: `ring me on ${REPORTER_PHONE}`, clothing: 'a blue jacket' },
  vehicle: { make: 'Ford', model: 'Focus', colour: 'silver', plate: 'AB12 CDE' },
  identifiers: { phones: ['+44 7700 900123'] },
  consent: { publishWarning: 'no', shareWithPolice: 'yes', wantPoliceSupport: 'no', wantCaseworker: 'yes' },
  onBehalfOf: { forSomeoneElse: true, theyConsented: true },
  replyRecipient: MAILBOX,
};
const full: Report = {
  schemaVersion: 1,
  incidentTypes: ['sexual-assault'],
  date: '2026-10-01',
  datePrecision: 'month',
  area: 'Northtown',
  account: 'I want to report it properly.',
  identifiers: { phones: [OFFENDER_PHONE] },
  consent: { publishWarning: 'unsure', shareWithPolice: 'yes', wantPoliceSupport: 'yes' },
  replyRecipient: MAILBOX,
};

function outputs(m: ExportModel): string[] {
  return [exportJson(m), exportHtml(m)];
}

describe('police export: each report on its own consent', () => {
  it('a "do not share" report leaves nothing, not even its id, in either output: only "1 report left out: consent"', () => {
    const { model, outcomes } = buildExport([src('srv-noshare-1', noShare), src('srv-anon-2', anonymous)], OPTS);
    for (const text of outputs(model)) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain('srv-noshare-1');
      expect(text).not.toContain('srv-anon-2');
      expect(text).not.toContain('CAN4RY');
      expect(text).not.toContain('111222');
    }
    expect(model.reports.map((r) => r.ref)).toEqual(['R1']);
    expect(model.leftOut[0]).toEqual({ reports: 1, what: 'whole-report', why: 'consent: the person did not agree to share this report with police' });
    expect(exportHtml(model)).toContain('1 report left out entirely: consent: the person did not agree to share this report with police');
    expect(outcomes).toEqual([
      { id: 'srv-noshare-1', leftOut: 'consent' },
      { id: 'srv-anon-2', ref: 'R1', consent: 'anonymous' },
    ]);
  });

  it('only "yes" shares: unsure, unanswered, a "no" with a wish for support, and unreadable reports are left out', () => {
    const with_ = (c: Partial<Report['consent']>) => ({ ...full, consent: { publishWarning: 'yes' as const, ...c } });
    expect(consentOf(src('a', with_({ shareWithPolice: 'unsure', wantPoliceSupport: 'yes' })))).toBe('consent');
    expect(consentOf(src('b', with_({ wantPoliceSupport: 'yes' })))).toBe('consent');
    expect(consentOf(src('c', with_({ shareWithPolice: 'no', wantPoliceSupport: 'yes' })))).toBe('consent');
    expect(consentOf(src('d', with_({ shareWithPolice: 'yes', wantPoliceSupport: 'unsure' })))).toBe('anonymous');
    expect(consentOf(src('e', with_({ shareWithPolice: 'yes', wantPoliceSupport: 'yes' })))).toBe('full-report-support');
    expect(consentOf(src('f', undefined))).toBe('unreadable');
    expect(consentOf({ ...src('g', full), status: 'invalid' })).toBe('unreadable');
    const { model } = buildExport([src('a', with_({ shareWithPolice: 'unsure' })), src('f', undefined), src('g', undefined)], OPTS);
    expect(model.reports).toEqual([]);
    expect(model.leftOut).toEqual([
      { reports: 2, what: 'whole-report', why: 'the report could not be read, so its consent is unknown' },
      { reports: 1, what: 'whole-report', why: 'consent: the person did not agree to share this report with police' },
    ]);
  });

  it('"share anonymously": the offender and the incident, coarsened; no reporter details, no contact route, no words of theirs', () => {
    const { model } = buildExport([src('x', anonymous, { attachments: 2, followUps: 1 })], { ...OPTS, regions: { x: ['North'] } });
    const r = model.reports[0]!;
    expect(r).toEqual({
      ref: 'R1',
      consent: 'anonymous',
      incident: { types: ['robbery', 'threats'], month: '2026-11', partOfDay: 'evening', regions: ['North'], setting: 'hotel', contactMethod: 'website-app' },
      offender: { count: 'one', gender: 'man', ageRange: '35-44', hair: 'short grey', nameGiven: 'Dave', clothing: 'a blue jacket' },
      vehicle: { make: 'Ford', model: 'Focus', colour: 'silver', plate: 'AB12 CDE' },
      identifiers: { phones: ['+44 7700 900123'] },
    });
    for (const text of outputs(model)) {
      for (const secret of [REPORTER_PHONE, '911 123456', MAILBOX, 'Acacia', 'Venue Agency', 'took my bag', '2026-11-14', '"ro"', 'forSomeoneElse']) {
        expect(text, secret).not.toContain(secret);
      }
    }
    expect(model.leftOut).toEqual([
      { ref: 'R1', what: 'flagged-text', fields: ['offender.marks'], why: "the redaction check: may hold the reporter's phone number or email" },
      { ref: 'R1', what: 'reporter-details', fields: ['language', 'onBehalfOf', 'consent.publishWarning', 'consent.wantCaseworker'], why: 'details about the person who reported are never shared' },
      { ref: 'R1', what: 'contact-route', fields: ['replyRecipient'], why: 'consent is for anonymous sharing only: no contact route' },
      { ref: 'R1', what: 'reporters-words', fields: ['account', 'contactDetail'], why: "free text in the reporter's own words can identify them" },
      { ref: 'R1', what: 'exact-place', fields: ['area'], why: 'finer than the warning rules allow: only regions chosen by the coordinator are shared' },
      { ref: 'R1', what: 'exact-date', fields: ['date'], why: 'finer than the warning rules allow: only the month is shared' },
      { ref: 'R1', what: 'photos', fields: ['2 attachments'], why: 'photos can identify the person who reported and are never shared' },
      { ref: 'R1', what: 'messages', fields: ['1 follow-up message'], why: 'messages between the person and the scheme are never shared' },
    ]);
  });

  it('"full report support": also the one contact route (through the scheme), never the mailbox key; none when there is no mailbox', () => {
    const { model } = buildExport([src('y', full), src('z', { ...full, replyRecipient: undefined } as Report)], OPTS);
    const [a, b] = model.reports;
    expect(a!.consent).toBe('full-report-support');
    expect(a!.contactRoute).toEqual({
      kind: 'through-scheme',
      instructions:
        "The person asked for support to make a full police report. Contact them only through Test Scheme (fictional), quoting export 0123456789abcdef, report R1: the scheme passes messages on through the person's anonymous reply mailbox.",
    });
    expect(a!.incident).toEqual({ types: ['sexual-assault'], month: '2026-10' });
    expect(b!.contactRoute).toBeUndefined();
    for (const text of outputs(model)) {
      expect(text).not.toContain(MAILBOX);
      expect(text).not.toContain('Northtown');
      expect(text).not.toContain('report it properly');
    }
    const left = model.leftOut.filter((l) => l.what === 'contact-route' || l.what === 'reporter-details' || l.what === 'exact-date');
    expect(left).toEqual([
      { ref: 'R1', what: 'reporter-details', fields: ['consent.publishWarning', 'replyRecipient'], why: 'details about the person who reported are never shared' },
      { ref: 'R2', what: 'reporter-details', fields: ['consent.publishWarning'], why: 'details about the person who reported are never shared' },
      { ref: 'R2', what: 'contact-route', why: 'the person asked for support but has no reply mailbox, so there is no contact route' },
    ]);
  });

  it('linked reports appear only as far as each consent allows; links are drawn from exported identifiers only', () => {
    const third: Report = { schemaVersion: 1, incidentTypes: ['threats'], vehicle: { plate: 'ab12cde' }, consent: { publishWarning: 'no', shareWithPolice: 'yes' } };
    const { model } = buildExport([src('a', anonymous), src('n', noShare), src('f', full), src('t', third), src('a', anonymous)], OPTS);
    expect(model.reports.map((r) => [r.ref, r.consent, r.linkedTo])).toEqual([
      ['R1', 'anonymous', ['R2', 'R3']],
      ['R2', 'full-report-support', ['R1']],
      ['R3', 'anonymous', ['R1']],
    ]);
    expect(model.leftOut.filter((l) => l.what === 'whole-report')).toEqual([{ reports: 1, what: 'whole-report', why: 'consent: the person did not agree to share this report with police' }]);
    for (const text of outputs(model)) expect(text).not.toContain(CANARY);
    // A number only in a flagged (left-out) field does not link.
    const flaggedOnly: Report = { schemaVersion: 1, incidentTypes: ['threats'], offender: { marks: `ring ${REPORTER_PHONE}` }, consent: { publishWarning: 'no', shareWithPolice: 'yes' } };
    const other: Report = { ...flaggedOnly, offender: undefined, identifiers: { phones: [REPORTER_PHONE] } } as Report;
    expect(buildExport([src('p', flaggedOnly), src('q', other)], OPTS).model.reports.map((r) => r.linkedTo)).toEqual([undefined, undefined]);
  });
});

describe('police export outputs', () => {
  const hostile: Report = {
    schemaVersion: 1,
    incidentTypes: ['other'],
    offender: { nameGiven: '<script>window.x=1</script>', clothing: '<img src=x onerror="alert(1)"> & "quotes" \u202Eevil\u202C', hair: "o'clock" },
    vehicle: { make: '</td></table><h1>fake</h1>' },
    identifiers: { usernames: ['<a href="javascript:alert(1)">me</a>'] },
    consent: { publishWarning: 'no', shareWithPolice: 'yes' },
  };

  it('the HTML escapes hostile content as text: only the page\'s own tags, invisible characters made visible', () => {
    const html = exportHtml(buildExport([src('h', hostile), src('n', noShare)], OPTS).model);
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    const own = ['a', 'body', 'br', 'h1', 'h2', 'h3', 'head', 'html', 'li', 'meta', 'p', 'section', 'style', 'table', 'td', 'th', 'title', 'tr', 'ul'];
    expect([...tags].filter((t) => !own.includes(t))).toEqual([]);
    expect(tags.has('table')).toBe(true);
    const inTags = [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
    expect(inTags.filter((t) => /\son\w+=|javascript:|<(script|img|iframe)/i.test(t))).toEqual([]);
    expect(html).toContain('&lt;script&gt;window.x=1&lt;/script&gt;');
    expect(html).toContain('&lt;/td&gt;&lt;/table&gt;&lt;h1&gt;fake&lt;/h1&gt;');
    expect(html).toContain('&amp; &quot;quotes&quot; ⟨U+202E⟩evil⟨U+202C⟩');
    expect(html).toContain('o&#39;clock');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toContain('@media print');
    // The left-out list ends the page.
    expect(html.indexOf('<h2>Left out, and why</h2>')).toBeGreaterThan(html.lastIndexOf('<section class="report"'));
    expect(escapeHtml('\u0000a\u200Bb')).toBe('⟨U+0000⟩a⟨U+200B⟩b');
  });

  it('the JSON matches console/export.schema.json; the schema refuses extra fields and a report without consent basis', () => {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../console/export.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
    const { model } = buildExport([src('a', anonymous, { attachments: 1 }), src('n', noShare), src('f', full), src('h', hostile), src('u', undefined)], { ...OPTS, regions: { a: ['North', 'South'] } });
    const json = JSON.parse(exportJson(model));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.leftOut.at(-1)).toBeDefined();
    expect(Object.keys(json).at(-1)).toBe('leftOut');
    expect(validate({ ...json, reporter: 'x' })).toBe(false);
    const bad = structuredClone(json);
    delete bad.reports[0].consent;
    expect(validate(bad)).toBe(false);
    const extra = structuredClone(json);
    extra.reports[0].account = 'words';
    expect(validate(extra)).toBe(false);
  });
});

describe('police export property', () => {
  const token = (n: number, field: string) => `T${n}x${field}Q`;
  const answer = fc.option(fc.constantFrom(...ANSWERS), { nil: undefined });
  const reports = fc.array(fc.record({ share: answer, support: answer, mailbox: fc.boolean(), readable: fc.boolean() }), { minLength: 1, maxLength: 6 });

  it('nothing from a report without "yes" to sharing, and no reporter words from any report, ever appears; every left-out report is counted', () => {
    fc.assert(
      fc.property(reports, (specs) => {
        const sources = specs.map((s, i): ExportSource => {
          const r: Report = {
            schemaVersion: 1,
            incidentTypes: ['threats'],
            area: token(i, 'area'),
            account: token(i, 'account'),
            contactDetail: token(i, 'detail'),
            offender: { hair: token(i, 'hair') },
            identifiers: { usernames: [token(i, 'user')] },
            consent: { publishWarning: 'yes', ...(s.share ? { shareWithPolice: s.share } : {}), ...(s.support ? { wantPoliceSupport: s.support } : {}) },
            ...(s.mailbox ? { replyRecipient: MAILBOX } : {}),
          };
          return s.readable ? src(`id${i}`, r) : { ...src(`id${i}`, undefined), status: 'invalid' };
        });
        const { model } = buildExport(sources, OPTS);
        const texts = outputs(model);
        let left = 0;
        specs.forEach((s, i) => {
          const shared = s.readable && s.share === 'yes';
          if (!shared) left++;
          for (const t of texts) {
            for (const f of ['area', 'account', 'detail']) expect(t).not.toContain(token(i, f));
            expect(t.includes(token(i, 'hair'))).toBe(shared);
            expect(t.includes(token(i, 'user'))).toBe(shared);
            expect(t).not.toContain(`id${i}`);
            expect(t).not.toContain(MAILBOX);
          }
        });
        expect(model.leftOut.filter((l) => l.what === 'whole-report').reduce((n, l) => n + l.reports!, 0)).toBe(left);
        expect(model.reports.filter((r) => r.contactRoute).length).toBe(specs.filter((s) => s.readable && s.share === 'yes' && s.support === 'yes' && s.mailbox).length);
      }),
      { numRuns: 150 },
    );
  });
});
