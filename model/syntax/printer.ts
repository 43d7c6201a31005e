/**
 * The canonical .mw printer: AST → text. Two-space indentation, one statement per line, `;`
 * terminators, the fewest parentheses precedence allows, strings escaped. For any AST without
 * error nodes and with the shapes the parser produces, parseMw(printProgram(p)) gives back p
 * (spans aside); and printing is idempotent through the parser for every program.
 * Conditions print in herd syntax (`P0:r0=0 /\ ~x=1`).
 * Not representable in .mw, hence not round-tripped: metadata other than `source` (printed as
 * `//` comments), negative integer literals (printed as `-n`, which reads back as unary minus,
 * except -2147483648), and error nodes (printed as `<error>`).
 * Comments: printProgram(p) prints none; printProgram(p, { comments }) prints the comments of a
 * CommentTable (comments.ts) around the statements and declarations they were attached to, keeps
 * one blank line where the source had blank lines, and gives an end-of-line comment its source
 * column when its line is printed as it was (so hand-aligned comments stay aligned), else one
 * space after the code.
 */
import type { BinaryOp, CondExpr, CondTerm, Expr, FinalCondition, LocRef, MemOp, ParamDecl, Program, SharedDecl, Stmt, ThreadDecl, ViewWidth } from './ast.js';
import type { BlockComments, CommentSlot, CommentTable, SourceComment } from './comments.js';
import { isPlainIdentifier } from './lexer.js';
import { escapeUnit, isUnsafeControl } from './controls.js';

const INDENT = '  ';

/** C precedence of binary operators (higher binds tighter); unary and atoms are above all of them. */
const PREC: Readonly<Record<BinaryOp, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
const UNARY_PREC = 11;
const ATOM_PREC = 12;

/** A .mw string literal for `s`, with `"`, `\`, newline, tab, carriage return and control characters escaped. */
export function printString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\r':
        out += '\\r';
        break;
      default:
        // control characters (ESC, NUL, bidi overrides, …) as \uXXXX: never raw in printed text
        out += ch.length === 1 && isUnsafeControl(ch.charCodeAt(0)) ? escapeUnit(ch.charCodeAt(0)) : ch;
    }
  }
  return out + '"';
}

function exprPrec(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return PREC[e.op];
    case 'unary':
      return UNARY_PREC;
    case 'int':
      return e.value < 0 ? UNARY_PREC : ATOM_PREC;
    default:
      return ATOM_PREC;
  }
}

/** Print an expression with the fewest parentheses (all binary operators are left-associative). */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'int':
      return String(e.value);
    case 'name':
      return e.name;
    case 'error':
      return '<error>';
    case 'mem':
      return printMemOp(e.op);
    case 'unary': {
      const inner = printExpr(e.operand);
      const needParens = exprPrec(e.operand) < UNARY_PREC || (e.op === '-' && inner.startsWith('-'));
      return e.op + (needParens ? `(${inner})` : inner);
    }
    case 'binary': {
      // A left-nested chain of one precedence (a + b - c + …) prints without parentheses: walk its
      // left spine in a loop, so a chain of any length never recurses per operand.
      const p = PREC[e.op];
      const rights: (Expr & { kind: 'binary' })[] = [];
      let base: Expr = e;
      while (base.kind === 'binary' && PREC[base.op] === p) {
        rights.push(base);
        base = base.left;
      }
      const l = printExpr(base);
      let out = exprPrec(base) < p ? `(${l})` : l;
      for (let i = rights.length - 1; i >= 0; i--) {
        const node = rights[i] as Expr & { kind: 'binary' };
        const r = printExpr(node.right);
        out += ` ${node.op} ${exprPrec(node.right) <= p ? `(${r})` : r}`;
      }
      return out;
    }
  }
}

function printLoc(l: LocRef): string {
  const view = l.view === undefined ? '' : viewSuffix(l.view.width);
  return l.index === null ? l.name.name : `${l.name.name}${view}[${printExpr(l.index)}]`;
}

/** `.i8`, `.i16` or `.i32`: the view of a width in bytes. */
export function viewSuffix(width: ViewWidth): string {
  return `.i${width * 8}`;
}

