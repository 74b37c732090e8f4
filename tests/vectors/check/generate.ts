/**
 * Writes the tipline construction vectors `tag-*` beside this file (crypto/SPEC.md §Private
 * check). Run: `npx tsx tests/vectors/check/generate.ts`. The check key seed is fixed, so a
 * second run writes identical bytes; the tests read only the files. The rfc9497-* and
 * element-* vectors are copied from RFC 9497 Appendix A.1.1 and RFC 9496 Appendix A by hand.
 *
 * Lines: `seed` (hex, the server's 32 secret bytes), `kind`, `typed` (as a member types it),
 * `key` (normalised), `input` (hex: the Argon2id output, the OPRF's private input),
 * `tag` (padded base64, as published in a warning).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytes, checkInput, checkKey, checkTag, deriveCheckKey, evaluateOprf, type CheckKind } from '../../../crypto/index.js';

const seed = bytes.fromHex('0f'.repeat(32));
const key = deriveCheckKey(seed);
const cases: [string, CheckKind, string][] = [
  ['phone-national', 'phone', '07700 900123'],
  ['phone-international', 'phone', '+44 7700 900123'],
  ['phone-00-prefix', 'phone', '0044 7700900123'],
  ['phone-other', 'phone', '07700 900124'],
  ['email-mixed-case', 'email', ' Dave.X@Example.ORG '],
  ['plate-spaced', 'plate', 'ab12 cde'],
  ['plate-joined', 'plate', 'AB12CDE'],
  ['username-at', 'username', '@Dave_X'],
];
for (const [name, kind, typed] of cases) {
  const k = checkKey(kind, typed)!;
  const input = checkInput(k);
  const tag = checkTag(evaluateOprf(key, input));
  const lines = [
    'expect: tag',
    `seed: ${bytes.toHex(seed)}`,
    `kind: ${kind}`,
    `typed: ${typed}`,
    `key: ${k}`,
    `input: ${bytes.toHex(input)}`,
    `tag: ${bytes.base64Padded(tag)}`,
  ];
  writeFileSync(join(import.meta.dirname, `tag-${name}`), lines.join('\n') + '\n');
}
