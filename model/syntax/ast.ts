/**
 * The abstract syntax of a memweave program (.mw). The herd .litmus importer produces the same
 * AST, so printing, checking and lowering are shared. One tagged union per category; every node
 * carries its span. Error nodes fill holes left by parse errors, so an AST exists for any input.
 */
import type { Span } from './source.js';

/** Access modes, the single source of truth. */
export const MODES = ['plain', 'sc', 'rel', 'acq', 'rlx', 'acq_rel'] as const;
export type Mode = (typeof MODES)[number];

/** Read-modify-write operations (`cmpxchg` returns the old value, as Atomics.compareExchange). */
export const RMW_OPS = ['exchange', 'cmpxchg', 'fetch_add', 'fetch_sub', 'fetch_and', 'fetch_or', 'fetch_xor'] as const;
export type RmwOp = (typeof RMW_OPS)[number];

/** Binary operators of the expression language, C precedence. */
export const BINARY_OPS = ['||', '&&', '|', '^', '&', '==', '!=', '<', '<=', '>', '>=', '<<', '>>', '+', '-', '*', '/', '%'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Unary operators. */
export const UNARY_OPS = ['-', '!', '~'] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Named constants every program may use: the results of `wait`. */
export const WAIT_RESULTS = { ok: 0, not_equal: 1, timed_out: 2 } as const;
export type WaitResultName = keyof typeof WAIT_RESULTS;

/** An identifier with its span. */
export interface Ident {
  readonly name: string;
  readonly span: Span;
}

/** Element widths of a view, in bytes, the single source of truth: `i8`, `i16`, `i32` (Int8Array, Int16Array, Int32Array). */
export const VIEW_WIDTHS = { i8: 1, i16: 2, i32: 4 } as const;
export type ViewName = keyof typeof VIEW_WIDTHS;
/** A view's element width in bytes. */
export type ViewWidth = (typeof VIEW_WIDTHS)[ViewName];

/** `.i8`, `.i16`, `.i32` after a location: its bytes seen as signed elements of that width (little-endian). */
export interface View {
  readonly width: ViewWidth;
  /** the span of `.i8` */
  readonly span: Span;
}

/** A reference to a shared location: `x`, `a[expr]`, or a view element `x.i8[expr]` (then `index` is the element index in the view). */
export interface LocRef {
  readonly kind: 'locref';
  readonly name: Ident;
  readonly index: Expr | null;
  /** a view of the location's bytes; absent for a plain word access */
  readonly view?: View;
  readonly span: Span;
}

// ---------------------------------------------------------------- expressions

/** Expressions. Loads may appear anywhere; other memory operations only as a whole statement or assignment right-hand side. */
export type Expr = IntLit | NameExpr | BinaryExpr | UnaryExpr | MemExpr | ErrorExpr;

export interface IntLit {
  readonly kind: 'int';
  readonly value: number;
  readonly span: Span;
}
/** A register, param, template index, or named constant (resolved later). */
export interface NameExpr {
  readonly kind: 'name';
  readonly name: string;
  readonly span: Span;
}
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}
export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
  readonly span: Span;
}
/** A memory operation used as an expression (its value is what it returns). */
export interface MemExpr {
  readonly kind: 'mem';
  readonly op: MemOp;
  readonly span: Span;
}
/** Fills the place of an expression that failed to parse. */
export interface ErrorExpr {
  readonly kind: 'error';
  readonly span: Span;
}

// ---------------------------------------------------------------- memory operations

/** Memory operations, written `op.mode(args)` in .mw (wait/notify have no mode: they are always sc). */
export type MemOp = LoadOp | StoreOp | RmwMemOp | FenceOp | WaitOp | NotifyOp;

