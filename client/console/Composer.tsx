/**
 * The warning composer: from a consenting report (`from.case`), as a correction of a
 * published warning (`from.correct`), or from scratch. Redaction flags sit beside the text;
 * the preview is the members' own WarningCard. The console process signs on publish.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Warning } from '../../crypto/index.js';
import { WarningCard } from '../components/WarningCard.js';
import type { ReportLike } from '../lib/redaction.js';
import { INCIDENT_LABELS, PART_OF_DAY } from '../i18n/member/english.js';
import { api } from './api.js';
import { RedactionFlags } from './RedactionFlags.js';
import { Text } from './Text.js';
import { TEXT_FIELDS, bodyOf, draftFrom, emptyDraft, flagsOf, previewOf, problems, type Draft, type Published, type Region, type TextField } from './warning-model.js';

export type ComposeFrom = { case: string } | { correct: string } | null;

const FIELD_LABELS: Record<TextField, string> = {
  summary: 'What happened, in general terms',
  offender: 'Offender description',
  vehicle: 'Vehicle',
  advice: 'Advice to members',
};
const ID_KINDS = ['phone', 'email', 'username', 'plate', 'other'] as const;

export function Composer({ from }: { from: ComposeFrom }) {
  const [regions, setRegions] = useState<Region[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [report, setReport] = useState<ReportLike | undefined>(undefined);
  const [refusal, setRefusal] = useState('');
  const [error, setError] = useState('');
  const [overridden, setOverridden] = useState<Set<string>>(new Set());
  const [idKind, setIdKind] = useState<(typeof ID_KINDS)[number]>('phone');
  const [idValue, setIdValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [published, setPublished] = useState('');

  useEffect(() => {
    setDraft(null);
    setRefusal('');
    setPublished('');
    setOverridden(new Set());
    api<{ regions: Region[] }>('GET', '/profile')
      .then((p) => setRegions(p.regions))
      .catch((e: Error) => setError(`The organisation profile: ${e.message}`));
    if (from && 'case' in from) {
      const path = `/cases/${encodeURIComponent(from.case)}`;
      api<{ draft: Partial<Warning> }>('GET', `${path}/draft`)
        .then(async (r) => {
          const detail = await api<{ report: ReportLike | null }>('GET', path);
          setReport(detail.report ?? undefined);
          setDraft(draftFrom(r.draft));
        })
        .catch((e: Error) => setRefusal(e.message));
    } else if (from && 'correct' in from) {
      api<{ warnings: Published[] }>('GET', '/warnings')
        .then((r) => {
          const w = r.warnings.find((x) => x.id === from.correct);
          if (w) setDraft(draftFrom(w.warning, w.id));
          else setRefusal('That warning is no longer published.');
        })
        .catch((e: Error) => setError(e.message));
    } else setDraft(emptyDraft());
  }, [from && ('case' in from ? from.case : 'correct' in from ? from.correct : '')]);

  const flags = useMemo(() => (draft && regions ? flagsOf(draft, report, regions) : []), [draft, report, regions]);
  if (refusal) return <section class="panel composer" aria-label="compose a warning"><h2>Compose a warning</h2><p class="refusal" role="alert">{refusal}</p></section>;
  if (!draft || !regions) return <section class="panel composer">{error ? <p class="error" role="alert">{error}</p> : <p>Loading…</p>}</section>;

  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const todo = problems(draft, flags, overridden);
  const addIdentifier = async () => {
    try {
      // The console process masks it and gets its private-check tag (blinded) from the server.
      const r = await api<Draft['identifiers'][number]>('POST', '/warnings/mask', { kind: idKind, value: idValue });
      set({ identifiers: [...draft.identifiers, r] });
      setIdValue('');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const submit = async () => {
    setBusy(true);
    setError('');
    try {
      const r = await api<{ id: string }>('POST', '/warnings', { ...bodyOf(draft), ...(from && 'case' in from ? { fromCase: from.case } : {}) });
      setPublished(r.id);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  if (published) {
    return (
      <section class="panel composer" aria-label="compose a warning">
        <h2>Warning published</h2>
        <p class="published" data-id={published}>
          Signed with your key and published to members. <a href="#/warnings">See published warnings</a>
        </p>
      </section>
    );
  }

  return (
    <section class="panel composer" aria-label="compose a warning">
      <h2>{draft.supersedes ? 'Correct a warning' : from && 'case' in from ? 'Compose a warning from this report' : 'New warning'}</h2>
      {from && 'case' in from && <p class="hint">The reporter's own words are left out: write what happened in general terms.</p>}
      <div class="composer-grid">
        <form class="composer-form" onSubmit={(e) => (e.preventDefault(), void submit())}>
          <fieldset>
            <legend>Incident</legend>
            {Object.entries(INCIDENT_LABELS).map(([k, label]) => (
              <label key={k} class="check">
                <input type="checkbox" name="incidentTypes" value={k} checked={draft.incidentTypes.includes(k as never)} onChange={() => set({ incidentTypes: toggle(draft.incidentTypes, k as never) })} /> {label}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Region (from the organisation profile)</legend>
            {regions.map((r) => (
              <label key={r.id} class="check">
                <input type="checkbox" name="regions" value={r.id} checked={draft.regions.includes(r.id)} onChange={() => set({ regions: toggle(draft.regions, r.id) })} /> <Text value={r.name} />
              </label>
            ))}
          </fieldset>
          <p>
            <label>
              Month <input type="month" name="month" value={draft.month} onInput={(e) => set({ month: e.currentTarget.value })} />
            </label>{' '}
            <label>
              Part of day{' '}
              <select name="partOfDay" value={draft.partOfDay ?? ''} onChange={(e) => set({ partOfDay: (e.currentTarget.value || undefined) as Draft['partOfDay'] })}>
                <option value="">not said</option>
                {Object.entries(PART_OF_DAY).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          </p>
          {TEXT_FIELDS.map((f) => (
            <div key={f} class="composer-field">
              <label>
                {FIELD_LABELS[f]}
                {f === 'vehicle' ? (
                  <input name={f} value={draft[f]} maxLength={300} onInput={(e) => set({ [f]: e.currentTarget.value })} />
                ) : (
                  <textarea name={f} rows={3} value={draft[f]} maxLength={f === 'offender' ? 1000 : 2000} onInput={(e) => set({ [f]: e.currentTarget.value })} />
                )}
              </label>
              <RedactionFlags flags={flags.filter((x) => x.field === f)} overridden={overridden} onChange={setOverridden} />
            </div>
          ))}
          <fieldset class="identifiers">
            <legend>Identifiers (masked)</legend>
            <ul>
              {draft.identifiers.map((i, k) => (
                <li key={k} data-masked={i.masked} data-checkable={i.tag ? 'yes' : 'no'}>
                  {i.kind} <code>{i.masked}</code> {i.tag ? '(members can check it)' : '(not checkable)'}{' '}
                  <button type="button" name="remove-identifier" onClick={() => set({ identifiers: draft.identifiers.filter((_, j) => j !== k) })}>
                    remove
                  </button>
                </li>
              ))}
            </ul>
            {draft.carriedTags.length > 0 && (
              <p class="hint" data-carried={draft.carriedTags.length}>
                {draft.carriedTags.length} private-check tag(s) carried over from the warning this corrects.{' '}
                <button type="button" name="drop-carried-tags" onClick={() => set({ carriedTags: [] })}>
                  drop them
                </button>
              </p>
            )}
            <select name="idKind" value={idKind} onChange={(e) => setIdKind(e.currentTarget.value as never)}>
              {ID_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>{' '}
            <input name="idValue" value={idValue} placeholder="typed in full, stored masked" onInput={(e) => setIdValue(e.currentTarget.value)} />{' '}
            <button type="button" name="add-identifier" disabled={!idValue.trim()} onClick={() => void addIdentifier()}>
              add masked
            </button>
          </fieldset>
          {todo.length > 0 && (
            <ul class="problems" aria-label="before publishing">
              {todo.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          {error && <p class="error" role="alert">{error}</p>}
          <button type="submit" name="publish" disabled={busy || todo.length > 0}>
            {busy ? 'signing…' : draft.supersedes ? 'Sign and publish the correction' : 'Sign and publish'}
          </button>
        </form>
        <section class="preview" aria-label="preview: what members will see">
          <h3>Preview: what members will see</h3>
          <WarningCard warning={previewOf(draft)} regionNames={Object.fromEntries(regions.map((r) => [r.id, r.name]))} headingLevel={3} />
        </section>
      </div>
    </section>
  );
}
