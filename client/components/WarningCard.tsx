/**
 * One warning as members see it; the console's composer preview uses the same component so
 * the preview is exactly what members will see. Text only: every field is rendered as text.
 */
import type { Warning } from '../../crypto/index.js';
import { INCIDENT_LABELS, PART_OF_DAY, memberText, monthName } from '../member/text.js';

const M = memberText();

export interface WarningMark {
  /** verified against the root-pinned keyring, with the signer's display name */
  signer: string;
  /** the server stopped serving it without a signed withdrawal */
  disputed?: boolean;
}

export function WarningCard({ warning, regionNames, mark, headingLevel = 2 }: { warning: Warning; regionNames: Record<string, string>; mark?: WarningMark; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const regions = warning.regions.map((r) => regionNames[r] ?? r).join(', ');
  const when = `${monthName(warning.month)}${warning.partOfDay ? `, ${PART_OF_DAY[warning.partOfDay]}` : ''}`;
  return (
    <article class="warning-card">
      <H>{warning.incidentTypes.map((t) => INCIDENT_LABELS[t]).join(', ')}</H>
      <p class="warning-meta">
        {regions} · {when}
        {warning.supersedes && <span class="tag">{` · ${M.card.corrected}`}</span>}
      </p>
      {mark && (
        <p class="mark verified">
          <span aria-hidden="true">✔ </span>
          {M.card.verified(mark.signer)}
        </p>
      )}
      {mark?.disputed && <p class="mark disputed">{M.card.disputed}</p>}
      <dl class="warning-fields">
        {warning.summary && (
          <>
            <dt>{M.card.summary}</dt>
            <dd class="pre">{warning.summary}</dd>
          </>
        )}
        {warning.offender && (
          <>
            <dt>{M.card.offender}</dt>
            <dd class="pre">{warning.offender}</dd>
          </>
        )}
        {warning.vehicle && (
          <>
            <dt>{M.card.vehicle}</dt>
            <dd>{warning.vehicle}</dd>
          </>
        )}
        {warning.identifiers && (
          <>
            <dt>{M.card.identifiers}</dt>
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
            <dt>{M.card.advice}</dt>
            <dd class="pre">{warning.advice}</dd>
          </>
        )}
      </dl>
      <p class="hint">{M.card.published(warning.published)}</p>
    </article>
  );
}
