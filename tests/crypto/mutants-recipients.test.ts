/**
 * The recipient types' stanza checks (crypto/x25519.ts, crypto/hybrid.ts, crypto/xwing.ts),
 * Bech32 key encoding (crypto/bech32.ts) and the ASCII armor (crypto/armor.ts): one
 * malformed input per refusal with its exact detail or message. The CCTV vectors check only
 * the error class; these pin which check fired. Written for the mutation run
 * (`npm run mutate -- crypto/x25519.ts crypto/hybrid.ts ...`).
 */
import { bech32 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import {
  AgeError,
  HybridIdentity,
  HybridRecipient,
  X25519Identity,
  X25519Recipient,
  armor,
  bytes,
  dearmor,
  decrypt,
  encrypt,
  isArmored,
  type Stanza,
} from '../../crypto/index.js';
import { decodeBech32, encodeBech32 } from '../../crypto/bech32.js';
import { XWING_ENC_SIZE, xwingDecapsulate, xwingEncapsulate, xwingExpand } from '../../crypto/xwing.js';
import { openBase, sealBase } from '../../crypto/hpke.js';

async function detail(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof AgeError)) throw new Error(`expected an AgeError, got ${String(e)}`);
  return `${e.kind}: ${e.detail}`;
}

function syncDetail(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (!(e instanceof AgeError)) throw e;
    return `${e.kind}: ${e.detail}`;
  }
  throw new Error('not refused');
}

const b64 = bytes.base64Raw;
const st = (args: string[], body: Uint8Array = new Uint8Array(32)): Stanza => ({ args, body });

describe('X25519 stanzas', () => {
  const id = X25519Identity.generate();
  const fileKey = new Uint8Array(16).map((_, i) => 100 + i);

  it('refuses each malformed stanza with its own detail', async () => {
    const share = b64(new Uint8Array(32).fill(9));
    const cases: [Stanza, string][] = [
      [st(['X25519']), 'X25519 stanza needs two arguments'],
      [st(['X25519', share, 'x']), 'X25519 stanza needs two arguments'],
      [st(['X25519', `${share.slice(0, -1)}B`]), 'X25519 share not canonical base64'],
      [st(['X25519', b64(new Uint8Array(31).fill(9))]), 'X25519 share must be 32 bytes'],
      [st(['X25519', b64(new Uint8Array(33).fill(9))]), 'X25519 share must be 32 bytes'],
      [st(['X25519', share], new Uint8Array(31)), 'X25519 body must be 32 bytes'],
      [st(['X25519', share], new Uint8Array(33)), 'X25519 body must be 32 bytes'],
      [st(['X25519', b64(new Uint8Array(32))]), 'X25519 share is a low-order point'],
    ];
    for (const [s, want] of cases) expect(await detail(id.unwrap([s])), JSON.stringify(s.args)).toBe(`header: ${want}`);
  });

  it('skips other types and stanzas for someone else, and opens its own wherever it is', async () => {
    const [mine] = await id.recipient().wrap(fileKey);
    const [theirs] = await X25519Identity.generate().recipient().wrap(fileKey);
    expect(mine!.args[0]).toBe('X25519');
    expect(mine!.args).toHaveLength(2);
    expect(bytes.fromBase64Raw(mine!.args[1]!)).toHaveLength(32);
    expect(mine!.body).toHaveLength(32);
    expect(await id.unwrap([st(['other', 'x']), theirs!, mine!])).toEqual(fileKey);
    expect(await id.unwrap([theirs!])).toBeUndefined();
    expect(await id.unwrap([st(['x25519', mine!.args[1]!], mine!.body)])).toBeUndefined();
    expect(await id.unwrap([])).toBeUndefined();
  });

  it('draws a fresh ephemeral share per wrap', async () => {
    const [a] = await id.recipient().wrap(fileKey);
    const [b] = await id.recipient().wrap(fileKey);
    expect(a!.args[1]).not.toBe(b!.args[1]);
  });

  it('keys must be 32 bytes; parse refuses anything else with one message; the identity keeps its own copy', () => {
    expect(() => new X25519Recipient(new Uint8Array(31))).toThrow('invalid recipient');
    expect(() => new X25519Recipient(new Uint8Array(33))).toThrow('invalid recipient');
    expect(() => new X25519Identity(new Uint8Array(31))).toThrow('invalid identity');
    expect(() => X25519Recipient.parse('age1x')).toThrow('invalid recipient');
    expect(() => X25519Recipient.parse(id.toString())).toThrow('invalid recipient');
    expect(() => X25519Identity.parse(id.recipient().toString())).toThrow('invalid identity');
    expect(() => X25519Identity.parse('AGE-SECRET-KEY-1')).toThrow('invalid identity');
    const secret = new Uint8Array(32).fill(7);
    const a = new X25519Identity(secret);
    const text = a.toString();
    secret.fill(0);
    expect(a.toString()).toBe(text);
    expect(text).toBe(text.toUpperCase());
    expect(X25519Identity.parse(text).recipient().toString()).toBe(a.recipient().toString());
    expect(a.recipient().toString()).toMatch(/^age1[02-9ac-hj-np-z]{58}$/);
  });
});

