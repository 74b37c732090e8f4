/**
 * Compression of chosen API answers (server/README.md "Compression").
 *
 * Only answers that are public or the same for every member, and that never carry a secret
 * beside text an attacker chose, are compressed: the warnings lists, the keyring and the
 * profile. Everything else is sent as is: ciphertext (mailboxes, reports: padded before
 * encryption, and compressing could only reveal what the padding hides), pages and forms
 * that hold tokens next to reflected input (the BREACH pattern), and answers too small to
 * gain. Static assets have their own precompressed files (routes/static.ts).
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

/** Bodies smaller than this go out as they are. */
export const COMPRESS_MIN_BYTES = 1024;

/** The encoding to use for an Accept-Encoding header: br before gzip, none when refused (q=0). */
export function pickEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  if (!accept) return undefined;
  const ok = new Set<string>();
  for (const part of accept.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (name) ok.add(name.trim());
  }
  if (ok.has('br')) return 'br';
  if (ok.has('gzip') || ok.has('*')) return 'gzip';
  return undefined;
}

/**
 * Compress a 200 JSON answer of this route with brotli or gzip when the client accepts it.
 * Only for answers that may be compressed (see above); `Vary: Accept-Encoding` is always set.
 */
export function compressPublicJson(): MiddlewareHandler {
  return async function compressPublicJson(c, next) {
    await next();
    c.res.headers.append('Vary', 'Accept-Encoding');
    const encoding = pickEncoding(c.req.header('accept-encoding'));
    const res = c.res;
    if (!encoding || res.status !== 200 || res.headers.has('Content-Encoding') || !(res.headers.get('content-type') ?? '').startsWith('application/json')) return;
    const body = new Uint8Array(await res.clone().arrayBuffer());
    if (body.length < COMPRESS_MIN_BYTES) return;
    const out =
      encoding === 'br'
        ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
        : gzipSync(body, { level: 6 });
    const headers = new Headers(res.headers);
    headers.set('Content-Encoding', encoding);
    headers.delete('Content-Length');
    c.res = new Response(out, { status: 200, headers });
  };
}
