/**
 * An independent brute-force oracle for the checker: it enumerates every interleaving of a lowered
 * IR program under SC, x86-TSO or PSO by plain recursion over plain-object states, and collects
 * the outcomes (observable values of each complete execution), plus whether an assert failed, a
 * runtime error happened, or a deadlock was reached. It is written from the IR definition
 * (model/ir.ts) and the model descriptions below only; it shares no code with checker/ or
 * model/semantics/ or model/memory/, so the two can be held against each other. (Operators are
 * evaluated by evalBinary/evalUnary of model/ir.ts, which is the IR's definition of them.)
 *
 * Models (store buffers are unbounded; programs handed to the oracle are small):
 *  - sc:  every instruction executes atomically against one memory.
 *  - tso: one FIFO store buffer per thread (Owens, Sarkar, Sewell, "A better x86 memory model:
 *         x86-TSO", TPHOLs 2009). plain/rlx/rel stores are buffered; every load reads the thread's
 *         newest buffered value for the slot, else memory; sc stores, every RMW and fence.sc are
 *         enabled only when the thread's buffer is empty and act on memory; other fences are
 *         no-ops. A drain moves a thread's oldest entry to memory, at any time.
 *  - pso: SPARC V9 PSO (appendix D). Each thread keeps one list, in program order, of its
 *         buffered stores and of StoreStore barriers (SPARC's MEMBAR #StoreStore). A buffered
 *         store may drain when no barrier and no store to the same slot comes before it in the
 *         list; a barrier with nothing before it is dropped. plain/rlx stores are appended; a
 *         rel (or acq_rel) store appends a barrier, then the store (V9's store-release: MEMBAR
 *         #StoreStore; ST); fence.rel and fence.acq_rel append a barrier; none of these ever
 *         waits. sc stores, RMWs and fence.sc need the thread's list empty and act on memory;
 *         fence.acq is a no-op. Loads read the newest own buffered store to the slot, else memory.
 * A final state has every thread finished and every buffer empty.
 *
 * Not modelled (throws): wait, notify, enter, exit (critical regions). Loops are allowed but the
 * search depth is bounded (`maxDepth`); passing it throws, so a loop cannot hang a test.
 * `assume` false discards the branch; `assert` false records `asserts` and ends the branch;
 * division by zero or an out-of-bounds index records `runtimeError` and ends the branch.
 */
import type { IrAddr, IrExpr, IrInstr, IrProgram, RmwOp } from '../../model/ir.js';
import { evalBinary, evalUnary } from '../../model/ir.js';

/** Memory models the oracle knows. */
export type OracleModel = 'sc' | 'tso' | 'pso';

/** What the oracle found. */
export interface OracleResult {
  /** outcome keys (see outcomeKey) of every complete execution */
  readonly outcomes: Set<string>;
  /** some execution failed an assert */
  readonly asserts: boolean;
  /** some reachable state has no enabled step but is not final */
  readonly deadlock: boolean;
  /** some execution divided by zero or indexed out of bounds */
  readonly runtimeError: boolean;
}

/** Oracle knobs. */
export interface OracleOptions {
  /** longest execution (instructions + drains) before the oracle gives up by throwing; default 2000 */
  readonly maxDepth?: number;
  /** skip states already explored (sound: outcomes depend only on the state); default true. false = a pure tree walk */
  readonly memo?: boolean;
}

/** One buffered store. */
interface BufEntry {
  readonly kind: 'store';
  readonly slot: number;
  readonly value: number;
}

/** A StoreStore barrier in a pso buffer: stores after it drain after the stores before it. */
interface Barrier {
  readonly kind: 'barrier';
}

/** An item of a thread's buffer. */
type BufItem = BufEntry | Barrier;

const BARRIER: Barrier = { kind: 'barrier' };

/** Drop the barriers at the front of a buffer: with no store before them, they order nothing. */
function dropLeadingBarriers(buf: readonly BufItem[]): BufItem[] {
  let i = 0;
  while (i < buf.length && buf[i]?.kind === 'barrier') i++;
  return buf.slice(i);
}

