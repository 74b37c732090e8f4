/**
 * The report schema's building blocks (crypto/report.ts, SPEC.md §Report schema), each on its
 * own: which characters a single-line, multi-line and identifier field takes, the date
 * precision values, the duplicate and consent rules with the issue path the basic form shows
 * the error at (server/routes/basic-form.ts maps issue paths to fields), the reply recipient's
 * two checks, and the machine values.
 *
 * The schema is built when the module loads, so every test loads a fresh copy of the module:
 * each test then builds the schema itself, and a change to how it is built is seen by the test
 * that checks it (under StrykerJS too, which would otherwise count such changes as "static"
 * and leave them out: tests/mutation/SURVIVORS.md).
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { bytes, pad, type Report } from '../../crypto/index.js';
import { loadVectorFile } from '../helpers/vectors.js';

const RECIPIENT = loadVectorFile(join(import.meta.dirname, '../vectors/report/receipt'), 'kat-random.txt').headers.get('reply recipient')!;
const base: Report = { schemaVersion: 1, incidentTypes: ['other'], consent: { publishWarning: 'no' } };

type Path = (string | number)[];

/** `base` with the value at `path` (objects and one-element arrays created on the way). */
function withField(path: Path, value: unknown): Report {
  const root: Record<string, unknown> = structuredClone(base);
  let o: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const next: Record<string | number, unknown> = typeof path[i + 1] === 'number' ? ([] as unknown as Record<number, unknown>) : {};
    o[path[i]!] ??= next;
    o = o[path[i]!] as Record<string | number, unknown>;
  }
  o[path[path.length - 1]!] = value;
  return root as Report;
}

/** A freshly loaded report module, with checks bound to it. */
async function fresh() {
  vi.resetModules();
  const m = await import('../../crypto/report.js');
  const { DocumentError } = await import('../../crypto/errors.js');
  const issues = (r: unknown) => {
    const p = m.reportSchema.safeParse(r);
    return p.success ? [] : p.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message }));
  };
  return {
    m,
    issues,
    /** Accepted, and it round-trips through the padded encoding unchanged. */
    valid(r: Report): void {
      expect(issues(r)).toEqual([]);
      expect(m.decodeReport(m.encodeReport(r))).toEqual(r);
    },
    /** Refused by the schema with exactly one issue at `path`, by encodeReport and by decodeReport. */
    invalid(r: unknown, path: Path): void {
      expect(issues(r).map((i) => i.path)).toEqual([path]);
      expect(() => m.encodeReport(r as Report)).toThrow(DocumentError);
      let err: unknown;
      try {
        m.decodeReport(pad(bytes.utf8(JSON.stringify(r))));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DocumentError);
      expect((err as Error).message).toBe('invalid report');
    },
  };
}

const SINGLE_LINE: Path[] = [
  ['incidentOther'],
  ['area'],
  ['settingOther'],
  ['contactDetail'],
  ['offender', 'hair'],
  ['offender', 'skin'],
  ['offender', 'accent'],
  ['offender', 'nameGiven'],
  ['vehicle', 'make'],
  ['vehicle', 'model'],
  ['vehicle', 'colour'],
];
const MULTI_LINE: Path[] = [['account'], ['offender', 'clothing'], ['offender', 'marks']];
const IDENTIFIER: Path[] = [['vehicle', 'plate'], ['identifiers', 'phones', 0], ['identifiers', 'emails', 0], ['identifiers', 'usernames', 0]];

// Characters every field refuses, at the start, in the middle and at the end of a value:
// C0 and C1 controls (but see the multi-line white space below) and lone surrogates.
const CONTROLS = ['\u0000', '\u0001', '\u000b', '\u000c', '\u001f', '\u007f', '\u0085', '\u009f', '\ud800', '\udfff'];
const placed = (c: string) => [c, `ab${c}`, `${c}ab`, `a${c}b`];

describe('single-line text', () => {
  it('takes any text without controls, also format characters and line separators', async () => {
    const { valid } = await fresh();
    for (const path of SINGLE_LINE) {
      for (const v of ['a', 'Tall man, 40s', 'caf\u00e9 \u20ac', '\u202eabc', 'a\u200bb', 'a\u2028b\u2029', '\ud83d\ude00 x']) valid(withField(path, v));
    }
  });

  it('refuses tab, line feed, carriage return, every other control and a lone surrogate, anywhere', async () => {
    const { invalid } = await fresh();
    for (const path of SINGLE_LINE) {
      invalid(withField(path, ''), path);
      for (const c of ['\t', '\n', '\r', ...CONTROLS]) for (const v of placed(c)) invalid(withField(path, v), path);
    }
  });
});

