/**
 * The police export panel's state (issue 12), no UI: the request the page sends, what stops
 * a download, and the file name the console gave. The console process builds, seals and
 * records the export; the page only chooses.
 */

import { t } from './i18n.js';

/** The preview the console sends (console/export.ts ExportModel, as JSON). */
export interface PreviewReport {
  ref: string;
  consent: 'anonymous' | 'full-report-support';
  incident: Record<string, string | string[]>;
  offender?: Record<string, string>;
  vehicle?: Record<string, string | boolean>;
  identifiers?: Record<string, string[]>;
  linkedTo?: string[];
  contactRoute?: { kind: string; instructions: string };
}
export interface PreviewLeftOut {
  ref?: string;
  reports?: number;
  what: string;
  fields?: string[];
  why: string;
}
export interface Preview {
  model: { exportId: string; scheme: string; reports: PreviewReport[]; leftOut: PreviewLeftOut[] };
  outcomes: { id: string; ref?: string; leftOut?: string }[];
}

export type Protect = 'recipient' | 'passphrase' | 'plain';

export interface ExportChoices {
  ids: string[];
  includeLinked: boolean;
  /** region ids per report id */
  regions: Record<string, string[]>;
  format: 'html' | 'json';
  protect: Protect;
  recipient: string;
  passphrase: string;
  passphraseAgain: string;
  /** the coordinator ticked "I understand the file is not encrypted" */
  plainConfirmed: boolean;
}

export const MIN_PASSPHRASE = 12;

export function initialChoices(ids: string[]): ExportChoices {
  return { ids, includeLinked: false, regions: {}, format: 'html', protect: 'recipient', recipient: '', passphrase: '', passphraseAgain: '', plainConfirmed: false };
}

/** The ids in an `#/export/a,b` route. */
export function idsFromRoute(s: string): string[] {
  return [...new Set(s.split(',').map((x) => decodeURIComponent(x)).filter(Boolean))];
}

export function routeFor(ids: Iterable<string>): string {
  return `#/export/${[...ids].map(encodeURIComponent).join(',')}`;
}

/** The selection part of a request (preview and export). */
export function selectionBody(c: ExportChoices) {
  const regions = Object.fromEntries(Object.entries(c.regions).filter(([, r]) => r.length > 0));
  return { ids: c.ids, includeLinked: c.includeLinked, ...(Object.keys(regions).length ? { regions } : {}) };
}

/** What still stops the download, in words; empty when it may go. */
export function problems(c: ExportChoices, p: Preview | null): string[] {
  const out: string[] = [];
  if (!p) out.push(t('export.problem.notReady'));
  else if (p.model.reports.length === 0) out.push(t('export.problem.nothing'));
  if (c.protect === 'recipient' && !/^age1[0-9a-z]+$/i.test(c.recipient.trim())) out.push(t('export.problem.recipient'));
  if (c.protect === 'passphrase') {
    if ([...c.passphrase].length < MIN_PASSPHRASE) out.push(t('export.problem.short', { n: MIN_PASSPHRASE }));
    else if (c.passphrase !== c.passphraseAgain) out.push(t('export.problem.differ'));
  }
  if (c.protect === 'plain' && !c.plainConfirmed) out.push(t('export.problem.plain'));
  return out;
}

/** The export request body. */
export function exportBody(c: ExportChoices) {
  const protection =
    c.protect === 'recipient'
      ? { kind: 'recipient', recipient: c.recipient.trim() }
      : c.protect === 'passphrase'
        ? { kind: 'passphrase', passphrase: c.passphrase }
        : { kind: 'plain', confirm: 'unencrypted' };
  return { ...selectionBody(c), format: c.format, protection };
}

/** The file name from a Content-Disposition header the console sent. */
export function filenameOf(header: string | null): string {
  const m = /filename="([A-Za-z0-9._-]+)"/.exec(header ?? '');
  return m ? m[1]! : 'police-export';
}
