/** Settings: replace the encrypted application (channels, regions, pause alerts) and leave. */
import { useEffect, useState } from 'preact/hooks';
import { bytes, encodeApplication, encrypt } from '../../crypto/index.js';
import { FieldError } from '../components/fields.js';
import { ApiError, currentMember, memberJson } from '../lib/member-api.js';
import { KeyringRefused, verifiedRecipients } from '../lib/keyring.js';
import { ApplicationFields, emptyForm, toApplication, type FormErrors } from './ApplicationFields.js';
import { MemberLayout, useProfile } from './Layout.js';
import { forgetDevice } from './sync.js';
import { memberText } from './text.js';

const M = memberText().settings;

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
      setMessage({ ok: true, text: application.paused ? M.savedPaused : M.saved });
    } catch (err) {
      setMessage({
        ok: false,
        text: err instanceof KeyringRefused ? M.keysRefused : err instanceof ApiError && err.status === 401 ? M.loggedOut : M.failed,
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
      setMessage({ ok: false, text: M.leaveFailed });
    }
  }

  if (login === null) {
    return (
      <MemberLayout page="settings" loggedIn={false} profile={profile}>
        <h1>{M.title}</h1>
        <p>
          {M.notLoggedIn} <a href="/login">{M.logInToChange}</a>
        </p>
      </MemberLayout>
    );
  }

  return (
    <MemberLayout page="settings" loggedIn={!!login} profile={profile}>
      <h1>{M.title}</h1>
      {login && <p class="hint">{M.loggedInAs(login)}</p>}
      <p>{M.explain}</p>
      {profile && (
        <form onSubmit={(e) => void save(e)} autocomplete="off" noValidate>
          <ApplicationFields form={form} set={setForm} errors={errors} profile={profile} />
          <label class="option">
            <input type="checkbox" name="paused" checked={form.paused} onChange={(e) => setForm({ ...form, paused: e.currentTarget.checked })} />
            {M.pause}
          </label>
          {message && (message.ok ? <p class="ok" role="status">{message.text}</p> : <FieldError id="settings-error">{message.text}</FieldError>)}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {M.save}
            </button>
          </div>
        </form>
      )}
      <section aria-labelledby="leave-h">
        <h2 id="leave-h">{M.leaveHeading}</h2>
        <p>{M.leaveExplain}</p>
        <label class="option">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} />
          {M.leaveSure}
        </label>
        <div class="actions">
          <button type="button" class="secondary danger" disabled={!sure || busy} onClick={() => void leave()}>
            {M.leave}
          </button>
        </div>
      </section>
    </MemberLayout>
  );
}
