/**
 * JPEG metadata removal at the byte level. Used on every photo after the canvas re-encode
 * (belt and braces: browsers' encoders write no EXIF, and this proves it) and, where a
 * browser blocks reading a canvas back (Tor Browser), on the original JPEG instead.
 */

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

/** Markers that carry no image data: APP0..APP15 (JFIF, EXIF, XMP, ICC, Photoshop IRB, ...) and COM. */
function isMetadata(marker: number): boolean {
  return (marker >= 0xe0 && marker <= 0xef) || marker === 0xfe;
}

/** Markers without a length field. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/**
 * A copy of a baseline or progressive JPEG without any APPn or COM segment, so no EXIF,
 * GPS, XMP, ICC profile, thumbnail or comment survives. Segment structure is checked up to
 * the first scan; entropy-coded data and later segments (between progressive scans) are walked too.
 * @throws Error('invalid jpeg') for anything that is not a well-formed JPEG
 */
export function stripJpegMetadata(input: Uint8Array): Uint8Array {
  const n = input.length;
  // Inputs shorter than SOI EOI are refused in the loop (past the end input[i] is undefined).
  if (input[0] !== 0xff || input[1] !== SOI) throw new Error('invalid jpeg');
  const out = new Uint8Array(n);
  out[0] = 0xff;
  out[1] = SOI;
  let o = 2;
  let i = 2;
  for (;;) {
    // A marker: 0xFF, any number of fill bytes 0xFF, then its code. At the end input[i] is
    // undefined, so each check below also refuses a file that stops here.
    if (input[i] !== 0xff) throw new Error('invalid jpeg');
    while (input[i] === 0xff) i++;
    if (i >= n) throw new Error('invalid jpeg');
    const marker = input[i]!;
    i++;
    if (marker === 0x00 || marker === SOI) throw new Error('invalid jpeg');
    if (marker === EOI) {
      out[o++] = 0xff;
      out[o++] = EOI;
      return out.slice(0, o);
    }
    if (isStandalone(marker)) {
      out[o++] = 0xff;
      out[o++] = marker;
      continue;
    }
    if (i + 1 >= n) throw new Error('invalid jpeg');
    const len = (input[i]! << 8) | input[i + 1]!;
    if (len < 2 || i + len > n) throw new Error('invalid jpeg');
    const segEnd = i + len;
    if (!isMetadata(marker)) {
      out[o++] = 0xff;
      out[o++] = marker;
      out.set(input.subarray(i, segEnd), o);
      o += len;
    }
    i = segEnd;
    if (marker === SOS) {
      // Entropy-coded data runs until a marker other than a stuffed 0xFF00 or a restart marker.
      const start = i;
      while (i < n) {
        if (input[i] === 0xff && i + 1 < n) {
          const next = input[i + 1]!;
          if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
            i += 2;
            continue;
          }
          if (next === 0xff) {
            i++;
            continue;
          }
          break;
        }
        i++;
      }
      if (i >= n) throw new Error('invalid jpeg');
      out.set(input.subarray(start, i), o);
      o += i - start;
    }
  }
}

/** Names of the metadata segments present before the first scan (for tests and checks). */
export function jpegMetadataSegments(input: Uint8Array): string[] {
  const found: string[] = [];
  if (input.length < 4 || input[0] !== 0xff || input[1] !== SOI) throw new Error('invalid jpeg');
  let i = 2;
  while (i + 3 < input.length) {
    if (input[i] !== 0xff) throw new Error('invalid jpeg');
    const marker = input[i + 1]!;
    if (marker === SOS || marker === EOI) break;
    const len = (input[i + 2]! << 8) | input[i + 3]!;
    if (isMetadata(marker)) {
      const id = String.fromCharCode(...input.subarray(i + 4, Math.min(i + 2 + len, i + 10))).replace(/\0.*/s, '');
      found.push(marker === 0xfe ? 'COM' : `APP${marker - 0xe0}${id ? ':' + id : ''}`);
    }
    i += 2 + len;
  }
  return found;
}
