/**
 * Query functions. Each takes the database (or a transaction) first and does one thing;
 * the routes decide what is allowed.
 */
import { CompiledQuery, sql, type Compilable, type ExpressionBuilder, type QueryCreator, type Kysely, type QueryResult, type Transaction } from 'kysely';
import { pgPool, type SyncSqlite } from './index.js';
import type { Database, MemberState, ReportState } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;

/** True for a primary-key or unique-constraint violation on SQLite or PostgreSQL. */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const n = (v: unknown): number => Number(v ?? 0);

/** Stands for the i-th argument while a {@link precompiled} query is compiled. */
class Slot {
  constructor(readonly i: number) {}
}

let statementNames = 0;

/** A {@link precompiled} query: run it through kysely, or synchronously on SQLite. */
interface Precompiled<A extends unknown[], R> {
  (db: Q, ...args: A): Promise<QueryResult<R>>;
  /** The same SQL as a prepared better-sqlite3 statement, run at once: rows when it returns any, else the changes. */
  sync(s: SyncSqlite, ...args: A): { rows: R[]; changes: number };
}

/**
 * A query of fixed shape compiled once per dialect and then run with each call's values:
 * kysely builds and compiles a query anew on every call, a measurable share of a report
 * submission's CPU. `build` is compiled once with placeholders for its arguments, which must
 * each be used as a plain value (a parameter), never inspected; anything else in the query
 * is fixed. The SQL text is kept per dialect (the adapter), so a transaction shares it.
 * On PostgreSQL outside a transaction it runs as a named prepared statement (db/index.ts
 * `pgPool`); in a transaction, through kysely on the transaction's connection.
 */
function precompiled<A extends unknown[], R>(build: (db: Q, ...args: A) => Compilable<R>): Precompiled<A, R> {
  const cache = new WeakMap<object, { sql: string; params: readonly unknown[] }>();
  const compile = (db: Q, args: A) => {
    const adapter = db.getExecutor().adapter;
    let c = cache.get(adapter);
    if (!c) {
      const compiled = build(db, ...(args.map((_, i) => new Slot(i)) as A)).compile();
      c = { sql: compiled.sql, params: compiled.parameters };
      cache.set(adapter, c);
    }
    const { params } = c;
    const parameters = new Array<unknown>(params.length);
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      parameters[i] = p instanceof Slot ? args[p.i] : p;
    }
    return { sql: c.sql, parameters };
  };
  const name = `tipline_${++statementNames}`;
  const run = async (db: Q, ...args: A): Promise<QueryResult<R>> => {
    const { sql, parameters } = compile(db, args);
    const pool = pgPool(db);
    if (!pool) return db.executeQuery<R>(CompiledQuery.raw(sql, parameters));
    // PostgreSQL outside a transaction: a named prepared statement (parsed once per connection).
    const r = await pool.query<R & object>({ name, text: sql, values: parameters as unknown[] });
    const writes = r.command === 'INSERT' || r.command === 'UPDATE' || r.command === 'DELETE';
    return { rows: r.rows, ...(writes ? { numAffectedRows: BigInt(r.rowCount ?? 0) } : {}) };
  };
  run.sync = (s: SyncSqlite, ...args: A) => {
    const { sql, parameters } = compile(s.db, args);
    const stmt = s.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) as R[], changes: 0 };
    return { rows: [], changes: stmt.run(parameters).changes };
  };
  return run;
}

// ---- pages -----------------------------------------------------------------------------

/**
 * One page of a list ordered by (day, id): `after` is the last (day, id) of the previous
 * page; `limit` rows at most. `next` is set when more rows follow.
 */
export interface DayIdPage {
  after?: { day: string; id: string } | undefined;
  limit: number;
}

// ---- counters, spent stamps, replay cache ----------------------------------------------

