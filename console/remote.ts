/**
 * The remote tipline server, seen through signed coordinator requests (SPEC.md §Request
 * signatures). Lists follow a `next` cursor when the server pages them and read a single
 * page when it does not.
 */
import { bytes, signRequest } from '../crypto/index.js';

export class RemoteError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Remote {
  readonly baseUrl: string;
  /** A signed request; the JSON answer. @throws RemoteError for a non-2xx answer or a network failure */
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A signed GET of binary data (attachments). @throws RemoteError */
  binary(path: string): Promise<Uint8Array>;
  /** Every item of a (possibly paged) list. @throws RemoteError */
  list<T>(path: string, field: string): Promise<T[]>;
  /** The public keyring envelope (unsigned GET). @throws RemoteError */
  keyring(): Promise<unknown>;
  /** Another public document (unsigned GET, e.g. /api/profile); the caller verifies it. @throws RemoteError */
  publicJson(path: string): Promise<unknown>;
}

const MAX_PAGES = 10_000;

function unreachable(): never {
  throw new RemoteError(0, 'server unreachable');
}

/**
 * A GET that fails on the network is sent once more: a kept-alive connection that the server
 * closes just as the next request reuses it fails that request (the client's idle timer
 * can fire late on a busy machine), and a GET is safe to repeat. Never for a POST: it may
 * have been carried out.
 * @throws RemoteError(0, 'server unreachable') when the second attempt fails too
 */
async function onceMore(attempt: () => Promise<Response>): Promise<Response> {
  try {
    return await attempt();
  } catch {
    return attempt().catch(unreachable);
  }
}

/** A client for `baseUrl` (http(s)://host:port) signing with a coordinator's Ed25519 seed. */
export function createRemote(baseUrl: string, signingSeed: Uint8Array, fetchFn: typeof fetch = fetch): Remote {
  const base = baseUrl.replace(/\/+$/, '');

  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const raw = body === undefined ? new Uint8Array(0) : bytes.utf8(JSON.stringify(body));
    const attempt = () => {
      const headers: Record<string, string> = signRequest(
        'coordinator',
        { method, path, body: raw, timestamp: Math.floor(Date.now() / 1000) },
        signingSeed,
      );
      if (body !== undefined) headers['content-type'] = 'application/json';
      return fetchFn(base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: raw as Uint8Array<ArrayBuffer> }),
        redirect: 'error',
      });
    };
    const res = await (method === 'GET' ? onceMore(attempt) : attempt().catch(unreachable));
    if (!res.ok) {
      let message = `server answered ${res.status}`;
      try {
        const e = (await res.json()) as { error?: unknown };
        if (typeof e.error === 'string') message = e.error.slice(0, 200);
      } catch {
        // not JSON
      }
      throw new RemoteError(res.status, message);
    }
    return res;
  }

  return {
    baseUrl: base,
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await send(method, path, body);
      try {
        return (await res.json()) as T;
      } catch {
        throw new RemoteError(res.status, 'server answer is not JSON');
      }
    },
    async binary(path: string): Promise<Uint8Array> {
      return new Uint8Array(await (await send('GET', path)).arrayBuffer());
    },
    async list<T>(path: string, field: string): Promise<T[]> {
      const out: T[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const sep = path.includes('?') ? '&' : '?';
        const url = cursor === undefined ? path : `${path}${sep}cursor=${encodeURIComponent(cursor)}`;
        const res = await this.json<Record<string, unknown>>('GET', url);
        const items = res[field];
        if (!Array.isArray(items)) throw new RemoteError(200, 'unexpected server answer');
        out.push(...(items as T[]));
        const next = res.next ?? res.cursor;
        if (typeof next !== 'string' || next === '' || next === cursor || items.length === 0) return out;
        cursor = next;
      }
      throw new RemoteError(200, 'too many pages');
    },
    async keyring(): Promise<unknown> {
      try {
        return await this.publicJson('/api/keyring');
      } catch (e) {
        if (e instanceof RemoteError && e.status !== 0) throw new RemoteError(e.status, 'no keyring');
        throw e;
      }
    },
    async publicJson(path: string): Promise<unknown> {
      const res = await onceMore(() => fetchFn(base + path, { redirect: 'error' }));
      if (!res.ok) throw new RemoteError(res.status, res.status === 404 ? `nothing at ${path}` : `server answered ${res.status}`);
      try {
        return await res.json();
      } catch {
        throw new RemoteError(res.status, 'server answer is not JSON');
      }
    },
  };
}
