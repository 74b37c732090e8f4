/**
 * Writes the protocol test vectors beside this file (signed documents, keyring, request
 * signatures, proof of work). Run: `npx tsx tests/vectors/protocol/generate.ts`.
 * The files are committed; the tests read them and never run this script. Every seed is
 * fixed (SHA-256 of a name), so a second run must write identical bytes.
 *
 * Format: one scenario per file; `expect: ...` on the first line, then `key: value` lines
 * (a key may repeat; an empty value is written as `key:`). See README.md here.
 */
import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  HybridIdentity,
  X25519Identity,
  bytes,
  documentMessage,
  encodeKeyring,
  leadingZeroBits,
  primitives,
  requestMessage,
  signDocument,
  signKeyring,
  signRequest,
  type DocumentKind,
  type Keyring,
  type SignedEnvelope,
} from '../../../crypto/index.js';

const DIR = import.meta.dirname;
const { base64Padded, fromBase64Padded, toHex, utf8 } = bytes;

const seed = (name: string): Uint8Array => sha256(utf8(`tipline/v1 test vector seed: ${name}`));
const pub = (s: Uint8Array): string => base64Padded(primitives().ed25519PublicKey(s));

type Line = [string, string | number | undefined];
const files = new Map<string, string>();

function write(name: string, expect: string, lines: Line[]): void {
  if (files.has(name)) throw new Error(`duplicate vector ${name}`);
  let text = `expect: ${expect}\n`;
  for (const [k, v] of lines) {
    if (v === undefined) continue;
    const s = String(v);
    if (s.includes('\n')) throw new Error(`${name}: value of ${k} has a newline`);
    text += s === '' ? `${k}:\n` : `${k}: ${s}\n`;
  }
  files.set(name, text);
}

const envText = (e: SignedEnvelope | Record<string, unknown>): string => JSON.stringify(e);

/** Flip one bit of a padded-base64 field. */
function flip(b64: string, byte: number, bit: number): string {
  const b = fromBase64Padded(b64);
  b[byte]! ^= 1 << bit;
  return base64Padded(b);
}

// ---------------------------------------------------------------- signed documents

const warningSeed = seed('coordinator 1 signing');
const otherSeed = seed('someone else');
const warningPayload = utf8(
  JSON.stringify({ id: 'w-2025-0001', published: '2025-03-01', region: 'north', text: 'Man in a silver car, refuses condoms; tried to take a phone. Take care.' }),
);
const warning = signDocument('warning', warningPayload, warningSeed);

function doc(name: string, expect: string, opts: { comment: string; kind: DocumentKind; envelope: string; trusted?: string[]; seed?: Uint8Array; payload?: Uint8Array; message?: Uint8Array }): void {
  write(`document-${name}`, expect, [
    ['comment', opts.comment],
    ['kind', opts.kind],
    ...(opts.trusted ?? [pub(warningSeed)]).map((t): Line => ['trusted', t]),
    ['signing seed', opts.seed ? toHex(opts.seed) : undefined],
    ['payload', opts.payload ? bytes.fromUtf8(opts.payload) : undefined],
    ['signed message', opts.message ? toHex(opts.message) : undefined],
    ['envelope', opts.envelope],
  ]);
}

