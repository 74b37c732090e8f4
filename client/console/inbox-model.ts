/** The inbox's flow state: filters, sort, selection, and the query string they make. */
export interface InboxFilters {
  q: string;
  state: string;
  tag: string;
  assignee: string;
  unread: boolean;
  sort: 'newest' | 'oldest' | 'links' | 'state';
}

export const DEFAULT_FILTERS: InboxFilters = { q: '', state: 'open', tag: '', assignee: '', unread: false, sort: 'newest' };

let remembered: InboxFilters = DEFAULT_FILTERS;

/** The filters survive switching panels (the inbox component remounts); not stored anywhere else. */
export function rememberedFilters(): InboxFilters {
  return remembered;
}

export function rememberFilters(f: InboxFilters): void {
  remembered = f;
}

export function inboxQuery(f: InboxFilters, offset = 0, limit = 100): string {
  const p = new URLSearchParams();
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.state) p.set('state', f.state);
  if (f.tag) p.set('tag', f.tag);
  if (f.assignee) p.set('assignee', f.assignee);
  if (f.unread) p.set('unread', '1');
  p.set('sort', f.sort);
  p.set('offset', String(offset));
  p.set('limit', String(limit));
  return `/inbox?${p}`;
}

/** Toggle one id in a selection (a new Set, for Preact state). */
export function toggle(sel: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(sel);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
