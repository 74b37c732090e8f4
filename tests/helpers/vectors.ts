/**
 * Reading our test-vector files: `key: value` header lines (the first is `expect: ...`), then
 * optionally a blank line and a body whose bytes are taken exactly (one final newline dropped).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytes } from '../../crypto/index.js';

export interface VectorFile {
  headers: Map<string, string>;
  body: Uint8Array | undefined;
}

export function loadVectorFile(dir: string, file: string): VectorFile {
  const raw = new Uint8Array(readFileSync(join(dir, file)));
  let sep = -1;
  for (let i = 0; i + 1 < raw.length; i++) {
    if (raw[i] === 0x0a && raw[i + 1] === 0x0a) {
      sep = i;
      break;
    }
  }
  const headers = new Map<string, string>();
  for (const line of bytes.fromUtf8(sep < 0 ? raw : raw.subarray(0, sep)).split('\n')) {
    if (line === '') continue;
    const i = line.indexOf(': ');
    headers.set(line.slice(0, i), line.slice(i + 2));
  }
  let body: Uint8Array | undefined;
  if (sep >= 0) {
    body = raw.subarray(sep + 2);
    if (body[body.length - 1] === 0x0a) body = body.subarray(0, body.length - 1);
  }
  return { headers, body };
}

/** Compact byte notation: space-separated hex runs, `hh*count` repeats a byte, `(empty)` is no bytes. */
export function parseByteSpec(spec: string): Uint8Array {
  if (spec === '(empty)') return new Uint8Array(0);
  return bytes.concat(
    ...spec.split(' ').map((tok) => {
      const m = /^([0-9a-f]{2})\*(\d+)$/.exec(tok);
      return m ? new Uint8Array(Number(m[2])).fill(parseInt(m[1]!, 16)) : bytes.fromHex(tok);
    }),
  );
}

/** What `f` throws, or undefined when it returns. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}
