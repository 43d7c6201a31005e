/**
 * fast-check arbitraries of .mw ASTs, for the print/parse round trip and as fuzz seeds.
 * Generated programs have only the shapes the parser produces (no error nodes, integer literals
 * non-negative or exactly -2147483648, metadata only `source`), so parse(print(p)) equals p up
 * to spans. Names are plain identifiers (never reserved words); every span is NO_SPAN.
 * Not generated: semantically valid programs — names need not resolve, modes need not be allowed.
 */
import fc from 'fast-check';
import {
  BINARY_OPS,
  MODES,
  RMW_OPS,
  UNARY_OPS,
  type CondExpr,
  type CondTerm,
  type Expr,
  type FinalCondition,
  type Ident,
  type LocRef,
  type MemOp,
  type ParamDecl,
  type Program,
  type SharedDecl,
  type Stmt,
  type ThreadDecl,
} from '../../model/syntax/ast.js';
import { isPlainIdentifier } from '../../model/syntax/lexer.js';
import { NO_SPAN } from '../../model/syntax/source.js';

const span = NO_SPAN;

/** Remove every `span` property, recursively, so ASTs can be compared structurally. */
export function stripSpans<T>(value: T): unknown {
  if (Array.isArray(value)) return value.map((v: unknown) => stripSpans(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k !== 'span') out[k] = stripSpans(v);
    }
    return out;
  }
  return value;
}

/** A plain identifier: usually from a small pool (so names repeat), sometimes random. */
export const arbName: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('r0', 'r1', 'x', 'y', 'a', 'N', 'P0', 'T', 'sc', 'ok', 'i', '_t') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/).filter(isPlainIdentifier) },
);

const arbIdent: fc.Arbitrary<Ident> = arbName.map((name) => ({ name, span }));

/** A string literal's value: printable ASCII plus the characters that need escaping and a little Unicode. */
export const arbText: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)) },
    { weight: 1, arbitrary: fc.constantFrom('"', '\\', '\n', '\t', '\r', 'é', '→', '/*', '(*', '//') },
  ),
  maxLength: 12,
});

const arbIntValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 9 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 2147483647 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 2147483647, -2147483648) },
);

const arbMode = fc.constantFrom(...MODES);

function arbLoc(depth: number): fc.Arbitrary<LocRef> {
  return fc.record({ name: arbIdent, index: fc.option(arbExpr(depth - 1), { nil: null, freq: 3 }) }).map(({ name, index }) => ({ kind: 'locref' as const, name, index, span }));
}

/** Memory operations whose operands are expressions of at most `depth` levels. */
export function arbMemOp(depth: number): fc.Arbitrary<MemOp> {
  const e = arbExpr(depth - 1);
  const l = arbLoc(depth);
  return fc.oneof(
    fc.record({ mode: arbMode, loc: l }).map(({ mode, loc }): MemOp => ({ kind: 'load', mode, loc, span })),
    fc.record({ mode: arbMode, loc: l, value: e }).map(({ mode, loc, value }): MemOp => ({ kind: 'store', mode, loc, value, span })),
    fc
      .record({ op: fc.constantFrom(...RMW_OPS), mode: arbMode, loc: l, expected: e, value: e })
      .map(({ op, mode, loc, expected, value }): MemOp => ({ kind: 'rmw', op, mode, loc, expected: op === 'cmpxchg' ? expected : null, value, span })),
    arbMode.map((mode): MemOp => ({ kind: 'fence', mode, span })),
    fc.record({ loc: l, expected: e, timeout: fc.option(e, { nil: null }) }).map(({ loc, expected, timeout }): MemOp => ({ kind: 'wait', loc, expected, timeout, span })),
    fc.record({ loc: l, count: fc.option(e, { nil: null }) }).map(({ loc, count }): MemOp => ({ kind: 'notify', loc, count, span })),
  );
}

