/** The page's only channel: JSON over the console's local API (same origin, cookie auth). */
import { t } from './i18n.js';

export class ApiFailure extends Error {}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiFailure(t('api.notAnswering'));
  }
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    throw new ApiFailure(t('api.unexpected', { status: res.status }));
  }
  if (!res.ok) {
    const e = (data as { error?: unknown }).error;
    throw new ApiFailure(typeof e === 'string' ? e : t('api.error', { status: res.status }));
  }
  return data as T;
}

export const STATES = ['new', 'in-progress', 'warning-published', 'closed', 'possibly-false'] as const;
export const STATE_LABELS: Record<string, string> = {
  new: t('caseState.new'),
  'in-progress': t('caseState.inProgress'),
  'warning-published': t('caseState.warningPublished'),
  closed: t('caseState.closed'),
  'possibly-false': t('caseState.possiblyFalse'),
};

export interface Summary {
  id: string;
  day: string;
  state: string;
  tags: string[];
  assignee: string | null;
  unread: boolean;
  status: 'ok' | 'undecryptable' | 'invalid';
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

export interface Session {
  me: { id: string; name: string };
  server: string;
  coordinators: { id: string; name: string }[];
  lastSync: { at: number; result: { added: number; changed: number; removed: number; failed: number } } | null;
  cases: number;
}

export interface Detail extends Omit<Summary, 'attachments'> {
  expires: string;
  hasMailbox: boolean;
  report: Record<string, any> | null;
  raw: string | null;
  rawLength: number;
  identifiers: { kind: string; key: string; raw: string; count: number }[];
  related: { id: string; keys: string[]; day: string; area: string }[];
  attachments: Attachment[];
  thread: { id: string; day: string; kind: string; by: string; text: string | null; error: string | null }[];
  canReply: boolean;
}

export type Attachment = { id: string; size: number; day: string };
