/**
 * Writes the Ed25519 edge-case vectors beside this file (crypto/SPEC.md §Ed25519
 * verification rule): the cases of "Taming the many EdDSAs" (Chalkias, Garillot, Nikolaenko,
 * CT-RSA 2020) — small-order and mixed-order A and R, S not reduced, non-canonical R and A —
 * derived here from scratch. Run: `npx tsx tests/vectors/ed25519/generate.ts`.
 *
 * The curve arithmetic below is this file's own (BigInt, RFC 8032 formulas) and SHA-512 comes
 * from node:crypto, so the vectors do not depend on either backend under test. Every scalar
 * is fixed (SHA-512 of a name) and messages are found by counting, so a second run writes
 * identical bytes. The files are committed; tests read them and never run this script.
 */
import { createHash } from 'node:crypto';
import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = import.meta.dirname;

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a: bigint, m = P): bigint => ((a % m) + m) % m;
function pow(b: bigint, e: bigint, m = P): bigint {
  let r = 1n;
  b = mod(b, m);
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
const inv = (a: bigint): bigint => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

/** Extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z. */
type Pt = readonly [bigint, bigint, bigint, bigint];
const O: Pt = [0n, 1n, 1n, 0n];

function add([X1, Y1, Z1, T1]: Pt, [X2, Y2, Z2, T2]: Pt): Pt {
  // RFC 8032 §5.1.4 (complete for a = -1).
  const A = mod((Y1 - X1) * (Y2 - X2));
  const B = mod((Y1 + X1) * (Y2 + X2));
  const C = mod(T1 * 2n * D * T2);
  const Dd = mod(Z1 * 2n * Z2);
  const E = B - A;
  const F = Dd - C;
  const G = Dd + C;
  const H = B + A;
  return [mod(E * F), mod(G * H), mod(F * G), mod(E * H)];
}
const neg = ([X, Y, Z, T]: Pt): Pt => [mod(-X), Y, Z, mod(-T)];
function mul(n: bigint, p: Pt): Pt {
  let r = O;
  for (let q = p; n > 0n; n >>= 1n, q = add(q, q)) if (n & 1n) r = add(r, q);
  return r;
}
function affine([X, Y, Z]: Pt): [bigint, bigint] {
  const zi = inv(Z);
  return [mod(X * zi), mod(Y * zi)];
}
const eq = (a: Pt, b: Pt): boolean => {
  const [x1, y1] = affine(a);
  const [x2, y2] = affine(b);
  return x1 === x2 && y1 === y2;
};
const isO = (p: Pt): boolean => eq(p, O);

function le(n: bigint, len = 32): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++, n >>= 8n) out[i] = Number(n & 255n);
  if (n !== 0n) throw new Error('does not fit');
  return out;
}
function fromLe(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/** The canonical encoding (RFC 8032 §5.1.2). */
function encode(p: Pt): Uint8Array {
  const [x, y] = affine(p);
  return le(y | ((x & 1n) << 255n));
}
/** An encoding with y written as `y + P` (only possible for y < 19) and a chosen sign bit. */
function encodeRaw(yValue: bigint, sign: 0n | 1n): Uint8Array {
  return le(yValue | (sign << 255n));
}
/** Lenient decoding (y taken mod P, a sign bit on x = 0 ignored); undefined when not on the curve. */
function decode(b: Uint8Array): Pt | undefined {
  const n = fromLe(b);
  const y = mod(n & (2n ** 255n - 1n));
  const sign = n >> 255n;
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  let x = mod(u * v ** 3n * pow(u * v ** 7n, (P - 5n) / 8n));
  if (mod(v * x * x) !== u) {
    if (mod(v * x * x) !== mod(-u)) return undefined;
    x = mod(x * SQRT_M1);
  }
  if ((x & 1n) !== sign && x !== 0n) x = mod(-x);
  return [x, y, 1n, mod(x * y)];
}

const BY = mod(4n * inv(5n));
const B = decode(le(BY))!;

const sha512 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const scalar = (name: string): bigint => mod(fromLe(sha512(new TextEncoder().encode(`tipline/v1 ed25519 vector scalar: ${name}`))), L);
const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array): bigint => mod(fromLe(sha512(r, a, m)), L);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const cat = (...p: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(p));

