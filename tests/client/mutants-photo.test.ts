/**
 * client/lib/photo.ts in node, for mutation testing: the decisions it makes around the
 * browser's image APIs (scale to fit, which path strips metadata, which failure is which,
 * the canvas read-back probe). The browser's canvas and createImageBitmap are stood in for by
 * a small fake that records what was drawn and "encodes" a JPEG carrying EXIF, as real
 * encoders may; the real pixels are tested in real browsers (tests/browser). Written to kill
 * mutants StrykerJS found surviving (`npm run mutate -- photo`).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jpegMetadataSegments } from '../../client/lib/jpeg.js';
import { EXIF_MARKERS, containsBytes, withExif } from '../browser/helpers/jpeg-exif.js';

type PhotoModule = typeof import('../../client/lib/photo.js');

/** A synthetic well-formed baseline JPEG (as in tests/browser/unit.test.ts). */
function syntheticJpeg(): Uint8Array {
  const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  return new Uint8Array([
    0xff,
    0xd8,
    ...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...seg(0xdb, [0, ...new Array(64).fill(1)]),
    ...seg(0xc0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]),
    ...seg(0xc4, [0, ...new Array(16).fill(0)]),
    ...seg(0xda, [1, 1, 0, 0, 63, 0]),
    0x12,
    0x34,
    0xff,
    0xd9,
  ]);
}

interface World {
  /** Added to every channel read back from a canvas (Tor Browser returns noise or blanks). */
  readNoise: number;
  /** getImageData returns zeros (read-back blocked). */
  readBlank: boolean;
  /** What canvas.toBlob produces (null: the browser refused). */
  encoded: Uint8Array | null;
  /** getContext('2d') returns null for the drawing canvas. */
  noContext: boolean;
  /** getContext('2d') returns null for the read-back probe canvas. */
  probeNoContext: boolean;
  log: string[];
  closed: number;
}

let w: World;

