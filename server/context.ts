/**
 * What every route shares: the database, configuration, clock, the current keyring,
 * the proof-of-work issuer, the abuse limits (counted in the database) and this process's
 * gates for expensive work.
 */
import { createHmac } from 'node:crypto';
import {
  AgeError,
  DocumentError,
  bytes,
  deriveCheckKey,
  inspect,
  parseEnvelope,
  verifyKeyring,
  verifyProfile,
  verifyStatistics,
  assertPeriodsKept,
  StatisticsError,
  type Statistics,
  type Keyring,
  type Profile,
} from '../crypto/index.js';
import { Abuse, BUCKET_MINUTES, COUNTER, Gate, KeyedLock } from './abuse.js';
import type { Config } from './config.js';
import type { Db, DbKind } from './db/index.js';
import { insertKeyring, insertProfile, insertStatistics, latestKeyring, latestProfile, latestStatistics, passHashParams } from './db/queries.js';
import { ApiError } from './http.js';
import { dummyHash } from './passwords.js';
import { PowIssuer, subkey, type SpendableStamp } from './pow.js';
import { dayOf } from './util.js';

export interface AppDeps {
  db: Db;
  dbKind: DbKind;
  config: Config;
  /** 32 random bytes kept in the data dir (or shared by configuration between processes). */
  serverKey: Uint8Array;
  /**
   * 32 secret bytes the private-check OPRF key is derived from (`<data dir>/check-key` or
   * TIPLINE_CHECK_KEY; never in the database). Absent: derived from `serverKey` (tests).
   */
  checkKey?: Uint8Array;
  /** The organisation root's Ed25519 public key, which every keyring must verify against. */
  rootPublicKey: Uint8Array;
  /** The clock; tests move it. */
  now?: () => Date;
}

/** How long a verified keyring is used before the database is asked again (several processes: see server/README.md). */
export const KEYRING_TTL_MS = 1000;

/** How long a stamp check trusts this process's last read of the surge window (server/README.md "Surge read"). */
export const SURGE_TTL_MS = 1000;

export interface CurrentKeyring {
  keyring: Keyring;
  envelope: string;
}

export class ServerContext {
  readonly db: Db;
  readonly dbKind: DbKind;
  readonly config: Config;
  readonly now: () => Date;
  readonly pow: PowIssuer;
  readonly rootPublicKey: Uint8Array;
  readonly serverKey: Uint8Array;
  readonly abuse: Abuse;
  /** The OPRF secret key of the private check (crypto/SPEC.md §Private check). */
  readonly checkKey: Uint8Array;
  /** Logins and applications each have their own scrypt slots, so neither can starve the other. */
  readonly loginGate: Gate;
  readonly applyGate: Gate;
  readonly uploadGate: Gate;
  /** One upload at a time per report. */
  readonly reportUploads = new KeyedLock();
  private cached: { text: string; day: string; value: CurrentKeyring } | undefined;
  /** When the stored keyring was last read (process clock): it is read again after KEYRING_TTL_MS. */
  private keyringReadAt = -Infinity;
  private cachedProfile: { text: string; value: Profile | undefined } | undefined;
  private hashParams: { at: number; list: { params: string; count: number }[] } | undefined;
  /** The surge window's count as last read (process clock `at`, 5-minute bucket of the app clock) plus this process's submissions since. */
  private surge: { at: number; bucket: number; count: number } | undefined;
  private readonly dummyKey: Buffer;

  constructor(deps: AppDeps) {
    this.db = deps.db;
    this.dbKind = deps.dbKind;
    this.config = deps.config;
    this.now = deps.now ?? (() => new Date());
    if (deps.rootPublicKey.length !== 32) throw new Error('invalid root public key');
    if (deps.serverKey.length !== 32) throw new Error('invalid server key');
    this.rootPublicKey = deps.rootPublicKey;
    this.serverKey = deps.serverKey;
    this.pow = new PowIssuer(subkey(deps.serverKey, 'pow'), deps.config.pow, this.now);
    this.dummyKey = subkey(deps.serverKey, 'dummy-hash');
    if (deps.checkKey && deps.checkKey.length !== 32) throw new Error('invalid check key');
    this.checkKey = deriveCheckKey(deps.checkKey ?? subkey(deps.serverKey, 'check'));
    this.abuse = new Abuse(deps.db, deps.dbKind, deps.config, this.now, subkey(deps.serverKey, 'login-failures'));
    const wait = deps.config.abuse.queueSeconds * 1000;
    this.loginGate = new Gate(3, wait);
    this.applyGate = new Gate(1, wait);
    this.uploadGate = new Gate(deps.config.limits.concurrentUploads, wait);
  }

