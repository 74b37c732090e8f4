/** One case: consent and origin first, the report as text, identifiers and links, photos, the thread, and actions. */
import { useEffect, useState } from 'preact/hooks';
import { STATES, STATE_LABELS, api, type Attachment, type Detail, type Session } from './api.js';
import { routeFor } from './export-model.js';
import { t } from './i18n.js';
import { Text } from './Text.js';

const CONSENT: [string, string][] = [
  ['publishWarning', t('case.consent.publishWarning')],
  ['shareWithPolice', t('case.consent.shareWithPolice')],
  ['wantPoliceSupport', t('case.consent.wantPoliceSupport')],
  ['wantCaseworker', t('case.consent.wantCaseworker')],
];

const FIELDS: [string, string][] = [
  ['incidentTypes', t('case.field.incidentTypes')],
  ['incidentOther', t('case.field.incidentOther')],
  ['date', t('case.field.date')],
  ['timeBand', t('case.field.timeBand')],
  ['area', t('case.field.area')],
  ['setting', t('case.field.setting')],
  ['settingOther', t('case.field.settingOther')],
  ['contactMethod', t('case.field.contactMethod')],
  ['contactDetail', t('case.field.contactDetail')],
  ['language', t('case.field.language')],
];

const OFFENDER: [string, string][] = [
  ['count', t('case.offender.count')],
  ['gender', t('case.offender.gender')],
  ['ageRange', t('case.offender.ageRange')],
  ['height', t('case.offender.height')],
  ['build', t('case.offender.build')],
  ['hair', t('case.offender.hair')],
  ['skin', t('case.offender.skin')],
  ['accent', t('case.offender.accent')],
  ['nameGiven', t('case.offender.nameGiven')],
  ['clothing', t('case.offender.clothing')],
  ['marks', t('case.offender.marks')],
];

const VEHICLE: [string, string][] = [
  ['make', t('case.vehicle.make')],
  ['model', t('case.vehicle.model')],
  ['colour', t('case.vehicle.colour')],
  ['plate', t('case.vehicle.plate')],
  ['plateIsPartial', t('case.vehicle.plateIsPartial')],
];

function show(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'boolean') return v ? t('case.yes') : t('case.no');
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
        {t('case.file', { n: a.size, day: a.day })}
      </li>
    );
  }
  return (
    <li class="photo">
      <img src={`/api/attachments/${encodeURIComponent(a.id)}`} alt={t('case.photo')} loading="lazy" onError={() => setFailed(true)} />
    </li>
  );
}

