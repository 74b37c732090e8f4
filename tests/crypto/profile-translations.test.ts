/** The profile's optional translations (crypto/profile.ts, SPEC.md §Organisation profile): signing, verifying, choosing. */
import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ProfileError, localizeProfile, signProfile, verifyProfile, type Profile } from '../../crypto/index.js';

const seed = new Uint8Array(32).fill(7);
const root = ed25519.getPublicKey(seed);
const base: Profile = {
  version: 1,
  issued: '2026-01-01',
  name: 'Test Scheme',
  regions: [{ id: 'north', name: 'North' }],
  contacts: [
    { kind: 'emergency', name: 'Emergency services', phone: '999', note: 'or 112 from any phone' },
    { kind: 'support', name: 'Support line', phone: '0800 000 0000', hours: 'Mon-Fri 10-18' },
  ],
  nextSteps: 'A coordinator reads every report.',
  languages: ['en', 'ro'],
};
const withRo: Profile = {
  ...base,
  translations: [
    { lang: 'ro', nextSteps: 'Un coordonator citește fiecare raport.', contacts: [{ note: 'sau 112 de pe orice telefon' }, { name: 'Linie de sprijin', hours: 'Lun-Vin 10-18' }] },
    { lang: 'zh-CN', contacts: [{ note: '或任何电话拨打112' }] },
  ],
};

describe('profile translations', () => {
  it('a profile without translations signs and verifies as before (no translations member in its bytes)', () => {
    const env = signProfile(base, seed);
    expect(Buffer.from(env.payload, 'base64').toString()).not.toContain('translations');
    const p = verifyProfile(env, root);
    expect(p.translations).toBeUndefined();
    expect(localizeProfile(p, 'ro')).toEqual(p);
  });

  it('a signed profile with translations verifies, and the reader’s language picks its texts', () => {
    const p = verifyProfile(signProfile(withRo, seed), root);
    const ro = localizeProfile(p, 'ro');
    expect(ro.nextSteps).toBe('Un coordonator citește fiecare raport.');
    expect(ro.contacts[0]).toMatchObject({ name: 'Emergency services', phone: '999', note: 'sau 112 de pe orice telefon' });
    expect(ro.contacts[1]).toMatchObject({ name: 'Linie de sprijin', phone: '0800 000 0000', hours: 'Lun-Vin 10-18' });
    // Primary-subtag match (ro-RO → ro, zh-TW → zh-CN); the texts a translation leaves out stay as signed.
    expect(localizeProfile(p, 'ro-RO').nextSteps).toBe(ro.nextSteps);
    const zh = localizeProfile(p, 'zh-TW');
    expect(zh.contacts[0]!.note).toBe('或任何电话拨打112');
    expect(zh.nextSteps).toBe(base.nextSteps);
    expect(zh.contacts[1]).toEqual(base.contacts[1]);
    // No translation: the default texts.
    expect(localizeProfile(p, 'en')).toBe(p);
    expect(localizeProfile(p, 'pl').nextSteps).toBe(base.nextSteps);
  });

  it('an invalid translations map is refused when signing and when verifying', () => {
    const bad: [unknown, string][] = [
      [[], 'translations'],
      [[{ lang: 'ro', contacts: [{ phone: '0900 123 456' }] }], 'phone'],
      [[{ lang: 'ro', contacts: [{ url: 'https://evil.example' }] }], 'url'],
      [[{ lang: 'ro' }], 'needs nextSteps or contacts'],
      [[{ lang: 'romanian', nextSteps: 'x' }], 'translations.0.lang'],
      [[{ lang: 'ro', nextSteps: ' x' }], 'translations.0.nextSteps'],
      [[{ lang: 'ro', nextSteps: 'x'.repeat(2001) }], 'translations.0.nextSteps'],
      [[{ lang: 'ro', contacts: [{}, {}, {}] }], 'more contact translations'],
      [[{ lang: 'ro', contacts: [{ hours: 'x' }] }], 'hours the contact does not have'],
      [Array.from({ length: 21 }, (_, i) => ({ lang: `l${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`, nextSteps: 'x' })), 'translations'],
      [{ ro: { nextSteps: 'x' } }, 'translations'],
    ];
    for (const [translations, detail] of bad) {
      let err: unknown;
      try {
        signProfile({ ...base, translations } as Profile, seed);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(translations).slice(0, 80)).toBeInstanceOf(ProfileError);
      expect((err as ProfileError).detail).toContain(detail);
    }
  });
});
