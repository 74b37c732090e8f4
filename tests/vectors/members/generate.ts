/**
 * Writes the organisation-profile and warning vectors beside this file
 * (crypto/SPEC.md §Organisation profile, §Warnings). Run:
 * `npx tsx tests/vectors/members/generate.ts`. Seeds are fixed, so a second run writes
 * identical bytes; the tests read only the files. Format as tests/vectors/protocol/README.md:
 * `expect: ...` first, then `key: value` lines.
 *
 * Shared lines: `root public key`, `keyring` (an envelope signed by that root, valid on `now`).
 * profile-*: `envelope`, optional `min version`, optional `with keyring: no` (verify without
 *   the keyring, so only the root key is trusted), `detail` for `invalid profile`.
 * warning-*: `envelope`; on success `kind`, `id` and optional `supersedes`/`withdraws`;
 *   `detail` for `invalid warning`.
 */
import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  HybridIdentity,
  bytes,
  documentId,
  encodeProfile,
  encodeWarning,
  primitives,
  signDocument,
  signKeyring,
  signProfile,
  signWarning,
  signWithdrawal,
  type Keyring,
  type Profile,
  type SignedEnvelope,
  type Warning,
} from '../../../crypto/index.js';

const DIR = import.meta.dirname;
const { base64Padded, utf8 } = bytes;
const seed = (name: string): Uint8Array => sha256(utf8(`tipline/v1 test vector seed: ${name}`));
const pub = (s: Uint8Array): string => base64Padded(primitives().ed25519PublicKey(s));

const rootSeed = seed('members root');
const publisher = seed('members publisher');
const admin = seed('members admin');
const reader = seed('members reader');
const outsider = seed('members outsider');

const keyring: Keyring = {
  version: 3,
  issued: '2025-01-01',
  expires: '2025-06-29',
  coordinators: [
    { id: 'pub', name: 'Publisher', recipient: new HybridIdentity(seed('members publisher hybrid')).recipient().toString(), signingKey: pub(publisher), roles: ['reports', 'warnings'] },
    { id: 'adm', name: 'Admin', recipient: new HybridIdentity(seed('members admin hybrid')).recipient().toString(), signingKey: pub(admin), roles: ['admin'] },
    { id: 'rd', name: 'Reader', recipient: new HybridIdentity(seed('members reader hybrid')).recipient().toString(), signingKey: pub(reader), roles: ['reports'] },
  ],
};
const keyringEnvelope = JSON.stringify(signKeyring(keyring, rootSeed));

const files = new Map<string, string>();
function write(name: string, expect: string, lines: [string, string | number | undefined][]): void {
  if (files.has(name)) throw new Error(`duplicate vector ${name}`);
  let text = `expect: ${expect}\n`;
  for (const [k, v] of [['root public key', pub(rootSeed)], ['now', '2025-06-01T12:00:00.000Z'], ['keyring', keyringEnvelope], ...lines] as const) {
    if (v === undefined) continue;
    if (String(v).includes('\n')) throw new Error(`${name}: newline in ${k}`);
    text += `${k}: ${v}\n`;
  }
  files.set(name, text);
}
const env = (e: SignedEnvelope | Record<string, unknown>) => JSON.stringify(e);

// ---------------------------------------------------------------- profile

const profile: Profile = {
  version: 2,
  issued: '2025-05-01',
  name: 'Example Safety Scheme (fictional)',
  regions: [
    { id: 'north', name: 'North' },
    { id: 'city-centre', name: 'City centre' },
  ],
  contacts: [
    { kind: 'emergency', name: 'Emergency services', phone: '999', note: 'or 112 from any phone' },
    { kind: 'support', name: 'Example support line', phone: '0800 000 0000', hours: 'Mon-Fri 10:00-18:00' },
    { kind: 'scheme', name: 'The scheme', email: 'help@example.org', url: 'https://example.org/help' },
  ],
  nextSteps: 'A coordinator reads every report within two working days.\nNothing is passed on without your consent.',
  languages: ['en', 'ro'],
};