/** Increment a named counter and return its new value (row-locked on PostgreSQL until commit). */
export async function nextCounter(db: Q, name: string): Promise<number> {
  await db.insertInto('counters').values({ name, value: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await db
    .updateTable('counters')
    .set({ value: sql<number>`value + 1` })
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  return n(row.value);
}

export async function readCounter(db: Q, name: string): Promise<number> {
  const row = await db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst();
  return n(row?.value);
}

/** Record a spent stamp; false when it was spent before. */
export async function spendStamp(db: Q, hash: Buffer, expiresDay: string): Promise<boolean> {
  return n((await spendStampQuery(db, hash, expiresDay)).numAffectedRows) === 1;
}

const spendStampQuery = precompiled((db, hash: Buffer, expiresDay: string) =>
  db
    .insertInto('spent_stamps')
    .values({ hash, expires_day: expiresDay })
    .onConflict((oc) => oc.column('hash').doNothing()),
);

/** Record a signed request's signature hash; false when it was seen before (a replay). */
export async function recordRequest(db: Q, hash: Buffer, expiresDay: string): Promise<boolean> {
  const r = await db
    .insertInto('seen_requests')
    .values({ hash, expires_day: expiresDay })
    .onConflict((oc) => oc.column('hash').doNothing())
    .executeTakeFirst();
  return n(r.numInsertedOrUpdatedRows) === 1;
}

// ---- abuse counters (coarse time buckets) and stamp budgets ------------------------------

/**
 * Add `by` to a bucketed counter unless the result would pass `ceiling`, atomically (one
 * conditional UPDATE, so concurrent processes cannot both pass the ceiling).
 * @returns false when refused (nothing added)
 */
export async function addToBucket(db: Q, name: string, bucket: number, by: number, ceiling = Number.MAX_SAFE_INTEGER): Promise<boolean> {
  // Counts are never negative, so a new row passes exactly when `by` does.
  if (by > ceiling) return false;
  // One statement (an upsert whose update is conditional): atomic across processes, one round trip.
  const r = ceiling === Number.MAX_SAFE_INTEGER ? await addQuery(db, name, bucket, by) : await addUpToQuery(db, name, bucket, by, ceiling);
  return n(r.numAffectedRows) === 1;
}

const addQuery = precompiled((db, name: string, bucket: number, by: number) =>
  db
    .insertInto('abuse_counters')
    .values({ name, bucket, value: by })
    .onConflict((oc) => oc.columns(['name', 'bucket']).doUpdateSet({ value: sql<number>`abuse_counters.value + excluded.value` })),
);

const addUpToQuery = precompiled((db, name: string, bucket: number, by: number, ceiling: number) =>
  db
    .insertInto('abuse_counters')
    .values({ name, bucket, value: by })
    .onConflict((oc) =>
      oc
        .columns(['name', 'bucket'])
        .doUpdateSet({ value: sql<number>`abuse_counters.value + excluded.value` })
        .where(sql<number>`abuse_counters.value + excluded.value`, '<=', ceiling),
    ),
);

/**
 * {@link addToBucket} for two counters in one statement: add `by` to `charged` unless it
 * would pass `ceiling`, and add 1 to `counted` (no ceiling). Both or neither: when `charged`
 * is refused, `counted` is added anyway and the caller must roll back (call it in a
 * transaction). One round trip and one statement holding the counter rows, so called last
 * in a transaction the hot rows stay locked only through the commit.
 * @returns false when `charged` was refused
 */
export async function addToTwoBuckets(
  db: Q,
  charged: { name: string; bucket: number; by: number; ceiling: number },
  counted: { name: string; bucket: number },
): Promise<boolean> {
  if (charged.by > charged.ceiling) return false;
  const r = await addTwoQuery(db, counted.name, counted.bucket, charged.name, charged.bucket, charged.by, charged.ceiling);
  return n(r.numAffectedRows) === 2;
}

const addTwoQuery = precompiled((db, countedName: string, countedBucket: number, chargedName: string, chargedBucket: number, by: number, ceiling: number) =>
  db
    .insertInto('abuse_counters')
    .values([
      { name: countedName, bucket: countedBucket, value: 1 },
      { name: chargedName, bucket: chargedBucket, value: by },
    ])
    .onConflict((oc) =>
      oc
        .columns(['name', 'bucket'])
        .doUpdateSet({ value: sql<number>`abuse_counters.value + excluded.value` })
        .where((eb) => eb.or([eb('abuse_counters.name', '<>', chargedName), eb(sql<number>`abuse_counters.value + excluded.value`, '<=', ceiling)])),
    ),
);

/** {@link addToBucket} synchronously on SQLite (in {@link syncTransaction}). */
export function addToBucketSync(s: SyncSqlite, name: string, bucket: number, by: number, ceiling = Number.MAX_SAFE_INTEGER): boolean {
  if (by > ceiling) return false;
  const r = ceiling === Number.MAX_SAFE_INTEGER ? addQuery.sync(s, name, bucket, by) : addUpToQuery.sync(s, name, bucket, by, ceiling);
  return r.changes === 1;
}

/** {@link addToTwoBuckets} synchronously on SQLite (in {@link syncTransaction}; the caller rolls back when refused). */
export function addToTwoBucketsSync(
  s: SyncSqlite,
  charged: { name: string; bucket: number; by: number; ceiling: number },
  counted: { name: string; bucket: number },
): boolean {
  if (charged.by > charged.ceiling) return false;
  return addTwoQuery.sync(s, counted.name, counted.bucket, charged.name, charged.bucket, charged.by, charged.ceiling).changes === 2;
}

/**
 * PostgreSQL: {@link addToTwoBuckets} as a statement of its own (autocommit), both or
 * neither (`counted` is added only when `charged` was), committed with
 * synchronous_commit off: the hot counter rows stay locked for microseconds instead of
 * through a report's commit and its fsync, so report commits run side by side. The charge
 * is flushed with the next synchronous commit (the WAL is written in order), so only a
 * crash before the report's own commit can lose it (server/README.md "Storing a report").
 * @returns false when `charged` was refused (nothing added)
 */
export async function addToTwoBucketsAlone(
  db: Kysely<Database>,
  charged: { name: string; bucket: number; by: number; ceiling: number },
  counted: { name: string; bucket: number; by?: number },
): Promise<boolean> {
  if (charged.by > charged.ceiling) return false;
  const r = await addTwoAloneQuery(db, charged.name, charged.bucket, charged.by, charged.ceiling, counted.name, counted.bucket, counted.by ?? 1);
  return r.rows.length === 1;
}

const addTwoAloneQuery = precompiled((db, chargedName: string, chargedBucket: number, by: number, ceiling: number, countedName: string, countedBucket: number, countedBy: number) =>
  db
    .with('charged', (d) =>
      d
        .insertInto('abuse_counters')
        .values({ name: chargedName, bucket: chargedBucket, value: by })
        .onConflict((oc) =>
          oc
            .columns(['name', 'bucket'])
            .doUpdateSet({ value: sql<number>`abuse_counters.value + excluded.value` })
            .where(sql<number>`abuse_counters.value + excluded.value`, '<=', ceiling),
        )
        .returning('name'),
    )
    .insertInto('abuse_counters')
    .columns(['name', 'bucket', 'value'])
    .expression((eb) =>
      eb
        .selectFrom('charged')
        .select([eb.val(countedName).as('name'), eb.val(countedBucket).as('bucket'), eb.val(countedBy).as('value')])
        // is_local: for this statement's own (implicit) transaction only.
        .where(sql`set_config('synchronous_commit', 'off', true)`, 'is not', null),
    )
    .onConflict((oc) => oc.columns(['name', 'bucket']).doUpdateSet({ value: sql<number>`abuse_counters.value + excluded.value` }))
    .returning('value'),
);

/** Sum of a counter over the buckets from `fromBucket` on (before `toBucket` when given). */
export async function sumBuckets(db: Q, name: string, fromBucket: number, toBucket?: number): Promise<number> {
  if (toBucket === undefined) return n((await sumFromQuery(db, name, fromBucket)).rows[0]?.s);
  let q = db
    .selectFrom('abuse_counters')
    .select((eb) => eb.fn.sum<number>('value').as('s'))
    .where('name', '=', name)
    .where('bucket', '>=', fromBucket);
  if (toBucket !== undefined) q = q.where('bucket', '<', toBucket);
  const row = await q.executeTakeFirst();
  return n(row?.s);
}

const sumFromQuery = precompiled((db, name: string, fromBucket: number) =>
  db
    .selectFrom('abuse_counters')
    .select((eb) => eb.fn.sum<number>('value').as('s'))
    .where('name', '=', name)
    .where('bucket', '>=', fromBucket),
);

/** Delete the buckets before `beforeBucket` of one counter, or of every counter whose name starts with `prefix*`. */
export async function pruneBuckets(db: Q, name: string, beforeBucket: number): Promise<void> {
  if (name.endsWith('*')) await pruneLikeQuery(db, `${name.slice(0, -1)}%`, beforeBucket);
  else await pruneQuery(db, name, beforeBucket);
}

/** {@link pruneBuckets} synchronously on SQLite (in {@link syncTransaction}). */
export function pruneBucketsSync(s: SyncSqlite, name: string, beforeBucket: number): void {
  if (name.endsWith('*')) pruneLikeQuery.sync(s, `${name.slice(0, -1)}%`, beforeBucket);
  else pruneQuery.sync(s, name, beforeBucket);
}

const pruneQuery = precompiled((db, name: string, beforeBucket: number) => db.deleteFrom('abuse_counters').where('bucket', '<', beforeBucket).where('name', '=', name));
const pruneLikeQuery = precompiled((db, pattern: string, beforeBucket: number) =>
  db.deleteFrom('abuse_counters').where('bucket', '<', beforeBucket).where('name', 'like', pattern),
);

/** Rows of every counter but `except`. */
export async function countWindowRows(db: Q, except: string): Promise<number> {
  const row = await db
    .selectFrom('abuse_counters')
    .select((eb) => eb.fn.countAll().as('c'))
    .where('name', '!=', except)
    .executeTakeFirst();
  return n(row?.c);
}

/**
 * Charge `by` bytes (negative: refund) to a report's stamp budget unless it would pass `budget`.
 * @returns false when refused
 */
export async function chargeReport(db: Q, reportId: string, by: number, budget: number): Promise<boolean> {
  const r = await db
    .updateTable('reports')
    .set({ charged_bytes: sql<number>`charged_bytes + ${by}` })
    .where('id', '=', reportId)
    .where(sql<number>`charged_bytes + ${by}`, '<=', budget)
    .executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

/** The stamp budget of the report a mailbox belongs to. */
export async function mailboxBudget(db: Q, mailboxId: string): Promise<{ id: string; charged: number; freeFollowUps: number } | undefined> {
  const row = await db
    .selectFrom('reports')
    .select(['id', 'charged_bytes', 'free_follow_ups'])
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  return row ? { id: row.id, charged: n(row.charged_bytes), freeFollowUps: n(row.free_follow_ups) } : undefined;
}

/**
 * Take one free follow-up of `size` bytes from the report a mailbox belongs to, if fewer
 * than `maxFree` were taken and the bytes fit its budget.
 * @returns false when refused
 */
export async function takeFreeFollowUp(db: Q, mailboxId: string, size: number, maxFree: number, budget: number): Promise<boolean> {
  const r = await db
    .updateTable('reports')
    .set({ charged_bytes: sql<number>`charged_bytes + ${size}`, free_follow_ups: sql<number>`free_follow_ups + 1` })
    .where('mailbox_id', '=', mailboxId)
    .where('free_follow_ups', '<', maxFree)
    .where(sql<number>`charged_bytes + ${size}`, '<=', budget)
    .executeTakeFirst();
  return n(r.numUpdatedRows) >= 1;
}

// ---- keyring ---------------------------------------------------------------------------

export async function latestKeyring(db: Q): Promise<{ version: number; envelope: string } | undefined> {
  const row = await db.selectFrom('keyrings').select(['version', 'envelope']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? { version: n(row.version), envelope: row.envelope } : undefined;
}

/** Store a keyring version; false when that version exists already. */
export async function insertKeyring(db: Q, version: number, envelope: string, day: string): Promise<boolean> {
  const r = await db
    .insertInto('keyrings')
    .values({ version, envelope, day })
    .onConflict((oc) => oc.column('version').doNothing())
    .executeTakeFirst();
  return n(r.numInsertedOrUpdatedRows) === 1;
}

// ---- organisation profile --------------------------------------------------------------

export async function latestProfile(db: Q): Promise<{ version: number; envelope: string } | undefined> {
  const row = await db.selectFrom('profiles').select(['version', 'envelope']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? { version: n(row.version), envelope: row.envelope } : undefined;
}

/** Store a profile version; false when that version exists already. */
export async function insertProfile(db: Q, version: number, envelope: string, day: string): Promise<boolean> {
  const r = await db
    .insertInto('profiles')
    .values({ version, envelope, day })
    .onConflict((oc) => oc.column('version').doNothing())
    .executeTakeFirst();
  return n(r.numInsertedOrUpdatedRows) === 1;
}

// ---- statistics summary ---------------------------------------------------------------

export async function latestStatistics(db: Q): Promise<{ version: number; envelope: string } | undefined> {
  const row = await db.selectFrom('statistics').select(['version', 'envelope']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? { version: n(row.version), envelope: row.envelope } : undefined;
}

/** Store a statistics version and drop the older ones; false when that version exists already. */
export async function insertStatistics(db: Q, version: number, envelope: string, day: string): Promise<boolean> {
  const r = await db
    .insertInto('statistics')
    .values({ version, envelope, day })
    .onConflict((oc) => oc.column('version').doNothing())
    .executeTakeFirst();
  if (n(r.numInsertedOrUpdatedRows) !== 1) return false;
  await db.deleteFrom('statistics').where('version', '<', version).execute();
  return true;
}

// ---- reports ---------------------------------------------------------------------------

export interface NewReport {
  id: string;
  ciphertext: Buffer;
  origin: 'browser' | 'server';
  receivedDay: string;
  expiresDay: string;
  uploadTokenHash: Buffer | null;
  uploadUntilDay: string | null;
  mailboxId: string | null;
}

export async function insertReport(db: Q, r: NewReport): Promise<void> {
  await insertReportQuery(db, ...reportArgs(r), r.mailboxId);
}

const insertReportQuery = precompiled(
  (db, ...[id, ciphertext, size, origin, receivedDay, expiresDay, uploadTokenHash, uploadUntilDay, mailboxId]: [...ReportArgs, mailboxId: string | null]) =>
    db.insertInto('reports').values({
      id,
      ciphertext,
      size,
      origin,
      state: 'new',
      received_day: receivedDay,
      expires_day: expiresDay,
      upload_token_hash: uploadTokenHash,
      upload_until_day: uploadUntilDay,
      mailbox_id: mailboxId,
      charged_bytes: size,
      free_follow_ups: 0,
    }),
);

/** {@link spendStamp} synchronously on SQLite (in {@link syncTransaction}). */
export function spendStampSync(s: SyncSqlite, hash: Buffer, expiresDay: string): boolean {
  return spendStampQuery.sync(s, hash, expiresDay).changes === 1;
}

/** {@link insertMailbox} synchronously on SQLite (in {@link syncTransaction}). */
export function insertMailboxSync(s: SyncSqlite, id: string, publicKey: Buffer, day: string, expiresDay: string): void {
  insertMailboxQuery.sync(s, id, publicKey, day, expiresDay);
}

/** {@link insertReport} synchronously on SQLite (in {@link syncTransaction}). */
export function insertReportSync(s: SyncSqlite, r: NewReport): void {
  insertReportQuery.sync(s, ...reportArgs(r), r.mailboxId);
}

/**
 * PostgreSQL: {@link spendStamp}, {@link insertMailbox} (when `mailbox` is given) and
 * {@link insertReport} in ONE statement (data-modifying CTEs, autocommit): one round trip
 * and one commit, all or nothing. The mailbox and the report are inserted only from the
 * stamp's row, so a spent stamp stores nothing.
 * @returns false when the stamp was spent before (nothing stored)
 * @throws the driver's unique violation ({@link isUniqueViolation}) when the mailbox exists (nothing stored)
 */
export async function storeSubmission(
  db: Kysely<Database>,
  stamp: { hash: Buffer; expiresDay: string },
  mailbox: { id: string; publicKey: Buffer; day: string; expiresDay: string } | undefined,
  r: NewReport,
): Promise<boolean> {
  const report = reportArgs(r);
  const res = mailbox
    ? await storeWithMailboxQuery(db, stamp.hash, stamp.expiresDay, mailbox.id, mailbox.publicKey, mailbox.day, mailbox.expiresDay, ...report)
    : await storeQuery(db, stamp.hash, stamp.expiresDay, ...report, r.mailboxId);
  return res.rows.length === 1;
}

/** One submission of a group for {@link storeSubmissions}. */
export interface GroupSubmission {
  stamp: { hash: Buffer; expiresDay: string };
  mailbox: { id: string; publicKey: Buffer; day: string; expiresDay: string } | undefined;
  report: NewReport;
}

/** What became of each submission of a group: stored, refused for a spent stamp, or for a taken mailbox. */
export type GroupOutcome = 'stored' | 'spent' | 'mailbox taken';

/** Most submissions {@link storeSubmissions} takes in one statement. */
export const GROUP_MAX = 32;
const GROUP_FIELDS = 14;
const groupSql = new Map<number, string>();

/**
 * The statement of {@link storeSubmissions} for `n` submissions, one row of parameters each.
 * A taken mailbox is seen before anything is written (and its stamp is then not spent); the
 * stamps are spent together, and only a submission whose stamp was spent here inserts its
 * mailbox and report, so each one is all or nothing on its own.
 */
function storeGroupSql(n: number): string {
  let text = groupSql.get(n);
  if (text) return text;
  const types = ['bytea', 'text', 'text', 'bytea', 'text', 'text', 'text', 'bytea', 'integer', 'text', 'text', 'text', 'bytea', 'text'];
  const rows = Array.from({ length: n }, (_, i) => `(${i}, ${types.map((t, k) => `$${i * GROUP_FIELDS + k + 1}::${t}`).join(', ')})`);
  text = `WITH items (n, hash, stamp_expires, mailbox_id, public_key, mailbox_day, mailbox_expires, id, ciphertext, size, origin, received_day, expires_day, upload_token_hash, upload_until_day) AS (VALUES ${rows.join(', ')}),
taken AS (SELECT i.n FROM items i WHERE i.mailbox_id IS NOT NULL AND EXISTS (SELECT 1 FROM mailboxes m WHERE m.id = i.mailbox_id) AND NOT EXISTS (SELECT 1 FROM spent_stamps s WHERE s.hash = i.hash)),
spent AS (INSERT INTO spent_stamps (hash, expires_day) SELECT hash, stamp_expires FROM items WHERE n NOT IN (SELECT n FROM taken) ON CONFLICT (hash) DO NOTHING RETURNING hash),
ok AS (SELECT i.* FROM items i JOIN spent s ON s.hash = i.hash),
mb AS (INSERT INTO mailboxes (id, public_key, created_day, expires_day) SELECT mailbox_id, public_key, mailbox_day, mailbox_expires FROM ok WHERE mailbox_id IS NOT NULL RETURNING id),
rep AS (INSERT INTO reports (${REPORT_COLUMNS.join(', ')}) SELECT id, ciphertext, size, origin, 'new', received_day, expires_day, upload_token_hash, upload_until_day, mailbox_id, size, 0 FROM ok RETURNING id)
SELECT i.n, EXISTS (SELECT 1 FROM rep WHERE rep.id = i.id) AS stored, EXISTS (SELECT 1 FROM taken t WHERE t.n = i.n) AS taken FROM items i ORDER BY i.n`;
  groupSql.set(n, text);
  return text;
}

/**
 * PostgreSQL: {@link storeSubmission} for several submissions in ONE statement and one
 * commit (server/README.md "Storing a report", group commit). The stamps and mailbox ids must
 * be distinct within the group (the caller runs a repeat on its own afterwards), and at most
 * {@link GROUP_MAX}. A submission whose stamp was spent or whose mailbox exists stores
 * nothing, as with {@link storeSubmission}.
 * @returns each submission's outcome, in order
 * @throws the driver's error when the statement fails (a mailbox inserted meanwhile by
 * another transaction: {@link isUniqueViolation}); then nothing of the group is stored
 */
export async function storeSubmissions(db: Kysely<Database>, group: readonly GroupSubmission[]): Promise<GroupOutcome[]> {
  const pool = pgPool(db);
  if (!pool) throw new Error('storeSubmissions needs PostgreSQL outside a transaction');
  if (group.length === 0 || group.length > GROUP_MAX) throw new RangeError('group size');
  const values: unknown[] = [];
  for (const { stamp, mailbox, report: r } of group) {
    values.push(stamp.hash, stamp.expiresDay, mailbox?.id ?? null, mailbox?.publicKey ?? null, mailbox?.day ?? null, mailbox?.expiresDay ?? null);
    values.push(r.id, r.ciphertext, r.ciphertext.length, r.origin, r.receivedDay, r.expiresDay, r.uploadTokenHash, r.uploadUntilDay);
  }
  const res = await pool.query<{ n: number; stored: boolean; taken: boolean }>({ name: `tipline_store_group_${group.length}`, text: storeGroupSql(group.length), values });
  return res.rows.map((row) => (row.stored ? 'stored' : row.taken ? 'mailbox taken' : 'spent'));
}

/** A new report as the positional parameters of the report queries (all but the mailbox id). */
function reportArgs(r: NewReport): ReportArgs {
  return [r.id, r.ciphertext, r.ciphertext.length, r.origin, r.receivedDay, r.expiresDay, r.uploadTokenHash, r.uploadUntilDay];
}

type ReportArgs = [
  id: string,
  ciphertext: Buffer,
  size: number,
  origin: NewReport['origin'],
  receivedDay: string,
  expiresDay: string,
  uploadTokenHash: Buffer | null,
  uploadUntilDay: string | null,
];

/** The spend-stamp CTE of {@link storeSubmission}: a row only when the stamp was not spent. */
const spentCte = (hash: Buffer, expiresDay: string) => (d: QueryCreator<Database>) =>
  d
    .insertInto('spent_stamps')
    .values({ hash, expires_day: expiresDay })
    .onConflict((oc) => oc.column('hash').doNothing())
    .returning('hash');

/** The report row of {@link storeSubmission} (in the order of REPORT_COLUMNS). */
function reportValues(eb: ExpressionBuilder<any, any>, [id, ciphertext, size, origin, receivedDay, expiresDay, uploadTokenHash, uploadUntilDay]: ReportArgs, mailboxId: string | null) {
  return [
    eb.val(id).as('id'),
    eb.val(ciphertext).as('ciphertext'),
    eb.val(size).as('size'),
    eb.val(origin).as('origin'),
    eb.val<ReportState>('new').as('state'),
    eb.val(receivedDay).as('received_day'),
    eb.val(expiresDay).as('expires_day'),
    eb.val(uploadTokenHash).as('upload_token_hash'),
    eb.val(uploadUntilDay).as('upload_until_day'),
    eb.val(mailboxId).as('mailbox_id'),
    eb.val(size).as('charged_bytes'),
    eb.val(0).as('free_follow_ups'),
  ];
}

const REPORT_COLUMNS = [
  'id',
  'ciphertext',
  'size',
  'origin',
  'state',
  'received_day',
  'expires_day',
  'upload_token_hash',
  'upload_until_day',
  'mailbox_id',
  'charged_bytes',
  'free_follow_ups',
] as const;

const storeQuery = precompiled((db, hash: Buffer, stampExpires: string, ...rest: [...ReportArgs, string | null]) =>
  db
    .with('spent', spentCte(hash, stampExpires))
    .insertInto('reports')
    .columns(REPORT_COLUMNS)
    .expression((eb) => eb.selectFrom('spent').select(reportValues(eb, rest.slice(0, 8) as unknown as ReportArgs, rest[8] ?? null)))
    .returning('id'),
);

const storeWithMailboxQuery = precompiled(
  (db, hash: Buffer, stampExpires: string, mailboxId: string, publicKey: Buffer, createdDay: string, mailboxExpires: string, ...report: ReportArgs) =>
    db
      .with('spent', spentCte(hash, stampExpires))
      .with('mailbox', (d) =>
        d
          .insertInto('mailboxes')
          .columns(['id', 'public_key', 'created_day', 'expires_day'])
          .expression((eb) =>
            eb.selectFrom('spent').select([eb.val(mailboxId).as('id'), eb.val(publicKey).as('public_key'), eb.val(createdDay).as('created_day'), eb.val(mailboxExpires).as('expires_day')]),
          )
          .returning('id'),
      )
      .insertInto('reports')
      .columns(REPORT_COLUMNS)
      .expression((eb) => eb.selectFrom('spent').select(reportValues(eb, report, mailboxId)))
      .returning('id'),
);

export interface ReportSummary {
  id: string;
  day: string;
  state: ReportState;
  origin: 'browser' | 'server';
  size: number;
  expires: string;
  attachments: number;
  hasMailbox: boolean;
  followUps: number;
  notes: number;
}

/** One page of reports, oldest day first, optionally of one state. */
export async function listReports(db: Q, page: DayIdPage & { state?: ReportState | undefined }): Promise<{ rows: ReportSummary[]; more: boolean }> {
  let q = db
    .selectFrom('reports as r')
    .select((eb) => [
      'r.id',
      'r.received_day',
      'r.state',
      'r.origin',
      'r.size',
      'r.expires_day',
      'r.mailbox_id',
      eb
        .selectFrom('attachments as a')
        .select(eb.fn.countAll().as('c'))
        .whereRef('a.report_id', '=', 'r.id')
        .where('a.complete', '=', 1)
        .as('attachments'),
      eb
        .selectFrom('mailbox_messages as m')
        .select(eb.fn.countAll().as('c'))
        .whereRef('m.mailbox_id', '=', 'r.mailbox_id')
        .where('m.sender', '=', 'reporter')
        .as('follow_ups'),
      eb.selectFrom('case_notes as n').select(eb.fn.countAll().as('c')).whereRef('n.report_id', '=', 'r.id').as('notes'),
    ])
    .orderBy('r.received_day')
    .orderBy('r.id')
    .limit(page.limit + 1);
  if (page.state) q = q.where('r.state', '=', page.state);
  const a = page.after;
  if (a) q = q.where((eb) => eb.or([eb('r.received_day', '>', a.day), eb.and([eb('r.received_day', '=', a.day), eb('r.id', '>', a.id)])]));
  const found = await q.execute();
  const more = found.length > page.limit;
  const rows = found.slice(0, page.limit).map((r) => ({
    id: r.id,
    day: r.received_day,
    state: r.state,
    origin: r.origin,
    size: n(r.size),
    expires: r.expires_day,
    attachments: n(r.attachments),
    hasMailbox: r.mailbox_id !== null,
    followUps: n(r.follow_ups),
    notes: n(r.notes),
  }));
  return { rows, more };
}

export async function getReport(db: Q, id: string) {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Set a report's state; false when there is no such report. */
export async function setReportState(db: Q, id: string, state: ReportState): Promise<boolean> {
  const r = await db.updateTable('reports').set({ state }).where('id', '=', id).executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

/** Delete a report with its attachments, notes, mailbox and messages; false when there is none. */
export async function deleteReport(db: Kysely<Database>, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('reports').select('mailbox_id').where('id', '=', id).executeTakeFirst();
    if (!row) return false;
    await trx.deleteFrom('reports').where('id', '=', id).execute();
    if (row.mailbox_id) await trx.deleteFrom('mailboxes').where('id', '=', row.mailbox_id).execute();
    return true;
  });
}

// ---- attachments -----------------------------------------------------------------------

/** Count of attachments of a report, including uploads in progress. */
export async function countAttachments(db: Q, reportId: string): Promise<number> {
  const row = await db
    .selectFrom('attachments')
    .select((eb) => eb.fn.countAll().as('c'))
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return n(row?.c);
}

export async function createAttachment(db: Q, id: string, reportId: string, day: string): Promise<void> {
  await db.insertInto('attachments').values({ id, report_id: reportId, size: 0, complete: 0, received_day: day }).execute();
}

export async function appendChunk(db: Q, attachmentId: string, seq: number, data: Buffer): Promise<void> {
  await db.insertInto('attachment_chunks').values({ attachment_id: attachmentId, seq, data }).execute();
}

export async function completeAttachment(db: Q, id: string, size: number): Promise<void> {
  await db.updateTable('attachments').set({ complete: 1, size }).where('id', '=', id).execute();
}

export async function deleteAttachment(db: Q, id: string): Promise<void> {
  await db.deleteFrom('attachments').where('id', '=', id).execute();
}

export async function listAttachments(db: Q, reportId: string): Promise<{ id: string; size: number; day: string }[]> {
  const rows = await db
    .selectFrom('attachments')
    .select(['id', 'size', 'received_day'])
    .where('report_id', '=', reportId)
    .where('complete', '=', 1)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, size: n(r.size), day: r.received_day }));
}

export async function getAttachment(db: Q, id: string) {
  return db.selectFrom('attachments').selectAll().where('id', '=', id).where('complete', '=', 1).executeTakeFirst();
}

export async function readChunk(db: Q, attachmentId: string, seq: number): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('attachment_chunks')
    .select('data')
    .where('attachment_id', '=', attachmentId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.data;
}

// ---- case notes ------------------------------------------------------------------------

export async function addNote(db: Kysely<Database>, id: string, reportId: string, body: Buffer, day: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('case_notes')
      .select((eb) => eb.fn.max('seq').as('m'))
      .where('report_id', '=', reportId)
      .executeTakeFirst();
    await trx
      .insertInto('case_notes')
      .values({ id, report_id: reportId, seq: n(row?.m) + 1, day, body })
      .execute();
  });
}

export async function listNotes(db: Q, reportId: string): Promise<{ id: string; day: string; body: Buffer }[]> {
  return db.selectFrom('case_notes').select(['id', 'day', 'body']).where('report_id', '=', reportId).orderBy('seq').execute();
}

export async function deleteNote(db: Q, reportId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('case_notes').where('report_id', '=', reportId).where('id', '=', id).executeTakeFirst();
  return n(r.numDeletedRows) === 1;
}

// ---- mailboxes -------------------------------------------------------------------------

export async function insertMailbox(db: Q, id: string, publicKey: Buffer, day: string, expiresDay: string): Promise<void> {
  await insertMailboxQuery(db, id, publicKey, day, expiresDay);
}

const insertMailboxQuery = precompiled((db, id: string, publicKey: Buffer, day: string, expiresDay: string) =>
  db.insertInto('mailboxes').values({ id, public_key: publicKey, created_day: day, expires_day: expiresDay }),
);

export async function getMailbox(db: Q, id: string) {
  return db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Append a message to a mailbox unless it holds `max` messages already (in a transaction).
 * @returns false when the mailbox is full
 */
export async function addMessage(
  db: Kysely<Database>,
  m: { id: string; mailboxId: string; sender: 'coordinator' | 'reporter'; day: string; body: Buffer },
  max: number,
): Promise<boolean> {
  return db.transaction().execute((trx) => addMessageIn(trx, m, max));
}

/** {@link addMessage} inside the caller's transaction. */
export async function addMessageIn(
  trx: Q,
  m: { id: string; mailboxId: string; sender: 'coordinator' | 'reporter'; day: string; body: Buffer },
  max: number,
): Promise<boolean> {
  const row = await trx
    .selectFrom('mailbox_messages')
    .select((eb) => [eb.fn.max('seq').as('m'), eb.fn.countAll().as('c')])
    .where('mailbox_id', '=', m.mailboxId)
    .executeTakeFirst();
  if (n(row?.c) >= max) return false;
  await trx
    .insertInto('mailbox_messages')
    .values({ id: m.id, mailbox_id: m.mailboxId, seq: n(row?.m) + 1, sender: m.sender, day: m.day, body: m.body })
    .execute();
  return true;
}

export async function listMessages(db: Q, mailboxId: string) {
  return db
    .selectFrom('mailbox_messages')
    .select(['id', 'sender', 'day', 'body'])
    .where('mailbox_id', '=', mailboxId)
    .orderBy('seq')
    .execute();
}

// ---- warnings --------------------------------------------------------------------------

/**
 * Store a signed warning with the next sequence number. With `supersedes` (a correction),
 * the superseded warning becomes a tombstone whose proof is the correction, in the same
 * transaction.
 * @returns 'ok', 'exists' when the id exists, 'not found' when the superseded warning is not live
 */
export async function publishWarning(
  db: Kysely<Database>,
  id: string,
  envelope: string,
  day: string,
  supersedes?: string,
): Promise<'ok' | 'exists' | 'not found'> {
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('warnings').select('id').where('id', '=', id).executeTakeFirst();
    if (exists) return 'exists';
    if (supersedes !== undefined && !(await tombstone(trx, supersedes, day, envelope))) return 'not found';
    const seq = await nextCounter(trx, 'warnings');
    await trx.insertInto('warnings').values({ id, envelope, day, seq, proof: null }).execute();
    return 'ok';
  });
}

