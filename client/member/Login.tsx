/** Log in: pending, refused and revoked members are told plainly why they cannot. */
import { useState } from 'preact/hooks';
import { FieldError, TextField } from '../components/fields.js';
import { ApiError, memberJson } from '../lib/member-api.js';
import { MemberLayout, useProfile } from './Layout.js';
import { PassphraseField } from './PassphraseField.js';
import { LOGIN_ERRORS, memberText } from './text.js';

const M = memberText();

export function Login() {
  const { profile } = useProfile();
  const [login, setLogin] = useState('');
  const [pass, setPass] = useState('');
  const [error, setError] = useState('');
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
      setError(LOGIN_ERRORS[m] ?? M.login.failed);
    }
  }

  return (
    <MemberLayout page="login" loggedIn={false} profile={profile}>
      <h1>{M.login.title}</h1>
      {out && (
        <p class="ok" role="status">
          {M.login.left}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} autocomplete="off" noValidate>
        <TextField label={M.join.loginLabel} name="login" value={login} maxLength={64} onInput={setLogin} />
        <PassphraseField label={M.join.passLabel} name="passphrase" value={pass} onInput={setPass} autocomplete="current-password" />
        {error && <FieldError id="login-error">{error}</FieldError>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {M.login.submit}
          </button>
        </div>
      </form>
      <p>
        {M.login.notMember} <a href="/join">{M.login.apply}</a>
      </p>
    </MemberLayout>
  );
}
