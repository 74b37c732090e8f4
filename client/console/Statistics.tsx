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
import { t } from './i18n.js';

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
        {typeof p.reports === 'number' ? t('stats.period', { period: p.period, n: p.reports }) : t('stats.period.small', { period: p.period, count: p.reports })}
      </h4>
      {p.tables.map((x) =>
        x.rows ? <StatBars key={x.id} title={title(x.id)} bars={x.rows.map((r) => ({ label: `${title(x.id)}: ${rowLabel(x.id, r.key)}`, value: r.value }))} /> : <p key={x.id}>{t('stats.withheld', { table: title(x.id) })}</p>,
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
      setDone(t('stats.publishedNow', { version: s.version, n: s.periods.length }));
      setTick(tick + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel stats-panel" aria-label={t('stats.label')}>
      <h2>{t('stats.title')}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {!view && !error && <p>{t('common.loading')}</p>}
      {view && (
        <>
          <p>
            {view.live.range
              ? t('stats.live.reportsReceived', { n: view.live.reports, first: view.live.range.first, last: view.live.range.last })
              : t('stats.live.reports', { n: view.live.reports })}{' '}
            {t('stats.live.linked', { percent: Math.round(view.live.linkedShare * 100) })}{' '}
            {view.live.medianReplyDays === null ? t('stats.live.noReplies') : t('stats.live.median', { days: view.live.medianReplyDays })}
          </p>
          <p>
            {t('stats.unsuppressed')} <a href="/api/stats.csv?view=live">{t('stats.csv.live')}</a> ·{' '}
            <a href="/api/stats.csv?view=published">{t('stats.csv.published')}</a>
          </p>
          {view.live.tables.map((x) => (
            <div key={x.id} class="stat-table" data-table={x.id}>
              <h3>{title(x.id)}</h3>
              <StatBars title={title(x.id)} bars={x.rows.map((r) => ({ label: rowLabel(x.id, r.key), value: r.count }))} />
            </div>
          ))}
          <h3>{t('stats.publication')}</h3>
          <p>
            {view.published
              ? t('stats.published', { version: view.published.version, n: view.published.periods.length, last: view.published.periods.at(-1)?.period ?? '—' })
              : t('stats.nothingPublished')}{' '}
            {t('stats.frozen')}
          </p>
          {view.pending.length === 0 ? (
            <p>{t('stats.noPending')}</p>
          ) : (
            <>
              <p>{t('stats.pending')}</p>
              {view.pending.map((p) => (
                <Period key={p.period} p={p} />
              ))}
              <button type="button" name="publish-stats" disabled={busy} onClick={() => void publish()}>
                {t('common.signAndPublish')}
              </button>
            </>
          )}
          {done && <p role="status">{done}</p>}
        </>
      )}
    </section>
  );
}
