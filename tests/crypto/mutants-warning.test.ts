/**
 * Warnings (crypto/warning.ts, SPEC.md §Warnings): the rules the vectors in
 * tests/vectors/members leave open, each found by a mutant that survived them
 * (npm run mutate, tests/mutation/SURVIVORS.md): every field limit at its boundary, the
 * exact payload bytes and ids, the mask rule's thresholds, and the refusal details.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DocumentError,
  WARNING_ID,
  WARNING_LIMITS,
  WarningError,
  bytes,
  documentId,
  encodeWarning,
  encodeWithdrawal,
  isMasked,
  maskIdentifier,
  primitives,
  signDocument,
  signWarning,
  signWithdrawal,
  verifyWarningDocument,
  warningSigners,
  withdrawalSchema,
  warningSchema,
  type Keyring,
  type Warning,
  type Withdrawal,
} from '../../crypto/index.js';

const { base64Padded, fromUtf8, utf8 } = bytes;

const base: Warning = { schemaVersion: 1, published: '2025-05-01', regions: ['north'], month: '2025-05', incidentTypes: ['violence'] };
const ID = documentId(encodeWarning(base));

const seeds = [1, 2, 3].map((n) => new Uint8Array(32).fill(40 + n));
const pub = (s: Uint8Array): string => base64Padded(primitives().ed25519PublicKey(s));
const ring: Keyring = {
  version: 1,
  issued: '2025-01-01',
  expires: '2099-01-01',
  coordinators: [
    { id: 'reader', name: 'R', recipient: 'x', signingKey: pub(seeds[0]!), roles: ['reports'] },
    { id: 'w1', name: 'W1', recipient: 'y', signingKey: pub(seeds[1]!), roles: ['reports', 'warnings'] },
    { id: 'w2', name: 'W2', recipient: 'z', signingKey: pub(seeds[2]!), roles: ['warnings'] },
  ],
};

function detail(f: () => unknown): string {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(WarningError);
  expect((err as Error).message).toBe('invalid warning');
  return (err as WarningError).detail;
}

const ok = (w: Record<string, unknown>): void => {
  expect(() => encodeWarning({ ...base, ...w } as Warning)).not.toThrow();
};
const bad = (w: Record<string, unknown>, want?: string): void => {
  const d = detail(() => encodeWarning({ ...base, ...w } as Warning));
  if (want !== undefined) expect(d).toBe(want);
};

describe('isMasked', () => {
  it('needs at least 3 stars and a third of the content characters', () => {
    expect(isMasked('***')).toBe(true);
    expect(isMasked('**')).toBe(false);
    expect(isMasked('')).toBe(false);
    expect(isMasked('***abcdef')).toBe(true); // 3 of 9
    expect(isMasked('***abcdefg')).toBe(false); // 3 of 10
    expect(isMasked('a**b*cdef')).toBe(true);
  });

  it('does not count separators as content', () => {
    for (const sep of [' ', '\t', '-', '.', '@', '+', '(', ')', '_', '/']) {
      expect(isMasked(`***abcdef${sep}`), JSON.stringify(sep)).toBe(true);
      expect(isMasked(`*${sep}*${sep}*`), JSON.stringify(sep)).toBe(true);
    }
    expect(isMasked('***abcdef!')).toBe(false);
  });
});

describe('maskIdentifier', () => {
  it('phone numbers keep 2 and 3 digits from 10 digits, 1 and 2 from 6, none below', () => {
    expect(maskIdentifier('phone', '0712345612')).toBe('07*****612');
    expect(maskIdentifier('phone', '071234561')).toBe('0******61');
    expect(maskIdentifier('phone', '071234')).toBe('0***34');
    expect(maskIdentifier('phone', '07123')).toBe('*****');
    expect(maskIdentifier('phone', '  07123   456123 ')).toBe('07*** ***123');
    expect(maskIdentifier('phone', '+44 (7700) 900-123')).toBe('+44 (****) ***-123');
  });

  it('other identifiers keep 1 and 2 characters from 8, none below', () => {
    expect(maskIdentifier('username', 'abcdefgh')).toBe('a*****gh');
    expect(maskIdentifier('plate', 'abcdefg')).toBe('*******');
    // separators do not count towards the 8 characters
    expect(maskIdentifier('username', 'ab-cd-ef')).toBe('**-**-**');
    expect(maskIdentifier('other', 'ab12 cde9')).toBe('a*** **e9');
    // an email-looking value of another kind is masked as text
    expect(maskIdentifier('username', 'jo@example')).toBe('j*@*****le');
  });

  it('emails keep the first character of a local part of 4 or more, and the last label', () => {
    expect(maskIdentifier('email', 'john@x.com')).toBe('j***@*.com');
    expect(maskIdentifier('email', 'joh@xy.com')).toBe('***@**.com');
    expect(maskIdentifier('email', 'john@localhost')).toBe('j***@*********');
    expect(maskIdentifier('email', 'john@.com')).toBe('j***@.***');
    expect(maskIdentifier('email', 'a@b@exam.org')).toBe('*@*@****.org');
    // separators in the local part do not count towards its 4 characters
    expect(maskIdentifier('email', 'a.b.c@xy.com')).toBe('*.*.*@**.com');
    // without an @ it is masked as text
    expect(maskIdentifier('email', 'johnsmith')).toBe('j******th');
  });

  it('hides a very short identifier entirely and cuts a long one to the limit', () => {
    expect(maskIdentifier('other', 'ab')).toBe('***');
    expect(maskIdentifier('email', 'a@b')).toBe('***');
    const long = maskIdentifier('other', 'a'.repeat(100));
    expect(long).toBe(`a${'*'.repeat(63)}`);
    expect(long.length).toBe(WARNING_LIMITS.masked);
  });
});

describe('documentId', () => {
  it('is base64url of the first 16 bytes of SHA-256 of the payload', () => {
    let dash = false;
    let under = false;
    for (let i = 0; i < 300; i++) {
      const p = utf8(`payload ${i}`);
      const want = createHash('sha256').update(p).digest().subarray(0, 16).toString('base64url');
      const id = documentId(p);
      expect(id).toBe(want);
      expect(id).toMatch(WARNING_ID);
      dash ||= id.includes('-');
      under ||= id.includes('_');
    }
    expect(dash && under).toBe(true);
  });

  it('WARNING_ID takes exactly 22 characters ending in A, Q, g or w', () => {
    for (const last of 'AQgw') expect(`${'a'.repeat(21)}${last}`).toMatch(WARNING_ID);
    for (const s of [`${'a'.repeat(21)}B`, `${'a'.repeat(20)}A`, `${'a'.repeat(22)}A`, `${'a'.repeat(20)}+A`, ` ${'a'.repeat(21)}A`]) {
      expect(s).not.toMatch(WARNING_ID);
      bad({ supersedes: s }, 'supersedes: not a warning id');
    }
  });
});

describe('encoding', () => {
  it('writes the keys in the schema order, whatever the input order, and leaves absent fields out', () => {
    const full: Warning = {
      supersedes: ID,
      advice: 'Be careful',
      checkTags: [base64Padded(new Uint8Array(16))],
      identifiers: [{ masked: '07*** ***123', kind: 'phone' } as unknown as Warning['identifiers'] extends (infer T)[] | undefined ? T : never],
      vehicle: 'Blue car',
      offender: 'Tall',
      summary: 'What happened',
      incidentTypes: ['violence'],
      partOfDay: 'night',
      month: '2025-05',
      regions: ['north'],
      published: '2025-05-01',
      schemaVersion: 1,
    };
    expect(fromUtf8(encodeWarning(full))).toBe(
      `{"schemaVersion":1,"published":"2025-05-01","regions":["north"],"month":"2025-05","partOfDay":"night","incidentTypes":["violence"],"summary":"What happened","offender":"Tall","vehicle":"Blue car","identifiers":[{"kind":"phone","masked":"07*** ***123"}],"checkTags":["AAAAAAAAAAAAAAAAAAAAAA=="],"advice":"Be careful","supersedes":"${ID}"}`,
    );
    expect(fromUtf8(encodeWarning(base))).toBe('{"schemaVersion":1,"published":"2025-05-01","regions":["north"],"month":"2025-05","incidentTypes":["violence"]}');
  });

  it('a withdrawal with and without a reason', () => {
    const w: Withdrawal = { reason: 'mistake', withdraws: ID, published: '2025-05-02', schemaVersion: 1 };
    expect(fromUtf8(encodeWithdrawal(w))).toBe(`{"schemaVersion":1,"published":"2025-05-02","withdraws":"${ID}","reason":"mistake"}`);
    const { reason: _r, ...noReason } = w;
    expect(fromUtf8(encodeWithdrawal(noReason))).toBe(`{"schemaVersion":1,"published":"2025-05-02","withdraws":"${ID}"}`);
    expect(detail(() => encodeWithdrawal({ ...w, withdraws: 'x' }))).toBe('withdraws: not a warning id');
    expect(detail(() => encodeWithdrawal({ ...w, published: '2025-02-30' }))).toBe('published: not a YYYY-MM-DD date');
    detail(() => encodeWithdrawal({ ...w, reason: 'x'.repeat(WARNING_LIMITS.reason + 1) }));
    expect(() => encodeWithdrawal({ ...w, reason: `a\nb\t${'x'.repeat(WARNING_LIMITS.reason - 4)}` })).not.toThrow();
    detail(() => encodeWithdrawal({ ...w, reason: 'a\rb' }));
    detail(() => encodeWithdrawal({ ...w, reason: '' }));
    detail(() => encodeWithdrawal({ ...w, schemaVersion: 2 as 1 }));
    detail(() => encodeWithdrawal({ ...w, extra: 1 } as Withdrawal));
  });

  it('the schemas are built once', () => {
    expect(warningSchema()).toBe(warningSchema());
    expect(withdrawalSchema()).toBe(withdrawalSchema());
  });
});

describe('field limits', () => {
  it('regions: 1 to 20 distinct region ids', () => {
    const ids = Array.from({ length: 21 }, (_, i) => `r${i}`);
    ok({ regions: ids.slice(0, 20) });
    bad({ regions: ids });
    bad({ regions: [] });
    bad({ regions: ['north', 'north'] }, 'regions: duplicate region');
    bad({ regions: ['North'] }, 'regions.0: not a region id');
  });

  it('month: a real YYYY-MM', () => {
    ok({ month: '1970-01' });
    ok({ month: '2025-12' });
    for (const month of ['2025-13', '2025-00', '1969-12', '2025-5', '2025-05-01', ' 2025-05', '2025-05 ']) bad({ month }, 'month: month must be YYYY-MM');
  });

  it('published: a real date', () => {
    ok({ published: '2024-02-29' });
    bad({ published: '2025-02-29' }, 'published: not a YYYY-MM-DD date');
  });

  it('incidentTypes: 1 to all of them, distinct; partOfDay from the list', () => {
    bad({ incidentTypes: [] });
    bad({ incidentTypes: ['violence', 'violence'] }, 'incidentTypes: duplicate incident type');
    bad({ incidentTypes: ['nope'] });
    ok({ partOfDay: 'evening' });
    bad({ partOfDay: 'noon' });
  });

  it('summary, offender and advice: multi-line text up to their limits; vehicle one line', () => {
    for (const [field, max] of [
      ['summary', WARNING_LIMITS.summary],
      ['offender', WARNING_LIMITS.offender],
      ['advice', WARNING_LIMITS.advice],
      ['vehicle', WARNING_LIMITS.vehicle],
    ] as const) {
      ok({ [field]: 'x'.repeat(max) });
      bad({ [field]: 'x'.repeat(max + 1) });
      bad({ [field]: '' });
      for (const c of ['\r', '\u0000', '\u0008', '\u000b', '\u001f', '\u007f', '\u009f', '\u202e', '\u2066', '\u061c', '\u2028', '\ud800']) {
        bad({ [field]: `a${c}b` }, `${field}: control, bidirectional-override or unpaired surrogate characters`);
      }
      if (field === 'vehicle') {
        bad({ vehicle: 'a\nb' });
        bad({ vehicle: 'a\tb' });
      } else {
        ok({ [field]: 'a\nb\tc' });
      }
    }
    expect(WARNING_LIMITS).toEqual({ regions: 20, summary: 2000, offender: 1000, vehicle: 300, identifiers: 20, masked: 64, checkTags: 50, advice: 2000, reason: 500 });
  });

  it('identifiers: 1 to 20, each masked, at most 64 characters', () => {
    const id = { kind: 'phone', masked: '07*** ***123' };
    ok({ identifiers: Array(20).fill(id) });
    bad({ identifiers: Array(21).fill(id) });
    bad({ identifiers: [] });
    ok({ identifiers: [{ kind: 'other', masked: '*'.repeat(64) }] });
    bad({ identifiers: [{ kind: 'other', masked: '*'.repeat(65) }] });
    bad({ identifiers: [{ kind: 'phone', masked: '07123 45*123' }] }, 'identifiers.0.masked: identifier is not masked (at least 3 * and a third of its characters)');
    bad({ identifiers: [{ kind: 'phone', masked: '' }] });
    bad({ identifiers: [{ kind: 'phone', masked: '***\n' }] });
    bad({ identifiers: [{ kind: 'car', masked: '***' }] });
    bad({ identifiers: [{ kind: 'phone', masked: '***', raw: '0712' }] });
  });

  it('checkTags: 1 to 50 distinct tags of 16 to 64 bytes in canonical padded base64', () => {
    const tag = (n: number, fill = 1): string => base64Padded(new Uint8Array(n).fill(fill));
    ok({ checkTags: [tag(16), tag(64, 2)] });
    ok({ checkTags: Array.from({ length: 50 }, (_, i) => tag(16, i)) });
    bad({ checkTags: Array.from({ length: 51 }, (_, i) => tag(16, i)) });
    bad({ checkTags: [] });
    bad({ checkTags: [tag(16), tag(16)] }, 'checkTags: duplicate check tag');
    for (const t of [tag(15), tag(65), tag(16).replace(/=+$/, ''), `${tag(16)} `, '']) {
      bad({ checkTags: [t] }, 'checkTags.0: check tag must be canonical padded base64 of 16-64 bytes');
    }
  });

  it('an unknown key is refused with the schema message', () => {
    const d = detail(() => encodeWarning({ ...base, extra: 1 } as Warning));
    expect(d.length).toBeGreaterThan(0);
    expect(d).not.toMatch(/^: /);
  });
});

describe('signing and verifying', () => {
  it('signs warnings and withdrawals as their own kinds, with the id of the payload', () => {
    const w = signWarning(base, seeds[1]!);
    expect(w.envelope.kind).toBe('warning');
    expect(w.id).toBe(documentId(encodeWarning(base)));
    const wd = signWithdrawal({ schemaVersion: 1, published: '2025-05-02', withdraws: w.id }, seeds[2]!);
    expect(wd.envelope.kind).toBe('withdrawal');
    expect(wd.id).toBe(documentId(encodeWithdrawal({ schemaVersion: 1, published: '2025-05-02', withdraws: w.id })));

    const a = verifyWarningDocument(w.envelope, ring);
    expect(a).toEqual({ kind: 'warning', id: w.id, warning: base, signer: ring.coordinators[1] });
    const b = verifyWarningDocument(JSON.stringify(wd.envelope), ring);
    expect(b).toEqual({ kind: 'withdrawal', id: wd.id, withdrawal: { schemaVersion: 1, published: '2025-05-02', withdraws: w.id }, signer: ring.coordinators[2] });
  });

  it('warningSigners are the warnings-role keys, in keyring order', () => {
    expect(warningSigners(ring).map(base64Padded)).toEqual([pub(seeds[1]!), pub(seeds[2]!)]);
  });

  it('refuses a signer without the warnings role, another kind, a non-envelope and non-canonical JSON, with details', () => {
    const reader = signWarning(base, seeds[0]!);
    let err: unknown;
    try {
      verifyWarningDocument(reader.envelope, ring);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DocumentError);
    expect((err as Error).message).toBe('untrusted signer');

    expect(detail(() => verifyWarningDocument(signDocument('keyring', encodeWarning(base), seeds[1]!), ring))).toBe('document kind is keyring');
    expect(detail(() => verifyWarningDocument('{', ring))).toBe('not a signed document envelope');
    expect(detail(() => verifyWarningDocument(signDocument('warning', utf8('{ "a":1}'), seeds[1]!), ring))).toBe('payload is not canonical UTF-8 JSON');
    // a withdrawal payload under the warning kind, and the other way round
    const wdPayload = encodeWithdrawal({ schemaVersion: 1, published: '2025-05-02', withdraws: ID });
    detail(() => verifyWarningDocument(signDocument('warning', wdPayload, seeds[1]!), ring));
    detail(() => verifyWarningDocument(signDocument('withdrawal', encodeWarning(base), seeds[1]!), ring));
    // a signed payload that breaks the schema: refused on the reader's side too
    const forged = signDocument('warning', utf8(JSON.stringify({ ...base, regions: ['North'] })), seeds[1]!);
    expect(detail(() => verifyWarningDocument(forged, ring))).toBe('regions.0: not a region id');
  });
});
