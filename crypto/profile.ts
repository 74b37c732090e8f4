/**
 * The organisation profile: its public face (name, regions, help and emergency contacts,
 * what happens next, languages), a signed document of kind `profile` signed by the root
 * key or by a keyring coordinator holding the `admin` role (SPEC.md §Organisation profile).
 */
import * as z from './schema.js';
import { englishIssues } from './schema.js';
import { fromBase64Padded, utf8 } from './bytes.js';
import { DocumentError } from './errors.js';
import { dayStart, type Keyring } from './keyring.js';
import { parseEnvelope, parseJsonPayload, signDocument, verifyDocument, type SignedEnvelope } from './signed.js';

export const CONTACT_KINDS = ['emergency', 'support', 'scheme'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export interface ProfileRegion {
  id: string;
  name: string;
}

export interface ProfileContact {
  kind: ContactKind;
  name: string;
  phone?: string;
  email?: string;
  url?: string;
  hours?: string;
  note?: string;
}

/**
 * A profile's free texts in one more language (SPEC.md §Organisation profile, `translations`):
 * `contacts[i]` translates `contacts[i]` of the profile, and only texts that contact has.
 */
export interface ProfileTranslation {
  /** BCP 47 tag: a primary subtag, optional script, optional region (`ro`, `pt-BR`, `zh-CN`). */
  lang: string;
  nextSteps?: string;
  contacts?: { name?: string; hours?: string; note?: string }[];
}

export interface Profile {
  version: number;
  /** YYYY-MM-DD */
  issued: string;
  name: string;
  regions: ProfileRegion[];
  contacts: ProfileContact[];
  nextSteps: string;
  /** BCP 47 primary language subtags, e.g. `en`, `ro` */
  languages: string[];
  /** Optional: the free texts in other languages; absent in profiles from before it existed. */
  translations?: ProfileTranslation[];
}

export const PROFILE_LIMITS = { regions: 100, contacts: 20, languages: 20, nextSteps: 2000 } as const;

/** A translation's language tag: primary subtag, optional script, optional region, in their usual case. */
export const PROFILE_LANG_TAG = /^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2})?$/;

/** A profile failure: `message` is always 'invalid profile'; `detail` says why. */
export class ProfileError extends DocumentError {
  constructor(readonly detail: string) {
    super('invalid profile');
  }
}

