/** Published warnings, as members see them, with Withdraw (signed in the console process) and Correct. */
import { useEffect, useState } from 'preact/hooks';
import { WarningCard } from '../components/WarningCard.js';
import { api } from './api.js';
import { t } from './i18n.js';
import type { Published, Region } from './warning-model.js';

export function Warnings() {
  const [list, setList] = useState<{ warnings: Published[]; failed: number } | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ warnings: Published[]; failed: number }>('GET', '/warnings')
      .then((r) => (setList(r), setError('')))
      .catch((e: Error) => setError(e.message));
    api<{ regions: Region[] }>('GET', '/profile')
      .then((p) => setNames(Object.fromEntries(p.regions.map((r) => [r.id, r.name]))))
      .catch(() => undefined);
  }, [tick]);
  const withdraw = async (id: string) => {
    setBusy(true);
    try {
      await api('POST', `/warnings/${encodeURIComponent(id)}/withdraw`, {});
      setTick(tick + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel warnings-panel" aria-label={t('warnings.label')}>
      <h2>{t('warnings.title')}</h2>
      <p>
        <a class="button" href="#/compose" data-action="new-warning">
          {t('warnings.new')}
        </a>
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      {list === null && !error && <p>{t('common.loading')}</p>}
      {list && list.failed > 0 && <p class="error">{t('warnings.failed', { n: list.failed })}</p>}
      {list && list.warnings.length === 0 && <p class="muted">{t('warnings.none')}</p>}
      <ul class="published-warnings">
        {list?.warnings.map((w) => (
          <li key={w.id} class="published-warning" data-id={w.id}>
            <WarningCard warning={w.warning} regionNames={names} mark={{ signer: w.signer }} headingLevel={3} />
            <p class="buttons">
              <a class="button" href={`#/compose/correct/${encodeURIComponent(w.id)}`} data-action="correct">
                {t('warnings.correct')}
              </a>{' '}
              <button type="button" name="withdraw" disabled={busy} onClick={() => void withdraw(w.id)}>
                {t('warnings.withdraw')}
              </button>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
