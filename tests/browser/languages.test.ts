/**
 * Every page in every language (issue 14), in chromium at 360 px against one real server:
 * - axe (serious and critical) on the report wizard's first step, the quick report's first
 *   step, follow-up, the no-JS form, 404, join, login, warnings, check, settings and
 *   statistics, in each registry language that has the page's catalogue (so the new languages
 *   are covered as their files are merged); <html lang> is the chosen language and a
 *   non-English page's main heading is not the English one.
 * - The pseudo-locale en-XA (longer, accented, bracketed) through the wizard's steps and the
 *   members' pages, and long unbroken Thai and Chinese text: nothing may overflow sideways
 *   or be cut. Screenshots in tmp/artifacts/languages/ (look at them).
 * The language is set as a browser sets it: navigator.languages (init script) for the app
 * pages, Accept-Language for the server-rendered ones.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES as REGISTRY, PSEUDO } from '../../client/i18n/languages.js';
import { REPORTER_LOADERS } from '../../client/i18n/loaders.js';
import { MEMBER_LOADERS } from '../../client/i18n/member/loaders.js';
import { LANGUAGES as SERVER_LANGUAGES } from '../../server/i18n.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { startStack, type Stack } from './helpers/stack.js';
import { SLOW } from './journey.js';

const ARTIFACTS = resolve(import.meta.dirname, '../../tmp/artifacts/languages');
const AXE = readFileSync(resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
/** Generous: the machine is shared and slow; fourteen languages × eleven pages. */
const PER_LANGUAGE = 300_000;

let stack: Stack;
let browser: Browser;

type Kind = 'reporter' | 'member' | 'server';
const HAS: Record<Kind, ReadonlySet<string>> = {
  reporter: new Set(['en', ...Object.keys(REPORTER_LOADERS)]),
  member: new Set(['en', ...Object.keys(MEMBER_LOADERS)]),
  server: new Set(SERVER_LANGUAGES.map((l) => l.tag)),
};

interface PageSpec {
  name: string;
  path: string;
  kind: Kind;
  /** After the page is shown: go on to the state to check (e.g. the quick report's first step). */
  then?(page: Page): Promise<void>;
}

const PAGES: PageSpec[] = [
  { name: 'wizard', path: '/', kind: 'reporter' },
  {
    name: 'quick-report',
    path: '/',
    kind: 'reporter',
    async then(page) {
      await page.click('#start-quick');
      await page.waitFor('input[name="incidentTypes"]');
    },
  },
  { name: 'follow-up', path: '/follow-up', kind: 'reporter' },
  { name: 'basic-form', path: '/report/basic', kind: 'server' },
  { name: 'not-found', path: '/no-such-page', kind: 'server' },
  { name: 'join', path: '/join', kind: 'member' },
  { name: 'login', path: '/login', kind: 'member' },
  { name: 'warnings', path: '/warnings', kind: 'member' },
  { name: 'check', path: '/check', kind: 'member' },
  { name: 'settings', path: '/settings', kind: 'member' },
  { name: 'statistics', path: '/statistics', kind: 'member' },
];

/** A page whose browser prefers `tag`: navigator.languages for scripts, Accept-Language for requests. */
async function pageIn(tag: string): Promise<Page> {
  const page = await browser.newPage();
  const pw = page.playwright!;
  await pw.setViewportSize({ width: 360, height: 800 });
  // Set on each request (the browser's own locale header would otherwise win over extra headers).
  await pw.route('**/*', (route) => route.continue({ headers: { ...route.request().headers(), 'accept-language': tag } }));
  await pw.addInitScript((t: string) => {
    Object.defineProperty(Navigator.prototype, 'languages', { get: () => [t], configurable: true });
    Object.defineProperty(Navigator.prototype, 'language', { get: () => t, configurable: true });
  }, tag);
  return page;
}

/** Open `spec` and wait until it is drawn in `tag` (the app sets <html lang> when its catalogue is in). */
async function open(page: Page, spec: PageSpec, tag: string): Promise<void> {
  await page.goto(`${stack.url}${spec.path}`);
  const pw = page.playwright!;
  await pw.waitForFunction((t: string) => document.documentElement.lang === t && !!document.querySelector('h1'), tag, { timeout: 60_000 }).catch(() => {});
  if (spec.then) await spec.then(page);
  // Let effects settle (the profile and the statistics load after the first paint).
  await pw.waitForTimeout(300);
}

