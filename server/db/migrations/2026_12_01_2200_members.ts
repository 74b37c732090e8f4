/**
 * Issue 10: the signed organisation profile, and the signed proof a warning's tombstone
 * keeps (the withdrawal, or the correction that superseded it) so members can verify why a
 * warning went away.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('profiles')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('warnings').addColumn('proof', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('warnings').dropColumn('proof').execute();
  await db.schema.dropTable('profiles').ifExists().execute();
}
