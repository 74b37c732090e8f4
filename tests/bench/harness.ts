/**
 * Shared pieces of `npm run bench`: the section/row types, the timing helper and the table printer.
 * A section module exports `run(): Promise<Section>` and is listed once in tests/bench/index.ts.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** One measurement. `ratio` is value / baseline value, where the baseline was measured in the same run. */
export interface Row {
  name: string;
  value: number;
  /** e.g. 'MiB/s', 'ops/s', 'ms', 'bytes'. Whether higher is better follows from the unit. */
  unit: string;
  /** Relative spread of the samples (interquartile range / median), when the value is a timing. */
  spread?: number;
  ratio?: number;
  /** Short name of the baseline the ratio is against, e.g. 'noble'. */
  baseline?: string;
}

export interface Section {
  title: string;
  rows: Row[];
  /** Printed under the table: how it was measured, caveats. */
  notes?: string[];
}

export interface SectionModule {
  run(): Promise<Section>;
}

export interface Timing {
  /** Median seconds per call. */
  perOp: number;
  opsPerSecond: number;
  /** Interquartile range of the per-call sample times divided by the median. */
  spread: number;
  samples: number;
  /** The per-call time of each sample, ascending. */
  sampleSeconds: number[];
  calls: number;
}

export interface MeasureOptions {
  /** Milliseconds of untimed calls first (at least one call). */
  warmupMs?: number;
  /** Keep sampling until this many milliseconds have been spent measuring (per function) ... */
  minTimeMs?: number;
  /** ... and at least this many samples were taken. */
  minSamples?: number;
  /** Each sample runs the function enough times to last about this long. */
  sampleMs?: number;
}

/** BENCH_TIME_SCALE=0.3 for a quick smoke run, 3 for steadier numbers. */
const scale = (() => {
  const s = Number(process.env.BENCH_TIME_SCALE ?? '1');
  return Number.isFinite(s) && s > 0 ? s : 1;
})();

/** Something to time; `before` runs before every batch of calls (e.g. to install a backend). */
export interface Case {
  fn: () => unknown;
  before?: () => void;
}

/** Time one function; see {@link compare}. */
export async function measure(fn: () => unknown, opts: MeasureOptions = {}): Promise<Timing> {
  return (await compare([{ fn }], opts))[0]!;
}

/**
 * Time several functions: warm each up, size a batch of calls per sample, then take one sample of each
 * in turn (so load from elsewhere on the machine hits all alike and their ratios stay fair) until every
 * one has at least `minSamples` samples and `minTimeMs` of measuring. Reports each one's median.
 * Async functions are awaited one call at a time.
 */
export async function compare(cases: readonly Case[], opts: MeasureOptions = {}): Promise<Timing[]> {
  const warmupMs = (opts.warmupMs ?? 200) * scale;
  const minTimeMs = (opts.minTimeMs ?? 1000) * scale;
  const minSamples = opts.minSamples ?? 10;
  const sampleMs = opts.sampleMs ?? 25;

  const runners: { batch: (n: number) => unknown; n: number; calls: number; samples: number[]; spent: number }[] = [];
  for (const c of cases) {
    c.before?.();
    const first = c.fn();
    const isAsync = typeof (first as { then?: unknown } | null)?.then === 'function';
    if (isAsync) await first;
    const fn = c.fn;
    const batch = isAsync
      ? async (n: number) => {
          c.before?.();
          for (let i = 0; i < n; i++) await fn();
        }
      : (n: number) => {
          c.before?.();
          for (let i = 0; i < n; i++) fn();
        };
    let calls = 1;
    const w0 = performance.now();
    while (performance.now() - w0 < warmupMs) {
      await batch(1);
      calls++;
    }
    // Size the batch on short timed runs, so that timer resolution does not matter.
    let n = 1;
    for (;;) {
      const t = performance.now();
      await batch(n);
      calls += n;
      const dt = performance.now() - t;
      if (dt >= sampleMs / 4 || n >= 1 << 20) {
        n = Math.max(1, Math.round((n * sampleMs) / Math.max(dt, 1e-3)));
        break;
      }
      n *= 4;
    }
    runners.push({ batch, n, calls, samples: [], spent: 0 });
  }

  // Stop when all have enough, or (on a badly overloaded machine) after three times the planned time.
  const deadline = performance.now() + 3 * minTimeMs * runners.length;
  while (runners.some((r) => r.samples.length < minSamples || (r.spent < minTimeMs && performance.now() < deadline))) {
    for (const r of runners) {
      const t = performance.now();
      await r.batch(r.n);
      const dt = performance.now() - t;
      r.samples.push(dt / 1000 / r.n);
      r.spent += dt;
      r.calls += r.n;
      // Keep samples near sampleMs even if the sizing run was disturbed (a GC pause, a busy neighbour).
      if (dt < sampleMs / 2 && r.n < 1 << 20) r.n *= 2;
      else if (dt > sampleMs * 4 && r.n > 1) r.n = Math.max(1, r.n >> 1);
    }
  }
  return runners.map((r) => ({ ...summarize(r.samples), calls: r.calls }));
}

/** Median, rate and spread of per-call sample times (seconds), e.g. pooled from several processes. */
export function summarize(sampleSeconds: readonly number[]): Omit<Timing, 'calls'> {
  if (sampleSeconds.length === 0) throw new Error('no samples');
  const sorted = [...sampleSeconds].sort((a, b) => a - b);
  const perOp = quantile(sorted, 0.5);
  return {
    perOp,
    opsPerSecond: 1 / perOp,
    spread: (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / perOp,
    samples: sorted.length,
    sampleSeconds: sorted,
  };
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** A row with `value` compared against `baseline` (value / baseline.value). */
export function against(row: Row, baseline: Row, baselineName: string): Row {
  return { ...row, ratio: row.value / baseline.value, baseline: baselineName };
}

/** Three significant digits, thousands separated. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n >> 20} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n >> 10} KiB`;
  return `${n} B`;
}

/** Print a section as an aligned text table followed by its notes. */
export function printSection(s: Section, elapsedMs?: number): void {
  const header = ['measurement', 'value', 'unit', '±', 'ratio'];
  const body = s.rows.map((r) => [
    r.name,
    formatNumber(r.value),
    r.unit,
    r.spread === undefined ? '' : `${Math.round(r.spread * 100)}%`,
    r.ratio === undefined ? '' : `×${r.ratio >= 10 ? r.ratio.toFixed(1) : r.ratio.toFixed(2)} ${r.baseline ?? ''}`.trimEnd(),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const rightAligned = new Set([1, 3]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const title = elapsedMs === undefined ? s.title : `${s.title}  (${(elapsedMs / 1000).toFixed(1)} s)`;
  console.log(`\n## ${title}\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
  if (s.notes?.length) {
    console.log('');
    for (const n of s.notes) console.log(`  - ${n}`);
  }
}

/** One line each: CPU, cores, Node/V8, OS, load average (other processes skew the numbers). */
export function machineLines(): string[] {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return [
    `cpu:    ${cpus[0]?.model.trim() ?? 'unknown'} (${cpus.length} logical cores)`,
    `node:   ${process.version} (V8 ${process.versions.v8})`,
    `os:     ${os.type()} ${os.release()} ${process.arch}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `load:   ${load} (1/5/15 min averages)`,
  ];
}
