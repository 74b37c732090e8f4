/** The inbox panel: search, filters, sort, bulk actions and the list, newest first. */
import { useEffect, useState } from 'preact/hooks';
import { STATES, STATE_LABELS, api, type Session, type Summary } from './api.js';
import { routeFor } from './export-model.js';
import { t } from './i18n.js';
import { inboxQuery, rememberFilters, rememberedFilters, toggle, type InboxFilters } from './inbox-model.js';
import { Text } from './Text.js';

interface InboxAnswer {
  total: number;
  unread: number;
  tags: string[];
  items: Summary[];
}

export function CaseRow({ c, session, selected, onSelect }: { c: Summary; session: Session; selected?: boolean; onSelect?: () => void }) {
  const who = c.assignee ? (session.coordinators.find((x) => x.id === c.assignee)?.name ?? c.assignee) : null;
  return (
    <li class={`case${c.unread ? ' unread' : ''}`} data-id={c.id}>
      {onSelect && <input type="checkbox" aria-label={t('inbox.select')} checked={selected} onChange={onSelect} />}
      <a class="case-link" href={`#/case/${encodeURIComponent(c.id)}`}>
        <span class="line1">
          {c.unread && <span class="dot" title={t('inbox.unread')}>●</span>}
          <span class="day">{c.day}</span>
          <span class={`state s-${c.state}`}>{STATE_LABELS[c.state] ?? c.state}</span>
          {c.status === 'undecryptable' && <span class="badge bad">{t('inbox.badge.undecryptable')}</span>}
          {c.status === 'invalid' && <span class="badge bad">{t('inbox.badge.invalid')}</span>}
          {c.origin === 'server' && <span class="badge warn">{t('inbox.badge.noJs')}</span>}
          {c.onBehalf && <span class="badge warn">{t('inbox.badge.thirdParty')}</span>}
          {c.links > 0 && <span class="badge link">{t('inbox.badge.seen', { n: c.links })}</span>}
          {c.followUps > 0 && <span class="badge">{t('inbox.badge.followUps', { n: c.followUps })}</span>}
        </span>
        <span class="line2">
          <Text value={c.incidentTypes.join(', ') || '—'} limit={200} />
          {c.area && (
            <>
              {' · '}
              <Text value={c.area} limit={100} />
            </>
          )}
        </span>
        {c.preview && (
          <span class="preview">
            <Text value={c.preview} limit={200} />
          </span>
        )}
        <span class="line3">
          {c.tags.map((tag) => (
            <span class="tag" key={tag}>
              <Text value={tag} />
            </span>
          ))}
          {who && <span class="who">→ <Text value={who} /></span>}
        </span>
      </a>
    </li>
  );
}

