/**
 * Statistics for coordinators (issue 12): live counts over every readable case (never leave
 * this machine), CSV downloads, the quarters the next publication would add (already
 * suppressed, exactly as they will be published) and Publish (signed in the console process).
 */
import { useEffect, useState } from 'preact/hooks';
import type { PublishedPeriod, RawTable, Statistics as Summary } from '../../crypto/index.js';
import { StatBars } from '../components/StatBars.js';
import { STATS_TEXT, rowLabel } from '../i18n/member/english.js';
import { api } from './api.js';

interface View {
  live: { reports: number; range?: { first: string; last: string }; tables: RawTable[]; linkedShare: number; medianReplyDays: number | null };
  published?: Summary;
  pending: PublishedPeriod[];
}

const title = (id: string) => STATS_TEXT.tables[id] ?? id;

function Period({ p }: { p: PublishedPeriod }) {
  return (
    <div class="stat-period" data-period={p.period}>
      <h4>
        {p.period} · {String(p.reports)} reports
      </h4>
      {p.tables.map((t) =>
        t.rows ? <StatBars key={t.id} title={title(t.id)} bars={t.rows.map((r) => ({ label: `${title(t.id)}: ${rowLabel(t.id, r.key)}`, value: r.value }))} /> : <p key={t.id}>{title(t.id)}: withheld</p>,
      )}
    </div>
  );
}

export function Statistics() {
  const [view, setView] = useState<View | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<View>('GET', '/stats')
      .then((v) => (setView(v), setError('')))
      .catch((e: Error) => setError(e.message));
  }, [tick]);
  const publish = async () => {
    setBusy(true);
    setDone('');
    try {
      const s = await api<Summary>('POST', '/stats/publish', {});
      setDone(`Published version ${s.version} with ${s.periods.length} quarter(s).`);
      setTick(tick + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel stats-panel" aria-label="statistics">
      <h2>Statistics</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {!view && !error && <p>Loading…</p>}
      {view && (
        <>
          <p>
            {view.live.reports} readable reports{view.live.range ? ` received ${view.live.range.first} to ${view.live.range.last}` : ''}.{' '}
            {Math.round(view.live.linkedShare * 100)}% linked to another report. Median days to first reply:{' '}
            {view.live.medianReplyDays === null ? 'no replies yet' : view.live.medianReplyDays}.
          </p>
          <p>
            These counts are not suppressed: they stay on this machine. <a href="/api/stats.csv?view=live">Download CSV (live)</a> ·{' '}
            <a href="/api/stats.csv?view=published">Download CSV (published)</a>
          </p>
          {view.live.tables.map((t) => (
            <div key={t.id} class="stat-table" data-table={t.id}>
              <h3>{title(t.id)}</h3>
              <StatBars title={title(t.id)} bars={t.rows.map((r) => ({ label: rowLabel(t.id, r.key), value: r.count }))} />
            </div>
          ))}
          <h3>Publication</h3>
          <p>
            {view.published ? `Published: version ${view.published.version}, ${view.published.periods.length} quarter(s), last ${view.published.periods.at(-1)?.period ?? '—'}.` : 'Nothing published yet.'} Published quarters are frozen; only quarters that have ended are added.
          </p>
          {view.pending.length === 0 ? (
            <p>No quarter has closed since the last publication.</p>
          ) : (
            <>
              <p>Publishing now adds these quarters, suppressed exactly as shown:</p>
              {view.pending.map((p) => (
                <Period key={p.period} p={p} />
              ))}
              <button type="button" name="publish-stats" disabled={busy} onClick={() => void publish()}>
                Sign and publish
              </button>
            </>
          )}
          {done && <p role="status">{done}</p>}
        </>
      )}
    </section>
  );
}
