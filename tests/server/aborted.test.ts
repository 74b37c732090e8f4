/**
 * A client that hangs up in the middle of a signed request's body: the server answers 400
 * (to nobody) and writes no log line, so aborted requests cannot flood the log. Real
 * sockets on loopback; the body read is the same on both databases, so SQLite only.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, sqliteFactory, type Harness } from './harness.js';

describe('aborted request bodies', () => {
  let h: Harness;
  let server: ReturnType<typeof serve>;
  let port: number;
  const statuses: number[] = [];
  const errors: unknown[] = [];
  beforeAll(async () => {
    h = await makeHarness(sqliteFactory);
    server = serve({
      fetch: async (req: Request) => {
        const res = await h.app.fetch(req);
        statuses.push(res.status);
        errors.push(((await res.clone().json()) as { error?: unknown }).error);
        return res;
      },
      port: 0,
      hostname: '127.0.0.1',
    });
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await h.close();
  });

  /** Send headers announcing 1000 bytes (or a chunked body), then part of the body, then hang up. */
  async function hangUp(method: string, path: string, chunked: boolean): Promise<void> {
    const sock = connect(port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const length = chunked ? 'Transfer-Encoding: chunked\r\n\r\n9\r\n' : 'Content-Length: 1000\r\n\r\n';
    sock.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${length}{"state":`);
    await new Promise((r) => setTimeout(r, 300));
    sock.destroy();
  }

  for (const [method, path, chunked] of [
    ['PUT', '/api/coordinator/reports/AAAAAAAAAAAAAAAAAAAAAA/state', false],
    ['POST', '/api/mailboxes/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', false],
    ['PUT', '/api/coordinator/reports/AAAAAAAAAAAAAAAAAAAAAA/state', true],
    ['POST', '/api/mailboxes/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', true],
  ] as const) {
    it(`${method} ${path.split('/').slice(0, 3).join('/')}/...${chunked ? ' (chunked)' : ''}: 400 'request interrupted' and no log line`, async () => {
      const written: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      }) as typeof process.stderr.write;
      const before = statuses.length;
      try {
        await hangUp(method, path, chunked);
        const until = Date.now() + 10_000;
        while (statuses.length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      } finally {
        process.stderr.write = write;
      }
      expect(statuses.slice(before)).toEqual([400]);
      expect(errors.slice(before)).toEqual(['request interrupted']);
      expect(written.filter((l) => l.includes('internal error'))).toEqual([]);
    }, 30_000);
  }
});
