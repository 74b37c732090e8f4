/** The console composer's pure logic: redaction flags, the consent check and the first draft. */
import { describe, expect, it } from 'vitest';
import { encodeWarning, isMasked, type Report } from '../../crypto/index.js';
import { draftFromReport, warningFromDraft } from '../../client/lib/composer.js';
import { ConsentRefused, assertWarningConsent, redactionFlags, type FlagKind } from '../../client/lib/redaction.js';

const report: Report = {
  schemaVersion: 1,
  incidentTypes: ['violence', 'refused-to-pay'],
  date: '2026-10-14',
  timeBand: 'evening',
  account: 'He called me on 07700 900456 (my work phone) and my email is rosa.w@example.net. Met him at 14 Elm Street.',
  offender: { gender: 'man', ageRange: '35-44', nameGiven: 'Dave', clothing: 'grey hoodie' },
  vehicle: { colour: 'silver', make: 'Ford', model: 'Focus', plate: 'AB12 CDE' },
  identifiers: { phones: ['07123 456123'], emails: ['dave.k@example.com'] },
  consent: { publishWarning: 'yes' },
};

const kinds = (draft: Record<string, string>) => redactionFlags(report, draft).map((f) => [f.kind, f.text] as [FlagKind, string]);

describe('redaction flags', () => {
  it("flags the reporter's own number and email copied from the report, in any spelling", () => {
    expect(kinds({ summary: 'Call 07700 900456 for details.' })).toEqual([['reporter-contact', '07700 900456']]);
    expect(kinds({ summary: 'Call +44 7700 900456 for details.' })).toEqual([['reporter-contact', '+44 7700 900456']]);
    expect(kinds({ advice: 'write to rosa.w@example.net' })).toEqual([['reporter-contact', 'rosa.w@example.net']]);
  });

  it("flags numbers and emails that are not the offender's, and the offender's own written out in full", () => {
    expect(kinds({ summary: 'A friend on 07999 111222 saw it.' })).toEqual([['other-contact', '07999 111222']]);
    expect(kinds({ summary: 'He texts from 07123 456123.' })).toEqual([['unmasked-identifier', '07123 456123']]);
    expect(kinds({ vehicle: 'silver Ford Focus AB12 CDE' })).toEqual([['unmasked-identifier', 'AB12 CDE']]);
    expect(kinds({ summary: 'He texts from 07*** ***123.' })).toEqual([]);
  });

  it('flags exact addresses, times and dates, and personal names', () => {
    expect(kinds({ summary: 'It happened at 14 Elm Street, flat 3, SW1A 1AA.' }).map((k) => k[0])).toEqual(['address', 'address', 'address']);
    expect(kinds({ summary: 'He arrived at 22:15 and left at 11pm.' })).toEqual([
      ['exact-time', '22:15'],
      ['exact-time', '11pm'],
    ]);
    expect(kinds({ summary: 'On 14 October, or 14/10/2026, last Tuesday.' }).map((k) => k[0])).toEqual(['exact-date', 'exact-date', 'exact-date']);
    expect(kinds({ summary: 'My friend Jade was there and so was Mr Harris.' })).toEqual([
      ['personal-name', 'Jade'],
      ['personal-name', 'Harris'],
    ]);
  });

  it('leaves ordinary warning text alone, including the offender’s given name and the vehicle', () => {
    expect(kinds({ summary: 'Man calling himself Dave, drives a silver Ford Focus. Became violent when asked to pay.', advice: 'Take payment first. Do not go to his house.' })).toEqual([]);
    expect(kinds({ summary: 'Happened in October, in the evening.' })).toEqual([]);
  });

  it('reports the field and the exact span', () => {
    const [f] = redactionFlags(report, { offender: 'tall; number 07700 900456' });
    expect(f).toMatchObject({ field: 'offender', kind: 'reporter-contact' });
    expect('tall; number 07700 900456'.slice(f!.start, f!.end)).toBe('07700 900456');
  });
});

describe('consent', () => {
  it('allows a warning only on yes, and for someone else only with their consent', () => {
    expect(() => assertWarningConsent(report)).not.toThrow();
    for (const [consent, reason] of [
      [{ publishWarning: 'no' }, 'publish-warning-no'],
      [{ publishWarning: 'unsure' }, 'publish-warning-unsure'],
      [{}, 'publish-warning-missing'],
    ] as const) {
      const e = (() => {
        try {
          assertWarningConsent({ ...report, consent: consent as Report['consent'] });
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(ConsentRefused);
      expect((e as ConsentRefused).reason).toBe(reason);
    }
    expect(() => assertWarningConsent({ ...report, onBehalfOf: { forSomeoneElse: true, theyConsented: false } })).toThrow(ConsentRefused);
    expect(() => draftFromReport({ ...report, consent: { publishWarning: 'no' } })).toThrow('consent does not allow a warning');
  });
});

describe('draft from a report', () => {
  it("coarsens, masks and leaves the reporter's account out", () => {
    const d = draftFromReport(report);
    expect(d.month).toBe('2026-10');
    expect(d.partOfDay).toBe('evening');
    expect(d.identifiers).toEqual([
      { kind: 'phone', masked: '07*** ***123' },
      { kind: 'email', masked: 'd***.*@*******.com' },
      { kind: 'plate', masked: '**** ***' },
    ]);
    expect(d.identifiers!.every((i) => isMasked(i.masked))).toBe(true);
    expect(JSON.stringify(d)).not.toContain('07700');
    expect(JSON.stringify(d)).not.toContain('rosa');
    expect(d.summary).toBeUndefined();
    expect(() => encodeWarning(warningFromDraft({ ...d, regions: ['north'] }, '2026-11-01'))).not.toThrow();
  });
});
