/**
 * A member's application and later settings (SPEC.md §Member applications): the JSON a
 * browser encrypts to the coordinators when joining and when changing settings. The server
 * stores only the age file; the console decrypts and reads it.
 *
 *     encodeApplication(a) = pad(utf8(JSON.stringify(memberApplicationSchema.parse(a))))
 */
import * as z from './schema.js';
import { fromUtf8, utf8 } from './bytes.js';
import { DocumentError } from './errors.js';
import { pad, unpad } from './padding.js';
import { REGION_ID } from './profile.js';

export const MEMBER_TYPES = ['sex-worker', 'support-project', 'venue'] as const;
export type MemberType = (typeof MEMBER_TYPES)[number];

export interface MemberApplication {
  schemaVersion: 1;
  type: MemberType;
  workingName: string;
  regions: string[];
  email?: string;
  mobile?: string;
  /** alerts paused by the member */
  paused?: boolean;
}

const UNSAFE = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.refine((s) => !UNSAFE.test(s), 'control characters'));

function build() {
  const schema = z.strictObject({
    schemaVersion: z.literal(1),
    type: z.enum(MEMBER_TYPES),
    workingName: text(80),
    regions: z
      .array(z.string().check(z.regex(REGION_ID)))
      .check(z.minLength(1), z.maxLength(100), z.refine((a) => new Set(a).size === a.length, 'duplicate region')),
    email: z.optional(text(254).check(z.regex(/^[^\s@]+@[^\s@]+$/, 'not an email address'))),
    mobile: z.optional(text(32).check(z.regex(/^\+?[0-9][0-9 ()-]{4,30}$/, 'not a phone number'))),
    paused: z.optional(z.boolean()),
  });
  return schema;
}
let built: ReturnType<typeof build> | undefined;
/** The strict schema of an application (built on first use, so the reporter's page drops this code). */
export function memberApplicationSchema(): ReturnType<typeof build> {
  return (built ??= build());
}

/**
 * Validate and pad an application for encryption to the coordinators.
 * @throws DocumentError('invalid application')
 */
export function encodeApplication(a: MemberApplication): Uint8Array {
  const r = memberApplicationSchema().safeParse(a);
  if (!r.success) throw new DocumentError('invalid application');
  return pad(utf8(JSON.stringify(r.data)));
}

/**
 * Parse a decrypted application.
 * @throws DocumentError('invalid application')
 */
export function decodeApplication(plaintext: Uint8Array): MemberApplication {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(unpad(plaintext)));
  } catch {
    throw new DocumentError('invalid application');
  }
  const r = memberApplicationSchema().safeParse(value);
  if (!r.success) throw new DocumentError('invalid application');
  return r.data as MemberApplication;
}
