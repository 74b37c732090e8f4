/**
 * The reporter's app in real browsers against a real server: a full report with a photo in
 * chromium and firefox-esr, each also with the JIT (and in Firefox WebAssembly) turned off as
 * Tor Browser's "Safer" level does; the follow-up round trip; no traces on the device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type BrowserConfig } from './helpers/browsers.js';
import { startStack, type Stack } from './helpers/stack.js';
import { SLOW, cameraPhoto, checkNoTraces, checkStoredReport, fillWizard, followUpRoundTrip, sendAndGetCode } from './journey.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, SLOW);

afterAll(async () => {
  await stack?.close();
});

const CONFIGS: BrowserConfig[] = ['chromium', 'chromium-jitless', 'firefox', 'firefox-nojit'];

describe.each(CONFIGS)('%s', (config) => {
  it(
    'sends a full report with a cleaned photo, reads a reply and sends more details, leaving no trace',
    async () => {
      const browser = await launch(config);
      try {
        const page = await browser.newPage();
        await page.goto(`${stack.url}/`);
        if (config === 'firefox-nojit' || config === 'chromium-jitless') {
          // The flags took effect: without a JIT (and in Firefox with the pref off) there is no WebAssembly.
          expect(await page.evaluate('typeof WebAssembly')).toBe('undefined');
        }
        // A proof-of-work worker that cannot start (a chunk it imports missing or refused) falls
        // back to the page without a sign: count the answers that come from a worker.
        await page.evaluate(() => {
          const w = window as unknown as { Worker: typeof Worker; __powDone: number };
          const Native = w.Worker;
          w.__powDone = 0;
          w.Worker = class extends Native {
            constructor(url: string | URL, options?: WorkerOptions) {
              super(url, options);
              this.addEventListener('message', (e: MessageEvent<{ type?: string }>) => {
                if (e.data?.type === 'done') w.__powDone++;
              });
            }
          };
        });
        const photo = await cameraPhoto(page);
        await fillWizard(page, photo);
        const code = await sendAndGetCode(page);
        expect(await page.evaluate(() => (window as unknown as { __powDone: number }).__powDone)).toBeGreaterThan(0);
        await checkNoTraces(page, stack);
        const { id, replyRecipient } = await checkStoredReport(stack, code, 'en', true);
        await followUpRoundTrip(page, stack, code, id, replyRecipient);
        await checkNoTraces(page, stack);
      } finally {
        await browser.close();
      }
    },
    SLOW * 3,
  );
});
