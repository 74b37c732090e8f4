/** A labelled password input (never remembered by the browser, never spell-checked). */
import { useId } from 'preact/hooks';
import { FieldError, Hint } from '../components/fields.js';

export function PassphraseField(props: { label: string; name: string; value: string; onInput(v: string): void; error?: string; hint?: string; autocomplete?: string }) {
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
        type="password"
        value={props.value}
        maxLength={1024}
        autocomplete={props.autocomplete ?? 'new-password'}
        spellcheck={false}
        aria-describedby={[hintId, errId].filter(Boolean).join(' ') || undefined}
        aria-invalid={props.error ? true : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </div>
  );
}