  /** The proof-of-work difficulty in force, read from the surge window in the database now (GET /api/pow). */
  async powDifficulty(): Promise<number> {
    return this.pow.difficulty(await this.readSurge());
  }

  private surgeBucket(): number {
    return Math.floor(this.now().getTime() / 60_000 / BUCKET_MINUTES);
  }

  private async readSurge(): Promise<number> {
    const bucket = this.surgeBucket();
    const count = await this.abuse.windowCount(COUNTER.surge, this.config.pow.surgeWindowMinutes);
    this.surge = { at: performance.now(), bucket, count };
    return count;
  }

  /** The surge count for a stamp check: the last read when younger than SURGE_TTL_MS and of this bucket. */
  private async surgeCount(): Promise<number> {
    const s = this.surge;
    if (s && s.bucket === this.surgeBucket() && performance.now() - s.at < SURGE_TTL_MS) return s.count;
    return this.readSurge();
  }

  /** This process counted one paid submission in the surge window: its cached count follows at once. */
  countedSubmission(): void {
    if (this.surge) this.surge.count++;
  }

  /**
   * Check a `tipline-pow` header against the difficulty in force (spending is the caller's
   * job). The surge window is read only when it can refuse the stamp, and then at most once
   * per SURGE_TTL_MS per process (server/README.md "Surge read").
   * @throws ApiError(403, 'proof of work required' | 'invalid proof of work' | 'proof of work expired')
   */
  async verifyStamp(header: string | undefined): Promise<SpendableStamp> {
    const s = this.pow.check(header);
    if (this.pow.surgeMatters(s.difficulty)) this.pow.assertInForce(s.difficulty, this.pow.difficulty(await this.surgeCount()));
    return { hash: s.hash, expiresDay: s.expiresDay };
  }

  /** Count one paid submission towards the surge window (in the caller's transaction when given). */
  async recordSubmission(trx?: Parameters<Abuse['windowAdd']>[3]): Promise<void> {
    await this.abuse.windowAdd(COUNTER.surge, this.config.pow.surgeWindowMinutes, undefined, trx);
    this.countedSubmission();
  }

  /**
   * The dummy hash an unknown login name is checked against: the parameters of a stored
   * hash picked by a keyed hash of the name, so each unknown name always costs the same and
   * unknown names cost what member names cost, in the same proportions, even while stored
   * hashes still carry an older cost. With no members, the configured cost.
   */
  async dummyHash(login: string): Promise<string> {
    const t = Date.now();
    if (!this.hashParams || t - this.hashParams.at > 60_000) this.hashParams = { at: t, list: await passHashParams(this.db) };
    const list = this.hashParams.list;
    const total = list.reduce((a, x) => a + x.count, 0);
    if (total === 0) return dummyHash(`scrypt$${this.config.passphraseLogN}$8$1$`);
    let pick = createHmac('sha256', this.dummyKey).update(login).digest().readUInt32BE(0) % total;
    for (const x of list) {
      if (pick < x.count) return dummyHash(x.params);
      pick -= x.count;
    }
    return dummyHash(list[0]!.params);
  }

  today(): string {
    return dayOf(this.now());
  }

  seconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  /** The stored keyring envelope as JSON text, verified or not (for GET /api/keyring). */
  async keyringText(): Promise<string | undefined> {
    return (await latestKeyring(this.db))?.envelope;
  }

  /**
   * The current keyring, verified against the root key and not expired.
   * @throws ApiError(503, 'no keyring' | 'keyring expired' | 'invalid keyring')
   */
  async keyring(): Promise<CurrentKeyring> {
    const day = this.today();
    // Read on every request it cost a query per submission; another process's upload is seen within the TTL.
    if (this.cached && this.cached.day === day && performance.now() - this.keyringReadAt < KEYRING_TTL_MS) return this.cached.value;
    const row = await latestKeyring(this.db);
    if (!row) throw new ApiError(503, 'no keyring');
    if (this.cached && this.cached.text === row.envelope && this.cached.day === day) {
      this.keyringReadAt = performance.now();
      return this.cached.value;
    }
    let keyring: Keyring;
    try {
      keyring = verifyKeyring(row.envelope, this.rootPublicKey, { now: this.now() });
    } catch (e) {
      if (e instanceof DocumentError && e.message === 'keyring expired') throw new ApiError(503, 'keyring expired');
      throw new ApiError(503, 'invalid keyring');
    }
    const value = { keyring, envelope: row.envelope };
    this.cached = { text: row.envelope, day, value };
    this.keyringReadAt = performance.now();
    return value;
  }