/** May item i of a buffer drain? tso: only the oldest; pso: a store with no barrier and no store to its slot before it. */
function drainable(model: 'tso' | 'pso', buf: readonly BufItem[], i: number): boolean {
  const item = buf[i];
  if (item === undefined || item.kind !== 'store') return false;
  if (model === 'tso') return i === 0;
  return buf.slice(0, i).every((e) => e.kind === 'store' && e.slot !== item.slot);
}

/** An oracle state: plain data, compared by its JSON text. */
interface State {
  readonly pcs: readonly number[];
  readonly regs: readonly (readonly number[])[];
  readonly mem: readonly number[];
  /** per thread, its buffered stores (and, pso only, barriers), oldest first; never starts with a barrier */
  readonly bufs: readonly (readonly BufItem[])[];
}

/** What one step leads to. */
type StepResult =
  | { readonly kind: 'state'; readonly state: State }
  | { readonly kind: 'assert' }
  | { readonly kind: 'runtime' }
  | { readonly kind: 'discard' };

/** The outcome key of a list of observable values (in IrProgram.observables order). */
export function outcomeKey(values: readonly number[]): string {
  return JSON.stringify(values);
}

/** The outcome key of a checker Outcome's values (display name → value), in the program's observables order. */
export function outcomeKeyOfRecord(p: IrProgram, values: Readonly<Record<string, number>>): string {
  return outcomeKey(
    p.observables.map((o) => {
      const v = values[o.name];
      if (v === undefined) throw new Error(`outcome has no value for observable ${o.name}`);
      return v;
    }),
  );
}

/** The set of outcome keys of a list of checker Outcomes. */
export function outcomeKeySet(p: IrProgram, outcomes: readonly { readonly values: Readonly<Record<string, number>> }[]): Set<string> {
  return new Set(outcomes.map((o) => outcomeKeyOfRecord(p, o.values)));
}

/** Enumerate every execution of `p` under `model` and collect outcomes and failures. */
export function bruteForce(p: IrProgram, model: OracleModel, options: OracleOptions = {}): OracleResult {
  const maxDepth = options.maxDepth ?? 2000;
  const memo = options.memo ?? true;
  const visited = new Set<string>();
  const outcomes = new Set<string>();
  let asserts = false;
  let deadlock = false;
  let runtimeError = false;

  const explore = (s: State, depth: number): void => {
    if (depth > maxDepth) throw new Error(`bruteForce: execution longer than ${maxDepth} steps (a loop?)`);
    if (memo) {
      const key = JSON.stringify(s);
      if (visited.has(key)) return;
      visited.add(key);
    }
    if (isFinal(p, s)) {
      outcomes.add(outcomeKey(observe(p, s)));
      return;
    }
    const next = successors(p, model, s);
    if (next.length === 0) deadlock = true;
    for (const r of next) {
      switch (r.kind) {
        case 'state':
          explore(r.state, depth + 1);
          break;
        case 'assert':
          asserts = true;
          break;
        case 'runtime':
          runtimeError = true;
          break;
        case 'discard':
          break;
      }
    }
  };

  explore(initialState(p), 0);
  return { outcomes, asserts, deadlock, runtimeError };
}

/** The initial state: pcs 0, registers 0, memory from the locations' init values, buffers empty. */
function initialState(p: IrProgram): State {
  const mem: number[] = new Array<number>(p.memorySize).fill(0);
  for (const loc of p.locations) {
    loc.init.forEach((v, i) => {
      mem[loc.base + i] = v;
    });
  }
  return {
    pcs: p.threads.map(() => 0),
    regs: p.threads.map((t) => t.registers.map(() => 0)),
    mem,
    bufs: p.threads.map(() => []),
  };
}

function isFinal(p: IrProgram, s: State): boolean {
  return p.threads.every((t, i) => s.pcs[i] === t.code.length) && s.bufs.every((b) => b.length === 0);
}

