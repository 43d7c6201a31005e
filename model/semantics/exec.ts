/**
 * The thread semantics on the hot path: the guard and the action of `exec(t)` (thread t runs its
 * next instruction) and of `timeout(t)`, over the packed state. Every memory access goes through
 * the memory model's instance (model/memory/model.ts): guards ask it whether the access may happen
 * now, actions ask it what a load reads and let it write a store, an RMW or a fence. The thread
 * semantics itself writes only thread words (pc, wait word, queue position, registers) and the
 * critical-region counters. The semantics in brief is at the top of createMachine.ts.
 *
 * Hot path: everything here allocates nothing.
 */
import { assertNever, rmwResult, toWidth, viewRead, viewWrite } from '../ir.js';
import type { IrAddr, IrInstr, IrLocation, IrProgram } from '../ir.js';
import { STORE_GUARD, type MemoryModel, type ModelInstance } from '../memory/model.js';
import { evalAddr, evalByteAddr, evalExpr } from './eval.js';
import { THREAD_PC, THREAD_QPOS, THREAD_WAIT, type Layout } from './layout.js';
import { STEP, type StepStatus } from './machine.js';

/** What the thread semantics of one program works over. */
export interface Core {
  readonly program: IrProgram;
  readonly layout: Layout;
  /** the memory model (static) and its instance bound to `layout` */
  readonly memoryModel: MemoryModel;
  readonly model: ModelInstance;
  readonly threads: number;
  /** words per state */
  readonly L: number;
  readonly codes: readonly (readonly IrInstr[])[];
  readonly codeLen: Int32Array;
  readonly locations: readonly IrLocation[];
  readonly slotName: (slot: number) => string;
}

/** The thread semantics' hot-path operations. */
export interface Exec {
  /** the memory slot of an address for thread t in s (a negative ADDR_* code on error); a narrow view's element: the word holding it */
  slotOf(addr: IrAddr, s: Int32Array, off: number, t: number): number;
  /** the byte within its word (0..3) where a narrow view's element starts, for an address whose slotOf is valid; 0 for a word */
  byteOf(addr: IrAddr, s: Int32Array, off: number, t: number): number;
  /** guard of exec(t) */
  execEnabled(s: Int32Array, off: number, t: number): boolean;
  /** true when thread t waits in a `wait` with a timeout (timeout(t) is enabled) */
  hasTimeout(s: Int32Array, off: number, t: number): boolean;
  /** action of exec(t), `choice` = which write a load reads (0 under every model here) */
  execApply(s: Int32Array, off: number, t: number, choice: number, next: Int32Array, nOff: number): StepStatus;
  /** action of timeout(t) */
  timeoutApply(s: Int32Array, off: number, t: number, next: Int32Array, nOff: number): StepStatus;
  /** copy a state (no-op when it is the same slice) */
  copy(s: Int32Array, off: number, next: Int32Array, nOff: number): void;
  /** true once a store was blocked because its buffer was full */
  readonly bufferBoundHit: boolean;
}

/** Build the thread semantics of one program over one model instance. */
export function createExec(core: Core): Exec {
  const L = core.L;
  const locations = core.locations;
  const regBase = core.layout.regBase;
  const copy = (s: Int32Array, off: number, next: Int32Array, nOff: number): void => {
    if (s === next && off === nOff) return;
    // the search's case, whole states at offset 0: one memcpy (TypedArray.prototype.set)
    if (off === 0 && nOff === 0 && s.length === L && next.length === L) {
      next.set(s);
      return;
    }
    for (let i = 0; i < L; i++) next[nOff + i] = s[off + i] ?? 0;
  };
  const slotOf = (addr: IrAddr, s: Int32Array, off: number, t: number): number => {
    const loc = locations[addr.loc];
    if (loc === undefined) throw new Error(`internal error: location ${addr.loc} does not exist (this is a bug in memweave)`);
    return evalAddr(addr, loc, s, off + (regBase[t] ?? 0));
  };
  const byteOf = (addr: IrAddr, s: Int32Array, off: number, t: number): number => {
    if (addr.width === undefined || addr.width === 4) return 0;
    const loc = locations[addr.loc];
    if (loc === undefined) throw new Error(`internal error: location ${addr.loc} does not exist (this is a bug in memweave)`);
    return evalByteAddr(addr, loc, s, off + (regBase[t] ?? 0)) & 3;
  };
  const guards = createGuards(core, slotOf, byteOf);
  const actions = createActions(core, slotOf, byteOf, copy);
  return {
    slotOf,
    byteOf,
    copy,
    execEnabled: guards.execEnabled,
    hasTimeout: guards.hasTimeout,
    execApply: actions.execApply,
    timeoutApply: actions.timeoutApply,
    get bufferBoundHit() {
      return guards.bufferBoundHit;
    },
  };
}

