/**
 * HTTP plumbing shared by the routes: the one error shape, the zod validator
 * middleware, content-type checks and body limits.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { BodyError, TOO_LARGE } from './schemas.js';

/** A refusal with a status and a short fixed message; the message is sent as `{error}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 408 | 409 | 413 | 415 | 422 | 429 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** The media type of a request, lower case, without parameters. */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

type Target = 'json' | 'query' | 'param' | 'form';

/**
 * Validate one request target with a zod schema; the result is `c.req.valid(target)`.
 * `json` requires Content-Type application/json (415 otherwise), `form` requires
 * application/x-www-form-urlencoded. Failures answer 400 with a fixed message: the
 * zod issue (which may quote input) is never sent or logged.
 */
export function zv<T extends Target, S extends z.ZodType>(target: T, schema: S) {
  return validator(target, async (value, c): Promise<z.output<S> | Response> => {
    if (target === 'json' && mediaType(c) !== 'application/json') return c.json({ error: 'unsupported content type' }, 415);
    if (target === 'form' && mediaType(c) !== 'application/x-www-form-urlencoded') {
      return c.json({ error: 'unsupported content type' }, 415);
    }
    const r = await schema.safeParseAsync(value);
    if (!r.success && r.error.issues.some((i) => i.message === 'too large')) return c.json({ error: 'too large' }, 413);
    if (!r.success) return c.json({ error: target === 'param' ? 'not found' : `invalid ${target === 'json' || target === 'form' ? 'body' : target}` }, target === 'param' ? 404 : 400);
    return r.data;
  });
}

/**
 * {@link zv} for a JSON body checked by a hand-written function instead of a zod schema (for
 * the hottest route): the same answers, 415 for another content type, 400 'invalid request'
 * for bad JSON, 413 'too large' and 400 'invalid body' from the check's BodyError.
 */
export function jsonBody<T>(check: (value: unknown) => T) {
  return validator('json', (value, c): T | Response => {
    if (mediaType(c) !== 'application/json') return c.json({ error: 'unsupported content type' }, 415);
    try {
      return check(value);
    } catch (e) {
      if (!(e instanceof BodyError)) throw e;
      return e.message === TOO_LARGE ? c.json({ error: 'too large' }, 413) : c.json({ error: 'invalid body' }, 400);
    }
  });
}

/** Require an exact media type before anything reads the body. */
export function requireMediaType(type: string): MiddlewareHandler {
  return async (c, next) => {
    if (mediaType(c) !== type) return c.json({ error: 'unsupported content type' }, 415);
    await next();
  };
}

/**
 * Refuse bodies larger than `maxSize` bytes with 413 `{error}`.
 * @throws ApiError(400, 'request interrupted') when the client stops sending a chunked body
 *   (hono's bodyLimit reads such a body itself, before any handler; like an aborted body in
 *   verifySigned, this is not a server fault: no 500, no log line)
 */
export function limit(maxSize: number): MiddlewareHandler {
  const tooLarge = (c: Context) => c.json({ error: 'body too large' }, 413);
  const inner = bodyLimit({ maxSize, onError: tooLarge });
  return async function limitBody(c, next) {
    // A declared length is checked as hono's bodyLimit checks it, but without touching
    // c.req.raw.body: that builds a web stream over the request, and @hono/node-server then
    // cannot read the body straight into one Buffer (a measurable share of a submission).
    // The HTTP parser holds the body to its Content-Length.
    const m = c.req.method;
    if (m !== 'GET' && m !== 'HEAD' && c.req.header('transfer-encoding') === undefined) {
      const length = c.req.header('content-length');
      if (length !== undefined) return parseInt(length || '0', 10) > maxSize ? tooLarge(c) : next();
    }
    let reached = false;
    try {
      return await inner(c, async () => {
        reached = true;
        await next();
      });
    } catch (e) {
      if (reached) throw e;
      throw new ApiError(400, 'request interrupted');
    }
  };
}

/** Refuse any body on requests that take none (GET, DELETE without content). */
export const noBody: MiddlewareHandler = async (c, next) => {
  const len = c.req.header('content-length');
  if ((len !== undefined && len !== '0') || c.req.header('transfer-encoding') !== undefined) {
    return c.json({ error: 'body not allowed' }, 400);
  }
  await next();
};

export interface MemberVar {
  id: string;
  login: string;
  /** SHA-256 of the session token. */
  session: Buffer;
}

/** Hono environment of every sub-app. */
export type AppEnv = {
  Variables: {
    /** The coordinator a signed coordinator request came from. */
    coordinator: import('../crypto/index.js').Coordinator;
    /** The body bytes a signed request was verified over. */
    signedBody: Uint8Array;
    member: MemberVar;
  };
};

/**
 * Parse already-read body bytes (a signed request's) as JSON against a schema, with the
 * same answers as {@link zv}: 415 for another content type, 400 for bad JSON or a schema
 * failure, 413 for a field over its size limit.
 * @throws ApiError
 */
export function parseJsonBytes<S extends z.ZodType>(c: Context, raw: Uint8Array, schema: S): z.output<S> {
  if (mediaType(c) !== 'application/json') throw new ApiError(415, 'unsupported content type');
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new ApiError(400, 'invalid request');
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    if (r.error.issues.some((i) => i.message === 'too large')) throw new ApiError(413, 'too large');
    throw new ApiError(400, 'invalid body');
  }
  return r.data;
}
