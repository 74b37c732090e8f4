/**
 * The console's client for the server (console/remote.ts): a GET that fails on the network is
 * sent once more (a kept-alive connection the server closes as it is reused), a POST never.
 * These fail if a GET is not repeated, is repeated more than once, or if a POST is repeated.
 */
import { describe, expect, it } from 'vitest';
import { createRemote, RemoteError } from '../../console/remote.js';

/** A fetch that fails the first `failures` calls, then answers `{ok: true}`; it records each call. */
function flaky(failures: number) {
  const calls: { url: string; method: string; signed: boolean }[] = [];
  const fetchFn = (async (url: string, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push({ url, method: init?.method ?? 'GET', signed: Object.keys(headers).some((h) => h.toLowerCase().startsWith('tipline-')) });
    if (calls.length <= failures) throw new TypeError('fetch failed', { cause: new Error('other side closed') });
    return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { calls, remote: createRemote('http://127.0.0.1:9', new Uint8Array(32).fill(7), fetchFn) };
}

describe('console remote: network failures', () => {
  it('a signed GET that fails once is sent again, signed again, and answers', async () => {
    const { calls, remote } = flaky(1);
    expect(await remote.json('GET', '/api/coordinator/reports')).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.method === 'GET' && c.signed)).toBe(true);
  });

  it('a public GET that fails once is sent again', async () => {
    const { calls, remote } = flaky(1);
    expect(await remote.publicJson('/api/profile')).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
  });

  it('a GET that fails twice is "server unreachable", after exactly two attempts', async () => {
    const { calls, remote } = flaky(2);
    await expect(remote.json('GET', '/api/coordinator/reports')).rejects.toEqual(new RemoteError(0, 'server unreachable'));
    expect(calls).toHaveLength(2);
    const pub = flaky(2);
    await expect(pub.remote.publicJson('/api/profile')).rejects.toMatchObject({ status: 0, message: 'server unreachable' });
    expect(pub.calls).toHaveLength(2);
  });

  it('a POST that fails is not sent again: it may have been carried out', async () => {
    const { calls, remote } = flaky(1);
    await expect(remote.json('POST', '/api/coordinator/notes', { a: 1 })).rejects.toMatchObject({ status: 0, message: 'server unreachable' });
    expect(calls).toHaveLength(1);
  });
});
