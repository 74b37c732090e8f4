import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../server/headers.js';
import { expectError, makeHarness, type Harness } from '../harness.js';
import { unchanged, type GetFactory } from './common.js';

export function basicsSuite(getFactory: GetFactory): void {
  describe('basics: health, headers, errors', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(getFactory());
    });
    afterAll(() => h.close());

    it('runs on the database under test, with the required settings', async () => {
      expect(h.kind).toBe(getFactory().name);
      if (h.kind === 'postgres') {
        const r = await sql<{ v: string }>`select version() as v`.execute(h.db);
        expect(r.rows[0]!.v).toMatch(/^PostgreSQL/);
      } else {
        const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(h.db)).rows[0] as object)[0];
        expect(await pragma('journal_mode')).toBe('wal');
        expect(await pragma('synchronous')).toBe(2); // FULL
        expect(await pragma('secure_delete')).toBe(1);
        expect(await pragma('foreign_keys')).toBe(1);
      }
    });

    it('GET /healthz answers {ok:true}', async () => {
      const r = await h.request('/healthz');
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ ok: true });
    });

    it('sets the security headers on every response and no Server header', async () => {
      for (const path of ['/healthz', '/nowhere', '/report/basic', '/']) {
        const r = await h.request(path);
        expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
        expect(r.headers.get('referrer-policy')).toBe('no-referrer');
        expect(r.headers.get('x-frame-options')).toBe('DENY');
        expect(r.headers.get('x-content-type-options')).toBe('nosniff');
        expect(r.headers.get('cache-control')).toBe('no-store');
        expect(r.headers.get('permissions-policy')).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
        expect(r.headers.get('server')).toBeNull();
        expect(r.headers.get('x-powered-by')).toBeNull();
        expect(r.headers.get('onion-location')).toBeNull();
      }
      const csp = CONTENT_SECURITY_POLICY;
      for (const d of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "connect-src 'self'", "img-src 'self' blob: data:", "worker-src 'self' blob:"]) {
        expect(csp).toContain(d);
      }
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    });

    it('sends HSTS only when the configured public origin is https, whatever the request URL says', async () => {
      expect((await h.request('https://127.0.0.1/healthz')).headers.get('strict-transport-security')).toBeNull();
      expect((await h.request('/healthz')).headers.get('strict-transport-security')).toBeNull();
      const onion = await makeHarness(getFactory(), { config: { publicOrigin: `http://${'e'.repeat(56)}.onion` } });
      const tls = await makeHarness(getFactory(), { config: { publicOrigin: 'https://tips.example.org' } });
      try {
        expect((await onion.request('/healthz')).headers.get('strict-transport-security')).toBeNull();
        for (const url of ['/healthz', 'http://127.0.0.1/nothing']) {
          expect((await tls.request(url)).headers.get('strict-transport-security'), url).toBe('max-age=31536000');
        }
      } finally {
        await onion.close();
        await tls.close();
      }
    });

    it('unknown routes and methods get a JSON 404', async () => {
      expect(await expectError(await h.request('/api/nothing'), 404)).toBe('not found');
      expect(await expectError(await h.request('/api/reports'), 404)).toBe('not found');
      expect(await expectError(await h.request('/api/keyring', { method: 'DELETE' }), 404)).toBe('not found');
    });

    it('refuses oversized JSON bodies with 413, by Content-Length and when streamed', async () => {
      const big = 'x'.repeat(h.config.limits.jsonBytes + 1);
      await unchanged(h, async () => {
        expect(await expectError(await h.postJson('/api/reports', JSON.stringify({ report: big })), 413)).toBe('body too large');
        const stream = new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode(big));
            c.close();
          },
        });
        const r = await h.request('/api/members/apply', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: stream,
          duplex: 'half',
        } as RequestInit);
        expect(await expectError(r, 413)).toBe('body too large');
      });
    });

    it('answers malformed JSON with 400 {error} that quotes nothing', async () => {
      const r = await h.postJson('/api/members/login', '{"login": "SECRET-INPUT", ');
      const msg = await expectError(r, 400);
      expect(msg).not.toContain('SECRET');
    });
  });

  describe('basics: onion address and internal errors', () => {
    it('sends Onion-Location on HTML pages when configured, not on JSON', async () => {
      const onion = `${'a'.repeat(56)}.onion`;
      const h = await makeHarness(getFactory(), { config: { onionAddress: onion } });
      try {
        const page = await h.request('/report/basic?x=1');
        expect(page.headers.get('onion-location')).toBe(`http://${onion}/report/basic?x=1`);
        expect((await h.request('/healthz')).headers.get('onion-location')).toBeNull();
      } finally {
        await h.close();
      }
    });

    it('turns an unexpected failure into 500 {error: "internal error"} without leaking input or stack', async () => {
      const h = await makeHarness(getFactory());
      const writes: string[] = [];
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
        writes.push(String(chunk));
        return true;
      });
      try {
        await h.db.destroy();
        const r = await h.postJson('/api/members/login', { login: 'canary-login-name', passphrase: 'canary-passphrase' });
        const text = await r.clone().text();
        expect(await expectError(r, 500)).toBe('internal error');
        expect(text).not.toMatch(/canary|at |\.ts/);
        expect(writes.join('')).not.toMatch(/canary/);
        expect(writes.join('')).toMatch(/^internal error: \w+/);
      } finally {
        spy.mockRestore();
        await h.close();
      }
    });
  });
}
