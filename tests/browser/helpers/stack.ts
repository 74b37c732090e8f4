/**
 * A real tipline server for browser tests: a fresh data dir and SQLite database, an
 * organisation root key, one coordinator (or more) in a root-signed keyring, and the client built
 * with that root key pinned. Low proof-of-work difficulty keeps the tests quick.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import {
  HybridIdentity,
  bytes,
  decrypt,
  encrypt,
  primitives,
  signKeyring,
  signRequest,
  type Keyring,
  type SignedEnvelope,
} from '../../../crypto/index.js';
import { createApp } from '../../../server/app.js';
import { defaultConfig } from '../../../server/config.js';
import { openDatabase, type Db } from '../../../server/db/index.js';

const repo = resolve(import.meta.dirname, '../../..');

export interface Coordinator {
  identity: HybridIdentity;
  signingSeed: Uint8Array;
}

export interface Stack {
  url: string;
  rootSeed: Uint8Array;
  rootPublicKey: Uint8Array;
  /** The first coordinator; coordinatorFetch signs as this one. */
  coordinator: Coordinator;
  /** Every coordinator in the keyring (all roles each). */
  coordinators: Coordinator[];
  keyring: Keyring;
  /** The server's database (tests that inject rows straight into it). */
  db: Db;
  /** The seed of the server's private-check key (tests that compute tags directly). */
  checkKey: Uint8Array;
  /** A request signed by the coordinator, as the console makes it. */
  coordinatorFetch(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** A keyring with these coordinators (every role each), signed by `rootSeed`. */
export function makeKeyring(rootSeed: Uint8Array, coordinators: Coordinator | Coordinator[], version = 1): { keyring: Keyring; envelope: SignedEnvelope } {
  const list = Array.isArray(coordinators) ? coordinators : [coordinators];
  const keyring: Keyring = {
    version,
    issued: day(-1),
    expires: day(179),
    coordinators: list.map((coordinator, i) => ({
      id: `coord-${i + 1}`,
      name: `Test Coordinator ${i + 1}`,
      recipient: coordinator.identity.recipient().toString(),
      signingKey: bytes.base64Padded(primitives().ed25519PublicKey(coordinator.signingSeed)),
      roles: ['reports', 'warnings', 'members'],
    })),
  };
  return { keyring, envelope: signKeyring(keyring, rootSeed) };
}

let buildQueue: Promise<unknown> = Promise.resolve();

/**
 * Build the client into `outDir` with `rootPublicKey` and the minimum keyring version pinned
 * (one build at a time: vite reads both from the environment).
 */
export async function buildClient(rootPublicKey: Uint8Array, outDir: string, minKeyringVersion = 1): Promise<void> {
  const run = async () => {
    const { build } = await import('vite');
    const saved = { key: process.env.TIPLINE_ROOT_PUBLIC_KEY, min: process.env.TIPLINE_MIN_KEYRING_VERSION, env: process.env.NODE_ENV };
    process.env.TIPLINE_ROOT_PUBLIC_KEY = bytes.base64Padded(rootPublicKey);
    process.env.TIPLINE_MIN_KEYRING_VERSION = String(minKeyringVersion);
    // Test what ships: vitest's NODE_ENV=test would make Vite compile JSX in development form.
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(repo, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    } finally {
      if (saved.key === undefined) delete process.env.TIPLINE_ROOT_PUBLIC_KEY;
      else process.env.TIPLINE_ROOT_PUBLIC_KEY = saved.key;
      if (saved.min === undefined) delete process.env.TIPLINE_MIN_KEYRING_VERSION;
      else process.env.TIPLINE_MIN_KEYRING_VERSION = saved.min;
      if (saved.env === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved.env;
    }
  };
  const p = buildQueue.then(run, run);
  buildQueue = p.catch(() => {});
  return p;
}

/** `keyringVersion`: the version of the served keyring, also pinned as the build's minimum (default 1). */
export async function startStack(opts: { powDifficulty?: number; keyringVersion?: number; coordinators?: number; freeFollowUps?: number } = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-browser-'));
  const p = primitives();
  const rootSeed = p.randomBytes(32);
  const rootPublicKey = p.ed25519PublicKey(rootSeed);
  const coordinators: Coordinator[] = Array.from({ length: opts.coordinators ?? 1 }, () => ({
    identity: HybridIdentity.generate(),
    signingSeed: p.randomBytes(32),
  }));
  const coordinator = coordinators[0]!;
  const keyringVersion = opts.keyringVersion ?? 1;
  const { keyring, envelope } = makeKeyring(rootSeed, coordinators, keyringVersion);

  const clientDir = join(dir, 'client');
  await buildClient(rootPublicKey, clientDir, keyringVersion);

  const difficulty = opts.powDifficulty ?? 6;
  const config = defaultConfig(join(dir, 'data'), {
    clientDir,
    pow: { difficulty, maxDifficulty: difficulty },
    ...(opts.freeFollowUps === undefined ? {} : { abuse: { freeFollowUps: opts.freeFollowUps } }),
  });
  const database = await openDatabase({ dataDir: config.dataDir });
  const checkKey = p.randomBytes(32);
  const app = createApp({ db: database.db, dbKind: database.kind, config, serverKey: p.randomBytes(32), checkKey, rootPublicKey });
  await app.ctx.replaceKeyring(JSON.parse(JSON.stringify(envelope)));

  const server = await new Promise<ReturnType<typeof serve>>((ok) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const coordinatorFetch = async (method: string, path: string, body?: unknown) => {
    const raw = body === undefined ? new Uint8Array(0) : bytes.utf8(JSON.stringify(body));
    const headers = signRequest('coordinator', { method, path, body: raw, timestamp: Math.floor(Date.now() / 1000) }, coordinator.signingSeed);
    return fetch(url + path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: raw as Uint8Array<ArrayBuffer> }),
    });
  };

  return {
    url,
    rootSeed,
    rootPublicKey,
    coordinator,
    coordinators,
    keyring,
    db: database.db,
    checkKey,
    coordinatorFetch,
    async close() {
      await new Promise<void>((ok) => server.close(() => ok()));
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every stored report as a coordinator sees it (the first by default), decrypted with its identity alone, with its attachments decrypted. */
export async function fetchReports(stack: Stack, as: Coordinator = stack.coordinator): Promise<{ id: string; plaintext: Uint8Array; attachments: Uint8Array[] }[]> {
  const list = (await (await stack.coordinatorFetch('GET', '/api/coordinator/reports')).json()) as { reports: { id: string }[] };
  const out = [];
  for (const { id } of list.reports) {
    const res = await stack.coordinatorFetch('GET', `/api/coordinator/reports/${id}`);
    if (!res.ok) throw new Error(`report fetch failed: ${res.status}`);
    const r = (await res.json()) as { report: string; attachments: { id: string }[] };
    const plaintext = await decrypt([as.identity], bytes.fromBase64Padded(r.report));
    const attachments: Uint8Array[] = [];
    for (const a of r.attachments) {
      const ar = await stack.coordinatorFetch('GET', `/api/coordinator/attachments/${a.id}`);
      if (!ar.ok) throw new Error(`attachment fetch failed: ${ar.status}`);
      attachments.push(await decrypt([as.identity], new Uint8Array(await ar.arrayBuffer())));
    }
    out.push({ id, plaintext, attachments });
  }
  return out;
}

/** Reply to a report's mailbox as a coordinator would: padded UTF-8 text encrypted to the reply recipient. */
export async function replyTo(stack: Stack, reportId: string, replyRecipient: string, text: string): Promise<void> {
  const { HybridRecipient } = await import('../../../crypto/index.js');
  const { pad } = await import('../../../crypto/padding.js');
  const sealed = await encrypt([HybridRecipient.parse(replyRecipient)], pad(bytes.utf8(text)));
  const res = await stack.coordinatorFetch('POST', `/api/coordinator/reports/${reportId}/replies`, { message: bytes.base64Padded(sealed) });
  if (res.status !== 201) throw new Error(`reply failed: ${res.status} ${await res.text()}`);
}