describe('mlkem768x25519 stanzas', () => {
  const id = HybridIdentity.generate();
  const fileKey = new Uint8Array(16).map((_, i) => 50 + i);

  it('refuses each malformed stanza with its own detail', async () => {
    const [good] = await id.recipient().wrap(fileKey);
    const enc = good!.args[1]!;
    const encBytes = bytes.fromBase64Raw(enc);
    const lowOrder = encBytes.slice();
    lowOrder.fill(0, XWING_ENC_SIZE - 32);
    const T = 'mlkem768x25519';
    const cases: [Stanza, string][] = [
      [st([T]), 'mlkem768x25519 stanza needs two arguments'],
      [st([T, enc, 'x']), 'mlkem768x25519 stanza needs two arguments'],
      [st([T, `${enc.slice(0, -1)}B`]), 'mlkem768x25519 enc not canonical base64'],
      [st([T, b64(encBytes.subarray(0, XWING_ENC_SIZE - 1))]), 'mlkem768x25519 enc must be 1120 bytes'],
      [st([T, b64(bytes.concat(encBytes, new Uint8Array(1)))]), 'mlkem768x25519 enc must be 1120 bytes'],
      [st([T, enc], new Uint8Array(31)), 'mlkem768x25519 body must be 32 bytes'],
      [st([T, enc], new Uint8Array(33)), 'mlkem768x25519 body must be 32 bytes'],
      [st([T, b64(lowOrder)], good!.body), 'mlkem768x25519 X25519 share is a low-order point'],
    ];
    for (const [s, want] of cases) expect(await detail(id.unwrap([s])), JSON.stringify(s.args.length)).toBe(`header: ${want}`);
  });

  it('skips other types and stanzas for someone else, and opens its own wherever it is', async () => {
    const [mine] = await id.recipient().wrap(fileKey);
    const [theirs] = await HybridIdentity.generate().recipient().wrap(fileKey);
    expect(mine!.args[0]).toBe('mlkem768x25519');
    expect(mine!.args).toHaveLength(2);
    expect(mine!.body).toHaveLength(32);
    expect(await id.unwrap([st(['X25519', 'x']), theirs!, mine!])).toEqual(fileKey);
    expect(await id.unwrap([theirs!])).toBeUndefined();
    const tampered = mine!.body.slice();
    tampered[0]! ^= 1;
    expect(await id.unwrap([{ args: mine!.args, body: tampered }])).toBeUndefined();
  });

  it('keys have their exact sizes; parse refuses anything else with one message; the identity keeps its own copy', () => {
    expect(() => new HybridRecipient(new Uint8Array(1215))).toThrow('invalid recipient');
    expect(() => new HybridIdentity(new Uint8Array(31))).toThrow('invalid identity');
    expect(() => HybridRecipient.parse('age1pq1x')).toThrow('invalid recipient');
    expect(() => HybridRecipient.parse(X25519Identity.generate().recipient().toString())).toThrow('invalid recipient');
    expect(() => HybridIdentity.parse(X25519Identity.generate().toString())).toThrow('invalid identity');
    const seed = new Uint8Array(32).fill(3);
    const a = new HybridIdentity(seed);
    const text = a.toString();
    seed.fill(0);
    expect(a.toString()).toBe(text);
    expect(text.startsWith('AGE-SECRET-KEY-PQ-1')).toBe(true);
    expect(text).toBe(text.toUpperCase());
    const r = a.recipient().toString();
    expect(r.startsWith('age1pq1')).toBe(true);
    expect(HybridIdentity.parse(text).recipient().toString()).toBe(r);
    expect(HybridRecipient.parse(r).publicKey).toEqual(a.publicKey);
    expect(a.publicKey).toHaveLength(1216);
  });
});

