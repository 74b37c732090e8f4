/** age encrypt/decrypt throughput (in memory) per primitives backend, X25519 and hybrid recipients. */
import { randomFillSync } from 'node:crypto';
import {
  HybridIdentity,
  X25519Identity,
  bytes,
  decrypt,
  encrypt,
  loadSodiumBackend,
  nobleBackend,
  useBackend,
  type Identity,
  type Primitives,
  type Recipient,
} from '../../crypto/index.js';
import { against, compare, formatBytes, type Case, type Row, type Section } from './harness.js';

const MiB = 1 << 20;
const SIZES = [1024, 10 * MiB];

export async function run(): Promise<Section> {
  const backends: Primitives[] = [nobleBackend, await loadSodiumBackend()];
  useBackend(nobleBackend);
  const x = X25519Identity.generate();
  const h = HybridIdentity.generate();
  const kinds: { name: string; identity: Identity; recipient: Recipient }[] = [
    { name: 'X25519', identity: x, recipient: x.recipient() },
    { name: 'hybrid', identity: h, recipient: h.recipient() },
  ];

  const rows: Row[] = [];
  try {
    for (const kind of kinds) {
      for (const size of SIZES) {
        const plaintext = randomFillSync(new Uint8Array(size));
        const big = size >= MiB;
        const opts = big ? { warmupMs: 300, minTimeMs: 1200, minSamples: 5 } : {};
        for (const op of ['encrypt', 'decrypt'] as const) {
          const cases: Case[] = [];
          for (const b of backends) {
            useBackend(b);
            const file = await encrypt([kind.recipient], plaintext);
            if (!bytes.equalBytes(await decrypt([kind.identity], file), plaintext)) throw new Error('round trip failed');
            const fn = op === 'encrypt' ? () => encrypt([kind.recipient], plaintext) : () => decrypt([kind.identity], file);
            cases.push({ fn, before: () => useBackend(b) });
          }
          const timings = await compare(cases, opts);
          const [noble, ...others] = timings.map(
            (t, i): Row => ({
              name: `${kind.name} ${formatBytes(size)} ${op} · ${backends[i]!.name}`,
              value: size / t.perOp / MiB,
              unit: 'MiB/s',
              spread: t.spread,
            }),
          );
          rows.push(noble!, ...others.map((r) => against(r, noble!, 'noble')));
        }
      }
    }
  } finally {
    useBackend(nobleBackend);
  }
  return {
    title: 'age throughput per backend (in-memory encrypt/decrypt, one recipient)',
    rows,
    notes: [
      'MiB/s of plaintext; each call includes the header (key wrap / unwrap), so 1 KiB rows measure mostly the recipient (files/s = MiB/s × 1024).',
      'ratio = sodium / noble. ML-KEM-768, SHA-256, HKDF and HMAC are @noble in both backends; only X25519, ChaCha20-Poly1305 and Ed25519 differ.',
      'the hybrid identity is reused, so its key expansion (done once) is not in the decrypt rows.',
    ],
  };
}
