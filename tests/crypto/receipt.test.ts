/**
 * Receipt codes and mailbox derivation (SPEC.md §Receipt codes). Known-answer vectors from
 * tests/vectors/report/receipt (one test each; the derivations use the real scrypt parameters
 * and are checked against node:crypto's independent scrypt, HKDF and Ed25519), then properties
 * with cheap test-only scrypt parameters.
 */
import { createPrivateKey, createPublicKey, hkdfSync, scryptSync } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DocumentError,
  HybridIdentity,
  bytes,
  decrypt,
  deriveMailbox,
  encrypt,
  generateReceiptCode,
  nobleBackend,
  normalizeReceiptCode,
  primitives,
  useBackend,
} from '../../crypto/index.js';
import { loadVectorFile, thrown } from '../helpers/vectors.js';
import { RECEIPT_SCRYPT, deriveMailboxWithParams } from '../../crypto/receipt.js';
import { WORDLIST_V2 } from '../../crypto/receipt-words.js';

const DIR = join(import.meta.dirname, '../vectors/report/receipt');
/** Test-only work factor: the properties below are about structure, not about the KDF's cost. */
const CHEAP = { logN: 4, r: 8, p: 1 };
/** New codes are written with the v2 list (receipt-words.ts). */
const WORDS = new Set(WORDLIST_V2);

function expectInvalidCode(e: unknown): void {
  expect(e).toBeInstanceOf(DocumentError);
  expect((e as Error).message).toBe('invalid receipt code');
}

/** Ed25519 public key from a seed through node:crypto (an implementation independent of ours). */
function nodeEd25519Public(seed: Uint8Array): Uint8Array {
  const pkcs8 = bytes.concat(bytes.fromHex('302e020100300506032b657004220420'), seed);
  const key = createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }));
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }).subarray(12));
}

describe('receipt vectors', () => {
  const files = readdirSync(DIR).sort();
  it('has vectors', () => expect(files.length).toBeGreaterThanOrEqual(20));
  for (const file of files) {
    const h = loadVectorFile(DIR, file).headers;
    const input = JSON.parse(h.get('input')!) as string;
    it(`${file}: ${h.get('comment')}`, async () => {
      const expectation = h.get('expect');
      if (expectation === 'invalid receipt code') {
        expectInvalidCode(thrown(() => normalizeReceiptCode(input)));
        expectInvalidCode(await deriveMailbox(input).catch((e: unknown) => e));
        return;
      }
      expect(expectation).toBe('success');
      expect(normalizeReceiptCode(input)).toBe(h.get('normalized'));
      if (!h.has('mailbox id')) return;

      // The stored vector against node:crypto.
      expect(h.get('scrypt')).toBe(`logN=${RECEIPT_SCRYPT.logN} r=${RECEIPT_SCRYPT.r} p=${RECEIPT_SCRYPT.p}`);
      const entropy = bytes.fromHex(h.get('entropy')!);
      const root = scryptSync(entropy, 'tipline/v1 receipt code', 32, { N: 2 ** RECEIPT_SCRYPT.logN, r: 8, p: 1 });
      expect(root.toString('hex')).toBe(h.get('root'));
      const hk = (info: string) => new Uint8Array(hkdfSync('sha256', root, new Uint8Array(0), info, 32));
      expect(Buffer.from(hk('tipline/v1 mailbox id')).toString('base64url')).toBe(h.get('mailbox id'));
      expect(bytes.base64Padded(nodeEd25519Public(hk('tipline/v1 mailbox signing key')))).toBe(h.get('signing public key'));
      expect(bytes.toHex(hk('tipline/v1 reply identity'))).toBe(h.get('reply seed'));
      const reply = new HybridIdentity(bytes.fromHex(h.get('reply seed')!));
      expect(reply.toString()).toBe(h.get('reply identity'));
      expect(reply.recipient().toString()).toBe(h.get('reply recipient'));

      // Our implementation, with the real parameters, against the vector.
      const m = await deriveMailbox(input);
      expect(m.mailboxId).toBe(h.get('mailbox id'));
      expect(bytes.base64Padded(m.signingPublicKey)).toBe(h.get('signing public key'));
      expect(bytes.toHex(m.signingSeed)).toBe(bytes.toHex(hk('tipline/v1 mailbox signing key')));
      expect(m.replyIdentity.toString()).toBe(h.get('reply identity'));
      expect(m.replyIdentity.recipient().toString()).toBe(h.get('reply recipient'));
    });
  }
});

