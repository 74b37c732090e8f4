/**
 * The report's pick-list values and length limits (SPEC.md §Report schema), apart from the
 * schema itself so that a page can draw its form before it loads the schema and the rest of the
 * crypto (the reporter's first screen must stay small).
 */
export const INCIDENT_TYPES = [
  'violence',
  'sexual-assault',
  'robbery',
  'refused-to-pay',
  'stealthing', // condom removed or damaged without consent
  'threats',
  'blackmail', // including threats to out the worker
  'stalking-harassment',
  'verbal-abuse',
  'time-waster',
  'fake-client', // a setup
  'drugging',
  'held-against-will', // including kidnapping
  'impersonating-police',
  'other',
] as const;
/** night 00–06, morning 06–12, afternoon 12–18, evening 18–24 (local time). */
export const TIME_BANDS = ['night', 'morning', 'afternoon', 'evening'] as const;
export const SETTINGS = ['outcall-home', 'hotel', 'incall', 'street-outdoor', 'car', 'online-phone', 'other'] as const;
export const CONTACT_METHODS = [
  'phone-call',
  'sms-messaging', // SMS, WhatsApp, Signal, Telegram...
  'website-app',
  'social-media',
  'street',
  'venue',
  'agency',
  'other',
] as const;
export const ANSWERS = ['yes', 'no', 'unsure'] as const;
export const GENDERS = ['man', 'woman', 'non-binary', 'other'] as const;
export const AGE_RANGES = ['under-18', '18-24', '25-34', '35-44', '45-54', '55-64', '65-plus'] as const;
export const HEIGHTS = ['short', 'average', 'tall', 'very-tall'] as const;
export const BUILDS = ['slim', 'average', 'athletic', 'stocky', 'heavy'] as const;
export const OFFENDER_COUNTS = ['one', 'two', 'three-or-more'] as const;
/** The languages of the reporter pages (client/i18n/languages.ts), as BCP 47 tags. */
export const LANGUAGES = ['en', 'ro', 'bg', 'pl', 'hu', 'pt-BR', 'es', 'it', 'fr', 'ru', 'uk', 'th', 'zh-CN', 'sq'] as const;

/** Length limits in UTF-16 code units (what `String.length` and HTML `maxlength` count). */
export const REPORT_LIMITS = Object.freeze({
  short: 80,
  vehiclePart: 40,
  plate: 16,
  description: 300,
  account: 10_000,
  phone: 32,
  email: 254,
  username: 200,
  phones: 5,
  emails: 5,
  usernames: 10,
  replyRecipient: 2000,
});
