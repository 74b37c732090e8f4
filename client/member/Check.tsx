/**
 * "Check a number" (issue 11): a member types a phone number, email address, plate or
 * username; the page computes its private-check tag through the blinded endpoint
 * (lib/check.ts) and lists the current, verified warnings that carry that tag. Nothing typed
 * leaves the browser in a form the server can read.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CHECK_KINDS, guessCheckKind, type CheckKind, type Profile } from '../../crypto/index.js';
import { WarningCard } from '../components/WarningCard.js';
import { NotAnIdentifier, checkTagOf } from '../lib/check.js';
import { ApiError, currentMember } from '../lib/member-api.js';
import { verifiedProfile } from '../lib/profile.js';
import { loadWarnings } from './fetch-warnings.js';
import { MemberLayout } from './Layout.js';
import { ordered, type Entry, type SyncState } from './sync.js';
import { useMemberI18n, type MemberKey } from '../i18n/member/index.js';


type Phase = 'loading' | 'out' | 'ready' | 'error';
type Verified = Extract<Entry, { status: 'verified' }>;
type Answer = { kind: 'found'; warnings: Verified[] } | { kind: 'none' } | { kind: 'problem'; key: MemberKey };

export function Check() {
  const { t } = useMemberI18n();
  const [phase, setPhase] = useState<Phase>('loading');
  const [profile, setProfile] = useState<Profile>();
  const [value, setValue] = useState('');
  const [kind, setKind] = useState<CheckKind>('phone');
  const [chosen, setChosen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Answer>();
  const state = useRef<SyncState | undefined>(undefined);

  useEffect(() => {
    void (async () => {
      try {
        if (!(await currentMember())) return setPhase('out');
        const w = await loadWarnings();
        state.current = w.state;
        setProfile(await verifiedProfile(w.keyring).catch(() => undefined));
        setPhase('ready');
      } catch {
        setPhase('error');
      }
    })();
  }, []);

  const regionNames = useMemo(() => Object.fromEntries((profile?.regions ?? []).map((r) => [r.id, r.name])), [profile]);

  async function submit(): Promise<void> {
    if (!state.current || busy) return;
    setBusy(true);
    setAnswer(undefined);
    try {
      const tag = await checkTagOf(kind, value);
      const warnings = ordered(state.current).filter((e): e is Verified => e.status === 'verified' && (e.warning.checkTags ?? []).includes(tag));
      setAnswer(warnings.length > 0 ? { kind: 'found', warnings } : { kind: 'none' });
    } catch (e) {
      const key: MemberKey =
        e instanceof NotAnIdentifier ? `check.notKind.${kind}` : e instanceof ApiError && e.status === 429 ? 'check.limit' : e instanceof ApiError && e.status === 401 ? 'check.loggedOut' : 'check.error';
      setAnswer({ kind: 'problem', key });
    } finally {
      setBusy(false);
    }
  }

  if (phase === 'out') {
    return (
      <MemberLayout page="check" loggedIn={false}>
        <h1>{t('check.title')}</h1>
        <p>
          {t('check.notLoggedIn')} <a href="/login">{t('check.logInToCheck')}</a>
        </p>
      </MemberLayout>
    );
  }

  return (
    <MemberLayout page="check" loggedIn={phase !== 'loading'} profile={profile}>
      <h1>{t('check.title')}</h1>
      {phase === 'loading' && <p role="status">{t('check.loading')}</p>}
      {phase === 'error' && (
        <p class="error" role="alert">
          {t('check.failed')}
        </p>
      )}
      {phase === 'ready' && (
        <>
          <p class="hint">{t('check.explain')}</p>
          <form class="check-form" onSubmit={(e) => (e.preventDefault(), void submit())}>
            <div class="field">
              <label for="check-value">{t('check.value')}</label>
              <input
                id="check-value"
                type="text"
                name="value"
                autocomplete="off"
                spellcheck={false}
                value={value}
                maxLength={200}
                onInput={(e) => {
                  const v = e.currentTarget.value;
                  setValue(v);
                  if (!chosen && v.trim()) setKind(guessCheckKind(v));
                }}
              />
            </div>
            <fieldset class="check-kinds">
              <legend>{t('check.kindLegend')}</legend>
              {CHECK_KINDS.map((k) => (
                <label key={k} class="option">
                  <input
                    type="radio"
                    name="kind"
                    value={k}
                    checked={kind === k}
                    onChange={() => {
                      setKind(k);
                      setChosen(true);
                    }}
                  />
                  {t(`check.kind.${k}`)}
                </label>
              ))}
            </fieldset>
            <p class="hint">{t('check.limitHint')}</p>
            <button type="submit" disabled={busy || !value.trim()}>
              {t('check.submit')}
            </button>
          </form>
          <div class="check-answer" aria-live="polite">
            {busy && <p role="status">{t('check.checking')}</p>}
            {answer?.kind === 'problem' && (
              <p class="error" role="alert">
                {t(answer.key)}
              </p>
            )}
            {answer?.kind === 'none' && (
              <p class="ok not-found" role="status">
                {t('check.notFound')}
              </p>
            )}
            {answer?.kind === 'found' && (
              <>
                <p class="found" role="status">
                  {t('check.found', { n: answer.warnings.length })}
                </p>
                <ul class="warnings">
                  {answer.warnings.map((e) => (
                    <li key={e.id} class="warning-item" data-id={e.id}>
                      <WarningCard warning={e.warning} regionNames={regionNames} mark={{ signer: e.signer, disputed: e.disputed }} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        </>
      )}
    </MemberLayout>
  );
}
