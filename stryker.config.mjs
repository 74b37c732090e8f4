/**
 * Mutation testing (`npm run mutate`, scripts/mutate.mjs): StrykerJS with the vitest runner,
 * scoped to the modules where a silent bug hurts people. See README.md "Mutation testing"
 * and tests/mutation/SURVIVORS.md.
 *
 * The stamp-spending queries are a line range of server/db/queries.ts (spendStamp and
 * recordRequest), found by name below so an edit above them does not silently move the
 * range onto other code.
 */
import { readFileSync } from 'node:fs';

/** spendStamp and recordRequest in server/db/queries.ts, as a Stryker line range. */
function stampQueries() {
  const file = 'server/db/queries.ts';
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('export async function spendStamp('));
  let end = lines.findIndex((l) => l.startsWith('export async function recordRequest('));
  if (start < 0 || end < 0) throw new Error(`stryker.config.mjs: stamp queries not found in ${file}`);
  while (end < lines.length && lines[end] !== '}') end++;
  return `${file}:${start + 1}-${end + 1}`;
}

/** Module groups, for `npm run mutate -- <group> ...`. */
export const groups = {
  crypto: ['crypto/**/*.ts'],
  auth: ['server/auth.ts'],
  pow: ['server/pow.ts'],
  stamps: [stampQueries()],
  retention: ['server/retention.ts'],
  keyring: ['client/lib/keyring.ts'],
  photo: ['client/lib/photo.ts', 'client/lib/jpeg.ts'],
  send: ['client/report/send.ts'],
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // TypeScript 7 has no JavaScript API for Stryker's tsconfig rewriting; our tsconfig needs
  // none (no extends, no references), so point the rewriter at a file that does not exist.
  tsconfigFile: 'tsconfig.stryker-none.json',
  // Mutants in module-level constants need every test re-run in a fresh module graph; the
  // constants that matter (labels, sizes) are pinned by known-answer vectors anyway.
  ignoreStatic: true,
  mutate: Object.values(groups).flat(),
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 2.5,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
