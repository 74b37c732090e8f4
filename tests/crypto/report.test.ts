/**
 * The report schema and its encoding (SPEC.md §Report schema). Vectors from tests/vectors/report/report
 * (one test each), the size bound, stable machine values, and properties: random valid reports
 * round-trip; unknown keys anywhere, random bytes and random JSON never get through unvalidated.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGE_RANGES,
  ANSWERS,
  BUILDS,
  CONTACT_METHODS,
  DocumentError,
  GENDERS,
  HEIGHTS,
  INCIDENT_TYPES,
  LANGUAGES,
  OFFENDER_COUNTS,
  REPORT_LIMITS,
  SETTINGS,
  TIME_BANDS,
  bytes,
  decodeReport,
  encodeReport,
  pad,
  reportSchema,
  type Report,
} from '../../crypto/index.js';
import { loadVectorFile, parseByteSpec, thrown } from '../helpers/vectors.js';

const DIR = join(import.meta.dirname, '../vectors/report/report');
const RECEIPT_DIR = join(import.meta.dirname, '../vectors/report/receipt');

function expectInvalidReport(e: unknown): void {
  expect(e).toBeInstanceOf(DocumentError);
  expect((e as Error).message).toBe('invalid report');
}

const KAT_RECIPIENT = loadVectorFile(RECEIPT_DIR, 'kat-random.txt').headers.get('reply recipient')!;

describe('report vectors', () => {
  const files = readdirSync(DIR).sort();
  it('has vectors', () => expect(files.length).toBeGreaterThanOrEqual(40));
  for (const file of files) {
    const v = loadVectorFile(DIR, file);
    it(`${file}: ${v.headers.get('comment')}`, () => {
      const padded = v.headers.has('padded') ? parseByteSpec(v.headers.get('padded')!) : pad(v.body!);
      const expectation = v.headers.get('expect');
      if (expectation === 'valid') {
        const expected = JSON.parse(bytes.fromUtf8(v.body!)) as unknown;
        const r = decodeReport(padded);
        expect(r).toEqual(expected);
        expect(reportSchema.safeParse(expected).success).toBe(true);
        expect(decodeReport(encodeReport(r))).toEqual(expected);
        return;
      }
      expect(expectation).toBe('invalid report');
      expectInvalidReport(thrown(() => decodeReport(padded)));
      // Where the body is JSON at all, the schema itself must refuse it and so must encodeReport.
      let value: unknown;
      try {
        value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(v.body!));
      } catch {
        return;
      }
      if (v.headers.has('padded')) return;
      expect(reportSchema.safeParse(value).success).toBe(false);
      expectInvalidReport(thrown(() => encodeReport(value as Report)));
    });
  }
});

describe('report schema', () => {
  it('keeps its machine values stable (the UI and stored reports depend on them)', () => {
    expect(INCIDENT_TYPES).toEqual([
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
    expect(TIME_BANDS).toEqual(['night', 'morning', 'afternoon', 'evening']);
    expect(SETTINGS).toEqual(['outcall-home', 'hotel', 'incall', 'street-outdoor', 'car', 'online-phone', 'other']);
    expect(CONTACT_METHODS).toEqual(['phone-call', 'sms-messaging', 'website-app', 'social-media', 'street', 'venue', 'agency', 'other']);
    expect(ANSWERS).toEqual(['yes', 'no', 'unsure']);
    expect(GENDERS).toEqual(['man', 'woman', 'non-binary', 'other']);
    expect(AGE_RANGES).toEqual(['under-18', '18-24', '25-34', '35-44', '45-54', '55-64', '65-plus']);
    expect(HEIGHTS).toEqual(['short', 'average', 'tall', 'very-tall']);
    expect(BUILDS).toEqual(['slim', 'average', 'athletic', 'stocky', 'heavy']);
    expect(OFFENDER_COUNTS).toEqual(['one', 'two', 'three-or-more']);
    expect(LANGUAGES).toEqual(['en', 'ro', 'bg', 'pl', 'hu', 'pt-BR', 'es', 'it', 'fr', 'ru', 'uk', 'th', 'zh-CN', 'sq']);
  });

  it('crypto/ validates with its own schema module, not zod (no eval under the CSP, and about 10 KiB gzip less on the reporter page)', () => {
    const dir = join(import.meta.dirname, '../../crypto');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(join(dir, f), 'utf8');
      // Under `npm run mutate` a mutated file starts with StrykerJS's preamble, which uses new Function.
      if (src.includes('function stryNS_9fa48()')) continue;
      expect(src, f).not.toMatch(/from\s+['"]zod|import\(['"]zod|new Function|\beval\(/);
    }
  });

  it('the largest possible report still fits the 64 KiB class', () => {
    // U+20AC is 3 bytes of UTF-8 and needs no JSON escape: the worst case per UTF-16 unit.
    const s = (n: number) => '\u20ac'.repeat(n);
    const L = REPORT_LIMITS;
    const worst: Report = {
      schemaVersion: 1,
      language: 'ro',
      incidentTypes: [...INCIDENT_TYPES],
      incidentOther: s(L.short),
      date: '2024-12-31',
      timeBand: 'afternoon',
      area: s(L.short),
      setting: 'street-outdoor',
      settingOther: s(L.short),
      contactMethod: 'social-media',
      contactDetail: s(L.short),
      account: s(L.account),
      offender: {
        count: 'three-or-more',
        gender: 'non-binary',
        ageRange: '65-plus',
        height: 'very-tall',
        build: 'athletic',
        hair: s(L.short),
        skin: s(L.short),
        accent: s(L.short),
        nameGiven: s(L.short),
        clothing: s(L.description),
        marks: s(L.description),
      },
      vehicle: { make: s(L.vehiclePart), model: s(L.vehiclePart), colour: s(L.vehiclePart), plate: s(L.plate), plateIsPartial: false },
      identifiers: {
        phones: Array.from({ length: L.phones }, () => s(L.phone)),
        emails: Array.from({ length: L.emails }, () => s(L.email)),
        usernames: Array.from({ length: L.usernames }, () => s(L.username)),
      },
      consent: { publishWarning: 'unsure', shareWithPolice: 'unsure', wantPoliceSupport: 'unsure', wantCaseworker: 'unsure' },
      onBehalfOf: { forSomeoneElse: true, theyConsented: true },
      replyRecipient: KAT_RECIPIENT,
    };
    const encoded = encodeReport(worst);
    expect(encoded.length).toBe(65536);
    expect(decodeReport(encoded)).toEqual(worst);
  });

  it('a typical report with a reply recipient and a 1500-character account is in the smallest class', () => {
    const r: Report = {
      schemaVersion: 1,
      incidentTypes: ['violence', 'refused-to-pay'],
      date: '2024-05-01',
      timeBand: 'evening',
      area: 'City centre',
      setting: 'hotel',
      contactMethod: 'sms-messaging',
      account: 'x'.repeat(1500),
      offender: { gender: 'man', ageRange: '45-54', build: 'heavy', hair: 'bald' },
      identifiers: { phones: ['07700 900123'] },
      consent: { publishWarning: 'yes', shareWithPolice: 'no', wantPoliceSupport: 'no', wantCaseworker: 'yes' },
      replyRecipient: KAT_RECIPIENT,
    };
    expect(encodeReport(r).length).toBe(4096);
  });

  it('rejects one character over every string limit', () => {
    const base: Report = { schemaVersion: 1, incidentTypes: ['other'], consent: { publishWarning: 'no' } };
    const L = REPORT_LIMITS;
    const cases: [Report, Report][] = [
      [{ ...base, account: 'a'.repeat(L.account) }, { ...base, account: 'a'.repeat(L.account + 1) }],
      [{ ...base, offender: { marks: 'a'.repeat(L.description) } }, { ...base, offender: { marks: 'a'.repeat(L.description + 1) } }],
      [{ ...base, vehicle: { plate: 'A'.repeat(L.plate) } }, { ...base, vehicle: { plate: 'A'.repeat(L.plate + 1) } }],
      [{ ...base, vehicle: { make: 'A'.repeat(L.vehiclePart) } }, { ...base, vehicle: { make: 'A'.repeat(L.vehiclePart + 1) } }],
      [{ ...base, identifiers: { emails: ['e'.repeat(L.email)] } }, { ...base, identifiers: { emails: ['e'.repeat(L.email + 1)] } }],
      [{ ...base, identifiers: { phones: ['1'.repeat(L.phone)] } }, { ...base, identifiers: { phones: ['1'.repeat(L.phone + 1)] } }],
      [{ ...base, identifiers: { usernames: ['u'.repeat(L.username)] } }, { ...base, identifiers: { usernames: ['u'.repeat(L.username + 1)] } }],
      [
        { ...base, identifiers: { usernames: Array.from({ length: L.usernames }, () => 'u') } },
        { ...base, identifiers: { usernames: Array.from({ length: L.usernames + 1 }, () => 'u') } },
      ],
      [
        { ...base, identifiers: { emails: Array.from({ length: L.emails }, () => 'e') } },
        { ...base, identifiers: { emails: Array.from({ length: L.emails + 1 }, () => 'e') } },
      ],
    ];
    for (const [ok, over] of cases) {
      expect(reportSchema.safeParse(ok).success).toBe(true);
      expect(reportSchema.safeParse(over).success).toBe(false);
    }
  });
});

// Characters covering 1-, 2-, 3- and 4-byte UTF-8, JSON escapes and joiners.
const UNITS = ['a', 'Z', '7', ' ', '"', '\\', '/', 'ă', 'ț', '€', '中', '😀', '\u200d', '<', '&'];
const str = (max: number) => fc.string({ unit: fc.constantFrom(...UNITS), minLength: 1, maxLength: Math.floor(max / 2) });
const longText = (max: number) =>
  fc.string({ unit: fc.constantFrom(...UNITS, '\n', '\r', '\t'), minLength: 1, maxLength: Math.min(Math.floor(max / 2), 400) });
const ident = (max: number) =>
  fc.string({ unit: fc.constantFrom('a', '0', '+', ' ', '@', '.', '-', '_', 'ș'), minLength: 1, maxLength: max });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const L = REPORT_LIMITS;

const reportArb: fc.Arbitrary<Report> = fc
  .record(
    {
      schemaVersion: fc.constant(1 as const),
      language: fc.constantFrom(...LANGUAGES),
      incidentTypes: fc.uniqueArray(fc.constantFrom(...INCIDENT_TYPES), { minLength: 1, maxLength: INCIDENT_TYPES.length }),
      incidentOther: str(L.short),
      date: fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      timeBand: fc.constantFrom(...TIME_BANDS),
      area: str(L.short),
      setting: fc.constantFrom(...SETTINGS),
      settingOther: str(L.short),
      contactMethod: fc.constantFrom(...CONTACT_METHODS),
      contactDetail: str(L.short),
      account: longText(L.account),
      offender: fc.record(
        {
          count: fc.constantFrom(...OFFENDER_COUNTS),
          gender: fc.constantFrom(...GENDERS),
          ageRange: fc.constantFrom(...AGE_RANGES),
          height: fc.constantFrom(...HEIGHTS),
          build: fc.constantFrom(...BUILDS),
          hair: str(L.short),
          skin: str(L.short),
          accent: str(L.short),
          nameGiven: str(L.short),
          clothing: longText(L.description),
          marks: longText(L.description),
        },
        { requiredKeys: [] },
      ),
      vehicle: fc.record(
        { make: str(L.vehiclePart), model: str(L.vehiclePart), colour: str(L.vehiclePart), plate: ident(L.plate), plateIsPartial: fc.boolean() },
        { requiredKeys: [] },
      ),
      identifiers: fc.record(
        {
          phones: fc.array(ident(L.phone), { maxLength: L.phones }),
          emails: fc.array(ident(60), { maxLength: L.emails }),
          usernames: fc.array(ident(60), { maxLength: L.usernames }),
        },
        { requiredKeys: [] },
      ),
      consent: fc.record(
        {
          publishWarning: fc.constantFrom(...ANSWERS),
          shareWithPolice: fc.constantFrom(...ANSWERS),
          wantPoliceSupport: fc.constantFrom(...ANSWERS),
          wantCaseworker: fc.constantFrom(...ANSWERS),
        },
        { requiredKeys: ['publishWarning'] },
      ),
      onBehalfOf: fc.boolean().chain((forSomeoneElse) =>
        fc.record({ forSomeoneElse: fc.constant(forSomeoneElse), theyConsented: forSomeoneElse ? fc.constant(true) : fc.boolean() }),
      ),
      replyRecipient: fc.constant(KAT_RECIPIENT),
    },
    { requiredKeys: ['schemaVersion', 'incidentTypes', 'consent'] },
  )
  .map((r) => r as Report);

/** Every path to a plain object inside a value, the root included. */
function objectPaths(v: unknown, path: string[] = []): string[][] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
  return [path, ...Object.entries(v).flatMap(([k, x]) => objectPaths(x, [...path, k]))];
}

