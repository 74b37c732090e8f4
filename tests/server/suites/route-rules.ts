/**
 * The route table (tests/server/route-rules.ts) against the app: every route has a rule,
 * every rule is enforced, every stamp pays once, every body limit holds before anyone reads
 * the body.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridIdentity,
  bytes,
  checkPow,
  encodeKeyring,
  encodeProfile,
  encrypt,
  keyringRecipients,
  primitives,
  signDocument,
  signKeyring,
  signProfile,
  signStatistics,
  signRequest,
  type Keyring,
  type Role,
} from '../../../crypto/index.js';
import { insertKeyring, insertSession } from '../../../server/db/queries.js';
import { FORM_TTL_SECONDS } from '../../../server/routes/basic-form.js';
import { dayOf, sha256 } from '../../../server/util.js';
import { expectError, makeHarness, type Harness, type HarnessOptions, type TestCoordinator } from '../harness.js';
import { ROUTE_RULES, routeKey, type Body, type Call, type Fixture, type Member, type RouteRule, type RuleKind } from '../route-rules.js';
import { unchanged, type GetFactory } from './common.js';
import { sampleProfile } from './profile.js';
import { sampleStatistics } from './statistics.js';

const TABLE = 'tests/server/route-rules.ts';

/**
 * The app's routes as `METHOD path`, without middleware (`use()` registers `ALL <prefix>/*`:
 * a guard for the routes below that prefix, each of which is listed and checked itself).
 */
export function appRoutes(h: Harness): string[] {
  const keys = h.app.routes.filter((r) => !(r.method === 'ALL' && r.path.endsWith('/*'))).map(routeKey);
  return [...new Set(keys)];
}

function testCoordinator(id: string, roles: Role[]): TestCoordinator {
  const seed = primitives().randomBytes(32);
  return { id, identity: HybridIdentity.generate(), seed, publicKey: primitives().ed25519PublicKey(seed), roles };
}

/** A harness whose keyring (version 2) also has one coordinator per single role, and a built client. */
export async function rulesHarness(getFactory: GetFactory, opts: HarnessOptions = {}) {
  const h = await makeHarness(getFactory(), opts);
  const single: Record<Role, TestCoordinator> = {
    reports: h.coordinators.reader,
    warnings: testCoordinator('warden', ['warnings']),
    members: testCoordinator('clerk', ['members']),
    admin: testCoordinator('steward', ['admin']),
  };
  const list = [h.coordinators.all, single.reports, single.warnings, single.members, single.admin];
  const keyring = h.makeKeyring(2, list);
  await insertKeyring(h.db, 2, JSON.stringify(signKeyring(keyring, h.rootSeed)), dayOf(h.clock.now()));
  h.recipients = keyringRecipients(keyring);
  // A client build pinned to this root key, so the static routes answer 200.
  const dir = h.config.clientDir;
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'build-info.json'), JSON.stringify({ rootPublicKey: bytes.base64Padded(h.rootPublicKey) }));
  for (const f of ['index.html', 'join.html']) writeFileSync(join(dir, f), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'void 0;');
  writeFileSync(join(dir, 'robots.txt'), 'User-agent: *\n');
  let version = 2;
  let profileVersion = 1;
  // A stored profile, so GET /api/profile answers 200.
  const first = await h.request('/api/profile', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signProfile(sampleProfile(1), h.rootSeed)) });
  if (first.status !== 200) throw new Error(`profile: ${first.status}`);
  let statisticsVersion = 1;
  const newStatistics = () => signStatistics(sampleStatistics(++statisticsVersion), h.coordinators.all.seed);
  // A stored summary, so GET /api/statistics answers 200.
  const firstStats = await h.coord('POST', '/api/coordinator/statistics', signStatistics(sampleStatistics(1), h.coordinators.all.seed));
  if (firstStats.status !== 201) throw new Error(`statistics: ${firstStats.status}`);
  let n = 0;
  return {
    h,
    single,
    coordinators: list,
    nextKeyring: (): Keyring => h.makeKeyring(++version, list),
    nextProfileVersion: () => ++profileVersion,
    newStatistics,
    fresh: (prefix: string) => `${prefix}-${n++}-${randomBytes(3).toString('hex')}`,
  };
}
export type RulesHarness = Awaited<ReturnType<typeof rulesHarness>>;

