/** Join: an application encrypted in the browser to the coordinators, paid with proof of work. */
import { useState } from 'preact/hooks';
import { bytes, encodeApplication, encrypt } from '../../crypto/index.js';
import { FieldError, Progress, TextField } from '../components/fields.js';
import { ApiError, requestJson } from '../lib/api.js';
import { KeyringRefused, verifiedRecipients } from '../lib/keyring.js';
import { runPow } from '../lib/pow.js';
import { ApplicationFields, emptyForm, toApplication, type FormErrors } from './ApplicationFields.js';
import { MemberLayout, useProfile } from './Layout.js';
import { PassphraseField } from './PassphraseField.js';
import { useMemberI18n, type MemberKey } from '../i18n/member/index.js';


const LOGIN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

function Explain() {
  const { t } = useMemberI18n();
  return (
    <section class="prose" aria-labelledby="join-about">
      <h2 id="join-about">{t('join.aboutHeading')}</h2>
      <p>
        <strong>{t('join.nextLabel')}</strong> {t('join.next')}
      </p>
      <p>
        <strong>{t('join.storedLabel')}</strong> {t('join.stored')}
      </p>
      <p>
        <strong>{t('join.leaveLabel')}</strong> {t('join.leave')}
      </p>
    </section>
  );
}

export function Join() {
  const { t } = useMemberI18n();
  const { profile, failed } = useProfile();
  const [form, setForm] = useState(emptyForm());
  const [login, setLogin] = useState('');
  const [pass, setPass] = useState('');
  const [pass2, setPass2] = useState('');
  const [errors, setErrors] = useState<FormErrors & { pass2?: MemberKey }>({});
  const [stage, setStage] = useState<'form' | 'working' | 'sent'>('form');
  const [progress, setProgress] = useState<number | undefined>(undefined);
  const [failure, setFailure] = useState<MemberKey | ''>('');

  async function submit(e: Event) {
    e.preventDefault();
    setFailure('');
    const { application, errors: errs } = toApplication(form);
    const all: FormErrors & { pass2?: MemberKey } = { ...errs };
    const l = login.trim().toLowerCase();
    if (!LOGIN.test(l)) all.login = 'join.loginRule';
    if (pass.length < 10) all.passphrase = 'join.passRule';
    else if (pass !== pass2) all.pass2 = 'join.pass2Differs';
    setErrors(all);
    if (!application || Object.keys(all).length > 0) return;
    setStage('working');
    try {
      const { recipients } = await verifiedRecipients();
      const file = await encrypt(recipients, encodeApplication(application));
      const { challenge, difficulty } = await requestJson<{ challenge: string; difficulty: number }>('/api/pow');
      const stamp = await runPow(challenge, difficulty, (tried, expected) => setProgress(Math.min(0.99, tried / (expected * 2))));
      await requestJson('/api/members/apply', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'tipline-pow': stamp },
        body: JSON.stringify({ login: l, passphrase: pass, application: bytes.base64Padded(file) }),
      });
      setPass('');
      setPass2('');
      setStage('sent');
    } catch (err) {
      setStage('form');
      if (err instanceof ApiError && err.message === 'login name taken') setErrors({ login: 'join.loginTaken' });
      else if (err instanceof KeyringRefused) setFailure('join.keysRefused');
      else setFailure(err instanceof ApiError && err.status === 0 ? 'join.offline' : 'join.failed');
    }
  }

  if (stage === 'sent') {
    return (
      <MemberLayout page="join" loggedIn={false} profile={profile}>
        <h1 tabIndex={-1}>{t('join.sentTitle')}</h1>
        <p class="ok" role="status">
          {t('join.sentThanks')}
        </p>
        <p>{t('join.sentNext')}</p>
        <p>
          <a href="/login">{t('join.sentLogin')}</a>
        </p>
      </MemberLayout>
    );
  }

  return (
    <MemberLayout page="join" loggedIn={false} profile={profile}>
      <h1>{t('join.title')}</h1>
      <p class="lead">{t('join.lead')}</p>
      <Explain />
      {failed && <p class="error">{t('join.noProfile')}</p>}
      {profile && (
        <form onSubmit={(e) => void submit(e)} autocomplete="off" noValidate>
          <ApplicationFields form={form} set={setForm} errors={errors} profile={profile} />
          <fieldset>
            <legend>{t('join.loginLegend')}</legend>
            <TextField label={t('join.loginLabel')} name="login" value={login} maxLength={64} error={errors.login && t(errors.login)} hint={t('join.loginHint')} onInput={setLogin} />
            <PassphraseField label={t('join.passLabel')} name="passphrase" value={pass} error={errors.passphrase && t(errors.passphrase)} onInput={setPass} hint={t('join.passHint')} />
            <PassphraseField label={t('join.pass2Label')} name="passphrase2" value={pass2} error={errors.pass2 && t(errors.pass2)} onInput={setPass2} />
          </fieldset>
          {failure && <FieldError id="join-failure">{t(failure)}</FieldError>}
          {stage === 'working' && <Progress label={t('join.working')} value={progress} />}
          <div class="actions">
            <button type="submit" class="primary" disabled={stage === 'working'}>
              {t('join.submit')}
            </button>
          </div>
        </form>
      )}
    </MemberLayout>
  );
}
