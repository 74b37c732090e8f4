/** Hybrid (mlkem768x25519) wrap and unwrap per second beside X25519, per backend. */
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
  type Primitives,
} from '../../crypto/index.js';
import { against, compare, type Case, type Row, type Section } from './harness.js';

const SMALL = 100;

export async function run(): Promise<Section> {
  const backends: Primitives[] = [nobleBackend, await loadSodiumBackend()];
  const plaintext = randomFillSync(new Uint8Array(SMALL));
  useBackend(nobleBackend);
  const x = X25519Identity.generate();
  const xr = x.recipient();
  const hSeed = randomFillSync(new Uint8Array(32));
  const h = new HybridIdentity(hSeed);
  const hr = h.recipient();

  const rows: Row[] = [];
  const sizes: string[] = [];
  const cases: (Case & { name: string; backend: Primitives })[] = [];
  try {
    for (const b of backends) {
      useBackend(b);
      const xFile = await encrypt([xr], plaintext);
      const hFile = await encrypt([hr], plaintext);
      for (const [id, file] of [[x, xFile], [h, hFile]] as const) {
        if (!bytes.equalBytes(await decrypt([id], file), plaintext)) throw new Error('round trip failed');
      }
      if (b === nobleBackend) {
        sizes.push(`a ${SMALL} B file is ${xFile.length} B to one X25519 recipient, ${hFile.length} B to one hybrid recipient.`);
      }
      const before = () => useBackend(b);
      cases.push(
        { name: 'X25519 wrap (encrypt)', backend: b, before, fn: () => encrypt([xr], plaintext) },
        { name: 'X25519 unwrap (decrypt)', backend: b, before, fn: () => decrypt([x], xFile) },
        { name: 'hybrid wrap (encrypt)', backend: b, before, fn: () => encrypt([hr], plaintext) },
        { name: 'hybrid unwrap (decrypt)', backend: b, before, fn: () => decrypt([h], hFile) },
        // A reporter's browser expands the reply identity from its seed each time it opens the mailbox.
        { name: 'hybrid unwrap incl. key expansion', backend: b, before, fn: () => decrypt([new HybridIdentity(hSeed)], hFile) },
      );
    }
    const timings = await compare(cases);
    const all = cases.map(
      (c, i): Row => ({ name: `${c.name} · ${c.backend.name}`, value: timings[i]!.opsPerSecond, unit: 'ops/s', spread: timings[i]!.spread }),
    );
    for (let i = 0; i < all.length; i += 5) {
      const [xWrap, xUnwrap, hWrap, hUnwrap, hCold] = all.slice(i, i + 5) as [Row, Row, Row, Row, Row];
      rows.push(
        xWrap,
        xUnwrap,
        against(hWrap, xWrap, 'X25519 wrap'),
        against(hUnwrap, xUnwrap, 'X25519 unwrap'),
        against(hCold, hUnwrap, 'hybrid unwrap'),
      );
    }
  } finally {
    useBackend(nobleBackend);
  }
  return {
    title: `hybrid (mlkem768x25519) vs X25519: wrap and unwrap of a ${SMALL} B file, one recipient`,
    rows,
    notes: [
      'wrap = encrypt() of the whole small file, unwrap = decrypt() of it (header parse, MAC check, payload).',
      'ratio < 1: that many times the X25519 rate; the hybrid cost is mostly ML-KEM-768, which is @noble in both backends.',
      ...sizes,
    ],
  };
}
