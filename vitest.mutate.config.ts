/**
 * The tests StrykerJS runs against each mutant (`npm run mutate`, stryker.config.mjs): the
 * fast node-side suites that exercise the mutated modules. Browser, PostgreSQL, CLI-interop
 * and canary suites are left out: they take minutes per run and cover the same code through
 * slower paths. The server suite runs on SQLite only.
 *
 * scripts/mutate.mjs passes the module groups being mutated in TIPLINE_MUTATE_GROUPS, so a
 * run scoped to the server does not pay for the crypto suites' initial run, and so on.
 *
 * TIPLINE_MUTATE_TESTS (comma-separated globs; `npm run mutate -- --tests=a,b FILE`) narrows
 * the run further to the suites that exercise one file, for a busy machine: the score is
 * then a lower bound (a mutant another suite would kill counts as survived).
 */
import { defineConfig } from 'vitest/config';

const TESTS: Record<string, string[]> = {
  crypto: ['tests/crypto/**/*.test.ts', 'tests/crypto/**/mutants-*.test.ts'],
  server: ['tests/server/sqlite.test.ts', 'tests/server/**/mutants-*.test.ts'],
  client: ['tests/browser/unit.test.ts', 'tests/client/keyring.test.ts', 'tests/client/**/mutants-*.test.ts'],
};
const AREA: Record<string, keyof typeof TESTS> = {
  crypto: 'crypto',
  auth: 'server',
  pow: 'server',
  stamps: 'server',
  retention: 'server',
  keyring: 'client',
  photo: 'client',
  send: 'client',
};

const groups = (process.env.TIPLINE_MUTATE_GROUPS ?? '').split(',').filter((g) => g in AREA);
const areas = groups.length > 0 ? [...new Set(groups.map((g) => AREA[g]!))] : (Object.keys(TESTS) as (keyof typeof TESTS)[]);

const only = (process.env.TIPLINE_MUTATE_TESTS ?? '').split(',').filter((t) => t.length > 0);

export default defineConfig({
  test: {
    include: only.length > 0 ? only : [...new Set(areas.flatMap((a) => TESTS[a]!))],
    // Generous: instrumented code on a shared 2-core machine.
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
