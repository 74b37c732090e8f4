/**
 * age's ASCII armor: strict PEM (RFC 7468 §3) with the label "AGE ENCRYPTED FILE"
 * (age.md §ASCII armor). Whitespace is allowed only around the block; LF or CRLF.
 */
import { base64Padded, fromBase64Padded } from './bytes.js';
import { AgeError } from './errors.js';

const BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const END = '-----END AGE ENCRYPTED FILE-----';
const FULL_LINE = /^[A-Za-z0-9+/]{64}$/;
const LAST_LINE = /^[A-Za-z0-9+/]{1,64}={0,2}$/;

/** Encode an age file as armored text, 64 columns, LF line endings. */
export function armor(data: Uint8Array): string {
  const b = base64Padded(data);
  let s = BEGIN + '\n';
  for (let i = 0; i < b.length; i += 64) s += b.slice(i, i + 64) + '\n';
  return s + END + '\n';
}

/** True when the input (after leading whitespace) starts an armored age file. */
export function isArmored(data: Uint8Array): boolean {
  let i = 0;
  while (i < data.length && (data[i] === 0x20 || data[i] === 0x09 || data[i] === 0x0a || data[i] === 0x0d)) i++;
  const prefix = '-----BEGIN';
  for (let k = 0; k < prefix.length; k++) if (data[i + k] !== prefix.charCodeAt(k)) return false;
  return true;
}

/**
 * Decode armored text strictly.
 * @throws AgeError('armor')
 */
export function dearmor(input: Uint8Array | string): Uint8Array {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    text = '';
    for (const b of input) {
      if (b > 0x7f) throw new AgeError('armor', 'non-ASCII byte');
      text += String.fromCharCode(b);
    }
  }
  if (/[^\x20-\x7e\t\r\n]/.test(text)) throw new AgeError('armor', 'invalid character');
  text = text.replace(/^[ \t\r\n]+/, '').replace(/[ \t\r\n]+$/, '');
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length < 2 || lines[0] !== BEGIN || lines[lines.length - 1] !== END) {
    throw new AgeError('armor', 'missing armor boundaries');
  }
  const body = lines.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const last = i === body.length - 1;
    if (!(last ? LAST_LINE : FULL_LINE).test(body[i]!)) throw new AgeError('armor', 'bad armor line');
  }
  try {
    return fromBase64Padded(body.join(''));
  } catch {
    throw new AgeError('armor', 'armor base64 not canonical');
  }
}