function Consent({ d }: { d: Detail }) {
  const c = d.report?.consent as Record<string, string> | undefined;
  return (
    <section class="consent" aria-label={t('case.consentAndOrigin')}>
      {d.origin === 'server' && (
        <p class="flag warn" data-flag="no-js">
          {t('case.flag.noJs')}
        </p>
      )}
      {d.onBehalf && (
        <p class="flag warn" data-flag="third-party">
          {t('case.flag.thirdParty', { consent: d.report?.onBehalfOf?.theyConsented ? t('case.flag.consented') : t('case.flag.notConfirmed') })}
        </p>
      )}
      {c && (
        <dl class="answers">
          {CONSENT.map(([k, label]) => (
            <div class={`answer a-${c[k] ?? 'none'}`} key={k}>
              <dt>{label}</dt>
              <dd data-consent={k}>{c[k] ?? t('case.consent.notAsked')}</dd>
            </div>
          ))}
        </dl>
      )}
      <p>
        <a class="button" href={`#/compose/case/${encodeURIComponent(d.id)}`} data-action="compose">
          {t('case.compose')}
        </a>{' '}
        {c?.publishWarning !== 'yes' && <span class="muted">{t('case.compose.refused')}</span>}
      </p>
      <p>
        <a class="button" href={routeFor([d.id])} data-action="export">
          {t('common.exportForPolice')}
        </a>{' '}
        {c?.shareWithPolice !== 'yes' && <span class="muted">{t('case.export.refused')}</span>}
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
  if (!d) return <p>{t('common.loading')}</p>;
  const r = d.report;
  return (
    <article class="panel case-view" data-id={d.id}>
      <p>
        <a href="#/">{t('case.back')}</a>
      </p>
      <h2>
        {t('case.heading', { day: d.day })} <span class={`state s-${d.state}`}>{STATE_LABELS[d.state]}</span>
      </h2>
      <Consent d={d} />

      <div class="actions">
        <label>
          {t('common.state')}{' '}
          <select name="state" disabled={busy} value={d.state} onChange={(e) => void act('/events', { kind: 'state', state: (e.target as HTMLSelectElement).value })}>
            {STATES.map((s) => (
              <option value={s}>{STATE_LABELS[s]}</option>
            ))}
          </select>
        </label>
        <label>
          {t('case.assigned')}{' '}
          <select
            name="assignee"
            disabled={busy}
            value={d.assignee ?? '-'}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              void act('/events', { kind: 'assign', to: v === '-' ? null : v });
            }}
          >
            <option value="-">{t('common.nobody')}</option>
            {session.coordinators.map((c) => (
              <option value={c.id}>{c.name}</option>
            ))}
          </select>
        </label>
        <form
          class="tags-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('/events', { kind: 'tags', tags: tags.split(',').map((x) => x.trim()).filter(Boolean) });
          }}
        >
          <label>
            {t('case.tags')} <input name="tags" value={tags} maxLength={600} onInput={(e) => setTags((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" disabled={busy}>
            {t('case.tags.save')}
          </button>
        </form>
      </div>

      {d.status === 'undecryptable' && (
        <p class="flag bad" data-flag="undecryptable">
          {t('case.undecryptable')}
        </p>
      )}
      {d.status === 'invalid' && (
        <section class="raw">
          <p class="flag bad" data-flag="invalid">
            {t('case.invalid', { n: d.rawLength })}
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
              <h3>{t('case.account')}</h3>
              <p class="prewrap" data-field="account">
                <Text value={r.account} />
              </p>
            </section>
          )}
          {r.offender && (
            <section>
              <h3>{t('common.offender')}</h3>
              <dl class="fields">
                <Rows obj={r.offender} fields={OFFENDER} />
              </dl>
            </section>
          )}
          {r.vehicle && (
            <section>
              <h3>{t('common.vehicle')}</h3>
              <dl class="fields">
                <Rows obj={r.vehicle} fields={VEHICLE} />
              </dl>
            </section>
          )}
        </>
      )}

      <section class="identifiers" aria-label={t('case.identifiers.label')}>
        <h3>{t('common.identifiers')}</h3>
        {d.identifiers.length === 0 && <p>{t('case.identifiers.none')}</p>}
        <ul>
          {d.identifiers.map((i) => (
            <li key={i.key} data-key={i.key}>
              <span class="kind">{i.kind}</span> <Text value={i.raw} /> <code>{i.key.slice(i.kind.length + 1)}</code>
            </li>
          ))}
        </ul>
        <p class="seen" data-seen={d.related.length}>
          {t('case.seen', { n: d.related.length })}
        </p>
        <ul class="related">
          {d.related.map((l) => (
            <li key={l.id}>
              <a href={`#/case/${encodeURIComponent(l.id)}`} data-related={l.id}>
                {t('case.related.report', { day: l.day })}
                {l.area && (
                  <>
                    {' '}
                    {t('case.related.in')} <Text value={l.area} />
                  </>
                )}
              </a>{' '}
              {t('case.related.through', { keys: l.keys.join(', ') })}
            </li>
          ))}
        </ul>
      </section>

      {d.attachments.length > 0 && (
        <section>
          <h3>{t('case.photos')}</h3>
          <ul class="photos">
            {d.attachments.map((a) => (
              <Photo key={a.id} a={a} />
            ))}
          </ul>
        </section>
      )}

      <section class="thread" aria-label={t('case.thread.label')}>
        <h3>{t('case.thread')}</h3>
        {d.thread.length === 0 && <p>{t('case.thread.empty')}</p>}
        <ol>
          {d.thread.map((e) => (
            <li key={e.id} class={`entry k-${e.kind}`}>
              <span class="meta">
                {e.day} · {e.kind === 'follow-up' ? t('case.thread.followUp') : e.kind === 'reply' ? t('case.thread.reply', { by: e.by }) : e.kind === 'note' ? t('case.thread.note', { by: e.by }) : e.by}
              </span>
              <p class="prewrap entry-text">{e.error ? <em>{e.error}</em> : <Text value={e.text ?? ''} />}</p>
            </li>
          ))}
        </ol>
        <form
          class="note-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('/events', { kind: 'note', text: note }, () => setNote(''), t('case.note.saved'));
          }}
        >
          <label>
            {t('case.note')}
            <textarea name="note" rows={3} value={note} maxLength={20000} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
          </label>
          <button type="submit" disabled={busy || !note.trim()}>
            {t('case.note.add')}
          </button>
        </form>
        {d.canReply ? (
          <form
            class="reply-form"
            onSubmit={(e) => {
              e.preventDefault();
              void act('/reply', { text: reply }, () => setReply(''), t('case.reply.sent'));
            }}
          >
            <label>
              {t('case.reply')}
              <textarea name="reply" rows={3} value={reply} maxLength={20000} onInput={(e) => setReply((e.target as HTMLTextAreaElement).value)} />
            </label>
            <button type="submit" disabled={busy || !reply.trim()}>
              {t('case.reply.send')}
            </button>
          </form>
        ) : (
          <p class="muted">{t('case.reply.impossible')}</p>
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
