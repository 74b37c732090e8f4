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
