/**
 * The lowered program IR, shared by the checker and the worker compiler. It is the only thing
 * either road consumes: params are substituted, templates instantiated, names resolved to
 * numbers, structured control flow flattened to branches, and every memory operation made a
 * separate instruction. It is plain data (JSON-serialisable) and validated by `validateIr`.
 *
 * Memory: one flat array of 32-bit signed words; a location `x` owns slots [base, base+size).
 * Registers: per thread, numbered 0..registers.length-1, initially 0.
 * Control: each thread's `code` is an array; `pc` indexes it; pc === code.length means finished.
 */
import type { Mode, RmwOp, BinaryOp, UnaryOp, Quantifier, ViewWidth } from './syntax/ast.js';
import type { Span } from './syntax/source.js';

export type { Mode, RmwOp, BinaryOp, UnaryOp, Quantifier, ViewWidth };

/** Pure expressions over registers and constants (no memory access). */
export type IrExpr =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'reg'; readonly reg: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: IrExpr; readonly right: IrExpr }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: IrExpr };

/**
 * A shared address: location `loc` (index into Program.locations) at element `index` (0 for
 * scalars). Bounds are checked when evaluated.
 *
 * Mixed size: with `width` 1 or 2 the access is an element of an Int8Array / Int16Array view of
 * the location's bytes, and `index` counts those elements: the access covers the bytes
 * [index × width, index × width + width) of the location (byte offset index × width, always
 * aligned, so inside one word), little-endian (byte 0 is the low byte of word 0). Absent or 4:
 * the 32-bit word `index` (an i32 view is a word access, and lowers without a width).
 */
export interface IrAddr {
  readonly loc: number;
  readonly index: IrExpr;
  /** element width in bytes (1: i8, 2: i16); absent for a 32-bit word */
  readonly width?: ViewWidth;
}

/** Where an instruction came from: its span and the source text it was lowered from, for traces. */
export interface Origin {
  readonly span: Span;
  /** the source text of the statement, on one line, for traces (e.g. "r0 = load.sc(y)") */
  readonly text: string;
}

/** IR instructions. `dst` is a register number, or -1 when the result is discarded. */
export type IrInstr =
  | { readonly kind: 'load'; readonly dst: number; readonly addr: IrAddr; readonly mode: Mode; readonly origin: Origin }
  | { readonly kind: 'store'; readonly addr: IrAddr; readonly value: IrExpr; readonly mode: Mode; readonly origin: Origin }
  /** returns the old value; cmpxchg writes `value` only if old === expected */
  | { readonly kind: 'rmw'; readonly op: RmwOp; readonly dst: number; readonly addr: IrAddr; readonly expected: IrExpr | null; readonly value: IrExpr; readonly mode: Mode; readonly origin: Origin }
  | { readonly kind: 'fence'; readonly mode: Mode; readonly origin: Origin }
  /** Atomics.wait: if mem[addr] !== expected → dst = 1 (not-equal); else block until notified (dst = 0) or, with a timeout, possibly time out (dst = 2). timeout null = forever. */
  | { readonly kind: 'wait'; readonly dst: number; readonly addr: IrAddr; readonly expected: IrExpr; readonly timeout: IrExpr | null; readonly origin: Origin }
  /** Atomics.notify: wake up to `count` waiters (null = all) in FIFO order; dst = number woken */
  | { readonly kind: 'notify'; readonly dst: number; readonly addr: IrAddr; readonly count: IrExpr | null; readonly origin: Origin }
  /** a blocking load: enabled only when `cond` (evaluated with the loaded value in `dst`) is non-zero */
  | { readonly kind: 'await'; readonly dst: number; readonly addr: IrAddr; readonly mode: Mode; readonly cond: IrExpr; readonly origin: Origin }
  /** block until a register-only condition holds (it never will if false: a deadlock unless other threads move) */
  | { readonly kind: 'block'; readonly cond: IrExpr; readonly origin: Origin }
  | { readonly kind: 'assign'; readonly dst: number; readonly value: IrExpr; readonly origin: Origin }
  /** jump to target if cond !== 0, else fall through */
  | { readonly kind: 'branch'; readonly cond: IrExpr; readonly target: number; readonly origin: Origin }
  | { readonly kind: 'jump'; readonly target: number; readonly origin: Origin }
  | { readonly kind: 'assert'; readonly cond: IrExpr; readonly message: string; readonly origin: Origin }
  | { readonly kind: 'assume'; readonly cond: IrExpr; readonly origin: Origin }
  /** enter/leave critical region number `region` (index into Program.regions) */
  | { readonly kind: 'enter'; readonly region: number; readonly origin: Origin }
  | { readonly kind: 'exit'; readonly region: number; readonly origin: Origin }
  | { readonly kind: 'skip'; readonly origin: Origin };

