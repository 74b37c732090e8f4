/**
 * `tipline keyring` (scripts/commands/keyring.ts) on an admin directory, and what its changes
 * mean once uploaded to a real `tipline serve`:
 *   - after a coordinator is removed, reports the reporter's client sends (client/report/send.ts,
 *     the same code the browser runs) are not encrypted to them;
 *   - after a rotation, reports sent before it open in the console with the old identity
 *     file given beside the new one (and not without it);
 *   - a client that pins the new version refuses the older keyring, and the server refuses it too.
 * Bad input gets one clear line and leaves every file as it was.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bytes, decrypt, inspect, loadSodiumBackend, primitives, useBackend, type Keyring, type Role, type SignedEnvelope } from '../../crypto/index.js';
import { openIdentityFile } from '../../console/identity.js';
import { createRemote } from '../../console/remote.js';
import { ConsoleService } from '../../console/service.js';
import { KEYRING_FILE, ROOT_PUBLIC_KEY_FILE, buildKeyring, newCoordinator, sealCoordinator, sealRootKey, type CoordinatorSecret } from '../../server/org.js';
import { startTiplineServer, type SpawnedServer } from '../helpers/server.js';
import { minimalReport } from '../server/harness.js';
import { makeDir, removeDir, tipline } from './helpers.js';

useBackend(await loadSodiumBackend());
const { sendReport } = await import('../../client/report/send.js');
const { KeyringRefused, verifiedRecipients } = await import('../../client/lib/keyring.js');

const ROOT_PASS = 'root pass phrase for the keyring tests';
const realFetch = globalThis.fetch;

interface Org {
  dir: string;
  admin: string;
  data: string;
  passFile: string;
  rootSeed: Uint8Array;
  coordinators: CoordinatorSecret[];
}

/** An organisation as `tipline init` leaves it, made quickly (cheap scrypt for the secret files). */
async function makeOrg(opts: { now?: Date; validDays?: number } = {}): Promise<Org> {
  const dir = makeDir();
  const admin = join(dir, 'admin');
  const data = join(dir, 'data');
  for (const d of [admin, data]) mkdirSync(d, { mode: 0o700 });
  const rootSeed = primitives().randomBytes(32);
  const coordinators = [newCoordinator('c1', 'One'), newCoordinator('c2', 'Two')];
  const { envelope } = buildKeyring(
    rootSeed,
    coordinators.map((secret) => ({ secret, roles: ['reports', 'warnings', 'members'] as Role[] })),
    { now: opts.now, validDays: opts.validDays },
  );
  const text = JSON.stringify(envelope, null, 2) + '\n';
  writeFileSync(join(admin, 'keyring.json'), text, { mode: 0o600 });
  writeFileSync(join(admin, 'root-key.age'), await sealRootKey(rootSeed, ROOT_PASS, 10), { mode: 0o600 });
  for (const [i, c] of coordinators.entries()) writeFileSync(join(admin, `coordinator-${i + 1}.age`), await sealCoordinator(c, `pass ${c.id}`, 10), { mode: 0o600 });
  writeFileSync(join(data, KEYRING_FILE), text);
  writeFileSync(join(data, ROOT_PUBLIC_KEY_FILE), bytes.base64Padded(primitives().ed25519PublicKey(rootSeed)) + '\n');
  const passFile = join(dir, 'root.pass');
  writeFileSync(join(dir, 'root.pass'), ROOT_PASS + '\n', { mode: 0o600 });
  return { dir, admin, data, passFile, rootSeed, coordinators };
}

function keyringOf(file: string): Keyring {
  const env = JSON.parse(readFileSync(file, 'utf8')) as SignedEnvelope;
  return JSON.parse(bytes.fromUtf8(bytes.fromBase64Padded(env.payload))) as Keyring;
}