async function tombstone(trx: Transaction<Database>, id: string, day: string, proof: string): Promise<boolean> {
  const row = await trx.selectFrom('warnings').select('envelope').where('id', '=', id).executeTakeFirst();
  if (!row || row.envelope === null) return false;
  const seq = await nextCounter(trx, 'warnings');
  await trx.updateTable('warnings').set({ envelope: null, seq, day, proof }).where('id', '=', id).execute();
  return true;
}

/** Turn a live warning into a tombstone keeping the signed withdrawal as proof; false when there is no live warning. */
export async function withdrawWarning(db: Kysely<Database>, id: string, day: string, proof: string): Promise<boolean> {
  return db.transaction().execute((trx) => tombstone(trx, id, day, proof));
}

/** Live warnings after sequence number `after`, in sequence order, one page. */
export async function liveWarnings(db: Q, after: number, limit: number) {
  const rows = await db
    .selectFrom('warnings')
    .select(['id', 'envelope', 'day', 'seq'])
    .where('seq', '>', after)
    .where('envelope', 'is not', null)
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  return { rows: rows.slice(0, limit).map((r) => ({ ...r, envelope: r.envelope!, seq: n(r.seq) })), more: rows.length > limit };
}

/** Warnings and tombstones changed after `since`, in sequence order. */
export async function warningsSince(db: Q, since: number, max: number) {
  const rows = await db
    .selectFrom('warnings')
    .select(['id', 'envelope', 'day', 'seq', 'proof'])
    .where('seq', '>', since)
    .orderBy('seq')
    .limit(max)
    .execute();
  return rows.map((r) => ({ ...r, seq: n(r.seq) }));
}

