/**
 * Every route of the app and who may call it. tests/server/suites/route-rules.ts walks
 * `app.routes` and fails for a route missing here, an entry whose route is gone, and a rule
 * that is not enforced (the route is called without the credential and with wrong ones, and
 * must refuse; with the right one it must succeed).
 *
 * Adding a route: add one entry. `request` builds a request that succeeds once the rule's
 * credential is added (the test adds it: a stamp, a signature, a cookie...); the fixture
 * holds a report with a mailbox, an attachment and a note, a second report, a published
 * warning, an approved, a revoked and a pending member, and files encrypted to the keyring.
 */
import { blindCheck, type Keyring, type Role } from '../../crypto/index.js';
import type { Harness } from './harness.js';

export type Rule =
  /** Anyone, no credential. `why` says why that is safe. */
  | { kind: 'public'; why: string }
  /** A proof-of-work stamp in `tipline-pow`, spent once. */
  | { kind: 'pow' }
  /** The no-JavaScript form's server-signed token (body field `token`), spent once. */
  | { kind: 'form-token' }
  /** The report's upload token in `tipline-upload-token`. */
  | { kind: 'upload-token' }
  /** Signed (scope 'mailbox') by the key registered for the mailbox in the path. */
  | { kind: 'mailbox' }
  /** Login name and passphrase of an approved member. */
  | { kind: 'passphrase' }
  /** A live session cookie of an approved member. */
  | { kind: 'member' }
  /** Signed (scope 'coordinator') by a key of the current keyring holding `role`, once. */
  | { kind: 'coordinator'; role: Role }
  /** The body is a keyring signed by the organisation root key. */
  | { kind: 'root' }
  /** The body is an organisation profile signed by the root key or a keyring key with role `admin`. */
  | { kind: 'profile-signer' };

export type RuleKind = Rule['kind'];

export type Body =
  | { json: unknown }
  | { bytes: Uint8Array; type: string }
  /** Form fields; the form-token rule adds `token`. */
  | { form: Record<string, string | string[]> }
  /** A keyring; the root rule signs it into an envelope. */
  | { keyring: Keyring }
  /** A profile version; the profile-signer rule signs a profile with it. */
  | { profileVersion: number };

export interface Call {
  /** Path with query, parameters filled in. */
  path: string;
  body?: Body;
}

export interface Member {
  id: string;
  login: string;
  passphrase: string;
  cookie: string;
}

export interface MailboxKey {
  id: string;
  seed: Uint8Array;
  publicKey: Uint8Array;
  reply: { recipient(): { toString(): string } };
}

export interface FixtureReport {
  id: string;
  uploadToken: string;
  mailbox: MailboxKey;
}

/** What each entry's request may refer to; made fresh for every route checked. */
export interface Fixture {
  h: Harness;
  /** A report with a mailbox, an attachment and a case note. */
  a: FixtureReport;
  /** Another report with another mailbox. */
  b: FixtureReport;
  attachmentId: string;
  noteId: string;
  /** A published warning. */
  warningId: string;
  /** Approved and logged in. */
  member: Member;
  /** Revoked after logging in (`cookie` is the session it had). */
  revoked: Member;
  /** Applied, not decided (no session possible; `cookie` is empty). */
  pending: Member;
  files: {
    /** Encrypted to the keyring's coordinators. */
    report: Uint8Array;
    photo: Uint8Array;
    note: Uint8Array;
    message: Uint8Array;
    application: Uint8Array;
    /** To report a's reply recipient only. */
    reply: Uint8Array;
  };
  /** A warning envelope nobody published yet. */
  newWarning: () => unknown;
  /** The current keyring with the next version number (unsigned). */
  nextKeyring: Keyring;
  /** A profile version above every stored one. */
  nextProfileVersion: () => number;
  /** A statistics summary signed by a `warnings` coordinator, with a version above every stored one. */
  newStatistics: () => unknown;
  /** A name nobody uses yet. */
  fresh: (prefix: string) => string;
}

