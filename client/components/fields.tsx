/** Accessible form controls: every input labelled, groups in fieldsets, hints and errors tied by aria-describedby. */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';

export interface Option {
  value: string;
  label: string;
}

/** Attributes every text input carries: nothing remembered, nothing sent to a spell-check service. */
const QUIET = { autocomplete: 'off', autocorrect: 'off', spellcheck: false } as const;

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const s = ids.filter(Boolean).join(' ');
  return s || undefined;
}

export function Hint({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <p class="hint" id={id}>
      {children}
    </p>
  );
}

export function FieldError({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <p class="error" id={id} role="alert">
      {children}
    </p>
  );
}

interface ChoiceProps {
  legend: string;
  name: string;
  options: readonly Option[];
  hint?: string;
  error?: string;
  /** Render the legend as the page's step heading instead of plain text. */
  legendClass?: string;
  /** Marked "Required" from the start, not only after a wrong answer. */
  required?: boolean;
}

/** The visible "Required" mark. */
export function RequiredMark() {
  const { t } = useI18n();
  return <span class="req">{t('common.required')}</span>;
}

/** A fieldset of checkboxes or radio buttons: the shared markup of the two choice fields. */
function Choices(props: ChoiceProps & { type: 'checkbox' | 'radio'; isChecked(v: string): boolean; onToggle(v: string, on: boolean): void }) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errId = props.error ? `${id}-err` : undefined;
  return (
    <fieldset class="choices" aria-describedby={describedBy(hintId, errId)} aria-invalid={props.error ? true : undefined}>
      <legend class={props.legendClass}>
        {props.legend}
        {props.required && !props.legendClass && (
          <>
            {' '}
            <RequiredMark />
          </>
        )}
      </legend>
      {props.hint && <Hint id={hintId!}>{props.hint}</Hint>}
      {props.error && <FieldError id={errId!}>{props.error}</FieldError>}
      <div class="options">
        {props.options.map((o) => (
          <label class="option" key={o.value}>
            <input
              type={props.type}
              autocomplete="off"
              name={props.name}
              value={o.value}
              checked={props.isChecked(o.value)}
              onChange={(e) => props.onToggle(o.value, e.currentTarget.checked)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Several answers may be chosen (checkboxes). */
export function MultiChoice(props: ChoiceProps & { value: readonly string[]; onChange(v: string[]): void }) {
  const toggle = (v: string, on: boolean) => {
    const next = props.options.map((o) => o.value).filter((x) => (x === v ? on : props.value.includes(x)));
    props.onChange(next);
  };
  return <Choices {...props} type="checkbox" isChecked={(v) => props.value.includes(v)} onToggle={toggle} />;
}

/** One answer (radio buttons). */
export function SingleChoice(props: ChoiceProps & { value: string; onChange(v: string): void }) {
  return <Choices {...props} type="radio" isChecked={(v) => props.value === v} onToggle={(v, on) => on && props.onChange(v)} />;
}

interface TextProps {
  label: string;
  value: string;
  onInput(v: string): void;
  hint?: string;
  error?: string;
  maxLength?: number;
  type?: 'text' | 'email' | 'tel' | 'date';
  inputMode?: 'text' | 'email' | 'tel' | 'numeric';
  max?: string;
  name?: string;
}

export function TextField(props: TextProps) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errId = props.error ? `${id}-err` : undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint && <Hint id={hintId!}>{props.hint}</Hint>}
      {props.error && <FieldError id={errId!}>{props.error}</FieldError>}
      <input
        id={id}
        name={props.name}
        type={(props.type ?? 'text') as 'text'}
        inputMode={props.inputMode}
        value={props.value}
        maxLength={props.maxLength}
        max={props.max}
        aria-describedby={describedBy(hintId, errId)}
        aria-invalid={props.error ? true : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        {...QUIET}
      />
    </div>
  );
}

export function TextArea(props: Omit<TextProps, 'type' | 'inputMode' | 'max'> & { rows?: number }) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errId = props.error ? `${id}-err` : undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint && <Hint id={hintId!}>{props.hint}</Hint>}
      {props.error && <FieldError id={errId!}>{props.error}</FieldError>}
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 8}
        value={props.value}
        maxLength={props.maxLength}
        aria-describedby={describedBy(hintId, errId)}
        aria-invalid={props.error ? true : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        {...QUIET}
      />
    </div>
  );
}

/** A drop-down list (used for choices with many values, such as a month). */
export function SelectField(props: { label: string; name: string; value: string; options: readonly Option[]; error?: string; onChange(v: string): void }) {
  const id = useId();
  const errId = props.error ? `${id}-err` : undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.error && <FieldError id={errId!}>{props.error}</FieldError>}
      <select
        id={id}
        name={props.name}
        autocomplete="off"
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={errId}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <option value="">—</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A list of short values (phone numbers, emails, usernames): one input each, add and remove. */
export function ListField(props: {
  legend: string;
  itemLabel: string;
  values: readonly string[];
  onChange(v: string[]): void;
  hint?: string;
  errors?: readonly (string | undefined)[];
  type?: 'text' | 'email' | 'tel';
  inputMode?: 'text' | 'email' | 'tel';
  maxItems?: number;
  maxLength?: number;
  name: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const values = props.values.length > 0 ? props.values : [''];
  const set = (i: number, v: string) => props.onChange(values.map((x, k) => (k === i ? v : x)));
  const remove = (i: number) => props.onChange(values.filter((_, k) => k !== i));
  const canAdd = values.length < (props.maxItems ?? 10) && values[values.length - 1]!.trim() !== '';
  return (
    <fieldset class="list" aria-describedby={hintId}>
      <legend>{props.legend}</legend>
      {props.hint && <Hint id={hintId!}>{props.hint}</Hint>}
      {values.map((v, i) => {
        const inputId = `${id}-${i}`;
        const err = props.errors?.[i];
        return (
          <div class="list-item" key={i}>
            <label for={inputId} class="visually-hidden">
              {`${props.itemLabel} ${i + 1}`}
            </label>
            {err && <FieldError id={`${inputId}-err`}>{err}</FieldError>}
            <div class="list-row">
              <input
                id={inputId}
                name={`${props.name}-${i}`}
                type={(props.type ?? 'text') as 'text'}
                inputMode={props.inputMode}
                value={v}
                maxLength={props.maxLength}
                aria-invalid={err ? true : undefined}
                aria-describedby={err ? `${inputId}-err` : undefined}
                onInput={(e) => set(i, e.currentTarget.value)}
                {...QUIET}
              />
              {(values.length > 1 || v !== '') && (
                <button type="button" class="secondary small" onClick={() => remove(i)}>
                  {t('common.remove')}
                  <span class="visually-hidden">{` ${props.itemLabel} ${i + 1}`}</span>
                </button>
              )}
            </div>
          </div>
        );
      })}
      {canAdd && (
        <button type="button" class="secondary" onClick={() => props.onChange([...values, ''])}>
          {t('common.add')}
          <span class="visually-hidden">{`: ${props.itemLabel}`}</span>
        </button>
      )}
    </fieldset>
  );
}

/** A progress bar with a visible label; value in [0, 1] or undefined for "working". */
export function Progress({ label, value }: { label: string; value?: number }) {
  const id = useId();
  return (
    <div class="progress">
      <p id={id}>{label}</p>
      {value === undefined ? (
        <progress aria-labelledby={id} />
      ) : (
        <progress aria-labelledby={id} max={100} value={Math.round(Math.min(1, Math.max(0, value)) * 100)} />
      )}
    </div>
  );
}
