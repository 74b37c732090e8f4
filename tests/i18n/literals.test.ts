/**
 * No user-facing literal text in components: every .tsx file under client/ (all apps) is
 * parsed with the TypeScript compiler and any JSX text with a letter, or a literal value of a
 * title/placeholder/aria-label/alt/label (and similar) attribute, fails the test with file:line.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLiterals, type Literal } from './jsx-literals.js';
import { ROOT } from './catalogues.js';

/**
 * TODO(issue 14, integrator): the console's text is being moved into an English catalogue on
 * branch i18n-console. Until that is merged these files are exempt; delete this list (and
 * nothing else) once the console passes.
 */
const CONSOLE_TODO = new Set([
  'client/console/Alerts.tsx',
  'client/console/App.tsx',
  'client/console/CaseView.tsx',
  'client/console/Composer.tsx',
  'client/console/ExportForm.tsx',
  'client/console/ExportPanel.tsx',
  'client/console/ExportPreview.tsx',
  'client/console/Inbox.tsx',
  'client/console/Members.tsx',
  'client/console/Offenders.tsx',
  'client/console/RedactionFlags.tsx',
  'client/console/Statistics.tsx',
  'client/console/Text.tsx',
  'client/console/Warnings.tsx',
]);

const tsx = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsx(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : []));

const files = tsx('client');
let found: Literal[] | undefined;
const literals = () => (found ??= findLiterals(ROOT, files.map((f) => join(ROOT, f))));

describe('user-facing text goes through a catalogue', () => {
  it('no literal text in client/**/*.tsx (JSX text, or title/placeholder/aria-label/alt/label values)', () => {
    const where = literals()
      .map((l) => ({ ...l, file: relative(ROOT, l.file) }))
      .filter((l) => !CONSOLE_TODO.has(l.file))
      .map((l) => `${l.file}:${l.line} ${JSON.stringify(l.text)}`);
    expect(where).toEqual([]);
  }, 180_000);

  it('the console TODO list names only files that still have literals (so it shrinks as they are fixed)', () => {
    const withLiterals = new Set(literals().map((l) => relative(ROOT, l.file)));
    expect([...CONSOLE_TODO].filter((f) => !withLiterals.has(f))).toEqual([]);
  }, 180_000);

  it('the scan finds each kind of literal, with its line', () => {
    const probe = join(ROOT, 'tests/i18n/fixtures/literals.tsx');
    expect(findLiterals(ROOT, [probe]).map((l) => `${l.line} ${l.text}`)).toEqual([
      '6 Plain words',
      '7 A title',
      '8 Type here',
      '9 Close',
      '10 A photo',
      '11 Pick one',
      '12 In braces',
    ]);
  }, 180_000);
});