describe('multi-line text', () => {
  it('takes tab, line feed and carriage return (browsers send CRLF) as well as text', async () => {
    const { valid } = await fresh();
    for (const path of MULTI_LINE) {
      for (const v of ['a', 'a\tb', 'a\nb', 'a\rb', '\t', '\n', '\r', 'line one\r\nline two\n\n\tend', '\u202e\u2028 \ud83d\ude00']) valid(withField(path, v));
    }
  });

  it('refuses every other control and a lone surrogate, anywhere', async () => {
    const { invalid } = await fresh();
    for (const path of MULTI_LINE) {
      invalid(withField(path, ''), path);
      for (const c of CONTROLS) for (const v of placed(c)) invalid(withField(path, v), path);
    }
  });
});

describe('identifiers', () => {
  it('take text without controls or invisible characters', async () => {
    const { valid } = await fresh();
    for (const path of IDENTIFIER) for (const v of ['x', 'AB12 CDE', '+44 7700 900123', 'a@b.example', 'Zoë \ud83d\ude00']) valid(withField(path, v));
  });

  it('refuse controls, lone surrogates, format characters and line or paragraph separators, anywhere', async () => {
    const { invalid } = await fresh();
    // U+200B zero width space, U+200D zero width joiner, U+202E and U+2066 bidi controls,
    // U+00AD soft hyphen and U+FEFF are format characters (Cf); U+2028 is Zl, U+2029 is Zp.
    const invisible = ['\t', '\n', ...CONTROLS, '\u200b', '\u200d', '\u202e', '\u2066', '\u00ad', '\ufeff', '\u2028', '\u2029'];
    for (const path of IDENTIFIER) {
      invalid(withField(path, ''), path);
      for (const c of invisible) for (const v of placed(c)) invalid(withField(path, v), path);
    }
  });
});

describe('rules', () => {
  it('date precision is day, week or month', async () => {
    const { valid, invalid } = await fresh();
    for (const p of ['day', 'week', 'month'] as const) valid({ ...base, date: '2024-05-01', datePrecision: p });
    for (const p of ['', 'year', 'Day']) invalid({ ...base, datePrecision: p }, ['datePrecision']);
  });

  it('incident types: one or more, each at most once', async () => {
    const { m, valid, invalid, issues } = await fresh();
    valid({ ...base, incidentTypes: [...m.INCIDENT_TYPES] });
    valid({ ...base, incidentTypes: ['violence', 'robbery'] });
    invalid({ ...base, incidentTypes: [] }, ['incidentTypes']);
    expect(issues({ ...base, incidentTypes: ['violence', 'robbery', 'violence'] })).toEqual([
      { path: ['incidentTypes'], code: 'custom', message: 'duplicate incident type' },
    ]);
    invalid({ ...base, incidentTypes: ['violence', 'violence'] }, ['incidentTypes']);
  });

  it('a report for someone else needs their consent, shown at theyConsented', async () => {
    const { valid, invalid, issues } = await fresh();
    valid({ ...base, onBehalfOf: { forSomeoneElse: false, theyConsented: false } });
    valid({ ...base, onBehalfOf: { forSomeoneElse: false, theyConsented: true } });
    valid({ ...base, onBehalfOf: { forSomeoneElse: true, theyConsented: true } });
    expect(issues({ ...base, onBehalfOf: { forSomeoneElse: true, theyConsented: false } })).toEqual([
      { path: ['onBehalfOf', 'theyConsented'], code: 'custom', message: 'a report for someone else needs their consent' },
    ]);
    invalid({ ...base, onBehalfOf: { forSomeoneElse: true, theyConsented: false } }, ['onBehalfOf', 'theyConsented']);
  });

  it('every part of a full report is accepted where it belongs', async () => {
    const { valid, invalid } = await fresh();
    const full: Report = {
      ...base,
      language: 'pt-BR',
      date: '2024-02-29',
      datePrecision: 'week',
      timeBand: 'night',
      setting: 'car',
      contactMethod: 'agency',
      offender: { count: 'two', gender: 'woman', ageRange: '18-24', height: 'short', build: 'slim' },
      vehicle: { plateIsPartial: true },
      identifiers: { phones: [], emails: [], usernames: [] },
      consent: { publishWarning: 'yes', shareWithPolice: 'no', wantPoliceSupport: 'unsure', wantCaseworker: 'yes' },
      onBehalfOf: { forSomeoneElse: false, theyConsented: false },
      replyRecipient: RECIPIENT,
    };
    valid(full);
    for (const key of ['offender', 'vehicle', 'identifiers', 'consent', 'onBehalfOf'] as const) invalid({ ...full, [key]: { ...full[key], extra: 'x' } }, [key]);
  });
});