/** The guards of exec(t) and timeout(t); a store blocked by a full buffer sets `bufferBoundHit`. */
function createGuards(core: Core, slotOf: Exec['slotOf'], byteOf: Exec['byteOf']): Pick<Exec, 'execEnabled' | 'hasTimeout' | 'bufferBoundHit'> {
  const { layout, model, codes } = core;
  const threadBase = layout.threadBase;
  const regBase = layout.regBase;
  let bufferBoundHit = false;

  const storeEnabled = (s: Int32Array, off: number, t: number, instr: Extract<IrInstr, { kind: 'store' }>): boolean => {
    const slot = slotOf(instr.addr, s, off, t);
    if (slot < 0) return true; // the error is reported when it executes
    const g = model.storeGuard(s, off, t, slot, instr.mode);
    if (g === STORE_GUARD.full) {
      bufferBoundHit = true;
      return false;
    }
    return g === STORE_GUARD.enabled;
  };

  const execEnabled = (s: Int32Array, off: number, t: number): boolean => {
    const tb = off + (threadBase[t] ?? 0);
    if ((s[tb + THREAD_WAIT] ?? 0) !== 0) return false;
    const instr = codes[t]?.[s[tb + THREAD_PC] ?? 0];
    if (instr === undefined) return false;
    switch (instr.kind) {
      case 'store':
        return storeEnabled(s, off, t, instr);
      case 'rmw':
      case 'wait':
      case 'notify':
        return model.lockedGuard(s, off, t, instr.kind);
      case 'fence':
        return model.fenceGuard(s, off, t, instr.mode);
      case 'await': {
        const slot = slotOf(instr.addr, s, off, t);
        if (slot < 0) return true;
        const v = viewRead(model.load(s, off, t, slot, 0), instr.addr.width ?? 4, byteOf(instr.addr, s, off, t));
        return evalExpr(instr.cond, s, off + (regBase[t] ?? 0), instr.dst, v) !== 0; // NaN: enabled, errs on exec
      }
      case 'block':
        return evalExpr(instr.cond, s, off + (regBase[t] ?? 0), -1, 0) !== 0;
      case 'load':
      case 'assign':
      case 'branch':
      case 'jump':
      case 'assert':
      case 'assume':
      case 'enter':
      case 'exit':
      case 'skip':
        return true;
      default:
        return assertNever(instr);
    }
  };

  const hasTimeout = (s: Int32Array, off: number, t: number): boolean => {
    const tb = off + (threadBase[t] ?? 0);
    if ((s[tb + THREAD_WAIT] ?? 0) === 0) return false;
    const instr = codes[t]?.[s[tb + THREAD_PC] ?? 0];
    return instr !== undefined && instr.kind === 'wait' && instr.timeout !== null;
  };

  return {
    execEnabled,
    hasTimeout,
    get bufferBoundHit() {
      return bufferBoundHit;
    },
  };
}

/** Register and wait-queue writes on a successor, shared by the actions. */
interface ThreadWrites {
  setReg(next: Int32Array, nOff: number, t: number, reg: number, v: number): void;
  /** the number of threads waiting on `slot` in s */
  queued(s: Int32Array, off: number, slot: number): number;
  /** wake waiter w (a thread blocked in a wait) with result `result`, in the successor */
  release(next: Int32Array, nOff: number, w: number, result: number): void;
}

