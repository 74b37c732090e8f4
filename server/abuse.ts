/**
 * Abuse limits shared by every process through the database (SECURITY.md "Abuse limits"):
 * sliding windows of coarse 5-minute buckets (proof-of-work surge, the no-JS form, failed
 * logins per name), the daily byte ceiling of the whole service, the free-space watermark,
 * and the waiting gates that bound expensive work in this process.
 *
 * A bucket row says how many events fell in a 5-minute period and is deleted as soon as it
 * leaves its window, so the database never holds a finer or older trace of activity.
 */
import { createHmac } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { statfsSync } from 'node:fs';
import type { Config } from './config.js';
import type { Db, DbKind, SyncSqlite } from './db/index.js';
import {
  addToBucket,
  addToBucketSync,
  addToTwoBuckets,
  addToTwoBucketsAlone,
  addToTwoBucketsSync,
  countWindowRows,
  pruneBuckets,
  pruneBucketsSync,
  sumBuckets,
} from './db/queries.js';
import { ApiError } from './http.js';

type Q = Parameters<typeof addToBucket>[0];

/** Minutes per bucket of the windowed counters. */
export const BUCKET_MINUTES = 5;
const DAY_MINUTES = 24 * 60;
/** Failed logins for a name count for an hour. */
export const LOGIN_WINDOW_MINUTES = 60;

/** Counter names. `login:` is followed by a keyed hash of the login name, never the name. */
export const COUNTER = { surge: 'surge', basicForm: 'basic-form', login: 'login:', bytes: 'bytes', check: 'check:' } as const;