describe('reply recipient', () => {
  it('is an age1pq1 recipient in lower case (as HybridRecipient writes it)', async () => {
    const { valid, issues } = await fresh();
    valid({ ...base, replyRecipient: RECIPIENT });
    // Every character of the bech32 alphabet occurs in it, so each is accepted.
    expect(new Set(RECIPIENT.slice('age1pq1'.length)).size).toBe(32);
    expect(issues({ ...base, replyRecipient: RECIPIENT.toUpperCase() }).map((i) => i.code)).toEqual(['invalid_format']);
  });

  it('refuses a broken checksum as an invalid recipient', async () => {
    const { issues } = await fresh();
    const i = RECIPIENT.length - 3;
    const broken = RECIPIENT.slice(0, i) + (RECIPIENT[i] === 'q' ? 'p' : 'q') + RECIPIENT.slice(i + 1);
    expect(issues({ ...base, replyRecipient: broken })).toEqual([{ path: ['replyRecipient'], code: 'custom', message: 'invalid recipient' }]);
  });

  it('reports a string that is not of the age1pq1 form as such, before trying to read it', async () => {
    const { issues } = await fresh();
    const mid = RECIPIENT.length >> 1;
    for (const v of [`x${RECIPIENT}`, ` ${RECIPIENT}`, `${RECIPIENT}\n`, `${RECIPIENT}o`, RECIPIENT.slice(0, mid) + 'b' + RECIPIENT.slice(mid), RECIPIENT.slice(0, mid) + '1' + RECIPIENT.slice(mid), 'age1pq1']) {
      expect(issues({ ...base, replyRecipient: v }), v.slice(0, 12)).toEqual([
        { path: ['replyRecipient'], code: 'invalid_format', message: expect.stringMatching(/^Invalid string: must match pattern /) },
        { path: ['replyRecipient'], code: 'custom', message: 'invalid recipient' },
      ]);
    }
  });
});

describe('encoding', () => {
  it('refuses a byte order mark at the start, and only there', async () => {
    const { m } = await fresh();
    const json = bytes.utf8(JSON.stringify(base));
    expect(m.decodeReport(pad(json))).toEqual(base);
    expect(() => m.decodeReport(pad(bytes.concat(new Uint8Array([0xef, 0xbb, 0xbf]), json)))).toThrow('invalid report');
  });

  it('keeps the machine values the UI and stored reports depend on', async () => {
    const { m } = await fresh();
    // crypto/report-values.ts, loaded afresh with it.
    expect(m.INCIDENT_TYPES).toEqual([
      'violence',
      'sexual-assault',
      'robbery',
      'refused-to-pay',
      'stealthing',
      'threats',
      'blackmail',
      'stalking-harassment',
      'verbal-abuse',
      'time-waster',
      'fake-client',
      'drugging',
      'held-against-will',
      'impersonating-police',
      'other',
    ]);
    expect(m.TIME_BANDS).toEqual(['night', 'morning', 'afternoon', 'evening']);
    expect(m.SETTINGS).toEqual(['outcall-home', 'hotel', 'incall', 'street-outdoor', 'car', 'online-phone', 'other']);
    expect(m.CONTACT_METHODS).toEqual(['phone-call', 'sms-messaging', 'website-app', 'social-media', 'street', 'venue', 'agency', 'other']);
    expect(m.ANSWERS).toEqual(['yes', 'no', 'unsure']);
    expect(m.GENDERS).toEqual(['man', 'woman', 'non-binary', 'other']);
    expect(m.AGE_RANGES).toEqual(['under-18', '18-24', '25-34', '35-44', '45-54', '55-64', '65-plus']);
    expect(m.HEIGHTS).toEqual(['short', 'average', 'tall', 'very-tall']);
    expect(m.BUILDS).toEqual(['slim', 'average', 'athletic', 'stocky', 'heavy']);
    expect(m.OFFENDER_COUNTS).toEqual(['one', 'two', 'three-or-more']);
    expect(m.LANGUAGES).toEqual(['en', 'ro', 'bg', 'pl', 'hu', 'pt-BR', 'es', 'it', 'fr', 'ru', 'uk', 'th', 'zh-CN', 'sq']);
    expect(m.REPORT_LIMITS).toEqual({
      short: 80,
      vehiclePart: 40,
      plate: 16,
      description: 300,
      account: 10_000,
      phone: 32,
      email: 254,
      username: 200,
      phones: 5,
      emails: 5,
      usernames: 10,
      replyRecipient: 2000,
    });
    expect(Object.isFrozen(m.REPORT_LIMITS)).toBe(true);
  });
});
