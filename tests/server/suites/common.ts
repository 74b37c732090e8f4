import { expect } from 'vitest';
import type { Counts, DbFactory, Harness } from '../harness.js';

/** How a suite gets its database factory (PostgreSQL's exists only once the cluster is up). */
export type GetFactory = () => DbFactory;

/** Run `fn` and assert that no table changed its row count. */
export async function unchanged<T>(h: Harness, fn: () => Promise<T>, ignore: (keyof Counts)[] = []): Promise<T> {
  const before = await h.counts();
  const out = await fn();
  const after = await h.counts();
  for (const k of ignore) {
    delete (before as Partial<Counts>)[k];
    delete (after as Partial<Counts>)[k];
  }
  expect(after).toEqual(before);
  return out;
}
