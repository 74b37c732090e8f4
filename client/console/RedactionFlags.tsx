/** The redaction flags of one composer field, each with why, and a checkbox to keep the text anyway. */
import type { RedactionFlag } from '../lib/redaction.js';
import { t } from './i18n.js';
import { Text } from './Text.js';
import { FLAG_LABELS, flagKey } from './warning-model.js';

export function RedactionFlags({ flags, overridden, onChange }: { flags: RedactionFlag[]; overridden: ReadonlySet<string>; onChange: (s: Set<string>) => void }) {
  if (flags.length === 0) return null;
  return (
    <ul class="flags" aria-label={t('flags.label')}>
      {flags.map((f) => {
        const key = flagKey(f);
        const kept = overridden.has(key);
        return (
          <li key={`${key}:${f.start}`} class={`flag${kept ? ' kept' : ''}`} data-kind={f.kind} data-field={f.field}>
            <q>
              <Text value={f.text} />
            </q>{' '}
            — {FLAG_LABELS[f.kind]}{' '}
            <label>
              <input
                type="checkbox"
                name="override"
                checked={kept}
                onChange={() => {
                  const next = new Set(overridden);
                  if (kept) next.delete(key);
                  else next.add(key);
                  onChange(next);
                }}
              />{' '}
              {t('flags.keep')}
            </label>
          </li>
        );
      })}
    </ul>
  );
}