class FakeContext {
  fillStyle = '';
  imageSmoothingQuality = '';
  private px = new Map<number, number[]>();
  constructor(private readonly canvas: FakeCanvas) {}
  fillRect(x: number, y: number, width: number, height: number): void {
    w.log.push(`fillRect ${this.fillStyle} ${x},${y},${width},${height}`);
    const hex = this.fillStyle.replace('#', '');
    this.px.set(x, [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  }
  getImageData(_x: number, _y: number, width: number): { data: Uint8ClampedArray } {
    const d = new Uint8ClampedArray(width * 4);
    if (w.readBlank) return { data: d };
    for (let x = 0; x < width; x++) {
      const [r, g, b] = this.px.get(x) ?? [0, 0, 0];
      d.set([r! + w.readNoise, g! + w.readNoise, b! + w.readNoise, 255], x * 4);
    }
    return { data: d };
  }
  drawImage(_bitmap: unknown, x: number, y: number, width: number, height: number): void {
    w.log.push(`drawImage ${x},${y},${width},${height} on ${this.canvas.width}x${this.canvas.height} smoothing=${this.imageSmoothingQuality}`);
  }
}

class FakeCanvas {
  width = 300;
  height = 150;
  getContext(kind: string, opts?: { alpha?: boolean; willReadFrequently?: boolean }): FakeContext | null {
    if (kind !== '2d') return null;
    if (opts?.willReadFrequently && w.probeNoContext) return null;
    if (opts?.alpha === false) {
      w.log.push('getContext opaque');
      if (w.noContext) return null;
    }
    return new FakeContext(this);
  }
  toBlob(cb: (b: Blob | null) => void, type: string, quality: number): void {
    w.log.push(`toBlob ${type} ${quality}`);
    queueMicrotask(() => cb(w.encoded ? new Blob([w.encoded as Uint8Array<ArrayBuffer>]) : null));
  }
}

/** createImageBitmap: a blob starting `WxH;` decodes to that size, 'not an image' fails, anything else is 16x16. */
async function fakeCreateImageBitmap(blob: Blob, opts?: { imageOrientation?: string }) {
  w.log.push(`decode orientation=${opts?.imageOrientation}`);
  const b = new Uint8Array(await blob.arrayBuffer());
  const text = new TextDecoder().decode(b.subarray(0, 20));
  if (text.startsWith('not an image')) throw new DOMException('bad image', 'InvalidStateError');
  const m = /^(\d+)x(\d+);/.exec(text);
  if (!m) return { width: 16, height: 16, close: () => w.closed++ };
  return { width: Number(m[1]), height: Number(m[2]), close: () => w.closed++ };
}

const imageOf = (width: number, height: number) => new Blob([`${width}x${height};pixels`]);

let photo: PhotoModule;

beforeEach(async () => {
  w = { readNoise: 0, readBlank: false, encoded: withExif(syntheticJpeg()), noContext: false, probeNoContext: false, log: [], closed: 0 };
  vi.stubGlobal('document', { createElement: (tag: string) => (tag === 'canvas' ? new FakeCanvas() : null) });
  vi.stubGlobal('createImageBitmap', fakeCreateImageBitmap);
  // canvasReadable() caches its answer per page load: a fresh module per test.
  vi.resetModules();
  photo = await import('../../client/lib/photo.js');
});
afterEach(() => vi.unstubAllGlobals());

const clean = (b: Uint8Array) => {
  expect(jpegMetadataSegments(b)).toEqual([]);
  for (const m of EXIF_MARKERS) expect(containsBytes(b, new TextEncoder().encode(m))).toBe(false);
};

describe('cleanPhoto with canvas read-back', () => {
  it('scales a large photo to fit MAX_SIDE, keeping its shape, on an opaque white canvas, and strips what the encoder wrote', async () => {
    const out = await photo.cleanPhoto(imageOf(4000, 3000));
    expect(photo.MAX_SIDE).toBe(1600);
    expect({ width: out.width, height: out.height }).toEqual({ width: 1600, height: 1200 });
    clean(out.bytes);
    const draw = w.log.slice(w.log.indexOf('getContext opaque'));
    expect(draw).toEqual([
      'getContext opaque',
      'fillRect #ffffff 0,0,1600,1200',
      'drawImage 0,0,1600,1200 on 1600x1200 smoothing=high',
      'toBlob image/jpeg 0.85',
    ]);
    expect(w.closed).toBe(1);
    // The orientation tag is applied while decoding: it is gone from the re-encoded file.
    expect(w.log[0]).toBe('decode orientation=from-image');
  });

  it('scales a tall photo by its height, and never below one pixel', async () => {
    expect(await photo.cleanPhoto(imageOf(1000, 3200))).toMatchObject({ width: 500, height: 1600 });
    expect(await photo.cleanPhoto(imageOf(1, 5000))).toMatchObject({ width: 1, height: 1600 });
    expect(await photo.cleanPhoto(imageOf(5000, 1))).toMatchObject({ width: 1600, height: 1 });
  });

  it('does not enlarge a small photo (re-encoded all the same)', async () => {
    const out = await photo.cleanPhoto(imageOf(40, 30));
    expect({ width: out.width, height: out.height }).toEqual({ width: 40, height: 30 });
    expect(w.log).toContain('drawImage 0,0,40,30 on 40x30 smoothing=high');
    clean(out.bytes);
  });

  it('refuses what the browser cannot decode, closing nothing it did not open', async () => {
    await expect(photo.cleanPhoto(new Blob(['not an image']))).rejects.toEqual(new photo.PhotoError('not-image'));
    expect(w.closed).toBe(0);
  });

  it('is blocked when there is no opaque 2D context, when the encoder gives nothing, or gives no JPEG', async () => {
    w.noContext = true;
    await expect(photo.cleanPhoto(imageOf(10, 10))).rejects.toMatchObject({ name: 'PhotoError', kind: 'blocked', message: 'blocked' });
    w.noContext = false;
    w.encoded = null;
    await expect(photo.cleanPhoto(imageOf(10, 10))).rejects.toMatchObject({ kind: 'blocked' });
    w.encoded = new TextEncoder().encode('PNG pretending');
    await expect(photo.cleanPhoto(imageOf(10, 10))).rejects.toMatchObject({ kind: 'blocked' });
    expect(w.closed).toBe(3);
  });
});

describe('canvasReadable', () => {
  it('is true when the probe colours come back within the tolerance, and remembers it', () => {
    w.readNoise = 16;
    expect(photo.canvasReadable()).toBe(true);
    expect(w.log.filter((l) => l.startsWith('fillRect'))).toEqual([
      'fillRect #ff0000 0,0,1,1',
      'fillRect #00ff00 1,0,1,1',
      'fillRect #0000ff 2,0,1,1',
      'fillRect #202020 3,0,1,1',
    ]);
    w.readBlank = true;
    expect(photo.canvasReadable()).toBe(true);
  });

  it('is false when read-back returns noise beyond the tolerance', () => {
    w.readNoise = 17;
    expect(photo.canvasReadable()).toBe(false);
  });

  it('is false when read-back is blank (Tor Browser)', () => {
    w.readBlank = true;
    expect(photo.canvasReadable()).toBe(false);
  });

  it('is false when the probe canvas has no 2D context', () => {
    w.probeNoContext = true;
    expect(photo.canvasReadable()).toBe(false);
  });

  it('is false when creating the canvas throws', () => {
    vi.stubGlobal('document', {
      createElement: () => {
        throw new Error('no DOM');
      },
    });
    expect(photo.canvasReadable()).toBe(false);
  });
});

describe('cleanPhoto without canvas read-back', () => {
  it('strips the metadata from the original JPEG and keeps its size', async () => {
    w.readBlank = true;
    const out = await photo.cleanPhoto(new Blob([withExif(syntheticJpeg()) as Uint8Array<ArrayBuffer>]));
    clean(out.bytes);
    expect({ width: out.width, height: out.height }).toEqual({ width: 16, height: 16 });
    expect(w.log.some((l) => l.startsWith('toBlob') || l.startsWith('drawImage'))).toBe(false);
    expect(w.closed).toBe(1);
  });

  it('wipes the bytes it read from the original file, whether they strip cleanly or not', async () => {
    w.readBlank = true;
    for (const original of [withExif(syntheticJpeg()), new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00])]) {
      // The file hands out this very buffer, so what cleanPhoto read is visible here afterwards.
      const read = original.slice().buffer;
      const file = new Blob([original as Uint8Array<ArrayBuffer>]);
      Object.defineProperty(file, 'arrayBuffer', { value: () => Promise.resolve(read) });
      const out = await photo.cleanPhoto(file).catch((e: unknown) => e);
      expect(new Uint8Array(read).every((b) => b === 0)).toBe(true);
      if (original.length > 5) clean((out as { bytes: Uint8Array }).bytes);
      else expect(out).toMatchObject({ kind: 'not-image' });
    }
  });

  it('is blocked for anything but a JPEG, and refuses a broken JPEG as not an image', async () => {
    w.readBlank = true;
    await expect(photo.cleanPhoto(imageOf(10, 10))).rejects.toMatchObject({ kind: 'blocked' });
    // The JPEG signature is three bytes: FF D8 FF.
    const broken = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00]);
    await expect(photo.cleanPhoto(new Blob([broken]))).rejects.toMatchObject({ kind: 'not-image' });
    const notQuite = new Uint8Array([0xff, 0xd8, 0x00, ...syntheticJpeg().subarray(3)]);
    await expect(photo.cleanPhoto(new Blob([notQuite]))).rejects.toMatchObject({ kind: 'blocked' });
    for (const sig of [[0x00, 0xd8, 0xff], [0xff, 0x00, 0xff]]) {
      const off = new Uint8Array([...sig, ...syntheticJpeg().subarray(3)]);
      await expect(photo.cleanPhoto(new Blob([off]))).rejects.toMatchObject({ kind: 'blocked' });
    }
    const tooShort = new Uint8Array([0xff, 0xd8, 0xff]);
    await expect(photo.cleanPhoto(new Blob([tooShort]))).rejects.toMatchObject({ kind: 'blocked' });
    expect(w.closed).toBe(6);
  });
});

describe('drawPreview', () => {
  it('draws the cleaned bytes scaled to maxSide (480 by default) and closes the bitmap', async () => {
    const canvas = new FakeCanvas();
    await photo.drawPreview({ bytes: syntheticJpeg(), width: 16, height: 16 }, canvas as unknown as HTMLCanvasElement, 8);
    expect({ width: canvas.width, height: canvas.height }).toEqual({ width: 8, height: 8 });
    expect(w.log).toContain('drawImage 0,0,8,8 on 8x8 smoothing=');
    const big = new FakeCanvas();
    await photo.drawPreview({ bytes: syntheticJpeg(), width: 16, height: 16 }, big as unknown as HTMLCanvasElement);
    expect({ width: big.width, height: big.height }).toEqual({ width: 16, height: 16 });
    const wide = new FakeCanvas();
    await photo.drawPreview({ bytes: new TextEncoder().encode('40x20;'), width: 40, height: 20 }, wide as unknown as HTMLCanvasElement, 10);
    expect({ width: wide.width, height: wide.height }).toEqual({ width: 10, height: 5 });
    expect(w.closed).toBe(3);
  });
});
