/** Log in: pending, refused and revoked members are told plainly why they cannot. */
import { useState } from 'preact/hooks';
import { FieldError, TextField } from '../components/fields.js';
import { ApiError, memberJson } from '../lib/member-api.js';
import { MemberLayout, useProfile } from './Layout.js';
import { PassphraseField } from './PassphraseField.js';
import { LOGIN_ERRORS } from './text.js';

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
      setError(LOGIN_ERRORS[m] ?? 'Logging in did not work. Please try again.');
    }
  }

  return (
    <MemberLayout page="login" loggedIn={false} profile={profile}>
      <h1>Members: log in</h1>
      {out && (
        <p class="ok" role="status">
          Your account has been deleted.
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} autocomplete="off" noValidate>
        <TextField label="Login name" name="login" value={login} maxLength={64} onInput={setLogin} />
        <PassphraseField label="Passphrase" name="passphrase" value={pass} onInput={setPass} autocomplete="current-password" />
        {error && <FieldError id="login-error">{error}</FieldError>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Log in
          </button>
        </div>
      </form>
      <p>
        Not a member yet? <a href="/join">Apply to join</a>.
      </p>
    </MemberLayout>
  );
}