  /**
   * Store a new keyring: it must verify against the root key, not be expired, and have a
   * higher version than the stored one.
   * @throws ApiError(400, 'invalid keyring' | 'invalid signature' | 'keyring expired'), ApiError(409, 'keyring version not newer')
   */
  async replaceKeyring(input: unknown): Promise<Keyring> {
    let text: string;
    try {
      text = JSON.stringify(parseEnvelope(input));
    } catch {
      throw new ApiError(400, 'invalid keyring');
    }
    const current = await latestKeyring(this.db);
    let keyring: Keyring;
    try {
      keyring = verifyKeyring(text, this.rootPublicKey, { now: this.now(), minVersion: current ? current.version + 1 : 0 });
    } catch (e) {
      const m = e instanceof Error ? e.message : '';
      if (m === 'keyring version rollback') throw new ApiError(409, 'keyring version not newer');
      if (m === 'invalid signature' || m === 'keyring expired') throw new ApiError(400, m);
      throw new ApiError(400, 'invalid keyring');
    }
    if (!(await insertKeyring(this.db, keyring.version, text, this.today()))) throw new ApiError(409, 'keyring version not newer');
    this.keyringReadAt = -Infinity;
    return keyring;
  }

  /**
   * Region ids of the stored profile (verified when it was stored), or undefined when there
   * is none: warnings may name only these.
   */
  async profileRegions(): Promise<Set<string> | undefined> {
    const row = await latestProfile(this.db);
    if (!row) return undefined;
    const env = JSON.parse(row.envelope) as { payload: string };
    const p = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { regions: { id: string }[] };
    return new Set(p.regions.map((r) => r.id));
  }

  /**
   * The stored profile, verified again (root key, or an `admin` of the current keyring), for
   * the server-rendered pages' help section; undefined when there is none or it does not
   * verify (the pages then keep the generic emergency numbers). Cached per envelope text.
   */
  async profile(): Promise<Profile | undefined> {
    const row = await latestProfile(this.db);
    if (!row) return undefined;
    const current = await this.keyring().catch(() => undefined);
    // An admin-signed profile stands or falls with the keyring that names the admin.
    const text = `${row.envelope}\n${current?.envelope ?? ''}`;
    if (this.cachedProfile?.text === text) return this.cachedProfile.value;
    let value: Profile | undefined;
    try {
      value = verifyProfile(row.envelope, this.rootPublicKey, { keyring: current?.keyring });
    } catch {
      value = undefined;
    }
    this.cachedProfile = { text, value };
    return value;
  }

  /** The stored profile envelope as JSON text (for GET /api/profile). */
  async profileText(): Promise<string | undefined> {
    return (await latestProfile(this.db))?.envelope;
  }

  /**
   * Store a new organisation profile: signed by the root key or by an `admin` coordinator of
   * the current keyring, valid, and of a higher version than the stored one.
   * @throws ApiError(400, 'invalid profile' | 'invalid signature'), ApiError(409, 'profile version not newer')
   */
  async replaceProfile(input: unknown): Promise<Profile> {
    let text: string;
    try {
      text = JSON.stringify(parseEnvelope(input));
    } catch {
      throw new ApiError(400, 'invalid profile');
    }
    // Without a usable keyring only the root key can sign a profile.
    const keyring = await this.keyring().then(
      (k) => k.keyring,
      () => undefined,
    );
    const current = await latestProfile(this.db);
    let profile: Profile;
    try {
      profile = verifyProfile(text, this.rootPublicKey, { keyring, minVersion: current ? current.version + 1 : 0 });
    } catch (e) {
      const m = e instanceof Error ? e.message : '';
      if (m === 'profile version rollback') throw new ApiError(409, 'profile version not newer');
      if (m === 'invalid signature') throw new ApiError(400, m);
      throw new ApiError(400, 'invalid profile');
    }
    if (!(await insertProfile(this.db, profile.version, text, this.today()))) throw new ApiError(409, 'profile version not newer');
    return profile;
  }

