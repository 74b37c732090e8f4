/**
 * The receipt code, one box per word (or per group of four digits), with completion from the
 * current word list. Pasting or typing the whole code into one box spreads it over the boxes.
 * On Open, every problem is named by position: a missing word, a word not in the list; a
 * checksum mismatch (all words known, one wrong or two swapped) is said as such.
 */
import { useId, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import { RECEIPT_WORDS, completeReceiptWord, normalizeReceiptCode, receiptWordIndex } from '../lib/crypto.js';

const SPLIT = /[\s\-\u2010-\u2015\u2212_.,;:/|·•]+/u;

/** Problems with the boxes, by position (0-based), or a whole-code problem. */
export function checkBoxes(words: readonly string[]): { missing: number[]; unknown: number[]; code?: string; checksum: boolean } {
  const missing: number[] = [];
  const unknown: number[] = [];
  words.forEach((w, i) => {
    if (w.trim() === '') missing.push(i);
    else if (receiptWordIndex(w) === undefined) unknown.push(i);
  });
  if (missing.length > 0 || unknown.length > 0) return { missing, unknown, checksum: false };
  try {
    return { missing, unknown, code: normalizeReceiptCode(words.join(' ')), checksum: false };
  } catch {
    return { missing, unknown, checksum: true };
  }
}

export function CodeEntry({
  words,
  setWords,
  disabled,
  errors,
  onSubmitKey,
}: {
  words: string[];
  setWords(w: string[]): void;
  disabled: boolean;
  /** Positions to mark invalid. */
  errors: readonly number[];
  onSubmitKey?: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [focused, setFocused] = useState(-1);
  const box = (i: number) => document.getElementById(`${id}-${i}`) as HTMLInputElement | null;

  const type = (i: number, value: string) => {
    const pieces = value.split(SPLIT);
    if (pieces.length > 1) {
      // A pasted or typed run of words: spread it from this box on, then focus the next empty one.
      const next = [...words];
      let k = i;
      const filled = pieces.filter((p) => p !== '');
      if (filled.length === 1 && pieces[pieces.length - 1] === '') {
        next[i] = filled[0]!;
        setWords(next);
        setTimeout(() => box(Math.min(i + 1, RECEIPT_WORDS - 1))?.focus(), 0);
        return;
      }
      // A run of digits without spaces (a pasted digits form) is cut into groups of four.
      const expanded = filled.length === 1 && /^[0-9]{8,}$/.test(filled[0]!) ? filled[0]!.match(/[0-9]{1,4}/g)! : filled;
      for (const p of expanded) if (k < RECEIPT_WORDS) next[k++] = p;
      setWords(next);
      setTimeout(() => box(Math.min(k, RECEIPT_WORDS - 1))?.focus(), 0);
      return;
    }
    const only = value.replace(/[^0-9]/g, '');
    if (/^[0-9]{5,}$/.test(value) && only.length >= 8) {
      const groups = only.match(/[0-9]{1,4}/g)!;
      const next = [...words];
      let k = i;
      for (const g of groups) if (k < RECEIPT_WORDS) next[k++] = g;
      setWords(next);
      setTimeout(() => box(Math.min(k, RECEIPT_WORDS - 1))?.focus(), 0);
      return;
    }
    setWords(words.map((w, k) => (k === i ? value : w)));
  };

  const pick = (i: number, word: string) => {
    setWords(words.map((w, k) => (k === i ? word : w)));
    if (i + 1 < RECEIPT_WORDS) box(i + 1)?.focus();
    else onSubmitKey?.();
  };

  const current = focused >= 0 ? (words[focused] ?? '').trim().toLowerCase() : '';
  const suggestions = current.length >= 2 && !/[0-9]/.test(current) && receiptWordIndex(current) === undefined ? completeReceiptWord(current, 4) : [];
  const exact = current.length >= 4 ? completeReceiptWord(current, 2) : [];
  const shown = suggestions.length > 0 ? suggestions : exact.length === 1 && exact[0] !== current ? exact : [];

  return (
    <fieldset class="code-boxes" aria-describedby={`${id}-hint`}>
      <legend>{t('follow.code')}</legend>
      <p class="hint" id={`${id}-hint`}>
        {t('follow.codeHint')}
      </p>
      <ol class="boxes">
        {words.map((w, i) => (
          <li key={i}>
            <label for={`${id}-${i}`}>
              <span class="visually-hidden">{t('follow.wordLabel')} </span>
              {i + 1}
            </label>
            <input
              id={`${id}-${i}`}
              name={`word-${i + 1}`}
              class="code-input"
              type="text"
              lang="en"
              value={w}
              disabled={disabled}
              maxLength={i === 0 ? 400 : 40}
              aria-invalid={errors.includes(i) ? true : undefined}
              autocomplete="off"
              autocorrect="off"
              autocapitalize="none"
              spellcheck={false}
              onFocus={() => setFocused(i)}
              onInput={(e) => type(i, e.currentTarget.value)}
            />
            {focused === i && shown.length > 0 && (
              <div class="suggest" role="group" aria-label={t('follow.suggestions')}>
                {shown.map((s) => (
                  <button type="button" class="secondary small" key={s} lang="en" onClick={() => pick(i, s)}>
                    {s}
                  </button>
                ))}
              </div>
            )}
          </li>
        ))}
      </ol>
    </fieldset>
  );
}