function observe(p: IrProgram, s: State): number[] {
  return p.observables.map((o) => (o.what.kind === 'reg' ? at(at(s.regs, o.what.thread), o.what.reg) : at(s.mem, o.what.slot)));
}

/** Every step from `s`: each thread's next instruction (when enabled), then each possible drain. */
function successors(p: IrProgram, model: OracleModel, s: State): StepResult[] {
  const out: StepResult[] = [];
  p.threads.forEach((thread, t) => {
    const pc = at(s.pcs, t);
    const instr = thread.code[pc];
    if (instr !== undefined) {
      const r = execute(p, model, s, t, instr);
      if (r !== null) out.push(r);
    }
  });
  if (model !== 'sc') {
    s.bufs.forEach((buf, t) => {
      buf.forEach((entry, i) => {
        if (entry.kind === 'store' && drainable(model, buf, i)) {
          const mem = [...s.mem];
          mem[entry.slot] = entry.value;
          const bufs = s.bufs.map((b, u) => (u === t ? dropLeadingBarriers(b.filter((_, j) => j !== i)) : b));
          out.push({ kind: 'state', state: { ...s, mem, bufs } });
        }
      });
    });
  }
  return out;
}

/** Execute thread t's next instruction: null when it is not enabled. */
function execute(p: IrProgram, model: OracleModel, s: State, t: number, instr: IrInstr): StepResult | null {
  const regs = at(s.regs, t);
  const bufEmpty = at(s.bufs, t).length === 0;
  const pc = at(s.pcs, t);
  const next = (changes: { reg?: [number, number]; mem?: [number, number]; push?: BufItem[]; pc?: number }): StepResult => {
    const pcs = s.pcs.map((v, u) => (u === t ? (changes.pc ?? pc + 1) : v));
    const reg = changes.reg;
    const newRegs = reg === undefined || reg[0] < 0 ? s.regs : s.regs.map((r, u) => (u === t ? setAt(r, reg[0], reg[1]) : r));
    const mem = changes.mem === undefined ? s.mem : setAt(s.mem, changes.mem[0], changes.mem[1]);
    const push = changes.push;
    const bufs = push === undefined ? s.bufs : s.bufs.map((b, u) => (u === t ? dropLeadingBarriers([...b, ...push]) : b));
    return { kind: 'state', state: { pcs, regs: newRegs, mem, bufs } };
  };
  const ev = (e: IrExpr): number | null => evalExpr(e, regs);
  const read = (slot: number): number => {
    if (model !== 'sc') {
      const own = at(s.bufs, t).filter((e): e is BufEntry => e.kind === 'store' && e.slot === slot);
      const newest = own[own.length - 1];
      if (newest !== undefined) return newest.value;
    }
    return at(s.mem, slot);
  };

  switch (instr.kind) {
    case 'load': {
      const slot = addrSlot(p, instr.addr, regs);
      if (slot === null) return { kind: 'runtime' };
      return next({ reg: [instr.dst, read(slot)] });
    }
    case 'store': {
      const slot = addrSlot(p, instr.addr, regs);
      const value = ev(instr.value);
      if (slot === null || value === null) return { kind: 'runtime' };
      if (model === 'sc') return next({ mem: [slot, value] });
      if (instr.mode === 'sc') return bufEmpty ? next({ mem: [slot, value] }) : null;
      const store: BufEntry = { kind: 'store', slot, value };
      const release = model === 'pso' && (instr.mode === 'rel' || instr.mode === 'acq_rel');
      return next({ push: release ? [BARRIER, store] : [store] });
    }
    case 'rmw': {
      if (model !== 'sc' && !bufEmpty) return null;
      const slot = addrSlot(p, instr.addr, regs);
      const value = ev(instr.value);
      const expected = instr.expected === null ? 0 : ev(instr.expected);
      if (slot === null || value === null || expected === null) return { kind: 'runtime' };
      const old = at(s.mem, slot);
      const written = rmwResult(instr.op, old, value, expected);
      return next({ reg: [instr.dst, old], mem: [slot, written] });
    }
    case 'fence': {
      if (model !== 'sc' && instr.mode === 'sc' && !bufEmpty) return null;
      if (model === 'pso' && (instr.mode === 'rel' || instr.mode === 'acq_rel')) return next({ push: [BARRIER] });
      return next({});
    }
    case 'await': {
      const slot = addrSlot(p, instr.addr, regs);
      if (slot === null) return { kind: 'runtime' };
      const v = read(slot);
      const c = evalExpr(instr.cond, instr.dst < 0 ? regs : setAt(regs, instr.dst, v));
      if (c === null) return { kind: 'runtime' };
      return c !== 0 ? next({ reg: [instr.dst, v] }) : null;
    }
    case 'block': {
      const c = ev(instr.cond);
      if (c === null) return { kind: 'runtime' };
      return c !== 0 ? next({}) : null;
    }
    case 'assign': {
      const v = ev(instr.value);
      if (v === null) return { kind: 'runtime' };
      return next({ reg: [instr.dst, v] });
    }
    case 'branch': {
      const c = ev(instr.cond);
      if (c === null) return { kind: 'runtime' };
      return next({ pc: c !== 0 ? instr.target : pc + 1 });
    }
    case 'jump':
      return next({ pc: instr.target });
    case 'assert': {
      const c = ev(instr.cond);
      if (c === null) return { kind: 'runtime' };
      return c !== 0 ? next({}) : { kind: 'assert' };
    }
    case 'assume': {
      const c = ev(instr.cond);
      if (c === null) return { kind: 'runtime' };
      return c !== 0 ? next({}) : { kind: 'discard' };
    }
    case 'skip':
      return next({});
    case 'wait':
    case 'notify':
    case 'enter':
    case 'exit':
      throw new Error(`bruteForce: instruction '${instr.kind}' is not modelled by the oracle`);
  }
}

