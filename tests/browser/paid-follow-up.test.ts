/**
 * A follow-up past the free ones the report paid for (issue 8): with none free, the
 * follow-up page is asked for proof of work, fetches a fresh challenge, solves it and sends
 * the details again with the stamp. One browser is enough: the path is the same code.
 */
import { afterAll, beforeAll, it } from 'vitest';
import { launch } from './helpers/browsers.js';
import { startStack, type Stack } from './helpers/stack.js';
import { SLOW, cameraPhoto, checkStoredReport, fillWizard, followUpRoundTrip, sendAndGetCode } from './journey.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ freeFollowUps: 0 });
}, SLOW);

afterAll(async () => {
  await stack?.close();
});

it(
  'chromium: a report, then a follow-up paid with a fresh stamp when the server asks for one',
  async () => {
    const browser = await launch('chromium');
    try {
      const page = await browser.newPage();
      await page.goto(`${stack.url}/`);
      await fillWizard(page, await cameraPhoto(page));
      const code = await sendAndGetCode(page);
      const { id, replyRecipient } = await checkStoredReport(stack, code, 'en', true);
      // With no free follow-ups, the details reach the coordinator only if the page paid for them.
      await followUpRoundTrip(page, stack, code, id, replyRecipient);
    } finally {
      await browser.close();
    }
  },
  SLOW * 3,
);
