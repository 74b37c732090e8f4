/**
 * Builds the EXIF (APP1) segment of a phone photo by hand, with GPS coordinates, a camera
 * make and a description carrying a marker string, and inserts it into a JPEG. Tests use it
 * to prove the browser's photo cleaning removes all of it.
 */

/** Strings that must never appear in a cleaned photo. */
export const EXIF_MARKERS = ['TIPLINE-SECRET-DESCRIPTION', 'TiplineTestCam'] as const;
/** Latitude 51° 30' 26.46" N, longitude 0° 7' 39.93" W, as EXIF rationals. */
export const GPS_LATITUDE: readonly [number, number][] = [
  [51, 1],
  [30, 1],
  [2646, 100],
];
export const GPS_LONGITUDE: readonly [number, number][] = [
  [0, 1],
  [7, 1],
  [3993, 100],
];

const ASCII = 2;
const LONG = 4;
const RATIONAL = 5;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Either an inline 4-byte value or data stored after the IFD. */
  data: Uint8Array;
}

function ascii(s: string): Uint8Array {
  return new Uint8Array([...Buffer.from(s + '\0', 'latin1')]);
}

function rationals(v: readonly [number, number][]): Uint8Array {
  const b = Buffer.alloc(8 * v.length);
  v.forEach(([n, d], i) => {
    b.writeUInt32LE(n, 8 * i);
    b.writeUInt32LE(d, 8 * i + 4);
  });
  return new Uint8Array(b);
}

/** One IFD at `offset` (from the TIFF header), little endian, values longer than 4 bytes after it. */
function ifd(entries: Entry[], offset: number, next = 0): Uint8Array {
  const headerSize = 2 + 12 * entries.length + 4;
  const out = Buffer.alloc(headerSize + entries.reduce((n, e) => n + (e.data.length > 4 ? e.data.length + (e.data.length % 2) : 0), 0));
  out.writeUInt16LE(entries.length, 0);
  let dataAt = headerSize;
  entries.forEach((e, i) => {
    const p = 2 + 12 * i;
    out.writeUInt16LE(e.tag, p);
    out.writeUInt16LE(e.type, p + 2);
    out.writeUInt32LE(e.count, p + 4);
    if (e.data.length <= 4) {
      out.set(e.data, p + 8);
    } else {
      out.writeUInt32LE(offset + dataAt, p + 8);
      out.set(e.data, dataAt);
      dataAt += e.data.length + (e.data.length % 2);
    }
  });
  out.writeUInt32LE(next, 2 + 12 * entries.length);
  return new Uint8Array(out);
}

function u32(n: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return new Uint8Array(b);
}

/** The APP1 segment (marker, length, "Exif\0\0", TIFF) with IFD0 (Make, ImageDescription, GPS pointer) and a GPS IFD. */
export function exifApp1(): Uint8Array {
  const desc = ascii(EXIF_MARKERS[0]);
  const make = ascii(EXIF_MARKERS[1]);
  const ifd0Offset = 8;
  // IFD0 size: 2 + 3*12 + 4 + data (desc and make, each padded to even).
  const ifd0Size = 2 + 3 * 12 + 4 + desc.length + (desc.length % 2) + make.length + (make.length % 2);
  const gpsOffset = ifd0Offset + ifd0Size;
  const ifd0 = ifd(
    [
      { tag: 0x010e, type: ASCII, count: desc.length, data: desc },
      { tag: 0x010f, type: ASCII, count: make.length, data: make },
      { tag: 0x8825, type: LONG, count: 1, data: u32(gpsOffset) },
    ],
    ifd0Offset,
  );
  if (ifd0.length !== ifd0Size) throw new Error('exif layout');
  const gps = ifd(
    [
      { tag: 0x0001, type: ASCII, count: 2, data: ascii('N') },
      { tag: 0x0002, type: RATIONAL, count: 3, data: rationals(GPS_LATITUDE) },
      { tag: 0x0003, type: ASCII, count: 2, data: ascii('W') },
      { tag: 0x0004, type: RATIONAL, count: 3, data: rationals(GPS_LONGITUDE) },
    ],
    gpsOffset,
  );
  const tiff = Buffer.concat([Buffer.from('II*\0', 'latin1'), Buffer.from(u32(ifd0Offset)), Buffer.from(ifd0), Buffer.from(gps)]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const seg = Buffer.alloc(4 + payload.length);
  seg[0] = 0xff;
  seg[1] = 0xe1;
  seg.writeUInt16BE(payload.length + 2, 2);
  payload.copy(seg, 4);
  return new Uint8Array(seg);
}

/** A COM segment, which some cameras and editors fill with text. */
export function comment(text: string): Uint8Array {
  const t = Buffer.from(text, 'latin1');
  const seg = Buffer.alloc(4 + t.length);
  seg[0] = 0xff;
  seg[1] = 0xfe;
  seg.writeUInt16BE(t.length + 2, 2);
  t.copy(seg, 4);
  return new Uint8Array(seg);
}

/** The JPEG with the EXIF segment (and a comment) inserted right after SOI, as cameras write it. */
export function withExif(jpeg: Uint8Array): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a jpeg');
  return new Uint8Array(Buffer.concat([Buffer.from(jpeg.subarray(0, 2)), Buffer.from(exifApp1()), Buffer.from(comment(EXIF_MARKERS[0])), Buffer.from(jpeg.subarray(2))]));
}

/** Width and height from the first SOFn segment. @throws when there is none */
export function jpegSize(jpeg: Uint8Array): { width: number; height: number } {
  let i = 2;
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) throw new Error('invalid jpeg');
    const m = jpeg[i + 1]!;
    const len = (jpeg[i + 2]! << 8) | jpeg[i + 3]!;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      return { height: (jpeg[i + 5]! << 8) | jpeg[i + 6]!, width: (jpeg[i + 7]! << 8) | jpeg[i + 8]! };
    }
    i += 2 + len;
  }
  throw new Error('no frame header');
}

/** True when `needle` occurs in `hay`. */
export function containsBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay).indexOf(Buffer.from(needle)) !== -1;
}