describe('X-Wing and HPKE', () => {
  const keys = xwingExpand(new Uint8Array(32).fill(1));

  it('refuses a seed, public key or encapsulation of the wrong size, and a low-order X25519 part', () => {
    expect(() => xwingExpand(new Uint8Array(31))).toThrow('invalid identity');
    expect(() => xwingEncapsulate(keys.publicKey.subarray(1))).toThrow('invalid recipient');
    const lowOrder = keys.publicKey.slice();
    lowOrder.fill(0, 1184);
    expect(() => xwingEncapsulate(lowOrder)).toThrow('invalid recipient');
    const { enc } = xwingEncapsulate(keys.publicKey);
    expect(enc).toHaveLength(1120);
    expect(() => xwingDecapsulate(keys, enc.subarray(1))).toThrow('invalid encapsulation');
    const zeroShare = enc.slice();
    zeroShare.fill(0, 1088);
    expect(() => xwingDecapsulate(keys, zeroShare)).toThrow('invalid X25519 point');
  });

  it('encapsulates deterministically from eseed, to the secret decapsulation finds, and leaves the caller\'s eseed alone', () => {
    const eseed = new Uint8Array(64).map((_, i) => i);
    const a = xwingEncapsulate(keys.publicKey, eseed);
    const b = xwingEncapsulate(keys.publicKey, eseed);
    expect(a).toEqual(b);
    expect(eseed).toEqual(new Uint8Array(64).map((_, i) => i));
    expect(xwingDecapsulate(keys, a.enc)).toEqual(a.sharedSecret);
    const other = xwingEncapsulate(keys.publicKey);
    expect(other.enc).not.toEqual(a.enc);
    expect(xwingDecapsulate(keys, other.enc)).toEqual(other.sharedSecret);
  });

  it('HPKE opens only with the same info and aad', () => {
    const info = bytes.utf8('info');
    const aad = bytes.utf8('aad');
    const { enc, ciphertext } = sealBase(keys.publicKey, info, aad, bytes.utf8('secret'));
    expect(ciphertext).toHaveLength(6 + 16);
    expect(openBase(keys, enc, info, aad, ciphertext)).toEqual(bytes.utf8('secret'));
    expect(() => openBase(keys, enc, bytes.utf8('inf0'), aad, ciphertext)).toThrow();
    expect(() => openBase(keys, enc, info, new Uint8Array(0), ciphertext)).toThrow();
    // The key schedule keeps the last info's context: changing the caller's array in place is another info.
    expect(openBase(keys, enc, info, aad, ciphertext)).toEqual(bytes.utf8('secret'));
    info[3] = 0x30;
    expect(() => openBase(keys, enc, info, aad, ciphertext)).toThrow();
  });
});

describe('Bech32 keys', () => {
  const data = new Uint8Array(32).map((_, i) => i * 7);

  it('round-trips, upper-cases secret keys, and refuses mixed case, another prefix, a bad checksum or bad padding', () => {
    const lower = encodeBech32('age', data);
    expect(lower.startsWith('age1')).toBe(true);
    expect(decodeBech32(lower, 'age')).toEqual(data);
    const upper = encodeBech32('AGE-SECRET-KEY-', data, true);
    expect(upper).toBe(upper.toUpperCase());
    expect(decodeBech32(upper, 'AGE-SECRET-KEY-')).toEqual(data);
    expect(decodeBech32(upper.toLowerCase(), 'AGE-SECRET-KEY-')).toEqual(data);
    expect(decodeBech32(lower.toUpperCase(), 'age')).toEqual(data);
    const mixed = lower.slice(0, 10) + lower.slice(10).toUpperCase();
    expect(() => decodeBech32(mixed, 'age')).toThrow('invalid key encoding');
    expect(() => decodeBech32(lower, 'agf')).toThrow('invalid key encoding');
    expect(() => decodeBech32(lower.slice(0, -1) + (lower.endsWith('q') ? 'p' : 'q'), 'age')).toThrow('invalid key encoding');
    const words = bech32.toWords(data);
    words[words.length - 1]! |= 1; // a set padding bit
    expect(() => decodeBech32(bech32.encode('age', words, false), 'age')).toThrow('invalid key encoding');
    // No length limit (age keys are longer than BIP 173's 90 characters).
    const long = new Uint8Array(1216).fill(5);
    expect(decodeBech32(encodeBech32('age1pq', long), 'age1pq')).toEqual(long);
  });
});

