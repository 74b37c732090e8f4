/**
 * The reporter's send path (client/report/send.ts) and keyring pinning (client/lib/keyring.ts)
 * run in node against the real server app (tests/server/harness.ts, SQLite): the page's
 * same-origin fetch and XMLHttpRequest are routed into app.request(), nothing else is faked.
 * Node has no Worker, so runPow takes its in-page fallback, as a browser does when workers
 * are blocked. Written to kill mutants StrykerJS found surviving (`npm run mutate -- client`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bytes, decodeReport, decrypt, deriveMailbox, signKeyring, primitives, type Mailbox } from '../../crypto/index.js';
import { makeHarness, minimalReport, sqliteFactory, type Harness } from '../server/harness.js';

/** What the page derived and padded, captured so the test can check it was wiped afterwards, and what prepared headers sealed. */
/** Every mailbox derived in this file, never cleared: a send may use one prepared during an earlier test. */
const everyMailbox: Mailbox[] = [];
const seen: { mailboxes: Mailbox[]; padded: Uint8Array[]; sealed: Uint8Array[]; replyTo: string[] } = { mailboxes: [], padded: [], sealed: [], replyTo: [] };

vi.mock('../../client/lib/crypto.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../client/lib/crypto.js')>();
  return {
    ...real,
    deriveMailbox: async (code: string, onProgress?: (f: number) => void) => {
      const m = await real.deriveMailbox(code, onProgress);
      seen.mailboxes.push(m);
      everyMailbox.push(m);
      return m;
    },
    prepareEncryption: async (recipients: Parameters<typeof real.prepareEncryption>[0]) => {
      const e = await real.prepareEncryption(recipients);
      return {
        seal: (plaintext: Uint8Array) => {
          const c = e.seal(plaintext);
          seen.sealed.push(c);
          return c;
        },
        wipe: () => e.wipe(),
      };
    },
    encodeReport: (r: Parameters<typeof real.encodeReport>[0]) => {
      seen.replyTo.push(String(r.replyRecipient));
      const p = real.encodeReport(r);
      seen.padded.push(p);
      return p;
    },
  };
});

const { sendReport } = await import('../../client/report/send.js');
const { KeyringRefused, verifiedRecipients } = await import('../../client/lib/keyring.js');
const { ApiError } = await import('../../client/lib/api.js');

let h: Harness;
/** Requests the page made, in order. */
let calls: { method: string; path: string }[];
/** Upload numbers (1-based) whose XHR should fail at the network level. */
let failUploads: Set<number>;

function toServer(path: string, init: RequestInit = {}): Promise<Response> {
  calls.push({ method: init.method ?? 'GET', path });
  return Promise.resolve(h.app.request(path, init));
}

/** The browser's XMLHttpRequest, as far as uploadBinary uses it, sending into the app. */
class LoopbackXhr {
  static uploads = 0;
  status = 0;
  responseText = '';
  responseType = '';
  withCredentials = true;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  private method = '';
  private path = '';
  private headers: Record<string, string> = {};
  open(method: string, path: string): void {
    this.method = method;
    this.path = path;
  }
  setRequestHeader(k: string, v: string): void {
    this.headers[k] = v;
  }
  send(body: Blob): void {
    const n = ++LoopbackXhr.uploads;
    void (async () => {
      if (failUploads.has(n)) return this.onerror?.();
      const data = new Uint8Array(await body.arrayBuffer());
      this.upload.onprogress?.({ loaded: data.length >> 1, total: data.length, lengthComputable: true });
      const r = await toServer(this.path, { method: this.method, headers: this.headers, body: data });
      this.status = r.status;
      this.responseText = await r.text();
      this.onload?.();
    })();
  }
}

beforeAll(() => {
  vi.stubGlobal('XMLHttpRequest', LoopbackXhr);
  vi.stubGlobal('fetch', (path: string, init?: RequestInit) => toServer(path, init));
});
afterAll(() => vi.unstubAllGlobals());

beforeEach(async (ctx) => {
  h = await makeHarness(sqliteFactory, { config: { pow: { difficulty: 10, maxDifficulty: 12 } } });
  vi.stubGlobal('__TIPLINE_ROOT_PUBLIC_KEY__', bytes.base64Padded(h.rootPublicKey));
  vi.stubGlobal('__TIPLINE_MIN_KEYRING_VERSION__', 1);
  calls = [];
  failUploads = new Set();
  LoopbackXhr.uploads = 0;
  seen.mailboxes = [];
  seen.padded = [];
  seen.sealed = [];
  seen.replyTo = [];
  ctx.onTestFinished(() => h.close());
});

