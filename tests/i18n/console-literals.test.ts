/**
 * Issue 14 for the console: every user-facing English word of client/console/ comes from its
 * catalogue (client/i18n/console/en.ts), and every key there is used. The scan parses each
 * component with the parser Vite ships (oxc, through `parseSync`): a JSX text node with a
 * letter, a literal with a letter in a title/placeholder/aria-label/alt/label attribute, or a
 * literal with a letter a JSX expression would show ({busy ? 'saving' : …}) is a finding.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';
import { t } from '../../client/console/i18n.js';
import { messages } from '../../client/i18n/console/en.js';

const REPO = join(import.meta.dirname, '..', '..');
const CONSOLE = join(REPO, 'client', 'console');
const TEXT_ATTRIBUTES = new Set(['title', 'placeholder', 'aria-label', 'alt', 'label']);
const LETTER = /\p{L}/u;

type Node = { type: string; start: number; [k: string]: unknown };

/** The literal text a JSX expression may show: string literals and template text, through ?:, && and ||. */
function shownLiterals(e: Node | null | undefined): { text: string; at: number }[] {
  if (!e) return [];
  switch (e.type) {
    case 'Literal':
      return typeof e.value === 'string' ? [{ text: e.value, at: e.start }] : [];
    case 'TemplateLiteral':
      return (e.quasis as Node[]).map((q) => ({ text: String((q.value as { cooked: string }).cooked), at: q.start }));
    case 'ConditionalExpression':
      return [...shownLiterals(e.consequent as Node), ...shownLiterals(e.alternate as Node)];
    case 'LogicalExpression':
      return shownLiterals(e.right as Node);
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
      return shownLiterals(e.expression as Node);
    default:
      return [];
  }
}

/** Each user-facing literal with a letter in one .tsx source, as `file:line: text`. */
export function findLiterals(file: string, source: string): string[] {
  const { program, errors } = parseSync(file, source, { lang: 'tsx' });
  if (errors.length > 0) throw new Error(`${file}: ${errors[0]!.message}`);
  const out: string[] = [];
  const line = (at: number) => source.slice(0, at).split('\n').length;
  const report = (at: number, text: string) => out.push(`${relative(REPO, file)}:${line(at)}: ${JSON.stringify(text.trim())}`);
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object' || typeof (n as Node).type !== 'string') return;
    const node = n as Node;
    if (node.type === 'JSXText' && LETTER.test(String(node.value))) report(node.start, String(node.value));
    if (node.type === 'JSXAttribute') {
      const name = (node.name as Node).name;
      const v = node.value as Node | null;
      if (typeof name === 'string' && TEXT_ATTRIBUTES.has(name) && v) {
        const found = v.type === 'JSXExpressionContainer' ? shownLiterals(v.expression as Node) : shownLiterals(v);
        for (const l of found) if (LETTER.test(l.text)) report(l.at, l.text);
      }
    }
    if (node.type === 'JSXElement' || node.type === 'JSXFragment') {
      for (const c of node.children as Node[]) {
        if (c.type === 'JSXExpressionContainer') for (const l of shownLiterals(c.expression as Node)) if (LETTER.test(l.text)) report(l.at, l.text);
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'type') visit(v);
  };
  visit(program);
  return out;
}

const sources = readdirSync(CONSOLE)
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => ({ file: join(CONSOLE, f), text: readFileSync(join(CONSOLE, f), 'utf8') }));

describe('console text goes through its catalogue (issue 14)', () => {
  it('finds a literal in JSX text, in a text attribute and in a shown expression (the scanner can fail)', () => {
    const bad = [
      'const a = <p>Hello <b>{n}</b></p>;',
      'const a = <input placeholder="search" />;',
      "const a = <img alt={'a photo'} />;",
      'const a = <span title={`row ${n}`} />;',
      "const a = <button>{busy ? 'saving…' : t('x')}</button>;",
      "const a = <p>{error && 'failed'}</p>;",
    ];
    for (const src of bad) expect(findLiterals(join(CONSOLE, 'X.tsx'), src), src).toHaveLength(1);
    const good = ["const a = <p title={t('x')} class=\"muted\">{t('y', { n })} · — → {' '}<b>#</b></p>;", 'const a = <span data-x="word">{`${a}: ${b}`}</span>;'];
    for (const src of good) expect(findLiterals(join(CONSOLE, 'X.tsx'), src), src).toEqual([]);
  });

  it('client/console/*.tsx holds no user-facing English literal', () => {
    const tsx = sources.filter((s) => s.file.endsWith('.tsx'));
    expect(tsx.length).toBeGreaterThan(10);
    expect(tsx.flatMap((s) => findLiterals(s.file, s.text))).toEqual([]);
  });

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
