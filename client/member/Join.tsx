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

const LOGIN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

function Explain() {
  return (
    <section class="prose" aria-labelledby="join-about">
      <h2 id="join-about">Before you join</h2>
      <p>
        <strong>What happens next:</strong> a coordinator reads every application and approves it by hand. Until then you cannot log in; try logging in later to see
        whether you have been approved.
      </p>
      <p>
        <strong>What is stored:</strong> your login name as you type it, and a one-way hash of your passphrase (the passphrase itself is never stored). Everything else
        (type, working name, regions, email, mobile) is encrypted in this browser to the coordinators: the server cannot read it. Choose a login name that does not identify
        you.
      </p>
      <p>
        <strong>How to leave:</strong> log in, open Settings and choose “Leave”. Your account and your application are deleted from the server at once. If you are not
        approved, nothing you sent is kept.
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
    if (!LOGIN.test(l)) all.login = '3 to 64 of a–z, 0–9, dot, dash or underscore, starting with a letter or digit.';
    if (pass.length < 10) all.passphrase = 'At least 10 characters; a few random words are best.';
    else if (pass !== pass2) all.pass2 = 'The two passphrases differ.';
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
      if (err instanceof ApiError && err.message === 'login name taken') setErrors({ login: 'This login name is taken. Choose another.' });
      else if (err instanceof KeyringRefused) setFailure('The coordinators’ keys could not be verified, so nothing was sent. Please try again later.');
      else setFailure(err instanceof ApiError && err.status === 0 ? 'The server could not be reached. Nothing was sent.' : 'The application could not be sent. Please try again.');
    }
  }

  if (stage === 'sent') {
    return (
      <MemberLayout page="join" loggedIn={false} profile={profile}>
        <h1 tabIndex={-1}>Application sent</h1>
        <p class="ok" role="status">
          Thank you. A coordinator will read your application and approve it by hand.
        </p>
        <p>Try logging in later with the login name and passphrase you chose. If you are not approved, your application is deleted.</p>
        <p>
          <a href="/login">Go to log in</a>
        </p>
      </MemberLayout>
    );
  }

  return (
    <MemberLayout page="join" loggedIn={false} profile={profile}>
      <h1>Join the warning list</h1>
      <p class="lead">Members read anonymised safety warnings for their regions. Sex workers, support projects and venues can join.</p>
      <Explain />
      {failed && <p class="error">The organisation’s details could not be verified. Joining is not possible right now.</p>}
      {profile && (
        <form onSubmit={(e) => void submit(e)} autocomplete="off" noValidate>
          <ApplicationFields form={form} set={setForm} errors={errors} profile={profile} />
          <fieldset>
            <legend>Your login</legend>
            <TextField label="Login name" name="login" value={login} maxLength={64} error={errors.login} hint="Not your real name. Stored as you type it." onInput={setLogin} />
            <PassphraseField label="Passphrase" name="passphrase" value={pass} error={errors.passphrase} onInput={setPass} hint="At least 10 characters. It cannot be recovered: write it down somewhere safe." />
            <PassphraseField label="Passphrase again" name="passphrase2" value={pass2} error={errors.pass2} onInput={setPass2} />
          </fieldset>
          {failure && <FieldError id="join-failure">{failure}</FieldError>}
          {stage === 'working' && <Progress label="Encrypting and sending…" value={progress} />}
          <div class="actions">
            <button type="submit" class="primary" disabled={stage === 'working'}>
              Send application
            </button>
          </div>
        </form>
      )}
    </MemberLayout>
  );
}
