/**
 * One warning as members see it; the console's composer preview uses the same component so
 * the preview is exactly what members will see. Text only: every field is rendered as text.
 */
import type { Warning } from '../../crypto/index.js';
import { monthName, useMemberI18n } from '../i18n/member/index.js';


export interface WarningMark {
  /** verified against the root-pinned keyring, with the signer's display name */
  signer: string;
  /** the server stopped serving it without a signed withdrawal */
  disputed?: boolean;
}

export function WarningCard({ warning, regionNames, mark, headingLevel = 2 }: { warning: Warning; regionNames: Record<string, string>; mark?: WarningMark; headingLevel?: 2 | 3 }) {
  const { t, lang } = useMemberI18n();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const regions = warning.regions.map((r) => regionNames[r] ?? r).join(', ');
  const when = `${monthName(lang, warning.month)}${warning.partOfDay ? `, ${t(`partOfDay.${warning.partOfDay}`)}` : ''}`;
  return (
    <article class="warning-card">
      <H>{warning.incidentTypes.map((type) => t(`incident.${type}`)).join(', ')}</H>
      <p class="warning-meta">
        {regions} · {when}
        {warning.supersedes && <span class="tag">{` · ${t('card.corrected')}`}</span>}
      </p>
      {mark && (
        <p class="mark verified">
          <span aria-hidden="true">✔ </span>
          {t('card.verified', { signer: mark.signer })}
        </p>
      )}
      {mark?.disputed && <p class="mark disputed">{t('card.disputed')}</p>}
      <dl class="warning-fields">
        {warning.summary && (
          <>
            <dt>{t('card.summary')}</dt>
            <dd class="pre">{warning.summary}</dd>
          </>
        )}
        {warning.offender && (
          <>
            <dt>{t('card.offender')}</dt>
            <dd class="pre">{warning.offender}</dd>
          </>
        )}
        {warning.vehicle && (
          <>
            <dt>{t('card.vehicle')}</dt>
            <dd>{warning.vehicle}</dd>
          </>
        )}
        {warning.identifiers && (
          <>
            <dt>{t('card.identifiers')}</dt>
            <dd>
              <ul class="identifiers">
                {warning.identifiers.map((i, k) => (
                  <li key={k}>
                    <span class="id-kind">{i.kind}</span> <code>{i.masked}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {warning.advice && (
          <>
            <dt>{t('card.advice')}</dt>
            <dd class="pre">{warning.advice}</dd>
          </>
        )}
      </dl>
      <p class="hint">{t('card.published', { day: warning.published })}</p>
    </article>
  );
}
