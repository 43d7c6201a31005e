/**
 * The source transform of the explorer: TypeScript (or JavaScript) modules of the code under test
 * → CommonJS text in which every shared-memory operation is a call of the worker runtime's
 * `__mw` (explore/worker.cjs), carrying its position in the user's file:
 *
 *   Atomics.NAME(a, …)        → __mw.atomics("NAME", "file:line:col", a, …)
 *   o[k]                       → __mw.get(o, k, pos)              (read)
 *   o[k] = v                   → __mw.set(o, k, v, pos)
 *   o[k] OP= v                 → __mw.upd(o, k, "OP", () => v, pos)   (a read, then a write)
 *   ++o[k], o[k]--, …          → __mw.inc(o, k, ±1, prefix, pos)
 *   Math.random, Date.now, performance.now, crypto.getRandomValues / randomUUID,
 *   setTimeout(…), setInterval(…), setImmediate(…), queueMicrotask(…), new Date()
 *                              → __mw.nondet("NAME", pos) (throws an escape when called)
 *
 * Element accesses are rewritten whatever the object is (without types the transform cannot know
 * which are typed arrays); the runtime passes those on objects other than the modelled buffer's
 * typed arrays straight through. Forms left alone (optional chaining `o?.[k]`, a computed callee
 * `o[k](…)`, `delete o[k]`, destructuring targets, string-literal keys) stay correct for ordinary
 * objects, and on the modelled buffer they meet the runtime's proxy, which reports an escape.
 *
 * The module graph is every relative import reachable from the entry (`./x.js` resolves to
 * `./x.ts` as TypeScript's NodeNext resolution does); bare specifiers (packages, `node:*`) are
 * left to Node's `require`, untransformed — their shared accesses meet the proxy too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One transformed module: CommonJS text, and its relative imports resolved to absolute paths. */
export interface TransformedModule {
  readonly file: string;
  readonly code: string;
  readonly deps: Readonly<Record<string, string>>;
  /** scheduling points the transform inserted (Atomics calls and element accesses) */
  readonly points: number;
}

/** A problem that stops a module graph from being explored, with its position. */
export interface TransformDiagnostic {
  /** X101 unreadable or unresolvable import, X102 syntax error, X103 unsupported construct */
  readonly code: 'X101' | 'X102' | 'X103';
  readonly message: string;
  /** "file:line:col" */
  readonly at: string;
}

/** The graph's modules by absolute path, or the diagnostics that stop it. */
export type GraphResult =
  | { readonly ok: true; readonly modules: Readonly<Record<string, TransformedModule>>; readonly entry: string }
  | { readonly ok: false; readonly diagnostics: readonly TransformDiagnostic[] };

const NONDET_MEMBERS: ReadonlySet<string> = new Set(['Math.random', 'Date.now', 'performance.now', 'crypto.getRandomValues', 'crypto.randomUUID']);
const NONDET_CALLS: ReadonlySet<string> = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'];

/** Where a relative specifier of `from` leads, or null (NodeNext: `./x.js` may name `./x.ts`). */
export function resolveRelative(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  const candidates = [base];
  const ext = /\.(m|c)?js$/.exec(base);
  if (ext !== null) {
    const stem = base.slice(0, base.length - ext[0].length);
    candidates.push(`${stem}.${ext[1] ?? ''}ts`);
  }
  for (const e of SOURCE_EXTENSIONS) candidates.push(base + e);
  for (const e of SOURCE_EXTENSIONS) candidates.push(resolve(base, `index${e}`));
  for (const c of candidates) if (existsSync(c) && SOURCE_EXTENSIONS.some((e) => c.endsWith(e))) return c;
  return null;
}

