/** The public statistics page: the verified summary as tables with SVG bars, newest quarter first. */
import { useEffect, useState } from 'preact/hooks';
import type { PublishedPeriod, PublishedTable } from '../../crypto/index.js';
import { StatBars } from '../components/StatBars.js';
import { ApiError, request } from '../lib/api.js';
import { verifiedProfile } from '../lib/profile.js';
import { pinnedMinKeyringVersion, pinnedRootKey } from '../lib/root-key.js';
import { checkSummary, type Loaded } from './model.js';
import { STATS_TEXT as T, rowLabel } from './text.js';

async function text(path: string): Promise<string | undefined> {
  try {
    return await (await request(path, { headers: { accept: 'application/json' } })).text();
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

async function load(): Promise<Loaded> {
  let pins;
  try {
    pins = { rootPublicKey: pinnedRootKey(), minKeyringVersion: pinnedMinKeyringVersion() };
  } catch {
    return { state: 'refused', reason: 'this site was built without a pinned key.' };
  }
  const [keyring, stats] = await Promise.all([text('/api/keyring'), text('/api/statistics')]);
  if (keyring === undefined) return { state: 'refused', reason: 'the organisation has no keyring yet.' };
  return checkSummary(keyring, stats, pins);
}

function Table({ t, regions }: { t: PublishedTable; regions: Record<string, string> }) {
  const title = T.tables[t.id] ?? t.id;
  return (
    <section class="stat-table" data-table={t.id}>
      <h3>{title}</h3>
      {!t.rows ? (
        <p class="muted">{T.withheld}</p>
      ) : (
        <>
          <StatBars title={title} bars={t.rows.map((r) => ({ label: rowLabel(t.id, r.key, regions), value: r.value }))} />
          <table>
            <tbody>
              {t.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{rowLabel(t.id, r.key, regions)}</th>
                  <td data-key={r.key}>{String(r.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Period({ p, regions }: { p: PublishedPeriod; regions: Record<string, string> }) {
  return (
    <section class="stat-period" data-period={p.period} aria-labelledby={`h-${p.period}`}>
      <h2 id={`h-${p.period}`}>{p.period.replace('-', ' ')}</h2>
      <p class="stat-total">
        {T.reports}: <strong data-reports>{String(p.reports)}</strong>
      </p>
      {p.tables.map((t) => (
        <Table key={t.id} t={t} regions={regions} />
      ))}
    </section>
  );
}

export function Statistics() {
  const [loaded, setLoaded] = useState<Loaded | 'loading' | 'offline'>('loading');
  const [regions, setRegions] = useState<Record<string, string>>({});
  useEffect(() => {
    load().then(setLoaded, () => setLoaded('offline'));
    // Region names come from the verified profile; without it the region ids are shown.
    verifiedProfile().then(
      (p) => setRegions(Object.fromEntries(p.regions.map((r) => [r.id, r.name]))),
      () => undefined,
    );
  }, []);
  return (
    <div class="app stats-page">
      <header class="top">
        <a href="/">{T.report}</a>
      </header>
      <main id="main">
        <h1>{T.title}</h1>
        <p>{T.intro}</p>
        {loaded === 'loading' && <p role="status">{T.loading}</p>}
        {loaded === 'offline' && <p role="alert" class="stat-refused">{T.refused}the server could not be reached.</p>}
        {loaded !== 'loading' && loaded !== 'offline' && loaded.state === 'none' && <p role="status" class="stat-none">{T.none}</p>}
        {loaded !== 'loading' && loaded !== 'offline' && loaded.state === 'refused' && (
          <p role="alert" class="stat-refused">
            {T.refused}
            {loaded.reason}
          </p>
        )}
        {loaded !== 'loading' && loaded !== 'offline' && loaded.state === 'verified' && (
          <>
            <p role="status" class="stat-verified">
              {T.verified(loaded.signer, loaded.stats.issued)}
            </p>
            <p class="muted">{T.legend}</p>
            {loaded.stats.periods.length === 0 && <p>{T.noPeriods}</p>}
            {[...loaded.stats.periods].reverse().map((p) => (
              <Period key={p.period} p={p} regions={regions} />
            ))}
          </>
        )}
      </main>
    </div>
  );
}
