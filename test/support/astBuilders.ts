/**
 * Tiny builders for hand-made ASTs (tests only). Every builder takes an optional span as its last
 * argument; the default is a span that points nowhere, so lowering falls back to printing the
 * node for trace text. `at(line, col)` makes a span whose line:col a diagnostic test can assert.
 */
import type {
  BinaryOp, CondExpr, CondTerm, Expr, FinalCondition, Ident, LocRef, MemOp, Mode, ParamDecl, Program, Quantifier, RmwOp, SharedDecl, Stmt, ThreadDecl, UnaryOp,
} from '../../model/syntax/ast.js';
import { NO_SPAN, type Span } from '../../model/syntax/source.js';

/** A span at line:col (offsets 0, so source slicing is not attempted). */
export function at(line: number, col: number): Span {
  return { start: 0, end: 0, line, col };
}

/** An identifier. */
export function id(name: string, span: Span = NO_SPAN): Ident {
  return { name, span };
}

// ---- expressions

/** Integer literal. */
export function int(value: number, span: Span = NO_SPAN): Expr {
  return { kind: 'int', value, span };
}
/** A name in an expression. */
export function nm(name: string, span: Span = NO_SPAN): Expr {
  return { kind: 'name', name, span };
}
/** Binary expression. */
export function bin(op: BinaryOp, left: Expr, right: Expr, span: Span = NO_SPAN): Expr {
  return { kind: 'binary', op, left, right, span };
}
/** Unary expression. */
export function un(op: UnaryOp, operand: Expr, span: Span = NO_SPAN): Expr {
  return { kind: 'unary', op, operand, span };
}
/** A memory operation used as an expression. */
export function mem(op: MemOp, span: Span = NO_SPAN): Expr {
  return { kind: 'mem', op, span: span === NO_SPAN ? op.span : span };
}
/** Location reference `x` or `x[index]`. */
export function loc(name: string, index: Expr | null = null, span: Span = NO_SPAN): LocRef {
  return { kind: 'locref', name: id(name, span), index, span };
}

// ---- memory operations

/** `load.MODE(l)` */
export function load(mode: Mode, l: LocRef, span: Span = NO_SPAN): MemOp {
  return { kind: 'load', mode, loc: l, span };
}
/** `store.MODE(l, v)` */
export function store(mode: Mode, l: LocRef, value: Expr, span: Span = NO_SPAN): MemOp {
  return { kind: 'store', mode, loc: l, value, span };
}
/** `OP.MODE(l, v)` or cmpxchg with expected. */
export function rmw(op: RmwOp, mode: Mode, l: LocRef, value: Expr, expected: Expr | null = null, span: Span = NO_SPAN): MemOp {
  return { kind: 'rmw', op, mode, loc: l, expected, value, span };
}
/** `fence.MODE()` */
export function fence(mode: Mode, span: Span = NO_SPAN): MemOp {
  return { kind: 'fence', mode, span };
}
/** `wait(l, expected[, timeout])` */
export function wait(l: LocRef, expected: Expr, timeout: Expr | null = null, span: Span = NO_SPAN): MemOp {
  return { kind: 'wait', loc: l, expected, timeout, span };
}
/** `notify(l[, count])` */
export function notify(l: LocRef, count: Expr | null = null, span: Span = NO_SPAN): MemOp {
  return { kind: 'notify', loc: l, count, span };
}

// ---- statements