export type IrInstrKind = IrInstr['kind'];

/** All instruction kinds, the single source of truth. */
export const IR_INSTR_KINDS = ['load', 'store', 'rmw', 'fence', 'wait', 'notify', 'await', 'block', 'assign', 'branch', 'jump', 'assert', 'assume', 'enter', 'exit', 'skip'] as const satisfies readonly IrInstrKind[];

/** A shared location. */
export interface IrLocation {
  readonly name: string;
  /** first slot in the flat memory */
  readonly base: number;
  /** number of 32-bit words; 1 for a scalar */
  readonly size: number;
  /** true when declared as an array (even of size 1) */
  readonly isArray: boolean;
  /** initial value of each word (length === size) */
  readonly init: readonly number[];
  readonly span: Span;
}

/** One thread (a named thread, or one instance of a template). */
export interface IrThread {
  /** display name: "P0", or "T[1]" for instance 1 of template T */
  readonly name: string;
  /** for an instance of a template: the template's name and this instance's index */
  readonly template: { readonly name: string; readonly index: number } | null;
  /** register names, by register number */
  readonly registers: readonly string[];
  readonly code: readonly IrInstr[];
  readonly span: Span;
}

/** A value in the final state a condition or outcome refers to. */
export type IrObservable =
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: number }
  /** memory word `slot`, or with `view` the signed element of `width` bytes at byte `byte` (0..3, aligned) of that word */
  | { readonly kind: 'mem'; readonly slot: number; readonly view?: IrViewPart };

/** A narrow element of one word: `width` bytes (1 or 2) from byte `byte` (a multiple of width, little-endian). */
export interface IrViewPart {
  readonly width: 1 | 2;
  readonly byte: number;
}

/** Final-condition propositions, resolved. */
export type IrCond =
  | { readonly kind: 'cmp'; readonly op: '=' | '!='; readonly left: IrCondTerm; readonly right: IrCondTerm }
  | { readonly kind: 'and' | 'or' | 'implies'; readonly left: IrCond; readonly right: IrCond }
  | { readonly kind: 'not'; readonly operand: IrCond }
  | { readonly kind: 'bool'; readonly value: boolean };

export type IrCondTerm = IrObservable | { readonly kind: 'const'; readonly value: number };

/** The final condition with its display text (herd syntax, e.g. "exists (0:r0=0 /\ 1:r0=0)"). */
export interface IrFinalCondition {
  readonly quantifier: Quantifier;
  readonly cond: IrCond;
  readonly text: string;
}

/** A lowered, validated program. */
export interface IrProgram {
  readonly name: string;
  readonly description: string | null;
  /** display name of the source file */
  readonly file: string;
  /** the params with their final values (after -D overrides) */
  readonly params: Readonly<Record<string, number>>;
  readonly locations: readonly IrLocation[];
  /** total number of memory words */
  readonly memorySize: number;
  readonly threads: readonly IrThread[];
  /** critical region names; "" is the default (unnamed) region */
  readonly regions: readonly string[];
  readonly condition: IrFinalCondition | null;
  readonly filter: IrCond | null;
  /**
   * What an outcome shows, in order, each with its display name ("P0:r0", "x", "a[1]"):
   * the observables of the condition and `locations`, or, without either, every register of
   * every thread and every memory word.
   */
  readonly observables: readonly { readonly name: string; readonly what: IrObservable }[];
  readonly metadata: readonly { readonly key: string; readonly value: string }[];
}

/** Limits every IR program respects (checked by validateIr). */
export const IR_LIMITS = { maxThreads: 64, maxMemoryWords: 4096, maxRegisters: 256, maxCodeLength: 65536 } as const;

/** A key naming what an observable reads ("r0:1", "m3", "m3.1@2"): equal keys, equal observables. */
export function observableKey(o: IrObservable): string {
  return o.kind === 'reg' ? `r${o.thread}:${o.reg}` : o.view === undefined ? `m${o.slot}` : `m${o.slot}.${o.view.width}@${o.view.byte}`;
}

/** The value of observable memory word `word` as `o` sees it (a narrow view's element, sign-extended). */
export function observeWord(o: Extract<IrObservable, { kind: 'mem' }>, word: number): number {
  return o.view === undefined ? word : viewRead(word, o.view.width, o.view.byte);
}