async function upload(h: Harness, reportId: string, token: string, file: Uint8Array): Promise<string> {
  const r = await h.request(`/api/attachments?report=${reportId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'tipline-upload-token': token },
    body: file as BodyInit,
  });
  if (r.status !== 201) throw new Error(`upload failed: ${r.status}`);
  return ((await r.json()) as { id: string }).id;
}

async function ok<T>(r: Promise<Response>, status = 201): Promise<T> {
  const res = await r;
  if (res.status !== status) throw new Error(`fixture request failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A fresh fixture (see {@link Fixture}). */
export async function makeFixture(t: RulesHarness): Promise<Fixture> {
  const { h } = t;
  const report = async () => {
    const mailbox = h.mailbox();
    return { ...(await h.submitReport({ mailbox })), mailbox };
  };
  const a = await report();
  const b = await report();
  const attachmentId = await upload(h, a.id, a.uploadToken, await h.toCoordinators('photo'));
  const { id: noteId } = await ok<{ id: string }>(h.coord('POST', `/api/coordinator/reports/${a.id}/notes`, { note: bytes.base64Padded(await h.toCoordinators('note')) }));
  const { id: warningId } = await ok<{ id: string }>(h.coord('POST', '/api/coordinator/warnings', h.validWarning({ advice: t.fresh('warning') }).envelope));
  const passphrase = 'correct horse battery';
  const member: Member = { ...(await h.member(t.fresh('member'), passphrase)) };
  const revoked: Member = { ...(await h.member(t.fresh('revoked'), passphrase)) };
  await ok(h.coord('POST', `/api/coordinator/members/${revoked.id}/revoke`), 200);
  const pendingLogin = t.fresh('pending');
  const { id: pendingId } = await ok<{ id: string }>(
    h.postJson(
      '/api/members/apply',
      { login: pendingLogin, passphrase, application: bytes.base64Padded(await h.toCoordinators('application')) },
      { 'tipline-pow': await h.stamp() },
    ),
  );
  return {
    h,
    a,
    b,
    attachmentId,
    noteId,
    warningId,
    member,
    revoked,
    pending: { id: pendingId, login: pendingLogin, passphrase, cookie: '' },
    files: {
      report: await h.reportFile(),
      photo: await h.toCoordinators('another photo'),
      note: await h.toCoordinators('a note'),
      message: await h.toCoordinators('a follow-up'),
      application: await h.toCoordinators('an application'),
      reply: await encrypt([a.mailbox.reply.recipient()], bytes.utf8('a reply')),
    },
    newWarning: () => h.validWarning({ advice: t.fresh('new warning') }).envelope,
    nextKeyring: t.nextKeyring(),
    nextProfileVersion: t.nextProfileVersion,
    newStatistics: t.newStatistics,
    fresh: t.fresh,
  };
}

// ---- sending ----------------------------------------------------------------------------

function encode(body: Body | undefined): { raw?: Uint8Array; type?: string } {
  if (body === undefined) return {};
  if ('json' in body) return { raw: bytes.utf8(JSON.stringify(body.json)), type: 'application/json' };
  if ('bytes' in body) return { raw: body.bytes, type: body.type };
  if ('form' in body) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(body.form)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
    return { raw: bytes.utf8(p.toString()), type: 'application/x-www-form-urlencoded' };
  }
  // An unsigned profile or keyring: the envelope without its signature.
  if ('profileVersion' in body) return encode({ json: { v: 1, kind: 'profile', payload: bytes.base64Padded(encodeProfile(sampleProfile(body.profileVersion))) } });
  return encode({ json: { v: 1, kind: 'keyring', payload: bytes.base64Padded(bytes.utf8(JSON.stringify(body.keyring))) } });
}

interface SendOptions {
  headers?: Record<string, string>;
  sign?: { scope: 'coordinator' | 'mailbox'; seed: Uint8Array; timestamp?: number; signedPath?: string; signedBody?: Uint8Array };
}

/** Send a call as it is: no credential unless `o` adds one. */
export function send(h: Harness, method: string, call: Call, o: SendOptions = {}): Promise<Response> {
  const { raw, type } = encode(call.body);
  if (o.sign) {
    const { scope, seed, ...opts } = o.sign;
    return h.signed(scope, seed, method, call.path, raw, { ...opts, contentType: type, headers: o.headers });
  }
  return h.request(call.path, {
    method,
    headers: { ...(type ? { 'content-type': type } : {}), ...o.headers },
    body: raw as BodyInit | undefined,
  });
}

const withForm = (call: Call, extra: Record<string, string>): Call => {
  if (!call.body || !('form' in call.body)) throw new Error('form-token routes take form bodies');
  return { ...call, body: { form: { ...call.body.form, ...extra } } };
};

const withJson = (call: Call, extra: Record<string, unknown>): Call => {
  if (!call.body || !('json' in call.body)) throw new Error(`expected a JSON body for ${call.path}`);
  return { ...call, body: { json: { ...(call.body.json as object), ...extra } } };
};

const signedKeyring = (call: Call, seed: Uint8Array): Call => {
  if (!call.body || !('keyring' in call.body)) throw new Error('root routes take a keyring body');
  // signKeyring would refuse a keyring that lists its own signer; a forger would not ask it.
  return { ...call, body: { json: signDocument('keyring', encodeKeyring(call.body.keyring), seed) } };
};

const signedProfile = (call: Call, seed: Uint8Array): Call => {
  if (!call.body || !('profileVersion' in call.body)) throw new Error('profile routes take a profileVersion body');
  return { ...call, body: { json: signProfile(sampleProfile(call.body.profileVersion), seed) } };
};

/** A valid form token, old enough to be accepted. */
function formToken(h: Harness): string {
  const token = h.app.ctx.pow.issueFormToken(FORM_TTL_SECONDS);
  h.clock.advance(h.config.basicForm.minFillSeconds + 1);
  return token;
}

/** A stamp whose nonce does not meet the challenge's difficulty. */
async function insufficientStamp(h: Harness): Promise<string> {
  const { challenge, difficulty } = (await (await h.request('/api/pow')).json()) as { challenge: string; difficulty: number };
  for (let n = 0; ; n++) if (!checkPow(`${challenge}:${n}`, difficulty)) return `${challenge}:${n}`;
}

/** The same stamp with one character of its challenge (and so its MAC) changed. */
function forged(stamp: string): string {
  const i = 10;
  return stamp.slice(0, i) + (stamp[i] === 'A' ? 'B' : 'A') + stamp.slice(i + 1);
}

// ---- the rules --------------------------------------------------------------------------

interface Refusal {
  name: string;
  status: number;
  /** Set up what the refusal needs (outside the check that nothing changed). */
  prepare?: (f: Fixture) => Promise<string>;
  send: (f: Fixture, call: Call, prepared: string) => Promise<Response>;
}

interface KindCheck {
  /** Send with the right credential. */
  accept: (f: Fixture, call: Call) => Promise<Response>;
  refusals: Refusal[];
}

/** How each rule kind is satisfied and how it is broken. */
export function kindChecks(t: RulesHarness, method: string, rule: RouteRule['rule']): KindCheck {
  const { h } = t;
  const cookie = (c: string) => ({ headers: { cookie: c } });
  switch (rule.kind) {
    case 'public':
      return { accept: (_f, call) => send(h, method, call), refusals: [] };
    case 'pow':
      return {
        accept: async (_f, call) => send(h, method, call, { headers: { 'tipline-pow': await h.stamp() } }),
        refusals: [
          { name: 'without a stamp', status: 403, send: (_f, call) => send(h, method, call) },
          { name: 'with garbage', status: 403, send: (_f, call) => send(h, method, call, { headers: { 'tipline-pow': 'not a stamp' } }) },
          { name: 'with a forged challenge', status: 403, send: async (_f, call) => send(h, method, call, { headers: { 'tipline-pow': forged(await h.stamp()) } }) },
          { name: 'with too little work', status: 403, send: async (_f, call) => send(h, method, call, { headers: { 'tipline-pow': await insufficientStamp(h) } }) },
          { name: 'with a form token', status: 403, send: (_f, call) => send(h, method, call, { headers: { 'tipline-pow': `${formToken(h)}:1` } }) },
          {
            name: 'with an expired stamp',
            status: 403,
            send: async (_f, call) => {
              const stamp = await h.stamp();
              h.clock.advance(h.config.pow.challengeTtlSeconds + 1);
              return send(h, method, call, { headers: { 'tipline-pow': stamp } });
            },
          },
        ],
      };
    case 'form-token':
      return {
        accept: (_f, call) => send(h, method, withForm(call, { token: formToken(h) })),
        refusals: [
          { name: 'without a token', status: 403, send: (_f, call) => send(h, method, call) },
          { name: 'with a forged token', status: 403, send: (_f, call) => send(h, method, withForm(call, { token: forged(formToken(h)) })) },
          {
            name: 'with a proof-of-work challenge as token',
            status: 403,
            send: async (_f, call) => send(h, method, withForm(call, { token: (await h.stamp()).split(':')[0]! })),
          },
          {
            name: 'sent too quickly',
            status: 403,
            send: (_f, call) => send(h, method, withForm(call, { token: h.app.ctx.pow.issueFormToken(FORM_TTL_SECONDS) })),
          },
        ],
      };
    case 'upload-token': {
      const token = (tok: string) => ({ headers: { 'tipline-upload-token': tok } });
      return {
        accept: (f, call) => send(h, method, call, token(f.a.uploadToken)),
        refusals: [
          { name: 'without a token', status: 403, send: (_f, call) => send(h, method, call) },
          { name: 'with a malformed token', status: 403, send: (_f, call) => send(h, method, call, token('x')) },
          { name: 'with a wrong token', status: 403, send: (_f, call) => send(h, method, call, token(randomBytes(32).toString('base64url'))) },
          { name: "with another report's token", status: 403, send: (f, call) => send(h, method, call, token(f.b.uploadToken)) },
        ],
      };
    }
    case 'mailbox':
      return {
        accept: (f, call) => send(h, method, call, { sign: { scope: 'mailbox', seed: f.a.mailbox.seed } }),
        refusals: [
          { name: 'unsigned', status: 401, send: (_f, call) => send(h, method, call) },
          { name: "signed by another mailbox's key", status: 404, send: (f, call) => send(h, method, call, { sign: { scope: 'mailbox', seed: f.b.mailbox.seed } }) },
          { name: 'signed with the coordinator scope', status: 401, send: (f, call) => send(h, method, call, { sign: { scope: 'coordinator', seed: f.a.mailbox.seed } }) },
          {
            name: 'signed for another path',
            status: 401,
            send: (f, call) => send(h, method, call, { sign: { scope: 'mailbox', seed: f.a.mailbox.seed, signedPath: `/api/mailboxes/${f.b.mailbox.id}` } }),
          },
          {
            name: 'signed too long ago',
            status: 401,
            send: (f, call) =>
              send(h, method, call, { sign: { scope: 'mailbox', seed: f.a.mailbox.seed, timestamp: h.app.ctx.seconds() - h.config.requestWindowSeconds - 5 } }),
          },
        ],
      };
    case 'passphrase': {
      const as = (call: Call, login: string, passphrase: string) => send(h, method, withJson(call, { login, passphrase }));
      return {
        accept: (f, call) => as(call, f.member.login, f.member.passphrase),
        refusals: [
          { name: 'with a wrong passphrase', status: 401, send: (f, call) => as(call, f.member.login, 'wrong passphrase!') },
          { name: 'with an unknown login', status: 401, send: (f, call) => as(call, f.fresh('nobody'), 'correct horse battery') },
          { name: 'as a pending member', status: 403, send: (f, call) => as(call, f.pending.login, f.pending.passphrase) },
          { name: 'as a revoked member', status: 403, send: (f, call) => as(call, f.revoked.login, f.revoked.passphrase) },
        ],
      };
    }
    case 'member': {
      // A session row that exists in the database but belongs to someone who may not read.
      const plantedSession = async (memberId: string, expires = 30): Promise<string> => {
        const token = randomBytes(32).toString('base64url');
        const day = new Date(h.clock.now().getTime() + expires * 86_400_000);
        await insertSession(h.db, sha256(token), memberId, dayOf(day));
        return `tipline_session=${token}`;
      };
      return {
        accept: (f, call) => send(h, method, call, cookie(f.member.cookie)),
        refusals: [
          { name: 'without a session', status: 401, send: (_f, call) => send(h, method, call) },
          { name: 'with a malformed cookie', status: 401, send: (_f, call) => send(h, method, call, cookie('tipline_session=x')) },
          { name: 'with an unknown session', status: 401, send: (_f, call) => send(h, method, call, cookie(`tipline_session=${randomBytes(32).toString('base64url')}`)) },
          { name: "with a revoked member's old session", status: 401, send: (f, call) => send(h, method, call, cookie(f.revoked.cookie)) },
          {
            name: 'with a session of a revoked member',
            status: 401,
            prepare: (f) => plantedSession(f.revoked.id),
            send: (_f, call, c) => send(h, method, call, cookie(c)),
          },
          {
            name: 'with a session of a pending member',
            status: 401,
            prepare: (f) => plantedSession(f.pending.id),
            send: (_f, call, c) => send(h, method, call, cookie(c)),
          },
          {
            name: 'with an expired session',
            status: 401,
            prepare: (f) => plantedSession(f.member.id, -1),
            send: (_f, call, c) => send(h, method, call, cookie(c)),
          },
        ],
      };
    }
    case 'coordinator': {
      const as = (seed: Uint8Array, scope: 'coordinator' | 'mailbox' = 'coordinator') => ({ sign: { scope, seed } });
      const others = t.coordinators.filter((c) => !c.roles.includes(rule.role));
      return {
        accept: (_f, call) => send(h, method, call, as(h.coordinators.all.seed)),
        refusals: [
          { name: 'unsigned', status: 401, send: (_f, call) => send(h, method, call) },
          { name: 'signed by a key outside the keyring', status: 401, send: (_f, call) => send(h, method, call, as(h.outsider.seed)) },
          ...others.map((c) => ({
            name: `signed by a coordinator without the ${rule.role} role (${c.roles.join(', ')})`,
            status: 403,
            send: (_f: Fixture, call: Call) => send(h, method, call, as(c.seed)),
          })),
          { name: 'signed with the mailbox scope', status: 401, send: (_f, call) => send(h, method, call, as(h.coordinators.all.seed, 'mailbox')) },
          {
            name: 'signed over another body',
            status: 401,
            send: (_f, call) => send(h, method, call, { sign: { scope: 'coordinator', seed: h.coordinators.all.seed, signedBody: bytes.utf8('{"other":1}') } }),
          },
          {
            name: 'signed by the root key',
            status: 401,
            send: (_f, call) => send(h, method, call, as(h.rootSeed)),
          },
        ],
      };
    }
    case 'root':
      return {
        accept: (_f, call) => send(h, method, signedKeyring(call, h.rootSeed)),
        refusals: [
          { name: 'unsigned', status: 400, send: (_f, call) => send(h, method, call) },
          { name: 'signed by a coordinator', status: 400, send: (_f, call) => send(h, method, signedKeyring(call, h.coordinators.all.seed)) },
          { name: 'signed by an outsider', status: 400, send: (_f, call) => send(h, method, signedKeyring(call, h.outsider.seed)) },
          {
            name: 'with a flipped signature bit',
            status: 400,
            send: (_f, call) => {
              const c = signedKeyring(call, h.rootSeed);
              const env = (c.body as { json: { signature: string } }).json;
              const sig = bytes.fromBase64Padded(env.signature);
              sig[7]! ^= 0x10;
              return send(h, method, { ...c, body: { json: { ...env, signature: bytes.base64Padded(sig) } } });
            },
          },
          { name: 'an older version signed by the root', status: 409, send: (_f, call) => send(h, method, signedKeyring({ ...call, body: { keyring: h.makeKeyring(1, t.coordinators) } }, h.rootSeed)) },
        ],
      };
    case 'profile-signer':
      return {
        accept: (_f, call) => send(h, method, signedProfile(call, h.rootSeed)),
        refusals: [
          { name: 'unsigned', status: 400, send: (_f, call) => send(h, method, call) },
          { name: 'signed by a coordinator without the admin role', status: 400, send: (_f, call) => send(h, method, signedProfile(call, h.coordinators.all.seed)) },
          { name: 'signed by an outsider', status: 400, send: (_f, call) => send(h, method, signedProfile(call, h.outsider.seed)) },
          {
            name: 'with a flipped signature bit',
            status: 400,
            send: (_f, call) => {
              const c = signedProfile(call, h.rootSeed);
              const env = (c.body as { json: { signature: string } }).json;
              const sig = bytes.fromBase64Padded(env.signature);
              sig[7]! ^= 0x10;
              return send(h, method, { ...c, body: { json: { ...env, signature: bytes.base64Padded(sig) } } });
            },
          },
          { name: 'an older version signed by the root', status: 409, send: (_f, call) => send(h, method, signedProfile({ ...call, body: { profileVersion: 1 } }, h.rootSeed)) },
        ],
      };
  }
}

/** The rule kinds whose credential is spent once (a stamp or a form token). */
export const SPENT_ONCE: RuleKind[] = ['pow', 'form-token'];

// ---- the suite --------------------------------------------------------------------------

export function routeRulesSuite(getFactory: GetFactory): void {
  describe('route rules', () => {
    let t: RulesHarness;
    beforeAll(async () => {
      t = await rulesHarness(getFactory);
    });
    afterAll(() => t.h.close());

    it(`every route of the app has exactly one rule in ${TABLE}, and every entry names a route`, () => {
      const table = ROUTE_RULES.map(routeKey);
      const dupes = table.filter((k, i) => table.indexOf(k) !== i);
      expect(dupes, `routes listed twice in ${TABLE}`).toEqual([]);
      const app = appRoutes(t.h);
      const missing = app.filter((k) => !table.includes(k));
      expect(missing, `routes without a rule: add them to ${TABLE} with who may call them`).toEqual([]);
      const gone = table.filter((k) => !app.includes(k));
      expect(gone, `entries in ${TABLE} for routes the app no longer has`).toEqual([]);
    });

    for (const entry of ROUTE_RULES) {
      const label = entry.rule.kind === 'coordinator' ? `coordinator (${entry.rule.role})` : entry.rule.kind;
      it(`${routeKey(entry)} [${label}] refuses the wrong credentials (and replays), changing nothing, and accepts the right one`, async () => {
        const f = await makeFixture(t);
        const check = kindChecks(t, entry.method, entry.rule);
        for (const refusal of check.refusals) {
          const prepared = (await refusal.prepare?.(f)) ?? '';
          await unchanged(t.h, async () => {
            const r = await refusal.send(f, entry.request(f), prepared);
            const text = await r.clone().text();
            expect(r.status, `${routeKey(entry)} ${refusal.name}: ${text}`).toBe(refusal.status);
            if (r.headers.get('content-type')?.startsWith('application/json')) await expectError(r, refusal.status);
            // A refused passphrase is counted (abuse_counters: proof of work after a few failures).
          }, entry.rule.kind === 'passphrase' ? ['abuse_counters'] : []);
        }
        const kind = entry.rule.kind;
        if ((kind === 'coordinator' || kind === 'mailbox') && entry.method !== 'GET') {
          // A state-changing signature is accepted once: the same request again is a replay.
          const seed = kind === 'coordinator' ? t.h.coordinators.all.seed : f.a.mailbox.seed;
          const call = entry.request(f);
          const once = () => send(t.h, entry.method, call, { sign: { scope: kind, seed, timestamp: t.h.app.ctx.seconds() - 1 } });
          const r = await once();
          expect(r.status, `${routeKey(entry)} with the right credential: ${await r.clone().text()}`).toBe(entry.ok);
          await unchanged(t.h, async () => {
            const again = await once();
            expect(await expectError(again, 401), `${routeKey(entry)} replayed`).toBe('replayed request');
          });
        } else {
          const r = await check.accept(f, entry.request(f));
          expect(r.status, `${routeKey(entry)} with the right credential: ${await r.clone().text()}`).toBe(entry.ok);
        }
      });
    }
  });
}

/** The spent-once credential of a rule kind, attached to a call. */
async function withSpendable(t: RulesHarness, kind: RuleKind, call: Call, credential: string): Promise<{ call: Call; headers: Record<string, string> }> {
  if (kind === 'pow') return { call, headers: { 'tipline-pow': credential } };
  if (kind === 'form-token') return { call: withForm(call, { token: credential }), headers: {} };
  throw new Error(`${kind} is not spent once`);
}

async function spendable(t: RulesHarness, kind: RuleKind): Promise<string> {
  return kind === 'pow' ? t.h.stamp() : formToken(t.h);
}

/** The same request with a body the route refuses (after checking the credential's shape). */
function invalidBody(kind: RuleKind, call: Call): Call {
  return kind === 'form-token' ? withForm(call, { incidentTypes: 'not-a-type' }) : withJson(call, { unexpected: true });
}

/**
 * Proof of work and form tokens. Decision: a stamp is spent by the request it pays for,
 * in the transaction that stores it; a request refused before that (bad body, wrong
 * recipients, login taken) leaves it unspent, so a person can correct the form and send
 * again without new work. Either way it pays for at most one accepted request.
 */
export function stampSuite(getFactory: GetFactory): void {
  describe('every stamp pays once', () => {
    let t: RulesHarness;
    beforeAll(async () => {
      t = await rulesHarness(getFactory);
    });
    afterAll(() => t.h.close());
    const paid = ROUTE_RULES.filter((e) => SPENT_ONCE.includes(e.rule.kind));

    it('the table has the routes that take proof of work or a form token', () => {
      expect(paid.map(routeKey)).toEqual(expect.arrayContaining(['POST /api/reports', 'POST /api/members/apply', 'POST /report/basic']));
    });

    for (const entry of paid) {
      const kind = entry.rule.kind;
      const go = async (f: Fixture, credential: string, call = entry.request(f)) => {
        const s = await withSpendable(t, kind, call, credential);
        return send(t.h, entry.method, s.call, { headers: s.headers });
      };

      it(`${routeKey(entry)}: a refused request leaves the stamp unspent; it then pays for one request and never another`, async () => {
        const f = await makeFixture(t);
        const credential = await spendable(t, kind);
        await unchanged(t.h, async () => {
          const s = await withSpendable(t, kind, invalidBody(kind, entry.request(f)), credential);
          expect((await send(t.h, entry.method, s.call, { headers: s.headers })).status).toBe(400);
        });
        const first = await go(f, credential);
        expect(first.status, await first.clone().text()).toBe(entry.ok);
        await unchanged(t.h, async () => {
          const again = await go(f, credential);
          expect(again.status, await again.clone().text()).toBe(403);
        });
      });

      it(`${routeKey(entry)}: two requests sent at once with one stamp, exactly one is accepted`, async () => {
        const f = await makeFixture(t);
        const credential = await spendable(t, kind);
        const before = await t.h.counts();
        const statuses = (await Promise.all([go(f, credential), go(f, credential), go(f, credential)])).map((r) => r.status).sort();
        expect(statuses).toEqual([entry.ok, 403, 403].sort());
        const after = await t.h.counts();
        expect(after.spent_stamps - before.spent_stamps).toBe(1);
        expect(after.reports + after.members - before.reports - before.members).toBe(1);
      });
    }

    it('a proof-of-work stamp spent on one route is refused by every other', async () => {
      const pow = paid.filter((e) => e.rule.kind === 'pow');
      expect(pow.length).toBeGreaterThan(1);
      const f = await makeFixture(t);
      for (const first of pow) {
        const stamp = await t.h.stamp();
        const r = await send(t.h, first.method, first.request(f), { headers: { 'tipline-pow': stamp } });
        expect(r.status).toBe(first.ok);
        for (const other of pow.filter((e) => e !== first)) {
          await unchanged(t.h, async () => {
            const again = await send(t.h, other.method, other.request(f), { headers: { 'tipline-pow': stamp } });
            expect(again.status, `${routeKey(other)} after ${routeKey(first)}`).toBe(403);
          });
        }
      }
    });
  });
}

const OVERSIZED = 2 << 20;

/** Rule kinds whose credential is all in headers and needs no body, with the status refusing its absence. */
const HEADER_ONLY: Partial<Record<RuleKind, number>> = { pow: 403, 'upload-token': 403, member: 401 };

/** Headers carrying the right credential for an oversized body, for rules whose credential is in headers. */
async function headerCredential(t: RulesHarness, f: Fixture, entry: RouteRule, body: Uint8Array): Promise<(() => Record<string, string>) | undefined> {
  const { h } = t;
  const rule = entry.rule;
  const signed = (scope: 'coordinator' | 'mailbox', seed: Uint8Array) => () =>
    signRequest(scope, { method: entry.method, path: entry.request(f).path, body, timestamp: h.app.ctx.seconds() - Math.floor(Math.random() * 60) }, seed);
  switch (rule.kind) {
    case 'pow': {
      const stamp = await h.stamp();
      return () => ({ 'tipline-pow': stamp });
    }
    case 'upload-token':
      return () => ({ 'tipline-upload-token': f.a.uploadToken });
    case 'member':
      return () => ({ cookie: f.member.cookie });
    case 'mailbox':
      return signed('mailbox', f.a.mailbox.seed);
    case 'coordinator':
      return signed('coordinator', h.coordinators.all.seed);
    default:
      // public, or the credential is inside the body (form token, passphrase, root signature).
      return undefined;
  }
}

/**
 * Every route that can take a body (every method but GET) refuses an oversized one with 413
 * before any credential is looked at, whether the length is declared or the body streams,
 * and stores nothing. The limits are set so that 2 MiB is over every one of them.
 */
export function bodyLimitSuite(getFactory: GetFactory): void {
  describe('body limits on every route', () => {
    let t: RulesHarness;
    beforeAll(async () => {
      t = await rulesHarness(getFactory, { config: { limits: { attachmentBytes: 1 << 20 } } });
    });
    afterAll(() => t.h.close());
    const withBody = ROUTE_RULES.filter((e) => e.method !== 'GET');

    it('the limits configured here are all below the oversized body', () => {
      const L = t.h.config.limits;
      for (const v of [L.jsonBytes, L.attachmentBytes, L.basicFormBytes, L.reportBytes, L.messageBytes, L.caseNoteBytes, L.warningBytes, L.applicationBytes]) {
        expect(Math.ceil((v * 4) / 3) + 64 * 1024).toBeLessThan(OVERSIZED);
      }
    });

    for (const entry of withBody) {
      const kind = entry.rule.kind;
      it(`${routeKey(entry)} [${kind}]: an oversized body gets 413 without any credential and with the right one, declared or streamed, and nothing is stored`, async () => {
        const f = await makeFixture(t);
        const call = entry.request(f);
        const { raw, type = 'application/json' } = encode(call.body);
        // The valid body, then filler: what a route checks in the first bytes (an age header) passes.
        const big = new Uint8Array(OVERSIZED).fill(0x61);
        if (raw) big.set(raw);
        const url = `http://localhost${call.path}`;
        const declared = (headers: Record<string, string>) =>
          t.h.app.request(new Request(url, { method: entry.method, headers: { ...headers, 'content-type': type, 'content-length': String(big.length) }, body: big }));
        const streamed = (headers: Record<string, string>) => {
          let sent = 0;
          const body = new ReadableStream<Uint8Array>({
            pull(c) {
              if (sent >= big.length) return c.close();
              c.enqueue(big.subarray(sent, sent + 64 * 1024));
              sent += 64 * 1024;
            },
          });
          return t.h.app.request(new Request(url, { method: entry.method, headers: { ...headers, 'content-type': type }, body, duplex: 'half' } as RequestInit));
        };
        const credential = await headerCredential(t, f, entry, big);
        await unchanged(t.h, async () => {
          const a = await declared({});
          expect(a.status, `declared, no credential: ${await a.clone().text()}`).toBe(413);
          // A credential carried in headers alone may be refused before the body is read;
          // a signature covers the body, so a signed route must hit the limit first.
          const b = await streamed({});
          const early = HEADER_ONLY[kind];
          expect(b.status === 413 || b.status === early, `streamed, no credential: ${b.status} ${await b.clone().text()}`).toBe(true);
          if (credential) {
            const c = await declared(credential());
            expect(c.status, `declared, right credential: ${await c.clone().text()}`).toBe(413);
            const d = await streamed(credential());
            expect(d.status, `streamed, right credential: ${await d.clone().text()}`).toBe(413);
          }
        });
      });
    }
  });
}
