/**
 * No function in checker/ or model/semantics/ is longer than about 120 lines (issue 11: the
 * explorer and machine were single functions of 289 and 506 lines). The measure is a pure function
 * over the TypeScript AST, and the test below shows it can fail.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourcesUnder } from './sources.js';

/** The longest a function body may be, in lines, declaration to closing brace. */
const MAX_LINES = 125;

/** Every function, method, arrow or constructor in `text` longer than `max` lines: "path:line name (n lines)". */
export function longFunctions(path: string, text: string, max: number): string[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isConstructorDeclaration(n)) && n.body !== undefined) {
      const first = sf.getLineAndCharacterOfPosition(n.getStart()).line;
      const last = sf.getLineAndCharacterOfPosition(n.end).line;
      const lines = last - first + 1;
      const name = n.name !== undefined && ts.isIdentifier(n.name) ? n.name.text : '(anonymous)';
      if (lines > max) out.push(`${path}:${first + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('function length', () => {
  it('the measure finds a long function', () => {
    const body = Array.from({ length: 10 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    expect(longFunctions('x.ts', `function f() {\n${body}\n}\nconst g = () => 1;\n`, 5)).toEqual(['x.ts:1 f (12 lines)']);
    expect(longFunctions('x.ts', `function f() {\n${body}\n}\n`, 12)).toEqual([]);
  });
  it(`no function in checker/ or model/semantics/ is longer than ${MAX_LINES} lines`, () => {
    const files = [...sourcesUnder('checker'), ...sourcesUnder('model/semantics')];
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => longFunctions(f.path, f.text, MAX_LINES))).toEqual([]);
  });
});