/** Order of a point of the torsion subgroup, or 'prime'/'mixed' for others. */
function orderClass(p: Pt): string {
  if (isO(mul(8n, p))) return 'small';
  return isO(mul(L, p)) ? 'prime (L)' : 'mixed';
}

// A generator of the 8-torsion: [L]Q for the first y = 2, 3, ... that gives a point of order 8.
let T: Pt | undefined;
for (let y = 2n; !T; y++) {
  const q = decode(le(y));
  if (!q) continue;
  const t = mul(L, q);
  if (!isO(mul(4n, t))) T = t;
}
const TORSION = Array.from({ length: 8 }, (_, j) => mul(BigInt(j), T));

/** How the two verification equations come out, with k over the bytes as given and points decoded leniently. */
function equations(a: Uint8Array, m: Uint8Array, sig: Uint8Array): { cofactorless: string; cofactored: string } {
  const A = decode(a);
  const R = decode(sig.subarray(0, 32));
  if (!A || !R) return { cofactorless: 'not applicable (a point does not decode)', cofactored: 'not applicable (a point does not decode)' };
  const s = fromLe(sig.subarray(32));
  const k = challenge(sig.subarray(0, 32), a, m);
  const diff = add(mul(s, B), neg(add(R, mul(k, A))));
  return { cofactorless: isO(diff) ? 'holds' : 'fails', cofactored: isO(mul(8n, diff)) ? 'holds' : 'fails' };
}

const files = new Map<string, string>();
function write(
  name: string,
  expect: 'valid' | 'invalid',
  comment: string,
  a: Uint8Array,
  m: Uint8Array,
  sig: Uint8Array,
  orders: { a: string; r: string },
): void {
  const s = fromLe(sig.subarray(32));
  const { cofactorless, cofactored } = equations(a, m, sig);
  const lines: [string, string][] = [
    ['comment', comment],
    ['public key', hex(a)],
    ['message', hex(m)],
    ['signature', hex(sig)],
    ['a order', orders.a],
    ['r order', orders.r],
    ['s', s < L ? 'below L' : s < 2n ** 253n ? 'at least L' : 'at least 2^253'],
    ['cofactorless', cofactorless],
    ['cofactored', cofactored],
  ];
  files.set(name, `expect: ${expect}\n` + lines.map(([k, v]) => `${k}: ${v}\n`).join(''));
}

/** The first message `label/i` for which `ok(k, m)` holds, with its k. */
function findMessage(label: string, rBytes: Uint8Array, aBytes: Uint8Array, ok: (k: bigint) => boolean): { m: Uint8Array; k: bigint } {
  for (let i = 0; i < 10_000; i++) {
    const m = new TextEncoder().encode(`tipline ed25519 vector ${label} #${i}`);
    const k = challenge(rBytes, aBytes, m);
    if (ok(k)) return { m, k };
  }
  throw new Error(`no message for ${label}`);
}

const a = scalar('a');
const r = scalar('r');
const Aprime = mul(a, B);
const Amixed = add(Aprime, T);
const Rprime = mul(r, B);

