/** Settings: replace the encrypted application (channels, regions, pause alerts) and leave. */
import { useEffect, useState } from 'preact/hooks';
import { bytes, encodeApplication, encrypt } from '../../crypto/index.js';
import { FieldError } from '../components/fields.js';
import { ApiError, currentMember, memberJson } from '../lib/member-api.js';
import { KeyringRefused, verifiedRecipients } from '../lib/keyring.js';
import { ApplicationFields, emptyForm, toApplication, type FormErrors } from './ApplicationFields.js';
import { MemberLayout, useProfile } from './Layout.js';
import { forgetDevice } from './sync.js';

export function Settings() {
  const { profile } = useProfile();
  const [login, setLogin] = useState<string | null>();
  const [form, setForm] = useState(emptyForm());
  const [errors, setErrors] = useState<FormErrors>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    currentMember().then(
      (l) => setLogin(l ?? null),
      () => setLogin(null),
    );
  }, []);

  async function save(e: Event) {
    e.preventDefault();
    setMessage(undefined);
    const { application, errors: errs } = toApplication(form);
    setErrors(errs);
    if (!application) return;
    setBusy(true);
    try {
      const { recipients } = await verifiedRecipients();
      const file = await encrypt(recipients, encodeApplication(application));
      await memberJson('/api/members/me/application', 'PUT', { application: bytes.base64Padded(file) });
      setMessage({ ok: true, text: application.paused ? 'Saved. Alerts are paused.' : 'Saved. The coordinators will use these settings.' });
    } catch (err) {
      setMessage({
        ok: false,
        text: err instanceof KeyringRefused ? 'The coordinators’ keys could not be verified, so nothing was sent.' : err instanceof ApiError && err.status === 401 ? 'You are no longer logged in.' : 'Saving did not work. Please try again.',
      });
    } finally {
      setBusy(false);
    }
  }

  async function leave() {
    setBusy(true);
    try {
      await memberJson('/api/members/me', 'DELETE');
      forgetDevice();
      location.assign('/login?left');
    } catch {
      setBusy(false);
      setMessage({ ok: false, text: 'Leaving did not work. Please try again.' });
    }
  }

  if (login === null) {
    return (
      <MemberLayout page="settings" loggedIn={false} profile={profile}>
        <h1>Settings</h1>
        <p>
          You are not logged in. <a href="/login">Log in</a> to change your settings.
        </p>
      </MemberLayout>
    );
  }

  return (
    <MemberLayout page="settings" loggedIn={!!login} profile={profile}>
      <h1>Settings</h1>
      {login && <p class="hint">{`Logged in as ${login}`}</p>}
      <p>
        Your settings are encrypted in this browser to the coordinators; the server cannot read them. Saving replaces everything the coordinators have on file, so fill in
        every part.
      </p>
      {profile && (
        <form onSubmit={(e) => void save(e)} autocomplete="off" noValidate>
          <ApplicationFields form={form} set={setForm} errors={errors} profile={profile} />
          <label class="option">
            <input type="checkbox" name="paused" checked={form.paused} onChange={(e) => setForm({ ...form, paused: e.currentTarget.checked })} />
            Pause alerts (you can still read warnings here)
          </label>
          {message && (message.ok ? <p class="ok" role="status">{message.text}</p> : <FieldError id="settings-error">{message.text}</FieldError>)}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              Save settings
            </button>
          </div>
        </form>
      )}
      <section aria-labelledby="leave-h">
        <h2 id="leave-h">Leave</h2>
        <p>Leaving deletes your account and your application from the server at once, logs you out everywhere and forgets the warnings kept on this device.</p>
        <label class="option">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} />
          Yes, delete my account
        </label>
        <div class="actions">
          <button type="button" class="secondary danger" disabled={!sure || busy} onClick={() => void leave()}>
            Leave and delete my account
          </button>
        </div>
      </section>
    </MemberLayout>
  );
}
