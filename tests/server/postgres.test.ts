/**
 * The whole server suite again on a real PostgreSQL cluster started for this file
 * (initdb + pg_ctl in a temporary directory). Without the binaries the run is skipped,
 * and the skip is printed so nobody mistakes it for a pass.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PG_SKIP_MESSAGE, findPgBin, startPostgres, type PgCluster } from '../helpers/postgres.js';
import { postgresFactory } from './harness.js';
import { allSuites } from './suites/index.js';

const available = findPgBin() !== undefined;

if (!available) {
  process.stderr.write(`\n*** ${PG_SKIP_MESSAGE}\n\n`);
  describe('server suite on PostgreSQL', () => {
    it.skip(PG_SKIP_MESSAGE, () => {});
  });
} else {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  describe('server suite on PostgreSQL', () => {
    allSuites(() =>
      postgresFactory(() => {
        if (!cluster) throw new Error('PostgreSQL cluster did not start');
        return cluster.createDatabase();
      }),
    );
  });
}
