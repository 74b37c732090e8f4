/** What a police export will hold, and what it leaves out and why (issue 12). Report values are hostile: text only. */
import type { Preview, PreviewReport } from './export-model.js';
import { t } from './i18n.js';
import { Text } from './Text.js';

const label = (v: string) => v.replace(/-/g, ' ');
/** Field and left-out class names as words. */
const WORDS: Record<string, string> = {
  partOfDay: t('export.word.partOfDay'),
  contactMethod: t('export.word.contactMethod'),
  ageRange: t('export.word.ageRange'),
  nameGiven: t('export.word.nameGiven'),
  plateIsPartial: t('export.word.plateIsPartial'),
  'reporters-words': t('export.word.reportersWords'),
};
const word = (k: string) => WORDS[k] ?? label(k);

function Fields({ title, o }: { title: string; o: Record<string, unknown> | undefined }) {
  if (!o || Object.keys(o).length === 0) return null;
  return (
    <div class="export-fields">
      <h4>{title}</h4>
      <dl>
        {Object.entries(o).map(([k, v]) => (
          <div key={k} data-field={k}>
            <dt>{word(k)}</dt>
            <dd>
              <Text value={Array.isArray(v) ? v.join(', ') : String(v)} />
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function Included({ r }: { r: PreviewReport }) {
  return (
    <li class="export-report" data-ref={r.ref} data-consent={r.consent}>
      <strong>{r.ref}</strong> · {r.consent === 'full-report-support' ? t('export.consent.full') : t('export.consent.anonymous')}
      {r.linkedTo && <span class="muted"> · {t('export.linkedTo', { refs: r.linkedTo.join(', ') })}</span>}
      <Fields title={t('export.incident')} o={r.incident} />
      <Fields title={t('common.offender')} o={r.offender} />
      <Fields title={t('common.vehicle')} o={r.vehicle} />
      <Fields title={t('common.identifiers')} o={r.identifiers} />
      {r.contactRoute && (
        <p class="contact-route">
          <Text value={r.contactRoute.instructions} />
        </p>
      )}
    </li>
  );
}

export function ExportPreview({ preview }: { preview: Preview }) {
  const m = preview.model;
  return (
    <section class="export-preview" aria-label={t('export.preview')}>
      <h3>{t('export.included', { n: m.reports.length })}</h3>
      <ul class="export-included">
        {m.reports.map((r) => (
          <Included key={r.ref} r={r} />
        ))}
      </ul>
      <h3>{t('export.leftOut')}</h3>
      {m.leftOut.length === 0 ? (
        <p class="muted">{t('export.leftOut.none')}</p>
      ) : (
        <ul class="left-out">
          {m.leftOut.map((l, i) => (
            <li key={i} data-what={l.what} data-ref={l.ref ?? ''}>
              {l.ref ? `${l.ref}: ${word(l.what)}` : t('export.leftOut.entirely', { n: l.reports ?? 0 })}
              {l.fields?.length ? ` (${l.fields.join(', ')})` : ''} — {l.why}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
