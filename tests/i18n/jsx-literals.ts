/**
 * Finds user-facing literal text in .tsx files with the parser Vite ships (oxc, through
 * `parseSync`): JSX text containing a letter, a literal with a letter that a JSX child
 * expression shows (`{'words'}`, `{busy ? 'saving' : t('x')}`, `{error && 'failed'}`), and
 * literal values of the attributes a reader or a screen reader is given.
 */
import { relative } from 'node:path';
import { parseSync } from 'vite';

/** Attributes whose value is shown or read out. */
export const TEXT_ATTRIBUTES = new Set(['title', 'placeholder', 'aria-label', 'alt', 'label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'legend', 'hint', 'itemLabel']);

const LETTER = /\p{L}/u;

export interface Literal {
  file: string;
  line: number;
  text: string;
}

type Node = { type: string; start: number; [k: string]: unknown };

/** The literal text an expression may show: string literals and template text, through ?:, && and ||. */
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

/**
 * Every user-facing literal with a letter in one .tsx source.
 * @throws when the source does not parse
 */
export function findLiterals(file: string, source: string): Literal[] {
  const { program, errors } = parseSync(file, source, { lang: 'tsx' });
  if (errors.length > 0) throw new Error(`${file}: ${errors[0]!.message}`);
  const out: Literal[] = [];
  const report = (at: number, text: string) => {
    if (LETTER.test(text)) out.push({ file, line: source.slice(0, at).split('\n').length, text: text.trim().replace(/\s+/g, ' ') });
  };
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object' || typeof (n as Node).type !== 'string') return;
    const node = n as Node;
    if (node.type === 'JSXText') report(node.start, String(node.value));
    if (node.type === 'JSXAttribute') {
      const name = (node.name as Node).name;
      const v = node.value as Node | null;
      if (typeof name === 'string' && TEXT_ATTRIBUTES.has(name) && v)
        for (const l of v.type === 'JSXExpressionContainer' ? shownLiterals(v.expression as Node) : shownLiterals(v)) report(l.at, l.text);
    }
    if (node.type === 'JSXElement' || node.type === 'JSXFragment')
      for (const c of node.children as Node[]) if (c.type === 'JSXExpressionContainer') for (const l of shownLiterals(c.expression as Node)) report(l.at, l.text);
    for (const [k, v] of Object.entries(node)) if (k !== 'type') visit(v);
  };
  visit(program);
  return out;
}

/** `file:line "text"` for each literal, with the file relative to `root`. */
export const where = (root: string, l: Literal) => `${relative(root, l.file)}:${l.line} ${JSON.stringify(l.text)}`;
