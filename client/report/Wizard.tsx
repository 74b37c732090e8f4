/**
 * The report wizard. The answers live in memory only. Each step pushes a history entry
 * with the same URL `/` and only the step's name as state, so the phone's Back and Forward
 * buttons move between steps while the address says nothing; the quick exit walks back
 * over these entries before it leaves (lib/safety.ts). Leaving or reloading with answers
 * typed asks first.
 */
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ListField, MultiChoice, Progress, RequiredMark, SelectField, SingleChoice, TextArea, TextField, type Option } from '../components/fields.js';
import { HelpPanel } from '../components/HelpPanel.js';
import { I18n, catalogue, useI18n, type MessageKey, type Translate } from '../i18n/index.js';
import { setBusy } from '../lib/busy.js';
import { ApiError } from '../lib/api.js';
import { KeyringRefused } from '../lib/keyring-error.js';
import { onWipe, setHistoryDepth, setLeaveGuard } from '../lib/safety.js';
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
  TIME_BANDS,
  WHEN_KINDS,
  emptyForm,
  firstInvalidStep,
  hasAnswers,
  recentMonths,
  stepErrors,
  stepsOf,
  toReport,
  today,
  type Path,
  type ConsentStep,
  type Errors,
  type FormState,
  type IncidentType,
  type Step,
} from './model.js';
import type { PhotoItem } from './Photos.js';
import type { SendProgress, SendResult } from './send.js';
import { Summary } from './Summary.js';

type Phase = 'form' | 'sending' | 'done' | 'failed';

/** Options for an enum whose labels are `${prefix}.${value}` message keys. */
export function options<V extends string>(t: Translate, prefix: string, values: readonly V[]): Option[] {
  return values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }));
}

const ANSWER_VALUES = ['yes', 'no', 'unsure'] as const;

// Loaded after the first paint: the crypto, the word list, the photo step and the sender.
const loadCrypto = () => import('../lib/crypto.js');
const loadPrepare = () => import('./prepare.js');
const loadSend = () => import('./send.js');
const loadPhotos = () => import('./Photos.js');

/** The photo step, loaded when first shown. */
function LazyPhotos(props: { photos: PhotoItem[]; setPhotos(p: PhotoItem[] | ((p: PhotoItem[]) => PhotoItem[])): void }) {
  const [mod, setMod] = useState<typeof import('./Photos.js') | undefined>();
  useEffect(() => {
    void loadPhotos().then(setMod);
  }, []);
  return mod ? <mod.PhotosStep {...props} /> : <Progress label="…" />;
}

function failureText(t: Translate, e: unknown): string {
  if (e instanceof KeyringRefused) return t('error.keyring');
  if (e instanceof ApiError) {
    return t('send.failed', { reason: e.status === 0 ? t('error.network') : t('error.server', { reason: e.message }) });
  }
  if (e instanceof Error && e.message === 'invalid report') return t('send.failed', { reason: t('error.invalid') });
  return t('send.failed', { reason: t('error.network') });
}

/** History state: our own entries carry only the step and the path, never an answer. */
interface Entry {
  tipline: number;
  step: Step;
  path: Path;
}

function isEntry(s: unknown): s is Entry {
  return !!s && typeof s === 'object' && typeof (s as Entry).tipline === 'number' && typeof (s as Entry).step === 'string';
}

