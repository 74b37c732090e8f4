/**
 * Request signatures (crypto/request-auth.ts): each refusal with its exact class and message,
 * at the boundaries the mutation run found untested (`npm run mutate -- crypto/request-auth.ts
 * --tests=tests/crypto/request-auth.test.ts,tests/crypto/mutants-request-auth.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import { DocumentError, MAX_SIGNED_PATH, bytes, requestMessage, signRequest, verifyRequest, type RequestScope } from '../../crypto/index.js';

const seed = new Uint8Array(32).fill(7);
const NOW = 1_800_000_000;

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return 'accepted';
}

function signed(path = '/api/x', over: Record<string, unknown> = {}) {
  const body = bytes.utf8('{}');
  const h: Record<string, unknown> = { ...signRequest('coordinator', { method: 'POST', path, body, timestamp: NOW }, seed), ...over };
  return { method: 'POST', path, body, headers: (n: string) => h[n] as string | undefined };
}

describe('requestMessage', () => {
  it('refuses an unknown scope, a body that is not bytes, and a path one character too long', () => {
    const body = new Uint8Array(0);
    expect(refusal(() => requestMessage('root' as RequestScope, 'GET', '/', 1, body))).toBe('DocumentError: invalid request');
    expect(refusal(() => requestMessage('coordinator', 'GET', '/', 1, 'x' as unknown as Uint8Array))).toBe('DocumentError: invalid request');
    const longest = '/' + 'a'.repeat(MAX_SIGNED_PATH - 1);
    expect(refusal(() => requestMessage('mailbox', 'GET', longest, 1, body))).toBe('accepted');
    expect(refusal(() => requestMessage('mailbox', 'GET', longest + 'a', 1, body))).toBe('DocumentError: invalid request');
  });
});

describe('verifyRequest', () => {
  it('accepts its own signature', () => {
    expect(verifyRequest('coordinator', signed(), NOW).timestamp).toBe(NOW);
  });

  it('throws TypeError for a malformed clock or window, a programming error', () => {
    for (const now of [NaN, Infinity, '1' as unknown as number]) expect(refusal(() => verifyRequest('coordinator', signed(), now))).toBe('TypeError: invalid time');
    for (const w of [-1, NaN, Infinity, '1' as unknown as number]) expect(refusal(() => verifyRequest('coordinator', signed(), NOW, w))).toBe('TypeError: invalid window');
  });

  it('calls a header that is not a string, a key of the wrong size and an unsafe timestamp invalid signatures', () => {
    expect(refusal(() => verifyRequest('coordinator', signed('/api/x', { 'tipline-key': 5 }), NOW))).toBe('DocumentError: invalid signature');
    expect(refusal(() => verifyRequest('coordinator', signed('/api/x', { 'tipline-timestamp': NOW }), NOW))).toBe('DocumentError: invalid signature');
    expect(refusal(() => verifyRequest('coordinator', signed('/api/x', { 'tipline-signature': [] }), NOW))).toBe('DocumentError: invalid signature');
    const short = bytes.base64Padded(new Uint8Array(31));
    expect(refusal(() => verifyRequest('coordinator', signed('/api/x', { 'tipline-key': short }), NOW))).toBe('DocumentError: invalid signature');
    const shortSig = bytes.base64Padded(new Uint8Array(63));
    expect(refusal(() => verifyRequest('coordinator', signed('/api/x', { 'tipline-signature': shortSig }), NOW))).toBe('DocumentError: invalid signature');
    const unsafe = '9999999999999999';
    expect(refusal(() => verifyRequest('coordinator', signed('/api/x', { 'tipline-timestamp': unsafe }), Number(unsafe)))).toBe('DocumentError: invalid signature');
    expect(refusal(() => verifyRequest('coordinator', { ...signed(), path: '/api/x y' }, NOW))).toBe('DocumentError: invalid signature');
    expect(refusal(() => verifyRequest('root' as RequestScope, signed(), NOW))).toBe('DocumentError: invalid signature');
  });

  it('refuses a signature for another scope', () => {
    expect(refusal(() => verifyRequest('mailbox', signed(), NOW))).toBe('DocumentError: invalid signature');
    expect(DocumentError.name).toBe('DocumentError');
  });
});
