/** X25519 and Ed25519 operations per second per primitives backend. */
import { randomFillSync } from 'node:crypto';
import { bytes, loadSodiumBackend, nobleBackend, type Primitives } from '../../crypto/index.js';
import { against, compare, type Row, type Section } from './harness.js';

/** About the size of a signed request (label, method, path, timestamp, body hash) or a short warning. */
const MESSAGE_SIZE = 256;

export async function run(): Promise<Section> {
  const backends: Primitives[] = [nobleBackend, await loadSodiumBackend()];
  const scalar = randomFillSync(new Uint8Array(32));
  const point = nobleBackend.x25519Base(randomFillSync(new Uint8Array(32)));
  const seed = randomFillSync(new Uint8Array(32));
  const message = randomFillSync(new Uint8Array(MESSAGE_SIZE));
  const publicKey = nobleBackend.ed25519PublicKey(seed);
  const signature = nobleBackend.ed25519Sign(seed, message);

  const ops: { name: string; fn: (p: Primitives) => () => unknown }[] = [
    { name: 'X25519 scalar mult', fn: (p) => () => p.x25519(scalar, point) },
    { name: 'X25519 base-point mult', fn: (p) => () => p.x25519Base(scalar) },
    { name: `Ed25519 sign (${MESSAGE_SIZE} B, from seed)`, fn: (p) => () => p.ed25519Sign(seed, message) },
    { name: `Ed25519 verify (${MESSAGE_SIZE} B)`, fn: (p) => () => p.ed25519Verify(publicKey, message, signature) },
  ];

  // The backends must agree before their speeds mean anything.
  if (!backends.every((b) => b.ed25519Verify(publicKey, message, signature))) throw new Error('a backend rejects a valid signature');
  if (!backends.every((b) => bytes.equalBytes(b.x25519(scalar, point), nobleBackend.x25519(scalar, point)))) {
    throw new Error('backends disagree on X25519');
  }
  const rows: Row[] = [];
  for (const op of ops) {
    const timings = await compare(backends.map((b) => ({ fn: op.fn(b) })));
    const [noble, ...others] = timings.map(
      (t, i): Row => ({ name: `${op.name} · ${backends[i]!.name}`, value: t.opsPerSecond, unit: 'ops/s', spread: t.spread }),
    );
    rows.push(noble!, ...others.map((r) => against(r, noble!, 'noble')));
  }
  return {
    title: 'X25519 and Ed25519 operations per second per backend',
    rows,
    notes: [
      'ratio = sodium / noble. Ed25519 sign takes a 32-byte seed, so every call also derives the key pair (in both backends).',
    ],
  };
}
