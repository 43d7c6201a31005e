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

/** The catalogued code of a run-time error: an index out of bounds (R601) or a division by zero (R602). */
export type RuntimeErrorCode = 'R601' | 'R602';

/** A run-time error as data: its code and its text, the same from every engine. */
export interface RuntimeError {
  readonly code: RuntimeErrorCode;
  readonly text: string;
}

/** A division by zero in an expression (a value, an operand, a condition). */
export const DIVISION_BY_ZERO: RuntimeError = { code: 'R602', text: 'division by zero' };

/**
 * The run-time error of an address that evaluated to `slot` < 0 ({@link evalAddr}): a division by
 * zero in its index, or index `index` out of bounds for `loc`.
 */
export function addressError(slot: number, loc: IrLocation, index: number, width: number = 4): RuntimeError {
  if (slot === ADDR_DIV_ZERO) return { code: 'R602', text: 'division by zero in an array index' };
  if (width !== 4) return { code: 'R601', text: `element ${index} out of bounds for ${loc.name}.i${width * 8}[${(loc.size * 4) / width}]` };
  return { code: 'R601', text: `index ${index} out of bounds for ${loc.name}[${loc.size}]` };
}

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

/** Evaluate an address to a memory slot (base + index; for a narrow view, the word holding its element), or ADDR_OUT_OF_BOUNDS / ADDR_DIV_ZERO. */
export function evalAddr(addr: IrAddr, loc: IrLocation, s: Int32Array, regBase: number): number {
  const w = addr.width;
  if (w !== undefined && w !== 4) {
    const b = evalByteAddr(addr, loc, s, regBase);
    return b < 0 ? b : b >> 2;
  }
  const i = evalExpr(addr.index, s, regBase, -1, 0);
  if (i !== i) return ADDR_DIV_ZERO;
  if (i < 0 || i >= loc.size) return ADDR_OUT_OF_BOUNDS;
  return loc.base + i;
}

/**
 * Evaluate an address to its first byte in the flat memory (slot × 4 + byte within the word,
 * little-endian), or ADDR_OUT_OF_BOUNDS / ADDR_DIV_ZERO. An element of `width` bytes at element
 * index i starts at byte i × width of its location: aligned, so it never crosses a word.
 */
export function evalByteAddr(addr: IrAddr, loc: IrLocation, s: Int32Array, regBase: number): number {
  const w = addr.width ?? 4;
  const i = evalExpr(addr.index, s, regBase, -1, 0);
  if (i !== i) return ADDR_DIV_ZERO;
  if (i < 0 || i * w >= loc.size * 4) return ADDR_OUT_OF_BOUNDS;
  return loc.base * 4 + i * w;
}
