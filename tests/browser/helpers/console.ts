/**
 * The coordinator console for tests: passphrase-protected identity files for a prepared
 * organisation's coordinators, `node bin/tipline.js console` spawned against a real server,
 * and reports or applications posted through the public API with real proof of work.
 */
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { bytes, encrypt, solvePow, type Recipient } from '../../../crypto/index.js';
import { sealCoordinator, type CoordinatorSecret } from '../../../server/org.js';
import { REPO } from '../../helpers/server.js';

export interface SpawnedConsole {
  url: string;
  origin: string;
  port: number;
  token: string;
  output(): string;
  /** SIGTERM by default; SIGKILL to test what survives a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Write `c`'s identity file and a 0600 passphrase file into `dir`; returns their paths. */
export async function writeIdentity(dir: string, c: CoordinatorSecret): Promise<{ identity: string; passphrase: string }> {
  const pass = `test passphrase for ${c.id}`;
  const identity = join(dir, `${c.id}.age`);
  const passphrase = join(dir, `${c.id}.pass`);
  writeFileSync(identity, await sealCoordinator(c, pass, 10), { mode: 0o600 });
  writeFileSync(passphrase, pass + '\n', { mode: 0o600 });
  chmodSync(passphrase, 0o600);
  return { identity, passphrase };
}

export async function spawnConsole(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<SpawnedConsole> {
  const child = spawn(process.execPath, [join(REPO, 'bin/tipline.js'), 'console', ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`console did not start:\n${out}`)), timeoutMs);
    child.stdout!.on('data', () => {
      const m = /^console: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`console exited (${code}):\n${out}`));
    });
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    port: Number(u.port),
    token: u.searchParams.get('token')!,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A raw HTTP request with full control of Host and Origin (fetch forbids setting Host). */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let b = '';
      res.on('data', (d: Buffer) => (b += d.toString('utf8')));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: b }));
    });
    req.on('error', fail);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function stamp(server: string): Promise<string> {
  const { challenge, difficulty } = (await (await fetch(`${server}/api/pow`)).json()) as { challenge: string; difficulty: number };
  return solvePow(challenge, difficulty);
}

/** Post an already-encrypted report through the public API with a real stamp. */
export async function postReport(server: string, ciphertext: Uint8Array, mailbox?: { id: string; publicKey: string }): Promise<{ id: string; uploadToken: string }> {
  const res = await fetch(`${server}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tipline-pow': await stamp(server) },
    body: JSON.stringify({ report: bytes.base64Padded(ciphertext), ...(mailbox ? { mailbox } : {}) }),
  });
  if (res.status !== 201) throw new Error(`report refused: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; uploadToken: string };
}

export async function postAttachment(server: string, report: { id: string; uploadToken: string }, recipients: Recipient[], plain: Uint8Array): Promise<void> {
  const sealed = await encrypt(recipients, plain);
  const res = await fetch(`${server}/api/attachments?report=${encodeURIComponent(report.id)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'tipline-upload-token': report.uploadToken },
    body: sealed as Uint8Array<ArrayBuffer>,
  });
  if (res.status !== 201) throw new Error(`attachment refused: ${res.status} ${await res.text()}`);
}

/** A member application as the join page will send it: padded UTF-8 text, encrypted to the coordinators. */
export async function postApplication(server: string, recipients: Recipient[], login: string, passphrase: string, text: string): Promise<void> {
  const { pad } = await import('../../../crypto/index.js');
  const application = await encrypt(recipients, pad(bytes.utf8(text)));
  const res = await fetch(`${server}/api/members/apply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tipline-pow': await stamp(server) },
    body: JSON.stringify({ login, passphrase, application: bytes.base64Padded(application) }),
  });
  if (res.status !== 201) throw new Error(`application refused: ${res.status} ${await res.text()}`);
}
