/** Settings: replace the encrypted application (channels, regions, pause alerts) and leave. */
import { useEffect, useState } from 'preact/hooks';
import { bytes, encodeApplication, encrypt } from '../../crypto/index.js';
import { FieldError } from '../components/fields.js';
import { ApiError, currentMember, memberJson } from '../lib/member-api.js';
import { KeyringRefused, verifiedRecipients } from '../lib/keyring.js';
import { ApplicationFields, emptyForm, toApplication, type FormErrors } from './ApplicationFields.js';
import { MemberLayout, useProfile } from './Layout.js';
import { forgetDevice } from './sync.js';
import { useMemberI18n, type MemberKey } from '../i18n/member/index.js';


export function Settings() {
  const { t } = useMemberI18n();
  const { profile } = useProfile();
  const [login, setLogin] = useState<string | null>();
  const [form, setForm] = useState(emptyForm());
  const [errors, setErrors] = useState<FormErrors>({});
  const [message, setMessage] = useState<{ ok: boolean; key: MemberKey }>();
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
      setMessage({ ok: true, key: application.paused ? 'settings.savedPaused' : 'settings.saved' });
    } catch (err) {
      setMessage({
        ok: false,
        key: err instanceof KeyringRefused ? 'settings.keysRefused' : err instanceof ApiError && err.status === 401 ? 'settings.loggedOut' : 'settings.failed',
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
      setMessage({ ok: false, key: 'settings.leaveFailed' });
    }
  }

  if (login === null) {
    return (
      <MemberLayout page="settings" loggedIn={false} profile={profile}>
        <h1>{t('settings.title')}</h1>
        <p>
          {t('settings.notLoggedIn')} <a href="/login">{t('settings.logInToChange')}</a>
        </p>
      </MemberLayout>
    );
  }

  return (
    <MemberLayout page="settings" loggedIn={!!login} profile={profile}>
      <h1>{t('settings.title')}</h1>
      {login && <p class="hint">{t('settings.loggedInAs', { login })}</p>}
      <p>{t('settings.explain')}</p>
      {profile && (
        <form onSubmit={(e) => void save(e)} autocomplete="off" noValidate>
          <ApplicationFields form={form} set={setForm} errors={errors} profile={profile} />
          <label class="option">
            <input type="checkbox" name="paused" checked={form.paused} onChange={(e) => setForm({ ...form, paused: e.currentTarget.checked })} />
            {t('settings.pause')}
          </label>
          {message && (message.ok ? <p class="ok" role="status">{t(message.key)}</p> : <FieldError id="settings-error">{t(message.key)}</FieldError>)}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('settings.save')}
            </button>
          </div>
        </form>
      )}
      <section aria-labelledby="leave-h">
        <h2 id="leave-h">{t('settings.leaveHeading')}</h2>
        <p>{t('settings.leaveExplain')}</p>
        <label class="option">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} />
          {t('settings.leaveSure')}
        </label>
        <div class="actions">
          <button type="button" class="secondary danger" disabled={!sure || busy} onClick={() => void leave()}>
            {t('settings.leave')}
          </button>
        </div>
      </section>
    </MemberLayout>
  );
}
