/**
 * The warnings page: incremental sync (`since` + ETag), every document verified in the
 * browser against the root-pinned keyring, filters, and the opt-in copy on this device.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { INCIDENT_TYPES, verifyKeyring, type Keyring, type Profile } from '../../crypto/index.js';
import { WarningCard } from '../components/WarningCard.js';
import { ApiError, currentMember, memberRequest } from '../lib/member-api.js';
import { request } from '../lib/api.js';
import { verifiedProfile } from '../lib/profile.js';
import { pinnedRootKey } from '../lib/root-key.js';
import { MemberLayout } from './Layout.js';
import { applySync, emptyState, forgetDevice, loadStored, ordered, saveStored, stateFromStored, type SyncAnswer, type SyncState } from './sync.js';
import { monthName, useMemberI18n, type MemberKey } from '../i18n/member/index.js';


type Phase = 'loading' | 'out' | 'ready' | 'error';

async function fetchKeyring(minVersion: number): Promise<Keyring> {
  const text = await (await request('/api/keyring', { headers: { accept: 'application/json' } })).text();
  return verifyKeyring(text, pinnedRootKey(), { minVersion });
}

export function Warnings() {
  const { t, lang } = useMemberI18n();
  const [phase, setPhase] = useState<Phase>('loading');
  const [problem, setProblem] = useState<MemberKey>('warnings.failed');
  const [profile, setProfile] = useState<Profile>();
  const [version, setVersion] = useState(0);
  const [keep, setKeep] = useState(() => loadStored() !== undefined);
  const [region, setRegion] = useState('');
  const [incident, setIncident] = useState('');
  const [from, setFrom] = useState('');
  const [status, setStatus] = useState<MemberKey | ''>('');
  const state = useRef<SyncState>(emptyState());
  const keyring = useRef<Keyring | undefined>(undefined);
  const etag = useRef<string | undefined>(undefined);

  async function sync(): Promise<void> {
    const k = keyring.current!;
    for (let page = 0; page < 100; page++) {
      let res: Response;
      try {
        res = await memberRequest(`/api/warnings?since=${state.current.cursor}`, {
          headers: etag.current && page === 0 ? { accept: 'application/json', 'if-none-match': etag.current } : { accept: 'application/json' },
        });
      } catch (e) {
        if (e instanceof ApiError && e.status === 304) break;
        throw e;
      }
      const a = (await res.json()) as SyncAnswer;
      applySync(state.current, a, k);
      if (!a.more) {
        etag.current = res.headers.get('etag') ?? undefined;
        break;
      }
    }
    if (keep) saveStored(state.current, k.version);
    setVersion((v) => v + 1);
  }

  useEffect(() => {
    void (async () => {
      try {
        if (!(await currentMember())) {
          setPhase('out');
          return;
        }
        const stored = loadStored();
        const k = await fetchKeyring(stored?.keyringVersion ?? 0);
        keyring.current = k;
        setProfile(await verifiedProfile(k).catch(() => undefined));
        if (stored) state.current = stateFromStored(stored, k);
        setPhase('ready');
        await sync();
      } catch (e) {
        const m = e instanceof Error ? e.message : '';
        setProblem(
          m === 'keyring version rollback' || m === 'invalid signature' || m === 'invalid keyring' || m === 'keyring expired'
            ? 'warnings.keysRefused'
            : 'warnings.failed',
        );
        setPhase('error');
      }
    })();
  }, []);

  const regionNames = useMemo(() => Object.fromEntries((profile?.regions ?? []).map((r) => [r.id, r.name])), [profile]);
  const entries = useMemo(() => ordered(state.current), [version]);
  const months = useMemo(
    () => [...new Set(entries.flatMap((e) => (e.status === 'verified' ? [e.warning.month] : [])))].sort().reverse(),
    [entries],
  );
  const shown = entries.filter(
    (e) =>
      e.status === 'failed' ||
      ((!region || e.warning.regions.includes(region)) &&
        (!incident || e.warning.incidentTypes.includes(incident as (typeof INCIDENT_TYPES)[number])) &&
        (!from || e.warning.month >= from)),
  );

  function toggleKeep(on: boolean) {
    setKeep(on);
    if (on && keyring.current) {
      saveStored(state.current, keyring.current.version);
      setStatus('warnings.kept');
    } else {
      forgetDevice();
      setStatus('warnings.notKept');
    }
  }

  function forget() {
    forgetDevice();
    setKeep(false);
    setStatus('warnings.forgotten');
  }

  if (phase === 'out') {
    return (
      <MemberLayout page="warnings" loggedIn={false}>
        <h1>{t('warnings.title')}</h1>
        <p>
          {t('warnings.notLoggedIn')} <a href="/login">{t('warnings.logInToRead')}</a>
        </p>
      </MemberLayout>
    );
  }

  return (
    <MemberLayout page="warnings" loggedIn={phase !== 'loading'} profile={profile}>
      <h1>{t('warnings.title')}</h1>
      {phase === 'loading' && <p role="status">{t('warnings.loading')}</p>}
      {phase === 'error' && (
        <p class="error" role="alert">
          {t(problem)}
        </p>
      )}
      {phase === 'ready' && (
        <>
          <p class="hint">{t('warnings.explain')}</p>
          <form class="filters" aria-label={t('warnings.filters')} onSubmit={(e) => e.preventDefault()}>
            <div class="field">
              <label for="f-region">{t('warnings.region')}</label>
              <select id="f-region" value={region} onChange={(e) => setRegion(e.currentTarget.value)}>
                <option value="">{t('warnings.allRegions')}</option>
                {(profile?.regions ?? []).map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-incident">{t('warnings.incident')}</label>
              <select id="f-incident" value={incident} onChange={(e) => setIncident(e.currentTarget.value)}>
                <option value="">{t('warnings.anything')}</option>
                {INCIDENT_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`incident.${type}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-from">{t('warnings.since')}</label>
              <select id="f-from" value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
                <option value="">{t('warnings.anyTime')}</option>
                {months.map((m) => (
                  <option key={m} value={m}>
                    {monthName(lang, m)}
                  </option>
                ))}
              </select>
            </div>
          </form>
          <p role="status" class="count">
            {t('warnings.count', { n: shown.length })}
          </p>
          <ul class="warnings">
            {shown.map((e) => (
              <li key={e.id} class={e.status === 'failed' ? 'warning-item failed' : 'warning-item'} data-id={e.id}>
                {e.status === 'verified' ? (
                  <WarningCard warning={e.warning} regionNames={regionNames} mark={{ signer: e.signer, disputed: e.disputed }} />
                ) : (
                  <article class="warning-card flagged">
                    <h2>
                      <span aria-hidden="true">⚠ </span>
                      {t('warnings.flaggedTitle')}
                    </h2>
                    <p class="mark failed">{t('warnings.flagged', { reason: t(e.reason) })}</p>
                  </article>
                )}
              </li>
            ))}
          </ul>
          <section aria-labelledby="device-h">
            <h2 id="device-h">{t('warnings.deviceHeading')}</h2>
            <label class="option">
              <input type="checkbox" checked={keep} onChange={(e) => toggleKeep(e.currentTarget.checked)} />
              {t('warnings.keep')}
            </label>
            <p class="hint">{t('warnings.keepHint')}</p>
            <button type="button" class="secondary" onClick={forget}>
              {t('warnings.forget')}
            </button>
            {status && (
              <p class="ok" role="status">
                {t(status)}
              </p>
            )}
          </section>
        </>
      )}
    </MemberLayout>
  );
}
