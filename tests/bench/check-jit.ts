/**
 * One private check (issue 11) in chromium, with and without `--js-flags=--jitless`: a real
 * server (tests/browser/helpers/stack.ts), a member logged in on the /check page, the time from
 * pressing "Check" to the answer on screen: Argon2id in the page's worker, blind, the blinded
 * request, finalize and the comparison. The requirement is at most 3 s jitless on this machine.
 */
import { performance } from 'node:perf_hooks';
import { bytes, encrypt, keyringRecipients, solvePow } from '../../crypto/index.js';
import { launch, type BrowserConfig } from '../browser/helpers/browsers.js';
import { startStack, type Stack } from '../browser/helpers/stack.js';
import { against, summarize, type Row, type Section } from './harness.js';

const LOGIN = 'bench-checker';
const PASS = 'correct horse battery staple';
const SAMPLES = 4;

async function member(stack: Stack): Promise<void> {
  const { challenge, difficulty } = (await (await fetch(`${stack.url}/api/pow`)).json()) as { challenge: string; difficulty: number };
  const application = bytes.base64Padded(await encrypt(keyringRecipients(stack.keyring), bytes.utf8('{}')));
  const r = await fetch(`${stack.url}/api/members/apply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tipline-pow': await solvePow(challenge, difficulty) },
    body: JSON.stringify({ login: LOGIN, passphrase: PASS, application }),
  });
  const { id } = (await r.json()) as { id: string };
  await stack.coordinatorFetch('POST', `/api/coordinator/applications/${id}`, { decision: 'approve' });
}

/** Milliseconds per check: the first (fresh worker code) and the later ones. */
async function checks(stack: Stack, config: BrowserConfig): Promise<number[]> {
  const browser = await launch(config);
  try {
    const page = await browser.newPage();
    const pw = page.playwright!;
    await page.goto(`${stack.url}/login`);
    await page.waitFor('input[name="login"]');
    await page.fill('input[name="login"]', LOGIN);
    await page.fill('input[name="passphrase"]', PASS);
    await page.click('button[type="submit"]');
    await pw.waitForURL(/\/warnings$/, { timeout: 120_000 });
    await page.goto(`${stack.url}/check`);
    await page.waitFor('#check-value', 120_000);
    const out: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await page.fill('#check-value', `07700 90012${i}`);
      const t0 = performance.now();
      await page.click('.check-form button[type="submit"]');
      await pw.waitForSelector('.check-answer .not-found, .check-answer .found, .check-answer .error', { timeout: 120_000 });
      out.push(performance.now() - t0);
      if (await pw.$('.check-answer .error')) throw new Error(`check failed: ${await page.text('.check-answer')}`);
    }
    return out;
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<Section> {
  const stack = await startStack({ powDifficulty: 4 });
  try {
    await member(stack);
    const jit = await checks(stack, 'chromium');
    const jitless = await checks(stack, 'chromium-jitless');
    const row = (mode: string, ms: number[]): [Row, Row] => {
      const later = summarize(ms.slice(1).map((m) => m / 1000));
      return [
        { name: `one check · chromium ${mode} · first`, value: ms[0]!, unit: 'ms' },
        { name: `one check · chromium ${mode} · later`, value: later.perOp * 1000, unit: 'ms', spread: later.spread },
      ];
    };
    const [jf, jl] = row('JIT', jit);
    const [lf, ll] = row('--jitless', jitless);
    return {
      title: 'private check (Argon2id m=8 MiB t=1 + blinded OPRF round trip) in chromium, with and without the JIT',
      rows: [jf, jl, against(lf, jf, 'JIT'), against(ll, jl, 'JIT')],
      notes: [
        `time from pressing "Check" to the answer on the /check page, a server on 127.0.0.1; ${SAMPLES} checks per mode, first = the page's first check, later = median of the others.`,
        'requirement (issue 11): at most 3000 ms with --js-flags=--jitless on this machine (Tor Browser "Safer" turns the JIT off).',
      ],
    };
  } finally {
    await stack.close();
  }
}
