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
import { memberText } from './text.js';

const M = memberText();

const LOGIN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

function Explain() {
  return (
    <section class="prose" aria-labelledby="join-about">
      <h2 id="join-about">{M.join.aboutHeading}</h2>
      <p>
        <strong>{M.join.nextLabel}</strong> {M.join.next}
      </p>
      <p>
        <strong>{M.join.storedLabel}</strong> {M.join.stored}
      </p>
      <p>
        <strong>{M.join.leaveLabel}</strong> {M.join.leave}
      </p>
    </section>
  );
}

export function Join() {
  const { profile, failed } = useProfile();
  const [form, setForm] = useState(emptyForm());
  const [login, setLogin] = useState('');
  const [pass, setPass] = useState('');
  const [pass2, setPass2] = useState('');
  const [errors, setErrors] = useState<FormErrors & { pass2?: string }>({});
  const [stage, setStage] = useState<'form' | 'working' | 'sent'>('form');
  const [progress, setProgress] = useState<number | undefined>(undefined);
  const [failure, setFailure] = useState('');

  async function submit(e: Event) {
    e.preventDefault();
    setFailure('');
    const { application, errors: errs } = toApplication(form);
    const all: FormErrors & { pass2?: string } = { ...errs };
    const l = login.trim().toLowerCase();
    if (!LOGIN.test(l)) all.login = M.join.loginRule;
    if (pass.length < 10) all.passphrase = M.join.passRule;
    else if (pass !== pass2) all.pass2 = M.join.pass2Differs;
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
      if (err instanceof ApiError && err.message === 'login name taken') setErrors({ login: M.join.loginTaken });
      else if (err instanceof KeyringRefused) setFailure(M.join.keysRefused);
      else setFailure(err instanceof ApiError && err.status === 0 ? M.join.offline : M.join.failed);
    }
  }

  if (stage === 'sent') {
    return (
      <MemberLayout page="join" loggedIn={false} profile={profile}>
        <h1 tabIndex={-1}>{M.join.sentTitle}</h1>
        <p class="ok" role="status">
          {M.join.sentThanks}
        </p>
        <p>{M.join.sentNext}</p>
        <p>
          <a href="/login">{M.join.sentLogin}</a>
        </p>
      </MemberLayout>
    );
  }

  return (
    <MemberLayout page="join" loggedIn={false} profile={profile}>
      <h1>{M.join.title}</h1>
      <p class="lead">{M.join.lead}</p>
      <Explain />
      {failed && <p class="error">{M.join.noProfile}</p>}
      {profile && (
        <form onSubmit={(e) => void submit(e)} autocomplete="off" noValidate>
          <ApplicationFields form={form} set={setForm} errors={errors} profile={profile} />
          <fieldset>
            <legend>{M.join.loginLegend}</legend>
            <TextField label={M.join.loginLabel} name="login" value={login} maxLength={64} error={errors.login} hint={M.join.loginHint} onInput={setLogin} />
            <PassphraseField label={M.join.passLabel} name="passphrase" value={pass} error={errors.passphrase} onInput={setPass} hint={M.join.passHint} />
            <PassphraseField label={M.join.pass2Label} name="passphrase2" value={pass2} error={errors.pass2} onInput={setPass2} />
          </fieldset>
          {failure && <FieldError id="join-failure">{failure}</FieldError>}
          {stage === 'working' && <Progress label={M.join.working} value={progress} />}
          <div class="actions">
            <button type="submit" class="primary" disabled={stage === 'working'}>
              {M.join.submit}
            </button>
          </div>
        </form>
      )}
    </MemberLayout>
  );
}
