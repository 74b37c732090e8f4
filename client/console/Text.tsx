/**
 * Hostile text, rendered as text: Preact text nodes only (never markup), with control,
 * format (bidi, zero-width) and separator characters shown visibly as ⟨U+XXXX⟩, and very
 * long strings cut until the coordinator asks for the rest.
 */
import { useState } from 'preact/hooks';
import { t } from './i18n.js';

// Everything invisible or reordering except tab and line feed, which the pre-wrap layout shows.
const INVISIBLE = /([\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029\ufff9-\ufffb\p{Co}\p{Cs}])/u;

export function visibleParts(s: string): (string | { code: string })[] {
  const out: (string | { code: string })[] = [];
  for (const [i, part] of s.split(INVISIBLE).entries()) {
    if (i % 2 === 1) out.push({ code: `U+${part.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` });
    else if (part) out.push(part);
  }
  return out;
}

export function Text({ value, limit = 20_000 }: { value: string; limit?: number }) {
  const [all, setAll] = useState(false);
  const cut = !all && value.length > limit;
  const shown = cut ? value.slice(0, limit) : value;
  return (
    <span class="text">
      {visibleParts(shown).map((p) => (typeof p === 'string' ? p : <span class="ctl" title={t('text.invisible')}>⟨{p.code}⟩</span>))}
      {cut && (
        <>
          {' '}
          <button type="button" class="more" onClick={() => setAll(true)}>
            {t('text.showAll', { n: value.length })}
          </button>
        </>
      )}
    </span>
  );
}
