#!/usr/bin/env node
/**
 * `npm run mutate [-- group ...]`: run StrykerJS (stryker.config.mjs) on all module groups or
 * only the named ones (crypto, auth, pow, stamps, retention, keyring, photo, send; `server`
 * and `client` name several) or on given files (`npm run mutate -- crypto/age-header.ts`,
 * Stryker globs and line ranges work too), then print the mutation score per file and per
 * group from Stryker's JSON report. `npm run mutate -- --report` only prints the last report.
 * `--tests=glob,glob` runs only those test files (vitest.mutate.config.ts: a lower bound).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { groups } from '../stryker.config.mjs';

const REPORT = 'reports/mutation/mutation.json';
const ALIASES = { server: ['auth', 'pow', 'stamps', 'retention'], client: ['keyring', 'photo', 'send'] };

const allArgs = process.argv.slice(2);
const testsArg = allArgs.find((a) => a.startsWith('--tests='));
const args = allArgs.filter((a) => a !== testsArg);
const reportOnly = args.includes('--report');
const positional = args.filter((a) => !a.startsWith('--'));
const isPath = (a) => a.includes('/') || a.endsWith('.ts');
const paths = positional.filter(isPath);
const names = positional.filter((a) => !isPath(a)).flatMap((a) => ALIASES[a] ?? [a]);
// Which test suites a path needs (vitest.mutate.config.ts picks tests by group).
const pathGroups = paths.map((p) => (p.startsWith('crypto/') ? 'crypto' : p.startsWith('server/') ? 'auth' : 'send'));
for (const n of names) {
  if (!groups[n]) {
    console.error(`unknown group ${n}; known: ${[...Object.keys(groups), ...Object.keys(ALIASES)].join(', ')}`);
    process.exit(2);
  }
}

if (!reportOnly) {
  const strykerArgs = ['run', 'stryker.config.mjs'];
  const mutate = [...names.flatMap((n) => groups[n]), ...paths];
  if (mutate.length > 0) strykerArgs.push('--mutate', mutate.join(','));
  // Other flags go to Stryker (e.g. --force: ignore the incremental results).
  strykerArgs.push(...args.filter((a) => a.startsWith('--') && a !== '--report'));
  const started = Date.now();
  const r = spawnSync('npx', ['stryker', ...strykerArgs], {
    stdio: 'inherit',
    env: {
      ...process.env,
      TIPLINE_MUTATE_GROUPS: [...names, ...pathGroups].join(','),
      ...(testsArg ? { TIPLINE_MUTATE_TESTS: testsArg.slice('--tests='.length) } : {}),
    },
  });
  console.log(`\nmutation run took ${Math.round((Date.now() - started) / 1000)} s`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync(REPORT)) {
  console.error(`no report at ${REPORT}`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(REPORT, 'utf8'));

const KILLED = new Set(['Killed', 'Timeout']);
const SURVIVED = new Set(['Survived', 'NoCoverage']);
/** Score as Stryker counts it: killed (incl. timeouts) over killed + survived + no coverage. */
function tally(mutants) {
  let killed = 0;
  let survived = 0;
  let noCov = 0;
  for (const m of mutants) {
    if (KILLED.has(m.status)) killed++;
    else if (m.status === 'NoCoverage') noCov++;
    else if (SURVIVED.has(m.status)) survived++;
  }
  const total = killed + survived + noCov;
  return { killed, survived, noCov, total, score: total ? (100 * killed) / total : NaN };
}

/** Which group a report file belongs to (by glob prefix / exact file). */
function groupOf(file) {
  for (const [g, globs] of Object.entries(groups)) {
    for (const glob of globs) {
      const path = glob.replace(/:\d+-\d+$/, '');
      if (path.endsWith('/**/*.ts') ? file.startsWith(path.slice(0, -'**/*.ts'.length)) : file === path) return g;
    }
  }
  return '?';
}

const rows = [];
const byGroup = new Map();
for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const t = tally(mutants);
  rows.push([file, t]);
  const g = groupOf(file);
  byGroup.set(g, [...(byGroup.get(g) ?? []), ...mutants]);
}

const line = (name, t) =>
  `${name.padEnd(34)} ${String(t.killed).padStart(6)} ${String(t.survived).padStart(8)} ${String(t.noCov).padStart(6)} ${(Number.isNaN(t.score) ? '-' : t.score.toFixed(1) + ' %').padStart(8)}`;
console.log(`\n${'file'.padEnd(34)} ${'killed'.padStart(6)} ${'survived'.padStart(8)} ${'no cov'.padStart(6)} ${'score'.padStart(8)}`);
for (const [file, t] of rows) console.log(line(file, t));
console.log(`\n${'group'.padEnd(34)}`);
for (const [g, mutants] of byGroup) console.log(line(g, tally(mutants)));
console.log(line('all', tally(Object.values(report.files).flatMap((f) => f.mutants))));
