/**
 * Alert delivery (issue 11): for each warning this console published, how many alerts were
 * sent, are waiting, failed or are unknown (cut off mid-send), the failures with their
 * reasons, Retry for the failed ones and Resend for one unknown after checking.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { t } from './i18n.js';
import { Text } from './Text.js';
import type { Published } from './warning-model.js';

interface Problem {
  id: number;
  member: string;
  channel: 'email' | 'sms';
  state: 'failed' | 'unknown' | 'skipped';
  reason: string;
}
interface Delivery {
  warning: string;
  counts: Record<'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped', number>;
  problems: Problem[];
}
interface AlertsView {
  enabled: boolean;
  email: boolean;
  sms: boolean;
  warnings: Delivery[];
}

const STATE_TEXT: Record<Problem['state'], string> = {
  failed: t('alerts.state.failed'),
  unknown: t('alerts.state.unknown'),
  skipped: t('alerts.state.skipped'),
};

export function Alerts() {
  const [view, setView] = useState<AlertsView | null>(null);
  const [titles, setTitles] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<AlertsView>('GET', '/alerts')
      .then((v) => (setView(v), setError('')))
      .catch((e: Error) => setError(e.message));
    api<{ warnings: Published[] }>('GET', '/warnings')
      .then((r) => setTitles(Object.fromEntries(r.warnings.map((w) => [w.id, `${w.warning.published} · ${w.warning.regions.join(', ')}`]))))
      .catch(() => undefined);
  }, [tick]);
  // Follow the batches while something is on its way.
  useEffect(() => {
    if (!view?.warnings.some((w) => w.counts.pending + w.counts.sending > 0)) return;
    const timer = setTimeout(() => setTick((n) => n + 1), 3000);
    return () => clearTimeout(timer);
  }, [view]);
  const act = async (path: string) => {
    setBusy(true);
    try {
      await api('POST', path, {});
      setTick((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel alerts-panel" aria-label={t('alerts.label')}>
      <h2>{t('app.nav.alerts')}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {view === null && !error && <p>{t('common.loading')}</p>}
      {view && !view.enabled && <p class="muted">{t('alerts.off')}</p>}
      {view?.enabled && (
        <p class="muted">{t('alerts.channels', { email: view.email ? t('alerts.on') : t('alerts.notConfigured'), sms: view.sms ? t('alerts.on') : t('alerts.notConfigured') })}</p>
      )}
      {view?.enabled && view.warnings.length === 0 && <p class="muted">{t('alerts.none')}</p>}
      <ul class="deliveries">
        {view?.warnings.map((w) => (
          <li key={w.warning} class="delivery" data-warning={w.warning}>
            <h3>
              <Text value={titles[w.warning] ?? t('alerts.gone', { id: w.warning })} />
            </h3>
            <p class="counts">
              <span class="badge" data-count="sent">{t('alerts.sent', { n: w.counts.sent })}</span>
              <span class="badge" data-count="pending">{t('alerts.waiting', { n: w.counts.pending + w.counts.sending })}</span>
              <span class={`badge${w.counts.failed ? ' bad' : ''}`} data-count="failed">{t('alerts.failed', { n: w.counts.failed })}</span>
              {w.counts.unknown > 0 && <span class="badge warn" data-count="unknown">{t('alerts.unknown', { n: w.counts.unknown })}</span>}
              {w.counts.skipped > 0 && <span class="badge" data-count="skipped">{t('alerts.skipped', { n: w.counts.skipped })}</span>}
            </p>
            {w.problems.length > 0 && (
              <ul class="problems">
                {w.problems.map((p) => (
                  <li key={p.id} class={`problem p-${p.state}`}>
                    <Text value={p.member} /> · {p.channel === 'sms' ? t('alerts.channel.sms') : t('alerts.channel.email')} · <strong>{STATE_TEXT[p.state]}</strong>: <Text value={p.reason} />
                    {p.state === 'unknown' && (
                      <>
                        {' '}
                        <button type="button" name="resend" disabled={busy} title={t('alerts.resend.title')} onClick={() => void act(`/alerts/rows/${p.id}/resend`)}>
                          {t('alerts.resend')}
                        </button>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {w.counts.failed > 0 && (
              <p class="buttons">
                <button type="button" name="retry" disabled={busy} onClick={() => void act(`/alerts/${encodeURIComponent(w.warning)}/retry`)}>
                  {t('alerts.retry', { n: w.counts.failed })}
                </button>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
