/**
 * The members' pages' words (English; more languages follow as for the reporter pages). Kept
 * apart from the reporter catalogues so the reporter pages carry none of it.
 */
// Types only: the console's pages share these words and must bundle no crypto code.
import type { INCIDENT_TYPES, MEMBER_TYPES, TIME_BANDS } from '../../crypto/index.js';

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

/**
 * Every other word of the members' pages. A second language is a second object of this type
 * (the type makes a missing key a build error); `memberText()` is where the choice will go.
 */
export const MEMBER_EN = {
  nav: { label: 'Member pages', warnings: 'Warnings', check: 'Check a number', settings: 'Settings', logout: 'Log out', login: 'Log in', join: 'Join', exit: 'Quick exit', report: 'Report an incident' },
  join: {
    title: 'Join the warning list',
    lead: 'Members read anonymised safety warnings for their regions. Sex workers, support projects and venues can join.',
    aboutHeading: 'Before you join',
    nextLabel: 'What happens next:',
    next: 'a coordinator reads every application and approves it by hand. Until then you cannot log in; try logging in later to see whether you have been approved.',
    storedLabel: 'What is stored:',
    stored:
      'your login name as you type it, and a one-way hash of your passphrase (the passphrase itself is never stored). Everything else (type, working name, regions, email, mobile) is encrypted in this browser to the coordinators: the server cannot read it. Choose a login name that does not identify you.',
    leaveLabel: 'How to leave:',
    leave: 'log in, open Settings and choose “Leave”. Your account and your application are deleted from the server at once. If you are not approved, nothing you sent is kept.',
    noProfile: 'The organisation’s details could not be verified. Joining is not possible right now.',
    loginLegend: 'Your login',
    loginLabel: 'Login name',
    loginHint: 'Not your real name. Stored as you type it.',
    loginRule: '3 to 64 of a–z, 0–9, dot, dash or underscore, starting with a letter or digit.',
    loginTaken: 'This login name is taken. Choose another.',
    passLabel: 'Passphrase',
    passHint: 'At least 10 characters. It cannot be recovered: write it down somewhere safe.',
    passRule: 'At least 10 characters; a few random words are best.',
    pass2Label: 'Passphrase again',
    pass2Differs: 'The two passphrases differ.',
    keysRefused: 'The coordinators’ keys could not be verified, so nothing was sent. Please try again later.',
    offline: 'The server could not be reached. Nothing was sent.',
    failed: 'The application could not be sent. Please try again.',
    working: 'Encrypting and sending…',
    submit: 'Send application',
    sentTitle: 'Application sent',
    sentThanks: 'Thank you. A coordinator will read your application and approve it by hand.',
    sentNext: 'Try logging in later with the login name and passphrase you chose. If you are not approved, your application is deleted.',
    sentLogin: 'Go to log in',
  },
  form: {
    typeLegend: 'You are',
    typeError: 'Choose one.',
    nameLabel: 'Working name',
    nameHint: 'How coordinators know you. It need not be your real name.',
    nameError: 'Enter a working name (it need not be your real name).',
    regionsLegend: 'Regions you want warnings for',
    regionsError: 'Choose at least one region.',
    alertsLegend: 'Alerts (optional)',
    alertsHint:
      'We can tell you when a new warning is published. The alert says only “a new safety warning for your area; log in to read it”. Leave both empty for no alerts.',
    emailLabel: 'Email for alerts',
    emailError: 'This does not look like an email address.',
    mobileLabel: 'Mobile number for text alerts',
    mobileError: 'Use digits, spaces and an optional + only.',
  },
  login: {
    title: 'Members: log in',
    left: 'Your account has been deleted.',
    submit: 'Log in',
    failed: 'Logging in did not work. Please try again.',
    notMember: 'Not a member yet?',
    apply: 'Apply to join',
  },
  warnings: {
    title: 'Warnings',
    notLoggedIn: 'You are not logged in.',
    logInToRead: 'Log in to read warnings.',
    loading: 'Loading and checking warnings…',
    keysRefused:
      'The coordinators’ keys could not be verified, so no warning can be checked. Do not trust anything this server shows until this is fixed; tell the scheme.',
    failed: 'The warnings could not be loaded. Check your connection and try again.',
    explain: 'Each warning is checked in this browser against the scheme’s own keys. Only warnings marked “Verified” come from the coordinators.',
    filters: 'Filter warnings',
    region: 'Region',
    allRegions: 'All regions',
    incident: 'What happened',
    anything: 'Anything',
    since: 'Since',
    anyTime: 'Any time',
    count: (n: number) => (n === 1 ? '1 warning' : `${n} warnings`),
    flaggedTitle: 'Not verified: do not rely on this',
    flagged: (reason: string) => `This warning failed the check: ${reason}. It may have been forged or altered, so its content is not shown. Please tell the scheme.`,
    deviceHeading: 'This device',
    keep: 'Keep verified warnings on this device, to read them with a poor connection',
    keepHint: 'Anyone who can open this browser could then read them. Leave this off on a shared or checked phone.',
    forget: 'Forget this device',
    kept: 'Verified warnings are now kept on this device.',
    notKept: 'Nothing is kept on this device.',
    forgotten: 'This device no longer holds any warnings.',
    untrusted: 'not signed by a current coordinator of this organisation',
    altered: 'the signature does not match the text: it was changed after signing',
    invalid: 'not a valid warning document',
  },
  // ---- private check (issue 11) ----
  check: {
    title: 'Check a number',
    notLoggedIn: 'You are not logged in.',
    logInToCheck: 'Log in to check a number.',
    loading: 'Loading and checking warnings…',
    failed: 'The warnings could not be loaded. Check your connection and try again.',
    explain:
      'Type a phone number, email address, number plate or username. It is scrambled in this browser before anything is sent: the server never learns what you checked.',
    limitHint: 'Each check counts towards a daily limit.',
    kindLegend: 'What is it?',
    kinds: { phone: 'Phone number', email: 'Email address', plate: 'Number plate', username: 'Username' },
    value: 'Number, address, plate or name',
    submit: 'Check',
    checking: 'Checking… this takes a few seconds.',
    notKind: {
      phone: 'That does not look like a phone number.',
      email: 'That does not look like an email address.',
      plate: 'That does not look like a number plate.',
      username: 'That is too short for a username.',
    },
    found: (n: number) => (n === 1 ? 'Found in 1 current warning:' : `Found in ${n} current warnings:`),
    notFound: 'No current warning carries this. That does not mean this person is safe: not every incident is reported.',
    limit: 'You have used all of today’s checks. You can check again tomorrow.',
    loggedOut: 'You are no longer logged in.',
    error: 'The check did not work. Please try again.',
  },
  card: {
    corrected: 'Corrected',
    verified: (signer: string) => `Verified: signed by ${signer} of this scheme`,
    disputed: 'The server no longer lists this warning but gave no signed withdrawal.',
    summary: 'What happened',
    offender: 'Description',
    vehicle: 'Vehicle',
    identifiers: 'Numbers and names used',
    advice: 'Advice',
    published: (day: string) => `Published ${day}`,
  },
  settings: {
    title: 'Settings',
    notLoggedIn: 'You are not logged in.',
    logInToChange: 'Log in to change your settings.',
    loggedInAs: (login: string) => `Logged in as ${login}`,
    explain:
      'Your settings are encrypted in this browser to the coordinators; the server cannot read them. Saving replaces everything the coordinators have on file, so fill in every part.',
    pause: 'Pause alerts (you can still read warnings here)',
    save: 'Save settings',
    savedPaused: 'Saved. Alerts are paused.',
    saved: 'Saved. The coordinators will use these settings.',
    keysRefused: 'The coordinators’ keys could not be verified, so nothing was sent.',
    loggedOut: 'You are no longer logged in.',
    failed: 'Saving did not work. Please try again.',
    leaveHeading: 'Leave',
    leaveExplain: 'Leaving deletes your account and your application from the server at once, logs you out everywhere and forgets the warnings kept on this device.',
    leaveSure: 'Yes, delete my account',
    leave: 'Leave and delete my account',
    leaveFailed: 'Leaving did not work. Please try again.',
  },
};

export type MemberText = typeof MEMBER_EN;

/** The catalogue for this page (English until the members' pages get a language switch). */
export function memberText(): MemberText {
  return MEMBER_EN;
}