describe('word list', () => {
  it('is the 2048-word BIP-39 English list, each word identified by its first four letters', () => {
    expect(wordlist.length).toBe(2048);
    expect(new Set(wordlist).size).toBe(2048);
    expect(new Set(wordlist.map((w) => w.slice(0, 4))).size).toBe(2048);
    for (const w of wordlist) expect(w).toMatch(/^[a-z]{3,8}$/);
    expect(wordlist[0]).toBe('abandon');
    expect(wordlist[2047]).toBe('zoo');
  });
});

describe('receipt codes', () => {
  afterEach(() => useBackend(nobleBackend));

  it('draws 100 bits from primitives().randomBytes and clears the 4 unused bits', () => {
    let asked = 0;
    useBackend({ ...nobleBackend, randomBytes: (n) => ((asked = n), new Uint8Array(n).fill(0xff)) });
    expect(generateReceiptCode()).toBe('zoo zoo zoo zoo zoo zoo zoo zoo zoo surround');
    expect(asked).toBe(13);
    useBackend({ ...nobleBackend, randomBytes: (n) => new Uint8Array(n) });
    expect(generateReceiptCode()).toBe('abandon abandon abandon abandon abandon abandon abandon abandon abandon birth');
  });

  it('gives distinct codes', () => {
    const codes = new Set(Array.from({ length: 500 }, generateReceiptCode));
    expect(codes.size).toBe(500);
  });

  it('every generated code is ten list words and normalises to itself', () => {
    fc.assert(
      fc.property(fc.constant(null), () => {
        const code = generateReceiptCode();
        const words = code.split(' ');
        expect(words).toHaveLength(10);
        for (const w of words) expect(WORDS.has(w)).toBe(true);
        expect(normalizeReceiptCode(code)).toBe(code);
      }),
      { numRuns: 200 },
    );
  });

  it('any case, separators and 4-letter prefixes normalise back to the code', () => {
    const separator = fc.constantFrom(' ', '  ', '-', ' - ', '\t', '\n', '\u00a0', '\u2013', '.', ', ', '_');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.boolean(), separator), { minLength: 10, maxLength: 10 }),
        separator,
        (styles, lead) => {
          const code = generateReceiptCode();
          const typed = code
            .split(' ')
            .map((w, i) => {
              const [upper, short, sep] = styles[i]!;
              const word = short && w.length > 4 ? w.slice(0, 4) : w;
              return (upper ? word.toUpperCase() : word) + (i < 9 ? sep : '');
            })
            .join('');
          expect(normalizeReceiptCode(lead + typed + lead)).toBe(code);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the checksum rejects all but about 1 in 1024 single-word substitutions', () => {
    const code = 'tumble predict web goat bundle benefit bulb movie relax baby'.split(' ');
    const acceptedAt: number[] = [];
    for (const p of [0, 3, 6, 9]) {
      let accepted = 0;
      for (const w of wordlist) {
        if (w === code[p]) continue;
        const c = [...code];
        c[p] = w;
        if (thrown(() => normalizeReceiptCode(c.join(' '))) === undefined) accepted++;
      }
      acceptedAt.push(accepted);
    }
    // 4 x 2047 substitutions, 2^-10 pass each: about 8 expected (12 for this code).
    expect(acceptedAt.reduce((a, b) => a + b)).toBeLessThanOrEqual(16);
    // The last word carries 1 entropy bit and the 10 checksum bits: exactly one other word fits.
    expect(acceptedAt[3]).toBe(1);
  });

  it('rejects swapped neighbouring words of a known code', () => {
    const code = 'tumble predict web goat bundle benefit bulb movie relax baby'.split(' ');
    for (let p = 0; p < 9; p++) {
      const c = [...code];
      [c[p], c[p + 1]] = [c[p + 1]!, c[p]!];
      expectInvalidCode(thrown(() => normalizeReceiptCode(c.join(' '))));
    }
  });

  it('rejects non-string input', () => {
    expectInvalidCode(thrown(() => normalizeReceiptCode(undefined as unknown as string)));
    expectInvalidCode(thrown(() => normalizeReceiptCode(42 as unknown as string)));
  });
});

