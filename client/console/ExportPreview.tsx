/** What a police export will hold, and what it leaves out and why (issue 12). Report values are hostile: text only. */
import type { Preview, PreviewReport } from './export-model.js';
import { Text } from './Text.js';

const label = (v: string) => v.replace(/-/g, ' ');
/** Field and left-out class names as words. */
const WORDS: Record<string, string> = {
  partOfDay: 'part of day',
  contactMethod: 'contact made by',
  ageRange: 'age range',
  nameGiven: 'name used',
  plateIsPartial: 'partial plate',
  'reporters-words': "reporter's words",
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
      <strong>{r.ref}</strong> · {r.consent === 'full-report-support' ? 'wants support to make a full report' : 'anonymous'}
      {r.linkedTo && <span class="muted"> · linked to {r.linkedTo.join(', ')}</span>}
      <Fields title="Incident" o={r.incident} />
      <Fields title="Offender" o={r.offender} />
      <Fields title="Vehicle" o={r.vehicle} />
      <Fields title="Identifiers" o={r.identifiers} />
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
    <section class="export-preview" aria-label="preview">
      <h3>
        Included: {m.reports.length} report{m.reports.length === 1 ? '' : 's'}
      </h3>
      <ul class="export-included">
        {m.reports.map((r) => (
          <Included key={r.ref} r={r} />
        ))}
      </ul>
      <h3>Left out, and why</h3>
      {m.leftOut.length === 0 ? (
        <p class="muted">Nothing.</p>
      ) : (
        <ul class="left-out">
          {m.leftOut.map((l, i) => (
            <li key={i} data-what={l.what} data-ref={l.ref ?? ''}>
              {l.ref ? `${l.ref}: ${word(l.what)}` : `${l.reports} report${l.reports === 1 ? '' : 's'} left out entirely`}
              {l.fields?.length ? ` (${l.fields.join(', ')})` : ''} — {l.why}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
