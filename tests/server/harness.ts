/**
 * The server test harness: a fresh database (SQLite file or PostgreSQL database), an
 * organisation made in memory (root key, coordinators, signed keyring), an app with a
 * movable clock and low proof-of-work difficulty, and helpers that speak the API the way
 * real clients do (real age files, real signatures, real proof of work).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import {
  HybridIdentity,
  X25519Identity,
  bytes,
  encodeReport,
  encrypt,
  keyringRecipients,
  primitives,
  signDocument,
  signKeyring,
  signRequest,
  signWarning,
  signWithdrawal,
  solvePow,
  type Keyring,
  type Report,
  type Role,
  type SignedEnvelope,
  type Warning,
} from '../../crypto/index.js';
import { createApp } from '../../server/app.js';
import { defaultConfig, type Config, type DeepPartial } from '../../server/config.js';

const mergeConfig = (base: Config, over: DeepPartial<Config>): Config => defaultConfig(base.dataDir, { ...base, ...over, limits: { ...base.limits, ...over.limits }, pow: { ...base.pow, ...over.pow }, abuse: { ...base.abuse, ...over.abuse }, basicForm: { ...base.basicForm, ...over.basicForm }, retention: { ...base.retention, ...over.retention } } as DeepPartial<Config>);
import { openDatabase, type Db, type DbKind } from '../../server/db/index.js';
import { insertKeyring } from '../../server/db/queries.js';
import { dayOf } from '../../server/util.js';

export interface DbFactory {
  name: DbKind;
  /** Open a fresh, migrated database. */
  open(dataDir: string): Promise<{ db: Db; kind: DbKind; close(): Promise<void> }>;
}

export const sqliteFactory: DbFactory = {
  name: 'sqlite',
  open: (dataDir) => openDatabase({ dataDir }),
};

/** A factory making a new database on a running cluster for each harness. */
export function postgresFactory(createDatabase: () => Promise<string>): DbFactory {
  return {
    name: 'postgres',
    async open(dataDir) {
      return openDatabase({ dataDir, databaseUrl: await createDatabase() });
    },
  };
}

export interface TestCoordinator {
  id: string;
  identity: HybridIdentity;
  seed: Uint8Array;
  publicKey: Uint8Array;
  roles: Role[];
}

function coordinator(id: string, roles: Role[]): TestCoordinator {
  const seed = primitives().randomBytes(32);
  return { id, identity: HybridIdentity.generate(), seed, publicKey: primitives().ed25519PublicKey(seed), roles };
}

/** Every table, for before/after row counts. */
export const TABLES = [
  'keyrings',
  'profiles',
  'statistics',
  'reports',
  'attachments',
  'attachment_chunks',
  'mailboxes',
  'mailbox_messages',
  'case_notes',
  'warnings',
  'members',
  'sessions',
  'spent_stamps',
  'seen_requests',
  'counters',
  'abuse_counters',
] as const;
export type Counts = Record<(typeof TABLES)[number], number>;

export const minimalReport = (extra: Partial<Report> = {}): Report => ({
  schemaVersion: 1,
  incidentTypes: ['violence'],
  consent: { publishWarning: 'yes' },
  ...extra,
});

export interface HarnessOptions {
  config?: DeepPartial<Config>;
  /** Store no keyring. */
  noKeyring?: boolean;
}

export type Harness = Awaited<ReturnType<typeof makeHarness>>;