/** The value an RMW writes, given the old value, its operand and (for cmpxchg) the expected value. */
function rmwResult(op: RmwOp, old: number, v: number, expected: number): number {
  switch (op) {
    case 'exchange': return v;
    case 'cmpxchg': return old === expected ? v : old;
    case 'fetch_add': return (old + v) | 0;
    case 'fetch_sub': return (old - v) | 0;
    case 'fetch_and': return old & v;
    case 'fetch_or': return old | v;
    case 'fetch_xor': return old ^ v;
  }
}

/** Evaluate an expression over registers; null on division by zero. */
function evalExpr(e: IrExpr, regs: readonly number[]): number | null {
  switch (e.kind) {
    case 'const': return e.value | 0;
    case 'reg': return at(regs, e.reg);
    case 'unary': {
      const a = evalExpr(e.operand, regs);
      return a === null ? null : evalUnary(e.op, a);
    }
    case 'binary': {
      const a = evalExpr(e.left, regs);
      const b = evalExpr(e.right, regs);
      return a === null || b === null ? null : evalBinary(e.op, a, b);
    }
  }
}

/** The flat memory slot of an address; null when its index is out of bounds or divides by zero. */
function addrSlot(p: IrProgram, addr: IrAddr, regs: readonly number[]): number | null {
  const loc = p.locations[addr.loc];
  if (loc === undefined) throw new Error(`bruteForce: no location ${addr.loc}`);
  const i = evalExpr(addr.index, regs);
  if (i === null || i < 0 || i >= loc.size) return null;
  return loc.base + i;
}

function at<T>(xs: readonly T[], i: number): T {
  const v = xs[i];
  if (v === undefined) throw new Error(`bruteForce: index ${i} out of range (malformed program?)`);
  return v;
}

function setAt(xs: readonly number[], i: number, v: number): number[] {
  const copy = [...xs];
  copy[i] = v;
  return copy;
}
