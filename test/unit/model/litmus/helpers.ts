/** Test helpers for the litmus importer: parse a string, and render statements compactly for assertions. */
import { SourceFile } from '../../../../model/syntax/source.js';
import { parseLitmus } from '../../../../model/litmus/index.js';
import type { CondExpr, CondTerm, Expr, MemOp, Program, Stmt } from '../../../../model/syntax/ast.js';
import type { Diagnostic } from '../../../../model/diagnostics/diagnostic.js';

/** Parse litmus text named `name`. */
export function parse(text: string, name = 'test.litmus'): { program: Program; diagnostics: Diagnostic[]; file: SourceFile } {
  const file = new SourceFile(name, text);
  return { ...parseLitmus(file), file };
}

/** `code@line:col` for each diagnostic. */
export function where(diags: readonly Diagnostic[]): string[] {
  return diags.map((d) => `${d.code}@${d.span.line}:${d.span.col}`);
}

/** Render an expression in .mw-like syntax. */
export function expr(e: Expr): string {
  switch (e.kind) {
    case 'int':
      return String(e.value);
    case 'name':
      return e.name;
    case 'binary':
      return `(${expr(e.left)} ${e.op} ${expr(e.right)})`;
    case 'unary':
      return `${e.op}${expr(e.operand)}`;
    case 'mem':
      return op(e.op);
    case 'error':
      return '<error>';
  }
}

function op(o: MemOp): string {
  switch (o.kind) {
    case 'load':
      return `load.${o.mode}(${o.loc.name.name})`;
    case 'store':
      return `store.${o.mode}(${o.loc.name.name}, ${expr(o.value)})`;
    case 'rmw':
      return `${o.op}.${o.mode}(${o.loc.name.name}, ${o.expected === null ? '' : `${expr(o.expected)}, `}${expr(o.value)})`;
    case 'fence':
      return `fence.${o.mode}()`;
    case 'wait':
      return `wait(${o.loc.name.name})`;
    case 'notify':
      return `notify(${o.loc.name.name})`;
  }
}

/** Render a statement in .mw-like syntax, one line. */
export function stmt(s: Stmt): string {
  switch (s.kind) {
    case 'assign':
      return `${s.target.name} = ${expr(s.value)}`;
    case 'memstmt':
      return op(s.op);
    case 'if':
      return `if ${expr(s.cond)} { ${s.then.map(stmt).join('; ')} }${s.otherwise === null ? '' : ` else { ${s.otherwise.map(stmt).join('; ')} }`}`;
    case 'while':
      return `while ${expr(s.cond)} { ${s.body.map(stmt).join('; ')} }`;
    case 'label':
      return `${s.name.name}:`;
    case 'goto':
      return `goto ${s.target.name}`;
    case 'skip':
      return 'skip';
    case 'error':
      return '<error>';
    default:
      return `<${s.kind}>`;
  }
}

/** Each thread's statements rendered, keyed by thread name. */
export function threads(p: Program): Record<string, string[]> {
  return Object.fromEntries(p.threads.map((t) => [t.name.name, t.body.map(stmt)]));
}

/** Render a condition term. */
export function term(t: CondTerm): string {
  switch (t.kind) {
    case 'reg':
      return `${'ordinal' in t.thread ? String(t.thread.ordinal) : t.thread.name}:${t.reg}`;
    case 'loc':
      return `[${t.name}]`;
    case 'int':
      return String(t.value);
  }
}

/** Render a condition fully parenthesised, to check precedence. */
export function cond(e: CondExpr): string {
  switch (e.kind) {
    case 'cmp':
      return `${term(e.left)}${e.op}${term(e.right)}`;
    case 'and':
      return `(${cond(e.left)} & ${cond(e.right)})`;
    case 'or':
      return `(${cond(e.left)} | ${cond(e.right)})`;
    case 'implies':
      return `(${cond(e.left)} -> ${cond(e.right)})`;
    case 'not':
      return `!${cond(e.operand)}`;
    case 'bool':
      return String(e.value);
    case 'error':
      return '<error>';
  }
}
