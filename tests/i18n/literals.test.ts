/**
 * No user-facing literal text in components: every .tsx file under client/ (all apps, the
 * console included) is parsed and any JSX text with a letter, a literal a JSX expression shows,
 * or a literal value of a title/placeholder/aria-label/alt/label (and similar) attribute fails
 * the test with file:line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLiterals, where } from './jsx-literals.js';
import { ROOT } from './catalogues.js';

const tsx = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsx(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : []));

const scan = (file: string) => findLiterals(file, readFileSync(file, 'utf8'));

describe('user-facing text goes through a catalogue', () => {
  it('no literal text in client/**/*.tsx', () => {
    const files = tsx('client').map((f) => join(ROOT, f));
    expect(files.filter((f) => f.includes('/console/')).length).toBeGreaterThan(10);
    expect(files.flatMap(scan).map((l) => where(ROOT, l))).toEqual([]);
  });

  it('the scan finds each kind of literal, with its line', () => {
    expect(scan(join(ROOT, 'tests/i18n/fixtures/literals.tsx')).map((l) => `${l.line} ${l.text}`)).toEqual([
      '6 Plain words',
      '7 A title',
      '8 Type here',
      '9 Close',
      '10 A photo',
      '11 Pick one',
      '12 In braces',
      '13 saving…',
      '14 failed',
      '15 row',
    ]);
  });
});