describe('ASCII armor', () => {
  const data = new Uint8Array(80).map((_, i) => i);

  it('writes 64-column lines between the boundaries, LF only', () => {
    const text = armor(data);
    const lines = text.split('\n');
    expect(lines[0]).toBe('-----BEGIN AGE ENCRYPTED FILE-----');
    expect(lines[1]).toHaveLength(64);
    expect(lines[2]).toBe(bytes.base64Padded(data).slice(64));
    expect(lines[3]).toBe('-----END AGE ENCRYPTED FILE-----');
    expect(lines[4]).toBe('');
    expect(lines).toHaveLength(5);
    expect(dearmor(text)).toEqual(data);
    expect(dearmor(bytes.utf8(text))).toEqual(data);
    expect(armor(new Uint8Array(48)).split('\n')).toHaveLength(4);
  });

  it('detects armor after leading whitespace only', () => {
    const text = armor(data);
    for (const ws of ['', ' ', '\t', '\n', '\r\n', ' \t\r\n ']) expect(isArmored(bytes.utf8(ws + text)), JSON.stringify(ws)).toBe(true);
    expect(isArmored(bytes.utf8('x' + text))).toBe(false);
    expect(isArmored(bytes.utf8('-----BEGI'))).toBe(false);
    expect(isArmored(bytes.utf8('-----BEGIN'))).toBe(true);
    expect(isArmored(new Uint8Array(0))).toBe(false);
    expect(isArmored(bytes.utf8('age-encryption.org/v1\n'))).toBe(false);
  });

  it('refuses each malformed armor with its own detail', () => {
    const good = armor(data);
    const [begin, l1, l2, end] = good.split('\n');
    const cases: [string | Uint8Array, string][] = [
      [bytes.concat(bytes.utf8(good), new Uint8Array([0x80])), 'non-ASCII byte'],
      [bytes.concat(bytes.utf8(good), new Uint8Array([0x7f])), 'invalid character'],
      [good.replace(l1!, `${l1!.slice(0, 10)}\u0001${l1!.slice(11)}`), 'invalid character'],
      [good.replace(l1!, `${l1!.slice(0, 10)}\u00e9${l1!.slice(11)}`), 'invalid character'],
      [`${begin}\n${l1}\n${l2}\n`, 'missing armor boundaries'],
      [`${l1}\n${l2}\n${end}\n`, 'missing armor boundaries'],
      [begin!, 'missing armor boundaries'],
      [`${begin}\n${l1!.slice(1)}\n${l2}\n${end}\n`, 'bad armor line'],
      [`${begin}\n${l1}x\n${l2}\n${end}\n`, 'bad armor line'],
      [`${begin}\n${l1} \n${l2}\n${end}\n`, 'bad armor line'],
      [`${begin}\n${l1}\n${l2}=\n${end}\n`, 'armor base64 not canonical'],
      [`${begin}\n${l1}\n${l2!.slice(0, -2)}\n${end}\n`, 'armor base64 not canonical'],
      [`${begin}\n${l1}\n\n${end}\n`, 'bad armor line'],
    ];
    for (const [input, want] of cases) expect(syncDetail(() => dearmor(input)), JSON.stringify(input).slice(0, 80)).toBe(`armor: ${want}`);
  });

  it('accepts CRLF line ends and whitespace around the block, and an empty file', () => {
    const good = armor(data);
    expect(dearmor(good.replace(/\n/g, '\r\n'))).toEqual(data);
    expect(dearmor(` \t\r\n${good}\n \t`)).toEqual(data);
    expect(dearmor('-----BEGIN AGE ENCRYPTED FILE-----\n-----END AGE ENCRYPTED FILE-----\n')).toEqual(new Uint8Array(0));
  });

  it('an armored file decrypts only when its armor is intact', async () => {
    const id = X25519Identity.generate();
    const file = await encrypt([id.recipient()], bytes.utf8('x'), { armor: true });
    expect(await decrypt([id], file)).toEqual(bytes.utf8('x'));
    const text = new TextDecoder().decode(file).replace('-----END', '-----end');
    expect(await detail(decrypt([id], bytes.utf8(text)))).toBe('armor: missing armor boundaries');
  });
});
