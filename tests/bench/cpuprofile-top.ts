/**
 * Summarise a V8 .cpuprofile (from TIPLINE_BENCH_CPU_PROF, server-common.ts): the functions
 * with the most self time, and self time per file (package or repo path).
 *
 *   npx tsx tests/bench/cpuprofile-top.ts <file.cpuprofile> [top=30] [last-seconds]
 *
 * With last-seconds, only the samples of the profile's last that many seconds count (the
 * load, not the server's start). Percentages are of the time not idle.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, lastArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: cpuprofile-top.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? '30');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map<number, number>();
let total = 0;
let idle = 0;
const from = lastArg ? p.endTime - Number(lastArg) * 1e6 : -Infinity;
let t = p.startTime;
// timeDeltas[i] is the time before sample i; attributing it to sample i is what DevTools does.
for (let i = 0; i < p.samples.length; i++) {
  const d = p.timeDeltas[i] ?? 0;
  t += d;
  if (t < from) continue;
  const id = p.samples[i]!;
  if (byId.get(id)!.callFrame.functionName === '(idle)') {
    idle += d;
    continue;
  }
  selfUs.set(id, (selfUs.get(id) ?? 0) + d);
  total += d;
}

const where = (url: string): string => {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 13);
  const repo = url.indexOf('/server/') >= 0 ? url.slice(url.indexOf('/server/') + 1) : url.indexOf('/crypto/') >= 0 ? url.slice(url.indexOf('/crypto/') + 1) : url;
  return repo.replace(/^file:\/\//, '');
};

const fns = new Map<string, number>();
const files = new Map<string, number>();
const inclusive = new Map<string, number>();
const keyOf = (id: number): string => {
  const f = byId.get(id)!.callFrame;
  return `${f.functionName || '(anonymous)'}  ${where(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
};
for (const [id, us] of selfUs) {
  const f = byId.get(id)!.callFrame;
  const w = where(f.url);
  const key = keyOf(id);
  // Inclusive: every function on the stack, once per stack (recursion counted once).
  const seen = new Set<string>();
  for (let a: number | undefined = id; a !== undefined; a = parent.get(a)) seen.add(keyOf(a));
  for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  fns.set(key, (fns.get(key) ?? 0) + us);
  const fileKey = w.startsWith('node:') || !f.url ? w : w.split('?')[0]!;
  files.set(fileKey, (files.get(fileKey) ?? 0) + us);
}

const pct = (us: number) => ((100 * us) / total).toFixed(1).padStart(5);
const print = (title: string, m: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${pct(us)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
  }
};
process.stdout.write(`${file}: ${(total / 1000).toFixed(0)} ms sampled busy, ${(idle / 1000).toFixed(0)} ms idle\n`);
print('self time by function', fns);
print('self time by file', files);
print('inclusive time by function (self and callees)', inclusive);
