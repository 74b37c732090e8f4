/**
 * Photo cleaning (client/lib/photo.ts, client/lib/jpeg.ts) in chromium, on every path: a
 * small JPEG that needs no resizing, a PNG with text chunks, a JPEG with an EXIF orientation,
 * a large JPEG that is resized, and a browser that blocks canvas read-back (Tor Browser),
 * where the original JPEG is stripped instead. The cleaned bytes hold no EXIF, XMP, comment,
 * text chunk, GPS or planted canary, and no APPn or COM segment anywhere.
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegMetadataSegments } from '../../client/lib/jpeg.js';
import { launch, type Browser, type Page } from './helpers/browsers.js';
import { GPS_LATITUDE, jpegSize } from './helpers/jpeg-exif.js';
import { CANARY, allMarkers, plantJpeg, plantPng } from './helpers/photo-metadata.js';

const SLOW = 120_000;
const repo = resolve(import.meta.dirname, '../..');

let bundle: string;
let browser: Browser;

beforeAll(async () => {
  const out = await build({
    entryPoints: [resolve(repo, 'client/lib/photo.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'photoLib',
    write: false,
    target: 'es2022',
    logLevel: 'silent',
  });
  bundle = `window.photoLib = (function () { ${out.outputFiles[0]!.text}; return photoLib; })(); true`;
  browser = await launch('chromium');
}, SLOW);

afterAll(async () => {
  await browser?.close();
});

/** A page with photo.ts loaded; `blockCanvas` makes canvas read-back blank, as Tor Browser does. */
async function photoPage(blockCanvas = false): Promise<Page> {
  const page = await browser.newPage();
  if (blockCanvas) {
    await page.evaluate(`CanvasRenderingContext2D.prototype.getImageData = function (x, y, w, h) { return new ImageData(w, h); }; true`);
  }
  await page.evaluate(bundle);
  return page;
}