function createThreadWrites(core: Core): ThreadWrites {
  const threadBase = core.layout.threadBase;
  const regBase = core.layout.regBase;
  const n = core.threads;
  const setReg = (next: Int32Array, nOff: number, t: number, reg: number, v: number): void => {
    if (reg >= 0) next[nOff + (regBase[t] ?? 0) + reg] = v;
  };
  return {
    setReg,
    queued(s, off, slot) {
      let k = 0;
      for (let w = 0; w < n; w++) if ((s[off + (threadBase[w] ?? 0) + THREAD_WAIT] ?? 0) === slot + 1) k++;
      return k;
    },
    release(next, nOff, w, result) {
      const tb = nOff + (threadBase[w] ?? 0);
      const pc = next[tb + THREAD_PC] ?? 0;
      const instr = core.codes[w]?.[pc];
      if (instr === undefined || instr.kind !== 'wait') throw new Error('internal error: a waiting thread is not at a wait (this is a bug in memweave)');
      next[tb + THREAD_WAIT] = 0;
      next[tb + THREAD_QPOS] = 0;
      next[tb + THREAD_PC] = pc + 1;
      setReg(next, nOff, w, instr.dst, result);
    },
  };
}

/** The actions of exec(t) and timeout(t). */
function createActions(core: Core, slotOf: Exec['slotOf'], byteOf: Exec['byteOf'], copy: Exec['copy']): Pick<Exec, 'execApply' | 'timeoutApply'> {
  const { layout, model, codes } = core;
  const n = core.threads;
  const threadBase = layout.threadBase;
  const regBase = layout.regBase;
  const writes = createThreadWrites(core);
  const { setReg, release } = writes;
  const ops = createMemoryOps(core, slotOf, byteOf, writes);

  const execApply = (s: Int32Array, off: number, t: number, choice: number, next: Int32Array, nOff: number): StepStatus => {
    const tbS = off + (threadBase[t] ?? 0);
    const rb = off + (regBase[t] ?? 0);
    const pc = s[tbS + THREAD_PC] ?? 0;
    const instr = codes[t]?.[pc];
    if (instr === undefined || (s[tbS + THREAD_WAIT] ?? 0) !== 0) {
      throw new Error(`internal error: exec of thread ${t}, which is finished or waiting (this is a bug in memweave)`);
    }
    copy(s, off, next, nOff);
    const pcAt = nOff + (threadBase[t] ?? 0) + THREAD_PC;
    let status: StepStatus = STEP.ok;
    switch (instr.kind) {
      case 'load': status = ops.load(s, off, t, instr, choice, next, nOff); break;
      case 'store': status = ops.store(s, off, t, instr, next, nOff); break;
      case 'rmw': status = ops.rmw(s, off, t, instr, next, nOff); break;
      case 'fence': model.fence(next, nOff, t, instr.mode); break;
      case 'wait': {
        status = ops.wait(s, off, t, instr, next, nOff);
        if (status !== STEP.ok || (next[nOff + (threadBase[t] ?? 0) + THREAD_WAIT] ?? 0) !== 0) return status; // pc stays at the wait until woken or timed out
        break;
      }
      case 'notify': status = ops.notify(s, off, t, instr, next, nOff); break;
      case 'await': status = ops.await(s, off, t, instr, next, nOff); break;
      case 'block': {
        const c = evalExpr(instr.cond, s, rb, -1, 0);
        if (c !== c) return STEP.runtimeError;
        break;
      }
      case 'assign': {
        const v = evalExpr(instr.value, s, rb, -1, 0);
        if (v !== v) return STEP.runtimeError;
        setReg(next, nOff, t, instr.dst, v);
        break;
      }
      case 'branch': {
        const c = evalExpr(instr.cond, s, rb, -1, 0);
        if (c !== c) return STEP.runtimeError;
        next[pcAt] = c !== 0 ? instr.target : pc + 1;
        return STEP.ok;
      }
      case 'jump':
        next[pcAt] = instr.target;
        return STEP.ok;
      case 'assert':
      case 'assume': {
        const c = evalExpr(instr.cond, s, rb, -1, 0);
        if (c !== c) return STEP.runtimeError;
        if (c === 0) return instr.kind === 'assert' ? STEP.assertFailed : STEP.pruned;
        break;
      }
      case 'enter': status = ops.enter(s, off, t, instr.region, next, nOff); break;
      case 'exit': {
        const at = nOff + layout.regionBase + instr.region * n + t;
        if ((next[at] ?? 0) > 0) next[at] = (next[at] ?? 0) - 1;
        break;
      }
      case 'skip':
        break;
      default:
        return assertNever(instr);
    }
    if (status === STEP.runtimeError) return status;
    next[pcAt] = pc + 1;
    return status;
  };

  const timeoutApply = (s: Int32Array, off: number, t: number, next: Int32Array, nOff: number): StepStatus => {
    const slot1 = s[off + (threadBase[t] ?? 0) + THREAD_WAIT] ?? 0;
    if (slot1 === 0) throw new Error(`internal error: timeout of thread ${t}, which is not waiting (this is a bug in memweave)`);
    const p = s[off + (threadBase[t] ?? 0) + THREAD_QPOS] ?? 0;
    copy(s, off, next, nOff);
    for (let w = 0; w < n; w++) {
      const tb = nOff + (threadBase[w] ?? 0);
      if (w === t || (next[tb + THREAD_WAIT] ?? 0) !== slot1) continue;
      const q = next[tb + THREAD_QPOS] ?? 0;
      if (q > p) next[tb + THREAD_QPOS] = q - 1;
    }
    release(next, nOff, t, 2);
    return STEP.ok;
  };

  return { execApply, timeoutApply };
}

