/**
 * The age v1 header: parsing and serialisation (age.md §Header).
 * Parsing is strict: anything that is not exactly the ABNF is an AgeError('header').
 */
import { base64Raw, concat, equalBytes, fromBase64Raw, utf8 } from './bytes.js';
import { AgeError } from './errors.js';
import { hkdfSha256, hmacSha256 } from './hkdf.js';

export interface Stanza {
  readonly args: readonly string[];
  readonly body: Uint8Array;
}

export interface ParsedHeader {
  stanzas: Stanza[];
  /** The header bytes up to and including "---", which the MAC covers. */
  macInput: Uint8Array;
  mac: Uint8Array;
  /** Length of the whole header including the MAC line's LF. */
  length: number;
}

const VERSION_LINE = 'age-encryption.org/v1';
const INTRO = utf8('age-encryption.org/');
/** A header larger than this is refused before parsing (about 600 hybrid stanzas). */
export const MAX_HEADER_BYTES = 1 << 20;

const ARG = /^[\x21-\x7e]+$/;
const B64_LINE = /^[A-Za-z0-9+/]*$/;

function fail(detail: string): never {
  throw new AgeError('header', detail);
}

/**
 * Where the header ends in `buf`, or -1 when more bytes are needed.
 * @throws AgeError('header') when the bytes cannot start an age v1 header or the header is too large
 */
export function findHeaderEnd(buf: Uint8Array): number {
  const n = Math.min(buf.length, INTRO.length);
  for (let i = 0; i < n; i++) if (buf[i] !== INTRO[i]) fail('not an age file');
  // The MAC line is the first line that starts with "--" (a stanza line starts with "->"). The
  // first line cannot be it: it starts with the INTRO checked above.
  let lineStart = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 0x0a) continue;
    const next = i + 1;
    if (buf[lineStart] === 0x2d && buf[lineStart + 1] === 0x2d) return next;
    lineStart = next;
    if (next > MAX_HEADER_BYTES) fail('header too large');
  }
  if (buf.length > MAX_HEADER_BYTES) fail('header too large');
  return -1;
}

/**
 * One character per byte, ASCII as is. The WHATWG 'latin1' label is windows-1252, which maps
 * some of 0x80-0x9f to other code points, but every byte above 0x7f still becomes one
 * character above 0x7e, and the parser accepts only ASCII, so every header parses or fails
 * exactly as with String.fromCharCode per byte (which cost most of a server-side header
 * check: the string grew one character at a time).
 */
const LATIN = new TextDecoder('latin1');

function decodeLatin(b: Uint8Array): string {
  return LATIN.decode(b);
}

/**
 * Parse a complete header (bytes up to and including the MAC line's LF).
 * @throws AgeError('header')
 */
export function parseHeader(bytes: Uint8Array): ParsedHeader {
  const text = decodeLatin(bytes);
  if (!text.endsWith('\n')) fail('header must end with LF');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== VERSION_LINE) fail('unsupported version');
  const stanzas: Stanza[] = [];
  let i = 1;
  while (i < lines.length && lines[i]!.startsWith('->')) {
    const argLine = lines[i]!;
    if (!argLine.startsWith('-> ')) fail('bad stanza line');
    const args = argLine.slice(3).split(' ');
    for (const a of args) if (!ARG.test(a)) fail('bad stanza argument');
    i++;
    const bodyLines: string[] = [];
    for (;;) {
      if (i >= lines.length) fail('stanza without final line');
      const l = lines[i]!;
      if (l.length > 64 || !B64_LINE.test(l)) fail('bad stanza body line');
      bodyLines.push(l);
      i++;
      if (l.length < 64) break;
    }
    let body: Uint8Array;
    try {
      body = fromBase64Raw(bodyLines.join(''));
    } catch {
      fail('stanza body not canonical base64');
    }
    stanzas.push({ args, body });
  }
  if (stanzas.length === 0) fail('no recipient stanzas');
  if (i !== lines.length - 1) fail('unexpected line in header');
  const macLine = lines[i]!;
  if (!macLine.startsWith('--- ')) fail('bad MAC line');
  const macB64 = macLine.slice(4);
  if (macB64.length !== 43) fail('bad MAC length');
  let mac: Uint8Array;
  try {
    mac = fromBase64Raw(macB64);
  } catch {
    fail('MAC not canonical base64');
  }
  const macInputLen = bytes.length - 1 - macB64.length - 1;
  return { stanzas, macInput: bytes.subarray(0, macInputLen), mac, length: bytes.length };
}

function headerMacKey(fileKey: Uint8Array): Uint8Array {
  return hkdfSha256(fileKey, new Uint8Array(0), 'header');
}

/**
 * Check the header MAC with the unwrapped file key.
 * @throws AgeError('hmac')
 */
export function verifyHeaderMac(h: ParsedHeader, fileKey: Uint8Array): void {
  const expected = hmacSha256(headerMacKey(fileKey), h.macInput);
  if (!equalBytes(expected, h.mac)) throw new AgeError('hmac');
}

/** Serialise stanzas and the MAC into a v1 header. */
export function writeHeader(stanzas: readonly Stanza[], fileKey: Uint8Array): Uint8Array {
  let s = VERSION_LINE + '\n';
  for (const st of stanzas) {
    s += '-> ' + st.args.join(' ') + '\n';
    const b = base64Raw(st.body);
    for (let i = 0; i < b.length; i += 64) s += b.slice(i, i + 64) + '\n';
    if (b.length % 64 === 0) s += '\n';
  }
  s += '---';
  const macInput = utf8(s);
  const mac = hmacSha256(headerMacKey(fileKey), macInput);
  return concat(macInput, utf8(' ' + base64Raw(mac) + '\n'));
}