/** Print a memory operation: `load.sc(x)`, `cmpxchg.acq_rel(a[i], 0, 1)`, `wait(x, 0)`, `fence.sc()`. */
export function printMemOp(op: MemOp): string {
  switch (op.kind) {
    case 'load':
      return `load.${op.mode}(${printLoc(op.loc)})`;
    case 'store':
      return `store.${op.mode}(${printLoc(op.loc)}, ${printExpr(op.value)})`;
    case 'rmw':
      return op.op === 'cmpxchg' || op.expected !== null
        ? `${op.op}.${op.mode}(${printLoc(op.loc)}, ${op.expected === null ? '<error>' : printExpr(op.expected)}, ${printExpr(op.value)})`
        : `${op.op}.${op.mode}(${printLoc(op.loc)}, ${printExpr(op.value)})`;
    case 'fence':
      return `fence.${op.mode}()`;
    case 'wait':
      return op.timeout === null ? `wait(${printLoc(op.loc)}, ${printExpr(op.expected)})` : `wait(${printLoc(op.loc)}, ${printExpr(op.expected)}, ${printExpr(op.timeout)})`;
    case 'notify':
      return op.count === null ? `notify(${printLoc(op.loc)})` : `notify(${printLoc(op.loc)}, ${printExpr(op.count)})`;
  }
}

/** One-line rendering of a statement, for trace origins: simple statements without their `;`, compound ones as their head (`if (c)`, `while (c)`, `for k in 0..N`, `critical NAME`). */
export function printStmtHead(s: Stmt): string {
  switch (s.kind) {
    case 'assign':
      return `${s.target.name} = ${printExpr(s.value)}`;
    case 'memstmt':
      return printMemOp(s.op);
    case 'if':
      return `if (${printExpr(s.cond)})`;
    case 'while':
      return `while (${printExpr(s.cond)})`;
    case 'for':
      return `for ${s.variable.name} in ${printExpr(s.from)}..${printExpr(s.to)}`;
    case 'await':
      return `await (${printExpr(s.cond)})`;
    case 'assert':
      return s.message === null ? `assert (${printExpr(s.cond)})` : `assert (${printExpr(s.cond)}, ${printString(s.message)})`;
    case 'assume':
      return `assume (${printExpr(s.cond)})`;
    case 'critical':
      return s.name === null ? 'critical' : `critical ${s.name.name}`;
    case 'label':
      return `${s.name.name}:`;
    case 'goto':
      return `goto ${s.target.name}`;
    case 'skip':
      return 'skip';
    case 'error':
      return '<error>';
  }
}

function printBlock(stmts: readonly Stmt[], indent: number): string {
  if (stmts.length === 0) return '{}';
  const pad = INDENT.repeat(indent);
  return `{\n${stmts.map((s) => printStmt(s, indent + 1)).join('\n')}\n${pad}}`;
}

/** Print a statement (possibly several lines) at the given indentation level, without a trailing newline. */
export function printStmt(s: Stmt, indent = 0): string {
  const pad = INDENT.repeat(indent);
  switch (s.kind) {
    case 'assign':
    case 'memstmt':
    case 'await':
    case 'assert':
    case 'assume':
    case 'goto':
    case 'skip':
    case 'error':
      return `${pad}${printStmtHead(s)};`;
    case 'label':
      return `${pad}${printStmtHead(s)}`;
    case 'while':
    case 'for':
    case 'critical':
      return `${pad}${printStmtHead(s)} ${printBlock(s.body, indent)}`;
    case 'if': {
      let out = `${pad}if (${printExpr(s.cond)}) ${printBlock(s.then, indent)}`;
      let other = s.otherwise;
      // an else holding exactly one if prints as `else if`
      while (other !== null) {
        const only = other.length === 1 ? other[0] : undefined;
        if (only !== undefined && only.kind === 'if') {
          out += ` else if (${printExpr(only.cond)}) ${printBlock(only.then, indent)}`;
          other = only.otherwise;
        } else {
          out += ` else ${printBlock(other, indent)}`;
          other = null;
        }
      }
      return out;
    }
  }
}

