/**
 * The published statistics summary: already-suppressed aggregates per fixed calendar quarter,
 * a signed document of kind `statistics` signed by a keyring coordinator holding the
 * `warnings` role (SPEC.md §Statistics summary). Verification re-runs the suppression audit,
 * so a document that shows a count from 1 to 4, or lets one be worked out, is refused by the
 * server and by every browser alike.
 */
import * as z from './schema.js';
import { fromBase64Padded, utf8 } from './bytes.js';
import { DocumentError } from './errors.js';
import { dayStart, type Keyring } from './keyring.js';
import { parseEnvelope, parseJsonPayload, signDocument, verifyDocument, type SignedEnvelope } from './signed.js';
import { audit, isPublishableCell, type PublishedPeriod, type TableKind } from './suppress.js';

/** Each table of a period, and how its rows relate to the period's report count. */
export const STAT_TABLES = {
  month: 'partition',
  'incident-type': 'multi',
  region: 'partition',
  setting: 'partition',
  'consent-publish-warning': 'partition',
  'consent-share-with-police': 'partition',
  'consent-police-support': 'partition',
  'consent-caseworker': 'partition',
  linked: 'partition',
  warning: 'partition',
  'first-reply': 'partition',
} as const satisfies Record<string, TableKind>;
export type StatTableId = keyof typeof STAT_TABLES;

export const STATISTICS_LIMITS = { periods: 200, rows: 120, reports: 1_000_000 } as const;

export interface Statistics {
  version: number;
  /** YYYY-MM-DD */
  issued: string;
  /** Oldest first; each a closed calendar quarter `YYYY-Qn`, at most once. */
  periods: PublishedPeriod[];
}

/** A statistics failure: `message` is always 'invalid statistics'; `detail` says why. */
export class StatisticsError extends DocumentError {
  constructor(readonly detail: string) {
    super('invalid statistics');
  }
}

const PERIOD = /^(\d{4})-Q([1-4])$/;
const KEY = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** The first and last day of a quarter `YYYY-Qn`. @throws RangeError when malformed */
export function quarterDays(period: string): { first: string; last: string } {
  const m = PERIOD.exec(period);
  if (!m) throw new RangeError('not a quarter');
  const y = Number(m[1]);
  const q = Number(m[2]);
  const first = new Date(Date.UTC(y, (q - 1) * 3, 1));
  const last = new Date(Date.UTC(y, q * 3, 0));
  return { first: first.toISOString().slice(0, 10), last: last.toISOString().slice(0, 10) };
}

