/**
 * The public /statistics page (issue 12) in chromium against a real server and a real
 * client build: with nothing published it says so; a summary uploaded by a `warnings`
 * coordinator is verified in the browser and shown with its "<5" and "x" cells; a summary
 * whose payload was altered in the database (as a seized server could) is refused with a
 * clear message and no figure is shown. Writes docs/statistics.png (the README's screenshot)
 * when TIPLINE_SCREENSHOT=1.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, signProfile, signStatistics, suppress, type RawPeriod, type Statistics } from '../../crypto/index.js';
import { insertProfile, insertStatistics } from '../../server/db/queries.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { startStack, type Stack } from './helpers/stack.js';
import { SLOW } from './journey.js';

let stack: Stack;
let browser: Browser;
let page: Page;

const today = () => new Date().toISOString().slice(0, 10);

/** A quarter of made-up counts (shaped like the console's tables). */
function quarter(period: string, months: string[], n: number, scale: number): RawPeriod {
  const part = (id: string, rows: [string, number][]) => ({ id, kind: 'partition' as const, rows: rows.map(([key, count]) => ({ key, count })) });
  const m = [Math.round(n * 0.4), Math.round(n * 0.35)];
  return {
    period,
    reports: n,
    tables: [
      part('month', [
        [months[0]!, m[0]!],
        [months[1]!, m[1]!],
        [months[2]!, n - m[0]! - m[1]!],
      ]),
      {
        id: 'incident-type',
        kind: 'multi',
        rows: [
          ['violence', 9 * scale],
          ['robbery', 3],
          ['refused-to-pay', 11 * scale],
          ['threats', 8 * scale],
          ['stealthing', 2],
          ['time-waster', 7 * scale],
          ['impersonating-police', 0],
        ].map(([key, count]) => ({ key: key as string, count: count as number })),
      },
      part('setting', [
        ['outcall-home', 10 * scale],
        ['hotel', 6 * scale],
        ['incall', n - 16 * scale - 3],
        ['car', 3],
        ['street-outdoor', 0],
      ]),
      part('region', [
        ['north', 12 * scale],
        ['city-centre', n - 12 * scale - 2],
        ['unmatched', 2],
      ]),
      part('consent-share-with-police', [
        ['yes', 11 * scale],
        ['no', n - 11 * scale - 9],
        ['unsure', 6],
        ['not-given', 3],
      ]),
      part('linked', [
        ['linked', 7 * scale],
        ['not-linked', n - 7 * scale],
      ]),
      part('warning', [
        ['warning', 2],
        ['no-warning', n - 2],
      ]),
      part('first-reply', [
        ['day-0', 8 * scale],
        ['days-1-2', 9 * scale],
        ['days-3-7', 1],
        ['no-reply', 5],
        ['no-mailbox', n - 17 * scale - 6],
      ]),
    ],
  };
}

const summary = (version: number): Statistics => ({
  version,
  issued: today(),
  periods: [quarter('2026-Q2', ['2026-04', '2026-05', '2026-06'], 31, 1), quarter('2026-Q3', ['2026-07', '2026-08', '2026-09'], 58, 2)].map(suppress),
});

beforeAll(async () => {
  stack = await startStack({ powDifficulty: 4 });
  const profile = signProfile(
    {
      version: 1,
      issued: today(),
      name: 'Example Safety Scheme (fictional)',
      regions: [
        { id: 'north', name: 'North' },
        { id: 'city-centre', name: 'City centre' },
      ],
      contacts: [{ kind: 'emergency', name: 'Emergency services', phone: '999' }],
      nextSteps: 'A coordinator reads each report.',
      languages: ['en'],
    },
    stack.rootSeed,
  );
  await insertProfile(stack.db, 1, JSON.stringify(profile), today());
  browser = await launch('chromium');
  page = await browser.newPage();
  await page.playwright!.setViewportSize({ width: 900, height: 1500 });
}, SLOW);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function open(): Promise<string> {
  await page.goto(`${stack.url}/statistics`);
  await page.waitFor('.stat-verified, .stat-refused, .stat-none', 60_000);
  return page.text('main');
}

describe('/statistics in chromium', () => {
  it('says plainly when nothing is published', async () => {
    const text = await open();
    expect(text).toContain('No statistics have been published yet.');
  }, SLOW);

  it('shows the verified summary, with "<5" cells and no count from 1 to 4', async () => {
    const r = await stack.coordinatorFetch('POST', '/api/coordinator/statistics', signStatistics(summary(1), stack.coordinator.signingSeed));
    expect(r.status).toBe(201);
    const text = await open();
    expect(text).toContain('Verified in your browser');
    expect(await page.text('[data-period="2026-Q3"] [data-reports]')).toBe('58');
    const setting = await page.evaluate(() =>
      [...document.querySelectorAll('[data-period="2026-Q2"] [data-table="setting"] td')].map((td) => `${td.getAttribute('data-key')}=${td.textContent}`),
    );
    expect(setting).toContain('car=<5');
    // region names from the verified profile
    let region = '';
    for (let i = 0; i < 60 && !region.includes('City centre'); i++) {
      region = await page.text('[data-period="2026-Q3"] [data-table="region"]');
      if (!region.includes('City centre')) await new Promise((r) => setTimeout(r, 250));
    }
    expect(region).toContain('City centre');
    // every table cell is 0, 5 or more, "<5" or "x"
    const cells = await page.evaluate(() => [...document.querySelectorAll('.stat-table td')].map((td) => td.textContent ?? ''));
    expect(cells.length).toBeGreaterThan(20);
    for (const c of cells) expect(c === '<5' || c === 'x' || c === '0' || Number(c) >= 5, c).toBe(true);
    expect(await page.evaluate(() => document.querySelectorAll('svg.stat-bars rect.stat-bar').length)).toBeGreaterThan(10);
    expect(page.errors).toEqual([]);
    if (process.env.TIPLINE_SCREENSHOT === '1') await page.playwright!.screenshot({ path: resolve(import.meta.dirname, '../../docs/statistics.png') });
  }, SLOW);

  it('refuses a summary altered on the server, with a clear message and no figures', async () => {
    const env = signStatistics(summary(2), stack.coordinator.signingSeed);
    // The payload now says 60 reports in 2026-Q3; the signature is over 58.
    const altered = bytes.fromUtf8(bytes.fromBase64Padded(env.payload)).replace('"reports":58', '"reports":60');
    expect(altered).toContain('"reports":60');
    await insertStatistics(stack.db, 2, JSON.stringify({ ...env, payload: bytes.base64Padded(bytes.utf8(altered)) }), today());
    const text = await open();
    expect(text).toContain('These statistics were refused');
    expect(text).toContain('altered or signed by someone else');
    expect(await page.evaluate(() => document.querySelectorAll('.stat-table').length)).toBe(0);
  }, SLOW);
});