/** Print a condition term: `P0:r0`, `T[1]:r`, `0:r0`, `x`, `a[2]`, `-1`. */
export function printCondTerm(t: CondTerm): string {
  switch (t.kind) {
    case 'int':
      return String(t.value);
    case 'loc':
      return t.index === null ? t.name : `${t.name}${t.view === undefined ? '' : viewSuffix(t.view.width)}[${t.index}]`;
    case 'reg':
      if ('ordinal' in t.thread) return `${t.thread.ordinal}:${t.reg}`;
      return t.thread.index === null ? `${t.thread.name}:${t.reg}` : `${t.thread.name}[${t.thread.index}]:${t.reg}`;
  }
}

/** herd precedence: ~ (4) > /\ (3) > \/ (2) > => (1, right-associative). */
function condPrec(c: CondExpr): number {
  switch (c.kind) {
    case 'implies':
      return 1;
    case 'or':
      return 2;
    case 'and':
      return 3;
    case 'not':
      return 4;
    default:
      return 5;
  }
}

function wrap(c: CondExpr, parens: boolean): string {
  const s = printCond(c);
  return parens ? `(${s})` : s;
}

/** Print a condition in herd syntax with the fewest parentheses: `P0:r0=0 /\ ~(x=1 \/ y=1)`. */
export function printCond(c: CondExpr): string {
  switch (c.kind) {
    case 'cmp':
      return `${printCondTerm(c.left)}${c.op}${printCondTerm(c.right)}`;
    case 'bool':
      return c.value ? 'true' : 'false';
    case 'error':
      return '<error>';
    case 'not':
      return `~${wrap(c.operand, condPrec(c.operand) < 4)}`;
    case 'and':
    case 'or':
      return printCondChain(c);
    case 'implies':
      return `${wrap(c.left, condPrec(c.left) <= 1)} => ${wrap(c.right, condPrec(c.right) < 1)}`;
  }
}

/** A left-nested /\\ or \\/ chain, its left spine walked in a loop (never a recursion per term). */
function printCondChain(c: CondExpr & { kind: 'and' | 'or' }): string {
  const kind = c.kind;
  const p = condPrec(c);
  const op = kind === 'and' ? ' /\\ ' : ' \\/ ';
  const rights: CondExpr[] = [];
  let base: CondExpr = c;
  while (base.kind === kind) {
    rights.push(base.right);
    base = base.left;
  }
  let out = wrap(base, condPrec(base) < p);
  for (let i = rights.length - 1; i >= 0; i--) {
    const r = rights[i] as CondExpr;
    out += op + wrap(r, condPrec(r) <= p);
  }
  return out;
}

/** Print a final condition: `exists (P0:r0=0 /\ P1:r0=0)`, `~exists (…)`, `forall (…)`. */
export function printFinalCondition(fc: FinalCondition): string {
  const q = fc.quantifier === 'not exists' ? '~exists' : fc.quantifier;
  return `${q} (${printCond(fc.expr)})`;
}

function printName(name: string): string {
  return isPlainIdentifier(name) ? name : printString(name);
}

function headLine(p: Program): string | null {
  if (p.name !== null) return p.description === null ? `test ${printName(p.name)}` : `test ${printName(p.name)} ${printString(p.description)}`;
  return p.description !== null ? `description ${printString(p.description)}` : null;
}

function metadataLine(m: { readonly key: string; readonly value: string }): string {
  return m.key === 'source' ? `source ${printString(m.value)}` : `// ${m.key}: ${m.value.replace(/[\r\n]+/g, ' ')}`;
}

function paramLine(d: ParamDecl): string {
  return `param ${d.name.name} = ${printExpr(d.value)};`;
}

function sharedLine(d: SharedDecl): string {
  let line = `shared ${d.name.name}`;
  if (d.size !== null) line += `[${printExpr(d.size)}]`;
  if (d.init.kind === 'fill') line += ` = ${printExpr(d.init.value)}`;
  else if (d.init.kind === 'list') line += ` = {${d.init.values.map(printExpr).join(', ')}}`;
  return `${line};`;
}

function threadHead(t: ThreadDecl): string {
  return t.template === null ? `thread ${t.name.name}` : `thread ${t.name.name}[${t.template.variable.name} in ${printExpr(t.template.from)}..${printExpr(t.template.to)}]`;
}

/** Options of printProgram. */
export interface PrintOptions {
  /** the comments to print, from attachComments (comments.ts) on the file `p` was parsed from; none when absent */
  readonly comments?: CommentTable;
}