/** `load.MODE(loc)` */
export interface LoadOp {
  readonly kind: 'load';
  readonly mode: Mode;
  readonly loc: LocRef;
  readonly span: Span;
}
/** `store.MODE(loc, value)` */
export interface StoreOp {
  readonly kind: 'store';
  readonly mode: Mode;
  readonly loc: LocRef;
  readonly value: Expr;
  readonly span: Span;
}
/** `exchange.MODE(loc, v)`, `cmpxchg.MODE(loc, expected, replacement)`, `fetch_add.MODE(loc, v)`, … Returns the old value. */
export interface RmwMemOp {
  readonly kind: 'rmw';
  readonly op: RmwOp;
  readonly mode: Mode;
  readonly loc: LocRef;
  /** for cmpxchg: the expected value; otherwise null */
  readonly expected: Expr | null;
  /** the operand (for cmpxchg: the replacement) */
  readonly value: Expr;
  readonly span: Span;
}
/** `fence.MODE()` */
export interface FenceOp {
  readonly kind: 'fence';
  readonly mode: Mode;
  readonly span: Span;
}
/** `wait(loc, expected)` or `wait(loc, expected, timeout)`: Atomics.wait; returns ok (0), not_equal (1) or timed_out (2). */
export interface WaitOp {
  readonly kind: 'wait';
  readonly loc: LocRef;
  readonly expected: Expr;
  readonly timeout: Expr | null;
  readonly span: Span;
}
/** `notify(loc)` or `notify(loc, count)`: Atomics.notify; returns the number of waiters woken (FIFO order). */
export interface NotifyOp {
  readonly kind: 'notify';
  readonly loc: LocRef;
  readonly count: Expr | null;
  readonly span: Span;
}

// ---------------------------------------------------------------- statements

export type Stmt =
  | AssignStmt
  | MemStmt
  | IfStmt
  | WhileStmt
  | ForStmt
  | AwaitStmt
  | AssertStmt
  | AssumeStmt
  | CriticalStmt
  | LabelStmt
  | GotoStmt
  | SkipStmt
  | ErrorStmt;

/** `r = expr;` — assigns a thread-local register. */
export interface AssignStmt {
  readonly kind: 'assign';
  readonly target: Ident;
  readonly value: Expr;
  readonly span: Span;
}
/** A memory operation whose result is discarded: `store.sc(x, 1);`, `fence.sc();`, `notify(x);` */
export interface MemStmt {
  readonly kind: 'memstmt';
  readonly op: MemOp;
  readonly span: Span;
}
export interface IfStmt {
  readonly kind: 'if';
  readonly cond: Expr;
  readonly then: readonly Stmt[];
  /** null when there is no else; an `else if` is an else holding one IfStmt */
  readonly otherwise: readonly Stmt[] | null;
  readonly span: Span;
}
export interface WhileStmt {
  readonly kind: 'while';
  readonly cond: Expr;
  readonly body: readonly Stmt[];
  readonly span: Span;
}
/** `for r in lo..hi { … }` — r runs over the half-open range [lo, hi); the bounds are constant expressions. */
export interface ForStmt {
  readonly kind: 'for';
  readonly variable: Ident;
  readonly from: Expr;
  readonly to: Expr;
  readonly body: readonly Stmt[];
  readonly span: Span;
}
/** `await (cond);` — block until cond holds. */
export interface AwaitStmt {
  readonly kind: 'await';
  readonly cond: Expr;
  readonly span: Span;
}
/** `assert (cond);` or `assert (cond, "message");` */
export interface AssertStmt {
  readonly kind: 'assert';
  readonly cond: Expr;
  readonly message: string | null;
  readonly span: Span;
}
/** `assume (cond);` — executions where cond is false are discarded. */
export interface AssumeStmt {
  readonly kind: 'assume';
  readonly cond: Expr;
  readonly span: Span;
}
/** `critical { … }` or `critical NAME { … }` — regions of the same name must be mutually exclusive. */
export interface CriticalStmt {
  readonly kind: 'critical';
  /** null for the default (unnamed) region */
  readonly name: Ident | null;
  readonly body: readonly Stmt[];
  readonly span: Span;
}
/** `NAME:` — a label on the next statement (or the end of the block). */
export interface LabelStmt {
  readonly kind: 'label';
  readonly name: Ident;
  readonly span: Span;
}
/** `goto NAME;` */
export interface GotoStmt {
  readonly kind: 'goto';
  readonly target: Ident;
  readonly span: Span;
}
/** `skip;` — does nothing (one step). */
export interface SkipStmt {
  readonly kind: 'skip';
  readonly span: Span;
}
/** Fills the place of a statement that failed to parse. */
export interface ErrorStmt {
  readonly kind: 'error';
  readonly span: Span;
}

// ---------------------------------------------------------------- final conditions

/** A term in a final condition: a thread's register (`P0:r0`, `0:r0`, `T[1]:r`), a location (`x`, `[x]`, `a[2]`), or an integer. */
export type CondTerm = CondRegTerm | CondLocTerm | CondIntTerm;

