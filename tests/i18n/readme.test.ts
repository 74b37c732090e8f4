/** The README's table of languages is the registry (client/i18n/languages.ts), row for row. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../client/i18n/languages.js';
import { ROOT } from './catalogues.js';

/** The language's name in English (zh-CN is written in Simplified Chinese, zh-Hans). */
const english = (tag: string) => new Intl.DisplayNames('en', { type: 'language' }).of(tag === 'zh-CN' ? 'zh-Hans' : tag)!;

/** The table as the README must hold it. */
export function languagesTable(): string {
  return [
    '| Language | Name in the picker | Tag | Reviewed by a native speaker |',
    '| --- | --- | --- | --- |',
    ...LANGUAGES.map((l) => `| ${english(l.tag)} | ${l.endonym} | \`${l.tag}\` | ${l.reviewed ? 'yes' : 'no'} |`),
  ].join('\n');
}

describe('README: Languages', () => {
  it('the table between the languages-table markers is generated from client/i18n/languages.ts', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const m = /<!-- languages-table -->\n([\s\S]*?)\n<!-- \/languages-table -->/.exec(readme);
    expect(m, 'README.md needs <!-- languages-table --> … <!-- /languages-table -->').not.toBeNull();
    expect(m![1], 'paste the table this test prints (languagesTable()) into README.md').toBe(languagesTable());
  });
});