/** Expressions of at most `depth` levels (no error nodes). */
export function arbExpr(depth: number): fc.Arbitrary<Expr> {
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    arbIntValue.map((value): Expr => ({ kind: 'int', value, span })),
    arbName.map((name): Expr => ({ kind: 'name', name, span })),
  );
  if (depth <= 0) return leaf;
  const sub = arbExpr(depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 3, arbitrary: fc.record({ op: fc.constantFrom(...BINARY_OPS), left: sub, right: sub }).map(({ op, left, right }): Expr => ({ kind: 'binary', op, left, right, span })) },
    { weight: 1, arbitrary: fc.record({ op: fc.constantFrom(...UNARY_OPS), operand: sub }).map(({ op, operand }): Expr => ({ kind: 'unary', op, operand, span })) },
    { weight: 1, arbitrary: arbMemOp(depth - 1).map((op): Expr => ({ kind: 'mem', op, span })) },
  );
}

/** Statement lists of at most `depth` levels of nesting. */
export function arbStmts(depth: number): fc.Arbitrary<Stmt[]> {
  return fc.array(arbStmt(depth), { maxLength: depth > 1 ? 4 : 3 });
}

/** One statement with at most `depth` levels of nested blocks. */
export function arbStmt(depth: number): fc.Arbitrary<Stmt> {
  const e = arbExpr(2);
  const simple: fc.Arbitrary<Stmt>[] = [
    fc.record({ target: arbIdent, value: e }).map(({ target, value }): Stmt => ({ kind: 'assign', target, value, span })),
    arbMemOp(2).map((op): Stmt => ({ kind: 'memstmt', op, span })),
    e.map((cond): Stmt => ({ kind: 'await', cond, span })),
    fc.record({ cond: e, message: fc.option(arbText, { nil: null }) }).map(({ cond, message }): Stmt => ({ kind: 'assert', cond, message, span })),
    e.map((cond): Stmt => ({ kind: 'assume', cond, span })),
    arbIdent.map((name): Stmt => ({ kind: 'label', name, span })),
    arbIdent.map((target): Stmt => ({ kind: 'goto', target, span })),
    fc.constant<Stmt>({ kind: 'skip', span }),
  ];
  if (depth <= 0) return fc.oneof(...simple);
  const body = arbStmts(depth - 1);
  // `else if`: an else branch holding exactly one if statement
  const elseIf = fc
    .record({ cond: e, then: body, otherwise: fc.option(body, { nil: null }) })
    .map(({ cond, then, otherwise }): Stmt[] => [{ kind: 'if', cond, then, otherwise, span }]);
  const compound: fc.Arbitrary<Stmt>[] = [
    fc
      .record({ cond: e, then: body, otherwise: fc.option(fc.oneof(body, elseIf), { nil: null }) })
      .map(({ cond, then, otherwise }): Stmt => ({ kind: 'if', cond, then, otherwise, span })),
    fc.record({ cond: e, body }).map(({ cond, body: b }): Stmt => ({ kind: 'while', cond, body: b, span })),
    fc.record({ variable: arbIdent, from: arbExpr(1), to: arbExpr(1), body }).map(({ variable, from, to, body: b }): Stmt => ({ kind: 'for', variable, from, to, body: b, span })),
    fc.record({ name: fc.option(arbIdent, { nil: null }), body }).map(({ name, body: b }): Stmt => ({ kind: 'critical', name, body: b, span })),
  ];
  return fc.oneof({ weight: 3, arbitrary: fc.oneof(...simple) }, { weight: 1, arbitrary: fc.oneof(...compound) });
}

/** Condition terms: registers of named, template or ordinal threads, locations, integers. */
export const arbCondTerm: fc.Arbitrary<CondTerm> = fc.oneof(
  fc
    .record({ name: arbName, index: fc.option(fc.nat(9), { nil: null }), reg: arbName })
    .map(({ name, index, reg }): CondTerm => ({ kind: 'reg', thread: { name, index }, reg, span })),
  fc.record({ ordinal: fc.nat(9), reg: arbName }).map(({ ordinal, reg }): CondTerm => ({ kind: 'reg', thread: { ordinal }, reg, span })),
  fc.record({ name: arbName, index: fc.option(fc.nat(9), { nil: null }) }).map(({ name, index }): CondTerm => ({ kind: 'loc', name, index, span })),
  fc.integer({ min: -2147483648, max: 2147483647 }).map((value): CondTerm => ({ kind: 'int', value, span })),
);

