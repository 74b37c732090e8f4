/**
 * The report wizard. The current step lives in memory only: the URL stays `/` throughout,
 * so neither the address bar nor the history says what the person is doing.
 */
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ListField, MultiChoice, Progress, SingleChoice, TextArea, TextField, type Option } from '../components/fields.js';
import { useI18n, type MessageKey, type Translate } from '../i18n/index.js';
import { ApiError } from '../lib/api.js';
import { reportSchema } from '../lib/crypto.js';
import { KeyringRefused } from '../lib/keyring.js';
import { onWipe } from '../lib/safety.js';
import {
  AGE_RANGES,
  BUILDS,
  CONSENT_FIELD,
  CONSENT_STEPS,
  CONTACT_METHODS,
  GENDERS,
  HEIGHTS,
  INCIDENT_TYPES,
  LIMITS,
  OFFENDER_COUNTS,
  SETTINGS,
  STEPS,
  TIME_BANDS,
  emptyForm,
  firstInvalidStep,
  stepErrors,
  toReport,
  today,
  type ConsentStep,
  type Errors,
  type FormState,
  type IncidentType,
  type Step,
} from './model.js';
import { PhotosStep, type PhotoItem } from './Photos.js';
import { sendReport, type SendProgress, type SendResult } from './send.js';
import { Summary } from './Summary.js';

type Phase = 'form' | 'sending' | 'done' | 'failed';

/** Options for an enum whose labels are `${prefix}.${value}` message keys. */
export function options<V extends string>(t: Translate, prefix: string, values: readonly V[]): Option[] {
  return values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }));
}

const ANSWER_VALUES = ['yes', 'no', 'unsure'] as const;

function failureText(t: Translate, e: unknown): string {
  if (e instanceof KeyringRefused) return t('error.keyring');
  if (e instanceof ApiError) {
    return t('send.failed', { reason: e.status === 0 ? t('error.network') : t('error.server', { reason: e.message }) });
  }
  if (e instanceof Error && e.message === 'invalid report') return t('send.failed', { reason: t('error.invalid') });
  return t('send.failed', { reason: t('error.network') });
}

