/**
 * The members' pages' words (English; more languages follow as for the reporter pages). Kept
 * apart from the reporter catalogues so the reporter pages carry none of it.
 */
import { INCIDENT_TYPES, MEMBER_TYPES, TIME_BANDS } from '../../crypto/index.js';

export const INCIDENT_LABELS: Record<(typeof INCIDENT_TYPES)[number], string> = {
  violence: 'Physical violence',
  'sexual-assault': 'Sexual assault or rape',
  robbery: 'Robbery or theft',
  'refused-to-pay': 'Refused to pay or took the money back',
  stealthing: 'Removed or damaged the condom without asking',
  threats: 'Threats or intimidation',
  blackmail: 'Blackmail, or threatened to out someone',
  'stalking-harassment': 'Stalking or harassment',
  'verbal-abuse': 'Verbal abuse',
  'time-waster': 'Time-waster',
  'fake-client': 'Fake booking or a set-up',
  drugging: 'Drink or drugs spiked',
  'held-against-will': 'Held against their will',
  'impersonating-police': 'Pretended to be police',
  other: 'Something else',
};

export const PART_OF_DAY: Record<(typeof TIME_BANDS)[number], string> = {
  night: 'at night',
  morning: 'in the morning',
  afternoon: 'in the afternoon',
  evening: 'in the evening',
};

export const MEMBER_TYPE_LABELS: Record<(typeof MEMBER_TYPES)[number], string> = {
  'sex-worker': 'Individual sex worker',
  'support-project': 'Support project',
  venue: 'Venue or site',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-10` → `October 2026` */
export function monthName(ym: string): string {
  const [y, m] = ym.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${y}`;
}

/** What the server says, in plain words. */
export const LOGIN_ERRORS: Record<string, string> = {
  'invalid login': 'That login name and passphrase do not match an account.',
  'not approved': 'Your application is waiting for a coordinator. They approve every member by hand; please try again later.',
  'application refused': 'Your application was not accepted. Nothing you sent is kept. If you think this is a mistake, contact the scheme (details below).',
  'access revoked': 'Your access has been ended by the coordinators. Contact the scheme if you need to talk about it.',
  'too many attempts': 'Too many attempts for this login name. Wait an hour, then try again.',
  network: 'The server could not be reached. Check your connection and try again.',
};