/** Transform the entry and every module it reaches by relative imports. */
export function transformGraph(entry: string, cwd: string = process.cwd()): GraphResult {
  const modules: Record<string, TransformedModule> = {};
  const diagnostics: TransformDiagnostic[] = [];
  const root = resolve(entry);
  const queue = [root];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (modules[file] !== undefined) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      diagnostics.push({ code: 'X101', message: `cannot read ${file}: ${(e as Error).message}`, at: `${relative(cwd, file)}:1:1` });
      continue;
    }
    const out = transformModule(file, text, cwd);
    diagnostics.push(...out.diagnostics);
    const deps: Record<string, string> = {};
    for (const { spec, at } of out.imports) {
      const target = resolveRelative(file, spec);
      if (target === null) diagnostics.push({ code: 'X101', message: `cannot resolve the import '${spec}'`, at });
      else {
        deps[spec] = target;
        queue.push(target);
      }
    }
    modules[file] = { file, code: out.code, deps, points: out.points };
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, modules, entry: root };
}

/** One module's transform: CommonJS code, its relative imports, and what stops it. */
export function transformModule(
  file: string,
  text: string,
  cwd: string = process.cwd(),
): { code: string; imports: { spec: string; at: string }[]; diagnostics: TransformDiagnostic[]; points: number } {
  const imports: { spec: string; at: string }[] = [];
  const diagnostics: TransformDiagnostic[] = [];
  const shown = relative(cwd, file) || file;
  let points = 0;
  const transformer: ts.TransformerFactory<ts.SourceFile> = (context) => (sf) => {
    const f = context.factory;
    const at = (n: ts.Node): string => {
      const { line, character } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
      return `${shown}:${line + 1}:${character + 1}`;
    };
    const mw = (name: string): ts.Expression => f.createPropertyAccessExpression(f.createIdentifier('__mw'), name);
    const call = (name: string, args: ts.Expression[]): ts.Expression => f.createCallExpression(mw(name), undefined, args);
    const str = (s: string): ts.Expression => f.createStringLiteral(s);
    const isElement = (n: ts.Node): n is ts.ElementAccessExpression =>
      ts.isElementAccessExpression(n) && n.questionDotToken === undefined && !ts.isStringLiteralLike(n.argumentExpression);
    const visit = (n: ts.Node): ts.Node => {
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier !== undefined && ts.isStringLiteral(n.moduleSpecifier)) {
        const typeOnly = ts.isImportDeclaration(n) ? n.importClause?.isTypeOnly === true : n.isTypeOnly;
        if (!typeOnly && n.moduleSpecifier.text.startsWith('.')) imports.push({ spec: n.moduleSpecifier.text, at: at(n) });
        return n;
      }
      if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
        diagnostics.push({ code: 'X103', message: 'a dynamic import() in the code under test is not supported yet: import it statically', at: at(n) });
        return n;
      }
      if (ts.isMetaProperty(n)) {
        diagnostics.push({ code: 'X103', message: 'import.meta in the code under test is not supported yet (modules are evaluated as CommonJS)', at: at(n) });
        return n;
      }
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === 'Atomics') {
        points++;
        const args = n.arguments.map((a) => ts.visitNode(a, visit) as ts.Expression);
        return call('atomics', [str(n.expression.name.text), str(at(n)), ...args]);
      }
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && NONDET_CALLS.has(n.expression.text)) {
        const args = n.arguments.map((a) => ts.visitNode(a, visit) as ts.Expression);
        return f.createCallExpression(call('nondet', [str(n.expression.text), str(at(n))]), undefined, args);
      }
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'Date' && (n.arguments === undefined || n.arguments.length === 0)) {
        return f.createCallExpression(call('nondet', [str('new Date'), str(at(n))]), undefined, []);
      }
      if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && NONDET_MEMBERS.has(`${n.expression.text}.${n.name.text}`)) {
        return call('nondet', [str(`${n.expression.text}.${n.name.text}`), str(at(n))]);
      }
      if (ts.isBinaryExpression(n) && isElement(n.left) && (n.operatorToken.kind === ts.SyntaxKind.EqualsToken || COMPOUND.has(n.operatorToken.kind))) {
        const op = n.operatorToken.kind;
        const obj = ts.visitNode(n.left.expression, visit) as ts.Expression;
        const key = ts.visitNode(n.left.argumentExpression, visit) as ts.Expression;
        const rhs = ts.visitNode(n.right, visit) as ts.Expression;
        if (op === ts.SyntaxKind.EqualsToken) {
          points++;
          return call('set', [obj, key, rhs, str(at(n.left))]);
        }
        const text = COMPOUND.get(op);
        if (text !== undefined) {
          points += 2;
          return call('upd', [obj, key, str(text), f.createArrowFunction(undefined, undefined, [], undefined, undefined, rhs), str(at(n.left))]);
        }
        throw new Error('memweave explore: internal error, an assignment operator without a rewrite');
      }
      if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && isElement(n.operand) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
        points += 2;
        const obj = ts.visitNode(n.operand.expression, visit) as ts.Expression;
        const key = ts.visitNode(n.operand.argumentExpression, visit) as ts.Expression;
        const delta = n.operator === ts.SyntaxKind.PlusPlusToken ? f.createNumericLiteral(1) : f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(1));
        return call('inc', [obj, key, delta, ts.isPrefixUnaryExpression(n) ? f.createTrue() : f.createFalse(), str(at(n.operand))]);
      }
      if (isElement(n) && !isLeftAlone(n)) {
        points++;
        const obj = ts.visitNode(n.expression, visit) as ts.Expression;
        const key = ts.visitNode(n.argumentExpression, visit) as ts.Expression;
        return call('get', [obj, key, str(at(n))]);
      }
      return ts.visitEachChild(n, visit, context);
    };
    return ts.visitNode(sf, visit) as ts.SourceFile;
  };
  const out = ts.transpileModule(text, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, verbatimModuleSyntax: false, isolatedModules: true },
    transformers: { before: [transformer] },
  });
  for (const d of out.diagnostics ?? []) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    const pos = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
    diagnostics.push({ code: 'X102', message: ts.flattenDiagnosticMessageText(d.messageText, '\n'), at: `${shown}:${pos.line + 1}:${pos.character + 1}` });
  }
  return { code: out.outputText, imports, diagnostics, points };
}

