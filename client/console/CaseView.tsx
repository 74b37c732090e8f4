/** One case: consent and origin first, the report as text, identifiers and links, photos, the thread, and actions. */
import { useEffect, useState } from 'preact/hooks';
import { STATES, STATE_LABELS, api, type Attachment, type Detail, type Session } from './api.js';
import { routeFor } from './export-model.js';
import { Text } from './Text.js';

const CONSENT: [string, string][] = [
  ['publishWarning', 'Publish an anonymised warning'],
  ['shareWithPolice', 'Share anonymously with police'],
  ['wantPoliceSupport', 'Wants support to make a full police report'],
  ['wantCaseworker', 'Wants contact from a caseworker'],
];

const FIELDS: [string, string][] = [
  ['incidentTypes', 'What happened'],
  ['incidentOther', 'Other (their words)'],
  ['date', 'Date'],
  ['timeBand', 'Time of day'],
  ['area', 'Area'],
  ['setting', 'Setting'],
  ['settingOther', 'Setting (their words)'],
  ['contactMethod', 'First contact'],
  ['contactDetail', 'Site, app or venue'],
  ['language', 'Language used'],
];

const OFFENDER: [string, string][] = [
  ['count', 'How many'],
  ['gender', 'Gender'],
  ['ageRange', 'Age'],
  ['height', 'Height'],
  ['build', 'Build'],
  ['hair', 'Hair'],
  ['skin', 'Skin / ethnicity'],
  ['accent', 'Accent'],
  ['nameGiven', 'Name used'],
  ['clothing', 'Clothing'],
  ['marks', 'Marks'],
];

