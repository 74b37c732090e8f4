/**
 * Page weight of the reporter's pages: the gzip size of all JavaScript the report page
 * (index.html) and the follow-up page (follow-up.html) load, against an 80 KiB budget.
 *
 * "Loads at start" = every `<script src>` and `<link rel=modulepreload>` in the built HTML,
 * plus anything those files import statically (Vite lists those as modulepreload; the walk
 * checks it). "Later" = further JS files the loaded code names (the proof-of-work worker,
 * dynamic imports), fetched when the reporter gets that far.
 *
 * Uses dist/client when it is newer than every client source; otherwise builds the client
 * with Vite into a temporary directory (dist/client belongs to the client build and is left
 * alone; BENCH_REBUILD_CLIENT=1 forces that build). A failed build is a FAILED row, not a crash.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { LANGUAGES } from '../../client/i18n/languages.js';
import { against, type Row, type Section } from './harness.js';
import { tempDir } from './server-common.js';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/client');
const BUDGET_KIB = 80;
/** What may load before the first paint (issue 13): the crypto, the word list and later steps come after. */
const START_BUDGET_KIB = 40;
const PAGES = [
  { file: 'index.html', name: 'report page (index.html)' },
  { file: 'follow-up.html', name: 'follow-up page (follow-up.html)' },
] as const;
/** What the client build reads: its sources, the shared crypto code, the build config. */
const SOURCES = ['client', 'crypto', 'vite.config.ts', 'package-lock.json'];
/** Tags with a catalogue chunk of their own (English is built in; en-XA is the `pseudo` chunk). */
const CHUNK_TAGS = [...LANGUAGES.filter((l) => l.tag !== 'en').map((l) => l.tag), 'pseudo'];
/** The language whose catalogue `file` is, if it is one. */
const languageOf = (file: string) => CHUNK_TAGS.find((t) => new RegExp(`(^|/)${t}-[\\w-]+\\.js$`).test(file));

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(path)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, e)));
  }
  return newest;
}

/** Why dist/client cannot be used as it is, or undefined when it is up to date. */
function staleReason(): string | undefined {
  if (process.env.BENCH_REBUILD_CLIENT === '1') return 'BENCH_REBUILD_CLIENT=1';
  const pages = PAGES.map((p) => join(DIST, p.file));
  if (!pages.every((p) => existsSync(p))) return 'dist/client is missing or incomplete';
  const built = Math.min(...pages.map((p) => statSync(p).mtimeMs));
  const newer = SOURCES.filter((s) => newestMtime(join(ROOT, s)) > built);
  return newer.length > 0 ? `dist/client is older than ${newer.join(', ')}` : undefined;
}

/** Build the client into `outDir`. @throws Error with the end of Vite's output when the build fails */
async function build(outDir: string): Promise<number> {
  const t0 = performance.now();
  // The build pins the organisation root key; its value does not change any size, so a
  // throw-away key is used unless one is configured.
  const key = process.env.TIPLINE_ROOT_PUBLIC_KEY || randomBytes(32).toString('base64');
  try {
    await execFileAsync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, TIPLINE_ROOT_PUBLIC_KEY: key },
      timeout: 240_000,
      maxBuffer: 16 << 20,
    });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    const out = `${err.stderr ?? ''}\n${err.stdout ?? ''}`.trim() || err.message;
    throw new Error(out.split('\n').filter(Boolean).slice(-8).join(' | '));
  }
  return (performance.now() - t0) / 1000;
}

const gz = (b: Buffer) => gzipSync(b).length;
const br = (b: Buffer) => brotliCompressSync(b).length;

interface PageWeight {
  initial: string[];
  later: string[];
  initialRaw: number;
  initialGzip: number;
  laterGzip: number;
  /** Later files a reporter in one language does not load: other languages' catalogues. */
  otherLanguagesGzip: number;
  /** Each language's own catalogue chunks, gzip. */
  perLanguageGzip: Map<string, number>;
  sessionBrotli: number;
  css: number;
  /** Files found by following static imports that the HTML did not preload. */
  unlisted: string[];
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(1).find((v) => v !== undefined);
}

