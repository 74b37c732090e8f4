/**
 * Metadata planted in test images, the way cameras, phones and editors write it: EXIF with an
 * orientation, a description and GPS; XMP; a JPEG comment; PNG tEXt, zTXt, iTXt and eXIf
 * chunks. Every piece carries CANARY, which must never survive photo cleaning.
 */
import { crc32, deflateSync } from 'node:zlib';
import { GPS_LATITUDE } from './jpeg-exif.js';

export const CANARY = 'TIPLINE-CANARY-5e1f';

const le16 = (n: number) => Buffer.from([n & 0xff, n >> 8]);
const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/**
 * A TIFF (little endian) with IFD0 holding Orientation (when given), ImageDescription =
 * CANARY and a GPS pointer, then a GPS IFD with a latitude.
 */
export function exifTiff(orientation?: number): Buffer {
  const desc = Buffer.from(`${CANARY}\0`, 'latin1');
  const descPadded = Buffer.concat([desc, Buffer.alloc(desc.length % 2)]);
  const n0 = orientation === undefined ? 2 : 3;
  const ifd0Size = 2 + 12 * n0 + 4;
  const descAt = 8 + ifd0Size;
  const gpsAt = descAt + descPadded.length;
  const entry = (tag: number, type: number, count: number, value: Buffer) => Buffer.concat([le16(tag), le16(type), le32(count), value]);
  const ifd0 = Buffer.concat([
    le16(n0),
    ...(orientation === undefined ? [] : [entry(0x0112, 3, 1, Buffer.concat([le16(orientation), le16(0)]))]),
    entry(0x010e, 2, desc.length, le32(descAt)),
    entry(0x8825, 4, 1, le32(gpsAt)),
    le32(0),
  ]);
  const latAt = gpsAt + 2 + 12 * 2 + 4;
  const lat = Buffer.concat(GPS_LATITUDE.flatMap(([a, b]) => [le32(a), le32(b)]));
  const gps = Buffer.concat([le16(2), entry(0x0001, 2, 2, Buffer.from('N\0\0\0', 'latin1')), entry(0x0002, 5, 3, le32(latAt)), le32(0), lat]);
  return Buffer.concat([Buffer.from('II*\0', 'latin1'), le32(8), ifd0, descPadded, gps]);
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.441N" exif:UserComment="${CANARY}"/></rdf:RDF></x:xmpmeta>`;

/** APP1 EXIF, APP1 XMP and a COM segment inserted after SOI. */
export function plantJpeg(jpeg: Uint8Array, orientation?: number): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a jpeg');
  return new Uint8Array(
    Buffer.concat([
      Buffer.from(jpeg.subarray(0, 2)),
      segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff(orientation)])),
      segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(XMP, 'utf8')])),
      segment(0xfe, Buffer.from(`Comment ${CANARY}`, 'latin1')),
      Buffer.from(jpeg.subarray(2)),
    ]),
  );
}

function chunk(type: string, data: Buffer): Buffer {
  const t = Buffer.from(type, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([t, data])));
  return Buffer.concat([len, t, data, crc]);
}

/** tEXt, zTXt, iTXt (XMP) and eXIf chunks inserted after IHDR. */
export function plantPng(png: Uint8Array): Uint8Array {
  const b = Buffer.from(png);
  if (b.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a png');
  const afterIhdr = 8 + 8 + b.readUInt32BE(8) + 4;
  return new Uint8Array(
    Buffer.concat([
      b.subarray(0, afterIhdr),
      chunk('tEXt', Buffer.from(`Comment\0${CANARY}`, 'latin1')),
      chunk('zTXt', Buffer.concat([Buffer.from('Description\0\0', 'latin1'), deflateSync(Buffer.from(CANARY))])),
      chunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(XMP, 'utf8')])),
      chunk('eXIf', exifTiff()),
      b.subarray(afterIhdr),
    ]),
  );
}

/** Every segment marker of a JPEG, scans included (walks entropy-coded data to the next marker). */
export function allMarkers(jpeg: Uint8Array): number[] {
  const out: number[] = [];
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a jpeg');
  let i = 2;
  while (i < jpeg.length) {
    if (jpeg[i] !== 0xff) throw new Error(`no marker at ${i}`);
    while (jpeg[i] === 0xff) i++;
    const m = jpeg[i++]!;
    out.push(m);
    if (m === 0xd9) return out;
    if (m >= 0xd0 && m <= 0xd7) continue;
    const len = (jpeg[i]! << 8) | jpeg[i + 1]!;
    i += len;
    if (m === 0xda) {
      while (i < jpeg.length && !(jpeg[i] === 0xff && jpeg[i + 1] !== 0x00 && !(jpeg[i + 1]! >= 0xd0 && jpeg[i + 1]! <= 0xd7))) i++;
    }
  }
  throw new Error('no EOI');
}