export async function makeHarness(factory: DbFactory, opts: HarnessOptions = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tipline-server-test-'));
  const database = await factory.open(dataDir);
  const db = database.db;
  const config = defaultConfig(dataDir, {
    pow: { difficulty: 3, maxDifficulty: 6, surgeThreshold: 1000 },
    basicForm: { minFillSeconds: 2, perHour: 1000 },
    clientDir: join(dataDir, 'no-client'),
    passphraseLogN: 10,
    ...opts.config,
  });
  let now = new Date();
  const clock = {
    now: () => now,
    set(d: Date) {
      now = d;
    },
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
  const rootSeed = primitives().randomBytes(32);
  const rootPublicKey = primitives().ed25519PublicKey(rootSeed);
  const serverKey = randomBytes(32);
  const coordinators = {
    /** Every role. */
    all: coordinator('all', ['reports', 'warnings', 'members']),
    /** Reports only. */
    reader: coordinator('reader', ['reports']),
  };
  /** Not in the keyring. */
  const outsider = coordinator('outsider', ['reports', 'warnings', 'members']);

  const makeKeyring = (version: number, list: TestCoordinator[] = Object.values(coordinators), expires?: string): Keyring => ({
    version,
    issued: dayOf(now),
    expires: expires ?? dayOf(now.getTime() + 180 * 86_400_000),
    coordinators: list.map((c) => ({
      id: c.id,
      name: `Coordinator ${c.id}`,
      recipient: c.identity.recipient().toString(),
      signingKey: bytes.base64Padded(c.publicKey),
      roles: c.roles,
    })),
  });
  const keyring = makeKeyring(1);
  const envelope = signKeyring(keyring, rootSeed);
  if (!opts.noKeyring) await insertKeyring(db, 1, JSON.stringify(envelope), dayOf(now));

  let tick = 0;
  const app = createApp({ db, dbKind: database.kind, config, serverKey, rootPublicKey, now: clock.now });

  const h = {
    kind: database.kind,
    db,
    app,
    config,
    dataDir,
    clock,
    rootSeed,
    rootPublicKey,
    coordinators,
    outsider,
    keyring,
    envelope,
    makeKeyring,
    recipients: keyringRecipients(keyring),

    serverKey,

    /**
     * A second server process on the same database (same server key and clock, optionally
     * another configuration): what it sees shows whether a limit is shared between processes.
     */
    otherProcess(config: DeepPartial<Config> = {}) {
      const other = createApp({ db, dbKind: database.kind, config: mergeConfig(h.config, config), serverKey, rootPublicKey, now: clock.now });
      return { app: other, request: (path: string, init?: RequestInit) => Promise.resolve(other.request(path, init)) };
    },

    request(path: string, init?: RequestInit): Promise<Response> {
      return Promise.resolve(app.request(path, init));
    },

    /** POST JSON. */
    postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
      return h.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },

    /** A solved proof-of-work stamp from the server. */
    async stamp(): Promise<string> {
      const r = await h.request('/api/pow');
      const { challenge, difficulty } = (await r.json()) as { challenge: string; difficulty: number };
      return solvePow(challenge, difficulty);
    },

    /** An age file to the keyring's coordinators. */
    async toCoordinators(plaintext: Uint8Array | string = 'hello'): Promise<Uint8Array> {
      return encrypt(h.recipients, typeof plaintext === 'string' ? bytes.utf8(plaintext) : plaintext);
    },

    async reportFile(r: Report = minimalReport()): Promise<Uint8Array> {
      return encrypt(h.recipients, encodeReport(r));
    },

    /** A reporter mailbox (what deriveMailbox gives a browser, without the slow KDF). */
    mailbox() {
      const seed = primitives().randomBytes(32);
      return {
        id: randomBytes(32).toString('base64url'),
        seed,
        publicKey: primitives().ed25519PublicKey(seed),
        reply: HybridIdentity.generate(),
      };
    },

    /** Submit a report the way the browser does; returns the parsed 201 body. */
    async submitReport(o: { file?: Uint8Array; mailbox?: { id: string; publicKey: Uint8Array } } = {}) {
      const file = o.file ?? (await h.reportFile());
      const r = await h.postJson(
        '/api/reports',
        {
          report: bytes.base64Padded(file),
          ...(o.mailbox ? { mailbox: { id: o.mailbox.id, publicKey: bytes.base64Padded(o.mailbox.publicKey) } } : {}),
        },
        { 'tipline-pow': await h.stamp() },
      );
      if (r.status !== 201) throw new Error(`report submission failed: ${r.status} ${await r.text()}`);
      return (await r.json()) as { id: string; uploadToken: string };
    },

    /**
     * A signed request. `opts.timestamp` overrides the clock; `opts.signedPath`/`signedBody`
     * sign something other than what is sent (forgery tests).
     */
    signed(
      scope: 'coordinator' | 'mailbox',
      seed: Uint8Array,
      method: string,
      path: string,
      body?: unknown,
      opts: { timestamp?: number; signedPath?: string; signedBody?: Uint8Array; contentType?: string; headers?: Record<string, string> } = {},
    ): Promise<Response> {
      const raw = body === undefined ? new Uint8Array(0) : body instanceof Uint8Array ? body : bytes.utf8(JSON.stringify(body));
      // Identical state-changing requests in one second would be identical signatures (a
      // replay); real clients rarely repeat themselves, tests often do, so vary the time a little.
      const timestamp = opts.timestamp ?? Math.floor(now.getTime() / 1000) - (tick++ % 60);
      const headers = signRequest(scope, { method, path: opts.signedPath ?? path, body: opts.signedBody ?? raw, timestamp }, seed);
      if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
      return h.request(path, {
        method,
        headers: { ...headers, ...opts.headers },
        body: body === undefined ? undefined : (raw as BodyInit),
      });
    },

    /** A coordinator request signed by one of the harness's coordinators (default: all roles). */
    coord(method: string, path: string, body?: unknown, who: TestCoordinator = coordinators.all): Promise<Response> {
      return h.signed('coordinator', who.seed, method, path, body);
    },

    /** A warning document signed by a coordinator. */
    warning(payload: unknown, who: TestCoordinator = coordinators.all): SignedEnvelope {
      return signDocument('warning', bytes.utf8(JSON.stringify(payload)), who.seed);
    },

    /** A valid warning (schema v1) signed by a coordinator, with its id; `over` changes fields. */
    validWarning(over: Partial<Warning> = {}, who: TestCoordinator = coordinators.all) {
      return signWarning(
        { schemaVersion: 1, published: dayOf(now), regions: ['north'], month: dayOf(now).slice(0, 7), incidentTypes: ['violence'], ...over },
        who.seed,
      );
    },

    /** A signed withdrawal of warning `id`. */
    withdrawal(id: string, who: TestCoordinator = coordinators.all) {
      return signWithdrawal({ schemaVersion: 1, published: dayOf(now), withdraws: id }, who.seed);
    },

    /** Apply, approve and log in a member; returns the session cookie header value. */
    async member(login = `m${randomBytes(4).toString('hex')}`, passphrase = 'correct horse battery') {
      const apply = await h.postJson(
        '/api/members/apply',
        { login, passphrase, application: bytes.base64Padded(await h.toCoordinators('application')) },
        { 'tipline-pow': await h.stamp() },
      );
      if (apply.status !== 201) throw new Error(`apply failed: ${apply.status} ${await apply.text()}`);
      const { id } = (await apply.json()) as { id: string };
      const ok = await h.coord('POST', `/api/coordinator/applications/${id}`, { decision: 'approve' });
      if (ok.status !== 200) throw new Error(`approve failed: ${ok.status}`);
      const cookie = await h.login(login, passphrase);
      return { id, login, passphrase, cookie };
    },

    async login(login: string, passphrase: string): Promise<string> {
      const r = await h.postJson('/api/members/login', { login, passphrase });
      if (r.status !== 200) throw new Error(`login failed: ${r.status} ${await r.text()}`);
      return sessionCookie(r);
    },

    async counts(): Promise<Counts> {
      const out = {} as Counts;
      for (const t of TABLES) {
        const r = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(t)}`.execute(db);
        out[t] = Number(r.rows[0]!.n);
      }
      return out;
    },

    async close(): Promise<void> {
      await database.close().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** The `name=value` of the session cookie a response sets. */
export function sessionCookie(r: Response): string {
  const set = r.headers.get('set-cookie') ?? '';
  const m = /tipline_session=([^;]*)/.exec(set);
  if (!m) throw new Error('no session cookie');
  return `tipline_session=${m[1]}`;
}

/** An age file to an X25519 recipient (classical: refused by the server). */
export async function classicalFile(): Promise<Uint8Array> {
  return encrypt([X25519Identity.generate().recipient()], bytes.utf8('x'));
}

/** Expect `{error: string}` JSON with the given status. Returns the message. */
export async function expectError(r: Response, status: number): Promise<string> {
  const text = await r.text();
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${text}`);
  if (!(r.headers.get('content-type') ?? '').startsWith('application/json')) throw new Error(`error is not JSON: ${text}`);
  const body = JSON.parse(text) as { error?: unknown };
  if (typeof body.error !== 'string' || Object.keys(body).length !== 1) throw new Error(`not an {error} body: ${text}`);
  return body.error;
}
