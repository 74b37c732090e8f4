/**
 * More than one coordinator: a report with two photos, sent from chromium, reaches every
 * coordinator in the keyring. Each coordinator decrypts the report and every attachment with
 * its own identity alone, and each file has exactly one stanza per coordinator.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HybridIdentity, bytes, decrypt, inspect } from '../../crypto/index.js';
import { decodeReport } from '../../crypto/report.js';
import { deriveMailbox } from '../../crypto/receipt.js';
import { jpegMetadataSegments } from '../../client/lib/jpeg.js';
import { launch, type Page } from './helpers/browsers.js';
import { jpegSize, withExif } from './helpers/jpeg-exif.js';
import { startStack, type Stack } from './helpers/stack.js';
import { SLOW, cameraPhoto, expectedReport, fillWizard, sendAndGetCode } from './journey.js';

const COORDINATORS = 3;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ coordinators: COORDINATORS });
}, SLOW);

afterAll(async () => {
  await stack?.close();
});

/** A second, smaller photo (800 × 600, no resizing needed), with EXIF. */
async function smallPhoto(page: Page): Promise<Uint8Array> {
  const b64 = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 800;
    c.height = 600;
    const g = c.getContext('2d')!;
    g.fillStyle = '#336699';
    g.fillRect(0, 0, 800, 600);
    g.fillStyle = '#ffcc00';
    g.fillRect(100, 100, 300, 200);
    const blob: Blob = await new Promise((ok) => c.toBlob((b) => ok(b!), 'image/jpeg', 0.9));
    const u = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
    return btoa(s);
  });
  return withExif(new Uint8Array(Buffer.from(b64, 'base64')));
}

it(
  `chromium: the report and both photos reach each of ${COORDINATORS} coordinators`,
  async () => {
    expect(stack.coordinators).toHaveLength(COORDINATORS);
    const browser = await launch('chromium');
    let code: string;
    try {
      const page = await browser.newPage();
      await page.goto(`${stack.url}/`);
      await fillWizard(page, [await cameraPhoto(page), await smallPhoto(page)]);
      code = await sendAndGetCode(page);
    } finally {
      await browser.close();
    }
    const replyRecipient = (await deriveMailbox(code)).replyIdentity.recipient().toString();

    // The stored files as the server holds them.
    const list = (await (await stack.coordinatorFetch('GET', '/api/coordinator/reports')).json()) as { reports: { id: string }[] };
    expect(list.reports).toHaveLength(1);
    const stored = (await (await stack.coordinatorFetch('GET', `/api/coordinator/reports/${list.reports[0]!.id}`)).json()) as {
      report: string;
      attachments: { id: string }[];
    };
    expect(stored.attachments).toHaveLength(2);
    const files = [bytes.fromBase64Padded(stored.report)];
    for (const a of stored.attachments) {
      const r = await stack.coordinatorFetch('GET', `/api/coordinator/attachments/${a.id}`);
      expect(r.status).toBe(200);
      files.push(new Uint8Array(await r.arrayBuffer()));
    }

    let first: Uint8Array[] | undefined;
    for (const [i, c] of stack.coordinators.entries()) {
      // Each coordinator, with its own identity alone, opens every file.
      const plain: Uint8Array[] = [];
      for (const f of files) plain.push(await decrypt([c.identity], f));
      const { replyRecipient: rr, ...report } = decodeReport(plain[0]!);
      expect(rr, `coordinator ${i + 1}`).toBe(replyRecipient);
      expect(report, `coordinator ${i + 1}`).toEqual(expectedReport('en'));
      const sizes = plain.slice(1).map((j) => jpegSize(j));
      expect(sizes).toEqual(expect.arrayContaining([{ width: 1600, height: 1200 }, { width: 800, height: 600 }]));
      for (const j of plain.slice(1)) expect(jpegMetadataSegments(j)).toEqual([]);
      if (first) plain.forEach((p, k) => expect(Buffer.from(p).equals(Buffer.from(first![k]!)), `file ${k}`).toBe(true));
      else first = plain;
    }

    // One stanza per coordinator in every file, and nobody else can open them.
    for (const f of files) {
      const header = inspect(f);
      expect(header.stanzas.map((s) => s.args[0])).toEqual(Array(COORDINATORS).fill('mlkem768x25519'));
      await expect(decrypt([HybridIdentity.generate()], f)).rejects.toThrow();
    }
  },
  SLOW * 3,
);
