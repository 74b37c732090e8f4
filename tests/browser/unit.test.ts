/** Unit tests of the reporter app's pure parts: catalogues, the form-to-report mapping, JPEG metadata removal. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as schema from '../../crypto/report.js';
import { en } from '../../client/i18n/en.js';
import { loadCatalogue, translator } from '../../client/i18n/index.js';
import { en as enMessages } from '../../client/i18n/en.js';
import { ro as roMessages } from '../../client/i18n/ro.js';

const catalogues = { en: enMessages, ro: roMessages };
import { ro } from '../../client/i18n/ro.js';
import { jpegMetadataSegments, stripJpegMetadata } from '../../client/lib/jpeg.js';
import { emptyForm, firstInvalidStep, reportDate, stepErrors, toReport, today, type FormState } from '../../client/report/model.js';
import { EXIF_MARKERS, comment, containsBytes, exifApp1, withExif } from './helpers/jpeg-exif.js';

describe('message catalogues', () => {
  // A plural value's forms share one placeholder set (tests/i18n/catalogues.test.ts checks each form).
  const forms = (v: string | Readonly<Record<string, string>>): string[] => (typeof v === 'string' ? [v] : Object.values(v));
  const placeholders = (v: string | Readonly<Record<string, string>>) => [...new Set(forms(v).flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();

  it('Romanian has exactly the English keys, none empty, none left in English', () => {
    expect(Object.keys(ro).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(ro)) {
      for (const f of forms(v)) expect(f.trim(), k).not.toBe('');
      // Same text in both is allowed only where it is not language (a bare placeholder).
      if (v === en[k as keyof typeof en]) expect(v, k).toMatch(/^\{\w+\}$/);
    }
  });

  it('placeholders match between languages', () => {
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(ro[k]), k).toEqual(placeholders(en[k]));
  });

  it('every pick-list value of the report schema has a label in every language', () => {
    const lists: [string, readonly string[]][] = [
      ['incident', schema.INCIDENT_TYPES],
      ['band', schema.TIME_BANDS],
      ['setting', schema.SETTINGS],
      ['method', schema.CONTACT_METHODS],
      ['count', schema.OFFENDER_COUNTS],
      ['gender', schema.GENDERS],
      ['age', schema.AGE_RANGES],
      ['height', schema.HEIGHTS],
      ['build', schema.BUILDS],
      ['answer', schema.ANSWERS],
    ];
    for (const m of Object.values(catalogues)) for (const [p, values] of lists) for (const v of values) expect(m, `${p}.${v}`).toHaveProperty(`${p}.${v}`);
  });

  it('fills placeholders', async () => {
    expect(translator('en')('nav.stepOf', { n: 3, total: 15 })).toBe('Step 3 of 15');
    await loadCatalogue('ro');
    expect(translator('ro')('nav.stepOf', { n: 3, total: 15 })).toBe('Pasul 3 din 15');
  });
});

function fullForm(): FormState {
  return {
    ...emptyForm(),
    incidentTypes: ['robbery', 'violence', 'other'],
    incidentOther: 'Took my phone',
    when: 'exact',
    month: '',
    date: '2024-05-01',
    timeBand: 'evening',
    area: 'Leeds city centre',
    setting: 'other',
    settingOther: 'Car park',
    contactMethod: 'website-app',
    contactDetail: 'AdultWork',
    count: 'one',
    gender: 'man',
    ageRange: '35-44',
    height: 'tall',
    build: 'stocky',
    hair: 'Short, grey',
    skin: 'White',
    accent: 'Scottish',
    nameGiven: 'Dave',
    clothing: 'Blue jacket\r\nwhite trainers',
    marks: 'Scar on left hand',
    phones: [' 07700 900123 ', '', '07700 900123'],
    emails: ['dave@example.org'],
    usernames: ['dave_x on AdultWork'],
    make: 'Ford',
    model: 'Focus',
    colour: 'Silver',
    plate: 'AB12',
    plateIsPartial: true,
    account: '  He said he would pay later.\n\nThen he hit me.  ',
    publishWarning: 'yes',
    shareWithPolice: 'no',
    wantPoliceSupport: 'unsure',
    wantCaseworker: 'yes',
    behalf: 'other',
    theyConsented: 'yes',
  };
}

describe('form to report', () => {
  it('maps every answer into a valid report', () => {
    const r = toReport(fullForm(), 'ro');
    expect(schema.reportSchema.safeParse(r).success).toBe(true);
    expect(r).toEqual({
      schemaVersion: 1,
      language: 'ro',
      // Schema order, not click order.
      incidentTypes: ['violence', 'robbery', 'other'],
      incidentOther: 'Took my phone',
      date: '2024-05-01',
      datePrecision: 'day',
      timeBand: 'evening',
      area: 'Leeds city centre',
      setting: 'other',
      settingOther: 'Car park',
      contactMethod: 'website-app',
      contactDetail: 'AdultWork',
      account: 'He said he would pay later.\n\nThen he hit me.',
      offender: {
        count: 'one',
        gender: 'man',
        ageRange: '35-44',
        height: 'tall',
        build: 'stocky',
        hair: 'Short, grey',
        skin: 'White',
        accent: 'Scottish',
        nameGiven: 'Dave',
        clothing: 'Blue jacket\nwhite trainers',
        marks: 'Scar on left hand',
      },
      vehicle: { make: 'Ford', model: 'Focus', colour: 'Silver', plate: 'AB12', plateIsPartial: true },
      identifiers: { phones: ['07700 900123'], emails: ['dave@example.org'], usernames: ['dave_x on AdultWork'] },
      consent: { publishWarning: 'yes', shareWithPolice: 'no', wantPoliceSupport: 'unsure', wantCaseworker: 'yes' },
      onBehalfOf: { forSomeoneElse: true, theyConsented: true },
    });
  });

  it('sends nothing that was not answered, and drops "other" text whose choice was undone', () => {
    const f = { ...emptyForm(), incidentTypes: ['threats' as const], incidentOther: 'stale', setting: 'hotel', settingOther: 'stale', publishWarning: 'no' as const };
    expect(toReport(f, 'en')).toEqual({
      schemaVersion: 1,
      language: 'en',
      incidentTypes: ['threats'],
      setting: 'hotel',
      consent: { publishWarning: 'no' },
    });
  });

  it('needs an incident type and an answer on publishing, and consent when reporting for someone else', () => {
    const valid = (r: unknown) => schema.reportSchema.safeParse(r).success;
    for (const path of ['full', 'quick'] as const) {
      expect(firstInvalidStep(emptyForm(), 'en', path, valid)).toBe('what');
      const f: FormState = { ...emptyForm(), incidentTypes: ['robbery'] };
      expect(firstInvalidStep(f, 'en', path, valid)).toBe(path === 'full' ? 'publish' : 'consent');
      // "Who is reporting" is asked first, on the intro.
      const g: FormState = { ...f, publishWarning: 'unsure', behalf: 'other', theyConsented: 'no' };
      expect(firstInvalidStep(g, 'en', path, valid)).toBe('intro');
      expect(firstInvalidStep({ ...g, theyConsented: 'yes' }, 'en', path, valid)).toBeUndefined();
      expect(firstInvalidStep({ ...g, behalf: 'self' }, 'en', path, valid)).toBeUndefined();
    }
  });

  it('sends an approximate date with its precision, never as an exact day', () => {
    const now = new Date(2026, 11, 1, 12);
    const f = emptyForm();
    expect(reportDate({ ...f, when: 'week' }, now)).toEqual({ date: '2026-11-24', datePrecision: 'week' });
    expect(reportDate({ ...f, when: 'yesterday' }, now)).toEqual({ date: '2026-11-30', datePrecision: 'day' });
    expect(reportDate({ ...f, when: 'month', month: '2026-10' }, now)).toEqual({ date: '2026-10-01', datePrecision: 'month' });
    expect(reportDate({ ...f, when: 'month' }, now)).toEqual({});
    expect(reportDate({ ...f, when: '' , date: '2026-01-01' }, now)).toEqual({});
    expect(stepErrors('whenWhere', { ...f, when: 'month' })).toEqual({ month: 'when.monthRequired' });
    expect(schema.reportSchema.safeParse({ ...toReport({ ...f, incidentTypes: ['threats'], publishWarning: 'no', when: 'weeks' }, 'en') }).success).toBe(true);
  });

  it('refuses a future date and malformed phone numbers and emails', () => {
    const f = { ...emptyForm(), when: 'exact' as const, date: '2999-01-01' };
    expect(stepErrors('when', f)).toEqual({ date: 'when.dateFuture' });
    expect(stepErrors('when', { ...f, date: today() })).toEqual({});
    expect(stepErrors('ids', { ...f, phones: ['+44 (0)7700-900123', 'call me'], emails: ['a@b.co', 'nope'] })).toEqual({
      'phones.1': 'ids.invalidPhone',
      'emails.1': 'ids.invalidEmail',
    });
  });
});

/** A synthetic but well-formed baseline JPEG: SOI, APP0, DQT, SOF0, DHT, SOS + entropy data with stuffing and a restart marker, EOI. */
function syntheticJpeg(entropy = [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]): Uint8Array {
  const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  return new Uint8Array([
    0xff,
    0xd8,
    ...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...seg(0xdb, [0, ...new Array(64).fill(1)]),
    ...seg(0xc0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]),
    ...seg(0xc4, [0, ...new Array(16).fill(0)]),
    ...seg(0xda, [1, 1, 0, 0, 63, 0]),
    ...entropy,
    0xff,
    0xd9,
  ]);
}