export function ReportWizard() {
  const i18n = useI18n();
  const { lang } = i18n;
  const [form, setForm] = useState<FormState>(emptyForm);
  const [path, setPath] = useState<Path>('full');
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
  const live = useRef({ form, photos, phase });
  live.current = { form, photos, phase };
  /** History depth of the current entry, and of the entry the page was opened (or reloaded) on. */
  const depth = useRef(0);
  const base = useRef(0);

  // Questions worded for a third party once "someone else" is chosen (keys with an `@3p` variant).
  const thirdParty = form.behalf === 'other';
  const t: Translate = useMemo(() => {
    if (!thirdParty) return i18n.t;
    const cat = (catalogue(lang) ?? {}) as Readonly<Record<string, string>>;
    return (key, params) => (`${key}@3p` in cat ? i18n.t(`${key}@3p` as MessageKey, params) : i18n.t(key, params));
  }, [i18n, lang, thirdParty]);
  const ctx = useMemo(() => ({ ...i18n, t }), [i18n, t]);

  useEffect(
    () =>
      onWipe(() => {
        setForm(emptyForm());
        setPhotos([]);
        setResult(undefined);
      }),
    [],
  );

  useEffect(() => {
    const s = history.state as unknown;
    // After a reload, entries below this one belong to a document that is gone: never walk back over them.
    base.current = depth.current = isEntry(s) ? s.tipline : 0;
    history.replaceState({ tipline: depth.current, step: 'intro', path: 'full' } satisfies Entry, '');
    setHistoryDepth(0);
    const onPop = (e: PopStateEvent) => {
      if (!isEntry(e.state)) return;
      depth.current = e.state.tipline;
      setHistoryDepth(depth.current - base.current);
      const { phase: ph } = live.current;
      // While sending, and once the code is shown, the page stays where it is.
      if (ph === 'sending' || ph === 'done') return;
      setPhase('form');
      setErrors({});
      setEditing(false);
      setPath(e.state.path);
      setStep(e.state.step);
    };
    addEventListener('popstate', onPop);
    setLeaveGuard(() => {
      const { form: f, photos: p, phase: ph } = live.current;
      // Not on the receipt page: it sends people on to "Read replies" with their code.
      return ph === 'sending' || (ph !== 'done' && (hasAnswers(f) || p.length > 0));
    });
    return () => {
      removeEventListener('popstate', onPop);
      setLeaveGuard(undefined);
    };
  }, []);

  useEffect(() => setBusy(phase === 'sending'), [phase]);

  // As the wizard opens (after the first paint): load the crypto and start the slow parts of sending.
  useEffect(() => {
    const id = setTimeout(
      () =>
        void loadPrepare().then(
          (m) => {
            m.prepare();
            // Send's own code, so that pressing Send fetches nothing.
            void loadSend().catch(() => {});
          },
          () => {},
        ),
      50,
    );
    return () => clearTimeout(id);
  }, []);

  const [valid, setValid] = useState(true);
  useEffect(() => {
    if (step !== 'summary') return;
    let live = true;
    void loadCrypto().then((c) => live && setValid(c.reportSchema.safeParse(toReport(form, lang)).success));
    return () => {
      live = false;
    };
  }, [step, form, lang]);

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

  const steps = stepsOf(path);
  const index = steps.indexOf(step);
  const go = (s: Step, p: Path = path) => {
    setErrors({});
    setPath(p);
    setStep(s);
    depth.current += 1;
    history.pushState({ tipline: depth.current, step: s, path: p } satisfies Entry, '');
    setHistoryDepth(depth.current - base.current);
  };
  const check = (): boolean => {
    const problems = stepErrors(step, form);
    if (Object.keys(problems).length === 0) return true;
    setErrors(problems);
    // Focus the first invalid control after the errors render.
    setTimeout(() => (document.querySelector('[aria-invalid="true"] input, input[aria-invalid="true"], select[aria-invalid="true"]') as HTMLElement | null)?.focus(), 0);
    return false;
  };
  const next = (e?: Event) => {
    e?.preventDefault();
    if (!check()) return;
    if (editing) {
      setEditing(false);
      go('summary');
      return;
    }
    go(steps[Math.min(index + 1, steps.length - 1)]!);
  };
  const start = (p: Path) => {
    if (!check()) return;
    go(stepsOf(p)[1]!, p);
  };
  // Back is the browser's Back: the same entry the phone's button would return to.
  const back = () => history.back();
  const edit = (s: Step) => {
    setEditing(true);
    go(s);
  };

  /** Collapse our history entries once the report is gone, so Back leaves instead of showing empty steps. */
  const collapseHistory = () => {
    const n = depth.current - base.current;
    depth.current = base.current;
    setHistoryDepth(0);
    if (n > 0) history.go(-n);
  };

  const send = async () => {
    let c: typeof import('../lib/crypto.js');
    let s: typeof import('./send.js');
    try {
      [c, s] = await Promise.all([loadCrypto(), loadSend()]);
    } catch (e) {
      setFailure(failureText(t, e));
      setPhase('failed');
      return;
    }
    const invalid = firstInvalidStep(form, lang, path, (r) => c.reportSchema.safeParse(r).success);
    if (invalid && invalid !== 'summary') {
      edit(invalid);
      setErrors(stepErrors(invalid, form));
      return;
    }
    setPhase('sending');
    setFailure('');
    setProgress({ stage: 'keyring' });
    try {
      const r = await s.sendReport(
        toReport(form, lang),
        photos.map((p) => p.photo),
        setProgress,
      );
      setResult(r);
      setForm(emptyForm());
      setPhotos([]);
      setPhase('done');
      collapseHistory();
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
    setErrors({});
    setPath('full');
    setPhase('form');
    setStep('intro');
    void loadPrepare().then((m) => m.prepareNext());
    history.replaceState({ tipline: depth.current, step: 'intro', path: 'full' } satisfies Entry, '');
  };

  return <I18n.Provider value={ctx}>{view()}</I18n.Provider>;

  function view() {
  if (phase === 'sending') return <Sending heading={heading} progress={progress} photoCount={photos.length} />;
  if (phase === 'done' && result) return <Done heading={heading} result={result} onNew={restart} />;
  if (phase === 'failed') {
    return (
      <section class="step" aria-labelledby="step-heading">
        <h1 id="step-heading" tabIndex={-1} ref={heading}>
          {t('send.failedHeading')}
        </h1>
        <p class="error" role="alert">
          {failure}
        </p>
        <p class="ok">{t('send.kept')}</p>
        <div class="actions">
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setPhase('form');
              setStep('summary');
            }}
          >
            {t('nav.back')}
          </button>
          <button type="button" class="primary" onClick={send}>
            {t('send.retry')}
          </button>
        </div>
        <HelpPanel reachScheme={failure === t('error.keyring')} />
      </section>
    );
  }

  const total = steps.length - 1;
  const body = renderStep();

  return (
    <section class="step" aria-labelledby="step-heading">
      {step !== 'intro' && <p class="step-count">{t('nav.stepOf', { n: index, total })}</p>}
      <form autocomplete="off" noValidate onSubmit={step === 'summary' ? (e) => (e.preventDefault(), send()) : next}>
        {body.heading}
        {body.content}
        {step === 'intro' && !editing ? (
          <>
            <h2>{t('intro.choose')}</h2>
            <p class="hint">{t('intro.later')}</p>
            <div class="paths">
              <div class="path">
                <button type="button" class="primary" id="start-quick" aria-describedby="quick-hint" onClick={() => start('quick')}>
                  {t('intro.quick')}
                </button>
                <p class="hint" id="quick-hint">
                  {t('intro.quickHint')}
                </p>
              </div>
              <div class="path">
                <button type="submit" class="secondary" id="start-full" aria-describedby="full-hint" onClick={(e) => (e.preventDefault(), start('full'))}>
                  {t('intro.start')}
                </button>
                <p class="hint" id="full-hint">
                  {t('intro.startHint')}
                </p>
              </div>
            </div>
          </>
        ) : (
          <div class="actions">
            {step !== 'intro' && !editing && (
              <button type="button" class="secondary" onClick={back}>
                {t('nav.back')}
              </button>
            )}
            {editing && (
              <button type="button" class="secondary" onClick={() => (setEditing(false), go('summary'))}>
                {t('nav.toSummary')}
              </button>
            )}
            <button type="submit" class="primary">
              {step === 'summary' ? t('summary.send') : editing ? t('nav.toSummary') : t('nav.next')}
            </button>
          </div>
        )}
      </form>
      {step === 'intro' && <HelpPanel />}
    </section>
  );
  }

  function whenFields() {
    const fmt = new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric' });
    return (
      <>
        <SingleChoice
          legend={t('when.legend')}
          hint={t('when.legendHint')}
          name="when"
          options={[...WHEN_KINDS.map((k) => ({ value: k, label: t(`when.${k}` as MessageKey) })), { value: '', label: t('common.notSure') }]}
          value={form.when}
          onChange={(v) => set('when', v as FormState['when'])}
        />
        {form.when === 'month' && (
          <SelectField
            label={t('when.monthLabel')}
            name="month"
            value={form.month}
            error={err('month')}
            options={recentMonths().map((m) => ({ value: m, label: fmt.format(new Date(Number(m.slice(0, 4)), Number(m.slice(5)) - 1, 1)) }))}
            onChange={(v) => set('month', v)}
          />
        )}
        {form.when === 'exact' && (
          <TextField name="date" label={t('when.date')} hint={t('when.dateHint')} type="date" max={today()} value={form.date} error={err('date')} onInput={(v) => set('date', v)} />
        )}
      </>
    );
  }

  function behalfFields() {
    return (
      <>
        <h2 id="behalf-heading">{t('behalf.heading')}</h2>
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
            required
            options={[
              { value: 'yes', label: t('behalf.consentYes') },
              { value: 'no', label: t('behalf.consentNo') },
            ]}
            value={form.theyConsented}
            error={err('theyConsented')}
            onChange={(v) => set('theyConsented', v as FormState['theyConsented'])}
          />
        )}
        {form.behalf === 'other' && form.theyConsented === 'no' && (
          <div class="notice no-consent" role="status">
            <h3>{t('behalf.noConsentHeading')}</h3>
            <ul>
              <li>{t('behalf.noConsent1')}</li>
              <li>{t('behalf.noConsent2')}</li>
              <li>{t('behalf.noConsent3')}</li>
            </ul>
          </div>
        )}
      </>
    );
  }

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
            <>
              {!editing && (
                <div class="prose">
                  <p>{t('intro.p1')}</p>
                  <p>{t('intro.p2')}</p>
                  <p>{t('intro.p3')}</p>
                </div>
              )}
              {behalfFields()}
            </>
          ),
        };
      case 'whenWhere':
        return {
          heading: title(t('whenWhere.heading')),
          content: (
            <>
              {whenFields()}
              <TextField name="area" label={t('where.area')} hint={t('where.areaHint')} value={form.area} maxLength={LIMITS.short} onInput={(v) => set('area', v)} />
            </>
          ),
        };
      case 'them':
        return {
          heading: title(t('them.heading')),
          content: (
            <>
              <p class="lead">{t('them.intro')}</p>
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
                legend={t('ids.usernames')}
                itemLabel={t('ids.username')}
                hint={t('ids.usernameHint')}
                name="username"
                values={form.usernames}
                maxItems={LIMITS.usernames}
                maxLength={LIMITS.username}
                onChange={(v) => set('usernames', v)}
              />
              <TextArea name="account" label={t('them.describe')} rows={5} value={form.account} maxLength={LIMITS.account} onInput={(v) => set('account', v)} />
            </>
          ),
        };
      case 'consent':
        return {
          heading: title(t('consent.heading')),
          content: (
            <>
              <p class="lead">{t('consent.quickIntro')}</p>
              <SingleChoice
                legend={t('consent.publish.q')}
                hint={t('consent.publish.help')}
                name="publishWarning"
                required
                options={options(t, 'answer', ANSWER_VALUES)}
                value={form.publishWarning}
                error={err('publishWarning')}
                onChange={(v) => set('publishWarning', v as FormState['publishWarning'])}
              />
              <SingleChoice
                legend={t('consent.police.q')}
                hint={t('consent.police.help')}
                name="shareWithPolice"
                options={options(t, 'answer', ANSWER_VALUES)}
                value={form.shareWithPolice}
                onChange={(v) => set('shareWithPolice', v as FormState['shareWithPolice'])}
              />
            </>
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
                required
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
              {whenFields()}
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
        return { heading: title(t('photos.heading')), content: <LazyPhotos photos={photos} setPhotos={setPhotos} /> };
      case 'publish':
      case 'police':
      case 'policeSupport':
      case 'caseworker':
        return consentStep(step);
      case 'summary': {
        const report = toReport(form, lang);
        return {
          heading: title(t('summary.heading')),
          content: (
            <>
              <p class="lead">{t('summary.intro')}</p>
              {path === 'quick' && <p class="notice">{t('summary.quickLater')}</p>}
              <Summary report={report} photos={photos.length} path={path} onEdit={edit} />
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
          {field === 'publishWarning' && (
            <p>
              <RequiredMark />
            </p>
          )}
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
  const [confirming, setConfirming] = useState(false);
  const words = result.code.split(' ');
  const groups = result.digits.split(' ');
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
      <h3 id="digits-label">{t('done.digitsLabel')}</h3>
      <ol class="code digits" aria-labelledby="digits-label" data-digits={result.digits}>
        {groups.map((g, i) => (
          <li key={i}>{g}</li>
        ))}
      </ol>
      <p class="hint">{t('done.digitsWhat')}</p>
      <p class="notice">{t('done.codeWhat')}</p>
      <p class="notice strong">{t('done.codeWarn')}</p>
      <p>{t('done.addLater')}</p>
      <p>{t('done.followUp')}</p>
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby="confirm-new">
          <p id="confirm-new" class="strong">
            {t('done.confirmNew')}
          </p>
          <div class="actions">
            <button type="button" class="secondary" id="keep-code" onClick={() => setConfirming(false)}>
              {t('done.confirmNo')}
            </button>
            <button type="button" class="primary" id="confirm-new-report" onClick={onNew}>
              {t('done.confirmYes')}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button
            type="button"
            class="secondary"
            id="new-report"
            onClick={() => {
              setConfirming(true);
              setTimeout(() => document.getElementById('keep-code')?.focus(), 0);
            }}
          >
            {t('done.new')}
          </button>
        </div>
      )}
      <HelpPanel />
    </section>
  );
}
