/**
 * Console statistics (console/stats.ts, console/statistics.ts): counts by month, incident
 * type, region, setting and consent; linked reports; warnings; days to first reply; quarters;
 * CSV; and that what the console would publish passes the document's own checks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  HybridIdentity,
  INCIDENT_TYPES,
  SETTINGS,
  bytes,
  encodeReport,
  encrypt,
  loadSodiumBackend,
  primitives,
  signStatistics,
  suppress,
  useBackend,
  verifyStatistics,
  type Keyring,
  type Report,
} from '../../crypto/index.js';
import { encodeEvent } from '../../console/events.js';
import type { Remote } from '../../console/remote.js';
import { ConsoleService, type ReportDetail } from '../../console/service.js';
import { statsCases } from '../../console/statistics.js';
import { liveStats, quarterPeriods, regionOf, toCsv, type StatsCase } from '../../console/stats.js';
import { newCoordinator } from '../../server/org.js';

useBackend(await loadSodiumBackend());

const regions = [
  { id: 'north', name: 'North' },
  { id: 'city-centre', name: 'City centre' },
];
const base: Report = { schemaVersion: 1, incidentTypes: ['violence'], consent: { publishWarning: 'yes' } };
const kase = (day: string, over: Partial<Report> = {}, extra: Partial<StatsCase> = {}): StatsCase => ({
  day,
  report: { ...base, ...over },
  linked: false,
  warned: false,
  hasMailbox: true,
  ...extra,
});
const rowsOf = (s: ReturnType<typeof liveStats>, id: string) => Object.fromEntries(s.tables.find((t) => t.id === id)!.rows.map((r) => [r.key, r.count]));

describe('live statistics', () => {
  const cases = [
    kase('2026-07-03', { incidentTypes: ['violence', 'robbery'], area: 'North Leeds', setting: 'hotel', consent: { publishWarning: 'no', shareWithPolice: 'yes' } }, { linked: true, firstReplyDay: '2026-07-03' }),
    kase('2026-07-30', { area: 'the city centre, near the station', setting: 'car' }, { linked: true, warned: true, firstReplyDay: '2026-08-02' }),
    kase('2026-09-01', { incidentTypes: ['threats'], area: 'Northampton' }, { firstReplyDay: '2026-09-11' }),
    kase('2026-09-02', {}, { hasMailbox: false }),
  ];
  const s = liveStats(cases, regions);

  it('counts by month received, with empty months in between', () => {
    expect(s.reports).toBe(4);
    expect(rowsOf(s, 'month')).toEqual({ '2026-07': 2, '2026-08': 0, '2026-09': 2 });
  });

  it('counts a report in every incident type it names, once each', () => {
    const t = rowsOf(s, 'incident-type');
    expect(t.violence).toBe(3);
    expect(t.robbery).toBe(1);
    expect(t.threats).toBe(1);
    expect(Object.keys(t)).toEqual([...INCIDENT_TYPES]);
  });

  it('matches the coarse area to a profile region by whole words only', () => {
    expect(rowsOf(s, 'region')).toEqual({ north: 1, 'city-centre': 1, unmatched: 2 });
    expect(regionOf('Northampton', regions)).toBe('unmatched');
    expect(regionOf('NORTH', regions)).toBe('north');
    expect(regionOf(undefined, regions)).toBe('unmatched');
  });

  it('counts settings and consent answers, with "not given" where the report is silent', () => {
    expect(rowsOf(s, 'setting')).toEqual({ ...Object.fromEntries(SETTINGS.map((k) => [k, 0])), hotel: 1, car: 1, 'not-given': 2 });
    expect(rowsOf(s, 'consent-publish-warning')).toEqual({ yes: 3, no: 1, unsure: 0, 'not-given': 0 });
    expect(rowsOf(s, 'consent-share-with-police')).toEqual({ yes: 1, no: 0, unsure: 0, 'not-given': 3 });
  });

  it('linked share, warnings and days to first reply (buckets and median)', () => {
    expect(s.linkedShare).toBe(0.5);
    expect(rowsOf(s, 'linked')).toEqual({ linked: 2, 'not-linked': 2 });
    expect(rowsOf(s, 'warning')).toEqual({ warning: 1, 'no-warning': 3 });
    expect(rowsOf(s, 'first-reply')).toEqual({ 'day-0': 1, 'days-1-2': 0, 'days-3-7': 1, 'days-8-30': 1, 'days-31-plus': 0, 'no-reply': 0, 'no-mailbox': 1 });
    expect(s.medianReplyDays).toBe(3); // 0, 3, 10
  });

  it('every partition table sums to the number of reports', () => {
    for (const t of s.tables) if (t.kind === 'partition') expect(t.rows.reduce((a, r) => a + r.count, 0), t.id).toBe(4);
  });

  it('is empty without reports', () => {
    const e = liveStats([], regions);
    expect(e.reports).toBe(0);
    expect(e.medianReplyDays).toBeNull();
  });
});

describe('quarters for publication', () => {
  const cases = [kase('2026-02-10'), kase('2026-03-31'), kase('2026-04-01'), kase('2026-11-20')];

  it('only closed quarters, by the day received, with empty quarters as zeros', () => {
    const q = quarterPeriods(cases, regions, '2026-10-01');
    expect(q.map((p) => [p.period, p.reports])).toEqual([
      ['2026-Q1', 2],
      ['2026-Q2', 1],
      ['2026-Q3', 0],
    ]);
    expect(q[0]!.tables.find((t) => t.id === 'month')!.rows.map((r) => r.key)).toEqual(['2026-01', '2026-02', '2026-03']);
    // the quarter ends on 09-30: on that day it is still open
    expect(quarterPeriods(cases, regions, '2026-09-30').map((p) => p.period)).toEqual(['2026-Q1', '2026-Q2']);
  });

  it('starts after the last published quarter', () => {
    expect(quarterPeriods(cases, regions, '2027-01-05', '2026-Q2').map((p) => p.period)).toEqual(['2026-Q3', '2026-Q4']);
  });

  it('what the console would publish passes the document checks (signed, verified, audited)', () => {
    const seed = primitives().randomBytes(32);
    const keyring: Keyring = {
      version: 1,
      issued: '2026-01-01',
      expires: '2026-06-01',
      coordinators: [{ id: 'c', name: 'C', recipient: HybridIdentity.generate().recipient().toString(), signingKey: bytes.base64Padded(primitives().ed25519PublicKey(seed)), roles: ['warnings'] }],
    };
    const arbCase = fc.record({
      day: fc.integer({ min: 0, max: 364 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
      types: fc.uniqueArray(fc.constantFrom(...INCIDENT_TYPES), { minLength: 1, maxLength: 3 }),
      setting: fc.option(fc.constantFrom(...SETTINGS), { nil: undefined }),
      area: fc.constantFrom('North', 'city centre', 'elsewhere', undefined),
      linked: fc.boolean(),
      warned: fc.boolean(),
      reply: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbCase, { maxLength: 60 }), (raw) => {
        const cs = raw.map((r) =>
          kase(
            r.day,
            { incidentTypes: r.types, ...(r.setting ? { setting: r.setting } : {}), ...(r.area ? { area: r.area } : {}) },
            { linked: r.linked, warned: r.warned, ...(r.reply !== undefined ? { firstReplyDay: new Date(Date.parse(r.day) + r.reply * 86_400_000).toISOString().slice(0, 10) } : {}) },
          ),
        );
        const periods = quarterPeriods(cs, regions, '2026-01-02').map(suppress);
        const env = signStatistics({ version: 1, issued: '2026-01-02', periods }, seed);
        const back = verifyStatistics(env, keyring);
        expect(back.periods.reduce((a, p) => a + (typeof p.reports === 'number' ? p.reports : 0), 0)).toBeLessThanOrEqual(cs.length);
      }),
      { numRuns: 60 },
    );
  });
});

describe('cases from the console service', () => {
  it('linked through a shared identifier, warned from a case event, first reply from coordinator messages', async () => {
    const c = newCoordinator('c1', 'One');
    const s = new ConsoleService({} as Remote, c, [c.identity], new Uint8Array(32));
    const ct = async (r: Report) => bytes.base64Padded(await encrypt([c.identity.recipient()], encodeReport(r)));
    const detail = (id: string, report: string, extra: Partial<ReportDetail> = {}): ReportDetail => ({
      id, day: '2026-07-01', state: 'new', origin: 'browser', expires: '2027-03-01', report, attachments: [], notes: [], hasMailbox: true, messages: [], ...extra,
    });
    const note = bytes.base64Padded(await encrypt([c.identity.recipient()], encodeEvent({ v: 1, by: 'c1', at: 1, kind: 'state', state: 'warning-published' })));
    await s.ingest(detail('a', await ct({ ...base, identifiers: { phones: ['07700 900123'] } }), { notes: [{ id: 'n1', day: '2026-07-02', body: note }] }));
    await s.ingest(
      detail('b', await ct({ ...base, identifiers: { phones: ['+44 7700 900123'] } }), {
        messages: [
          { id: 'm2', from: 'coordinator', day: '2026-07-09', body: '' },
          { id: 'm1', from: 'coordinator', day: '2026-07-04', body: '' },
        ],
      }),
    );
    await s.ingest(detail('c', await ct(base)));
    await s.ingest(detail('x', bytes.base64Padded(new Uint8Array(10)))); // unreadable: not counted
    const cs = statsCases(s).sort((x, y) => (x.report.identifiers?.phones?.[0] ?? 'z').localeCompare(y.report.identifiers?.phones?.[0] ?? 'z'));
    expect(cs.length).toBe(3);
    expect(cs.map((x) => [x.linked, x.warned, x.firstReplyDay ?? null])).toEqual([
      [true, false, '2026-07-04'],
      [true, true, null],
      [false, false, null],
    ]);
  }, 60_000);
});

describe('CSV', () => {
  it('quotes fields that need it and defuses spreadsheet formulas', () => {
    const csv = toCsv([
      { period: '2026-Q1', table: 'setting', key: 'hotel', value: '<5' },
      { period: 'all', table: 'x,y', key: '=cmd', value: 7 },
    ]);
    expect(csv).toBe('period,table,row,count\r\n2026-Q1,setting,hotel,<5\r\nall,"x,y",\'=cmd,7\r\n');
  });
});
