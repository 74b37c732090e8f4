/**
 * Issue 14 for the console: its English catalogue (client/i18n/console/en.ts) has no unused
 * key and English plural forms, and its accessor fills them. That no literal is left in
 * client/console/*.tsx is checked with every other app by literals.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { t } from '../../client/console/i18n.js';
import { messages } from '../../client/i18n/console/en.js';

const REPO = join(import.meta.dirname, '..', '..');
const CONSOLE = join(REPO, 'client', 'console');
const sources = readdirSync(CONSOLE)
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => ({ file: join(CONSOLE, f), text: readFileSync(join(CONSOLE, f), 'utf8') }));

describe('the console catalogue (issue 14)', () => {
  it('every key of the console catalogue is used by console code, written out whole', () => {
    const code = sources.map((s) => s.text).join('\n');
    const unused = Object.keys(messages).filter((k) => !code.includes(`'${k}'`));
    expect(unused).toEqual([]);
  });

  it('plural values give exactly the English plural categories, with {n} in each form', () => {
    const categories = new Intl.PluralRules('en').resolvedOptions().pluralCategories.slice().sort();
    for (const [k, v] of Object.entries(messages)) {
      if (typeof v === 'string') continue;
      expect(Object.keys(v).sort(), k).toEqual(categories);
      for (const form of Object.values(v)) expect(form, k).toContain('{n}');
    }
  });
});

describe('the console accessor t(key, params)', () => {
  it('picks the English plural form by Intl.PluralRules and formats the count with Intl.NumberFormat', () => {
    expect(t('app.reports', { n: 1 })).toBe('1 report');
    expect(t('app.reports', { n: 0 })).toBe('0 reports');
    expect(t('app.reports', { n: 2 })).toBe('2 reports');
    expect(t('app.reports', { n: 1234567 })).toBe('1,234,567 reports');
    expect(t('case.file', { n: 1, day: '2026-11-14' })).toBe('file of 1 byte (encrypted size), received 2026-11-14: not an image that can be shown');
    expect(t('draft.problem.flags', { n: 3 })).toBe('3 redaction flags to remove or override');
  });

  it('fills every placeholder once, numbers formatted, strings as they are (a value that looks like a placeholder stays)', () => {
    expect(t('common.loading')).toBe('Loading…');
    expect(t('api.error', { status: 502 })).toBe('error 502');
    expect(t('alerts.channels', { email: 'on', sms: 'not configured' })).toBe('Email on · SMS not configured');
    expect(t('alerts.gone', { id: '{n} <b>x</b>' })).toBe('warning {n} <b>x</b> (corrected or withdrawn)');
    expect(t('stats.live.reportsReceived', { n: 1, first: '2026-01', last: '2026-03' })).toBe('1 readable report received 2026-01 to 2026-03.');
  });
});