/** Every file in the admin dir with its bytes: "nothing written" means this does not change. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'latin1')]));
}

const common = (o: Org) => ['--admin-dir', o.admin, '--passphrase-file', o.passFile];

describe('tipline keyring: each change signs a higher version', () => {
  let o: Org;
  beforeAll(async () => {
    o = await makeOrg();
  });
  afterAll(() => removeDir(o.dir));

  it('shows the keyring', async () => {
    const r = await tipline(['keyring', 'show', '--admin-dir', o.admin, '--root-public-key', join(o.data, ROOT_PUBLIC_KEY_FILE)]);
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    expect(out).toMatch(/version: +1\n/);
    expect(out).toContain('in 180 days');
    expect(out).toContain('(the given root key)');
    expect(out).toContain('c1  "One"  roles: reports,warnings,members');
    expect(out).toContain('c2  "Two"');
  }, 120_000);

  it('add, roles, rotate, remove, renew: version 2 to 6, each written as keyring-vN.json and keyring.json', async () => {
    const steps: [string[], (k: Keyring) => void][] = [
      [['add', '--id', 'c3', '--name', 'Three', '--roles', 'reports'], (k) => expect(k.coordinators.map((c) => c.id)).toEqual(['c1', 'c2', 'c3'])],
      [['roles', '--id', 'c3', '--roles', 'reports,admin'], (k) => expect(k.coordinators[2]!.roles).toEqual(['reports', 'admin'])],
      [['rotate', '--id', 'c3'], (k) => expect(k.coordinators[2]!.roles).toEqual(['reports', 'admin'])],
      [['remove', '--id', 'c2'], (k) => expect(k.coordinators.map((c) => c.id)).toEqual(['c1', 'c3'])],
      [['renew', '--valid-days', '30'], (k) => expect(Date.parse(k.expires) - Date.parse(k.issued)).toBe(30 * 86_400_000)],
    ];
    let previous = keyringOf(join(o.admin, 'keyring.json'));
    for (const [i, [args, check]] of steps.entries()) {
      const r = await tipline(['keyring', ...args, ...common(o)]);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code).toBe(0);
      const k = keyringOf(join(o.admin, `keyring-v${i + 2}.json`));
      expect(k.version).toBe(i + 2);
      expect(readFileSync(join(o.admin, 'keyring.json'), 'utf8')).toBe(readFileSync(join(o.admin, `keyring-v${i + 2}.json`), 'utf8'));
      check(k);
      if (args[0] === 'rotate') {
        expect(k.coordinators[2]!.recipient).not.toBe(previous.coordinators[2]!.recipient);
        expect(k.coordinators[2]!.signingKey).not.toBe(previous.coordinators[2]!.signingKey);
        expect(r.stdout.toString()).toContain(`coordinator-c3-v${i + 2}.age`);
      }
      previous = k;
    }
    expect(readdirSync(o.admin).filter((f) => f.startsWith('coordinator-c3'))).toEqual(['coordinator-c3-v4.age', 'coordinator-c3.age']);
  }, 300_000);

  it('adds a coordinator who brings their own public keys, and refuses bad ones', async () => {
    const before = snapshot(o.admin);
    const c = newCoordinator('x', 'X');
    const recipient = c.identity.recipient().toString();
    const signingKey = bytes.base64Padded(primitives().ed25519PublicKey(c.signingSeed));
    const bad: [string[], RegExp][] = [
      [['--recipient', 'age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', '--signing-key', signingKey], /--recipient must be a hybrid/],
      [['--recipient', recipient, '--signing-key', 'AAAA'], /--signing-key must be/],
      [['--recipient', recipient], /both --recipient and --signing-key/],
    ];
    for (const [args, message] of bad) {
      const r = await tipline(['keyring', 'add', '--id', 'x', '--name', 'X', ...args, ...common(o)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(snapshot(o.admin)).toEqual(before);
    const r = await tipline(['keyring', 'add', '--id', 'x', '--name', 'X', '--recipient', recipient, '--signing-key', signingKey, ...common(o)]);
    expect(r.code).toBe(0);
    const k = keyringOf(join(o.admin, 'keyring.json'));
    expect(k.coordinators.at(-1)).toEqual({ id: 'x', name: 'X', recipient, signingKey, roles: ['reports', 'warnings', 'members'] });
    // No identity file: only the public keys came in.
    expect(readdirSync(o.admin).some((f) => f.includes('-x'))).toBe(false);
  }, 300_000);
});

describe('tipline keyring: bad input gets one clear line and nothing is written', () => {
  let o: Org;
  let other: Org;
  let expired: Org;
  beforeAll(async () => {
    o = await makeOrg();
    other = await makeOrg();
    expired = await makeOrg({ now: new Date(Date.now() - 40 * 86_400_000), validDays: 30 });
  });
  afterAll(() => {
    for (const x of [o, other, expired]) removeDir(x.dir);
  });

  const cases: [string, (o: Org, other: Org) => string[], number, RegExp][] = [
    ['an unknown coordinator', (o) => ['remove', '--id', 'nobody', ...common(o)], 1, /no coordinator with id "nobody"/],
    ['a duplicate id', (o) => ['add', '--id', 'C1', '--name', 'Again', ...common(o)], 1, /already in the keyring/],
    ['an unknown role', (o) => ['roles', '--id', 'c1', '--roles', 'reports,god', ...common(o)], 2, /--roles must list/],
    ['a wrong root key passphrase', (o) => ['renew', '--admin-dir', o.admin, '--passphrase-file', join(o.dir, 'wrong.pass')], 1, /wrong passphrase for the root key/],
    ['the root key of another organisation', (o, x) => ['renew', '--root-key', join(x.admin, 'root-key.age'), ...common(o)], 1, /did not sign .*wrong root key/],
    ['a validity over 180 days', (o) => ['renew', '--valid-days', '181', ...common(o)], 2, /--valid-days must be 1 to 180/],
    ['removing the last coordinator', (o) => ['remove', '--id', 'c1', ...common(o)], 1, /.*/],
    ['a keyring file that is not signed', (o) => ['renew', '--admin-dir', join(o.dir, 'data-not-admin'), '--passphrase-file', o.passFile], 1, /cannot read keyring|no such file/],
  ];
  for (const [what, args, code, message] of cases) {
    it(`refuses ${what}`, async () => {
      writeFileSync(join(o.dir, 'wrong.pass'), 'not the passphrase\n', { mode: 0o600 });
      if (what === 'removing the last coordinator') {
        // First remove c2 so that c1 is the last (this change itself succeeds).
        expect((await tipline(['keyring', 'remove', '--id', 'c2', ...common(o)])).code).toBe(0);
      }
      const before = snapshot(o.admin);
      const r = await tipline(['keyring', ...args(o, other)]);
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(/^tipline: /);
      expect(r.stderr).toMatch(what === 'removing the last coordinator' ? /cannot remove the last coordinator/ : message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout.length).toBe(0);
      expect(snapshot(o.admin)).toEqual(before);
    }, 300_000);
  }

  it('refuses a tampered keyring.json', async () => {
    const file = join(o.admin, 'keyring.json');
    const env = JSON.parse(readFileSync(file, 'utf8')) as SignedEnvelope;
    const k = JSON.parse(bytes.fromUtf8(bytes.fromBase64Padded(env.payload))) as Keyring;
    const saved = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify({ ...env, payload: bytes.base64Padded(bytes.utf8(JSON.stringify({ ...k, version: 99 }))) }));
    try {
      const before = snapshot(o.admin);
      const r = await tipline(['keyring', 'renew', ...common(o)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/is not a signed keyring/);
      expect(snapshot(o.admin)).toEqual(before);
    } finally {
      writeFileSync(file, saved);
    }
  }, 300_000);

  it('an expired keyring: changes are refused until it is renewed; renew works', async () => {
    const before = snapshot(expired.admin);
    const r = await tipline(['keyring', 'add', '--id', 'c9', '--name', 'Nine', ...common(expired)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the keyring expired on \d{4}-\d\d-\d\d: renew it first/);
    expect(snapshot(expired.admin)).toEqual(before);
    const show = await tipline(['keyring', 'show', '--admin-dir', expired.admin]);
    expect(show.stdout.toString()).toMatch(/EXPIRED 10 days ago/);
    const renewed = await tipline(['keyring', 'renew', ...common(expired)]);
    expect(renewed.code).toBe(0);
    expect(keyringOf(join(expired.admin, 'keyring.json')).version).toBe(2);
  }, 300_000);
});