/** The quarter a day `YYYY-MM-DD` falls in. */
export function quarterOf(day: string): string {
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

function build() {
  const cell = z.custom<number | '<5' | 'x'>((v) => isPublishableCell(v) && (typeof v !== 'number' || v <= STATISTICS_LIMITS.reports), {
    message: 'a count must be 0, at least 5, "<5" or "x"',
  });
  const table = z.strictObject({
    id: z.enum(Object.keys(STAT_TABLES) as [StatTableId, ...StatTableId[]]),
    kind: z.enum(['partition', 'multi']),
    rows: z.optional(
      z.array(z.strictObject({ key: z.string().check(z.regex(KEY, 'row key must be 1-32 of a-z 0-9 -')), value: cell })).check(z.minLength(1), z.maxLength(STATISTICS_LIMITS.rows)),
    ),
  });
  const period = z.strictObject({
    period: z.string().check(z.regex(PERIOD, 'period must be a quarter YYYY-Qn')),
    reports: z.custom<number | '<5'>((v: unknown) => v !== 'x' && isPublishableCell(v) && (typeof v !== 'number' || v <= STATISTICS_LIMITS.reports), {
      message: 'the report count must be 0, at least 5 or "<5"',
    }),
    tables: z.array(table).check(z.maxLength(Object.keys(STAT_TABLES).length)),
  });
  return z
    .strictObject({
      version: z.number().check(z.int(), z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
      issued: z.string().check(z.refine((s) => dayStart(s) !== undefined, 'not a YYYY-MM-DD date')),
      periods: z.array(period).check(z.maxLength(STATISTICS_LIMITS.periods)),
    })
    .check(
      z.superRefine((s, ctx) => {
        const issue = (message: string, ...path: PropertyKey[]) => ctx.addIssue({ code: 'custom', path: ['periods', ...path], message });
        s.periods.forEach((p, i) => {
          if (i > 0 && !(s.periods[i - 1]!.period < p.period)) issue('periods must be distinct, oldest first', i, 'period');
          // A malformed period already has its issue; quarterDays would throw a RangeError.
          if (PERIOD.test(p.period) && quarterDays(p.period).last >= s.issued) issue('only a quarter that ended before the issue day is published', i, 'period');
          const ids = new Set<string>();
          p.tables.forEach((t, j) => {
            if (ids.has(t.id)) issue('duplicate table', i, 'tables', j, 'id');
            ids.add(t.id);
            if (STAT_TABLES[t.id] !== t.kind) issue(`table ${t.id} is a ${STAT_TABLES[t.id]} table`, i, 'tables', j, 'kind');
            const keys = new Set(t.rows?.map((r) => r.key));
            if (t.rows && keys.size !== t.rows.length) issue('duplicate row key', i, 'tables', j, 'rows');
          });
        });
      }),
    );
}
let built: ReturnType<typeof build> | undefined;

function validate(value: unknown): Statistics {
  const r = (built ??= build()).safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new StatisticsError((issue.path.length > 0 ? issue.path.join('.') + ': ' : '') + issue.message);
  }
  const s = r.data as Statistics;
  for (const p of s.periods) {
    const found = audit(p);
    if (found.length > 0) {
      const d = found[0]!;
      throw new StatisticsError(`${p.period}: ${d.table ? `${d.table}.${d.key}` : 'reports'} can be worked out from the published figures`);
    }
  }
  return s;
}

/** A period in the payload's fixed key order, without unknown keys. */
function periodJson(p: PublishedPeriod) {
  return {
    period: p.period,
    reports: p.reports,
    tables: p.tables.map((t) => ({ id: t.id, kind: t.kind, ...(t.rows ? { rows: t.rows.map((r) => ({ key: r.key, value: r.value })) } : {}) })),
  };
}

/** The payload bytes: the JSON in a fixed key order, as UTF-8. */
export function encodeStatistics(s: Statistics): Uint8Array {
  return utf8(JSON.stringify({ version: s.version, issued: s.issued, periods: s.periods.map(periodJson) }));
}

/**
 * Validate (schema and suppression audit) and sign a statistics summary with a `warnings`
 * coordinator's seed.
 * @throws StatisticsError ('invalid statistics', with `detail`) when it breaks a rule or discloses a small count
 * @throws Error('invalid signing key') when the seed is not 32 bytes
 */
export function signStatistics(s: Statistics, seed: Uint8Array): SignedEnvelope {
  return signDocument('statistics', encodeStatistics(validate(JSON.parse(new TextDecoder().decode(encodeStatistics(s))))), seed);
}

/** The keys trusted to sign statistics: every keyring coordinator holding the `warnings` role. */
export function statisticsSigners(keyring: Keyring): Uint8Array[] {
  return keyring.coordinators.filter((c) => c.roles.includes('warnings')).map((c) => fromBase64Padded(c.signingKey));
}

/**
 * Verify a statistics envelope (object or JSON text) against a keyring the caller verified
 * against the pinned root: kind `statistics`, a `warnings` coordinator's signature, canonical
 * JSON, the strict schema, no count from 1 to 4 and none that can be worked out (the audit),
 * version not below `minVersion`.
 * @throws DocumentError('invalid signature' | 'invalid statistics' | 'statistics version rollback');
 *   'invalid statistics' is a StatisticsError with `detail`
 */
export function verifyStatistics(env: SignedEnvelope | string, keyring: Keyring, opts: { minVersion?: number } = {}): Statistics {
  let parsed: SignedEnvelope;
  try {
    parsed = parseEnvelope(env);
  } catch {
    throw new StatisticsError('not a signed document envelope');
  }
  if (parsed.kind !== 'statistics') throw new StatisticsError(`document kind is ${parsed.kind}, not statistics`);
  let payload: Uint8Array;
  try {
    ({ payload } = verifyDocument(parsed, 'statistics', statisticsSigners(keyring)));
  } catch {
    throw new DocumentError('invalid signature');
  }
  let value: unknown;
  try {
    value = parseJsonPayload(payload);
  } catch {
    throw new StatisticsError('payload is not canonical UTF-8 JSON');
  }
  const s = validate(value);
  if (s.version < (opts.minVersion ?? 0)) throw new DocumentError('statistics version rollback');
  return s;
}

/**
 * Whether `next` keeps every period `previous` published exactly as it was: a published
 * quarter is frozen, so two publications never differ in a way that singles a report out.
 * @throws StatisticsError('<period>: a published period changed' | '... was dropped')
 */
export function assertPeriodsKept(previous: Statistics, next: Statistics): void {
  const now = new Map(next.periods.map((p) => [p.period, p]));
  for (const p of previous.periods) {
    const q = now.get(p.period);
    if (!q) throw new StatisticsError(`${p.period}: a published period was dropped`);
    if (JSON.stringify(periodJson(p)) !== JSON.stringify(periodJson(q))) throw new StatisticsError(`${p.period}: a published period changed`);
  }
}
