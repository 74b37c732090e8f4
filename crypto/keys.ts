/** Parsing and generating age keys in their textual encodings, and identity files. */
import { HybridIdentity, HybridRecipient } from './hybrid.js';
import type { Identity, Recipient } from './recipient.js';
import { X25519Identity, X25519Recipient } from './x25519.js';

export type AnyIdentity = X25519Identity | HybridIdentity;
export type AnyRecipient = X25519Recipient | HybridRecipient;

/**
 * Parse `age1...` (X25519) or `age1pq1...` (hybrid) recipients.
 * @throws Error('invalid recipient')
 */
export function parseRecipient(s: string): AnyRecipient {
  const t = s.trim();
  if (t.toLowerCase().startsWith('age1pq1')) return HybridRecipient.parse(t);
  // Anything else is an X25519 recipient or nothing: parse refuses it with the same message.
  return X25519Recipient.parse(t);
}

/**
 * Parse `AGE-SECRET-KEY-1...` or `AGE-SECRET-KEY-PQ-1...` identities.
 * @throws Error('invalid identity')
 */
export function parseIdentity(s: string): AnyIdentity {
  const t = s.trim();
  if (t.toUpperCase().startsWith('AGE-SECRET-KEY-PQ-1')) return HybridIdentity.parse(t);
  // Anything else is an X25519 identity or nothing: parse refuses it with the same message.
  return X25519Identity.parse(t);
}

/**
 * Parse an identity file as written by age-keygen: one identity per line,
 * `#` comments and blank lines ignored.
 * @throws Error('invalid identity file')
 */
export function parseIdentityFile(text: string): AnyIdentity[] {
  const out: AnyIdentity[] = [];
  for (const raw of text.split('\n')) {
    // trim() also takes the \r of a CRLF line end.
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      out.push(parseIdentity(line));
    } catch {
      throw new Error('invalid identity file');
    }
  }
  if (out.length === 0) throw new Error('invalid identity file');
  return out;
}

/** An identity file in age-keygen's format. */
export function formatIdentityFile(identity: AnyIdentity, created = new Date()): string {
  const day = created.toISOString().slice(0, 10);
  return `# created: ${day}\n# public key: ${identity.recipient().toString()}\n${identity.toString()}\n`;
}

export type { Identity, Recipient };