function prof(name: string, expect: string, comment: string, envelope: SignedEnvelope | Record<string, unknown>, extra: [string, string | number | undefined][] = []): void {
  write(`profile-${name}`, expect, [['comment', comment], ...extra, ['envelope', env(envelope)]]);
}
const rawProfile = (o: unknown, s = rootSeed) => signDocument('profile', utf8(JSON.stringify(o)), s);

prof('valid-root', 'success', 'a profile signed by the root key', signProfile(profile, rootSeed), [['name', profile.name], ['version', 2]]);
prof('valid-admin', 'success', 'a profile signed by a keyring coordinator with the admin role', signProfile(profile, admin), [['name', profile.name], ['version', 2]]);
prof('admin-without-keyring', 'invalid signature', 'an admin signature checked without the keyring: only the root is trusted', signProfile(profile, admin), [['with keyring', 'no']]);
prof('publisher-not-admin', 'invalid signature', 'signed by a coordinator without the admin role', signProfile(profile, publisher));
prof('outsider', 'invalid signature', 'signed by a key outside the keyring', signProfile(profile, outsider));
{
  const good = signProfile(profile, rootSeed);
  const tampered = encodeProfile({ ...profile, contacts: [{ kind: 'emergency', name: 'Emergency services', phone: '0900 123 456' }] });
  prof('tampered-contact', 'invalid signature', 'a seized server swaps the emergency number', { ...good, payload: base64Padded(tampered) });
  const asWarning = signDocument('warning', encodeProfile(profile), rootSeed);
  prof('warning-label', 'invalid signature', 'profile bytes signed under the warning label, relabelled as a profile', { ...asWarning, kind: 'profile' });
  prof('kind-keyring', 'invalid profile', 'a keyring envelope offered as a profile', JSON.parse(keyringEnvelope) as SignedEnvelope, [['detail', 'not profile']]);
}
prof('rollback', 'profile version rollback', 'version 2 when version 3 was seen', signProfile(profile, rootSeed), [['min version', 3]]);
prof('same-version', 'success', 'the same version again is accepted', signProfile(profile, rootSeed), [['min version', 2], ['name', profile.name], ['version', 2]]);
prof('no-emergency', 'invalid profile', 'no emergency contact: nobody may be left without one', rawProfile({ ...profile, contacts: profile.contacts.slice(1) }), [['detail', 'emergency']]);
prof('duplicate-region', 'invalid profile', 'two regions with one id', rawProfile({ ...profile, regions: [profile.regions[0], profile.regions[0]] }), [['detail', 'duplicate region']]);
prof('http-url', 'invalid profile', 'a plain-http contact link', rawProfile({ ...profile, contacts: [profile.contacts[0], { kind: 'scheme', name: 'x', url: 'http://example.org' }] }), [['detail', 'https']]);
prof('javascript-url', 'invalid profile', 'a javascript: link', rawProfile({ ...profile, contacts: [profile.contacts[0], { kind: 'scheme', name: 'x', url: 'javascript:alert(1)' }] }), [['detail', 'https']]);
prof('extra-field', 'invalid profile', 'a member the spec does not define', rawProfile({ ...profile, logo: 'x' }), [['detail', 'logo']]);
prof('bidi-name', 'invalid profile', 'a right-to-left override in the name', rawProfile({ ...profile, name: 'Safe\u202eemehcs' }), [['detail', 'name']]);
prof('whitespace-json', 'invalid profile', 'JSON with insignificant white space (not canonical)', signDocument('profile', utf8(JSON.stringify(JSON.parse(new TextDecoder().decode(encodeProfile(profile))), null, 1)), rootSeed), [['detail', 'canonical']]);
prof('bad-region-id', 'invalid profile', 'an upper-case region id', rawProfile({ ...profile, regions: [{ id: 'North', name: 'North' }] }), [['detail', 'regions.0.id']]);
{
  // Translations of the free texts (optional; profiles without them are the vectors above).
  const ro = { lang: 'ro', nextSteps: 'Un coordonator citește fiecare raport în două zile lucrătoare.\nNimic nu este transmis fără acordul tău.', contacts: [{ name: 'Servicii de urgență', note: 'sau 112 de pe orice telefon' }, { hours: 'Lun-Vin 10:00-18:00' }] };
  const translated: Profile = { ...profile, translations: [ro, { lang: 'pt-BR', contacts: [{ note: 'ou 112 de qualquer telefone' }] }] };
  prof('valid-translations', 'success', 'a profile with its free texts in Romanian and Brazilian Portuguese', signProfile(translated, rootSeed), [['name', profile.name], ['version', 2]]);
  const tr = (t: unknown) => rawProfile({ ...profile, translations: [t] });
  prof('translation-swaps-phone', 'invalid profile', 'a translation may not carry a phone number: only texts are translated', tr({ lang: 'ro', contacts: [{ phone: '0900 123 456' }] }), [['detail', 'phone']]);
  prof('translation-bad-lang', 'invalid profile', 'a translation language that is not a tag', tr({ ...ro, lang: 'Romanian' }), [['detail', 'translations.0.lang']]);
  prof('translation-duplicate-lang', 'invalid profile', 'two translations for one language', rawProfile({ ...profile, translations: [ro, { lang: 'ro', nextSteps: 'Altceva.' }] }), [['detail', 'duplicate translation language']]);
  prof('translation-extra-contact', 'invalid profile', 'more contact translations than contacts', tr({ lang: 'ro', contacts: [{}, {}, {}, { name: 'x' }] }), [['detail', 'more contact translations']]);
  prof('translation-new-note', 'invalid profile', 'a translated note for a contact that has none', tr({ lang: 'ro', contacts: [{}, { note: 'x' }] }), [['detail', 'translations.0.contacts.1.note']]);
  prof('translation-empty', 'invalid profile', 'a translation with no text', tr({ lang: 'ro' }), [['detail', 'needs nextSteps or contacts']]);
  prof('translation-bidi', 'invalid profile', 'a right-to-left override in a translated note', tr({ lang: 'ro', contacts: [{ note: 'sun\u202ea la 999' }] }), [['detail', 'translations.0.contacts.0.note']]);
}

