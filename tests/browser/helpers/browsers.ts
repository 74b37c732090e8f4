/**
 * One small page interface over the two drivers the project uses: Debian chromium through
 * playwright-core and firefox-esr through puppeteer-core (WebDriver BiDi). Every browser
 * runs headless with a fresh profile, background networking off, and a proxy that goes
 * nowhere, so nothing can reach the internet even by mistake (loopback bypasses it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page as PwPage } from 'playwright-core';
import puppeteer, { type Browser as PpBrowser, type Page as PpPage } from 'puppeteer-core';

export type BrowserConfig = 'chromium' | 'chromium-jitless' | 'firefox' | 'firefox-nojit';

export const CHROMIUM = '/usr/bin/chromium';
export const FIREFOX = '/usr/bin/firefox-esr';

/** Records, before any page script runs, every attempt to store something on the device and every CSP violation. */
export const INSTRUMENT = `(() => {
  const log = (window.__storageWrites = []);
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  const wrap = (obj, name, label) => {
    const orig = obj && obj[name];
    if (typeof orig !== 'function') return;
    obj[name] = function (...a) { log.push(label); return orig.apply(this, a); };
  };
  wrap(Storage.prototype, 'setItem', 'storage.setItem');
  wrap(window.indexedDB, 'open', 'indexedDB.open');
  if (window.caches) wrap(window.caches, 'open', 'caches.open');
  if (navigator.serviceWorker) wrap(navigator.serviceWorker, 'register', 'serviceWorker.register');
  const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (desc) Object.defineProperty(document, 'cookie', {
    get() { return desc.get.call(document); },
    set(v) { log.push('document.cookie'); desc.set.call(document, v); },
  });
})();`;

export interface Page {
  readonly config: BrowserConfig;
  /** Every URL the page (and its workers) requested. */
  readonly requests: string[];
  readonly errors: string[];
  goto(url: string): Promise<void>;
  click(selector: string): Promise<void>;
  /** Set an input's or textarea's value the way typing does (an input event per change). */
  fill(selector: string, value: string): Promise<void>;
  upload(selector: string, name: string, data: Uint8Array): Promise<void>;
  press(key: string): Promise<void>;
  evaluate<T>(fn: string | ((arg: any) => T | Promise<T>), arg?: unknown): Promise<T>;
  waitFor(selector: string, timeoutMs?: number): Promise<void>;
  waitForFunction(expression: string, timeoutMs?: number): Promise<void>;
  text(selector: string): Promise<string>;
  cookies(): Promise<unknown[]>;
  /** The Playwright page, for request routing (chromium only). */
  readonly playwright?: PwPage;
}

export interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--proxy-server=http://127.0.0.1:9',
  '--lang=en-GB',
];

const FIREFOX_PREFS: Record<string, unknown> = {
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 9,
  'network.proxy.allow_hijacking_localhost': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'intl.accept_languages': 'en-GB',
};

/** What Tor Browser's "Safer" level turns off. */
const NO_JIT_PREFS: Record<string, unknown> = {
  'javascript.options.wasm': false,
  'javascript.options.ion': false,
  'javascript.options.baselinejit': false,
  'javascript.options.native_regexp': false,
};

export async function launch(config: BrowserConfig): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), `tipline-${config}-`));
  if (config.startsWith('chromium')) {
    const args = [...CHROMIUM_ARGS, ...(config === 'chromium-jitless' ? ['--js-flags=--jitless'] : [])];
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args, locale: 'en-GB' });
    await context.addInitScript(INSTRUMENT);
    return {
      async newPage() {
        return wrapPlaywright(config, context, await context.newPage());
      },
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: { ...FIREFOX_PREFS, ...(config === 'firefox-nojit' ? NO_JIT_PREFS : {}) },
  });
  return {
    async newPage() {
      const page = await browser.newPage();
      await page.evaluateOnNewDocument(INSTRUMENT);
      return wrapPuppeteer(config, browser, page, profile);
    },
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function wrapPlaywright(config: BrowserConfig, context: BrowserContext, page: PwPage): Page {
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('worker', (w) => w.on('console', () => {}));
  return {
    config,
    requests,
    errors,
    playwright: page,
    async goto(url) {
      await page.goto(url);
    },
    async click(selector) {
      await page.click(selector);
    },
    async fill(selector, value) {
      await page.fill(selector, value);
    },
    async upload(selector, name, data) {
      await page.setInputFiles(selector, { name, mimeType: 'image/jpeg', buffer: Buffer.from(data) });
    },
    async press(key) {
      await page.keyboard.press(key);
    },
    evaluate: (fn, arg) => page.evaluate(fn as never, arg),
    async waitFor(selector, timeoutMs = 30_000) {
      await page.waitForSelector(selector, { timeout: timeoutMs });
    },
    async waitForFunction(expression, timeoutMs = 30_000) {
      await page.waitForFunction(expression, undefined, { timeout: timeoutMs });
    },
    async text(selector) {
      return (await page.textContent(selector)) ?? '';
    },
    cookies: () => context.cookies(),
  };
}

function wrapPuppeteer(config: BrowserConfig, browser: PpBrowser, page: PpPage, profile: string): Page {
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    config,
    requests,
    errors,
    async goto(url) {
      await page.goto(url);
    },
    async click(selector) {
      await page.waitForSelector(selector);
      await page.click(selector);
    },
    async fill(selector, value) {
      await page.waitForSelector(selector);
      await page.evaluate(
        (sel: string, v: string) => {
          const el = document.querySelector(sel) as HTMLInputElement | HTMLTextAreaElement;
          const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
          Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, v);
          el.dispatchEvent(new Event('input', { bubbles: true }));
        },
        selector,
        value,
      );
    },
    async upload(selector, name, data) {
      const file = join(profile, name);
      writeFileSync(file, data);
      const input = await page.$(selector);
      if (!input) throw new Error(`no ${selector}`);
      await (input as unknown as { uploadFile(...p: string[]): Promise<void> }).uploadFile(file);
    },
    async press(key) {
      await page.keyboard.press(key as never);
    },
    evaluate: (fn, arg) => (typeof fn === 'string' ? page.evaluate(fn) : page.evaluate(fn as never, arg as never)) as never,
    async waitFor(selector, timeoutMs = 30_000) {
      await page.waitForSelector(selector, { timeout: timeoutMs });
    },
    async waitForFunction(expression, timeoutMs = 30_000) {
      await page.waitForFunction(expression, { timeout: timeoutMs });
    },
    async text(selector) {
      return page.$eval(selector, (el) => el.textContent ?? '');
    },
    cookies: async () => (await browser.cookies?.()) ?? page.cookies(),
  };
}
