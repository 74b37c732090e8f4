/**
 * Composer logic for the coordinator console (no UI): a first warning draft from a report,
 * with everything that could identify the reporter left out, and the report's own details
 * coarsened (date → month, time band → part of day, identifiers masked). Starting from a
 * report needs its consent (lib/redaction.ts assertWarningConsent).
 */
import { maskIdentifier, type MaskedIdentifier, type Report, type Warning } from '../../crypto/index.js';
import { assertWarningConsent } from './redaction.js';

/** A draft: the warning fields a coordinator edits, before regions are chosen and it is signed. */
export type WarningDraft = Omit<Warning, 'schemaVersion' | 'published' | 'regions'> & { regions: string[] };

/** Labels the console shows for the offender's coarse pick-list answers. */
const join = (parts: (string | undefined)[]) => parts.filter((p): p is string => !!p).join(', ');

/**
 * A draft from a report whose consent allows a warning. The account (the reporter's own
 * words) is left out: the coordinator writes "what happened" in general terms.
 * @throws ConsentRefused when the consent does not allow a warning
 */
export function draftFromReport(report: Report): WarningDraft {
  assertWarningConsent(report);
  const o = report.offender ?? {};
  const v = report.vehicle ?? {};
  const identifiers: MaskedIdentifier[] = [
    ...(report.identifiers?.phones ?? []).map((p) => ({ kind: 'phone' as const, masked: maskIdentifier('phone', p) })),
    ...(report.identifiers?.emails ?? []).map((e) => ({ kind: 'email' as const, masked: maskIdentifier('email', e) })),
    ...(report.identifiers?.usernames ?? []).map((u) => ({ kind: 'username' as const, masked: maskIdentifier('username', u) })),
    ...(v.plate ? [{ kind: 'plate' as const, masked: maskIdentifier('plate', v.plate) }] : []),
  ].slice(0, 20);
  const offender = join([o.count, o.gender, o.ageRange, o.height, o.build, o.hair, o.skin, o.accent, o.nameGiven && `uses the name "${o.nameGiven}"`, o.clothing, o.marks]);
  const vehicle = join([v.colour, v.make, v.model]);
  return {
    regions: [],
    month: report.date ? report.date.slice(0, 7) : new Date().toISOString().slice(0, 7),
    ...(report.timeBand ? { partOfDay: report.timeBand } : {}),
    incidentTypes: [...report.incidentTypes],
    ...(offender ? { offender: offender.slice(0, 1000) } : {}),
    ...(vehicle ? { vehicle: vehicle.slice(0, 300) } : {}),
    ...(identifiers.length > 0 ? { identifiers } : {}),
  };
}

/** The warning to sign from a finished draft. */
export function warningFromDraft(d: WarningDraft, published: string): Warning {
  return { schemaVersion: 1, published, ...d };
}