/** Element accesses the transform leaves to the runtime's proxy (see the header). */
function isLeftAlone(n: ts.ElementAccessExpression): boolean {
  const p = n.parent;
  if (p === undefined) return false;
  if (ts.isCallExpression(p) && p.expression === n) return true; // o[k](…) keeps its `this`
  if (ts.isDeleteExpression(p)) return true;
  if (ts.isArrayLiteralExpression(p) || ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p) || ts.isSpreadElement(p)) {
    // maybe a destructuring target: leave only if it is one (an assignment pattern's element)
    return isAssignmentTarget(p);
  }
  if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.initializer === n) return true;
  if (ts.isTaggedTemplateExpression(p) && p.tag === n) return true;
  return false;
}

function isAssignmentTarget(n: ts.Node): boolean {
  let cur: ts.Node = n;
  while (cur.parent !== undefined && (ts.isArrayLiteralExpression(cur.parent) || ts.isObjectLiteralExpression(cur.parent) || ts.isPropertyAssignment(cur.parent) || ts.isSpreadElement(cur.parent) || ts.isShorthandPropertyAssignment(cur.parent))) cur = cur.parent;
  const p = cur.parent;
  return p !== undefined && ts.isBinaryExpression(p) && p.left === cur && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

const COMPOUND: ReadonlyMap<ts.SyntaxKind, string> = new Map([
  [ts.SyntaxKind.PlusEqualsToken, '+'],
  [ts.SyntaxKind.MinusEqualsToken, '-'],
  [ts.SyntaxKind.AsteriskEqualsToken, '*'],
  [ts.SyntaxKind.SlashEqualsToken, '/'],
  [ts.SyntaxKind.PercentEqualsToken, '%'],
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken, '**'],
  [ts.SyntaxKind.LessThanLessThanEqualsToken, '<<'],
  [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken, '>>'],
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken, '>>>'],
  [ts.SyntaxKind.AmpersandEqualsToken, '&'],
  [ts.SyntaxKind.BarEqualsToken, '|'],
  [ts.SyntaxKind.CaretEqualsToken, '^'],
]);
