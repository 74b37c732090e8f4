/** A restore checks the tables a backup must hold: that list is every table the migrations make. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { EXPECTED_TABLES } from '../../scripts/backup.js';
import { migrate, openDatabase } from '../../server/db/index.js';

describe('tipline restore', () => {
  it('expects every table a freshly migrated database has, and no other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tipline-backup-tables-'));
    const { db, close } = await openDatabase({ dataDir: dir });
    try {
      await migrate(db);
      const rows = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(db);
      const made = rows.rows.map((r) => r.name).filter((n) => n !== 'kysely_migration_lock');
      expect([...EXPECTED_TABLES].sort()).toEqual(made.sort());
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
