/**
 * Abuse limits kept in the database so several processes act as one (issue 8):
 * - `abuse_counters`: counters in coarse time buckets (5 minutes to a day; the unit belongs
 *   to the counter's name), pruned once they leave their window;
 * - `reports.charged_bytes` / `reports.free_follow_ups`: what the report's proof-of-work
 *   stamp has bought so far (report, attachments and free follow-ups together).
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const big = pg ? sql`bigint` : sql`integer`;

  await db.schema
    .createTable('abuse_counters')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('value', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('abuse_counters_pk', ['name', 'bucket'])
    .execute();

  await db.schema.alterTable('reports').addColumn('charged_bytes', big, (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('reports').addColumn('free_follow_ups', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Reports stored before this migration are charged with what they already hold.
  await sql`update reports set
    charged_bytes = size
      + coalesce((select sum(a.size) from attachments a where a.report_id = reports.id), 0)
      + coalesce((select sum(length(m.body)) from mailbox_messages m where m.mailbox_id = reports.mailbox_id and m.sender = 'reporter'), 0),
    free_follow_ups = coalesce((select count(*) from mailbox_messages m where m.mailbox_id = reports.mailbox_id and m.sender = 'reporter'), 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').dropColumn('free_follow_ups').execute();
  await db.schema.alterTable('reports').dropColumn('charged_bytes').execute();
  await db.schema.dropTable('abuse_counters').ifExists().execute();
}
