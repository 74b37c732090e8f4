/**
 * `npm run bench`: runs each section in order and prints its table as soon as it is done.
 * `npm run bench -- age jit` runs only the sections whose key contains one of the words.
 * BENCH_TIME_SCALE=0.3 shortens every measurement (smoke run); 3 makes them steadier.
 *
 * To add a section, write a module exporting `run(): Promise<Section>` (see harness.ts) and add one line below.
 */
import { performance } from 'node:perf_hooks';
import { machineLines, printSection, type SectionModule } from './harness.js';

const sections: ReadonlyArray<readonly [key: string, load: () => Promise<SectionModule>]> = [
  ['age-throughput', () => import('./age-throughput.js')],
  ['primitives', () => import('./primitives.js')],
  ['hybrid-wrap', () => import('./hybrid-wrap.js')],
  ['report-jit', () => import('./report-jit.js')],
  ['server-reports-sqlite', () => import('./server-reports.js').then((m) => ({ run: m.runSqlite }))],
  ['server-reports-postgres', () => import('./server-reports.js').then((m) => ({ run: m.runPostgres }))],
  ['server-warnings', () => import('./server-warnings.js')],
  ['page-weight', () => import('./page-weight.js')],
  ['send-time', () => import('./send-time.js')],
  ['pow-jit', () => import('./pow-jit.js')],
  ['check-jit', () => import('./check-jit.js')],
  ['console-index', () => import('./console-index.js')],
];

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const selected = sections.filter(([key]) => filters.length === 0 || filters.some((f) => key.includes(f)));
  if (selected.length === 0) {
    console.error(`no section matches ${filters.join(' ')}; sections: ${sections.map(([k]) => k).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  console.log('# tipline benchmarks\n');
  for (const l of machineLines()) console.log(l);
  console.log('\nvalue = median over samples; ± = interquartile range / median; ratio = value / a baseline measured in this run.');
  const t0 = performance.now();
  let failed = 0;
  for (const [key, load] of selected) {
    const s0 = performance.now();
    try {
      const section = await (await load()).run();
      printSection(section, performance.now() - s0);
    } catch (e) {
      failed++;
      console.log(`\n## ${key}: FAILED\n`);
      console.log(e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
  }
  console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s; ${machineLines()[3]!.trim()}`);
  if (failed > 0) process.exitCode = 1;
}

await main();