/** `/assets/x.js` or `./x.js` relative to the file that names it → path inside the build. */
function resolveAsset(dir: string, from: string, ref: string): string | undefined {
  if (/^[a-z]+:|^\/\//i.test(ref)) return undefined;
  const rel = ref.startsWith('/') ? ref.slice(1) : posix.join(posix.dirname(from), ref);
  const clean = posix.normalize(rel.split(/[?#]/)[0]!);
  return !clean.startsWith('..') && existsSync(join(dir, clean)) ? clean : undefined;
}

function weigh(dir: string, page: string): PageWeight {
  const html = readFileSync(join(dir, page), 'utf8');
  const listed = new Set<string>();
  let css = 0;
  for (const m of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const tag = m[0];
    if (m[1]!.toLowerCase() === 'script') {
      const src = attr(tag, 'src');
      const f = src && resolveAsset(dir, page, src);
      if (f) listed.add(f);
    } else {
      const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
      const f = resolveAsset(dir, page, attr(tag, 'href') ?? '');
      if (f && rel.includes('modulepreload')) listed.add(f);
      if (f && rel.includes('stylesheet')) css += gz(readFileSync(join(dir, f)));
    }
  }
  // Static imports (`import ... from "./x.js"`, `import "./x.js"`, `export ... from`) load at start.
  const initial = new Set(listed);
  const queue = [...listed];
  while (queue.length > 0) {
    const f = queue.shift()!;
    const code = readFileSync(join(dir, f), 'utf8');
    for (const m of code.matchAll(/(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+\.js)["']/g)) {
      const dep = resolveAsset(dir, f, m[1]!);
      if (dep && !initial.has(dep)) {
        initial.add(dep);
        queue.push(dep);
      }
    }
  }
  // Any other JS file of the build named by loaded code (workers, dynamic imports), transitively.
  const later = new Set<string>();
  const seen = new Set(initial);
  const scan = [...initial];
  while (scan.length > 0) {
    const f = scan.shift()!;
    const code = readFileSync(join(dir, f), 'utf8');
    for (const m of code.matchAll(/["'`]((?:\.{0,2}\/)?(?:[\w.-]+\/)*[\w.-]+\.js)["'`]/g)) {
      const ref = m[1]!;
      // Relative to the naming file, or to the site root (Vite writes `/assets/x.js` or `assets/x.js` too).
      const dep = resolveAsset(dir, f, ref.startsWith('.') || ref.startsWith('/') ? ref : `./${ref}`) ?? resolveAsset(dir, f, `/${ref.replace(/^\.?\//, '')}`);
      if (dep && !seen.has(dep)) {
        seen.add(dep);
        later.add(dep);
        scan.push(dep);
      }
    }
  }
  const sum = (files: Iterable<string>, f: (b: Buffer) => number) => [...files].reduce((n, x) => n + f(readFileSync(join(dir, x))), 0);
  return {
    initial: [...initial],
    later: [...later],
    initialRaw: sum(initial, (b) => b.length),
    initialGzip: sum(initial, gz),
    laterGzip: sum(later, gz),
    otherLanguagesGzip: sum([...later].filter((f) => languageOf(f)), gz),
    perLanguageGzip: new Map(CHUNK_TAGS.map((t) => [t, sum([...later].filter((f) => languageOf(f) === t), gz)])),
    sessionBrotli: sum([...initial, ...[...later].filter((f) => !languageOf(f))], br),
    css,
    unlisted: [...initial].filter((f) => !listed.has(f)),
  };
}

export async function run(): Promise<Section> {
  const title = `page weight: JavaScript of the reporter's pages, gzip, against the ${BUDGET_KIB} KiB budget`;
  const reason = staleReason();
  let dir = DIST;
  let source = 'dist/client (up to date with client/, crypto/ and vite.config.ts)';
  const tmp = reason ? tempDir('tipline-bench-client-') : undefined;
  try {
    if (tmp) {
      try {
        const s = await build(tmp.dir);
        dir = tmp.dir;
        source = `${reason}, so the client was built with \`vite build\` into a temporary directory (${s.toFixed(1)} s); dist/client was left alone`;
      } catch (e) {
        return {
          title,
          rows: PAGES.map((p) => ({ name: `${p.name} · FAILED: vite build failed`, value: NaN, unit: 'KiB' })),
          notes: [`${reason}; \`vite build\` failed: ${(e as Error).message}`],
        };
      }
    }
    const budget: Row = { name: 'budget', value: BUDGET_KIB, unit: 'KiB' };
    const startBudget: Row = { name: 'start budget', value: START_BUDGET_KIB, unit: 'KiB' };
    const rows: Row[] = [];
    const notes: string[] = [`build: ${source}.`];
    for (const p of PAGES) {
      if (!existsSync(join(dir, p.file))) {
        rows.push({ name: `${p.name} · FAILED: not in the build`, value: NaN, unit: 'KiB' });
        continue;
      }
      const w = weigh(dir, p.file);
      rows.push(
        // The 40 KiB first-paint target is the report page's (issue 13); the follow-up page needs its crypto to open anything.
        p.file === 'index.html'
          ? against({ name: `${p.name} · JS at start · gzip`, value: w.initialGzip / 1024, unit: 'KiB' }, startBudget, `${START_BUDGET_KIB} KiB`)
          : { name: `${p.name} · JS at start · gzip`, value: w.initialGzip / 1024, unit: 'KiB' },
        { name: `${p.name} · JS at start · uncompressed`, value: w.initialRaw / 1024, unit: 'KiB' },
        against({ name: `${p.name} · JS a session in one language loads · gzip`, value: (w.initialGzip + w.laterGzip - w.otherLanguagesGzip) / 1024, unit: 'KiB' }, budget, `${BUDGET_KIB} KiB`),
        { name: `${p.name} · the same · brotli (as sent to browsers that accept br)`, value: w.sessionBrotli / 1024, unit: 'KiB' },
        { name: `${p.name} · every JS file it can load, all languages · gzip`, value: (w.initialGzip + w.laterGzip) / 1024, unit: 'KiB' },
      );
      // Issue 14: a session in another language loads English (built in, for the first paint) and that one catalogue.
      const english = w.initialGzip + w.laterGzip - w.otherLanguagesGzip;
      for (const [tag, n] of w.perLanguageGzip)
        if (n > 0) rows.push(against({ name: `${p.name} · session in ${tag === 'pseudo' ? 'en-XA' : tag} (English + ${(n / 1024).toFixed(1)} KiB) · gzip`, value: (english + n) / 1024, unit: 'KiB' }, budget, `${BUDGET_KIB} KiB`));
      notes.push(
        `${p.file}: at start ${w.initial.join(', ')}${w.unlisted.length ? ` (of which ${w.unlisted.join(', ')} found only by following static imports)` : ''}; later ${w.later.length ? w.later.join(', ') : 'none'}; CSS ${(w.css / 1024).toFixed(1)} KiB gzip (not counted).`,
      );
    }
    notes.push(
      `gzip = node:zlib at its default level (6), file by file. ratio = size / ${BUDGET_KIB} KiB (${BUDGET_KIB * 1024} B): above ×1.00 is over budget. The build writes .gz (level 9) and .br (quality 11) next to each file and the server sends one of them by Accept-Encoding (server/routes/static.ts). A session loads English, which is built in so the first screen paints without a second round trip (slow on Tor), plus the chosen language's catalogue chunk, fetched when chosen: the per-language rows.`,
    );
    return { title, rows, notes };
  } finally {
    tmp?.remove();
  }
}