doc('warning-valid', 'success', {
  comment: 'a warning signed by a coordinator key; signing reproduces the envelope byte for byte',
  kind: 'warning',
  envelope: envText(warning),
  seed: warningSeed,
  payload: warningPayload,
  message: documentMessage('warning', warningPayload),
});
{
  const empty = new Uint8Array(0);
  doc('empty-payload', 'success', {
    comment: 'an empty payload is a valid signed document (its schema is the caller\'s business)',
    kind: 'warning',
    envelope: envText(signDocument('warning', empty, warningSeed)),
    seed: warningSeed,
    payload: empty,
    message: documentMessage('warning', empty),
  });
}
doc('several-trusted', 'success', {
  comment: 'the signer is the second of two trusted keys',
  kind: 'warning',
  envelope: envText(warning),
  trusted: [pub(otherSeed), pub(warningSeed)],
  seed: warningSeed,
  payload: warningPayload,
});
doc('wrong-kind', 'wrong document kind', {
  comment: 'a valid warning presented where a keyring is expected',
  kind: 'keyring',
  envelope: envText(warning),
});
doc('label-swap', 'invalid signature', {
  comment: 'signed under the warning label, envelope relabelled as keyring: the label is part of the signed message',
  kind: 'keyring',
  envelope: envText({ ...warning, kind: 'keyring' }),
});
doc('untrusted-signer', 'untrusted signer', {
  comment: 'a valid signature by a key that is not trusted',
  kind: 'warning',
  envelope: envText(signDocument('warning', warningPayload, otherSeed)),
});
doc('no-trusted-signers', 'untrusted signer', {
  comment: 'an empty trust list trusts nobody',
  kind: 'warning',
  envelope: envText(warning),
  trusted: [],
});
doc('signer-swapped', 'invalid signature', {
  comment: 'the signer field replaced by another trusted key; the signature is by the first',
  kind: 'warning',
  envelope: envText({ ...warning, signer: pub(otherSeed) }),
  trusted: [pub(warningSeed), pub(otherSeed)],
});
doc('payload-bit-flipped', 'invalid signature', {
  comment: 'one bit of the payload flipped after signing',
  kind: 'warning',
  envelope: envText({ ...warning, payload: flip(warning.payload, 10, 1) }),
});
doc('signature-bit-flipped', 'invalid signature', {
  comment: 'one bit of the signature flipped',
  kind: 'warning',
  envelope: envText({ ...warning, signature: flip(warning.signature, 40, 7) }),
});
{
  // S' = S + L is the same signature to a lax verifier; RFC 8032 requires S < L.
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const sig = fromBase64Padded(warning.signature);
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
  s += L;
  for (let i = 32; i < 64; i++) {
    sig[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  doc('signature-s-not-reduced', 'invalid signature', {
    comment: 'S replaced by S + L (a malleated signature): strict verification requires S < L',
    kind: 'warning',
    envelope: envText({ ...warning, signature: base64Padded(sig) }),
  });
}
// The identity point as public key with R = identity and S = 0 satisfies the cofactorless
// equation for every message; strict verification refuses small-order keys and R.
const smallOrderKey = new Uint8Array(32);
smallOrderKey[0] = 1;
const universalSignature = new Uint8Array(64);
universalSignature[0] = 1;
doc('small-order-signer', 'invalid signature', {
  comment: 'a trusted small-order (identity point) key with a signature that fits any message',
  kind: 'warning',
  envelope: envText({ ...warning, signer: base64Padded(smallOrderKey), signature: base64Padded(universalSignature) }),
  trusted: [base64Padded(smallOrderKey)],
});
{
  const sig = warning.signature;
  // The last base64 character before '==' carries 4 unused bits; setting one is non-canonical.
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const i = sig.length - 3;
  const bad = sig.slice(0, i) + chars[chars.indexOf(sig[i]!) | 1] + sig.slice(i + 1);
  doc('signature-noncanonical-base64', 'invalid document', {
    comment: 'the signature\'s last base64 character has an unused bit set (decodes to the same bytes leniently)',
    kind: 'warning',
    envelope: envText({ ...warning, signature: bad }),
  });
}
doc('payload-unpadded', 'invalid document', {
  comment: 'payload in base64 without its = padding',
  kind: 'warning',
  envelope: envText({ ...signDocument('warning', utf8('{"a":1}'), warningSeed), payload: base64Padded(utf8('{"a":1}')).replace(/=+$/, '') }),
});
{
  const binary = signDocument('warning', new Uint8Array([0xfb, 0xff, 0xbf]), warningSeed); // payload "+/+/"
  doc('payload-base64url', 'invalid document', {
    comment: 'payload in the URL-safe alphabet (-_ for +/)',
    kind: 'warning',
    envelope: envText({ ...binary, payload: binary.payload.replace(/\+/g, '-').replace(/\//g, '_') }),
  });
}
doc('extra-key', 'invalid document', {
  comment: 'an envelope with an extra key',
  kind: 'warning',
  envelope: envText({ ...warning, note: 'hi' }),
});
doc('missing-key', 'invalid document', {
  comment: 'an envelope without v',
  kind: 'warning',
  envelope: envText({ kind: warning.kind, payload: warning.payload, signer: warning.signer, signature: warning.signature }),
});
doc('version-2', 'invalid document', {
  comment: 'envelope version 2 is unknown',
  kind: 'warning',
  envelope: envText({ ...warning, v: 2 }),
});
doc('version-string', 'invalid document', {
  comment: 'v must be the number 1, not the string',
  kind: 'warning',
  envelope: envText({ ...warning, v: '1' }),
});
doc('unknown-kind', 'invalid document', {
  comment: 'a kind without a label',
  kind: 'warning',
  envelope: envText({ ...warning, kind: 'toString' }),
});
doc('signer-31-bytes', 'invalid document', {
  comment: 'a 31-byte signer key',
  kind: 'warning',
  envelope: envText({ ...warning, signer: base64Padded(fromBase64Padded(warning.signer).subarray(0, 31)) }),
});
doc('signature-65-bytes', 'invalid document', {
  comment: 'a 65-byte signature',
  kind: 'warning',
  envelope: envText({ ...warning, signature: base64Padded(bytes.concat(fromBase64Padded(warning.signature), new Uint8Array(1))) }),
});
doc('not-an-object', 'invalid document', {
  comment: 'JSON that is not an object',
  kind: 'warning',
  envelope: JSON.stringify([warning]),
});
doc('not-json', 'invalid document', {
  comment: 'not JSON at all',
  kind: 'warning',
  envelope: envText(warning).slice(0, -1),
});

// ---------------------------------------------------------------- keyring

const rootSeed = seed('organisation root');
const rootPub = pub(rootSeed);

function coordinator(n: number, name: string, roles: Keyring['coordinators'][number]['roles']): Keyring['coordinators'][number] {
  return {
    id: `c${n}`,
    name,
    recipient: new HybridIdentity(seed(`coordinator ${n} hybrid`)).recipient().toString(),
    signingKey: pub(seed(`coordinator ${n} signing`)),
    roles,
  };
}

const keyring: Keyring = {
  version: 7,
  issued: '2025-01-15',
  // The longest validity allowed: 180 days after the issue day.
  expires: '2025-07-14',
  coordinators: [
    coordinator(1, 'Sam (north)', ['reports', 'warnings']),
    coordinator(2, 'Alex — Manchester', ['reports', 'warnings', 'members']),
    coordinator(3, 'Jo', ['members']),
  ],
};
const keyringPayload = encodeKeyring(keyring);
const keyringEnv = signKeyring(keyring, rootSeed);
if (envText(keyringEnv) !== envText(signDocument('keyring', keyringPayload, rootSeed))) throw new Error('signKeyring differs');
const small: Keyring = { ...keyring, coordinators: [keyring.coordinators[0]!] };
const smallPayload = encodeKeyring(small);
const smallEnv = signKeyring(small, rootSeed);
const c1 = small.coordinators[0]!;

function kr(name: string, expect: string, opts: { comment: string; envelope: SignedEnvelope | Record<string, unknown>; now: string; minVersion?: number; seed?: Uint8Array; payload?: Uint8Array | string; detail?: string; message?: Uint8Array }): void {
  const payload = typeof opts.payload === 'string' ? opts.payload : opts.payload ? bytes.fromUtf8(opts.payload) : undefined;
  write(`keyring-${name}`, expect, [
    ['comment', opts.comment],
    ['root public key', rootPub],
    ['now', opts.now],
    ['min version', opts.minVersion],
    ['signing seed', opts.seed ? toHex(opts.seed) : undefined],
    ['payload', payload],
    ['signed message', opts.message ? toHex(opts.message) : undefined],
    ['detail', opts.detail],
    ['envelope', envText(opts.envelope)],
  ]);
}

const NOW = '2025-06-01T12:00:00.000Z';

kr('valid', 'success', {
  comment: 'three coordinators signed by the root key; signKeyring reproduces the envelope byte for byte',
  envelope: keyringEnv,
  now: NOW,
  seed: rootSeed,
  payload: keyringPayload,
  message: documentMessage('keyring', keyringPayload),
});
kr('same-version', 'success', {
  comment: 'version equal to the highest seen: a client may fetch the same keyring again',
  envelope: smallEnv,
  now: NOW,
  minVersion: 7,
  seed: rootSeed,
  payload: smallPayload,
});
kr('newer-version', 'success', {
  comment: 'version above the highest seen',
  envelope: smallEnv,
  now: NOW,
  minVersion: 6,
  seed: rootSeed,
  payload: smallPayload,
});
kr('before-issue', 'success', {
  comment: 'the day before the issue day: not refused, since a client clock may be behind',
  envelope: smallEnv,
  now: '2025-01-14T12:00:00.000Z',
  seed: rootSeed,
  payload: smallPayload,
});
kr('day-before-issue-start', 'success', {
  comment: 'the first instant of the day before the issue day: the earliest a keyring is accepted',
  envelope: smallEnv,
  now: '2025-01-14T00:00:00.000Z',
  seed: rootSeed,
  payload: smallPayload,
});
kr('not-yet-valid', 'keyring not yet valid', {
  comment: 'the last millisecond before the day before the issue day: refused, or a keyring dated ahead would outlast the 180-day cap',
  envelope: smallEnv,
  now: '2025-01-13T23:59:59.999Z',
  seed: rootSeed,
  payload: smallPayload,
});
kr('issue-day', 'success', {
  comment: 'the first instant of the issue day',
  envelope: smallEnv,
  now: '2025-01-15T00:00:00.000Z',
  seed: rootSeed,
  payload: smallPayload,
});
kr('last-instant', 'success', {
  comment: 'the last millisecond of the expiry day, UTC',
  envelope: smallEnv,
  now: '2025-07-14T23:59:59.999Z',
  seed: rootSeed,
  payload: smallPayload,
});
kr('expired', 'keyring expired', {
  comment: 'the first millisecond after the expiry day, UTC',
  envelope: smallEnv,
  now: '2025-07-15T00:00:00.000Z',
  seed: rootSeed,
  payload: smallPayload,
});
kr('rollback', 'keyring version rollback', {
  comment: 'version 7 after version 8 was seen',
  envelope: smallEnv,
  now: NOW,
  minVersion: 8,
  seed: rootSeed,
  payload: smallPayload,
});
kr('rollback-and-expired', 'keyring version rollback', {
  comment: 'both old and expired: the version is checked before the date',
  envelope: smallEnv,
  now: '2027-01-01T00:00:00.000Z',
  minVersion: 8,
  seed: rootSeed,
  payload: smallPayload,
});
{
  const other = seed('not the root');
  kr('wrong-signer', 'invalid signature', {
    comment: 'a well-formed keyring validly signed by a key that is not the pinned root key',
    envelope: signKeyring(small, other),
    now: NOW,
    seed: other,
    payload: smallPayload,
  });
}
{
  const tampered = encodeKeyring({ ...small, version: 70 });
  kr('tampered-payload', 'invalid signature', {
    comment: 'version changed from 7 to 70 after signing',
    envelope: { ...smallEnv, payload: base64Padded(tampered) },
    now: NOW,
    payload: tampered,
  });
  const swapped = encodeKeyring({ ...small, coordinators: [{ ...c1, recipient: new HybridIdentity(seed('attacker hybrid')).recipient().toString() }] });
  kr('tampered-recipient', 'invalid signature', {
    comment: 'a seized server swaps a coordinator\'s recipient for its own',
    envelope: { ...smallEnv, payload: base64Padded(swapped) },
    now: NOW,
    payload: swapped,
  });
}
kr('tampered-signature', 'invalid signature', {
  comment: 'one bit of the signature flipped',
  envelope: { ...smallEnv, signature: flip(smallEnv.signature, 0, 0) },
  now: NOW,
});
{
  const asWarning = signDocument('warning', smallPayload, rootSeed);
  kr('warning-label', 'invalid signature', {
    comment: 'the keyring payload signed by the root key under the warning label, relabelled as keyring',
    envelope: { ...asWarning, kind: 'keyring' },
    now: NOW,
    payload: smallPayload,
  });
  kr('kind-warning', 'invalid keyring', {
    comment: 'a valid root signature, but on a warning document',
    envelope: asWarning,
    now: NOW,
    seed: rootSeed,
    payload: smallPayload,
  });
}
kr('bad-envelope', 'invalid keyring', {
  comment: 'an envelope with an extra key',
  envelope: { ...smallEnv, extra: true },
  now: NOW,
});

/** A payload signed by the root key that breaks one keyring rule. */
function badPayload(name: string, comment: string, payload: Uint8Array | string, detail: string): void {
  const p = typeof payload === 'string' ? utf8(payload) : payload;
  let text: string | undefined;
  try {
    text = bytes.fromUtf8(p);
  } catch {
    text = undefined;
  }
  kr(name, 'invalid keyring', { comment, envelope: signDocument('keyring', p, rootSeed), now: NOW, seed: rootSeed, payload: text, detail });
}
const json = (k: unknown): string => JSON.stringify(k);

badPayload('x25519-recipient', 'a coordinator with an X25519 (not post-quantum) recipient', json({ ...small, coordinators: [{ ...c1, recipient: new X25519Identity(seed('x25519')).recipient().toString() }] }), 'X25519');
badPayload('uppercase-recipient', 'the recipient in upper case (valid Bech32, not the canonical form)', json({ ...small, coordinators: [{ ...c1, recipient: c1.recipient.toUpperCase() }] }), 'recipient');
badPayload('duplicate-id', 'two coordinators with the same id (ignoring case)', json({ ...keyring, coordinators: [keyring.coordinators[0], { ...keyring.coordinators[1]!, id: 'C1' }] }), 'duplicate coordinator id');
badPayload('duplicate-signing-key', 'two coordinators with the same signing key', json({ ...keyring, coordinators: [keyring.coordinators[0], { ...keyring.coordinators[1]!, signingKey: c1.signingKey }] }), 'duplicate signing key');
badPayload('duplicate-recipient', 'two coordinators with the same recipient', json({ ...keyring, coordinators: [keyring.coordinators[0], { ...keyring.coordinators[1]!, recipient: c1.recipient }] }), 'duplicate recipient');
badPayload('root-as-coordinator', 'the root key listed as a coordinator signing key', json({ ...small, coordinators: [{ ...c1, signingKey: rootPub }] }), 'root key');
badPayload('no-coordinators', 'an empty coordinator list', json({ ...small, coordinators: [] }), 'coordinators');
badPayload('empty-roles', 'a coordinator without roles', json({ ...small, coordinators: [{ ...c1, roles: [] }] }), 'role');
badPayload('unknown-role', 'a role that does not exist', json({ ...small, coordinators: [{ ...c1, roles: ['reports', 'superuser'] }] }), 'roles');
badPayload('duplicate-role', 'a role listed twice', json({ ...small, coordinators: [{ ...c1, roles: ['reports', 'reports'] }] }), 'duplicate role');
badPayload('extra-field', 'an unknown top-level field', json({ ...small, note: 'x' }), 'note');
badPayload('extra-coordinator-field', 'an unknown coordinator field', json({ ...small, coordinators: [{ ...c1, phone: '07700900000' }] }), 'phone');
badPayload('missing-expires', 'no expiry date', json({ version: 7, issued: small.issued, coordinators: small.coordinators }), 'expires');
badPayload('valid-181-days', 'expires 181 days after issued: one day more than the cap', json({ ...small, expires: '2025-07-15' }), 'more than 180 days after issued');
badPayload('issued-after-expires', 'issued after it expires', json({ ...small, issued: '2026-01-15' }), 'expires is before issued');
badPayload('impossible-date', '29 February in a year that is not a leap year', json({ ...small, issued: '2025-02-29' }), 'issued');
badPayload('datetime', 'a date with a time', json({ ...small, expires: '2026-01-14T00:00:00Z' }), 'expires');
badPayload('version-zero', 'version 0', json({ ...small, version: 0 }), 'version');
badPayload('version-fraction', 'version 7.5', json({ ...small, version: 7.5 }), 'version');
badPayload('version-string', 'version as a string', json({ ...small, version: '7' }), 'version');
badPayload('bidi-name', 'a display name with a right-to-left override', json({ ...small, coordinators: [{ ...c1, name: 'Sam \u202eevil' }] }), 'name');
badPayload('bad-id', 'an id with a slash', json({ ...small, coordinators: [{ ...c1, id: 'c/1' }] }), 'id');
badPayload('signing-key-31-bytes', 'a 31-byte signing key', json({ ...small, coordinators: [{ ...c1, signingKey: base64Padded(new Uint8Array(31)) }] }), 'signingKey');
badPayload('whitespace-json', 'valid JSON with insignificant white space: not canonical', JSON.stringify(small, null, 1).replace(/\n/g, ' '), 'canonical');
badPayload('duplicate-json-key', 'a JSON key twice: parsers disagree about which one counts', bytes.fromUtf8(encodeKeyring(small)).replace('{"version":7,', '{"version":7,"version":9,'), 'canonical');
badPayload('invalid-utf8', 'a payload that is not UTF-8', bytes.concat(utf8('{"version":7,"issued":"'), new Uint8Array([0xff]), utf8('"}')), 'UTF-8');
badPayload('byte-order-mark', 'canonical JSON after a UTF-8 byte order mark', bytes.concat(new Uint8Array([0xef, 0xbb, 0xbf]), encodeKeyring(small)), 'UTF-8');
badPayload('array', 'a JSON array', json([small]), 'expected object');

// ---------------------------------------------------------------- request signatures

const reqSeed = seed('coordinator 1 signing');
const mailboxSeed = seed('mailbox signing');
const TS = 1748779200; // 2025-06-01T12:00:00Z

interface Req {
  scope: 'coordinator' | 'mailbox';
  method: string;
  path: string;
  body: Uint8Array;
  timestamp: number;
}

function req(name: string, expect: string, opts: { comment: string; verify: Req; now: number; window?: number; headers: Record<string, string>; seed?: Uint8Array; message?: Uint8Array }): void {
  write(`request-${name}`, expect, [
    ['comment', opts.comment],
    ['scope', opts.verify.scope],
    ['signing seed', opts.seed ? toHex(opts.seed) : undefined],
    ['method', opts.verify.method],
    ['path', opts.verify.path],
    ['body hex', toHex(opts.verify.body)],
    ['now', opts.now],
    ['window', opts.window],
    ...Object.entries(opts.headers).map(([k, v]): Line => [`header ${k}`, v]),
    ['signed message', opts.message ? toHex(opts.message) : undefined],
  ]);
}

const post: Req = { scope: 'coordinator', method: 'POST', path: '/api/coordinator/replies?case=42', body: utf8('{"message":"YWdlLWVuY3J5cHRpb24ub3JnL3Yx"}'), timestamp: TS };
const postHeaders = signRequest(post.scope, post, reqSeed);
const get: Req = { scope: 'mailbox', method: 'GET', path: '/api/mailboxes/3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?since=0', body: new Uint8Array(0), timestamp: TS };
const getHeaders = signRequest(get.scope, get, mailboxSeed);
const msg = (r: Req): Uint8Array => requestMessage(r.scope, r.method, r.path, r.timestamp, r.body);

req('valid-post', 'success', { comment: 'a coordinator POST with a JSON body', verify: post, now: TS + 3, headers: postHeaders, seed: reqSeed, message: msg(post) });
req('valid-get', 'success', { comment: 'a mailbox GET with an empty body and a query', verify: get, now: TS, headers: getHeaders, seed: mailboxSeed, message: msg(get) });
req('window-late-edge', 'success', { comment: 'received exactly 120 s after signing', verify: post, now: TS + 120, headers: postHeaders, seed: reqSeed });
req('window-early-edge', 'success', { comment: 'received 120 s before the signing time (client clock ahead)', verify: post, now: TS - 120, headers: postHeaders, seed: reqSeed });
req('stale', 'stale request', { comment: 'received 121 s after signing', verify: post, now: TS + 121, headers: postHeaders, seed: reqSeed });
req('future', 'stale request', { comment: 'received 121 s before the signing time', verify: post, now: TS - 121, headers: postHeaders, seed: reqSeed });
req('custom-window', 'stale request', { comment: 'a 30 s window, received 31 s late', verify: post, now: TS + 31, window: 30, headers: postHeaders, seed: reqSeed });
req('tampered-path', 'invalid signature', { comment: 'a different path', verify: { ...post, path: '/api/coordinator/members?case=42' }, now: TS, headers: postHeaders });
req('tampered-query', 'invalid signature', { comment: 'the same path, another query', verify: { ...post, path: '/api/coordinator/replies?case=43' }, now: TS, headers: postHeaders });
req('dropped-query', 'invalid signature', { comment: 'the query removed', verify: { ...post, path: '/api/coordinator/replies' }, now: TS, headers: postHeaders });
req('tampered-method', 'invalid signature', { comment: 'PUT instead of POST', verify: { ...post, method: 'PUT' }, now: TS, headers: postHeaders });
req('tampered-body', 'invalid signature', { comment: 'one byte of the body changed', verify: { ...post, body: utf8('{"message":"YWdlLWVuY3J5cHRpb24ub3JnL3Yy"}') }, now: TS, headers: postHeaders });
req('empty-body', 'invalid signature', { comment: 'the body dropped', verify: { ...post, body: new Uint8Array(0) }, now: TS, headers: postHeaders });
req('tampered-timestamp', 'invalid signature', { comment: 'the timestamp header moved by one second, within the window', verify: post, now: TS, headers: { ...postHeaders, 'tipline-timestamp': String(TS + 1) } });
req('wrong-scope', 'invalid signature', { comment: 'a mailbox signature presented to a coordinator route', verify: { ...get, scope: 'coordinator' }, now: TS, headers: getHeaders });
req('other-key', 'invalid signature', { comment: 'the key header replaced by another key', verify: post, now: TS, headers: { ...postHeaders, 'tipline-key': pub(mailboxSeed) } });
req('missing-signature', 'missing signature', { comment: 'no tipline-signature header', verify: post, now: TS, headers: { 'tipline-key': postHeaders['tipline-key']!, 'tipline-timestamp': postHeaders['tipline-timestamp']! } });
req('missing-key', 'missing signature', { comment: 'no tipline-key header', verify: post, now: TS, headers: { 'tipline-timestamp': postHeaders['tipline-timestamp']!, 'tipline-signature': postHeaders['tipline-signature']! } });
req('missing-timestamp', 'missing signature', { comment: 'no tipline-timestamp header', verify: post, now: TS, headers: { 'tipline-key': postHeaders['tipline-key']!, 'tipline-signature': postHeaders['tipline-signature']! } });
req('timestamp-leading-zero', 'invalid signature', { comment: 'the timestamp written with a leading zero', verify: post, now: TS, headers: { ...postHeaders, 'tipline-timestamp': `0${TS}` } });
req('timestamp-fraction', 'invalid signature', { comment: 'a fractional timestamp', verify: post, now: TS, headers: { ...postHeaders, 'tipline-timestamp': `${TS}.0` } });
req('signature-unpadded', 'invalid signature', { comment: 'the signature header without base64 padding', verify: post, now: TS, headers: { ...postHeaders, 'tipline-signature': postHeaders['tipline-signature']!.replace(/=+$/, '') } });
req('small-order-key', 'invalid signature', {
  comment: 'a small-order (identity point) key with a signature that fits any message',
  verify: post,
  now: TS,
  headers: { 'tipline-key': base64Padded(smallOrderKey), 'tipline-timestamp': String(TS), 'tipline-signature': base64Padded(universalSignature) },
});
req('path-with-space', 'invalid signature', { comment: 'a path that is not a visible-ASCII request target', verify: { ...post, path: '/api/coordinator/replies?case=42 x' }, now: TS, headers: postHeaders });

// ---------------------------------------------------------------- proof of work

function hashOf(stamp: string): Uint8Array {
  return sha256(utf8(stamp));
}
function firstNonce(challenge: string, pred: (zeros: number) => boolean): number {
  for (let n = 0; ; n++) if (pred(leadingZeroBits(hashOf(`${challenge}:${n}`)))) return n;
}
function pow(name: string, expect: string, opts: { comment: string; stamp: string; difficulty: number; challenge?: string }): void {
  write(`pow-${name}`, expect, [
    ['comment', opts.comment],
    ['difficulty', opts.difficulty],
    ['challenge', opts.challenge],
    ['stamp', opts.stamp],
    ['sha256', toHex(hashOf(opts.stamp))],
  ]);
}
const challenge = base64Padded(sha256(utf8('tipline/v1 test challenge'))).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
{
  const n8 = firstNonce(challenge, (z) => z >= 8);
  pow('difficulty-8', 'success', { comment: 'the smallest nonce from 0 with at least 8 leading zero bits; solvePow finds exactly this stamp', stamp: `${challenge}:${n8}`, difficulty: 8, challenge });
  const n12 = firstNonce(challenge, (z) => z >= 12);
  pow('difficulty-12', 'success', { comment: 'the smallest nonce from 0 with at least 12 leading zero bits', stamp: `${challenge}:${n12}`, difficulty: 12, challenge });
  pow('difficulty-0', 'success', { comment: 'difficulty 0 accepts any well-formed stamp', stamp: `${challenge}:0`, difficulty: 0, challenge });
  const n7 = firstNonce(challenge, (z) => z === 7);
  pow('insufficient', 'insufficient work', { comment: 'exactly 7 leading zero bits at difficulty 8', stamp: `${challenge}:${n7}`, difficulty: 8 });
  pow('off-by-one-nonce', 'insufficient work', { comment: 'the difficulty-8 nonce plus one', stamp: `${challenge}:${n8 + 1}`, difficulty: 8 });
}
{
  const short = 'AAAAAAAAAAAAAAAA'; // 16 characters, canonical
  const n = firstNonce(short, (z) => z >= 8);
  pow('shortest-challenge', 'success', { comment: 'a 16-character challenge', stamp: `${short}:${n}`, difficulty: 8, challenge: short });
}
pow('nonce-leading-zero', 'invalid stamp', { comment: 'the nonce 07 (leading zero): one stamp, one spelling', stamp: `${challenge}:07`, difficulty: 0 });
pow('nonce-17-digits', 'invalid stamp', { comment: 'a nonce of 17 digits', stamp: `${challenge}:12345678901234567`, difficulty: 0 });
pow('nonce-negative', 'invalid stamp', { comment: 'a negative nonce', stamp: `${challenge}:-1`, difficulty: 0 });
pow('nonce-empty', 'invalid stamp', { comment: 'no nonce', stamp: `${challenge}:`, difficulty: 0 });
pow('nonce-plus', 'invalid stamp', { comment: 'a nonce with a plus sign', stamp: `${challenge}:+1`, difficulty: 0 });
pow('two-colons', 'invalid stamp', { comment: 'two separators', stamp: `${challenge}:1:2`, difficulty: 0 });
pow('challenge-15', 'invalid stamp', { comment: 'a 15-character challenge', stamp: 'AAAAAAAAAAAAAAA:1', difficulty: 0 });
pow('challenge-201', 'invalid stamp', { comment: 'a 201-character challenge', stamp: `${'A'.repeat(201)}:1`, difficulty: 0 });
pow('challenge-plus', 'invalid stamp', { comment: 'a challenge with + (standard, not URL-safe, base64)', stamp: `${challenge.slice(0, -2)}+A:1`, difficulty: 0 });
pow('challenge-padding', 'invalid stamp', { comment: 'a challenge with = padding', stamp: `${challenge}=:1`, difficulty: 0 });
pow('challenge-noncanonical', 'invalid stamp', { comment: 'a 43-character challenge whose last character has an unused bit set', stamp: `${'A'.repeat(42)}B:1`, difficulty: 0 });
pow('challenge-length-mod-4-is-1', 'invalid stamp', { comment: 'a 17-character challenge cannot be base64url', stamp: `${'A'.repeat(17)}:1`, difficulty: 0 });
pow('too-long', 'invalid stamp', { comment: 'a stamp over 300 characters', stamp: `${'A'.repeat(300)}:1`, difficulty: 0 });

// ---------------------------------------------------------------- write

for (const f of readdirSync(DIR)) {
  if (/^(document|keyring|request|pow)-/.test(f)) unlinkSync(join(DIR, f));
}
for (const [name, text] of files) writeFileSync(join(DIR, name), text);
console.log(`wrote ${files.size} vectors to ${DIR}`);