/** Conditions of at most `depth` connective levels. */
export function arbCond(depth: number): fc.Arbitrary<CondExpr> {
  const leaf: fc.Arbitrary<CondExpr> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constantFrom('=' as const, '!=' as const), left: arbCondTerm, right: arbCondTerm }).map(({ op, left, right }): CondExpr => ({ kind: 'cmp', op, left, right, span })) },
    { weight: 1, arbitrary: fc.boolean().map((value): CondExpr => ({ kind: 'bool', value, span })) },
  );
  if (depth <= 0) return leaf;
  const sub = arbCond(depth - 1);
  const pair = fc.record({ left: sub, right: sub });
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 2, arbitrary: pair.map(({ left, right }): CondExpr => ({ kind: 'and', left, right, span })) },
    { weight: 2, arbitrary: pair.map(({ left, right }): CondExpr => ({ kind: 'or', left, right, span })) },
    { weight: 1, arbitrary: pair.map(({ left, right }): CondExpr => ({ kind: 'implies', left, right, span })) },
    { weight: 1, arbitrary: sub.map((operand): CondExpr => ({ kind: 'not', operand, span })) },
  );
}

const arbParam: fc.Arbitrary<ParamDecl> = fc.record({ name: arbIdent, value: arbExpr(2) }).map(({ name, value }) => ({ kind: 'param' as const, name, value, span }));

const arbShared: fc.Arbitrary<SharedDecl> = fc
  .record({
    name: arbIdent,
    size: fc.option(arbExpr(1), { nil: null }),
    init: fc.oneof(
      fc.constant<SharedDecl['init']>({ kind: 'none' }),
      arbExpr(1).map((value): SharedDecl['init'] => ({ kind: 'fill', value })),
      fc.array(arbExpr(1), { minLength: 1, maxLength: 4 }).map((values): SharedDecl['init'] => ({ kind: 'list', values })),
    ),
  })
  .map(({ name, size, init }) => ({ kind: 'shared' as const, name, size, init, span }));

const arbThread: fc.Arbitrary<ThreadDecl> = fc
  .record({
    name: arbIdent,
    template: fc.option(fc.record({ variable: arbIdent, from: arbExpr(1), to: arbExpr(1) }), { nil: null, freq: 3 }),
    body: arbStmts(2),
  })
  .map(({ name, template, body }) => ({ kind: 'thread' as const, name, template, body, span }));

const arbFinal: fc.Arbitrary<FinalCondition> = fc
  .record({ quantifier: fc.constantFrom('exists' as const, 'not exists' as const, 'forall' as const), expr: arbCond(3) })
  .map(({ quantifier, expr }) => ({ quantifier, expr, span }));

/** Whole programs (no error nodes); parse(print(p)) equals p up to spans. */
export const arbProgram: fc.Arbitrary<Program> = fc
  .record({
    name: fc.option(fc.oneof(arbName, arbText), { nil: null }),
    description: fc.option(arbText, { nil: null }),
    params: fc.array(arbParam, { maxLength: 2 }),
    shared: fc.array(arbShared, { maxLength: 3 }),
    threads: fc.array(arbThread, { maxLength: 3 }),
    condition: fc.option(arbFinal, { nil: null }),
    locations: fc.array(arbCondTerm, { maxLength: 3 }),
    filter: fc.option(arbCond(2), { nil: null, freq: 3 }),
    metadata: fc.array(arbText.map((value) => ({ key: 'source', value })), { maxLength: 2 }),
  })
  .map((p): Program => ({ ...p, span }));
