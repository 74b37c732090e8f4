/**
 * The console's core without a network: identity files (coordinator and old decrypt-only keys),
 * ingesting reports that open, fail to decrypt or fail the schema, and case events.
 */
import { describe, expect, it } from 'vitest';
import {
  HybridIdentity,
  ScryptRecipient,
  bytes,
  encodeReport,
  encrypt,
  loadSodiumBackend,
  pad,
  useBackend,
  type Report,
} from '../../crypto/index.js';
import { derive } from '../../console/cases.js';
import { decodeEvent, encodeEvent } from '../../console/events.js';
import { openIdentityFile } from '../../console/identity.js';
import type { Remote } from '../../console/remote.js';
import { ConsoleService, type ReportDetail } from '../../console/service.js';
import { newCoordinator, sealCoordinator } from '../../server/org.js';

useBackend(await loadSodiumBackend());

const report: Report = { schemaVersion: 1, incidentTypes: ['threats'], consent: { publishWarning: 'no' }, identifiers: { phones: ['07700 900123'] } };

function detail(id: string, ct: Uint8Array): ReportDetail {
  return { id, day: '2026-12-01', state: 'new', origin: 'browser', expires: '2027-03-01', report: bytes.base64Padded(ct), attachments: [], notes: [], hasMailbox: false, messages: [] };
}

describe('console identities and ingest', () => {
  it('opens a coordinator file and an old plain identity file; both keys decrypt; a wrong passphrase is named', async () => {
    const c = newCoordinator('c1', 'One');
    const file = bytes.utf8(await sealCoordinator(c, 'pass phrase one', 10));
    const opened = await openIdentityFile(file, 'pass phrase one');
    expect(opened.coordinator?.id).toBe('c1');
    await expect(openIdentityFile(file, 'nope')).rejects.toThrow('wrong passphrase');

    const old = HybridIdentity.generate();
    const oldFile = await encrypt([new ScryptRecipient('old pass', 10)], bytes.utf8(`# created before the rotation\n${old.toString()}\n`), { armor: true });
    const openedOld = await openIdentityFile(oldFile, 'old pass');
    expect(openedOld.coordinator).toBeUndefined();
    expect(openedOld.identities.map((i) => i.toString())).toEqual([old.toString()]);
    const notIdentity = await encrypt([new ScryptRecipient('x', 10)], bytes.utf8('hello'));
    await expect(openIdentityFile(notIdentity, 'x')).rejects.toThrow('not a tipline coordinator identity file');

    const s = new ConsoleService({} as Remote, opened.coordinator!, [...opened.identities, ...openedOld.identities], new Uint8Array(32));
    const a = await s.ingest(detail('a', await encrypt([c.identity.recipient(), HybridIdentity.generate().recipient()], encodeReport(report))));
    const b = await s.ingest(detail('b', await encrypt([old.recipient()], encodeReport({ ...report, identifiers: { phones: ['+44 7700 900123'] } }))));
    expect([a.status, b.status]).toEqual(['ok', 'ok']);
    expect(s.index.related('a')).toEqual([{ id: 'b', keys: ['phone:+447700900123'] }]);

    const stranger = await s.ingest(detail('x', await encrypt([HybridIdentity.generate().recipient()], encodeReport(report))));
    expect(stranger.status).toBe('undecryptable');
    const invalid = await s.ingest(detail('y', await encrypt([c.identity.recipient()], pad(bytes.utf8('{"schemaVersion":2,"x":"<b>"}')))));
    expect(invalid.status).toBe('invalid');
    expect(invalid.raw).toBe('{"schemaVersion":2,"x":"<b>"}');
    const garbage = await s.ingest({ ...detail('z', new Uint8Array(0)), report: '!!!' });
    expect(garbage.status).toBe('undecryptable');
    expect(s.cases.size).toBe(5);
  }, 60_000);
});

describe('case events', () => {
  it('round-trip, refuse other shapes, and the latest of each kind wins', () => {
    const e = { v: 1 as const, by: 'c1', at: 5, kind: 'tags' as const, tags: ['urgent', 'car'] };
    expect(decodeEvent(encodeEvent(e))).toEqual(e);
    expect(() => decodeEvent(pad(bytes.utf8('{"v":1,"by":"c1","at":1,"kind":"script","text":"x"}')))).toThrow('invalid case note');
    const notes = [
      { id: 'n3', day: 'd', event: { v: 1 as const, by: 'c2', at: 30, kind: 'state' as const, state: 'closed' as const } },
      { id: 'n1', day: 'd', event: { v: 1 as const, by: 'c1', at: 10, kind: 'state' as const, state: 'in-progress' as const } },
      { id: 'n2', day: 'd', event: e },
      { id: 'n4', day: 'd', event: { v: 1 as const, by: 'c1', at: 40, kind: 'assign' as const, to: 'c2' } },
      { id: 'n5', day: 'd', error: 'unreadable' },
    ];
    expect(derive({ notes, serverState: 'open' })).toEqual({ state: 'closed', tags: ['urgent', 'car'], assignee: 'c2' });
    expect(derive({ notes: [], serverState: 'open' }).state).toBe('in-progress');
  });
});

describe('decryption workers', () => {
  it('open reports in worker threads with the same results as in-process', async () => {
    const { DecryptPool } = await import('../../console/pool.js');
    const me = HybridIdentity.generate();
    const pool = await DecryptPool.start([me], 2);
    try {
      const files = [
        await encrypt([HybridIdentity.generate().recipient(), me.recipient()], encodeReport(report)),
        await encrypt([HybridIdentity.generate().recipient()], encodeReport(report)),
        await encrypt([me.recipient()], pad(bytes.utf8('{"x":1}'))),
      ];
      const opened = await Promise.all(files.map((f) => pool.open(f)));
      expect(opened.map((o) => o.status)).toEqual(['ok', 'undecryptable', 'invalid']);
      expect(opened[0]!.report).toEqual(report);
      expect(opened[0]!.identifiers.map((i) => i.key)).toEqual(['phone:+447700900123']);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
