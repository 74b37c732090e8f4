/**
 * client/lib/jpeg.ts, the metadata stripper every photo goes through: the marker grammar at
 * its edges (fill bytes, standalone and restart markers, stuffed bytes), every truncation
 * refused, and the segment names jpegMetadataSegments reports. Written to kill mutants
 * StrykerJS found surviving (`npm run mutate -- photo`).
 */
import { describe, expect, it } from 'vitest';
import { jpegMetadataSegments, stripJpegMetadata } from '../../client/lib/jpeg.js';

const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const SOF = seg(0xc0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]);
const DQT = seg(0xdb, [0, 1, 2, 3]);
const SOS = seg(0xda, [1, 1, 0, 0, 63, 0]);
const EOI = [0xff, 0xd9];
const jpeg = (...parts: number[][]) => new Uint8Array([0xff, 0xd8, ...parts.flat()]);
const strip = (...parts: number[][]) => [...stripJpegMetadata(jpeg(...parts))];

describe('stripJpegMetadata', () => {
  it('keeps restart markers RST0..RST7, stuffed bytes and fill bytes inside entropy-coded data', () => {
    for (let rst = 0xd0; rst <= 0xd7; rst++) {
      const entropy = [0x11, 0xff, 0x00, 0x22, 0xff, rst, 0x33, 0xff, 0xff, 0xff, 0x00, 0x44];
      expect(strip(SOF, SOS, entropy, EOI)).toEqual([0xff, 0xd8, ...SOF, ...SOS, ...entropy, ...EOI]);
    }
  });

  it('ends entropy data at the first real marker, and strips metadata that follows it', () => {
    const com = seg(0xfe, ascii('after the scan'));
    expect(strip(SOF, SOS, [0x11, 0x22], com, SOS, [0x33], EOI)).toEqual([0xff, 0xd8, ...SOF, ...SOS, 0x11, 0x22, ...SOS, 0x33, ...EOI]);
  });

  it('keeps standalone markers (TEM, RSTn) between segments, and skips fill bytes before a marker', () => {
    const standalone = [0xff, 0x01, 0xff, 0xd0, 0xff, 0xd7];
    expect(strip(standalone, SOF, SOS, [0x55], EOI)).toEqual([0xff, 0xd8, ...standalone, ...SOF, ...SOS, 0x55, ...EOI]);
    expect(strip([0xff, 0xff, 0xff], SOF.slice(1), seg(0xe1, ascii('Exif')), SOS, [0x55], EOI)).toEqual([
      0xff,
      0xd8,
      ...SOF,
      ...SOS,
      0x55,
      ...EOI,
    ]);
  });

  it('drops every APPn (E0..EF) and COM, and keeps the other segments byte for byte', () => {
    const meta = [...Array.from({ length: 16 }, (_, k) => seg(0xe0 + k, ascii(`app${k}`))), seg(0xfe, ascii('comment'))];
    const keep = [seg(0xdf, [9]), seg(0xf0, [8]), seg(0xdd, [0, 4]), DQT];
    expect(strip(...meta, ...keep, SOF, SOS, [1], EOI)).toEqual([0xff, 0xd8, ...keep.flat(), ...SOF, ...SOS, 1, ...EOI]);
  });

  it('refuses every truncation, a second SOI, a zero marker, a bad segment length and a missing marker', () => {
    const whole = jpeg(seg(0xe1, ascii('Exif\0\0data')), DQT, SOF, SOS, [0x11, 0xff, 0x00, 0xff, 0xd3, 0x22], EOI);
    expect(() => stripJpegMetadata(whole)).not.toThrow();
    for (let k = 0; k < whole.length; k++) expect(() => stripJpegMetadata(whole.subarray(0, k)), `prefix ${k}`).toThrow('invalid jpeg');
    expect(() => stripJpegMetadata(jpeg([0xff, 0xd8], SOF, SOS, [1], EOI))).toThrow('invalid jpeg');
    expect(() => stripJpegMetadata(jpeg([0xff, 0x00], SOF, SOS, [1], EOI))).toThrow('invalid jpeg');
    expect(() => stripJpegMetadata(jpeg([0xff, 0xdb, 0x00, 0x01, 0x00], SOF, SOS, [1], EOI))).toThrow('invalid jpeg');
    expect(() => stripJpegMetadata(jpeg([0xff, 0xdb, 0x00, 0x02], SOF, SOS, [1], EOI))).not.toThrow();
    expect(() => stripJpegMetadata(jpeg([0x00, 0xdb, 0x00, 0x02], SOF, SOS, [1], EOI))).toThrow('invalid jpeg');
    expect(() => stripJpegMetadata(new Uint8Array([0xff, 0xd9, 0xff, 0xd9]))).toThrow('invalid jpeg');
    expect(() => stripJpegMetadata(new Uint8Array([0xfe, 0xd8, 0xff, 0xd9]))).toThrow('invalid jpeg');
    // The smallest well-formed input: SOI EOI.
    expect([...stripJpegMetadata(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  });

  it('refuses a byte where a marker should be, even one that looks like a marker code, and a NUL or SOI marker', () => {
    expect(() => stripJpegMetadata(jpeg([0xdb, 0x00, 0x02], SOF, SOS, [1], EOI))).toThrow('invalid jpeg');
    expect(() => stripJpegMetadata(jpeg([0xff, 0x00, 0x00, 0x02], EOI))).toThrow('invalid jpeg');
    expect(() => stripJpegMetadata(jpeg([0xff, 0xd8, 0x00, 0x02], EOI))).toThrow('invalid jpeg');
    // Only a scan is followed by entropy-coded data: stray bytes after another segment are refused.
    expect(() => stripJpegMetadata(jpeg(DQT, [0x12], SOF, SOS, [1], EOI))).toThrow('invalid jpeg');
  });

  it('parses a table segment between scans by its length, so bytes in its body are never taken for markers', () => {
    const dht = seg(0xc4, [0xff, 0xe1, 0x00, 0x04, 0x09, 0x09]);
    expect(strip(SOF, SOS, [1], dht, SOS, [2], EOI)).toEqual([0xff, 0xd8, ...SOF, ...SOS, 1, ...dht, ...SOS, 2, ...EOI]);
  });

  it('refuses a file that ends in fill bytes', () => {
    expect(() => stripJpegMetadata(jpeg(SOF, [0xff, 0xff]))).toThrow('invalid jpeg');
  });

  it('refuses a scan header whose length is below 2, which would otherwise take its own length bytes for entropy data', () => {
    for (const len of [0, 1]) {
      expect(() => stripJpegMetadata(jpeg(SOF, [0xff, 0xda, 0x00, len, 0x12, 0x34], EOI)), `SOS length ${len}`).toThrow('invalid jpeg');
      expect(() => stripJpegMetadata(jpeg([0xff, 0xdb, 0x00, len], SOF, SOS, [1], EOI)), `DQT length ${len}`).toThrow('invalid jpeg');
    }
  });

  it('refuses a segment whose length runs past the end by one byte, accepts one that ends exactly there', () => {
    const body = [1, 2, 3];
    const exact = jpeg([0xff, 0xdb, 0x00, 0x05, ...body]);
    expect(() => stripJpegMetadata(exact)).toThrow('invalid jpeg'); // no EOI after it
    expect(() => stripJpegMetadata(jpeg([0xff, 0xdb, 0x00, 0x06, ...body], EOI))).toThrow('invalid jpeg');
    expect([...stripJpegMetadata(jpeg([0xff, 0xdb, 0x00, 0x05, ...body], EOI))]).toEqual([0xff, 0xd8, 0xff, 0xdb, 0, 5, ...body, ...EOI]);
  });
});

describe('jpegMetadataSegments', () => {
  it('names each segment by marker and an identifier of at most six bytes, cut at the first NUL', () => {
    const file = jpeg(
      seg(0xe0, ascii('JFIF\0\x01\x01')),
      seg(0xe1, ascii('Exif\0\0MM')),
      seg(0xe2, ascii('ICC_PROFILE\0')),
      seg(0xed, []),
      seg(0xec, ascii('ab\0cde')),
      seg(0xe3, ascii('xy')),
      seg(0xfe, ascii('hello')),
      DQT,
      SOF,
      SOS,
      [1],
      seg(0xfe, ascii('after the scan')),
      SOS,
      [2],
      EOI,
    );
    expect(jpegMetadataSegments(file)).toEqual(['APP0:JFIF', 'APP1:Exif', 'APP2:ICC_PR', 'APP13', 'APP12:ab', 'APP3:xy', 'COM']);
  });

  it('stops at EOI, and refuses what does not start with SOI or has a byte where a marker should be', () => {
    expect(jpegMetadataSegments(new Uint8Array([0xff, 0xd8, 0xff, 0xd9, ...seg(0xe1, ascii('Exif'))]))).toEqual([]);
    expect(() => jpegMetadataSegments(new Uint8Array([0xff, 0xd9, 0xff, 0xd9]))).toThrow('invalid jpeg');
    expect(() => jpegMetadataSegments(new Uint8Array([0xfe, 0xd8, 0xff, 0xd9]))).toThrow('invalid jpeg');
    expect(() => jpegMetadataSegments(new Uint8Array([0xff, 0xd8, 0xff]))).toThrow('invalid jpeg');
    expect(() => jpegMetadataSegments(jpeg([0x00, 0xe1, 0x00, 0x02], EOI))).toThrow('invalid jpeg');
    expect(jpegMetadataSegments(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toEqual([]);
    expect(jpegMetadataSegments(new Uint8Array([0xff, 0xd8, 0xff, 0xd9, 0x00, 0x00, 0xff, 0xe1, 0x00, 0x02]))).toEqual([]);
    // A segment header needs four bytes; three left over are not read.
    expect(jpegMetadataSegments(jpeg(seg(0xe1, ascii('Exif')), [0xff, 0xe2, 0x00]))).toEqual(['APP1:Exif']);
    expect(jpegMetadataSegments(jpeg(seg(0xe1, ascii('Exif')), [0xff, 0xe2, 0x00, 0x02]))).toEqual(['APP1:Exif', 'APP2']);
  });
});