type Instr<K extends IrInstr['kind']> = Extract<IrInstr, { kind: K }>;

/**
 * The memory instructions' actions (on the successor `next`, already a copy of s); each returns ok or runtimeError, and leaves the pc to the caller.
 *
 * Mixed size: memory stays word-addressed. A narrow access (an i8 or i16 view element) reads its
 * word and takes its bytes; a narrow store or RMW reads the word, replaces its bytes and writes
 * the word back, in the same step: one atomic read-modify of the containing word, which is what an
 * aligned access inside one word is under SC (and under the ECMAScript model for a race-free
 * program). A narrow store also tells the model which bytes it writes, so a model that buffers it
 * (tso) keeps only those and merges them into memory when it drains. Only models whose record says
 * `mixedSize` are given such programs (S316).
 */
function createMemoryOps(core: Core, slotOf: Exec['slotOf'], byteOf: Exec['byteOf'], writes: ThreadWrites) {
  const { layout, model } = core;
  const { setReg, queued, release } = writes;
  const n = core.threads;
  const threadBase = layout.threadBase;
  const regBase = layout.regBase;
  return {
    load(s: Int32Array, off: number, t: number, instr: Instr<'load'>, choice: number, next: Int32Array, nOff: number): StepStatus {
      const slot = slotOf(instr.addr, s, off, t);
      if (slot < 0) return STEP.runtimeError;
      const w = instr.addr.width ?? 4;
      const word = model.load(s, off, t, slot, choice);
      setReg(next, nOff, t, instr.dst, w === 4 ? word : viewRead(word, w, byteOf(instr.addr, s, off, t)));
      return STEP.ok;
    },
    store(s: Int32Array, off: number, t: number, instr: Instr<'store'>, next: Int32Array, nOff: number): StepStatus {
      const slot = slotOf(instr.addr, s, off, t);
      const v = evalExpr(instr.value, s, off + (regBase[t] ?? 0), -1, 0);
      if (slot < 0 || v !== v) return STEP.runtimeError;
      const w = instr.addr.width ?? 4;
      if (w === 4) {
        model.store(next, nOff, t, slot, v, instr.mode);
        return STEP.ok;
      }
      // a narrow store: the word as the thread sees it with the element's bytes replaced, and which bytes those are
      const byte = byteOf(instr.addr, s, off, t);
      model.store(next, nOff, t, slot, viewWrite(model.load(s, off, t, slot, 0), w, byte, v), instr.mode, ((1 << w) - 1) << byte);
      return STEP.ok;
    },
    rmw(s: Int32Array, off: number, t: number, instr: Instr<'rmw'>, next: Int32Array, nOff: number): StepStatus {
      const rb = off + (regBase[t] ?? 0);
      const slot = slotOf(instr.addr, s, off, t);
      const operand = evalExpr(instr.value, s, rb, -1, 0);
      const expected = instr.expected === null ? 0 : evalExpr(instr.expected, s, rb, -1, 0);
      if (slot < 0 || operand !== operand || expected !== expected) return STEP.runtimeError;
      const w = instr.addr.width ?? 4;
      const word = model.lockedRead(s, off, t, slot);
      if (w === 4) {
        model.lockedWrite(next, nOff, t, slot, rmwResult(instr.op, word, operand, expected));
        setReg(next, nOff, t, instr.dst, word);
        return STEP.ok;
      }
      // a narrow RMW: on the element (the expected value converted to the width, as Atomics.compareExchange does), carries dropped at its edge
      const byte = byteOf(instr.addr, s, off, t);
      const old = viewRead(word, w, byte);
      model.lockedWrite(next, nOff, t, slot, viewWrite(word, w, byte, rmwResult(instr.op, old, operand, toWidth(expected, w))));
      setReg(next, nOff, t, instr.dst, old);
      return STEP.ok;
    },
    /** not equal → dst = 1 and go on; equal → enqueue at the back of the slot's queue and block (the thread's wait word is then set) */
    wait(s: Int32Array, off: number, t: number, instr: Instr<'wait'>, next: Int32Array, nOff: number): StepStatus {
      const rb = off + (regBase[t] ?? 0);
      const slot = slotOf(instr.addr, s, off, t);
      const expected = evalExpr(instr.expected, s, rb, -1, 0);
      const timeout = instr.timeout === null ? 0 : evalExpr(instr.timeout, s, rb, -1, 0);
      if (slot < 0 || expected !== expected || timeout !== timeout) return STEP.runtimeError;
      if (model.lockedRead(s, off, t, slot) !== expected) {
        setReg(next, nOff, t, instr.dst, 1);
        return STEP.ok;
      }
      const tbN = nOff + (threadBase[t] ?? 0);
      next[tbN + THREAD_QPOS] = queued(s, off, slot);
      next[tbN + THREAD_WAIT] = slot + 1;
      return STEP.ok;
    },
    /** wake up to `count` waiters of the slot from the front of its queue; dst = the number woken */
    notify(s: Int32Array, off: number, t: number, instr: Instr<'notify'>, next: Int32Array, nOff: number): StepStatus {
      const slot = slotOf(instr.addr, s, off, t);
      const count = instr.count === null ? 0x7fffffff : evalExpr(instr.count, s, off + (regBase[t] ?? 0), -1, 0);
      if (slot < 0 || count !== count) return STEP.runtimeError;
      const k = Math.min(Math.max(count, 0), queued(s, off, slot));
      for (let w = 0; w < n; w++) {
        const tb = nOff + (threadBase[w] ?? 0);
        if ((next[tb + THREAD_WAIT] ?? 0) !== slot + 1) continue;
        const p = next[tb + THREAD_QPOS] ?? 0;
        if (p < k) release(next, nOff, w, 0);
        else next[tb + THREAD_QPOS] = p - k;
      }
      setReg(next, nOff, t, instr.dst, k);
      return STEP.ok;
    },
    await(s: Int32Array, off: number, t: number, instr: Instr<'await'>, next: Int32Array, nOff: number): StepStatus {
      const slot = slotOf(instr.addr, s, off, t);
      if (slot < 0) return STEP.runtimeError;
      const v = viewRead(model.load(s, off, t, slot, 0), instr.addr.width ?? 4, byteOf(instr.addr, s, off, t));
      const c = evalExpr(instr.cond, s, off + (regBase[t] ?? 0), instr.dst, v);
      if (c !== c) return STEP.runtimeError;
      setReg(next, nOff, t, instr.dst, v);
      return STEP.ok;
    },
    /** enter a critical region: mutexViolated when another thread is inside (the successor is produced) */
    enter(s: Int32Array, off: number, t: number, region: number, next: Int32Array, nOff: number): StepStatus {
      const g = off + layout.regionBase + region * n;
      let occupied = false;
      for (let w = 0; w < n; w++) if (w !== t && (s[g + w] ?? 0) > 0) occupied = true;
      const at = nOff + layout.regionBase + region * n + t;
      next[at] = (next[at] ?? 0) + 1;
      return occupied ? STEP.mutexViolated : STEP.ok;
    },
  };
}
