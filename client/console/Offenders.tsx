/** The offender view: reports grouped by the identifiers they share. */
import { useEffect, useState } from 'preact/hooks';
import { api, type Session, type Summary } from './api.js';
import { t } from './i18n.js';
import { CaseRow } from './Inbox.js';

export function Offenders({ session, refresh }: { session: Session; refresh: number }) {
  const [groups, setGroups] = useState<{ keys: string[]; cases: Summary[] }[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<{ groups: { keys: string[]; cases: Summary[] }[] }>('GET', '/offenders')
      .then((g) => setGroups(g.groups))
      .catch((e: Error) => setError(e.message));
  }, [refresh]);
  return (
    <section class="panel offenders" aria-label={t('offenders.label')}>
      <h2>{t('offenders.title')}</h2>
      <p class="muted">{t('offenders.intro')}</p>
      {error && <p class="error">{error}</p>}
      {groups?.length === 0 && <p>{t('offenders.none')}</p>}
      {groups?.map((g) => (
        <section class="group" key={g.cases.map((c) => c.id).join()}>
          <h3>
            {t('offenders.group', { n: g.cases.length })} <code>{g.keys.join(', ')}</code>
          </h3>
          <ul class="cases">
            {g.cases.map((c) => (
              <CaseRow key={c.id} c={c} session={session} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