// ---------------------------------------------------------------- warnings

const warning: Warning = {
  schemaVersion: 1,
  published: '2025-05-20',
  regions: ['north'],
  month: '2025-05',
  partOfDay: 'evening',
  incidentTypes: ['violence', 'refused-to-pay'],
  summary: 'Client became violent when asked to pay and took the phone.',
  offender: 'Man, about 40, tall, shaved head, local accent.',
  vehicle: 'Silver estate car, partial plate AB1*',
  identifiers: [{ kind: 'phone', masked: '07*** ***123' }],
  checkTags: [base64Padded(sha256(utf8('example tag')))],
  advice: 'Do not meet at his house. Take payment first.',
};
function warn(name: string, expect: string, comment: string, envelope: SignedEnvelope | Record<string, unknown>, extra: [string, string | number | undefined][] = []): void {
  write(`warning-${name}`, expect, [['comment', comment], ...extra, ['envelope', env(envelope)]]);
}
const rawWarning = (o: unknown, s = publisher) => signDocument('warning', utf8(JSON.stringify(o)), s);

const original = signWarning(warning, publisher);
warn('valid', 'success', 'a warning signed by a coordinator with the warnings role', original.envelope, [['kind', 'warning'], ['id', original.id]]);
const minimal = signWarning({ schemaVersion: 1, published: '2025-05-20', regions: ['city-centre'], month: '2025-04', incidentTypes: ['time-waster'] }, publisher);
warn('minimal', 'success', 'only the required fields', minimal.envelope, [['kind', 'warning'], ['id', minimal.id]]);
const correction = signWarning({ ...warning, published: '2025-05-22', vehicle: 'Silver estate car', supersedes: original.id }, publisher);
warn('correction', 'success', 'a correction naming the warning it supersedes', correction.envelope, [['kind', 'warning'], ['id', correction.id], ['supersedes', original.id]]);
const withdrawal = signWithdrawal({ schemaVersion: 1, published: '2025-05-23', withdraws: original.id, reason: 'Published in error.' }, publisher);
warn('withdrawal', 'success', 'a withdrawal', withdrawal.envelope, [['kind', 'withdrawal'], ['id', withdrawal.id], ['withdraws', original.id]]);
warn('reader-signer', 'untrusted signer', 'signed by a coordinator without the warnings role', signWarning(warning, reader).envelope);
warn('admin-signer', 'untrusted signer', 'the admin role does not publish warnings', signWarning(warning, admin).envelope);
warn('root-signer', 'untrusted signer', 'the root key signs keyrings and profiles, never warnings', signWarning(warning, rootSeed).envelope);
warn('outsider-withdrawal', 'untrusted signer', 'a withdrawal signed by a key outside the keyring (a seized server hiding a warning)', signWithdrawal({ schemaVersion: 1, published: '2025-05-23', withdraws: original.id }, outsider).envelope);
warn('tampered', 'invalid signature', 'the region changed after signing', { ...original.envelope, payload: base64Padded(encodeWarning({ ...warning, regions: ['city-centre'] })) });
warn('withdrawal-label-on-warning', 'invalid warning', 'warning bytes signed as a withdrawal', signDocument('withdrawal', encodeWarning(warning), publisher), [['detail', 'withdraws']]);
warn('unmasked-phone', 'invalid warning', 'a full phone number where a masked one belongs', rawWarning({ ...warning, identifiers: [{ kind: 'phone', masked: '07123 456123' }] }), [['detail', 'not masked']]);
warn('half-masked', 'invalid warning', 'too little hidden (2 of 11 digits)', rawWarning({ ...warning, identifiers: [{ kind: 'phone', masked: '07123 4561**' }] }), [['detail', 'not masked']]);
warn('bad-month', 'invalid warning', 'month 13', rawWarning({ ...warning, month: '2025-13' }), [['detail', 'month']]);
warn('exact-date', 'invalid warning', 'an exact date instead of a month', rawWarning({ ...warning, month: '2025-05-14' }), [['detail', 'month']]);
warn('extra-field', 'invalid warning', 'a field the schema does not define (an exact time)', rawWarning({ ...warning, time: '22:15' }), [['detail', 'time']]);
warn('schema-version-2', 'invalid warning', 'a later schema version', rawWarning({ ...warning, schemaVersion: 2 }), [['detail', 'schemaVersion']]);
warn('no-incident', 'invalid warning', 'no incident type', rawWarning({ ...warning, incidentTypes: [] }), [['detail', 'incidentTypes']]);
warn('bad-supersedes', 'invalid warning', 'a correction naming something that is not a warning id', rawWarning({ ...warning, supersedes: 'w-1' }), [['detail', 'supersedes']]);
warn('bad-check-tag', 'invalid warning', 'a check tag in base64url', rawWarning({ ...warning, checkTags: ['_-' + base64Padded(sha256(utf8('x'))).slice(2)] }), [['detail', 'checkTags']]);
warn('not-canonical', 'invalid warning', 'JSON with white space', signDocument('warning', utf8(JSON.stringify(JSON.parse(new TextDecoder().decode(encodeWarning(warning))), null, 2)), publisher), [['detail', 'canonical']]);
warn('kind-profile', 'invalid warning', 'a profile offered as a warning', signProfile(profile, rootSeed), [['detail', 'profile']]);
if (documentId(encodeWarning(warning)) !== original.id) throw new Error('id mismatch');

for (const f of readdirSync(DIR)) if (/^(profile|warning)-/.test(f)) unlinkSync(join(DIR, f));
for (const [name, text] of files) writeFileSync(join(DIR, name), text);
process.stdout.write(`wrote ${files.size} vectors to ${DIR}\n`);
