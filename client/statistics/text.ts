/** The public statistics page's English text, and the names of table rows. */
import type { INCIDENT_TYPES } from '../../crypto/index.js';
import { INCIDENT_LABELS } from '../member/text.js';

export const STATS_TEXT = {
  title: 'Published statistics',
  intro:
    'Counts of reports received by the scheme, per calendar quarter, published only after the quarter ends. Any count from 1 to 4 is shown as "<5". A count shown as "x" is withheld, so that a "<5" cannot be worked out from the totals.',
  loading: 'Checking the signature of the statistics…',
  verified: (signer: string, issued: string) => `Verified in your browser: signed by ${signer} on ${issued}, a coordinator listed in the organisation's keyring.`,
  none: 'No statistics have been published yet.',
  refused: 'These statistics were refused: their signature or content did not check out, so nothing is shown. Reason: ',
  noPeriods: 'The summary holds no quarter yet.',
  reports: 'Reports received',
  withheld: 'Withheld: no pattern of suppression could protect this table.',
  legend: '<5: a count from 1 to 4 · x: withheld · 0: none',
  report: 'Make a report',
  exit: 'Quick exit',
  tables: {
    month: 'By month received',
    'incident-type': 'By incident type (a report can name several)',
    region: 'By region',
    setting: 'By setting',
    'consent-publish-warning': 'Consent: publish a warning to members',
    'consent-share-with-police': 'Consent: share anonymously with police',
    'consent-police-support': 'Wants support to make a full police report',
    'consent-caseworker': 'Wants contact from a caseworker',
    linked: 'Linked to another report (repeat offender)',
    warning: 'Became a warning to members',
    'first-reply': 'Days from report to first reply',
  } as Record<string, string>,
  rows: {
    'not-given': 'Not given',
    unmatched: 'No region matched',
    yes: 'Yes',
    no: 'No',
    unsure: 'Not sure',
    linked: 'Linked',
    'not-linked': 'Not linked',
    warning: 'Warning published',
    'no-warning': 'No warning',
    'day-0': 'Same day',
    'days-1-2': '1–2 days',
    'days-3-7': '3–7 days',
    'days-8-30': '8–30 days',
    'days-31-plus': '31 days or more',
    'no-reply': 'No reply yet',
    'no-mailbox': 'No reply possible (no receipt code)',
    'outcall-home': 'Outcall (their home)',
    hotel: 'Hotel',
    incall: 'Incall',
    'street-outdoor': 'Street or outdoors',
    car: 'Car',
    'online-phone': 'Online or phone',
    other: 'Other',
  } as Record<string, string>,
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A row's display name: known keys by name, months spelled out, region ids through the profile. */
export function rowLabel(table: string, key: string, regions: Record<string, string> = {}): string {
  if (table === 'month' && /^\d{4}-\d{2}$/.test(key)) return `${MONTHS[Number(key.slice(5)) - 1]} ${key.slice(0, 4)}`;
  if (table === 'incident-type' && Object.prototype.hasOwnProperty.call(INCIDENT_LABELS, key)) return INCIDENT_LABELS[key as (typeof INCIDENT_TYPES)[number]];
  if (table === 'region' && regions[key]) return regions[key]!;
  return STATS_TEXT.rows[key] ?? key;
}