function show(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

function Rows({ obj, fields }: { obj: Record<string, unknown> | undefined; fields: [string, string][] }) {
  if (!obj) return null;
  return (
    <>
      {fields
        .filter(([k]) => obj[k] !== undefined)
        .map(([k, label]) => (
          <div class="field" key={k}>
            <dt>{label}</dt>
            <dd data-field={k}>
              <Text value={show(obj[k])} />
            </dd>
          </div>
        ))}
    </>
  );
}

/** A photo only when the console served it as JPEG/PNG/WebP and the browser decodes it; otherwise a size line. */
function Photo({ a }: { a: Attachment }) {
  const [failed, setFailed] = useState(false);
  if (failed) {
    return (
      <li class="file">
        file of {a.size.toLocaleString('en-GB')} bytes (encrypted size), received {a.day}: not an image that can be shown
      </li>
    );
  }
  return (
    <li class="photo">
      <img src={`/api/attachments/${encodeURIComponent(a.id)}`} alt="photo from the report" loading="lazy" onError={() => setFailed(true)} />
    </li>
  );
}

function Consent({ d }: { d: Detail }) {
  const c = d.report?.consent as Record<string, string> | undefined;
  return (
    <section class="consent" aria-label="consent and origin">
      {d.origin === 'server' && (
        <p class="flag warn" data-flag="no-js">
          Sent through the no-JavaScript form: the server encrypted it (it saw the text in memory).
        </p>
      )}
      {d.onBehalf && (
        <p class="flag warn" data-flag="third-party">
          Sent by a third party on someone's behalf ({d.report?.onBehalfOf?.theyConsented ? 'they say the person consented' : 'consent not confirmed'}).
        </p>
      )}
      {c && (
        <dl class="answers">
          {CONSENT.map(([k, label]) => (
            <div class={`answer a-${c[k] ?? 'none'}`} key={k}>
              <dt>{label}</dt>
              <dd data-consent={k}>{c[k] ?? 'not asked'}</dd>
            </div>
          ))}
        </dl>
      )}
      <p>
        <a class="button" href={`#/compose/case/${encodeURIComponent(d.id)}`} data-action="compose">
          Compose warning
        </a>{' '}
        {c?.publishWarning !== 'yes' && <span class="muted">(the consent answers above do not allow one: the composer will refuse)</span>}
      </p>
      <p>
        <a class="button" href={routeFor([d.id])} data-action="export">
          Export for police
        </a>{' '}
        {c?.shareWithPolice !== 'yes' && <span class="muted">(no "yes" to sharing with police: the export will leave this report out)</span>}
      </p>
    </section>
  );
}

export function CaseView({ id, session, onChange }: { id: string; session: Session; onChange: () => void }) {
  const [d, setD] = useState<Detail | null>(null);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [reply, setReply] = useState('');
  const [tags, setTags] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');

  useEffect(() => {
    setD(null);
    api<Detail>('GET', `/cases/${encodeURIComponent(id)}`)
      .then((x) => {
        setD(x);
        setTags(x.tags.join(', '));
        if (x.unread) void api('POST', `/cases/${encodeURIComponent(id)}/read`).then(onChange);
      })
      .catch((e: Error) => setError(e.message));
  }, [id]);

  const act = async (path: string, body: unknown, after?: () => void, message = '') => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      const x = await api<Detail>('POST', `/cases/${encodeURIComponent(id)}${path}`, body);
      setD(x);
      setTags(x.tags.join(', '));
      after?.();
      setDone(message);
      onChange();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (error && !d) return <p class="error" role="alert">{error}</p>;
  if (!d) return <p>Loading…</p>;
  const r = d.report;
  return (
    <article class="panel case-view" data-id={d.id}>
      <p>
        <a href="#/">← inbox</a>
      </p>
      <h2>
        Report of {d.day} <span class={`state s-${d.state}`}>{STATE_LABELS[d.state]}</span>
      </h2>
      <Consent d={d} />

      <div class="actions">
        <label>
          State{' '}
          <select name="state" disabled={busy} value={d.state} onChange={(e) => void act('/events', { kind: 'state', state: (e.target as HTMLSelectElement).value })}>
            {STATES.map((s) => (
              <option value={s}>{STATE_LABELS[s]}</option>
            ))}
          </select>
        </label>
        <label>
          Assigned to{' '}
          <select
            name="assignee"
            disabled={busy}
            value={d.assignee ?? '-'}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              void act('/events', { kind: 'assign', to: v === '-' ? null : v });
            }}
          >
            <option value="-">nobody</option>
            {session.coordinators.map((c) => (
              <option value={c.id}>{c.name}</option>
            ))}
          </select>
        </label>
        <form
          class="tags-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('/events', { kind: 'tags', tags: tags.split(',').map((t) => t.trim()).filter(Boolean) });
          }}
        >
          <label>
            Tags (comma-separated) <input name="tags" value={tags} maxLength={600} onInput={(e) => setTags((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" disabled={busy}>
            save tags
          </button>
        </form>
      </div>

      {d.status === 'undecryptable' && (
        <p class="flag bad" data-flag="undecryptable">
          This report could not be decrypted with your keys. It may be addressed to a key you do not hold (start the console with your older
          identity files too) or damaged.
        </p>
      )}
      {d.status === 'invalid' && (
        <section class="raw">
          <p class="flag bad" data-flag="invalid">
            This report decrypted but does not match the report format. Its text is shown as it is ({d.rawLength.toLocaleString('en-GB')} characters).
          </p>
          <pre class="raw-text">
            <Text value={d.raw ?? ''} limit={10_000} />
          </pre>
        </section>
      )}

      {r && (
        <>
          <dl class="fields">
            <Rows obj={r} fields={FIELDS} />
          </dl>
          {r.account && (
            <section class="account">
              <h3>In their words</h3>
              <p class="prewrap" data-field="account">
                <Text value={r.account} />
              </p>
            </section>
          )}
          {r.offender && (
            <section>
              <h3>Offender</h3>
              <dl class="fields">
                <Rows obj={r.offender} fields={OFFENDER} />
              </dl>
            </section>
          )}
          {r.vehicle && (
            <section>
              <h3>Vehicle</h3>
              <dl class="fields">
                <Rows
                  obj={r.vehicle}
                  fields={[
                    ['make', 'Make'],
                    ['model', 'Model'],
                    ['colour', 'Colour'],
                    ['plate', 'Plate'],
                    ['plateIsPartial', 'Partial plate'],
                  ]}
                />
              </dl>
            </section>
          )}
        </>
      )}

      <section class="identifiers" aria-label="identifiers">
        <h3>Identifiers</h3>
        {d.identifiers.length === 0 && <p>None found.</p>}
        <ul>
          {d.identifiers.map((i) => (
            <li key={i.key} data-key={i.key}>
              <span class="kind">{i.kind}</span> <Text value={i.raw} /> <code>{i.key.slice(i.kind.length + 1)}</code>
            </li>
          ))}
        </ul>
        <p class="seen" data-seen={d.related.length}>
          Seen in {d.related.length} other report{d.related.length === 1 ? '' : 's'}
        </p>
        <ul class="related">
          {d.related.map((l) => (
            <li key={l.id}>
              <a href={`#/case/${encodeURIComponent(l.id)}`} data-related={l.id}>
                report of {l.day}
                {l.area && (
                  <>
                    {' '}
                    in <Text value={l.area} />
                  </>
                )}
              </a>{' '}
              through {l.keys.join(', ')}
            </li>
          ))}
        </ul>
      </section>

      {d.attachments.length > 0 && (
        <section>
          <h3>Photos and files</h3>
          <ul class="photos">
            {d.attachments.map((a) => (
              <Photo key={a.id} a={a} />
            ))}
          </ul>
        </section>
      )}

      <section class="thread" aria-label="case thread">
        <h3>Thread</h3>
        {d.thread.length === 0 && <p>No follow-ups, replies or notes yet.</p>}
        <ol>
          {d.thread.map((t) => (
            <li key={t.id} class={`entry k-${t.kind}`}>
              <span class="meta">
                {t.day} · {t.kind === 'follow-up' ? 'the reporter added' : t.kind === 'reply' ? `${t.by} replied` : t.kind === 'note' ? `${t.by} noted` : t.by}
              </span>
              <p class="prewrap entry-text">{t.error ? <em>{t.error}</em> : <Text value={t.text ?? ''} />}</p>
            </li>
          ))}
        </ol>
        <form
          class="note-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('/events', { kind: 'note', text: note }, () => setNote(''), 'note saved');
          }}
        >
          <label>
            Case note (encrypted to every coordinator)
            <textarea name="note" rows={3} value={note} maxLength={20000} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
          </label>
          <button type="submit" disabled={busy || !note.trim()}>
            add note
          </button>
        </form>
        {d.canReply ? (
          <form
            class="reply-form"
            onSubmit={(e) => {
              e.preventDefault();
              void act('/reply', { text: reply }, () => setReply(''), 'reply sent');
            }}
          >
            <label>
              Reply to the reporter (they read it with their receipt code)
              <textarea name="reply" rows={3} value={reply} maxLength={20000} onInput={(e) => setReply((e.target as HTMLTextAreaElement).value)} />
            </label>
            <button type="submit" disabled={busy || !reply.trim()}>
              send reply
            </button>
          </form>
        ) : (
          <p class="muted">The reporter kept no receipt code: no reply is possible.</p>
        )}
        {done && (
          <p class="ok" role="status">
            {done}
          </p>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </section>
    </article>
  );
}
