/**
 * The initial schema. Migrations take Kysely<any> and import nothing from the app, so
 * they keep describing the schema as it was when they were written.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const blob = pg ? sql`bytea` : sql`blob`;

  await db.schema
    .createTable('keyrings')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mailboxes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('public_key', blob, (c) => c.notNull())
    .addColumn('created_day', 'text', (c) => c.notNull())
    .addColumn('expires_day', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ciphertext', blob, (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('received_day', 'text', (c) => c.notNull())
    .addColumn('expires_day', 'text', (c) => c.notNull())
    .addColumn('upload_token_hash', blob)
    .addColumn('upload_until_day', 'text')
    .addColumn('mailbox_id', 'text', (c) => c.references('mailboxes.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('reports_state').on('reports').columns(['state', 'received_day']).execute();
  await db.schema.createIndex('reports_expires').on('reports').column('expires_day').execute();
  await db.schema.createIndex('reports_mailbox').on('reports').column('mailbox_id').execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('complete', 'integer', (c) => c.notNull())
    .addColumn('received_day', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_report').on('attachments').column('report_id').execute();

  await db.schema
    .createTable('attachment_chunks')
    .addColumn('attachment_id', 'text', (c) => c.notNull().references('attachments.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('attachment_chunks_pk', ['attachment_id', 'seq'])
    .execute();

  await db.schema
    .createTable('mailbox_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('body', blob, (c) => c.notNull())
    .addUniqueConstraint('mailbox_messages_seq', ['mailbox_id', 'seq'])
    .execute();

  await db.schema
    .createTable('case_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('body', blob, (c) => c.notNull())
    .addUniqueConstraint('case_notes_seq', ['report_id', 'seq'])
    .execute();

  await db.schema
    .createTable('warnings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('envelope', 'text')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('pass_hash', 'text', (c) => c.notNull())
    .addColumn('application', blob)
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('applied_day', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', blob, (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('expires_day', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_member').on('sessions').column('member_id').execute();

  await db.schema
    .createTable('spent_stamps')
    .addColumn('hash', blob, (c) => c.primaryKey())
    .addColumn('expires_day', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('seen_requests')
    .addColumn('hash', blob, (c) => c.primaryKey())
    .addColumn('expires_day', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'counters',
    'seen_requests',
    'spent_stamps',
    'sessions',
    'members',
    'warnings',
    'case_notes',
    'mailbox_messages',
    'attachment_chunks',
    'attachments',
    'reports',
    'mailboxes',
    'keyrings',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
