/** Log in: pending, refused and revoked members are told plainly why they cannot. */
import { useState } from 'preact/hooks';
import { FieldError, TextField } from '../components/fields.js';
import { ApiError, memberJson } from '../lib/member-api.js';
import { MemberLayout, useProfile } from './Layout.js';
import { PassphraseField } from './PassphraseField.js';
import { useMemberI18n, type MemberKey } from '../i18n/member/index.js';

/** The server's refusals that have their own plain words (`loginError.<words-joined-by-dashes>`). */
const LOGIN_ERRORS = ['invalid login', 'not approved', 'application refused', 'access revoked', 'too many attempts', 'network'];


export function Login() {
  const { t } = useMemberI18n();
  const { profile } = useProfile();
  const [login, setLogin] = useState('');
  const [pass, setPass] = useState('');
  const [error, setError] = useState<MemberKey | ''>('');
  const [busy, setBusy] = useState(false);
  const out = new URLSearchParams(location.search).has('left');

  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    setBusy(true);
    try {
      await memberJson('/api/members/login', 'POST', { login: login.trim(), passphrase: pass });
      setPass('');
      location.assign('/warnings');
    } catch (err) {
      setBusy(false);
      const m = err instanceof ApiError ? (err.status === 0 ? 'network' : err.message) : '';
      setError(LOGIN_ERRORS.includes(m) ? (`loginError.${m.replace(/ /g, '-')}` as MemberKey) : 'login.failed');
    }
  }

  return (
    <MemberLayout page="login" loggedIn={false} profile={profile}>
      <h1>{t('login.title')}</h1>
      {out && (
        <p class="ok" role="status">
          {t('login.left')}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} autocomplete="off" noValidate>
        <TextField label={t('join.loginLabel')} name="login" value={login} maxLength={64} onInput={setLogin} />
        <PassphraseField label={t('join.passLabel')} name="passphrase" value={pass} onInput={setPass} autocomplete="current-password" />
        {error && <FieldError id="login-error">{t(error)}</FieldError>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('login.submit')}
          </button>
        </div>
      </form>
      <p>
        {t('login.notMember')} <a href="/join">{t('login.apply')}</a>
      </p>
    </MemberLayout>
  );
}