export interface RouteRule {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'ALL';
  /** The route's path pattern exactly as `app.routes` lists it. */
  path: string;
  rule: Rule;
  /** A request that succeeds with the rule's credential. */
  request: (f: Fixture) => Call;
  /** The status of that success. */
  ok: number;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const coordinator = (role: Role): Rule => ({ kind: 'coordinator', role });
/** A fresh blinded element of a random input (what a browser sends for a check). */
const blindedElement = () => b64(blindCheck(crypto.getRandomValues(new Uint8Array(32))).blinded);
const STATIC = 'the public web client: no data, the same for everyone';

export const ROUTE_RULES: RouteRule[] = [
  { method: 'GET', path: '/healthz', rule: { kind: 'public', why: 'liveness only' }, ok: 200, request: () => ({ path: '/healthz' }) },

  // ---- keyring ----
  { method: 'GET', path: '/api/keyring', rule: { kind: 'public', why: 'a public signed document clients verify' }, ok: 200, request: () => ({ path: '/api/keyring' }) },
  { method: 'PUT', path: '/api/keyring', rule: { kind: 'root' }, ok: 200, request: (f) => ({ path: '/api/keyring', body: { keyring: f.nextKeyring } }) },

  // ---- organisation profile ----
  { method: 'GET', path: '/api/profile', rule: { kind: 'public', why: 'a public signed document every page verifies' }, ok: 200, request: () => ({ path: '/api/profile' }) },
  { method: 'PUT', path: '/api/profile', rule: { kind: 'profile-signer' }, ok: 200, request: (f) => ({ path: '/api/profile', body: { profileVersion: f.nextProfileVersion() } }) },

  // ---- statistics summary (issue 12) ----
  { method: 'GET', path: '/api/statistics', rule: { kind: 'public', why: 'a public signed summary of already-suppressed counts' }, ok: 200, request: () => ({ path: '/api/statistics' }) },
  { method: 'POST', path: '/api/coordinator/statistics', rule: coordinator('warnings'), ok: 201, request: (f) => ({ path: '/api/coordinator/statistics', body: { json: f.newStatistics() } }) },

  // ---- reporters ----
  { method: 'GET', path: '/api/pow', rule: { kind: 'public', why: 'a stateless challenge' }, ok: 200, request: () => ({ path: '/api/pow' }) },
  {
    method: 'POST',
    path: '/api/reports',
    rule: { kind: 'pow' },
    ok: 201,
    request: (f) => {
      const m = f.h.mailbox();
      return { path: '/api/reports', body: { json: { report: b64(f.files.report), mailbox: { id: m.id, publicKey: b64(m.publicKey) } } } };
    },
  },
  {
    method: 'POST',
    path: '/api/attachments',
    rule: { kind: 'upload-token' },
    ok: 201,
    request: (f) => ({ path: `/api/attachments?report=${f.a.id}`, body: { bytes: f.files.photo, type: 'application/octet-stream' } }),
  },
  { method: 'GET', path: '/api/mailboxes/:id', rule: { kind: 'mailbox' }, ok: 200, request: (f) => ({ path: `/api/mailboxes/${f.a.mailbox.id}` }) },
  {
    method: 'POST',
    path: '/api/mailboxes/:id',
    rule: { kind: 'mailbox' },
    ok: 201,
    request: (f) => ({ path: `/api/mailboxes/${f.a.mailbox.id}`, body: { json: { message: b64(f.files.message) } } }),
  },

  // ---- members ----
  { method: 'GET', path: '/api/warnings', rule: { kind: 'member' }, ok: 200, request: () => ({ path: '/api/warnings' }) },
  {
    method: 'POST',
    path: '/api/members/apply',
    rule: { kind: 'pow' },
    ok: 201,
    request: (f) => ({
      path: '/api/members/apply',
      body: { json: { login: f.fresh('applicant'), passphrase: 'a long enough passphrase', application: b64(f.files.application) } },
    }),
  },
  {
    method: 'POST',
    path: '/api/members/login',
    rule: { kind: 'passphrase' },
    ok: 200,
    request: (f) => ({ path: '/api/members/login', body: { json: { login: f.member.login, passphrase: f.member.passphrase } } }),
  },
  {
    method: 'POST',
    path: '/api/members/logout',
    rule: { kind: 'public', why: 'ends the session in the cookie it is sent, if any' },
    ok: 200,
    request: () => ({ path: '/api/members/logout' }),
  },
  { method: 'GET', path: '/api/members/me', rule: { kind: 'member' }, ok: 200, request: () => ({ path: '/api/members/me' }) },
  {
    method: 'PUT',
    path: '/api/members/me/application',
    rule: { kind: 'member' },
    ok: 200,
    request: (f) => ({ path: '/api/members/me/application', body: { json: { application: b64(f.files.application) } } }),
  },
  { method: 'DELETE', path: '/api/members/me', rule: { kind: 'member' }, ok: 200, request: () => ({ path: '/api/members/me' }) },

  // ---- private check (issue 11) ----
  { method: 'POST', path: '/api/check', rule: { kind: 'member' }, ok: 200, request: () => ({ path: '/api/check', body: { json: { blinded: blindedElement() } } }) },
  {
    method: 'POST',
    path: '/api/coordinator/check',
    rule: coordinator('warnings'),
    ok: 200,
    request: () => ({ path: '/api/coordinator/check', body: { json: { blinded: [blindedElement(), blindedElement()] } } }),
  },

  // ---- coordinators: reports ----
  { method: 'GET', path: '/api/coordinator/reports', rule: coordinator('reports'), ok: 200, request: () => ({ path: '/api/coordinator/reports' }) },
  { method: 'GET', path: '/api/coordinator/reports/:id', rule: coordinator('reports'), ok: 200, request: (f) => ({ path: `/api/coordinator/reports/${f.a.id}` }) },
  {
    method: 'PUT',
    path: '/api/coordinator/reports/:id/state',
    rule: coordinator('reports'),
    ok: 200,
    request: (f) => ({ path: `/api/coordinator/reports/${f.a.id}/state`, body: { json: { state: 'open' } } }),
  },
  { method: 'DELETE', path: '/api/coordinator/reports/:id', rule: coordinator('reports'), ok: 200, request: (f) => ({ path: `/api/coordinator/reports/${f.a.id}` }) },
  {
    method: 'POST',
    path: '/api/coordinator/reports/:id/notes',
    rule: coordinator('reports'),
    ok: 201,
    request: (f) => ({ path: `/api/coordinator/reports/${f.a.id}/notes`, body: { json: { note: b64(f.files.note) } } }),
  },
  {
    method: 'DELETE',
    path: '/api/coordinator/reports/:id/notes/:noteId',
    rule: coordinator('reports'),
    ok: 200,
    request: (f) => ({ path: `/api/coordinator/reports/${f.a.id}/notes/${f.noteId}` }),
  },
  {
    method: 'POST',
    path: '/api/coordinator/reports/:id/replies',
    rule: coordinator('reports'),
    ok: 201,
    request: (f) => ({ path: `/api/coordinator/reports/${f.a.id}/replies`, body: { json: { message: b64(f.files.reply) } } }),
  },
  { method: 'GET', path: '/api/coordinator/attachments/:id', rule: coordinator('reports'), ok: 200, request: (f) => ({ path: `/api/coordinator/attachments/${f.attachmentId}` }) },

  // ---- coordinators: warnings ----
  { method: 'GET', path: '/api/coordinator/warnings', rule: coordinator('warnings'), ok: 200, request: () => ({ path: '/api/coordinator/warnings' }) },
  { method: 'POST', path: '/api/coordinator/warnings', rule: coordinator('warnings'), ok: 201, request: (f) => ({ path: '/api/coordinator/warnings', body: { json: f.newWarning() } }) },

  // ---- coordinators: members ----
  { method: 'GET', path: '/api/coordinator/applications', rule: coordinator('members'), ok: 200, request: () => ({ path: '/api/coordinator/applications' }) },
  {
    method: 'POST',
    path: '/api/coordinator/applications/:id',
    rule: coordinator('members'),
    ok: 200,
    request: (f) => ({ path: `/api/coordinator/applications/${f.pending.id}`, body: { json: { decision: 'approve' } } }),
  },
  { method: 'GET', path: '/api/coordinator/members', rule: coordinator('members'), ok: 200, request: () => ({ path: '/api/coordinator/members' }) },
  {
    method: 'POST',
    path: '/api/coordinator/members/:id/revoke',
    rule: coordinator('members'),
    ok: 200,
    request: (f) => ({ path: `/api/coordinator/members/${f.member.id}/revoke` }),
  },

  // ---- the no-JavaScript form ----
  { method: 'GET', path: '/report/basic.css', rule: { kind: 'public', why: STATIC }, ok: 200, request: () => ({ path: '/report/basic.css' }) },
  { method: 'GET', path: '/report/basic.js', rule: { kind: 'public', why: STATIC }, ok: 200, request: () => ({ path: '/report/basic.js' }) },
  { method: 'GET', path: '/exit', rule: { kind: 'public', why: 'the no-JavaScript quick exit: a redirect to a neutral site' }, ok: 303, request: () => ({ path: '/exit' }) },
  { method: 'GET', path: '/report/basic', rule: { kind: 'public', why: 'the empty form with a fresh token' }, ok: 200, request: () => ({ path: '/report/basic' }) },
  { method: 'GET', path: '/report/basic/sent', rule: { kind: 'public', why: STATIC }, ok: 200, request: () => ({ path: '/report/basic/sent' }) },
  {
    method: 'POST',
    path: '/report/basic',
    rule: { kind: 'form-token' },
    ok: 303,
    request: () => ({ path: '/report/basic', body: { form: { incidentTypes: 'violence', publishWarning: 'yes' } } }),
  },

  // ---- the built client ----
  { method: 'GET', path: '/', rule: { kind: 'public', why: STATIC }, ok: 200, request: () => ({ path: '/' }) },
  { method: 'GET', path: '/favicon.ico', rule: { kind: 'public', why: STATIC }, ok: 200, request: () => ({ path: '/favicon.ico' }) },
  { method: 'GET', path: '/assets/*', rule: { kind: 'public', why: STATIC }, ok: 200, request: () => ({ path: '/assets/app.js' }) },
  { method: 'GET', path: '/:page{[a-z][a-z0-9-]{0,40}}', rule: { kind: 'public', why: STATIC }, ok: 200, request: () => ({ path: '/join' }) },
  { method: 'GET', path: '/:file{[a-z0-9][a-z0-9_-]*\\.[a-z0-9]{2,12}}', rule: { kind: 'public', why: STATIC }, ok: 200, request: () => ({ path: '/robots.txt' }) },
];

/** `METHOD path`, the key both the table and the app's route list are compared by. */
export const routeKey = (r: { method: string; path: string }): string => `${r.method.toUpperCase()} ${r.path}`;