  /** The stored statistics summary envelope as JSON text (for GET /api/statistics). */
  async statisticsText(): Promise<string | undefined> {
    return (await latestStatistics(this.db))?.envelope;
  }

  /**
   * Store a new statistics summary: signed by a `warnings` coordinator of the current
   * keyring, valid, suppressed (the crypto audit: no count from 1 to 4 shown or derivable),
   * of a higher version, and keeping every period the stored summary published exactly as
   * it was (a published quarter is frozen; SECURITY.md §Published statistics).
   * @throws ApiError(400, 'invalid statistics' | 'invalid signature' | 'published period changed'),
   *   ApiError(409, 'statistics version not newer')
   */
  async replaceStatistics(input: unknown): Promise<Statistics> {
    let text: string;
    try {
      text = JSON.stringify(parseEnvelope(input));
    } catch {
      throw new ApiError(400, 'invalid statistics');
    }
    const { keyring } = await this.keyring();
    const current = await latestStatistics(this.db);
    let stats: Statistics;
    try {
      stats = verifyStatistics(text, keyring, { minVersion: current ? current.version + 1 : 0 });
    } catch (e) {
      const m = e instanceof Error ? e.message : '';
      if (m === 'statistics version rollback') throw new ApiError(409, 'statistics version not newer');
      if (m === 'invalid signature') throw new ApiError(400, m);
      throw new ApiError(400, 'invalid statistics');
    }
    // A summary dated ahead would let quarters still running be published (and then frozen).
    if (stats.issued > this.today()) throw new ApiError(400, 'invalid statistics');
    if (current) {
      // Stored only after it verified; its signer may have left the keyring since, so its
      // payload is read as it is.
      const previous = JSON.parse(bytes.fromUtf8(bytes.fromBase64Padded(parseEnvelope(current.envelope).payload))) as Statistics;
      try {
        assertPeriodsKept(previous, stats);
      } catch (e) {
        if (e instanceof StatisticsError) throw new ApiError(400, 'published period changed');
        throw e;
      }
    }
    if (!(await insertStatistics(this.db, stats.version, text, this.today()))) throw new ApiError(409, 'statistics version not newer');
    return stats;
  }

  /**
   * Check an age file addressed to the coordinators: it parses as age v1 and has exactly
   * one mlkem768x25519 stanza per keyring coordinator and no other stanza. The server
   * cannot see which recipient a stanza is for, so the count and type are what it checks.
   * @throws ApiError(400, 'not an age file' | 'wrong recipients'), ApiError(413, 'too large')
   */
  async checkToCoordinators(file: Uint8Array, maxBytes: number): Promise<void> {
    const { keyring } = await this.keyring();
    checkAgeFile(file, maxBytes, keyring.coordinators.length);
  }
}

/** Unpadded base64 length of the 1120-byte mlkem768x25519 encapsulation. */
const HYBRID_ENC_CHARS = Math.ceil((1120 * 4) / 3);

/**
 * Check an age file's header: exactly `stanzas` mlkem768x25519 stanzas and nothing else.
 * @throws ApiError(400, 'not an age file' | 'wrong recipients'), ApiError(413, 'too large')
 */
export function checkAgeFile(file: Uint8Array, maxBytes: number, stanzas: number): void {
  if (file.length > maxBytes) throw new ApiError(413, 'too large');
  let header;
  try {
    header = inspect(file);
  } catch (e) {
    if (e instanceof AgeError) throw new ApiError(400, 'not an age file');
    throw e;
  }
  // Armored files are refused: the wire format is binary age in base64.
  if (!bytes.equalBytes(file.subarray(0, 21), new TextEncoder().encode('age-encryption.org/v1'))) {
    throw new ApiError(400, 'not an age file');
  }
  const ok =
    header.stanzas.length === stanzas &&
    header.stanzas.every(
      (s) => s.args.length === 2 && s.args[0] === 'mlkem768x25519' && s.args[1]!.length === HYBRID_ENC_CHARS && s.body.length === 32,
    );
  if (!ok) throw new ApiError(400, 'wrong recipients');
}
