/**
 * Sealed police exports (issue 12) open with the reference `age` CLI: X25519 recipient and
 * passphrase (typed into a terminal), and with our own decrypt for the post-quantum
 * recipient (Debian's age has no ML-KEM). The "do not share" canary is absent after
 * decryption; bad recipients and short passphrases are refused before anything is sealed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, decrypt, inspect, loadSodiumBackend, parseIdentityFile, useBackend, type Report } from '../../crypto/index.js';
import { buildExport, exportJson } from '../../console/export.js';
import { exportHtml } from '../../console/export-html.js';
import { seal } from '../../console/export-run.js';
import { makeDir, removeDir, requireAge, run, runInPty, shQuote } from '../cli/helpers.js';

useBackend(await loadSodiumBackend());

const CANARY = 'CANARY-sealed-do-not-share';
const PASS = 'police passphrase for export';
let dir: string;

const model = buildExport(
  [
    { id: 'n', status: 'ok', report: { schemaVersion: 1, incidentTypes: ['violence'], account: CANARY, identifiers: { phones: [CANARY] }, consent: { publishWarning: 'yes', shareWithPolice: 'no' } } as Report, hasMailbox: false, attachments: 0, followUps: 0 },
    { id: 'y', status: 'ok', report: { schemaVersion: 1, incidentTypes: ['robbery'], offender: { hair: 'red <b>' }, consent: { publishWarning: 'no', shareWithPolice: 'yes' } }, hasMailbox: false, attachments: 0, followUps: 0 },
  ],
  { scheme: 'Seal Test Scheme', created: '2026-12-02', exportId: 'fedcba9876543210' },
).model;

beforeAll(() => {
  requireAge();
  dir = makeDir();
});
afterAll(() => removeDir(dir));

describe('sealed police exports', () => {
  it('an HTML export sealed to an X25519 recipient opens with age -d -i', async () => {
    const key = join(dir, 'police.key');
    expect((await run('age-keygen', ['-o', key])).code).toBe(0);
    const recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(key, 'utf8'))![1]!;
    const html = exportHtml(model);
    const { file, kind } = await seal(bytes.utf8(html), { kind: 'recipient', recipient });
    expect(kind).toBe('age X25519 recipient');
    expect(bytes.fromUtf8(file.subarray(0, 21))).toBe('age-encryption.org/v1');
    expect(Buffer.from(file).includes(Buffer.from('Seal Test'))).toBe(false);
    writeFileSync(join(dir, 'x.age'), file);
    const r = await run('age', ['-d', '-i', key, '-o', join(dir, 'x.html'), join(dir, 'x.age')]);
    expect(r.stderr).toBe('');
    const out = readFileSync(join(dir, 'x.html'), 'utf8');
    expect(out).toBe(html);
    expect(out).not.toContain(CANARY);
    expect(out).toContain('red &lt;b&gt;');
  }, 60_000);

  it('a JSON export sealed with a passphrase opens with age -d (passphrase typed into a terminal)', async () => {
    const json = exportJson(model);
    const { file, kind } = await seal(bytes.utf8(json), { kind: 'passphrase', passphrase: PASS }, 16);
    expect(kind).toBe('passphrase');
    expect(inspect(file).stanzas.map((s) => s.args[0])).toEqual(['scrypt']);
    writeFileSync(join(dir, 'p.age'), file);
    const d = await runInPty(`age -d -o ${shQuote(join(dir, 'p.json'))} ${shQuote(join(dir, 'p.age'))}`, /passphrase[^:\n]*:/i, [PASS], dir);
    expect(d.code).toBe(0);
    const out = readFileSync(join(dir, 'p.json'), 'utf8');
    expect(out).toBe(json);
    expect(out).not.toContain(CANARY);
    expect(JSON.parse(out).leftOut[0]).toEqual({ reports: 1, what: 'whole-report', why: 'consent: the person did not agree to share this report with police' });
    // The wrong passphrase does not open it.
    const w = await runInPty(`age -d -o ${shQuote(join(dir, 'w.json'))} ${shQuote(join(dir, 'p.age'))}`, /passphrase[^:\n]*:/i, ['not the passphrase'], dir);
    expect(w.code).not.toBe(0);
  }, 120_000);

  it('a post-quantum recipient (age1pq1…) seals to a hybrid stanza our decrypt opens', async () => {
    const police = HybridIdentity.generate();
    const { file, kind } = await seal(bytes.utf8(exportJson(model)), { kind: 'recipient', recipient: police.recipient().toString() });
    expect(kind).toBe('age post-quantum recipient');
    const opened = bytes.fromUtf8(await decrypt(parseIdentityFile(police.toString()), file));
    expect(opened).toBe(exportJson(model));
    await expect(decrypt([HybridIdentity.generate()], file)).rejects.toThrow();
  }, 60_000);

  it('refuses a recipient that does not parse and a short passphrase; a plain download is the bytes themselves', async () => {
    await expect(seal(bytes.utf8('x'), { kind: 'recipient', recipient: 'age1notakey' })).rejects.toThrow('not an age recipient (age1… or age1pq1…)');
    await expect(seal(bytes.utf8('x'), { kind: 'recipient', recipient: 'ssh-ed25519 AAAA' })).rejects.toThrow('not an age recipient');
    await expect(seal(bytes.utf8('x'), { kind: 'passphrase', passphrase: 'short pass' })).rejects.toThrow('the passphrase needs at least 12 characters');
    const plain = await seal(bytes.utf8('plain'), { kind: 'plain' });
    expect([bytes.fromUtf8(plain.file), plain.kind]).toEqual(['plain', 'none (plain download)']);
  });
});