describe('report properties', () => {
  it('random valid reports round-trip through encodeReport and decodeReport', () => {
    fc.assert(
      fc.property(reportArb, (r) => {
        const encoded = encodeReport(r);
        expect([4096, 8192, 16384]).toContain(encoded.length);
        expect(decodeReport(encoded)).toEqual(r);
      }),
      { numRuns: 150 },
    );
  });

  it('an unknown key in any object is rejected', () => {
    fc.assert(
      fc.property(reportArb, fc.nat(), fc.constantFrom('extra', 'ip', 'userAgent', 'constructor', 'toString'), (r, pick, key) => {
        const copy = structuredClone(r) as Record<string, unknown>;
        const paths = objectPaths(copy);
        const path = paths[pick % paths.length]!;
        let target: Record<string, unknown> = copy;
        for (const k of path) target = target[k] as Record<string, unknown>;
        target[key] = 'x';
        expectInvalidReport(thrown(() => decodeReport(pad(bytes.utf8(JSON.stringify(copy))))));
        expectInvalidReport(thrown(() => encodeReport(copy as Report)));
      }),
      { numRuns: 150 },
    );
  });

  it('random JSON values and random bytes give a report or DocumentError, nothing else', () => {
    const check = (padded: Uint8Array) => {
      try {
        expect(reportSchema.safeParse(decodeReport(padded)).success).toBe(true);
      } catch (e) {
        expectInvalidReport(e);
      }
    };
    fc.assert(
      fc.property(fc.jsonValue(), (v) => check(pad(bytes.utf8(JSON.stringify(v) ?? '')))),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        check(pad(b));
        check(b);
      }),
      { numRuns: 200 },
    );
  });
});