export interface CondRegTerm {
  readonly kind: 'reg';
  /** the thread: a name (`P0`), an instance of a template (`T`, index 1), or a bare number (`0`) meaning the n-th thread */
  readonly thread: { readonly name: string; readonly index: number | null } | { readonly ordinal: number };
  readonly reg: string;
  readonly span: Span;
}
export interface CondLocTerm {
  readonly kind: 'loc';
  readonly name: string;
  /** the word index, or with `view` the element index in the view */
  readonly index: number | null;
  /** a view element (`x.i8[1]`); absent for a word */
  readonly view?: View;
  readonly span: Span;
}
export interface CondIntTerm {
  readonly kind: 'int';
  readonly value: number;
  readonly span: Span;
}

/** Propositions over final state, with herd's connectives. */
export type CondExpr = CondCompare | CondAnd | CondOr | CondNot | CondImplies | CondBool | CondError;

export interface CondCompare {
  readonly kind: 'cmp';
  readonly op: '=' | '!=';
  readonly left: CondTerm;
  readonly right: CondTerm;
  readonly span: Span;
}
export interface CondAnd {
  readonly kind: 'and';
  readonly left: CondExpr;
  readonly right: CondExpr;
  readonly span: Span;
}
export interface CondOr {
  readonly kind: 'or';
  readonly left: CondExpr;
  readonly right: CondExpr;
  readonly span: Span;
}
export interface CondNot {
  readonly kind: 'not';
  readonly operand: CondExpr;
  readonly span: Span;
}
export interface CondImplies {
  readonly kind: 'implies';
  readonly left: CondExpr;
  readonly right: CondExpr;
  readonly span: Span;
}
export interface CondBool {
  readonly kind: 'bool';
  readonly value: boolean;
  readonly span: Span;
}
export interface CondError {
  readonly kind: 'error';
  readonly span: Span;
}

/** herd's quantifiers: `exists`, `~exists`, `forall`. */
export type Quantifier = 'exists' | 'not exists' | 'forall';

/** The final condition. */
export interface FinalCondition {
  readonly quantifier: Quantifier;
  readonly expr: CondExpr;
  readonly span: Span;
}

// ---------------------------------------------------------------- top level

/** `param NAME = expr;` — a compile-time integer, overridable with -D NAME=VALUE. */
export interface ParamDecl {
  readonly kind: 'param';
  readonly name: Ident;
  readonly value: Expr;
  readonly span: Span;
}
/** `shared x = 0;`, `shared a[4];`, `shared a[N] = 7;` (fill) or `shared a[3] = {1, 2, 3};` */
export interface SharedDecl {
  readonly kind: 'shared';
  readonly name: Ident;
  /** null for a scalar */
  readonly size: Expr | null;
  /** 'none' → zero; 'fill' → every element; 'list' → element by element, the rest zero */
  readonly init: { readonly kind: 'none' } | { readonly kind: 'fill'; readonly value: Expr } | { readonly kind: 'list'; readonly values: readonly Expr[] };
  readonly span: Span;
}
/** `thread P0 { … }` or a template `thread T[i in 0..N] { … }` (one instance per i in [lo, hi)). */
export interface ThreadDecl {
  readonly kind: 'thread';
  readonly name: Ident;
  readonly template: { readonly variable: Ident; readonly from: Expr; readonly to: Expr } | null;
  readonly body: readonly Stmt[];
  readonly span: Span;
}

/** A whole program. */
export interface Program {
  /** from `test NAME` (NAME may be an identifier or a string such as "2+2W") */
  readonly name: string | null;
  readonly description: string | null;
  readonly params: readonly ParamDecl[];
  readonly shared: readonly SharedDecl[];
  readonly threads: readonly ThreadDecl[];
  readonly condition: FinalCondition | null;
  /** `locations [x; P0:r0]` — extra things shown in each outcome */
  readonly locations: readonly CondTerm[];
  /** `filter (…)` — outcomes failing the filter are discarded (herd's filter) */
  readonly filter: CondExpr | null;
  /** free-form key/value metadata (herd's `Cycle=…`, `Source=…`), kept for display */
  readonly metadata: readonly { readonly key: string; readonly value: string }[];
  readonly span: Span;
}