/** Print a whole program in canonical form (ends with a newline), with the comments of options.comments if given. */
export function printProgram(p: Program, options: PrintOptions = {}): string {
  if (options.comments !== undefined) return printProgramWithComments(p, options.comments);
  const lines: string[] = [];
  const head = headLine(p);
  if (head !== null) lines.push(head);
  for (const m of p.metadata) lines.push(metadataLine(m));
  for (const d of p.params) lines.push(paramLine(d));
  for (const d of p.shared) lines.push(sharedLine(d));
  for (const t of p.threads) lines.push(`${threadHead(t)} ${printBlock(t.body, 0)}`);
  if (p.condition !== null) lines.push(printFinalCondition(p.condition));
  if (p.locations.length > 0) lines.push(`locations [${p.locations.map(printCondTerm).join('; ')}]`);
  if (p.filter !== null) lines.push(`filter (${printCond(p.filter)})`);
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- printing with comments

const NO_COMMENTS: CommentSlot = { leading: [], trailing: [], blankBefore: false };
const NO_BLOCK_COMMENTS: BlockComments = { open: [], close: [] };

/** The comment table being printed and the comments printed so far (to print any left over at the end). */
interface CommentCtx {
  readonly table: CommentTable;
  readonly printed: Set<SourceComment>;
}

/** The lines of one block or of the file; '' is a blank line, never first, never doubled. */
class Lines {
  readonly parts: string[] = [];
  blank(): void {
    if (this.parts.length > 0 && this.parts[this.parts.length - 1] !== '') this.parts.push('');
  }
  /** Own-line comments at `pad`, each after a blank line when the source had one. */
  comments(cs: readonly SourceComment[], pad: string, ctx: CommentCtx): void {
    for (const c of cs) {
      if (c.blankBefore) this.blank();
      this.parts.push(pad + reindentComment(c, pad.length));
      ctx.printed.add(c);
    }
  }
  /** A statement or declaration (`text` already indented) with its leading and trailing comments. */
  node(slot: CommentSlot, text: string, pad: string, ctx: CommentCtx): void {
    this.comments(slot.leading, pad, ctx);
    if (slot.blankBefore) this.blank();
    this.parts.push(appendTrailing(text, slot.trailing, pad, ctx));
  }
}

/**
 * A comment's text printed from column `to` (0-based): the continuation lines of a multi-line
 * comment move as far as its first line moved from its source column, so the comment keeps its
 * shape when the code around it is re-indented. Only spaces are added or taken, never more than
 * a line's own leading spaces, and blank lines stay empty; printing again moves nothing.
 */
function reindentComment(c: SourceComment, to: number): string {
  if (!c.text.includes('\n')) return c.text;
  const delta = to - (c.span.col - 1);
  if (delta === 0) return c.text;
  const [first = '', ...rest] = c.text.split('\n');
  const moved = rest.map((line) => {
    if (line.trim() === '') return line;
    if (delta > 0) return ' '.repeat(delta) + line;
    const spaces = line.length - line.replace(/^ +/, '').length;
    return line.slice(Math.min(-delta, spaces));
  });
  return [first, ...moved].join('\n');
}

/**
 * Append end-of-line comments to the last line of `text`: at their source column when that line
 * was printed exactly as it was in the source, else one space after the code. After a `//` comment
 * or a multi-line one the line is over, so the rest go on their own lines at `overflowPad` (where
 * the parser will see them as own-line comments, so printing again puts them there again).
 */
function appendTrailing(text: string, cs: readonly SourceComment[], overflowPad: string, ctx: CommentCtx): string {
  let out = text;
  let lineOver = false;
  for (const c of cs) {
    if (lineOver) out += `\n${overflowPad}${reindentComment(c, overflowPad.length)}`;
    else {
      const lastLine = out.slice(out.lastIndexOf('\n') + 1);
      const col = c.lineBefore === lastLine ? Math.max(c.span.col - 1, lastLine.length + 1) : lastLine.length + 1;
      out += ' '.repeat(col - lastLine.length) + reindentComment(c, col);
      lineOver = c.kind === 'line' || c.text.includes('\n');
    }
    ctx.printed.add(c);
  }
  return out;
}

function nodeComments(ctx: CommentCtx, start: number): CommentSlot {
  return ctx.table.nodes.get(start) ?? NO_COMMENTS;
}

function blockComments(ctx: CommentCtx, owner: number, index: number): BlockComments {
  return ctx.table.blocks.get(owner)?.[index] ?? NO_BLOCK_COMMENTS;
}

/** `prefix` (the text so far, ending where `{` goes) followed by a block with its comments. */
function printBlockWith(prefix: string, stmts: readonly Stmt[], indent: number, bc: BlockComments, ctx: CommentCtx): string {
  const pad = INDENT.repeat(indent);
  const inner = INDENT.repeat(indent + 1);
  const body = new Lines();
  for (const s of stmts) body.node(nodeComments(ctx, s.span.start), printStmtWith(s, indent + 1, ctx), inner, ctx);
  body.comments(bc.close, inner, ctx);
  if (bc.open.length === 0 && body.parts.length === 0) return `${prefix}{}`;
  const open = appendTrailing(`${prefix}{`, bc.open, inner, ctx);
  return body.parts.length === 0 ? `${open}\n${pad}}` : `${open}\n${body.parts.join('\n')}\n${pad}}`;
}

/** printStmt with the comments of the statements and blocks nested in `s` (not those of `s` itself). */
function printStmtWith(s: Stmt, indent: number, ctx: CommentCtx): string {
  const pad = INDENT.repeat(indent);
  switch (s.kind) {
    case 'while':
    case 'for':
    case 'critical':
      return printBlockWith(`${pad}${printStmtHead(s)} `, s.body, indent, blockComments(ctx, s.span.start, 0), ctx);
    case 'if': {
      let out = printBlockWith(`${pad}if (${printExpr(s.cond)}) `, s.then, indent, blockComments(ctx, s.span.start, 0), ctx);
      let owner: Stmt = s;
      let other = s.otherwise;
      // as printStmt: an else holding exactly one if prints as `else if`
      while (other !== null) {
        const only = other.length === 1 ? other[0] : undefined;
        if (only !== undefined && only.kind === 'if') {
          out = printBlockWith(`${out} else if (${printExpr(only.cond)}) `, only.then, indent, blockComments(ctx, only.span.start, 0), ctx);
          owner = only;
          other = only.otherwise;
        } else {
          out = printBlockWith(`${out} else `, other, indent, blockComments(ctx, owner.span.start, 1), ctx);
          other = null;
        }
      }
      return out;
    }
    default:
      return printStmt(s, indent);
  }
}

function printProgramWithComments(p: Program, table: CommentTable): string {
  const ctx: CommentCtx = { table, printed: new Set() };
  const file = new Lines();
  const header = (key: string): CommentSlot => table.header.get(key) ?? NO_COMMENTS;
  const head = headLine(p);
  if (head !== null) file.node(header('head'), head, '', ctx);
  let sources = 0;
  for (const m of p.metadata) file.node(m.key === 'source' ? header(`source#${sources++}`) : NO_COMMENTS, metadataLine(m), '', ctx);
  for (const d of p.params) file.node(nodeComments(ctx, d.span.start), paramLine(d), '', ctx);
  for (const d of p.shared) file.node(nodeComments(ctx, d.span.start), sharedLine(d), '', ctx);
  for (const t of p.threads) {
    file.node(nodeComments(ctx, t.span.start), printBlockWith(`${threadHead(t)} `, t.body, 0, blockComments(ctx, t.span.start, 0), ctx), '', ctx);
  }
  if (p.condition !== null) file.node(nodeComments(ctx, p.condition.span.start), printFinalCondition(p.condition), '', ctx);
  if (p.locations.length > 0) file.node(header('locations'), `locations [${p.locations.map(printCondTerm).join('; ')}]`, '', ctx);
  if (p.filter !== null) file.node(header('filter'), `filter (${printCond(p.filter)})`, '', ctx);
  file.comments(table.end, '', ctx);
  // safety net: a comment the table could not place (an AST that does not match its file) is still printed
  file.comments(table.all.filter((c) => !ctx.printed.has(c)), '', ctx);
  return file.parts.length === 0 ? '' : file.parts.join('\n') + '\n';
}