export class Abuse {
  private space: { at: number; free: number } | undefined;
  private pruner: NodeJS.Timeout | undefined;
  /** Per counter name: the window start this process last pruned to (pruning again before it moves deletes nothing). */
  private readonly pruned = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly kind: DbKind,
    private readonly config: Config,
    private readonly now: () => Date,
    private readonly loginKey: Uint8Array,
  ) {}

  private bucket(minutes: number): number {
    return Math.floor(this.now().getTime() / 60_000 / minutes);
  }

  /** First bucket inside a window of `windowMinutes` (the current bucket counts as one). */
  private windowStart(windowMinutes: number): number {
    return this.bucket(BUCKET_MINUTES) - Math.max(1, Math.ceil(windowMinutes / BUCKET_MINUTES)) + 1;
  }

  /** Events of a windowed counter within the window. */
  async windowCount(name: string, windowMinutes: number): Promise<number> {
    return sumBuckets(this.db, name, this.windowStart(windowMinutes));
  }

  /**
   * Count one event, unless the window already holds `ceiling` (then nothing is added).
   * Buckets that left the window are deleted (for `login:` names: every name's).
   * @returns false when the ceiling was reached
   */
  async windowAdd(name: string, windowMinutes: number, ceiling = Number.MAX_SAFE_INTEGER, db: Q = this.db): Promise<boolean> {
    const start = this.windowStart(windowMinutes);
    const current = this.bucket(BUCKET_MINUTES);
    await this.pruneWindow(db, name, start);
    // Only the current bucket still grows, so a conditional update of it is atomic across processes.
    const earlier = ceiling === Number.MAX_SAFE_INTEGER ? 0 : await sumBuckets(db, name, start, current);
    return addToBucket(db, name, current, 1, ceiling - earlier);
  }

  /** What to prune with `name`: every failed-login counter goes together. */
  private pruneName(name: string): string {
    return name.startsWith(COUNTER.login) ? `${COUNTER.login}*` : name;
  }

  /** Delete the buckets of `name` that left the window starting at `start`, once per window move. */
  private async pruneWindow(db: Q, name: string, start: number): Promise<void> {
    const pruneName = this.pruneName(name);
    if (this.pruned.get(pruneName) !== start) {
      await pruneBuckets(db, pruneName, start);
      this.pruned.set(pruneName, start);
    }
    this.schedulePruning();
  }

  /**
   * Delete every windowed bucket that left its window (surge, no-JS form, failed logins).
   * Runs every minute while such rows exist, so a quiet hour after a lone report leaves no
   * bucket dating it.
   * @returns windowed rows left
   */
  async pruneWindows(): Promise<number> {
    await pruneBuckets(this.db, COUNTER.surge, this.windowStart(this.config.pow.surgeWindowMinutes));
    await pruneBuckets(this.db, COUNTER.basicForm, this.windowStart(this.config.basicForm.windowMinutes));
    await pruneBuckets(this.db, `${COUNTER.login}*`, this.windowStart(LOGIN_WINDOW_MINUTES));
    await pruneBuckets(this.db, `${COUNTER.check}*`, this.bucket(DAY_MINUTES));
    // Also here: the hot paths prune once per bucket change, and a rolled-back transaction may undo that.
    await pruneBuckets(this.db, COUNTER.bytes, this.bucket(DAY_MINUTES));
    const left = await countWindowRows(this.db, COUNTER.bytes);
    if (left === 0 && this.pruner) {
      clearInterval(this.pruner);
      this.pruner = undefined;
    }
    return left;
  }

  private schedulePruning(): void {
    if (this.pruner) return;
    this.pruner = setInterval(() => {
      // A closed database (shutdown, tests) ends the timer; the next count starts it again.
      this.pruneWindows().catch(() => {
        clearInterval(this.pruner);
        this.pruner = undefined;
      });
    }, 60_000);
    this.pruner.unref();
  }

  /** The counter name for failed logins of one login name (a keyed hash: attempted names are not stored). */
  loginCounter(login: string): string {
    return COUNTER.login + createHmac('sha256', this.loginKey).update(login).digest().subarray(0, 16).toString('base64url');
  }

  /**
   * Count `n` private checks against a daily limit shared by every process through one
   * conditional update: a member's (`abuse.checksPerDay`) or a coordinator key's
   * (`abuse.coordinatorChecksPerDay`). The counter is named by a keyed hash of `subject` and
   * holds today's count only: yesterday's rows are deleted here and by {@link pruneWindows}.
   * @returns false when the limit would be passed (nothing is counted then)
   */
  async chargeCheck(subject: { member: string } | { coordinator: string }, n = 1): Promise<boolean> {
    const day = this.bucket(DAY_MINUTES);
    await pruneBuckets(this.db, `${COUNTER.check}*`, day);
    this.schedulePruning();
    const [who, limit] = 'member' in subject ? [`member ${subject.member}`, this.config.abuse.checksPerDay] : [`coordinator ${subject.coordinator}`, this.config.abuse.coordinatorChecksPerDay];
    const name = COUNTER.check + createHmac('sha256', this.loginKey).update(`check ${who}`).digest().subarray(0, 16).toString('base64url');
    return addToBucket(this.db, name, day, n, limit);
  }

  /**
   * Charge bytes to today's ceiling of the whole service, in the caller's transaction, and
   * count one event of the windowed counter `alsoCount` (no ceiling) in the same statement.
   * @returns the day bucket charged (for a refund)
   * @throws ApiError(503, 'service full') when the day's ceiling would be passed
   */
  async chargeDaily(trx: Q, bytes: number, alsoCount?: { name: string; windowMinutes: number }): Promise<number> {
    const plan = this.dailyPlan(bytes, alsoCount);
    for (const p of plan.prune) await pruneBuckets(trx, p.name, p.before);
    // One statement for both: a report's transaction holds these rows (every submission
    // writes them) for as short a time as possible.
    const ok = plan.counted ? await addToTwoBuckets(trx, plan.charged, plan.counted) : await addToBucket(trx, plan.charged.name, plan.charged.bucket, bytes, plan.charged.ceiling);
    if (!ok) throw new ApiError(503, 'service full');
    return plan.charged.bucket;
  }

  /**
   * {@link chargeDaily} synchronously on SQLite, inside the caller's {@link syncTransaction}
   * (a throw rolls it back).
   * @throws ApiError(503, 'service full')
   */
  chargeDailySync(s: SyncSqlite, bytes: number, alsoCount?: { name: string; windowMinutes: number }): number {
    const plan = this.dailyPlan(bytes, alsoCount);
    for (const p of plan.prune) pruneBucketsSync(s, p.name, p.before);
    const ok = plan.counted ? addToTwoBucketsSync(s, plan.charged, plan.counted) : addToBucketSync(s, plan.charged.name, plan.charged.bucket, bytes, plan.charged.ceiling);
    if (!ok) throw new ApiError(503, 'service full');
    return plan.charged.bucket;
  }

  /**
   * PostgreSQL: {@link chargeDaily} with `alsoCount`, in a statement of its own before the
   * report is stored (server/README.md "Storing a report"): the hot counter rows are then
   * not held locked through the report's commit. The caller must call `refund` when the
   * report is not stored, so a refused report counts for nothing. A group of `events`
   * submissions is charged its total `bytes` at once, all or nothing; `refund` then gives
   * back the part given (by default all).
   * @throws ApiError(503, 'service full') (nothing charged)
   */
  async chargeDailyAlone(
    bytes: number,
    alsoCount: { name: string; windowMinutes: number },
    events = 1,
  ): Promise<{ refund(part?: { bytes: number; events: number }): Promise<void> }> {
    const plan = this.dailyPlan(bytes, alsoCount);
    for (const p of plan.prune) await pruneBuckets(this.db, p.name, p.before);
    const counted = { ...plan.counted!, by: events };
    if (!(await addToTwoBucketsAlone(this.db, plan.charged, counted))) throw new ApiError(503, 'service full');
    return {
      refund: async (part = { bytes, events }) => {
        await addToBucket(this.db, plan.charged.name, plan.charged.bucket, -part.bytes);
        await addToBucket(this.db, counted.name, counted.bucket, -part.events);
      },
    };
  }

  /**
   * The buckets {@link chargeDaily} touches now, and the prunes due (once per day or window
   * move in this process; pruneWindows catches what a rolled-back transaction undid).
   */
  private dailyPlan(bytes: number, alsoCount?: { name: string; windowMinutes: number }) {
    const day = this.bucket(DAY_MINUTES);
    const prune: { name: string; before: number }[] = [];
    if (this.pruned.get(COUNTER.bytes) !== day) {
      prune.push({ name: COUNTER.bytes, before: day });
      this.pruned.set(COUNTER.bytes, day);
    }
    let counted: { name: string; bucket: number } | undefined;
    if (alsoCount) {
      const start = this.windowStart(alsoCount.windowMinutes);
      const pruneName = this.pruneName(alsoCount.name);
      if (this.pruned.get(pruneName) !== start) {
        prune.push({ name: pruneName, before: start });
        this.pruned.set(pruneName, start);
      }
      counted = { name: alsoCount.name, bucket: this.bucket(BUCKET_MINUTES) };
    }
    this.schedulePruning();
    return { prune, charged: { name: COUNTER.bytes, bucket: day, by: bytes, ceiling: this.config.abuse.dailyBytes }, counted };
  }

  /** Give back bytes charged by {@link chargeDaily} (an upload that was refused or cut off). */
  async refundDaily(trx: Q, day: number, bytes: number): Promise<void> {
    await addToBucket(trx, COUNTER.bytes, day, -bytes);
  }

  /**
   * Refuse new writes when the data dir's file system is nearly full (SQLite only: a
   * PostgreSQL server's disk is not visible from here). Looked up at most every 5 seconds.
   * @throws ApiError(503, 'service full')
   */
  checkSpace(): void {
    if (this.kind !== 'sqlite' || this.config.abuse.minFreeBytes === 0) return;
    const t = Date.now();
    if (!this.space || t - this.space.at > 5000) {
      let free = Number.MAX_SAFE_INTEGER;
      try {
        const s = statfsSync(this.config.dataDir);
        free = Number(s.bavail) * Number(s.bsize);
      } catch {
        // No answer from the file system: let SQLite's own errors speak.
      }
      this.space = { at: t, free };
    }
    if (this.space.free < this.config.abuse.minFreeBytes) throw new ApiError(503, 'service full');
  }
}

