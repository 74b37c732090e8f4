/**
 * What the local API sends the page: plain JSON built from decrypted cases. Strings stay
 * strings; the page renders them as text.
 */
import type { CaseRecord } from './cases.js';
import type { ConsoleService } from './service.js';

export interface CaseSummary {
  id: string;
  day: string;
  state: string;
  tags: string[];
  assignee: string | null;
  unread: boolean;
  status: CaseRecord['status'];
  origin: string;
  onBehalf: boolean;
  incidentTypes: string[];
  area: string;
  preview: string;
  links: number;
  followUps: number;
  attachments: number;
  publishConsent: string | null;
}

const PREVIEW = 160;

export function summaryOf(s: ConsoleService, c: CaseRecord): CaseSummary {
  const d = s.derivedOf(c.id);
  const r = c.report;
  const text = r?.account ?? c.raw ?? '';
  return {
    id: c.id,
    day: c.day,
    state: d.state,
    tags: d.tags,
    assignee: d.assignee,
    unread: !s.read.has(c.id),
    status: c.status,
    origin: c.origin,
    onBehalf: r?.onBehalfOf?.forSomeoneElse === true,
    incidentTypes: r?.incidentTypes ?? [],
    area: r?.area ?? '',
    preview: text.length > PREVIEW ? text.slice(0, PREVIEW) + '…' : text,
    links: s.index.related(c.id).length,
    followUps: c.messages.filter((m) => m.from === 'reporter').length,
    attachments: c.attachments.length,
    publishConsent: r?.consent.publishWarning ?? null,
  };
}

export function detailOf(s: ConsoleService, c: CaseRecord) {
  const related = s.index.related(c.id).map((l) => {
    const o = s.cases.get(l.id);
    return { id: l.id, keys: l.keys, day: o?.day ?? '', area: o?.report?.area ?? '' };
  });
  const names = new Map(s.coordinators().map((x) => [x.id, x.name]));
  const thread = [
    ...c.messages
      .filter((m) => m.from === 'reporter')
      .map((m) => ({ id: m.id, day: m.day, at: 0, kind: 'follow-up' as const, by: 'reporter', text: m.text ?? null, error: m.error ?? null })),
    ...c.notes.map((n) => ({
      id: n.id,
      day: n.day,
      at: n.event?.at ?? 0,
      kind: n.event?.kind ?? ('unreadable' as const),
      by: n.event ? (names.get(n.event.by) ?? n.event.by) : '',
      text:
        n.event?.kind === 'note' || n.event?.kind === 'reply'
          ? n.event.text
          : n.event?.kind === 'tags'
            ? `tags: ${n.event.tags.join(', ') || '(none)'}`
            : n.event?.kind === 'assign'
              ? `assigned to ${n.event.to ? (names.get(n.event.to) ?? n.event.to) : 'nobody'}`
              : n.event?.kind === 'state'
                ? `state: ${n.event.state}`
                : null,
      error: n.error ?? null,
    })),
  ].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.at - b.at));
  return {
    ...summaryOf(s, c),
    expires: c.expires,
    hasMailbox: c.hasMailbox,
    report: c.report ?? null,
    raw: c.raw ?? null,
    rawLength: c.raw?.length ?? 0,
    identifiers: c.identifiers.map((i) => ({ ...i, count: related.filter((r) => r.keys.includes(i.key)).length })),
    related,
    attachments: c.attachments,
    thread,
    canReply: c.hasMailbox && !!c.report?.replyRecipient,
  };
}
