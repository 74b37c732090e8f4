/**
 * The language picker: a labelled native <select> of each language's name in itself. It
 * scales to any number of languages and works well with phones' own pickers and with screen
 * readers. The choice is kept in memory only (the caller's state): no storage, cookie or URL.
 */
import { PSEUDO, language, type Lang } from '../i18n/languages.js';

export function LanguagePicker({ lang, langs, label, onChange }: { lang: Lang; langs: readonly Lang[]; label: string; onChange(lang: Lang): void }) {
  // The pseudo-locale is listed only while it is in use (the browser asked for it).
  const options: readonly Lang[] = lang === PSEUDO && !langs.includes(PSEUDO) ? [...langs, PSEUDO] : langs;
  return (
    <label class="lang-picker">
      <span class="visually-hidden">{label}</span>
      <select id="lang" autocomplete="off" value={lang} onChange={(e) => onChange(e.currentTarget.value as Lang)}>
        {options.map((l) => (
          <option key={l} value={l} lang={l}>
            {language(l).endonym}
          </option>
        ))}
      </select>
    </label>
  );
}