/**
 * A counting semaphore for expensive work (scrypt, uploads) in this process. When every
 * slot is taken a caller waits in line, up to `waitMs`, before it is refused.
 */
export class Gate {
  private active = 0;
  private readonly line: (() => void)[] = [];
  constructor(
    private readonly max: number,
    private readonly waitMs: number,
    private readonly maxWaiting = 256,
  ) {}

  /** Run `fn` in a slot. @throws ApiError(503, 'busy, try again') when no slot frees up in time */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.max) this.active++;
    else {
      if (this.line.length >= this.maxWaiting) throw new ApiError(503, 'busy, try again');
      await new Promise<void>((resolve, reject) => {
        const go = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          const i = this.line.indexOf(go);
          if (i >= 0) this.line.splice(i, 1);
          reject(new ApiError(503, 'busy, try again'));
        }, this.waitMs);
        this.line.push(go);
      });
      // The slot was handed over by the one who left it (active unchanged).
    }
    try {
      return await fn();
    } finally {
      const next = this.line.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** One running job per key (an upload per report) in this process. */
export class KeyedLock {
  private readonly held = new Set<string>();
  /** Run `fn` holding `key`. @throws ApiError(429, busyMessage) when it is held already */
  async run<T>(key: string, busyMessage: string, fn: () => Promise<T>): Promise<T> {
    if (this.held.has(key)) throw new ApiError(429, busyMessage);
    this.held.add(key);
    try {
      return await fn();
    } finally {
      this.held.delete(key);
    }
  }
}

/** Refuse a write with 503 'service full' before its body is read when the disk is nearly full. */
export function refuseWhenFull(abuse: Abuse): MiddlewareHandler {
  return async function refuseWhenFull(_c, next) {
    abuse.checkSpace();
    await next();
  };
}