describe('JPEG metadata removal', () => {
  it('removes EXIF with GPS, comments and APP0, and keeps the image segments byte for byte', () => {
    const clean = syntheticJpeg();
    const dirty = withExif(clean);
    expect(jpegMetadataSegments(dirty)).toEqual(['APP1:Exif', 'COM', 'APP0:JFIF']);
    for (const m of EXIF_MARKERS) expect(containsBytes(dirty, Buffer.from(m))).toBe(true);
    const out = stripJpegMetadata(dirty);
    expect(jpegMetadataSegments(out)).toEqual([]);
    for (const m of EXIF_MARKERS) expect(containsBytes(out, Buffer.from(m))).toBe(false);
    // Exactly the input without APP0 (18 bytes after SOI).
    expect([...out]).toEqual([...clean.subarray(0, 2), ...clean.subarray(2 + 18)]);
  });

  it('drops metadata segments between progressive scans too', () => {
    const base = syntheticJpeg();
    const eoi = base.length - 2;
    const second = [0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0x77];
    const dirty = new Uint8Array([...base.subarray(0, eoi), ...comment('late comment'), ...exifApp1(), ...second, 0xff, 0xd9]);
    const out = stripJpegMetadata(dirty);
    expect(containsBytes(out, Buffer.from('late comment'))).toBe(false);
    expect(containsBytes(out, Buffer.from('Exif'))).toBe(false);
    expect(containsBytes(out, new Uint8Array(second))).toBe(true);
  });

  it('refuses what is not a complete JPEG', () => {
    const good = syntheticJpeg();
    for (const bad of [new Uint8Array(0), good.subarray(0, 10), good.subarray(0, good.length - 2), new Uint8Array([0x89, 0x50, 0x4e, 0x47]), new Uint8Array([0xff, 0xd8, 0x00, 0x00])]) {
      expect(() => stripJpegMetadata(bad)).toThrow('invalid jpeg');
    }
  });

  it('never lets a metadata marker through, whatever the segments (property)', () => {
    const segment = fc.record({
      marker: fc.oneof(fc.integer({ min: 0xe0, max: 0xef }), fc.constant(0xfe), fc.constantFrom(0xdb, 0xc4, 0xc0, 0xdd)),
      body: fc.uint8Array({ maxLength: 40 }),
    });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 12 }), fc.uint8Array({ maxLength: 60 }), (segs, entropyRaw) => {
        // Entropy-coded data: every 0xFF stuffed, as an encoder writes it.
        const entropy = [...entropyRaw].flatMap((b) => (b === 0xff ? [0xff, 0x00] : [b]));
        const bytes = [0xff, 0xd8];
        const kept: number[] = [];
        for (const s of segs) {
          const enc = [0xff, s.marker, (s.body.length + 2) >> 8, (s.body.length + 2) & 0xff, ...s.body];
          bytes.push(...enc);
          if (!((s.marker >= 0xe0 && s.marker <= 0xef) || s.marker === 0xfe)) kept.push(...enc);
        }
        const sos = [0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0];
        bytes.push(...sos, ...entropy, 0xff, 0xd9);
        const out = stripJpegMetadata(new Uint8Array(bytes));
        expect([...out]).toEqual([0xff, 0xd8, ...kept, ...sos, ...entropy, 0xff, 0xd9]);
        expect(jpegMetadataSegments(out)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