export function Inbox({ session, refresh }: { session: Session; refresh: number }) {
  const [f, setF] = useState<InboxFilters>(rememberedFilters());
  const [data, setData] = useState<InboxAnswer | null>(null);
  const [sel, setSel] = useState<Set<string>>(new Set());
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [bulkTag, setBulkTag] = useState('');
  const [limit, setLimit] = useState(100);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    api<InboxAnswer>('GET', inboxQuery(f, 0, limit))
      .then((d) => live && (setData(d), setError('')))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [f, limit, refresh, tick]);

  const set = (p: Partial<InboxFilters>) => {
    const next = { ...f, ...p };
    rememberFilters(next);
    setF(next);
    setSel(new Set());
  };
  const bulk = async (action: Record<string, unknown>) => {
    if (sel.size === 0) return;
    setBusy(true);
    try {
      await api('POST', '/bulk', { ids: [...sel], action });
      setSel(new Set());
      setTick(tick + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel inbox" aria-label={t('inbox.label')}>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <input
          type="search"
          name="q"
          placeholder={t('inbox.search')}
          value={f.q}
          onInput={(e) => set({ q: (e.target as HTMLInputElement).value })}
          autocomplete="off"
        />
        <div class="row">
          <label>
            {t('common.state')}{' '}
            <select name="state" value={f.state} onChange={(e) => set({ state: (e.target as HTMLSelectElement).value })}>
              <option value="open">{t('inbox.state.open')}</option>
              <option value="all">{t('inbox.state.all')}</option>
              {STATES.map((s) => (
                <option value={s}>{STATE_LABELS[s]}</option>
              ))}
            </select>
          </label>
          <label>
            {t('inbox.tag')}{' '}
            <select name="tag" value={f.tag} onChange={(e) => set({ tag: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('inbox.tag.any')}</option>
              {(data?.tags ?? []).map((tag) => (
                <option value={tag}>{tag}</option>
              ))}
            </select>
          </label>
          <label>
            {t('inbox.assigned')}{' '}
            <select name="assignee" value={f.assignee} onChange={(e) => set({ assignee: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('inbox.assigned.anyone')}</option>
              <option value="-">{t('common.nobody')}</option>
              {session.coordinators.map((c) => (
                <option value={c.id}>{c.name}</option>
              ))}
            </select>
          </label>
          <label>
            {t('inbox.sort')}{' '}
            <select name="sort" value={f.sort} onChange={(e) => set({ sort: (e.target as HTMLSelectElement).value as InboxFilters['sort'] })}>
              <option value="newest">{t('inbox.sort.newest')}</option>
              <option value="oldest">{t('inbox.sort.oldest')}</option>
              <option value="links">{t('inbox.sort.links')}</option>
              <option value="state">{t('inbox.sort.state')}</option>
            </select>
          </label>
          <label class="check">
            <input type="checkbox" name="unread" checked={f.unread} onChange={(e) => set({ unread: (e.target as HTMLInputElement).checked })} /> {t('inbox.unreadOnly')}
          </label>
        </div>
      </form>

      <div class="bulk" aria-label={t('inbox.bulk')}>
        <label class="check">
          <input
            type="checkbox"
            name="all"
            checked={!!data && data.items.length > 0 && sel.size === data.items.length}
            onChange={(e) => setSel((e.target as HTMLInputElement).checked ? new Set(data?.items.map((x) => x.id)) : new Set())}
          />{' '}
          {t('inbox.selected', { n: sel.size })}
        </label>
        <select
          name="bulk-state"
          disabled={busy || sel.size === 0}
          value=""
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            if (v) void bulk({ kind: 'state', state: v });
          }}
        >
          <option value="">{t('inbox.bulk.state')}</option>
          {STATES.map((s) => (
            <option value={s}>{STATE_LABELS[s]}</option>
          ))}
        </select>
        <select
          name="bulk-assign"
          disabled={busy || sel.size === 0}
          value=""
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            if (v) void bulk({ kind: 'assign', to: v === '-' ? null : v });
          }}
        >
          <option value="">{t('inbox.bulk.assign')}</option>
          <option value="-">{t('common.nobody')}</option>
          {session.coordinators.map((c) => (
            <option value={c.id}>{c.name}</option>
          ))}
        </select>
        <input name="bulk-tag" placeholder={t('inbox.bulk.tag')} value={bulkTag} maxLength={40} onInput={(e) => setBulkTag((e.target as HTMLInputElement).value)} />
        <button type="button" name="bulk-add-tag" disabled={busy || sel.size === 0 || !bulkTag.trim()} onClick={() => void bulk({ kind: 'tag', tag: bulkTag.trim() })}>
          {t('inbox.bulk.addTag')}
        </button>
        <button type="button" name="bulk-remove-tag" disabled={busy || sel.size === 0 || !bulkTag.trim()} onClick={() => void bulk({ kind: 'untag', tag: bulkTag.trim() })}>
          {t('inbox.bulk.removeTag')}
        </button>
        <button type="button" name="bulk-read" disabled={busy || sel.size === 0} onClick={() => void bulk({ kind: 'read' })}>
          {t('inbox.bulk.read')}
        </button>
        <button type="button" name="bulk-unread" disabled={busy || sel.size === 0} onClick={() => void bulk({ kind: 'unread' })}>
          {t('inbox.bulk.unread')}
        </button>
        {sel.size > 0 && (
          <a class="button" href={routeFor(sel)} data-action="export">
            {t('inbox.bulk.export')}
          </a>
        )}
      </div>

      {error && <p class="error" role="alert">{error}</p>}
      {data && (
        <p class="count">
          {t('inbox.shown', { n: data.total })} · {t('inbox.unreadCount', { n: data.unread })}
        </p>
      )}
      <ul class="cases">
        {data?.items.map((c) => (
          <CaseRow key={c.id} c={c} session={session} selected={sel.has(c.id)} onSelect={() => setSel(toggle(sel, c.id))} />
        ))}
      </ul>
      {data && data.total > data.items.length && (
        <button type="button" class="more" onClick={() => setLimit(Math.min(limit + 100, 20_000))}>
          {t('inbox.more')}
        </button>
      )}
    </section>
  );
}