export function ReportWizard() {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<FormState>(emptyForm);
  const [step, setStep] = useState<Step>('intro');
  const [errors, setErrors] = useState<Errors>({});
  const [editing, setEditing] = useState(false);
  const [photos, setPhotos] = useState<PhotoItem[]>([]);
  const [phase, setPhase] = useState<Phase>('form');
  const [progress, setProgress] = useState<SendProgress>({ stage: 'keyring' });
  const [result, setResult] = useState<SendResult | undefined>();
  const [failure, setFailure] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const mounted = useRef(false);

  useEffect(
    () =>
      onWipe(() => {
        setForm(emptyForm());
        setPhotos([]);
        setResult(undefined);
      }),
    [],
  );

  // Move focus to the new step's heading so keyboard and screen-reader users start at the top.
  useLayoutEffect(() => {
    if (!mounted.current) {
      mounted.current = true;
      return;
    }
    heading.current?.focus();
    window.scrollTo(0, 0);
  }, [step, phase]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => {
      if (!Object.keys(e).some((k) => k === key || k.startsWith(`${String(key)}.`))) return e;
      const next = { ...e };
      for (const k of Object.keys(next)) if (k === key || k.startsWith(`${String(key)}.`)) delete next[k];
      return next;
    });
  };
  const err = (key: string) => (errors[key] ? t(errors[key]!) : undefined);

  const index = STEPS.indexOf(step);
  const go = (s: Step) => {
    setErrors({});
    setStep(s);
  };
  const next = (e?: Event) => {
    e?.preventDefault();
    const problems = stepErrors(step, form);
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      // Focus the first invalid control after the errors render.
      setTimeout(() => (document.querySelector('[aria-invalid="true"] input, input[aria-invalid="true"]') as HTMLElement | null)?.focus(), 0);
      return;
    }
    if (editing) {
      setEditing(false);
      go('summary');
      return;
    }
    go(STEPS[Math.min(index + 1, STEPS.length - 1)]!);
  };
  const back = () => go(STEPS[Math.max(index - 1, 0)]!);
  const edit = (s: Step) => {
    setEditing(true);
    go(s);
  };

  const send = async () => {
    const invalid = firstInvalidStep(form, lang);
    if (invalid && invalid !== 'summary') {
      edit(invalid);
      setErrors(stepErrors(invalid, form));
      return;
    }
    setPhase('sending');
    setFailure('');
    setProgress({ stage: 'keyring' });
    try {
      const r = await sendReport(
        toReport(form, lang),
        photos.map((p) => p.photo),
        setProgress,
      );
      setResult(r);
      setForm(emptyForm());
      setPhotos([]);
      setPhase('done');
    } catch (e) {
      setFailure(failureText(t, e));
      setPhase('failed');
    }
  };

  const restart = () => {
    setResult(undefined);
    setForm(emptyForm());
    setPhotos([]);
    setEditing(false);
    setPhase('form');
    go('intro');
  };

  if (phase === 'sending') return <Sending heading={heading} progress={progress} photoCount={photos.length} />;
  if (phase === 'done' && result) return <Done heading={heading} result={result} onNew={restart} />;
  if (phase === 'failed') {
    return (
      <section class="step" aria-labelledby="step-heading">
        <h1 id="step-heading" tabIndex={-1} ref={heading}>
          {t('send.heading')}
        </h1>
        <p class="error" role="alert">
          {failure}
        </p>
        <div class="actions">
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setPhase('form');
              go('summary');
            }}
          >
            {t('nav.back')}
          </button>
          <button type="button" class="primary" onClick={send}>
            {t('send.retry')}
          </button>
        </div>
      </section>
    );
  }

  const total = STEPS.length - 1;
  const body = renderStep();

  return (
    <section class="step" aria-labelledby="step-heading">
      {step !== 'intro' && (
        <p class="step-count">
          {t('nav.stepOf', { n: index, total })}
        </p>
      )}
      <form autocomplete="off" noValidate onSubmit={step === 'summary' ? (e) => (e.preventDefault(), send()) : next}>
        {body.heading}
        {body.content}
        <div class="actions">
          {step !== 'intro' && (
            <button type="button" class="secondary" onClick={editing ? () => (setEditing(false), go('summary')) : back}>
              {editing ? t('nav.toSummary') : t('nav.back')}
            </button>
          )}
          <button type="submit" class="primary">
            {step === 'intro' ? t('intro.start') : step === 'summary' ? t('summary.send') : editing ? t('nav.toSummary') : t('nav.next')}
          </button>
        </div>
      </form>
    </section>
  );

  function title(text: string) {
    return (
      <h1 id="step-heading" tabIndex={-1} ref={heading}>
        {text}
      </h1>
    );
  }

  function renderStep(): { heading: ComponentChildren; content: ComponentChildren } {
    switch (step) {
      case 'intro':
        return {
          heading: title(t('intro.heading')),
          content: (
            <div class="prose">
              <p>{t('intro.p1')}</p>
              <p>{t('intro.p2')}</p>
              <p>{t('intro.p3')}</p>
            </div>
          ),
        };
      case 'what':
        return {
          heading: title(t('what.heading')),
          content: (
            <>
              <MultiChoice
                legend={t('what.legend')}
                name="incidentTypes"
                options={options(t, 'incident', INCIDENT_TYPES)}
                value={form.incidentTypes}
                error={err('incidentTypes')}
                onChange={(v) => set('incidentTypes', v as IncidentType[])}
              />
              {form.incidentTypes.includes('other') && (
                <TextField name="incidentOther" label={t('what.otherLabel')} value={form.incidentOther} maxLength={LIMITS.short} onInput={(v) => set('incidentOther', v)} />
              )}
            </>
          ),
        };
      case 'when':
        return {
          heading: title(t('when.heading')),
          content: (
            <>
              <TextField name="date"
                label={t('when.date')}
                hint={t('when.dateHint')}
                type="date"
                max={today()}
                value={form.date}
                error={err('date')}
                onInput={(v) => set('date', v)}
              />
              <SingleChoice
                legend={t('when.band')}
                name="timeBand"
                options={[...options(t, 'band', TIME_BANDS), { value: '', label: t('common.notSure') }]}
                value={form.timeBand}
                onChange={(v) => set('timeBand', v)}
              />
            </>
          ),
        };
      case 'where':
        return {
          heading: title(t('where.heading')),
          content: (
            <>
              <TextField name="area" label={t('where.area')} hint={t('where.areaHint')} value={form.area} maxLength={LIMITS.short} onInput={(v) => set('area', v)} />
              <SingleChoice
                legend={t('where.setting')}
                name="setting"
                options={[...options(t, 'setting', SETTINGS), { value: '', label: t('common.notSure') }]}
                value={form.setting}
                onChange={(v) => set('setting', v)}
              />
              {form.setting === 'other' && (
                <TextField name="settingOther" label={t('where.otherLabel')} value={form.settingOther} maxLength={LIMITS.short} onInput={(v) => set('settingOther', v)} />
              )}
            </>
          ),
        };
      case 'contact':
        return {
          heading: title(t('contact.heading')),
          content: (
            <>
              <SingleChoice
                legend={t('contact.legend')}
                name="contactMethod"
                options={[...options(t, 'method', CONTACT_METHODS), { value: '', label: t('common.notSure') }]}
                value={form.contactMethod}
                onChange={(v) => set('contactMethod', v)}
              />
              {form.contactMethod !== '' && (
                <TextField name="contactDetail"
                  label={t('contact.detail')}
                  hint={t('contact.detailHint')}
                  value={form.contactDetail}
                  maxLength={LIMITS.short}
                  onInput={(v) => set('contactDetail', v)}
                />
              )}
            </>
          ),
        };
      case 'person': {
        const pick = (key: 'count' | 'gender' | 'ageRange' | 'height' | 'build', legend: MessageKey, prefix: string, values: readonly string[]) => (
          <SingleChoice
            legend={t(legend)}
            name={key}
            options={[...options(t, prefix, values), { value: '', label: t('person.notSure') }]}
            value={form[key]}
            onChange={(v) => set(key, v)}
          />
        );
        const text = (key: 'hair' | 'skin' | 'accent' | 'nameGiven', label: MessageKey) => (
          <TextField name={key} label={t(label)} value={form[key]} maxLength={LIMITS.short} onInput={(v) => set(key, v)} />
        );
        return {
          heading: title(t('person.heading')),
          content: (
            <>
              <p class="lead">{t('person.intro')}</p>
              {pick('count', 'person.count', 'count', OFFENDER_COUNTS)}
              {pick('gender', 'person.gender', 'gender', GENDERS)}
              {pick('ageRange', 'person.age', 'age', AGE_RANGES)}
              {pick('height', 'person.height', 'height', HEIGHTS)}
              {pick('build', 'person.build', 'build', BUILDS)}
              {text('hair', 'person.hair')}
              {text('skin', 'person.skin')}
              {text('accent', 'person.accent')}
              {text('nameGiven', 'person.nameGiven')}
              <TextArea name="clothing" label={t('person.clothing')} rows={3} value={form.clothing} maxLength={LIMITS.description} onInput={(v) => set('clothing', v)} />
              <TextArea name="marks" label={t('person.marks')} rows={3} value={form.marks} maxLength={LIMITS.description} onInput={(v) => set('marks', v)} />
            </>
          ),
        };
      }
      case 'ids':
        return {
          heading: title(t('ids.heading')),
          content: (
            <>
              <p class="lead">{t('ids.intro')}</p>
              <ListField
                legend={t('ids.phones')}
                itemLabel={t('ids.phone')}
                name="phone"
                type="tel"
                inputMode="tel"
                values={form.phones}
                maxItems={LIMITS.phones}
                maxLength={LIMITS.phone}
                errors={form.phones.map((_, i) => err(`phones.${i}`))}
                onChange={(v) => set('phones', v)}
              />
              <ListField
                legend={t('ids.emails')}
                itemLabel={t('ids.email')}
                name="email"
                type="email"
                inputMode="email"
                values={form.emails}
                maxItems={LIMITS.emails}
                maxLength={LIMITS.email}
                errors={form.emails.map((_, i) => err(`emails.${i}`))}
                onChange={(v) => set('emails', v)}
              />
              <ListField
                legend={t('ids.usernames')}
                itemLabel={t('ids.username')}
                hint={t('ids.usernameHint')}
                name="username"
                values={form.usernames}
                maxItems={LIMITS.usernames}
                maxLength={LIMITS.username}
                onChange={(v) => set('usernames', v)}
              />
            </>
          ),
        };
      case 'vehicle':
        return {
          heading: title(t('vehicle.heading')),
          content: (
            <>
              <p class="lead">{t('vehicle.intro')}</p>
              <TextField name="make" label={t('vehicle.make')} value={form.make} maxLength={LIMITS.vehiclePart} onInput={(v) => set('make', v)} />
              <TextField name="model" label={t('vehicle.model')} value={form.model} maxLength={LIMITS.vehiclePart} onInput={(v) => set('model', v)} />
              <TextField name="colour" label={t('vehicle.colour')} value={form.colour} maxLength={LIMITS.vehiclePart} onInput={(v) => set('colour', v)} />
              <TextField name="plate" label={t('vehicle.plate')} hint={t('vehicle.plateHint')} value={form.plate} maxLength={LIMITS.plate} onInput={(v) => set('plate', v)} />
              <label class="option single">
                <input type="checkbox" autocomplete="off" name="plateIsPartial" checked={form.plateIsPartial} onChange={(e) => set('plateIsPartial', e.currentTarget.checked)} />
                <span>{t('vehicle.partial')}</span>
              </label>
            </>
          ),
        };
      case 'account':
        return {
          heading: title(t('account.heading')),
          content: (
            <TextArea name="account" label={t('account.label')} hint={t('account.hint')} rows={12} value={form.account} maxLength={LIMITS.account} onInput={(v) => set('account', v)} />
          ),
        };
      case 'photos':
        return { heading: title(t('photos.heading')), content: <PhotosStep photos={photos} setPhotos={setPhotos} /> };
      case 'publish':
      case 'police':
      case 'policeSupport':
      case 'caseworker':
        return consentStep(step);
      case 'behalf':
        return {
          heading: title(t('behalf.heading')),
          content: (
            <>
              <SingleChoice
                legend={t('behalf.legend')}
                name="behalf"
                options={[
                  { value: 'self', label: t('behalf.self') },
                  { value: 'other', label: t('behalf.other') },
                ]}
                value={form.behalf}
                onChange={(v) => set('behalf', v as FormState['behalf'])}
              />
              {form.behalf === 'other' && (
                <SingleChoice
                  legend={t('behalf.consent')}
                  name="theyConsented"
                  options={[
                    { value: 'yes', label: t('behalf.consentYes') },
                    { value: 'no', label: t('behalf.consentNo') },
                  ]}
                  value={form.theyConsented}
                  error={err('theyConsented')}
                  onChange={(v) => set('theyConsented', v as FormState['theyConsented'])}
                />
              )}
            </>
          ),
        };
      case 'summary': {
        const report = toReport(form, lang);
        const valid = reportSchema.safeParse(report).success;
        return {
          heading: title(t('summary.heading')),
          content: (
            <>
              <p class="lead">{t('summary.intro')}</p>
              <Summary report={report} photos={photos.length} onEdit={edit} />
              {!valid && (
                <p class="error" role="alert">
                  {t('summary.invalid')}
                </p>
              )}
            </>
          ),
        };
      }
    }
  }

  function consentStep(s: ConsentStep): { heading: ComponentChildren; content: ComponentChildren } {
    const field = CONSENT_FIELD[s];
    const n = CONSENT_STEPS.indexOf(s) + 1;
    const question = t(`consent.${s}.q` as MessageKey);
    return {
      heading: (
        <>
          <p class="consent-count">{t('consent.progress', { n })}</p>
          {title(question)}
        </>
      ),
      content: (
        <>
          <p class="lead">{t(`consent.${s}.help` as MessageKey)}</p>
          <SingleChoice
            legend={question}
            legendClass="visually-hidden"
            name={field}
            options={options(t, 'answer', ANSWER_VALUES)}
            value={form[field]}
            error={err(field)}
            onChange={(v) => set(field, v as FormState[typeof field])}
          />
        </>
      ),
    };
  }
}