/** An image drawn by the browser: the left half red, the right half blue. */
async function drawn(page: Page, width: number, height: number, type: 'image/jpeg' | 'image/png'): Promise<Uint8Array> {
  const b64 = await page.evaluate(
    async ([w, h, t]: [number, number, string]) => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#ff0000';
      ctx.fillRect(0, 0, w / 2, h);
      ctx.fillStyle = '#0000ff';
      ctx.fillRect(w / 2, 0, w - w / 2, h);
      const blob: Blob = await new Promise((ok) => c.toBlob((b) => ok(b!), t, 0.9));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
    [width, height, type],
  );
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

interface Cleaned {
  bytes: Uint8Array;
  width: number;
  height: number;
  /** Colours at a quarter and three quarters along the diagonal of the cleaned image, decoded again. */
  topLeft: number[];
  bottomRight: number[];
}

type Evaluated = { error: string } | { b64: string; width: number; height: number; topLeft: number[]; bottomRight: number[] };

async function clean(page: Page, input: Uint8Array, type: string): Promise<Cleaned | { error: string }> {
  const r = await page.evaluate<Evaluated>(
    async ([b64, t]: [string, string]): Promise<Evaluated> => {
      const raw = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const lib = (window as unknown as { photoLib: typeof import('../../client/lib/photo.js') }).photoLib;
      let out;
      try {
        out = await lib.cleanPhoto(new Blob([raw], { type: t }));
      } catch (e) {
        return { error: (e as Error).message };
      }
      // Decode the result again: it carries no orientation, so its pixels must already be upright.
      const bmp = await createImageBitmap(new Blob([out.bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const px = (x: number, y: number) => [...ctx.getImageData(x, y, 1, 1).data.subarray(0, 3)];
      let s = '';
      for (let i = 0; i < out.bytes.length; i += 0x8000) s += String.fromCharCode(...out.bytes.subarray(i, i + 0x8000));
      return { b64: btoa(s), width: out.width, height: out.height, topLeft: px(Math.floor(bmp.width / 4), Math.floor(bmp.height / 4)), bottomRight: px(Math.floor((3 * bmp.width) / 4), Math.floor((3 * bmp.height) / 4)) };
    },
    [Buffer.from(input).toString('base64'), type],
  );
  if ('error' in r) return r;
  return { bytes: new Uint8Array(Buffer.from(r.b64, 'base64')), width: r.width, height: r.height, topLeft: r.topLeft, bottomRight: r.bottomRight };
}

function expectCleaned(r: Cleaned | { error: string }): Cleaned {
  if ('error' in r) throw new Error(`cleanPhoto failed: ${r.error}`);
  return r;
}

const has = (hay: Uint8Array, s: string | Uint8Array) => Buffer.from(hay).includes(typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s));

/** The cleaned bytes carry nothing but the image. */
function expectNoMetadata(out: Uint8Array): void {
  expect([...out.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  expect(jpegMetadataSegments(out)).toEqual([]);
  const markers = allMarkers(out);
  const meta = markers.filter((m) => (m >= 0xe0 && m <= 0xef) || m === 0xfe).map((m) => m.toString(16));
  expect(meta, 'APPn or COM segments anywhere in the file').toEqual([]);
  for (const s of [CANARY, 'Exif', 'http://ns.adobe.com', 'xmpmeta', 'GPS', 'tEXt', 'zTXt', 'iTXt', 'eXIf', 'ICC_PROFILE', 'JFIF']) {
    expect(has(out, s), `cleaned photo contains ${s}`).toBe(false);
  }
  const lat = Buffer.alloc(24);
  GPS_LATITUDE.forEach(([a, b], i) => {
    lat.writeUInt32LE(a, 8 * i);
    lat.writeUInt32LE(b, 8 * i + 4);
  });
  expect(has(out, lat), 'GPS latitude rationals').toBe(false);
}

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const near = (px: number[], want: number[]) => px.every((v, i) => Math.abs(v - want[i]!) <= 40);

describe('photo cleaning in chromium', () => {
  it(
    'a small JPEG that needs no resizing: same size, no EXIF, XMP, comment or GPS',
    async () => {
      const page = await photoPage();
      const input = plantJpeg(await drawn(page, 64, 48, 'image/jpeg'), 1);
      expect(jpegMetadataSegments(input)).toEqual(expect.arrayContaining(['APP1:Exif', 'APP1:http:/', 'COM']));
      expect(has(input, CANARY)).toBe(true);
      const r = expectCleaned(await clean(page, input, 'image/jpeg'));
      expect([r.width, r.height]).toEqual([64, 48]);
      expect(jpegSize(r.bytes)).toEqual({ width: 64, height: 48 });
      expectNoMetadata(r.bytes);
      expect(near(r.topLeft, RED) && near(r.bottomRight, BLUE), `${r.topLeft} ${r.bottomRight}`).toBe(true);
    },
    SLOW,
  );

  it(
    'a PNG with tEXt, zTXt, iTXt and eXIf chunks becomes a JPEG without any of them',
    async () => {
      const page = await photoPage();
      const input = plantPng(await drawn(page, 64, 48, 'image/png'));
      expect(has(input, CANARY) && has(input, 'iTXt') && has(input, 'eXIf')).toBe(true);
      const r = expectCleaned(await clean(page, input, 'image/png'));
      expect(jpegSize(r.bytes)).toEqual({ width: 64, height: 48 });
      expectNoMetadata(r.bytes);
    },
    SLOW,
  );

  it(
    'an EXIF orientation is applied to the pixels and the tag is gone',
    async () => {
      const page = await photoPage();
      // Orientation 6: the stored image is shown turned 90° clockwise, so its left (red) half ends on top.
      const input = plantJpeg(await drawn(page, 80, 40, 'image/jpeg'), 6);
      const r = expectCleaned(await clean(page, input, 'image/jpeg'));
      expect([r.width, r.height]).toEqual([40, 80]);
      expect(jpegSize(r.bytes)).toEqual({ width: 40, height: 80 });
      expect(near(r.topLeft, RED), `top ${r.topLeft}`).toBe(true);
      expect(near(r.bottomRight, BLUE), `bottom ${r.bottomRight}`).toBe(true);
      expectNoMetadata(r.bytes);
    },
    SLOW,
  );

  it(
    'a large JPEG is resized to 1600 pixels on its long side, without metadata',
    async () => {
      const page = await photoPage();
      const input = plantJpeg(await drawn(page, 3000, 2000, 'image/jpeg'), 1);
      const r = expectCleaned(await clean(page, input, 'image/jpeg'));
      expect(jpegSize(r.bytes)).toEqual({ width: 1600, height: 1067 });
      expectNoMetadata(r.bytes);
    },
    SLOW,
  );

  it(
    'with canvas read-back blocked, the original JPEG is stripped (same pixels data, no metadata) and a PNG is refused',
    async () => {
      const page = await photoPage(true);
      expect(await page.evaluate('window.photoLib.canvasReadable()')).toBe(false);
      const original = await drawn(page, 64, 48, 'image/jpeg');
      const r = expectCleaned(await clean(page, plantJpeg(original, 1), 'image/jpeg'));
      expect(jpegSize(r.bytes)).toEqual({ width: 64, height: 48 });
      expectNoMetadata(r.bytes);
      // The scan data is the original's, byte for byte.
      const sos = (b: Uint8Array) => Buffer.from(b).subarray(Buffer.from(b).indexOf(Buffer.from([0xff, 0xda])));
      expect(sos(r.bytes).equals(sos(original))).toBe(true);
      expect(await clean(page, plantPng(await drawn(page, 64, 48, 'image/png')), 'image/png')).toEqual({ error: 'blocked' });
    },
    SLOW,
  );
});