/** The first access of `program` to a view element narrower than a word (i8, i16), or null: the instruction, for S316. */
export function firstNarrowAccess(program: IrProgram): IrInstr | null {
  for (const th of program.threads) for (const i of th.code) if ('addr' in i && i.addr.width !== undefined && i.addr.width !== 4) return i;
  return null;
}

/** The width in bytes of an address (4 for a word). */
export function addrWidth(addr: IrAddr): ViewWidth {
  return addr.width ?? 4;
}

/** The element of `width` bytes at byte `byte` of `word` (little-endian), sign-extended like an Int8Array / Int16Array read; the word itself for width 4. */
export function viewRead(word: number, width: number, byte: number): number {
  switch (width) {
    case 1: return (word << (24 - 8 * byte)) >> 24;
    case 2: return (word << (16 - 8 * byte)) >> 16;
    default: return word | 0;
  }
}

/** `word` with its element of `width` bytes at byte `byte` replaced by `value` truncated to that width (ToInt8 / ToInt16); `value` itself for width 4. */
export function viewWrite(word: number, width: number, byte: number, value: number): number {
  switch (width) {
    case 1:
    case 2: {
      const mask = (width === 1 ? 0xff : 0xffff) << (8 * byte);
      return (word & ~mask) | ((value << (8 * byte)) & mask);
    }
    default: return value | 0;
  }
}

/** The bits of the bytes in a 4-bit byte mask (bit b: byte b), e.g. 0b0010 → 0x0000ff00. */
export function byteMaskBits(bytes: number): number {
  return ((bytes & 1 ? 0xff : 0) | (bytes & 2 ? 0xff00 : 0) | (bytes & 4 ? 0xff0000 : 0) | (bytes & 8 ? 0xff000000 : 0)) | 0;
}

/** The element a 4-bit byte mask of contiguous bytes covers: its first byte and its width (a store's bytes, for display). */
export function maskElement(bytes: number): { readonly byte: number; readonly width: number } {
  let byte = 0;
  while (byte < 3 && (bytes & (1 << byte)) === 0) byte++;
  let width = 0;
  while (byte + width < 4 && (bytes & (1 << (byte + width))) !== 0) width++;
  return { byte, width };
}

/** `value` converted as an element of `width` bytes is stored and read back (ToInt8, ToInt16, ToInt32). */
export function toWidth(value: number, width: number): number {
  return viewRead(value, width, 0);
}

/** Wrap a 32-bit signed result. */
export function i32(n: number): number {
  return n | 0;
}

/** The pcs control may reach from `instr` at `pc` in one step (pc + 1 may be the end of the thread). */
export function successorPcs(instr: IrInstr, pc: number): number[] {
  return instr.kind === 'jump' ? [instr.target] : instr.kind === 'branch' ? [pc + 1, instr.target] : [pc + 1];
}

/** Evaluate a binary operator with JavaScript Int32 semantics; returns null on division by zero. */
export function evalBinary(op: BinaryOp, a: number, b: number): number | null {
  switch (op) {
    case '+': return (a + b) | 0;
    case '-': return (a - b) | 0;
    case '*': return Math.imul(a, b);
    case '/': return b === 0 ? null : (a / b) | 0;
    case '%': return b === 0 ? null : (a % b) | 0;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<<': return a << (b & 31);
    case '>>': return a >> (b & 31);
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '&&': return a !== 0 && b !== 0 ? 1 : 0;
    case '||': return a !== 0 || b !== 0 ? 1 : 0;
    default: return assertNever(op);
  }
}

/** Evaluate a unary operator with Int32 semantics. */
export function evalUnary(op: UnaryOp, a: number): number {
  switch (op) {
    case '-': return -a | 0;
    case '!': return a === 0 ? 1 : 0;
    case '~': return ~a;
    default: return assertNever(op);
  }
}

/** The value an RMW writes, given the old value (a failed cmpxchg writes the old value back). */
export function rmwResult(op: RmwOp, old: number, operand: number, expected: number): number {
  switch (op) {
    case 'exchange': return operand;
    case 'cmpxchg': return old === expected ? operand : old;
    case 'fetch_add': return (old + operand) | 0;
    case 'fetch_sub': return (old - operand) | 0;
    case 'fetch_and': return old & operand;
    case 'fetch_or': return old | operand;
    case 'fetch_xor': return old ^ operand;
    default: return assertNever(op);
  }
}

/** Exhaustiveness check for switches; reaching it is an internal bug. */
export function assertNever(x: never): never {
  throw new Error(`internal error: unexpected value ${JSON.stringify(x)} (this is a bug in memweave)`);
}
