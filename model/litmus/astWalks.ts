/** Walks over the imported AST that the `.litmus` dialects share (locations, registers, conditions). */
import type { CondExpr, CondTerm, Stmt, Expr, MemOp, LocRef } from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';

// ---------------------------------------------------------------- AST walks shared by the dialects

/** Every location reference in statements, in source order (for declaring shared locations). */
export function collectLocRefs(stmts: readonly Stmt[], out: LocRef[] = []): LocRef[] {
  for (const s of stmts) {
    switch (s.kind) {
      case 'assign':
        exprLocs(s.value, out);
        break;
      case 'memstmt':
        opLocs(s.op, out);
        break;
      case 'if':
        exprLocs(s.cond, out);
        collectLocRefs(s.then, out);
        if (s.otherwise !== null) collectLocRefs(s.otherwise, out);
        break;
      case 'while':
        exprLocs(s.cond, out);
        collectLocRefs(s.body, out);
        break;
      case 'for':
        collectLocRefs(s.body, out);
        break;
      case 'critical':
        collectLocRefs(s.body, out);
        break;
      case 'await':
      case 'assert':
      case 'assume':
        exprLocs(s.cond, out);
        break;
      case 'label':
      case 'goto':
      case 'skip':
      case 'error':
        break;
    }
  }
  return out;
}

function exprLocs(e: Expr, out: LocRef[]): void {
  switch (e.kind) {
    case 'binary':
      exprLocs(e.left, out);
      exprLocs(e.right, out);
      break;
    case 'unary':
      exprLocs(e.operand, out);
      break;
    case 'mem':
      opLocs(e.op, out);
      break;
    case 'int':
    case 'name':
    case 'error':
      break;
  }
}

function opLocs(op: MemOp, out: LocRef[]): void {
  switch (op.kind) {
    case 'load':
      out.push(op.loc);
      break;
    case 'store':
      out.push(op.loc);
      exprLocs(op.value, out);
      break;
    case 'rmw':
      out.push(op.loc);
      if (op.expected !== null) exprLocs(op.expected, out);
      exprLocs(op.value, out);
      break;
    case 'wait':
      out.push(op.loc);
      break;
    case 'notify':
      out.push(op.loc);
      break;
    case 'fence':
      break;
  }
}

/** Every location a condition mentions, in order. */
export function condLocs(e: CondExpr | null, out: { name: string; span: Span }[] = []): { name: string; span: Span }[] {
  if (e === null) return out;
  switch (e.kind) {
    case 'cmp':
      for (const t of [e.left, e.right]) if (t.kind === 'loc') out.push({ name: t.name, span: t.span });
      break;
    case 'and':
    case 'or':
    case 'implies':
      condLocs(e.left, out);
      condLocs(e.right, out);
      break;
    case 'not':
      condLocs(e.operand, out);
      break;
    case 'bool':
    case 'error':
      break;
  }
  return out;
}

/** Rewrite every register term of a condition (used by dialects that normalise register names). */
export function mapCondRegs(e: CondExpr, f: (reg: string) => string): CondExpr {
  const term = (t: CondTerm): CondTerm => (t.kind === 'reg' ? { ...t, reg: f(t.reg) } : t);
  switch (e.kind) {
    case 'cmp':
      return { ...e, left: term(e.left), right: term(e.right) };
    case 'and':
    case 'or':
    case 'implies':
      return { ...e, left: mapCondRegs(e.left, f), right: mapCondRegs(e.right, f) };
    case 'not':
      return { ...e, operand: mapCondRegs(e.operand, f) };
    case 'bool':
    case 'error':
      return e;
  }
}

/** The registers a thread's statements assign (including inside if/while bodies). */
export function assignedRegs(stmts: readonly Stmt[], out: Set<string> = new Set()): Set<string> {
  for (const s of stmts) {
    switch (s.kind) {
      case 'assign':
        out.add(s.target.name);
        break;
      case 'if':
        assignedRegs(s.then, out);
        if (s.otherwise !== null) assignedRegs(s.otherwise, out);
        break;
      case 'while':
      case 'critical':
        assignedRegs(s.body, out);
        break;
      case 'for':
        out.add(s.variable.name);
        assignedRegs(s.body, out);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Every register term of a condition, in order. */
export function condRegs(e: CondExpr | null, out: Extract<CondTerm, { kind: 'reg' }>[] = []): Extract<CondTerm, { kind: 'reg' }>[] {
  if (e === null) return out;
  switch (e.kind) {
    case 'cmp':
      for (const t of [e.left, e.right]) if (t.kind === 'reg') out.push(t);
      break;
    case 'and':
    case 'or':
    case 'implies':
      condRegs(e.left, out);
      condRegs(e.right, out);
      break;
    case 'not':
      condRegs(e.operand, out);
      break;
    case 'bool':
    case 'error':
      break;
  }
  return out;
}
