/**
 * Organisation profile and warning documents: the vectors in tests/vectors/members (one `it`
 * each, under both primitives backends), plus masking and tamper properties.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DocumentError,
  IDENTIFIER_KINDS,
  bytes,
  isMasked,
  maskIdentifier,
  primitives,
  signWarning,
  verifyKeyring,
  verifyProfile,
  verifyWarningDocument,
  type Keyring,
  type Warning,
} from '../../crypto/index.js';
import { backendNames, installBackend } from './backends.js';
import { parseVector, type Vector } from '../vectors/protocol/vectors.js';

const DIR = join(import.meta.dirname, '../vectors/members');
const vectors = readdirSync(DIR)
  .filter((f) => /^(profile|warning)-/.test(f))
  .sort()
  .map((f) => parseVector(f, readFileSync(join(DIR, f), 'utf8')));

function outcome(f: () => unknown): { error?: DocumentError; value?: unknown } {
  try {
    return { value: f() };
  } catch (e) {
    if (!(e instanceof DocumentError)) throw e;
    return { error: e };
  }
}

function keyringOf(v: Vector): Keyring {
  return verifyKeyring(v.get('keyring'), bytes.fromBase64Padded(v.get('root public key')), { now: new Date(v.get('now')) });
}

it('has the profile and warning vectors', () => {
  expect(vectors.filter((v) => v.name.startsWith('profile-')).length).toBeGreaterThanOrEqual(15);
  expect(vectors.filter((v) => v.name.startsWith('warning-')).length).toBeGreaterThanOrEqual(20);
});

for (const backend of backendNames) {
  describe(`vectors (${backend})`, () => {
    beforeAll(() => installBackend(backend));
    for (const v of vectors) {
      it(`${v.name}: ${v.expect}`, () => {
        const root = bytes.fromBase64Padded(v.get('root public key'));
        const keyring = keyringOf(v);
        if (v.name.startsWith('profile-')) {
          const r = outcome(() =>
            verifyProfile(v.get('envelope'), root, {
              keyring: v.opt('with keyring') === 'no' ? undefined : keyring,
              minVersion: v.opt('min version') === undefined ? undefined : Number(v.get('min version')),
            }),
          );
          if (v.expect === 'success') {
            expect(r.error).toBeUndefined();
            expect(r.value).toMatchObject({ name: v.get('name'), version: Number(v.get('version')) });
          } else {
            expect(r.error?.message).toBe(v.expect);
            if (v.opt('detail')) expect((r.error as unknown as { detail: string }).detail).toContain(v.get('detail'));
          }
        } else {
          const r = outcome(() => verifyWarningDocument(v.get('envelope'), keyring));
          if (v.expect === 'success') {
            expect(r.error).toBeUndefined();
            const d = r.value as { kind: string; id: string; warning?: Warning; withdrawal?: { withdraws: string } };
            expect(d.kind).toBe(v.get('kind'));
            expect(d.id).toBe(v.get('id'));
            if (v.opt('supersedes')) expect(d.warning?.supersedes).toBe(v.get('supersedes'));
            if (v.opt('withdraws')) expect(d.withdrawal?.withdraws).toBe(v.get('withdraws'));
          } else {
            expect(r.error?.message).toBe(v.expect);
            if (v.opt('detail')) expect((r.error as unknown as { detail: string }).detail).toContain(v.get('detail'));
          }
        }
      });
    }
  });
}

describe('masking', () => {
  it('masks the example phone number as the issue shows', () => {
    expect(maskIdentifier('phone', '07123 456123')).toBe('07*** ***123');
    expect(maskIdentifier('email', 'john.smith@example.com')).toBe('j***.*****@*******.com');
  });

  it('always produces a mask the schema accepts and never the identifier itself', () => {
    fc.assert(
      fc.property(fc.constantFrom(...IDENTIFIER_KINDS), fc.string({ minLength: 1, maxLength: 40 }), (kind, s) => {
        const m = maskIdentifier(kind, s);
        expect(isMasked(m)).toBe(true);
        const content = s.replace(/[\s\-.@+()_/]/g, '');
        if (content.length >= 3) expect(m).not.toBe(s.trim());
      }),
    );
  });

  it('refuses a signed warning once any payload byte changes', () => {
    const seed = primitives().randomBytes(32);
    const ring: Keyring = {
      version: 1,
      issued: '2025-01-01',
      expires: '2099-01-01',
      coordinators: [{ id: 'c', name: 'C', recipient: 'x', signingKey: bytes.base64Padded(primitives().ed25519PublicKey(seed)), roles: ['warnings'] }],
    };
    const { envelope } = signWarning({ schemaVersion: 1, published: '2025-05-01', regions: ['north'], month: '2025-05', incidentTypes: ['violence'] }, seed);
    const payload = bytes.fromBase64Padded(envelope.payload);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: payload.length - 1 }), fc.integer({ min: 0, max: 7 }), (i, bit) => {
        const p = payload.slice();
        p[i]! ^= 1 << bit;
        expect(() => verifyWarningDocument({ ...envelope, payload: bytes.base64Padded(p) }, ring)).toThrow(DocumentError);
      }),
      { numRuns: 50 },
    );
  });
});