// 00: small A and small R, S = 0: [k]A + R = O.
{
  const A = T;
  const R = TORSION[3]!;
  const { m } = findMessage('00', encode(R), encode(A), (k) => isO(add(R, mul(k, A))));
  write('00-small-a-small-r-s-zero', 'invalid', 'A and R of order 8 and S = 0: both equations hold for this message, refused for the small-order A and R', encode(A), m, cat(encode(R), le(0n)), { a: 'small (8)', r: 'small (8)' });
}
// 01: small A, mixed R = [r]B + [j]T, S = r: holds when [j]T + [k]A = O.
{
  const A = T;
  const R = add(Rprime, TORSION[5]!);
  const { m } = findMessage('01', encode(R), encode(A), (k) => isO(add(TORSION[5]!, mul(k, A))));
  write('01-small-a-mixed-r', 'invalid', 'A of order 8, R mixed order: both equations hold, refused for the small-order A', encode(A), m, cat(encode(R), le(r)), { a: 'small (8)', r: 'mixed' });
}
// 02: mixed A = [a]B + T, small R = [j]T, S = k·a: holds when ([j] + [k])T = O.
{
  const R = TORSION[2]!;
  const { m, k } = findMessage('02', encode(R), encode(Amixed), (k) => isO(add(R, mul(k, T))));
  write('02-mixed-a-small-r', 'invalid', 'A mixed order, R of order 4: both equations hold, refused for the small-order R', encode(Amixed), m, cat(encode(R), le(mod(k * a, L))), { a: 'mixed', r: 'small (4)' });
}
// 03: mixed A, mixed R = [r]B + [j]T, S = r + k·a: both hold when ([j] + [k])T = O. Accepted.
{
  const R = add(Rprime, TORSION[6]!);
  const { m, k } = findMessage('03', encode(R), encode(Amixed), (k) => isO(add(TORSION[6]!, mul(k, T))));
  write('03-mixed-a-mixed-r-both-hold', 'valid', 'A and R of mixed order and the cofactorless equation holds: accepted (mixed order alone is not refused)', encode(Amixed), m, cat(encode(R), le(mod(r + k * a, L))), { a: 'mixed', r: 'mixed' });
}
// 04: the same construction where ([j] + [k])T != O: only the cofactored equation holds.
{
  const R = add(Rprime, TORSION[6]!);
  const { m, k } = findMessage('04', encode(R), encode(Amixed), (k) => !isO(add(TORSION[6]!, mul(k, T))));
  write('04-mixed-a-mixed-r-cofactored-only', 'invalid', 'A and R of mixed order, only the cofactored equation holds: refused (cofactorless rule)', encode(Amixed), m, cat(encode(R), le(mod(r + k * a, L))), { a: 'mixed', r: 'mixed' });
}
// 05: mixed A, prime-order R, S = r + k·a with [k]T != O: only the cofactored equation holds.
{
  const { m, k } = findMessage('05', encode(Rprime), encode(Amixed), (k) => !isO(mul(k, T)));
  write('05-mixed-a-prime-r-cofactored-only', 'invalid', 'A mixed order, R of prime order, only the cofactored equation holds: refused', encode(Amixed), m, cat(encode(Rprime), le(mod(r + k * a, L))), { a: 'mixed', r: 'prime (L)' });
}
// 06: prime A, mixed R = [r]B + T, S = r + k·a: the cofactorless equation never holds.
{
  const R = add(Rprime, T);
  const { m, k } = findMessage('06', encode(R), encode(Aprime), () => true);
  write('06-prime-a-mixed-r-cofactored-only', 'invalid', 'an honest key and a signature whose R has an order-8 component added: only the cofactored equation holds, refused', encode(Aprime), m, cat(encode(R), le(mod(r + k * a, L))), { a: 'prime (L)', r: 'mixed' });
}
// 07, 08: a valid signature by an honest key with S replaced by S + L, and by S + n·L >= 2^253.
// 13: the valid signature itself.
{
  const m = new TextEncoder().encode('tipline ed25519 vector: a valid signature');
  const k = challenge(encode(Rprime), encode(Aprime), m);
  const s = mod(r + k * a, L);
  const orders = { a: 'prime (L)', r: 'prime (L)' };
  write('07-s-plus-l', 'invalid', 'a valid signature with S + L in place of S (below 2^253): refused, S must be below L', encode(Aprime), m, cat(encode(Rprime), le(s + L)), orders);
  let big = s;
  while (big + L < 2n ** 256n) big += L;
  write('08-s-above-2-253', 'invalid', 'a valid signature with S + n·L in place of S, the largest that fits in 32 bytes (top bits set): refused', encode(Aprime), m, cat(encode(Rprime), le(big)), orders);
  write('13-valid', 'valid', 'an honest key, a signature made with it (S = r + k·a mod L)', encode(Aprime), m, cat(encode(Rprime), le(s)), orders);
  // 14: R replaced by a y that is not on the curve; 15: A likewise.
  let bad = 2n;
  while (decode(le(bad))) bad++;
  write('14-r-not-on-curve', 'invalid', `R is y = ${bad}, which is not the y of any curve point`, encode(Aprime), m, cat(le(bad), le(s)), { a: 'prime (L)', r: 'not a point' });
  write('15-a-not-on-curve', 'invalid', `A is y = ${bad}, which is not the y of any curve point`, le(bad), m, cat(encode(Rprime), le(s)), { a: 'not a point', r: 'prime (L)' });
}
// 09: R the identity written non-canonically as y = P + 1; A mixed, S = k·a with [k]T = O,
// k over the bytes as given: a verifier that decodes leniently and hashes the given bytes accepts.
{
  const Rnc = encodeRaw(P + 1n, 0n);
  const { m, k } = findMessage('09', Rnc, encode(Amixed), (k) => isO(mul(k, T)));
  write('09-noncanonical-r-given-bytes', 'invalid', 'R is the identity written as y = p + 1 (not canonical); the equations hold with k over the bytes as given: refused', encode(Amixed), m, cat(Rnc, le(mod(k * a, L))), { a: 'mixed', r: 'small (1), non-canonical' });
}
// 10: the same R, but S made with k over the canonical re-encoding of R (0x01 00...00): a
// verifier that re-encodes R before hashing accepts.
{
  const Rnc = encodeRaw(P + 1n, 0n);
  const { m, k } = findMessage('10', encode(O), encode(Amixed), (k) => isO(mul(k, T)));
  write('10-noncanonical-r-reencoded', 'invalid', 'R is the identity written as y = p + 1; S fits k over the re-encoded R (y = 1), which a lenient verifier that re-encodes would accept: refused', encode(Amixed), m, cat(Rnc, le(mod(k * a, L))), { a: 'mixed', r: 'small (1), non-canonical' });
}
// 11: A the identity written as y = P + 1; with A = O, [S]B = R for any message when S = r.
{
  const Anc = encodeRaw(P + 1n, 0n);
  const m = new TextEncoder().encode('tipline ed25519 vector 11: any message');
  write('11-noncanonical-a-identity', 'invalid', 'A is the identity written as y = p + 1: the "signature" (R = [r]B, S = r) fits every message; refused', Anc, m, cat(encode(Rprime), le(r)), { a: 'small (1), non-canonical', r: 'prime (L)' });
}
// 12: A the identity written with x = 0 and the sign bit set ("negative zero").
{
  const Anz = encodeRaw(1n, 1n);
  const m = new TextEncoder().encode('tipline ed25519 vector 12: any message');
  write('12-negative-zero-a', 'invalid', 'A is the identity with the sign bit set on x = 0 (not canonical): fits every message; refused', Anz, m, cat(encode(Rprime), le(r)), { a: 'small (1), non-canonical', r: 'prime (L)' });
}

// Sanity: the orders written are the orders computed.
for (const [name, text] of files) {
  const get = (k: string) => new RegExp(`^${k}: (.*)$`, 'm').exec(text)![1]!;
  for (const [field, enc] of [
    ['a order', get('public key')],
    ['r order', get('signature').slice(0, 64)],
  ] as const) {
    const p = decode(Buffer.from(enc, 'hex'));
    const want = get(field);
    const cls = p ? orderClass(p) : 'not a point';
    if (!want.startsWith(cls === 'prime (L)' ? 'prime' : cls)) throw new Error(`${name}: ${field} is ${cls}, written ${want}`);
  }
}

for (const f of readdirSync(DIR)) if (/^[0-9]{2}-/.test(f)) unlinkSync(join(DIR, f));
for (const [name, text] of files) writeFileSync(join(DIR, name), text);
console.log(`wrote ${files.size} vectors`);