// Shown to reporters and members: no control characters, bidi overrides or lone surrogates.
const UNSAFE = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
const UNSAFE_MULTILINE = /[\p{Cs}\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

const text = (max: number, multiline = false) =>
  z.string().check(
    z.minLength(1),
    z.maxLength(max),
    z.refine((s) => s === s.trim(), 'leading or trailing white space'),
    z.refine((s) => !(multiline ? UNSAFE_MULTILINE : UNSAFE).test(s), 'control, bidirectional-override or unpaired surrogate characters'),
  );

/** Region ids appear in warnings and URLs: lower-case ASCII. */
export const REGION_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

// Schemas are built on first use, not when the module loads: pages that never read a profile
// (the reporter's) then drop this module's code entirely when bundled.
function build() {
  const contactSchema = z.strictObject({
    kind: z.enum(CONTACT_KINDS),
    name: text(100),
    phone: z.optional(z.string().check(z.regex(/^\+?[0-9][0-9 ]{1,30}$/, 'phone: digits and spaces, optional leading +'))),
    email: z.optional(z.string().check(z.maxLength(254), z.regex(/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/, 'not an email address'))),
    url: z.optional(z.string().check(z.maxLength(200), z.regex(/^https:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~!$&'()*+,;=:@%/?#-]*)?$/, 'url must be https'))),
    hours: z.optional(text(100)),
    note: z.optional(text(300)),
  });

  const profileSchema = z
    .strictObject({
      version: z.number().check(z.int(), z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
      issued: z.string().check(z.refine((s) => dayStart(s) !== undefined, 'not a YYYY-MM-DD date')),
      name: text(100),
      regions: z
        .array(z.strictObject({ id: z.string().check(z.regex(REGION_ID, 'region id must be 1-32 of a-z 0-9 - starting with a letter or digit')), name: text(80) }))
        .check(z.minLength(1), z.maxLength(PROFILE_LIMITS.regions)),
      contacts: z.array(contactSchema).check(z.minLength(1), z.maxLength(PROFILE_LIMITS.contacts)),
      nextSteps: text(PROFILE_LIMITS.nextSteps, true),
      languages: z
        .array(z.string().check(z.regex(/^[a-z]{2,3}$/, 'language must be a 2-3 letter lower-case subtag')))
        .check(z.minLength(1), z.maxLength(PROFILE_LIMITS.languages)),
      translations: z.optional(
        z
          .array(
            z.strictObject({
              lang: z.string().check(z.regex(PROFILE_LANG_TAG, 'translation language must be a tag such as ro, pt-BR or zh-CN')),
              nextSteps: z.optional(text(PROFILE_LIMITS.nextSteps, true)),
              contacts: z.optional(
                z.array(z.strictObject({ name: z.optional(text(100)), hours: z.optional(text(100)), note: z.optional(text(300)) })).check(z.minLength(1), z.maxLength(PROFILE_LIMITS.contacts)),
              ),
            }),
          )
          .check(z.minLength(1), z.maxLength(PROFILE_LIMITS.languages)),
      ),
    })
    .check(
      z.superRefine((p, ctx) => {
        const add = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
        const ids = new Set<string>();
        p.regions.forEach((r, i) => {
          if (ids.has(r.id)) add(['regions', i, 'id'], 'duplicate region id');
          ids.add(r.id);
        });
        if (new Set(p.languages).size !== p.languages.length) add(['languages'], 'duplicate language');
        if (!p.contacts.some((c) => c.kind === 'emergency')) add(['contacts'], 'at least one emergency contact is required');
        p.contacts.forEach((c, i) => {
          if (!c.phone && !c.email && !c.url) add(['contacts', i], 'a contact needs a phone, email or url');
        });
        const langs = new Set<string>();
        p.translations?.forEach((t, i) => {
          const at = ['translations', i];
          if (langs.has(t.lang.toLowerCase())) add([...at, 'lang'], 'duplicate translation language');
          langs.add(t.lang.toLowerCase());
          if (t.nextSteps === undefined && t.contacts === undefined) add(at, 'a translation needs nextSteps or contacts');
          if (t.contacts && t.contacts.length > p.contacts.length) add([...at, 'contacts'], 'more contact translations than contacts');
          t.contacts?.forEach((ct, j) => {
            const c = p.contacts[j];
            for (const f of ['hours', 'note'] as const) {
              if (c && ct[f] !== undefined && c[f] === undefined) add([...at, 'contacts', j, f], `translates a ${f} the contact does not have`);
            }
          });
        });
      }),
    );
  return profileSchema;
}
let built: ReturnType<typeof build> | undefined;
/** The strict schema of a profile payload (built on first use). */
export function profileSchema(): ReturnType<typeof build> {
  return (built ??= build());
}

function validate(value: unknown): Profile {
  const r = profileSchema().safeParse(value, { error: englishIssues });
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ProfileError((issue.path.length > 0 ? issue.path.join('.') + ': ' : '') + issue.message);
  }
  return r.data as Profile;
}

/** The payload bytes of a profile: its JSON in a fixed key order, as UTF-8. */
export function encodeProfile(p: Profile): Uint8Array {
  return utf8(
    JSON.stringify({
      version: p.version,
      issued: p.issued,
      name: p.name,
      regions: p.regions.map((r) => ({ id: r.id, name: r.name })),
      // JSON.stringify leaves out a member whose value is undefined: what is absent stays absent.
      contacts: p.contacts.map((c) => ({ kind: c.kind, name: c.name, phone: c.phone, email: c.email, url: c.url, hours: c.hours, note: c.note })),
      nextSteps: p.nextSteps,
      languages: [...p.languages],
      translations: p.translations?.map((t) => ({
        lang: t.lang,
        nextSteps: t.nextSteps,
        contacts: t.contacts?.map((c) => ({ name: c.name, hours: c.hours, note: c.note })),
      })),
    }),
  );
}

/**
 * The profile as a reader of `lang` sees it: the translation for `lang` (exact tag, else the
 * same primary subtag, case-insensitive) replaces the free texts it gives; everything else,
 * and every text it leaves out, stays as signed. Pure: the profile must already be verified.
 */
export function localizeProfile(p: Profile, lang: string): Profile {
  const want = lang.toLowerCase();
  const list = p.translations ?? [];
  const t = list.find((x) => x.lang.toLowerCase() === want) ?? list.find((x) => x.lang.toLowerCase().split('-')[0] === want.split('-')[0]);
  // A verified translation entry holds only the texts it gives (JSON has no undefined).
  return t ? { ...p, nextSteps: t.nextSteps ?? p.nextSteps, contacts: p.contacts.map((c, i) => ({ ...c, ...t.contacts?.[i] })) } : p;
}

/**
 * Validate and sign a profile (with the root seed, or an `admin` coordinator's seed).
 * @throws ProfileError ('invalid profile', with `detail`) when the profile breaks a rule
 * @throws Error('invalid signing key') when the seed is not 32 bytes
 */
export function signProfile(p: Profile, seed: Uint8Array): SignedEnvelope {
  return signDocument('profile', encodeProfile(validate(p)), seed);
}

/**
 * The keys trusted to sign a profile: the root key and every keyring coordinator holding
 * the `admin` role (the keyring must already be verified against the same root).
 */
export function profileSigners(rootPublicKey: Uint8Array, keyring?: Keyring): Uint8Array[] {
  const out = [rootPublicKey];
  for (const c of keyring?.coordinators ?? []) if (c.roles.includes('admin')) out.push(fromBase64Padded(c.signingKey));
  return out;
}

/**
 * Verify a profile envelope (object or JSON text): kind `profile`, signed by the root key
 * or by an `admin` coordinator of `keyring` (a keyring the caller verified against the same
 * root), canonical JSON, strict schema, version not below `minVersion`.
 * @throws DocumentError('invalid signature' | 'invalid profile' | 'profile version rollback');
 *   'invalid profile' is a ProfileError with `detail`
 * @throws TypeError when rootPublicKey or minVersion is malformed
 */
export function verifyProfile(
  env: SignedEnvelope | string,
  rootPublicKey: Uint8Array,
  opts: { keyring?: Keyring; minVersion?: number } = {},
): Profile {
  if (!(rootPublicKey instanceof Uint8Array) || rootPublicKey.length !== 32) throw new TypeError('invalid root public key');
  const minVersion = opts.minVersion ?? 0;
  if (!Number.isSafeInteger(minVersion) || minVersion < 0) throw new TypeError('invalid minimum version');
  let parsed: SignedEnvelope;
  try {
    parsed = parseEnvelope(env);
  } catch {
    throw new ProfileError('not a signed document envelope');
  }
  if (parsed.kind !== 'profile') throw new ProfileError(`document kind is ${parsed.kind}, not profile`);
  let payload: Uint8Array;
  try {
    ({ payload } = verifyDocument(parsed, 'profile', profileSigners(rootPublicKey, opts.keyring)));
  } catch {
    throw new DocumentError('invalid signature');
  }
  let value: unknown;
  try {
    value = parseJsonPayload(payload);
  } catch {
    throw new ProfileError('payload is not canonical UTF-8 JSON');
  }
  const p = validate(value);
  if (p.version < minVersion) throw new DocumentError('profile version rollback');
  return p;
}
