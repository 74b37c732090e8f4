/**
 * Start the local console: sync once, listen on 127.0.0.1 (a random free port unless one is
 * given) and hand back the one-time URL with the token.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { primitives, type HybridIdentity } from '../crypto/index.js';
import type { AlertSettings } from './alert-settings.js';
import { AlertDispatcher } from './alerts.js';
import { createConsoleApp } from './app.js';
import { Outbox } from './outbox.js';
import type { CoordinatorKey } from './identity.js';
import { PAGES_DIR } from './pages.js';
import { DecryptPool } from './pool.js';
import { createRemote } from './remote.js';
import { ConsoleService } from './service.js';

export interface ConsoleOptions {
  server: string;
  me: CoordinatorKey;
  identities: HybridIdentity[];
  /** Decryption worker threads (default: one per core, at most 4; 0: decrypt in the main thread). */
  workers?: number;
  rootPublicKey: Uint8Array;
  port?: number;
  pagesDir?: string;
  /** Seconds between background syncs (0: none). */
  syncEvery?: number;
  /** Alert dispatch (issue 11): the settings and the outbox file. Without it, publishing sends no alerts. */
  alerts?: { settings: AlertSettings; outboxPath: string };
}

export interface RunningConsole {
  url: string;
  port: number;
  service: ConsoleService;
  alerts?: AlertDispatcher;
  close(): Promise<void>;
}

/** A token of 256 random bits, base64url. */
export function newToken(): string {
  return Buffer.from(primitives().randomBytes(32)).toString('base64url');
}

export async function startConsole(o: ConsoleOptions): Promise<RunningConsole> {
  const remote = createRemote(o.server, o.me.signingSeed);
  const service = new ConsoleService(remote, o.me, o.identities, o.rootPublicKey);
  if (o.workers !== 0) {
    try {
      service.pool = await DecryptPool.start(o.identities, o.workers);
    } catch {
      // No worker threads here: the main thread decrypts.
    }
  }
  await service.sync();
  let alerts: AlertDispatcher | undefined;
  if (o.alerts) {
    const source = {
      me: o.me,
      members: () => service.members(),
      publishedIds: async () => new Set((await remote.list<{ id: string }>('/api/coordinator/warnings', 'warnings')).map((w) => w.id)),
    };
    alerts = new AlertDispatcher(source, new Outbox(o.alerts.outboxPath), o.alerts.settings);
    alerts.start();
  }
  const token = newToken();
  let port = 0;
  const app = createConsoleApp({ service, token, port: () => port, pagesDir: o.pagesDir ?? PAGES_DIR, ...(alerts ? { alerts } : {}) });
  const server = await new Promise<ReturnType<typeof serve>>((ok, fail) => {
    const s = serve({ fetch: app.fetch, port: o.port ?? 0, hostname: '127.0.0.1' }, () => ok(s));
    s.once('error', fail);
  });
  port = (server.address() as AddressInfo).port;
  let timer: NodeJS.Timeout | undefined;
  if ((o.syncEvery ?? 30) > 0) {
    timer = setInterval(() => {
      void service.sync().catch(() => undefined);
      // Alerts left waiting by a failed member fetch (server unreachable) go on by themselves.
      void alerts?.kick();
    }, (o.syncEvery ?? 30) * 1000);
    timer.unref();
  }
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    service,
    ...(alerts ? { alerts } : {}),
    close: () =>
      new Promise<void>((ok) => {
        if (timer) clearInterval(timer);
        alerts?.stop();
        void service.pool?.close();
        server.close(() => ok());
      }),
  };
}