const coordinatorIdentities = () => Object.values(h.coordinators).map((c) => c.identity);

async function storedReport(id: string) {
  return h.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function attachmentBytes(reportId: string): Promise<Uint8Array[]> {
  const list = await h.db.selectFrom('attachments').select(['id', 'received_day']).where('report_id', '=', reportId).orderBy('received_day').execute();
  const out: Uint8Array[] = [];
  for (const a of list) {
    const chunks = await h.db.selectFrom('attachment_chunks').select('data').where('attachment_id', '=', a.id).orderBy('seq').execute();
    out.push(bytes.concat(...chunks.map((c) => new Uint8Array(c.data))));
  }
  return out;
}

describe('verifiedRecipients (client/lib/keyring.ts)', () => {
  it('returns the keyring and one recipient per coordinator when it verifies against the pinned key', async () => {
    const { keyring, recipients } = await verifiedRecipients();
    expect(keyring).toEqual(h.keyring);
    expect(recipients.map((r) => r.toString())).toEqual(h.keyring.coordinators.map((c) => c.recipient));
    expect(calls).toEqual([{ method: 'GET', path: '/api/keyring' }]);
  });

  it('refuses a keyring signed by another root key, with the verifier reason', async () => {
    const other = signKeyring(h.keyring, primitives().randomBytes(32));
    await h.db.updateTable('keyrings').set({ envelope: JSON.stringify(other) }).execute();
    const e = await verifiedRecipients().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KeyringRefused);
    expect((e as InstanceType<typeof KeyringRefused>).message).toBe('keyring refused');
    expect((e as InstanceType<typeof KeyringRefused>).name).toBe('KeyringRefused');
    expect((e as InstanceType<typeof KeyringRefused>).reason).toMatch(/signature/);
  });

  it('turns a server refusal (no keyring: 4xx) into KeyringRefused with the server message', async () => {
    await h.db.deleteFrom('keyrings').execute();
    const e = await verifiedRecipients().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KeyringRefused);
    const r = await h.request('/api/keyring');
    expect((e as InstanceType<typeof KeyringRefused>).reason).toBe(((await r.json()) as { error: string }).error);
  });

  it('passes a network failure through as ApiError(0), not as a refused keyring', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('fetch failed')));
    try {
      const e = await verifiedRecipients().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApiError);
      expect(e).not.toBeInstanceOf(KeyringRefused);
      expect((e as InstanceType<typeof ApiError>).status).toBe(0);
    } finally {
      vi.stubGlobal('fetch', (path: string, init?: RequestInit) => toServer(path, init));
    }
  });

  it('refuses when the build pins no root key', async () => {
    vi.stubGlobal('__TIPLINE_ROOT_PUBLIC_KEY__', '');
    const e = await verifiedRecipients().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KeyringRefused);
    expect((e as InstanceType<typeof KeyringRefused>).reason).toBe('no pinned root key');
  });
});