describe('mailbox derivation', () => {
  it('uses scrypt logN=12, r=8, p=1', () => {
    expect(RECEIPT_SCRYPT).toEqual({ logN: 12, r: 8, p: 1 });
  });

  it('derives the same mailbox twice from any form of the code, and different ones for different codes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), async (upper) => {
        const code = generateReceiptCode();
        const a = await deriveMailboxWithParams(code, CHEAP);
        const b = await deriveMailboxWithParams(upper ? code.toUpperCase() : code.replace(/ /g, '-'), CHEAP);
        expect(a.mailboxId).toBe(b.mailboxId);
        expect(a.mailboxId).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(bytes.equalBytes(a.signingSeed, b.signingSeed)).toBe(true);
        expect(bytes.equalBytes(a.signingPublicKey, b.signingPublicKey)).toBe(true);
        expect(a.replyIdentity.toString()).toBe(b.replyIdentity.toString());
        const other = await deriveMailboxWithParams(generateReceiptCode(), CHEAP);
        expect(other.mailboxId).not.toBe(a.mailboxId);
        expect(bytes.equalBytes(other.signingSeed, a.signingSeed)).toBe(false);
        expect(other.replyIdentity.toString()).not.toBe(a.replyIdentity.toString());
        // Distinct labels give distinct outputs from the one root.
        expect(bytes.toHex(new Uint8Array(Buffer.from(a.mailboxId, 'base64url')))).not.toBe(bytes.toHex(a.signingSeed));
      }),
      { numRuns: 25 },
    );
  });

  it('gives a working signing key and reply identity', async () => {
    const m = await deriveMailboxWithParams(generateReceiptCode(), CHEAP);
    const msg = bytes.utf8('GET /api/mailboxes/x');
    const sig = primitives().ed25519Sign(m.signingSeed, msg);
    expect(primitives().ed25519Verify(m.signingPublicKey, msg, sig)).toBe(true);
    expect(bytes.equalBytes(m.signingPublicKey, nodeEd25519Public(m.signingSeed))).toBe(true);
    const reply = await encrypt([m.replyIdentity.recipient()], bytes.utf8('we got your report'));
    expect(bytes.fromUtf8(await decrypt([m.replyIdentity], reply))).toBe('we got your report');
  });

  it('changes with the work factor (the parameters are really used)', async () => {
    const code = generateReceiptCode();
    const a = await deriveMailboxWithParams(code, CHEAP);
    const b = await deriveMailboxWithParams(code, { ...CHEAP, logN: 5 });
    expect(a.mailboxId).not.toBe(b.mailboxId);
  });

  it('reports progress as non-decreasing fractions ending with one 1', async () => {
    const seen: number[] = [];
    await deriveMailboxWithParams(generateReceiptCode(), { logN: 10, r: 8, p: 1 }, (f) => seen.push(f));
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.length).toBeLessThanOrEqual(102);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.filter((f) => f === 1)).toHaveLength(1);
    expect(seen[seen.length - 1]).toBe(1);
    for (const f of seen) expect(f).toBeGreaterThanOrEqual(0);
  });
});
