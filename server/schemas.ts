/** zod pieces shared by the routes. */
import { z } from 'zod';
import { bytes } from '../crypto/index.js';

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
      try {
        return bytes.fromBase64Padded(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'invalid base64' });
        return z.NEVER;
      }
    });
}

/** A 32-byte key in padded base64. */
export const publicKey32 = z
  .string()
  .length(44)
  .transform((s, ctx) => {
    try {
      const b = bytes.fromBase64Padded(s);
      if (b.length === 32) return b;
    } catch {
      // fall through
    }
    ctx.addIssue({ code: 'custom', message: 'invalid key' });
    return z.NEVER;
  });
