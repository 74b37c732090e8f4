/**
 * prepareEncryption (crypto/age.ts): the header made in advance, the payload sealed later, once.
 * Files decrypt with every recipient's identity, each prepared header has its own file key, and a
 * prepared encryption cannot seal twice or after wipe().
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HybridIdentity, bytes, decrypt, inspect, prepareEncryption } from '../../crypto/index.js';
import { thrown } from '../helpers/vectors.js';

describe('prepareEncryption', () => {
  const ids = [HybridIdentity.generate(), HybridIdentity.generate()];
  const recipients = ids.map((i) => i.recipient());

  it('seals files every recipient decrypts (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 70_000 }), async (plain) => {
        const file = (await prepareEncryption(recipients)).seal(plain);
        for (const id of ids) expect(bytes.toHex(await decrypt([id], file))).toBe(bytes.toHex(plain));
        expect(inspect(file).stanzas).toHaveLength(2);
      }),
      { numRuns: 8 },
    );
  });

  it('gives each prepared header its own file key and nonce', async () => {
    const plain = bytes.utf8('same text');
    const [a, b] = await Promise.all([prepareEncryption(recipients), prepareEncryption(recipients)]);
    const fa = a.seal(plain);
    const fb = b.seal(plain);
    expect(bytes.toHex(fa)).not.toBe(bytes.toHex(fb));
    expect(inspect(fa).stanzas[0]!.body).not.toEqual(inspect(fb).stanzas[0]!.body);
  });

  it('seals once, and never after wipe()', async () => {
    const p = await prepareEncryption(recipients);
    p.seal(new Uint8Array(3));
    expect((thrown(() => p.seal(new Uint8Array(3))) as Error).message).toBe('prepared encryption already used');
    const q = await prepareEncryption(recipients);
    q.wipe();
    expect((thrown(() => q.seal(new Uint8Array(3))) as Error).message).toBe('prepared encryption already used');
  });
});
