/**
 * Statistics in the console process (issue 12): the cases as {@link StatsCase}s, the
 * coordinators' unsuppressed view, and the published summary: verified as it stands, extended
 * with the quarters closed since (each suppressed by crypto's `suppress`), signed here with
 * the coordinator's key (role `warnings`) and uploaded. Published quarters are copied as they
 * were, never recomputed (SECURITY.md §Published statistics).
 */
import { signStatistics, suppress, verifyStatistics, type ProfileRegion, type PublishedPeriod, type Statistics } from '../crypto/index.js';
import { RemoteError } from './remote.js';
import type { ConsoleService } from './service.js';
import { liveStats, quarterPeriods, type LiveStats, type StatsCase } from './stats.js';
import { ComposerRefusal, verifiedProfile } from './warnings.js';

const today = () => new Date().toISOString().slice(0, 10);

/** Every readable case as statistics input. */
export function statsCases(s: ConsoleService): StatsCase[] {
  const linked = new Set(s.index.groups().flatMap((g) => g.ids));
  const out: StatsCase[] = [];
  for (const c of s.cases.values()) {
    if (c.status !== 'ok' || !c.report) continue;
    const replies = c.messages.filter((m) => m.from === 'coordinator').map((m) => m.day).sort();
    out.push({
      day: c.day,
      report: c.report,
      linked: linked.has(c.id),
      warned: c.notes.some((n) => n.event?.kind === 'state' && n.event.state === 'warning-published'),
      hasMailbox: c.hasMailbox,
      ...(replies[0] ? { firstReplyDay: replies[0] } : {}),
    });
  }
  return out;
}

async function regions(s: ConsoleService): Promise<ProfileRegion[]> {
  try {
    return (await verifiedProfile(s)).regions;
  } catch {
    return []; // no profile yet: every report counts as 'unmatched'
  }
}

/** The summary as published now, verified against the keyring; undefined when none. @throws RemoteError, DocumentError */
export async function publishedStatistics(s: ConsoleService): Promise<Statistics | undefined> {
  const keyring = await s.refreshKeyring();
  let env: unknown;
  try {
    env = await s.remote.publicJson('/api/statistics');
  } catch (e) {
    if (e instanceof RemoteError && e.status === 404) return undefined;
    throw e;
  }
  return verifyStatistics(env as never, keyring);
}

export interface StatsView {
  live: LiveStats;
  published?: Statistics;
  /** The quarters the next publication would add, already suppressed. */
  pending: PublishedPeriod[];
}

/** Live statistics, the published summary and what publishing now would add. @throws RemoteError, DocumentError */
export async function statsView(s: ConsoleService): Promise<StatsView> {
  const r = await regions(s);
  const cases = statsCases(s);
  const published = await publishedStatistics(s);
  const last = published?.periods[published.periods.length - 1]?.period;
  const pending = quarterPeriods(cases, r, today(), last).map(suppress);
  return { live: liveStats(cases, r), ...(published ? { published } : {}), pending };
}

/**
 * Sign and upload the summary with the quarters closed since the last one.
 * @throws ComposerRefusal (403 without the warnings role, 409 nothing new to publish), RemoteError, StatisticsError
 */
export async function publishStatistics(s: ConsoleService): Promise<Statistics> {
  const keyring = await s.refreshKeyring();
  const me = keyring.coordinators.find((c) => c.id === s.me.id);
  if (!me?.roles.includes('warnings')) throw new ComposerRefusal(403, 'your key does not hold the warnings role in the keyring');
  const view = await statsView(s);
  if (view.pending.length === 0) throw new ComposerRefusal(409, 'no quarter has closed since the last publication');
  const next: Statistics = {
    version: (view.published?.version ?? 0) + 1,
    issued: today(),
    periods: [...(view.published?.periods ?? []), ...view.pending],
  };
  await s.remote.json('POST', '/api/coordinator/statistics', signStatistics(next, s.me.signingSeed));
  return next;
}