// ---- members and sessions --------------------------------------------------------------

export async function insertMember(
  db: Q,
  m: { id: string; login: string; passHash: string; application: Buffer; day: string },
): Promise<boolean> {
  try {
    await db
      .insertInto('members')
      .values({ id: m.id, login: m.login, pass_hash: m.passHash, application: m.application, state: 'pending', applied_day: m.day })
      .execute();
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

export async function findMemberByLogin(db: Q, login: string) {
  return db.selectFrom('members').selectAll().where('login', '=', login).executeTakeFirst();
}

/** Members in (not) one state, one page, by application day. */
export async function listMembers(db: Q, page: DayIdPage & ({ state: MemberState } | { notState: MemberState })) {
  let q = db
    .selectFrom('members')
    .select(['id', 'login', 'state', 'applied_day', 'application'])
    .orderBy('applied_day')
    .orderBy('id')
    .limit(page.limit + 1);
  q = 'state' in page ? q.where('state', '=', page.state) : q.where('state', '<>', page.notState);
  const a = page.after;
  if (a) q = q.where((eb) => eb.or([eb('applied_day', '>', a.day), eb.and([eb('applied_day', '=', a.day), eb('id', '>', a.id)])]));
  const found = await q.execute();
  return { rows: found.slice(0, page.limit), more: found.length > page.limit };
}

export async function countMembers(db: Q, state: MemberState): Promise<number> {
  const row = await db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll().as('c'))
    .where('state', '=', state)
    .executeTakeFirst();
  return n(row?.c);
}

export async function getMember(db: Q, id: string) {
  return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Change a member's state from one of `from` on `day` (recorded as the decision day, which
 * retention counts from); false when no such member was in such a state.
 */
export async function setMemberState(db: Q, id: string, from: MemberState[], to: MemberState, day: string): Promise<boolean> {
  const r = await db
    .updateTable('members')
    .set({ state: to, decided_day: day })
    .where('id', '=', id)
    .where('state', 'in', from)
    .executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

export async function deleteMember(db: Q, id: string): Promise<boolean> {
  const r = await db.deleteFrom('members').where('id', '=', id).executeTakeFirst();
  return n(r.numDeletedRows) === 1;
}

/** Replace a member's passphrase hash (a re-hash at the configured cost). */
export async function setPassHash(db: Q, id: string, passHash: string): Promise<void> {
  await db.updateTable('members').set({ pass_hash: passHash }).where('id', '=', id).execute();
}

/** The parameter prefix (`scrypt$logN$r$p$`) of every stored hash, with how many have it. */
export async function passHashParams(db: Q): Promise<{ params: string; count: number }[]> {
  const rows = await db.selectFrom('members').select('pass_hash').execute();
  const counts = new Map<string, number>();
  for (const r of rows) {
    const m = /^scrypt\$[0-9]{1,2}\$[0-9]{1,2}\$[0-9]{1,2}\$/.exec(r.pass_hash);
    if (m) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([params, count]) => ({ params, count }));
}

export async function insertSession(db: Q, tokenHash: Buffer, memberId: string, expiresDay: string): Promise<void> {
  await db.insertInto('sessions').values({ token_hash: tokenHash, member_id: memberId, expires_day: expiresDay }).execute();
}

/** The approved member a live session belongs to. */
export async function sessionMember(db: Q, tokenHash: Buffer, today: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('members as m', 'm.id', 's.member_id')
    .select(['m.id', 'm.login', 'm.state'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_day', '>=', today)
    .where('m.state', '=', 'approved')
    .executeTakeFirst();
}

export async function deleteSession(db: Q, tokenHash: Buffer): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Replace a member's encrypted application (their settings); false when there is no such member. */
export async function setMemberApplication(db: Q, id: string, application: Buffer): Promise<boolean> {
  const r = await db.updateTable('members').set({ application }).where('id', '=', id).where('state', '=', 'approved').executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

/** Refuse a pending application: its ciphertext is deleted at once; the row says 'refused' until retention. */
export async function refuseMember(db: Q, id: string, day: string): Promise<boolean> {
  const r = await db
    .updateTable('members')
    .set({ state: 'refused', application: null, decided_day: day })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return n(r.numUpdatedRows) === 1;
}

export async function deleteSessionsOf(db: Q, memberId: string): Promise<void> {
  await db.deleteFrom('sessions').where('member_id', '=', memberId).execute();
}