describe('sendReport (client/report/send.ts)', () => {
  it('sends the report to every coordinator with the reply recipient of the code, registers the mailbox, and wipes the secrets', async () => {
    const progress: { stage: string; fraction?: number; photo?: number }[] = [];
    const res = await sendReport(minimalReport(), [], (p) => progress.push({ ...p }));

    expect(res.photosSent).toBe(0);
    expect(res.photosFailed).toEqual([]);
    const mailbox = await deriveMailbox(res.code);
    const row = await storedReport(res.reportId);
    for (const id of coordinatorIdentities()) {
      const report = decodeReport(await decrypt([id], new Uint8Array(row.ciphertext)));
      expect(report).toEqual({ ...minimalReport(), replyRecipient: mailbox.replyIdentity.recipient().toString() });
    }
    const mb = await h.db.selectFrom('mailboxes').selectAll().where('id', '=', mailbox.mailboxId).executeTakeFirstOrThrow();
    expect(new Uint8Array(mb.public_key)).toEqual(mailbox.signingPublicKey);
    expect(row.mailbox_id).toBe(mailbox.mailboxId);

    // Nothing left on the device: the padded plaintext and the mailbox signing seed are zeros.
    expect(seen.padded).toHaveLength(1);
    expect(seen.padded[0]!.every((b) => b === 0)).toBe(true);
    expect(seen.mailboxes).toHaveLength(1);
    expect(seen.mailboxes[0]!.signingSeed.every((b) => b === 0)).toBe(true);

    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/keyring', 'GET /api/pow', 'POST /api/reports']);
    const stages = progress.map((p) => p.stage).filter((s, i, a) => a[i - 1] !== s);
    expect(stages).toEqual(['keyring', 'code', 'encrypt', 'work', 'upload']);
    expect(progress[1]).toEqual({ stage: 'code', fraction: 0 });
    // The receipt-code KDF reports its progress through, ending at 1.
    expect(progress.filter((p) => p.stage === 'code').at(-1)).toEqual({ stage: 'code', fraction: 1 });
    expect(progress.find((p) => p.stage === 'work')).toEqual({ stage: 'work', fraction: 0 });
    // At difficulty 10 the work reports progress; the bar moves up and never reaches the end.
    const work = progress.filter((p) => p.stage === 'work').map((p) => p.fraction!);
    expect(work.length).toBeGreaterThan(1);
    for (let i = 1; i < work.length; i++) {
      expect(work[i]!).toBeGreaterThan(work[i - 1]!);
      expect(work[i]!).toBeLessThan(1);
    }
  });

  it('encrypts and uploads every photo to every coordinator, numbering failures from 1', async () => {
    const photos = [1, 2, 3].map((n) => ({ bytes: bytes.utf8(`photo ${n} `.repeat(50 * n)), width: n, height: n }));
    failUploads.add(2);
    const progress: { stage: string; fraction?: number; photo?: number }[] = [];
    const res = await sendReport(minimalReport(), photos, (p) => progress.push({ ...p }));

    expect(res.photosSent).toBe(2);
    expect(res.photosFailed).toEqual([2]);
    const sent = await attachmentBytes(res.reportId);
    expect(sent).toHaveLength(2);
    const plain: string[] = [];
    for (const file of sent) {
      const each = await Promise.all(coordinatorIdentities().map(async (id) => bytes.fromUtf8(await decrypt([id], file))));
      expect(new Set(each).size).toBe(1);
      plain.push(each[0]!);
    }
    expect(plain.sort()).toEqual([bytes.fromUtf8(photos[0]!.bytes), bytes.fromUtf8(photos[2]!.bytes)].sort());
    expect(calls.filter((c) => c.path.startsWith('/api/attachments')).map((c) => c.path)).toEqual([
      `/api/attachments?report=${encodeURIComponent(res.reportId)}`,
      `/api/attachments?report=${encodeURIComponent(res.reportId)}`,
    ]);

    const photoEvents = progress.filter((p) => p.stage === 'photos');
    expect(photoEvents.filter((p) => p.fraction === 0).map((p) => p.photo)).toEqual([1, 2, 3]);
    expect(photoEvents.filter((p) => p.fraction === 0.5 || p.fraction === 1).map((p) => `${p.photo}:${p.fraction}`)).toEqual([
      '1:0.5',
      '1:1',
      '3:0.5',
      '3:1',
    ]);
  });

  it('sends nothing when the keyring does not verify', async () => {
    const other = signKeyring(h.keyring, primitives().randomBytes(32));
    await h.db.updateTable('keyrings').set({ envelope: JSON.stringify(other) }).execute();
    const before = await h.counts();
    await expect(sendReport(minimalReport(), [], () => {})).rejects.toBeInstanceOf(KeyringRefused);
    expect(await h.counts()).toEqual(before);
    expect(calls).toEqual([{ method: 'GET', path: '/api/keyring' }]);
  });

  it('takes the header, code and stamp prepared while typing, and pays once more when the server says the stamp expired', async () => {
    const { prepare } = await import('../../client/report/prepare.js');
    const { wipeAll } = await import('../../client/lib/safety.js');
    wipeAll(); // forget what earlier tests left prepared (for their own servers)
    prepare();
    // Let the page fetch and solve its challenge, then move the server's clock past the
    // challenge's life (900 s): the page still thinks the stamp fresh, the server does not.
    const until = Date.now() + 60_000;
    while (!calls.some((c) => c.path === '/api/pow') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 500));
    h.clock.advance(3600);
    const progress: { stage: string; fraction?: number }[] = [];
    const res = await sendReport(minimalReport(), [], (p) => progress.push({ ...p }));
    const row = await storedReport(res.reportId);
    for (const id of coordinatorIdentities()) expect(decodeReport(await decrypt([id], new Uint8Array(row.ciphertext))).incidentTypes).toEqual(minimalReport().incidentTypes);
    // The file sent is the one sealed under the header wrapped while typing, not a fresh encryption.
    expect(seen.sealed).toHaveLength(1);
    expect(new Uint8Array(row.ciphertext)).toEqual(seen.sealed[0]);
    const paths = calls.map((c) => `${c.method} ${c.path}`);
    // One keyring fetch (the prepared one), two challenges, two posts: the first refused as expired.
    expect(paths.filter((p) => p === 'GET /api/keyring')).toHaveLength(1);
    expect(paths.filter((p) => p === 'POST /api/reports')).toHaveLength(2);
    expect(paths.filter((p) => p === 'GET /api/pow').length).toBeGreaterThanOrEqual(2);
    const stages = progress.map((p) => p.stage).filter((st, i, a) => a[i - 1] !== st);
    expect(stages).toEqual(['keyring', 'code', 'encrypt', 'work', 'upload', 'work', 'upload']);
    const retry = progress.slice(progress.findIndex((p, i) => p.stage === 'work' && progress[i - 1]?.stage === 'upload'));
    expect(retry[0]).toEqual({ stage: 'work', fraction: 0 });
    const work = retry.filter((p) => p.stage === 'work').map((p) => p.fraction!);
    expect(work.length).toBeGreaterThan(1);
    for (let i = 1; i < work.length; i++) {
      expect(work[i]!).toBeGreaterThan(work[i - 1]!);
      expect(work[i]!).toBeLessThan(1);
    }
    expect(retry.at(-1)).toEqual({ stage: 'upload' });
    wipeAll();
  });

  /** Send with `answer` in front of the server for POST /api/reports; the error it ends with, the page's posts and the stages it went through. */
  async function refusedSend(answer: (init: RequestInit) => Promise<Response>) {
    const { wipeAll } = await import('../../client/lib/safety.js');
    wipeAll(); // nothing prepared: the stamp is solved during Send
    vi.stubGlobal('fetch', (path: string, init: RequestInit = {}) => {
      if (path !== '/api/reports') return toServer(path, init);
      calls.push({ method: init.method ?? 'GET', path });
      return answer(init);
    });
    try {
      const progress: string[] = [];
      const e = await sendReport(minimalReport(), [], (p) => progress.push(p.stage)).catch((x: unknown) => x);
      const posts = calls.filter((c) => c.method === 'POST' && c.path === '/api/reports').length;
      return { e, posts, stages: progress.filter((st, i, a) => a[i - 1] !== st) };
    } finally {
      vi.stubGlobal('fetch', (path: string, init?: RequestInit) => toServer(path, init));
      wipeAll(); // drop what the refusal prepared for a retry
    }
  }

  it('does not pay again when the server refuses the stamp for another reason than expiry (already used)', async () => {
    // The same request reaches the server first (as a duplicate in transit would): the page's own post then finds its stamp spent.
    const { e, posts, stages } = await refusedSend(async (init) => {
      expect((await h.app.request('/api/reports', init)).status).toBe(201);
      return h.app.request('/api/reports', init);
    });
    expect(e).toBeInstanceOf(ApiError);
    expect((e as InstanceType<typeof ApiError>).status).toBe(403);
    expect((e as InstanceType<typeof ApiError>).message).toBe('proof of work already used');
    expect(posts).toBe(1);
    expect(stages).toEqual(['keyring', 'code', 'encrypt', 'work', 'upload']);
  });

  it('retries only the 403 expiry refusal: the same words with another status are passed on', async () => {
    for (const status of [400, 429, 503]) {
      calls = [];
      const { e, posts, stages } = await refusedSend(async () => Response.json({ error: 'proof of work expired' }, { status }));
      expect(e, String(status)).toBeInstanceOf(ApiError);
      expect((e as InstanceType<typeof ApiError>).status).toBe(status);
      expect((e as InstanceType<typeof ApiError>).message).toBe('proof of work expired');
      expect(posts, String(status)).toBe(1);
      expect(stages).toEqual(['keyring', 'code', 'encrypt', 'work', 'upload']);
    }
  });

  it('wipes the mailbox seed even when the server refuses the report', async () => {
    await expect(sendReport({ ...minimalReport(), incidentTypes: [] } as never, [], () => {})).rejects.toThrow();
    // The mailbox this send used, found by the reply recipient it put into the report: it may have
    // been prepared during an earlier test, and a refused send also prepares the retry's mailbox
    // in the background, which may or may not be done yet.
    expect(seen.replyTo).toHaveLength(1);
    const used = everyMailbox.filter((m) => m.replyIdentity.recipient().toString() === seen.replyTo[0]);
    expect(used).toHaveLength(1);
    expect(used[0]!.signingSeed.every((b) => b === 0)).toBe(true);
  });
});