/** `t = e;` */
export function assign(target: string, value: Expr, span: Span = NO_SPAN): Stmt {
  return { kind: 'assign', target: id(target, span), value, span };
}
/** A memory operation as a statement. */
export function memS(op: MemOp, span: Span = NO_SPAN): Stmt {
  return { kind: 'memstmt', op, span };
}
/** `if (c) { … } else { … }` */
export function ifS(cond: Expr, then: readonly Stmt[], otherwise: readonly Stmt[] | null = null, span: Span = NO_SPAN): Stmt {
  return { kind: 'if', cond, then, otherwise, span };
}
/** `while (c) { … }` */
export function whileS(cond: Expr, body: readonly Stmt[], span: Span = NO_SPAN): Stmt {
  return { kind: 'while', cond, body, span };
}
/** `for v in from..to { … }` */
export function forS(variable: string, from: Expr, to: Expr, body: readonly Stmt[], span: Span = NO_SPAN): Stmt {
  return { kind: 'for', variable: id(variable, span), from, to, body, span };
}
/** `await (c);` */
export function awaitS(cond: Expr, span: Span = NO_SPAN): Stmt {
  return { kind: 'await', cond, span };
}
/** `assert (c[, message]);` */
export function assertS(cond: Expr, message: string | null = null, span: Span = NO_SPAN): Stmt {
  return { kind: 'assert', cond, message, span };
}
/** `assume (c);` */
export function assumeS(cond: Expr, span: Span = NO_SPAN): Stmt {
  return { kind: 'assume', cond, span };
}
/** `critical [NAME] { … }` */
export function critical(name: string | null, body: readonly Stmt[], span: Span = NO_SPAN): Stmt {
  return { kind: 'critical', name: name === null ? null : id(name, span), body, span };
}
/** `NAME:` */
export function label(name: string, span: Span = NO_SPAN): Stmt {
  return { kind: 'label', name: id(name, span), span };
}
/** `goto NAME;` */
export function goto(target: string, span: Span = NO_SPAN): Stmt {
  return { kind: 'goto', target: id(target, span), span };
}
/** `skip;` */
export function skip(span: Span = NO_SPAN): Stmt {
  return { kind: 'skip', span };
}

// ---- top level

/** `param NAME = e;` */
export function param(name: string, value: Expr, span: Span = NO_SPAN): ParamDecl {
  return { kind: 'param', name: id(name, span), value, span };
}
/** `shared NAME[size] = init;` (size null: a scalar; init: a number = fill, an array = list). */
export function shared(name: string, size: Expr | null = null, init: Expr | readonly Expr[] | null = null, span: Span = NO_SPAN): SharedDecl {
  const i: SharedDecl['init'] = init === null ? { kind: 'none' } : Array.isArray(init) ? { kind: 'list', values: init } : { kind: 'fill', value: init as Expr };
  return { kind: 'shared', name: id(name, span), size, init: i, span };
}
/** `thread NAME { … }` or a template `thread NAME[v in from..to] { … }`. */
export function thread(name: string, body: readonly Stmt[], template: { variable: string; from: Expr; to: Expr } | null = null, span: Span = NO_SPAN): ThreadDecl {
  return { kind: 'thread', name: id(name, span), template: template === null ? null : { variable: id(template.variable, span), from: template.from, to: template.to }, body, span };
}

// ---- conditions

/** `THREAD:reg` by name (and template index) or by ordinal. */
export function regT(threadName: string | number, reg: string, index: number | null = null, span: Span = NO_SPAN): CondTerm {
  const t = typeof threadName === 'number' ? { ordinal: threadName } : { name: threadName, index };
  return { kind: 'reg', thread: t, reg, span };
}
/** A location term `x` or `a[k]`. */
export function locT(name: string, index: number | null = null, span: Span = NO_SPAN): CondTerm {
  return { kind: 'loc', name, index, span };
}
/** An integer term. */
export function intT(value: number, span: Span = NO_SPAN): CondTerm {
  return { kind: 'int', value, span };
}
/** `l = r` */
export function eq(left: CondTerm, right: CondTerm, span: Span = NO_SPAN): CondExpr {
  return { kind: 'cmp', op: '=', left, right, span };
}
/** `l /\ r` */
export function andC(left: CondExpr, right: CondExpr, span: Span = NO_SPAN): CondExpr {
  return { kind: 'and', left, right, span };
}
/** A final condition. */
export function finalC(quantifier: Quantifier, expr: CondExpr, span: Span = NO_SPAN): FinalCondition {
  return { quantifier, expr, span };
}

/** A program; unspecified parts are empty. */
export function program(parts: Partial<Program>): Program {
  return {
    name: null, description: null, params: [], shared: [], threads: [], condition: null, locations: [], filter: null, metadata: [], span: NO_SPAN,
    ...parts,
  };
}
