/**
 * Evaluation of IR expressions and addresses against a packed machine state (hot path).
 *
 * Allocation-free: results are plain numbers. An expression that divides by zero evaluates to
 * NaN (no Int32 result is ever NaN, so NaN is an unambiguous error marker that propagates through
 * the enclosing operators). Addresses evaluate to a memory slot, or to a negative ADDR_* code.
 */
import { evalBinary, evalUnary, assertNever } from '../ir.js';
import type { IrAddr, IrExpr, IrLocation } from '../ir.js';

/** evalAddr result: the index is outside the location. */
export const ADDR_OUT_OF_BOUNDS = -1;
/** evalAddr result: evaluating the index divided by zero. */
export const ADDR_DIV_ZERO = -2;

/**
 * Evaluate `e` with registers at s[regBase + r]; register `overrideReg` (if >= 0) reads as
 * `overrideVal` instead (used by `await`, whose condition sees the value being loaded).
 * Returns an Int32, or NaN on division by zero.
 */
export function evalExpr(e: IrExpr, s: Int32Array, regBase: number, overrideReg: number, overrideVal: number): number {
  switch (e.kind) {
    case 'const':
      return e.value | 0;
    case 'reg':
      return e.reg === overrideReg ? overrideVal : (s[regBase + e.reg] ?? 0);
    case 'binary': {
      const a = evalExpr(e.left, s, regBase, overrideReg, overrideVal);
      if (a !== a) return NaN;
      const b = evalExpr(e.right, s, regBase, overrideReg, overrideVal);
      if (b !== b) return NaN;
      const r = evalBinary(e.op, a, b);
      return r === null ? NaN : r;
    }
    case 'unary': {
      const a = evalExpr(e.operand, s, regBase, overrideReg, overrideVal);
      if (a !== a) return NaN;
      return evalUnary(e.op, a);
    }
    default:
      return assertNever(e);
  }
}

/** Evaluate an address to a memory slot (base + index), or ADDR_OUT_OF_BOUNDS / ADDR_DIV_ZERO. */
export function evalAddr(addr: IrAddr, loc: IrLocation, s: Int32Array, regBase: number): number {
  const i = evalExpr(addr.index, s, regBase, -1, 0);
  if (i !== i) return ADDR_DIV_ZERO;
  if (i < 0 || i >= loc.size) return ADDR_OUT_OF_BOUNDS;
  return loc.base + i;
}
