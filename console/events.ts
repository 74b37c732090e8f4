/**
 * Case events: what coordinators share about a report beyond its server state. Each is a
 * case note on the server, age-encrypted to every keyring coordinator, so the server learns
 * only that a note exists. Plaintext: pad(utf8(JSON)) of one event.
 */
import { z } from 'zod';
import { bytes, pad, unpad } from '../crypto/index.js';

export const CASE_STATES = ['new', 'in-progress', 'warning-published', 'closed', 'possibly-false'] as const;
export type CaseState = (typeof CASE_STATES)[number];

const tag = z.string().min(1).max(40).regex(/^[^\p{Cc}\p{Cf}\p{Cs}]+$/u);
export const LIMITS = { note: 20_000, tags: 20, reply: 20_000 };

const common = { v: z.literal(1), by: z.string().max(100), at: z.number().int().nonnegative() };
export const eventSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...common, kind: z.literal('note'), text: z.string().min(1).max(LIMITS.note) }),
  z.strictObject({ ...common, kind: z.literal('tags'), tags: z.array(tag).max(LIMITS.tags) }),
  z.strictObject({ ...common, kind: z.literal('assign'), to: z.string().max(100).nullable() }),
  z.strictObject({ ...common, kind: z.literal('state'), state: z.enum(CASE_STATES) }),
  // A copy of a reply sent to the reporter: the reply itself is readable only by the reporter.
  z.strictObject({ ...common, kind: z.literal('reply'), text: z.string().min(1).max(LIMITS.reply) }),
]);
export type CaseEvent = z.infer<typeof eventSchema>;
export type NewEvent = CaseEvent extends infer E ? (E extends CaseEvent ? Omit<E, 'v' | 'by' | 'at'> : never) : never;

export function encodeEvent(e: CaseEvent): Uint8Array {
  return pad(bytes.utf8(JSON.stringify(eventSchema.parse(e))));
}

/** @throws Error('invalid case note') */
export function decodeEvent(padded: Uint8Array): CaseEvent {
  try {
    return eventSchema.parse(JSON.parse(bytes.fromUtf8(unpad(padded))));
  } catch {
    throw new Error('invalid case note');
  }
}

/** The server's coarse state for a case state (the server knows only new/open/closed). */
export function serverState(s: CaseState): 'new' | 'open' | 'closed' {
  return s === 'new' ? 'new' : s === 'closed' ? 'closed' : 'open';
}