/** Serious and critical axe violations on the current page. */
async function runAxe(page: Page): Promise<string[]> {
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(AXE + ';undefined');
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

/**
 * What overflows sideways or is cut at the current width: the document wider than the
 * viewport, a visible element sticking out of it, or an element that hides or ellipsises
 * content wider than itself (overflow hidden/clip, text-overflow). Visually hidden helpers
 * (1 px, clipped) are skipped; scrolling boxes (overflow auto/scroll) are allowed.
 */
function overflowing(): string[] {
  const vw = document.documentElement.clientWidth;
  const out: string[] = [];
  const name = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''} “${(el.textContent ?? '').trim().slice(0, 40)}”`;
  if (document.documentElement.scrollWidth > vw) out.push(`document is ${document.documentElement.scrollWidth}px wide in a ${vw}px viewport`);
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.visually-hidden, .hp, [hidden], script, style, noscript')) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    if (r.right > vw + 0.5 || r.left < -0.5) {
      out.push(`${name(el)} sticks out (${Math.round(r.left)}..${Math.round(r.right)} of ${vw})`);
      continue;
    }
    // Form controls scroll their own value: what they hold is never cut, only scrolled.
    if (el.matches('input, textarea, select, option')) continue;
    const hides = cs.overflowX === 'hidden' || cs.overflowX === 'clip' || cs.textOverflow === 'ellipsis';
    if (hides && el.scrollWidth > el.clientWidth + 1) out.push(`${name(el)} cuts its content (${el.scrollWidth} > ${el.clientWidth})`);
  }
  return out;
}

async function shot(page: Page, file: string): Promise<void> {
  await page.playwright!.screenshot({ path: join(ARTIFACTS, `${file}.png`), fullPage: true });
  // The first screen too, at full size: a long page shrinks too much to read when viewed whole.
  await page.playwright!.screenshot({ path: join(ARTIFACTS, `${file}-top.png`) });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startStack({ powDifficulty: 4 });
  browser = await launch('chromium');
}, 2 * SLOW);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('every page in every language, chromium at 360 px', () => {
  const english = new Map<string, string>();
  const covered: string[] = [];

  for (const { tag } of REGISTRY) {
    const pages = PAGES.filter((p) => HAS[p.kind].has(tag));
    it(
      `${tag}: axe passes, <html lang> is ${tag}, headings translated`,
      async () => {
        const page = await pageIn(tag);
        try {
          for (const spec of pages) {
            await open(page, spec, tag);
            const where = `${tag} ${spec.name}`;
            expect(await page.evaluate(() => document.documentElement.lang), where).toBe(tag);
            const h1 = (await page.evaluate(() => document.querySelector('h1')?.textContent ?? '')).trim();
            expect(h1, where).not.toBe('');
            if (tag === 'en') english.set(spec.name, h1);
            else if (english.has(spec.name)) expect(h1, `${where}: the heading is still English`).not.toBe(english.get(spec.name));
            expect(await runAxe(page), where).toEqual([]);
            expect(await page.evaluate(overflowing), where).toEqual([]);
            // The first screen of each page in each language, to look at (tmp/artifacts/languages/page-*).
            await page.playwright!.screenshot({ path: join(ARTIFACTS, `page-${tag}-${spec.name}.png`) });
          }
          covered.push(tag);
        } finally {
          await page.playwright!.close();
        }
      },
      PER_LANGUAGE,
    );
  }

  it('covered English and at least one other language on every page kind', () => {
    expect(covered).toContain('en');
    expect(covered.length).toBeGreaterThanOrEqual(2);
  });
});

/** The wizard's full path, step by step, calling `check` on each step before filling it in. */
async function walkWizard(page: Page, check: (step: string) => Promise<void>): Promise<void> {
  const next = () => page.click('form button[type="submit"]');
  await page.waitFor('#step-heading');
  await check('01-intro');
  await page.click('input[name="behalf"][value="self"]');
  await page.click('#start-full');
  await page.waitFor('input[name="incidentTypes"]');
  await check('02-what');
  await page.click('input[name="incidentTypes"][value="robbery"]');
  await next();
  await page.waitFor('input[name="when"]');
  await page.click('input[name="when"][value="exact"]');
  await page.waitFor('input[name="date"]');
  await check('03-when');
  await page.fill('input[name="date"]', '2026-01-02');
  await next();
  await page.waitFor('input[name="area"]');
  await check('04-where');
  await page.fill('input[name="area"]', 'Leeds');
  await next();
  await page.waitFor('input[name="contactMethod"]');
  await check('05-contact');
  await next();
  await page.waitFor('input[name="count"]');
  await check('06-person');
  await next();
  await page.waitFor('input[name="phone-0"]');
  await check('07-identifiers');
  await next();
  await page.waitFor('input[name="make"]');
  await check('08-vehicle');
  await next();
  await page.waitFor('textarea[name="account"]');
  await check('09-account');
  await next();
  await page.waitFor('input[type="file"]');
  await check('10-photos');
  await next();
  let i = 11;
  for (const name of ['publishWarning', 'shareWithPolice', 'wantPoliceSupport', 'wantCaseworker']) {
    await page.waitFor(`input[name="${name}"]`);
    await check(`${i++}-consent-${name}`);
    await page.click(`input[name="${name}"][value="yes"]`);
    await next();
  }
  await page.waitFor('.summary');
  await check(`${i}-summary`);
}

describe('no overflow at 360 px', () => {
  it(
    'en-XA pseudo-locale: the wizard’s steps and the members’ pages neither overflow nor cut text',
    async () => {
      const page = await pageIn(PSEUDO);
      try {
        const problems: string[] = [];
        const check = async (name: string) => {
          await page.playwright!.waitForTimeout(150);
          await shot(page, `en-XA-${name}`);
          problems.push(...(await page.evaluate(overflowing)).map((p) => `${name}: ${p}`));
        };
        await page.goto(`${stack.url}/`);
        await page.playwright!.waitForFunction((t: string) => document.documentElement.lang === t, PSEUDO, { timeout: 60_000 });
        // The pseudo-locale is really on: brackets round the heading.
        expect(await page.text('#step-heading')).toMatch(/^\[.*\]$/s);
        await walkWizard(page, check);
        for (const spec of PAGES.filter((p) => p.kind === 'member')) {
          await open(page, spec, PSEUDO);
          await check(`member-${spec.name}`);
        }
        await open(page, PAGES.find((p) => p.name === 'follow-up')!, PSEUDO);
        await check('follow-up');
        expect(problems).toEqual([]);
      } finally {
        await page.playwright!.close();
      }
    },
    PER_LANGUAGE,
  );

  /** Long runs with no spaces, as Thai and Chinese are written, put into the places text goes. */
  const UNBROKEN: Record<string, string> = {
    th: 'ถ้าคุณตกอยู่ในอันตรายตอนนี้โทรหาหมายเลขฉุกเฉินทันทีเราจะอ่านรายงานของคุณอย่างระมัดระวังและไม่ส่งต่อโดยไม่ได้รับความยินยอมจากคุณ'.repeat(2),
    'zh-CN': '如果你现在有危险请立即拨打紧急电话我们会认真阅读你的报告未经你的同意我们不会把任何内容转交给别人'.repeat(2),
  };

  for (const [tag, text] of Object.entries(UNBROKEN)) {
    it(
      `${tag}: long unbroken text wraps in headings, labels, answers, notices and the help panel`,
      async () => {
        const page = await pageIn(tag);
        try {
          const problems: string[] = [];
          const fillWith = (s: string) => {
            // Every text node that says something gets the long run (as a catalogue in this language would).
            const walker = document.createTreeWalker(document.getElementById('app') ?? document.body, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              // Not the language picker's endonyms: they stay what they are in every language.
              if ((n.textContent ?? '').trim().length > 3 && !n.parentElement?.closest('select')) n.textContent = s;
            }
            for (const el of document.querySelectorAll('input[type="text"], textarea')) (el as HTMLInputElement).value = s;
          };
          const check = async (name: string) => {
            await page.evaluate(fillWith, text);
            await page.playwright!.waitForTimeout(100);
            await shot(page, `${tag}-${name}`);
            problems.push(...(await page.evaluate(overflowing)).map((p) => `${name}: ${p}`));
          };
          // Each state freshly opened, then its text replaced (the app is not used after that).
          for (const spec of PAGES.filter((p) => ['wizard', 'quick-report', 'follow-up', 'join', 'login', 'basic-form', 'not-found'].includes(p.name))) {
            await open(page, spec, HAS[spec.kind].has(tag) ? tag : 'en');
            await check(spec.name);
          }
          expect(problems).toEqual([]);
        } finally {
          await page.playwright!.close();
        }
      },
      PER_LANGUAGE,
    );
  }
});