describe('tipline keyring against a real server: removal, rotation, rollback', () => {
  let o: Org;
  let server: SpawnedServer;
  let rootPublicKey: Uint8Array;

  beforeAll(async () => {
    o = await makeOrg();
    rootPublicKey = primitives().ed25519PublicKey(o.rootSeed);
    signer = o.coordinators[0]!.signingSeed;
    server = await startTiplineServer({ dataDir: o.data, org: 'existing' });
    // The reporter's client code, in node: its same-origin requests go to the real server.
    vi.stubGlobal('fetch', (path: string, init?: RequestInit) => realFetch(server.url + path, init));
    vi.stubGlobal('__TIPLINE_ROOT_PUBLIC_KEY__', bytes.base64Padded(rootPublicKey));
    vi.stubGlobal('__TIPLINE_MIN_KEYRING_VERSION__', 1);
  }, 300_000);
  afterAll(async () => {
    vi.unstubAllGlobals();
    await server?.stop();
    removeDir(o.dir);
  });

  /** The key that signs the test's own coordinator requests (c1's, new after the rotation). */
  let signer: Uint8Array;

  async function send(): Promise<Uint8Array> {
    const res = await sendReport(minimalReport(), [], () => {});
    const remote = createRemote(server.url, signer, realFetch);
    const d = await remote.json<{ report: string }>('GET', `/api/coordinator/reports/${res.reportId}`);
    return bytes.fromBase64Padded(d.report);
  }

  async function upload(version: number): Promise<void> {
    const r = await tipline(['keyring', 'upload', join(o.admin, `keyring-v${version}.json`), '--server', server.url]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe(`The server now holds keyring version ${version}.\n`);
  }

  const opens = async (file: Uint8Array, c: { identity: CoordinatorSecret['identity'] }) =>
    decrypt([c.identity], file).then(
      () => true,
      () => false,
    );

  it('after a coordinator is removed, new reports are not encrypted to them', async () => {
    const before = await send();
    expect(inspect(before).stanzas).toHaveLength(2);
    expect(await opens(before, o.coordinators[1]!)).toBe(true);

    expect((await tipline(['keyring', 'remove', '--id', 'c2', ...common(o)])).code).toBe(0);
    await upload(2);

    const after = await send();
    expect(inspect(after).stanzas).toHaveLength(1);
    expect(await opens(after, o.coordinators[0]!)).toBe(true);
    expect(await opens(after, o.coordinators[1]!)).toBe(false);
    // The removed coordinator's signed requests are refused too.
    const asRemoved = createRemote(server.url, o.coordinators[1]!.signingSeed, realFetch);
    await expect(asRemoved.json('GET', '/api/coordinator/reports')).rejects.toThrow();
  }, 300_000);

  it('after a rotation, old reports open in the console with the old identity given beside the new one', async () => {
    const r = await tipline(['keyring', 'rotate', '--id', 'c1', ...common(o)]);
    expect(r.code).toBe(0);
    const pass = /passphrase: (\S+)/.exec(r.stdout.toString())![1]!;
    await upload(3);
    const fresh = await openIdentityFile(readFileSync(join(o.admin, 'coordinator-c1-v3.age')), pass);
    signer = fresh.coordinator!.signingSeed;
    const newest = await send();
    expect(inspect(newest).stanzas).toHaveLength(1);
    expect(await opens(newest, o.coordinators[0]!)).toBe(false);
    expect(await opens(newest, fresh.coordinator!)).toBe(true);

    const old = await openIdentityFile(readFileSync(join(o.admin, 'coordinator-1.age')), 'pass c1');
    const consoleWith = async (identities: typeof fresh.identities) => {
      const s = new ConsoleService(createRemote(server.url, fresh.coordinator!.signingSeed, realFetch), fresh.coordinator!, identities, rootPublicKey);
      const result = await s.sync();
      expect(result.failed).toBe(0);
      return [...s.cases.values()].map((c) => c.status).sort();
    };
    // Three reports: two from before the rotation (to the old key), one after (to the new key).
    expect(await consoleWith([...fresh.identities, ...old.identities])).toEqual(['ok', 'ok', 'ok']);
    expect(await consoleWith(fresh.identities)).toEqual(['ok', 'undecryptable', 'undecryptable']);
    // The old signing key no longer signs for c1.
    await expect(createRemote(server.url, old.coordinator!.signingSeed, realFetch).json('GET', '/api/coordinator/reports')).rejects.toThrow();
  }, 300_000);

  it('a client pinning the new version refuses the older keyring, and the server refuses to go back to it', async () => {
    vi.stubGlobal('__TIPLINE_MIN_KEYRING_VERSION__', 3);
    expect((await verifiedRecipients()).keyring.version).toBe(3);
    // A seized server replaying the genuine, root-signed version 2.
    const old = readFileSync(join(o.admin, 'keyring-v2.json'), 'utf8');
    vi.stubGlobal('fetch', (path: string, init?: RequestInit) =>
      path === '/api/keyring' ? Promise.resolve(new Response(old, { headers: { 'content-type': 'application/json' } })) : realFetch(server.url + path, init),
    );
    try {
      const e = await verifiedRecipients().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(KeyringRefused);
      expect((e as InstanceType<typeof KeyringRefused>).reason).toBe('keyring version rollback');
      await expect(sendReport(minimalReport(), [], () => {})).rejects.toBeInstanceOf(KeyringRefused);
    } finally {
      vi.stubGlobal('fetch', (path: string, init?: RequestInit) => realFetch(server.url + path, init));
    }
    const r = await tipline(['keyring', 'upload', join(o.admin, 'keyring-v2.json'), '--server', server.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tipline: the server refused keyring version 2: keyring version not newer\n');
  }, 300_000);
});
