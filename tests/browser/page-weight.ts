/**
 * Page weight of the reporter's app: builds the client into a temporary folder and adds up,
 * gzipped (level 9), every JavaScript file each page can load: the entry, the chunks it
 * imports, and the proof-of-work worker. Also a bench section (`run()`), so `npm run bench`
 * prints it next to the crypto timings.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LANGUAGES } from '../../client/i18n/languages.js';
import { buildClient } from './helpers/stack.js';

/** A chunk of one language's catalogue (other than English, which is built in) or of the pseudo-locale: fetched only when chosen. */
const LANGUAGE_CHUNK = new RegExp(`^(${[...LANGUAGES.filter((l) => l.tag !== 'en').map((l) => l.tag), 'pseudo'].join('|')})-[\\w-]+\\.js$`);

/** The report page's budget for all its JavaScript, gzipped, crypto included (issue 4). */
export const REPORT_JS_BUDGET = 80 * 1024;
/** What the first screen may load before it paints (issue 13); the crypto, the word list and later steps come after. */
export const REPORT_START_BUDGET = 40 * 1024;

export interface PageWeight {
  page: string;
  /** Gzipped bytes of each JavaScript file the page can load. */
  files: Record<string, number>;
  jsGzip: number;
  /** Gzipped bytes of the entry and the chunks it imports statically: what loads before the first paint. */
  startGzip: number;
  /** The files counted in startGzip. */
  startFiles: string[];
  /** Files of other languages' catalogues and of the pseudo-locale (fetched only when someone switches). */
  otherLanguages: string[];
  cssGzip: number;
}

export interface Weights {
  pages: PageWeight[];
  /** Every file in the build, for checks on what it contains. */
  assets: Record<string, Buffer>;
}

const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length;

/** Files a chunk imports (static or dynamic) or starts as a worker, by name. */
function referenced(code: string, names: string[]): string[] {
  return names.filter((n) => code.includes(n));
}

/** Build with a throwaway root key and measure both pages. */
export async function measurePageWeight(): Promise<Weights> {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-weight-'));
  try {
    await buildClient(new Uint8Array(32).fill(9), dir);
    const names = readdirSync(join(dir, 'assets'));
    const assets: Record<string, Buffer> = {};
    for (const n of names) assets[n] = readFileSync(join(dir, 'assets', n));
    for (const n of readdirSync(dir)) if (/\.(html|json)$/.test(n)) assets[n] = readFileSync(join(dir, n));
    const pages: PageWeight[] = [];
    for (const [page, html] of [
      ['report (/)', 'index.html'],
      ['follow-up', 'follow-up.html'],
    ] as const) {
      const text = assets[html]!.toString('utf8');
      const direct = [...text.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
      const js = new Set<string>();
      const todo = direct.filter((n) => n.endsWith('.js'));
      while (todo.length > 0) {
        const n = todo.pop()!;
        if (js.has(n)) continue;
        js.add(n);
        todo.push(...referenced(assets[n]!.toString('utf8'), names.filter((x) => x.endsWith('.js'))));
      }
      const files: Record<string, number> = {};
      for (const n of js) files[n] = gz(assets[n]!);
      // Static imports only (`from"./x.js"` / `import"./x.js"`), from the entry.
      const start = new Set<string>();
      const stack = direct.filter((n) => n.endsWith('.js'));
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (start.has(n)) continue;
        start.add(n);
        for (const m of assets[n]!.toString('utf8').matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)) stack.push(m[1]!);
      }
      pages.push({
        page,
        files,
        startGzip: [...start].reduce((a, n) => a + gz(assets[n]!), 0),
        startFiles: [...start],
        otherLanguages: Object.keys(files).filter((n) => LANGUAGE_CHUNK.test(n)),
        jsGzip: Object.values(files).reduce((a, b) => a + b, 0),
        cssGzip: direct.filter((n) => n.endsWith('.css')).reduce((a, n) => a + gz(assets[n]!), 0),
      });
    }
    return { pages, assets };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bench section: page weight against the budget. */
export async function run(): Promise<{ title: string; rows: { name: string; value: number; unit: string }[]; notes: string[] }> {
  const { pages } = await measurePageWeight();
  const report = pages[0]!;
  const rows = pages.flatMap((p) => [
    { name: `${p.page}: JavaScript, gzip, total`, value: p.jsGzip, unit: 'bytes' },
    { name: `${p.page}: CSS, gzip`, value: p.cssGzip, unit: 'bytes' },
  ]);
  for (const [f, n] of Object.entries(report.files)) rows.push({ name: `  report: ${f}`, value: n, unit: 'bytes' });
  const oneLanguage = report.jsGzip - report.otherLanguages.reduce((a, f) => a + report.files[f]!, 0);
  rows.push({ name: 'report: JavaScript a session in English loads', value: oneLanguage, unit: 'bytes' });
  // Issue 14: the weight per language is English's plus that one catalogue chunk, whatever the number of languages.
  for (const f of report.otherLanguages) rows.push({ name: `report: in ${f.replace(/-[\w]+\.js$/, '')} (English + ${f})`, value: oneLanguage + report.files[f]!, unit: 'bytes' });
  return {
    title: 'Reporter page weight',
    rows,
    notes: [
      `Budget for the report page's JavaScript: ${REPORT_JS_BUDGET} bytes gzip (crypto included): ${report.jsGzip <= REPORT_JS_BUDGET ? 'within' : 'OVER'} budget (${((report.jsGzip / REPORT_JS_BUDGET) * 100).toFixed(0)}%).`,
      'Every file the page can load is counted: the entry, its chunks and the proof-of-work worker; gzip level 9.',
    ],
  };
}
