/**
 * Decisions on members get a day, so retention can forget them: a decided application's
 * ciphertext and a revoked member's row. Rows decided before this migration count as
 * decided on the day it runs.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').addColumn('decided_day', 'text').execute();
  const today = new Date().toISOString().slice(0, 10);
  await db.updateTable('members').set({ decided_day: today }).where('state', '<>', 'pending').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').dropColumn('decided_day').execute();
}
