/** The members' warning list model (client/member/sync.ts) against real signed documents. */
import { describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, primitives, signWarning, signWithdrawal, type Keyring, type Warning } from '../../crypto/index.js';
import { applySync, emptyState, ordered, type SyncAnswer } from '../../client/member/sync.js';

const seed = primitives().randomBytes(32);
const outsider = primitives().randomBytes(32);
const keyring: Keyring = {
  version: 1,
  issued: '2026-01-01',
  expires: '2099-01-01',
  coordinators: [{ id: 'c', name: 'Sam', recipient: HybridIdentity.generate().recipient().toString(), signingKey: bytes.base64Padded(primitives().ed25519PublicKey(seed)), roles: ['warnings'] }],
};
const w = (summary: string, over: Partial<Warning> = {}): Warning => ({ schemaVersion: 1, published: '2026-11-01', regions: ['north'], month: '2026-10', incidentTypes: ['violence'], summary, ...over });
const answer = (over: Partial<SyncAnswer>): SyncAnswer => ({ warnings: [], ids: [], withdrawn: [], proofs: [], cursor: 1, more: false, ...over });

describe('member sync model', () => {
  it('verifies each warning: genuine ones with the signer, tampered or foreign ones flagged without content', () => {
    const good = signWarning(w('genuine'), seed);
    const foreign = signWarning(w('from an outsider'), outsider);
    const tampered = { ...good.envelope, payload: signWarning(w('altered'), seed).envelope.payload };
    const s = applySync(emptyState(), answer({ warnings: [good.envelope, foreign.envelope, tampered], ids: [good.id, foreign.id, 'x'.repeat(21) + 'A'], cursor: 3 }), keyring);
    const list = ordered(s);
    expect(list.map((e) => e.status)).toEqual(['failed', 'failed', 'verified']);
    expect(list[2]).toMatchObject({ status: 'verified', signer: 'Sam', id: good.id });
    const failed = list.flatMap((e) => (e.status === 'failed' ? [e] : []));
    // Why each failed is a member-catalogue key (words shown in the member's language); nothing of the content is kept.
    expect(failed.map((e) => e.reason)).toEqual(['warnings.untrusted', 'warnings.altered']);
    expect(JSON.stringify(failed.map(({ reason: _, ...rest }) => rest))).not.toMatch(/outsider|altered/);
    expect(s.cursor).toBe(3);
  });

  it('a warning served under another id is flagged', () => {
    const good = signWarning(w('genuine'), seed);
    const s = applySync(emptyState(), answer({ warnings: [good.envelope], ids: ['A'.repeat(22)] }), keyring);
    expect(ordered(s)[0]!.status).toBe('failed');
  });

  it('removes a warning only on a verified withdrawal or correction; a bare tombstone keeps it, marked disputed', () => {
    const a = signWarning(w('to withdraw'), seed);
    const b = signWarning(w('to correct'), seed);
    const c = signWarning(w('dropped without proof'), seed);
    const s = applySync(emptyState(), answer({ warnings: [a.envelope, b.envelope, c.envelope], ids: [a.id, b.id, c.id] }), keyring);
    const forgedWithdrawal = signWithdrawal({ schemaVersion: 1, published: '2026-11-02', withdraws: a.id }, outsider).envelope;
    applySync(s, answer({ withdrawn: [a.id], proofs: [forgedWithdrawal], cursor: 2 }), keyring);
    expect(s.entries.has(a.id)).toBe(true);
    const withdrawal = signWithdrawal({ schemaVersion: 1, published: '2026-11-02', withdraws: a.id }, seed).envelope;
    const wrongTarget = signWithdrawal({ schemaVersion: 1, published: '2026-11-02', withdraws: b.id }, seed).envelope;
    const correction = signWarning(w('corrected', { supersedes: b.id }), seed);
    applySync(s, answer({ warnings: [correction.envelope], ids: [correction.id], withdrawn: [a.id, c.id, c.id], proofs: [withdrawal, null, wrongTarget], cursor: 4 }), keyring);
    expect(s.entries.has(a.id)).toBe(false);
    expect(s.entries.has(b.id)).toBe(false);
    expect(s.removed.has(b.id)).toBe(true);
    expect(s.entries.get(c.id)).toMatchObject({ status: 'verified', disputed: true });
    // A removed warning served again stays removed.
    applySync(s, answer({ warnings: [a.envelope], ids: [a.id] }), keyring);
    expect(s.entries.has(a.id)).toBe(false);
    expect(ordered(s).map((e) => e.status === 'verified' && e.warning.summary).sort()).toEqual(['corrected', 'dropped without proof']);
  });
});