function Sending({ heading, progress, photoCount }: { heading: RefObject<HTMLHeadingElement | null>; progress: SendProgress; photoCount: number }) {
  const { t } = useI18n();
  const labels: Record<SendProgress['stage'], string> = {
    keyring: t('send.keyring'),
    code: t('send.code'),
    encrypt: t('send.encrypting'),
    work: t('send.work'),
    upload: t('send.uploading'),
    photos: t('send.photo', { n: progress.photo ?? 1, total: photoCount }),
  };
  return (
    <section class="step" aria-labelledby="step-heading" aria-busy="true">
      <h1 id="step-heading" tabIndex={-1} ref={heading}>
        {t('send.heading')}
      </h1>
      <p class="lead">{t('send.keep')}</p>
      <div aria-live="polite">
        <Progress label={labels[progress.stage]} value={progress.fraction} />
      </div>
    </section>
  );
}

function Done({ heading, result, onNew }: { heading: RefObject<HTMLHeadingElement | null>; result: SendResult; onNew(): void }) {
  const { t } = useI18n();
  const words = result.code.split(' ');
  return (
    <section class="step done" aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1} ref={heading}>
        {t('done.heading')}
      </h1>
      <p>{t('done.thanks')}</p>
      {result.photosSent > 0 && <p>{t('done.photosSent', { n: result.photosSent })}</p>}
      {result.photosFailed.map((n) => (
        <p class="error" role="alert" key={n}>
          {t('send.photoFailed', { n })}
        </p>
      ))}
      <h2 id="code-label">{t('done.codeLabel')}</h2>
      <ol class="code" aria-labelledby="code-label" lang="en" data-code={result.code}>
        {words.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ol>
      <p class="notice">{t('done.codeWhat')}</p>
      <p class="notice strong">{t('done.codeWarn')}</p>
      <p>{t('done.followUp')}</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={onNew}>
          {t('done.new')}
        </button>
      </div>
    </section>
  );
}
