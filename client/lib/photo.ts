/**
 * Photos are re-encoded on the device before they are encrypted: decoded, drawn onto a
 * canvas at most MAX_SIDE pixels wide or high, exported as a fresh JPEG, and stripped of
 * any APPn/COM segment. EXIF (with GPS), XMP, ICC profiles, thumbnails and comments are gone.
 */
import { stripJpegMetadata } from './jpeg.js';

export const MAX_SIDE = 1600;
export const MAX_PHOTOS = 6;
const QUALITY = 0.85;

export class PhotoError extends Error {
  constructor(readonly kind: 'not-image' | 'blocked') {
    super(kind);
    this.name = 'PhotoError';
  }
}

export interface CleanPhoto {
  /** The JPEG that will be encrypted and sent. */
  bytes: Uint8Array;
  width: number;
  height: number;
}

let readable: boolean | undefined;

/**
 * Whether this browser gives back what was drawn on a canvas. Tor Browser (and Firefox with
 * resistFingerprinting) blocks canvas read-back, returning blank data, which would silently
 * turn every photo white.
 */
export function canvasReadable(): boolean {
  if (readable !== undefined) return readable;
  try {
    const c = document.createElement('canvas');
    c.width = 4;
    c.height = 1;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    if (!ctx) return (readable = false);
    const colours = ['#ff0000', '#00ff00', '#0000ff', '#202020'];
    colours.forEach((col, x) => {
      ctx.fillStyle = col;
      ctx.fillRect(x, 0, 1, 1);
    });
    const d = ctx.getImageData(0, 0, 4, 1).data;
    const want = [255, 0, 0, 0, 255, 0, 0, 0, 255, 32, 32, 32];
    readable = want.every((v, k) => Math.abs(d[Math.floor(k / 3) * 4 + (k % 3)]! - v) <= 16);
  } catch {
    readable = false;
  }
  return readable;
}

function toBlob(canvas: HTMLCanvasElement, type: string, quality: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

async function decode(blob: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch {
    throw new PhotoError('not-image');
  }
}

function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/**
 * Clean one photo.
 * @throws PhotoError('not-image') when the browser cannot decode it
 * @throws PhotoError('blocked') when canvas read-back is blocked and the file is not a JPEG that can be stripped instead
 */
export async function cleanPhoto(file: Blob): Promise<CleanPhoto> {
  const bitmap = await decode(file);
  try {
    if (!canvasReadable()) {
      // Without canvas read-back the only safe path is removing metadata from the original JPEG.
      const original = new Uint8Array(await file.arrayBuffer());
      if (!isJpeg(original)) throw new PhotoError('blocked');
      let bytes: Uint8Array;
      try {
        bytes = stripJpegMetadata(original);
      } catch {
        throw new PhotoError('not-image');
      } finally {
        original.fill(0);
      }
      return { bytes, width: bitmap.width, height: bitmap.height };
    }
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new PhotoError('blocked');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, width, height);
    const blob = await toBlob(canvas, 'image/jpeg', QUALITY);
    canvas.width = canvas.height = 0;
    if (!blob) throw new PhotoError('blocked');
    const encoded = new Uint8Array(await blob.arrayBuffer());
    let bytes: Uint8Array;
    try {
      bytes = stripJpegMetadata(encoded);
    } catch {
      throw new PhotoError('blocked');
    }
    return { bytes, width, height };
  } finally {
    bitmap.close();
  }
}

/** Draw the cleaned bytes (decoded again, so the reporter sees exactly what is sent) onto a canvas. */
export async function drawPreview(photo: CleanPhoto, canvas: HTMLCanvasElement, maxSide = 480): Promise<void> {
  const bitmap = await decode(new Blob([photo.bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  } finally {
    bitmap.close();
  }
}
