/** zod pieces shared by the routes. */
import { z } from 'zod';

/** Ids the server makes: 16 random bytes, base64url. */
export const id = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
/** A reporter mailbox id: 32 derived bytes, base64url. */
export const mailboxId = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** The issue message that makes the validator answer 413 instead of 400. */
export const TOO_LARGE = 'too large';

/**
 * Padded standard base64 decoding to bytes, refusing anything longer than `maxBytes`
 * decoded (checked on the text length first, so nothing oversized is decoded).
 */
export function base64Bytes(maxBytes: number) {
  const maxChars = 4 * Math.ceil(maxBytes / 3);
  return z
    .string()
    .min(4)
    .transform((s, ctx) => {
      if (s.length > maxChars) {
        ctx.addIssue({ code: 'custom', message: TOO_LARGE });
        return z.NEVER;
      }
      const b = strictBase64(s);
      if (b) return b;
      ctx.addIssue({ code: 'custom', message: 'invalid base64' });
      return z.NEVER;
    });
}

/**
 * Decode canonical padded standard base64 with Node's native decoder (the JS decoder in
 * crypto/ cost a measurable share of each submission): Buffer.from skips what is not base64,
 * so the result counts only when it encodes back to exactly the input.
 */
export function strictBase64(s: string): Buffer | undefined {
  if (s.length % 4 !== 0) return undefined;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? b : undefined;
}

/** A 32-byte key in padded base64. */
export const publicKey32 = z
  .string()
  .length(44)
  .transform((s, ctx) => {
    const b = strictBase64(s);
    if (b && b.length === 32) return b;
    ctx.addIssue({ code: 'custom', message: 'invalid key' });
    return z.NEVER;
  });

/** A failed hand-written body check: {@link TOO_LARGE} answers 413, any other message 400 'invalid body'. */
export class BodyError extends Error {
  override readonly name = 'BodyError';
}

export interface ReportBody {
  report: Buffer;
  mailbox?: { id: string; publicKey: Buffer } | undefined;
  website?: string | undefined;
}

const MAILBOX_ID = /^[A-Za-z0-9_-]{43}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The report submission body, checked by hand (zod cost a measurable share of each
 * submission): what `z.strictObject({ report: base64Bytes(maxBytes), mailbox:
 * z.strictObject({ id: mailboxId, publicKey: publicKey32 }).optional(), website:
 * z.string().max(1000).optional() })` accepts, with the same outcome: an oversized report is
 * 'too large' whatever else is wrong, as the zod schema (which reports every issue) says.
 * @throws BodyError(TOO_LARGE | 'invalid body')
 */
export function reportBody(maxBytes: number): (v: unknown) => ReportBody {
  const maxChars = 4 * Math.ceil(maxBytes / 3);
  const invalid = () => new BodyError('invalid body');
  return (v) => {
    if (!isObject(v)) throw invalid();
    const { report, mailbox, website } = v;
    if (typeof report === 'string' && report.length >= 4 && report.length > maxChars) throw new BodyError(TOO_LARGE);
    for (const k in v) if (k !== 'report' && k !== 'mailbox' && k !== 'website') throw invalid();
    if (typeof report !== 'string' || report.length < 4) throw invalid();
    const bytes = strictBase64(report);
    if (!bytes) throw invalid();
    let box: ReportBody['mailbox'];
    if ('mailbox' in v) {
      if (!isObject(mailbox)) throw invalid();
      for (const k in mailbox) if (k !== 'id' && k !== 'publicKey') throw invalid();
      const { id, publicKey } = mailbox;
      if (typeof id !== 'string' || !MAILBOX_ID.test(id) || typeof publicKey !== 'string' || publicKey.length !== 44) throw invalid();
      const key = strictBase64(publicKey);
      if (!key || key.length !== 32) throw invalid();
      box = { id, publicKey: key };
    }
    if ('website' in v && (typeof website !== 'string' || website.length > 1000)) throw invalid();
    return { report: bytes, mailbox: box, website: website as string | undefined };
  };
}
