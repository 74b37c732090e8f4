/** Member applications (decrypted in the console process) and members: approve, refuse, revoke. */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { t } from './i18n.js';
import { Text } from './Text.js';

interface Member {
  id: string;
  login: string;
  day: string;
  state: 'pending' | 'approved' | 'revoked';
  text?: string;
  error?: string;
}

export function Members() {
  const [list, setList] = useState<Member[] | null>(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ members: Member[] }>('GET', '/members')
      .then((m) => (setList(m.members), setError('')))
      .catch((e: Error) => setError(e.message));
  }, [tick]);
  const act = async (path: string, body: unknown) => {
    setBusy(true);
    try {
      await api('POST', path, body);
      setTick(tick + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const section = (title: string, state: Member['state']) => {
    const items = list?.filter((m) => m.state === state) ?? [];
    return (
      <section class={`members-${state}`}>
        <h3>
          {title} ({items.length})
        </h3>
        <ul class="members">
          {items.map((m) => (
            <li key={m.id} data-login={m.login} class="member">
              <p>
                <strong>
                  <Text value={m.login} />
                </strong>{' '}
                <span class="muted">{t('members.applied', { day: m.day })}</span>
              </p>
              {m.error ? <p class="error">{m.error}</p> : m.text !== undefined && <p class="prewrap application"><Text value={m.text} /></p>}
              {state === 'pending' && (
                <p class="buttons">
                  <button type="button" name="approve" disabled={busy} onClick={() => void act(`/members/${encodeURIComponent(m.id)}/decision`, { decision: 'approve' })}>
                    {t('members.approve')}
                  </button>
                  <button type="button" name="refuse" disabled={busy} onClick={() => void act(`/members/${encodeURIComponent(m.id)}/decision`, { decision: 'refuse' })}>
                    {t('members.refuse')}
                  </button>
                </p>
              )}
              {state === 'approved' && (
                <p class="buttons">
                  <button type="button" name="revoke" disabled={busy} onClick={() => void act(`/members/${encodeURIComponent(m.id)}/revoke`, {})}>
                    {t('members.revoke')}
                  </button>
                </p>
              )}
            </li>
          ))}
        </ul>
      </section>
    );
  };
  return (
    <section class="panel members-panel" aria-label={t('members.label')}>
      <h2>{t('members.title')}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {list === null && !error && <p>{t('common.loading')}</p>}
      {list && (
        <>
          {section(t('members.pending'), 'pending')}
          {section(t('members.approved'), 'approved')}
          {section(t('members.revoked'), 'revoked')}
        </>
      )}
    </section>
  );
}
