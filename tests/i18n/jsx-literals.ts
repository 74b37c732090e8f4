/**
 * Finds user-facing literal text in .tsx files with the TypeScript compiler API (TypeScript 7's
 * `typescript/unstable/*` API, which parses through the compiler itself): JSX text containing a
 * letter, a string literal as a JSX child, and literal string values of the attributes a
 * reader or a screen reader is given.
 */
import { SyntaxKind } from 'typescript/unstable/ast';
import { API } from 'typescript/unstable/sync';

/** Attributes whose value is shown or read out. */
export const TEXT_ATTRIBUTES = ['title', 'placeholder', 'aria-label', 'alt', 'label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'legend', 'hint', 'itemLabel'];

const LETTER = /\p{L}/u;

export interface Literal {
  file: string;
  line: number;
  text: string;
}

// The remote AST's nodes, typed as far as this scan needs them.
interface AstNode {
  kind: SyntaxKind;
  text?: string;
  name?: AstNode;
  initializer?: AstNode;
  expression?: AstNode;
  parent?: AstNode;
  getStart(): number;
  forEachChild<T>(visit: (node: AstNode) => T): T | undefined;
}

function isStringish(n: AstNode | undefined): n is AstNode & { text: string } {
  return !!n && (n.kind === SyntaxKind.StringLiteral || n.kind === SyntaxKind.NoSubstitutionTemplateLiteral);
}

/**
 * Every literal in `files` (absolute paths of .tsx files in the tsconfig project at `root`).
 * @throws when a file is not part of the project
 */
export function findLiterals(root: string, files: readonly string[]): Literal[] {
  const api = new API({ cwd: root });
  try {
    const snapshot = api.updateSnapshot({ openProjects: [`${root}/tsconfig.json`] });
    const project = snapshot.getProjects()[0]!;
    const out: Literal[] = [];
    for (const file of files) {
      const sf = project.program.getSourceFile(file);
      if (!sf) throw new Error(`not in the project: ${file}`);
      const add = (node: AstNode, text: string) => out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: text.trim().replace(/\s+/g, ' ') });
      const visit = (node: AstNode): undefined => {
        if (node.kind === SyntaxKind.JsxText && LETTER.test(node.text ?? '')) add(node, node.text!);
        if (node.kind === SyntaxKind.JsxAttribute && node.name && TEXT_ATTRIBUTES.includes(node.name.text ?? '')) {
          const init = node.initializer;
          const value = isStringish(init) ? init : init?.kind === SyntaxKind.JsxExpression && isStringish(init.expression) ? init.expression : undefined;
          if (value && LETTER.test(value.text)) add(node, value.text);
        }
        // {'Some words'} as a child of an element or fragment
        if (node.kind === SyntaxKind.JsxExpression && isStringish(node.expression) && (node.parent?.kind === SyntaxKind.JsxElement || node.parent?.kind === SyntaxKind.JsxFragment) && LETTER.test(node.expression.text))
          add(node, node.expression.text);
        node.forEachChild(visit);
        return undefined;
      };
      (sf as unknown as AstNode).forEachChild(visit);
    }
    return out;
  } finally {
    api.close();
  }
}
