/**
 * The shared thread semantics: builds the Machine (the transition system the checker explores)
 * for one program under one memory model. The thread semantics interprets the IR instruction by
 * instruction (exec.ts on the hot path; describe.ts for traces and deadlock reports); every
 * memory access goes through the memory model (model/memory/model.ts), which owns its words of
 * the state and supplies the guards (may it happen now?), the actions (what it does to memory and
 * the store buffers) and its memory transitions. The model comes from the registry
 * (model/memory/registry.ts) by name, or as a record. The state layout is in layout.ts.
 *
 * Semantics in brief:
 * - exec(t): thread t runs its next instruction, if its guard holds. Blocked: a waiting thread, an
 *   `await`/`block` whose condition is false, a store whose buffer is full or must first drain, a
 *   locked operation (RMW, wait, notify, and under tso/pso `sc` stores) with own stores buffered.
 * - `wait` (Atomics.wait) reads memory (after its buffer drained): not equal → dst = 1 and go on;
 *   equal → enqueue at the back of that slot's FIFO wait queue and block. `notify` wakes up to
 *   `count` (null = all; negative = 0) waiters from the front: each gets dst = 0 and goes on; the
 *   notifier's dst is the number woken. No spurious wake-ups.
 * - timeout(t): a waiting thread whose `wait` has a timeout expression may time out at any moment:
 *   it leaves the queue with dst = 2. The timeout's value is not interpreted (any timeout means
 *   "may time out at any point"; it is still evaluated, so dividing by zero in it is an error).
 * - drain(t, arg): a memory transition of the model (a buffered store reaches memory; see the
 *   model files).
 * - `enter` a region another thread is inside → STEP.mutexViolated (the successor is produced);
 *   `assert` false → STEP.assertFailed (the thread stays at the assert); `assume` false →
 *   STEP.pruned; division by zero or an index out of bounds → STEP.runtimeError (nothing is
 *   written; the successor equals the source state).
 *
 * Hot path: `enabled`, `apply`, `isFinal`, `observe` and (js) `race` allocate nothing.
 */
import { assertNever, viewRead } from '../ir.js';
import type { IrObservable } from '../ir.js';
import type { MemoryModel } from '../memory/model.js';
import { modelOf } from '../memory/registry.js';
import { createDescriber } from './describe.js';
import { createExec, type Core, type Exec } from './exec.js';
import { DEFAULT_BUFFER_BOUND, THREAD_PC, THREAD_WAIT, computeLayout } from './layout.js';
import { FOOTPRINT, FP_MEMORY, FP_SYNC, STEP, TR } from './machine.js';
import type { CreateMachine, Machine, MachineStructure, RaceReport, StepStatus } from './machine.js';
import { nameRecord } from '../outcome.js';

/** Build the machine of `program` under `model` (the Machine contract is in machine.ts). */
export const createMachine: CreateMachine = (program, modelOrName, options = {}) => {
  const bound = options.bufferBound ?? DEFAULT_BUFFER_BOUND;
  if (!Number.isInteger(bound) || bound < 1) {
    throw new Error(`internal error: bufferBound must be a positive integer, got ${bound} (this is a bug in memweave: options are validated by the caller)`);
  }
  const memoryModel: MemoryModel = typeof modelOrName === 'string' ? modelOf(modelOrName) : modelOrName;
  const layout = computeLayout(program, memoryModel.words(program, bound), bound);
  const slotNames: string[] = [];
  for (const loc of program.locations) {
    for (let i = 0; i < loc.size; i++) slotNames[loc.base + i] = loc.isArray ? `${loc.name}[${i}]` : loc.name;
  }
  const slotName = (slot: number): string => slotNames[slot] ?? `#${slot}`;
  const model = memoryModel.create({
    program, bufferBound: bound, sharedBase: layout.memBase, blockBase: layout.blockBase, blockWords: layout.blockWords, threads: layout, slotName,
  });
  const core: Core = {
    program, layout, memoryModel, model, slotName,
    threads: program.threads.length,
    L: layout.length,
    codes: program.threads.map((th) => th.code),
    codeLen: Int32Array.from(program.threads, (th) => th.code.length),
    locations: program.locations,
  };
  const exec = createExec(core);
  const describer = createDescriber(core, exec);
  const n = core.threads;
  const L = core.L;
  const codeLen = core.codeLen;
  const threadBase = layout.threadBase;
  const regBase = layout.regBase;

  let maxTransitions = 0;
  for (let t = 0; t < n; t++) maxTransitions += 1 + model.maxMemoryTransitions(t);
  maxTransitions = Math.max(1, maxTransitions);

  const apply = (s: Int32Array, off: number, kind: number, thread: number, arg: number, next: Int32Array, nOff: number): StepStatus => {
    switch (kind) {
      case TR.exec:
        return exec.execApply(s, off, thread, arg, next, nOff);
      case TR.drain:
        exec.copy(s, off, next, nOff);
        model.applyMemory(next, nOff, thread, arg);
        return STEP.ok;
      case TR.timeout:
        return exec.timeoutApply(s, off, thread, next, nOff);
      default:
        throw new Error(`internal error: unknown transition kind ${kind} (this is a bug in memweave)`);
    }
  };

  const isFinished = (s: Int32Array, off: number, t: number): boolean => (s[off + (threadBase[t] ?? 0) + THREAD_PC] ?? 0) >= (codeLen[t] ?? 0);

  const structure: MachineStructure = { layout, memoryModel, model, footprint: createFootprint(core) };

  const machine: Machine = {
    program,
    structure,
    stateLength: L,
    maxTransitions,
    get bufferBoundHit() {
      return exec.bufferBoundHit;
    },
    initial(out, offset) {
      for (let i = 0; i < L; i++) out[offset + i] = 0;
      model.initial(out, offset);
    },
    enabled: createEnabled(core, exec),
    apply,
    isFinal(s, off) {
      for (let t = 0; t < n; t++) if (!isFinished(s, off, t) || !model.isEmpty(s, off, t)) return false;
      return true;
    },
    observe(s, off, what: IrObservable) {
      switch (what.kind) {
        case 'reg': return s[off + (regBase[what.thread] ?? 0) + what.reg] ?? 0;
        case 'mem': return what.view === undefined ? model.memoryValue(s, off, what.slot) : viewRead(model.memoryValue(s, off, what.slot), what.view.width, what.view.byte);
        default: return assertNever(what);
      }
    },
    race(s, off): RaceReport | null {
      return model.race === null ? null : model.race(s, off);
    },
    describe: describer.describe,
    renderState(s, off) {
      const out = nameRecord<number>();
      for (let slot = 0; slot < program.memorySize; slot++) out[slotName(slot)] = model.memoryValue(s, off, slot);
      program.threads.forEach((th, t) => {
        th.registers.forEach((r, reg) => {
          if (!r.startsWith('$')) out[`${th.name}:${r}`] = s[off + (regBase[t] ?? 0) + reg] ?? 0;
        });
      });
      return out;
    },
    renderBuffers: (s, off) => model.renderBuffers(s, off),
    describeThreads: describer.describeThreads,
  };

  return machine;
};

/** `Machine.enabled`: exec of every thread that may move (one per choice of what a load reads), then the model's memory transitions, then timeouts. */
function createEnabled(core: Core, exec: Exec): Machine['enabled'] {
  const { model, layout } = core;
  const n = core.threads;
  const threadBase = layout.threadBase;
  /** how many writes the load thread t is at may read (1 unless it is a load under a choosing model) */
  const loadChoices = (s: Int32Array, off: number, t: number): number => {
    const instr = core.codes[t]?.[s[off + (threadBase[t] ?? 0) + THREAD_PC] ?? 0];
    if (instr === undefined || instr.kind !== 'load') return 1;
    const slot = exec.slotOf(instr.addr, s, off, t);
    return slot < 0 ? 1 : Math.max(1, model.loadChoices(s, off, t, slot));
  };
  // static: a model without memory transitions (sc, js) and a program without a timed wait skip those loops
  let hasMemoryTransitions = false;
  for (let t = 0; t < n; t++) if (model.maxMemoryTransitions(t) > 0) hasMemoryTransitions = true;
  const hasTimeouts = core.program.threads.some((th) => th.code.some((i) => i.kind === 'wait' && i.timeout !== null));
  return (s, off, out) => {
    let count = 0;
    for (let t = 0; t < n; t++) {
      if (exec.execEnabled(s, off, t)) {
        const choices = model.loadsChoose ? loadChoices(s, off, t) : 1;
        for (let c = 0; c < choices; c++) {
          out[3 * count] = TR.exec;
          out[3 * count + 1] = t;
          out[3 * count + 2] = c;
          count++;
        }
      }
    }
    if (hasMemoryTransitions) for (let t = 0; t < n; t++) count = model.memoryTransitions(s, off, t, out, count);
    if (hasTimeouts) for (let t = 0; t < n; t++) {
      if (exec.hasTimeout(s, off, t)) {
        out[3 * count] = TR.timeout;
        out[3 * count + 1] = t;
        out[3 * count + 2] = 0;
        count++;
      }
    }
    return count;
  };
}

/**
 * The footprint of a transition, for partial-order reduction: the location it reads from and
 * the one it writes to shared memory (a store the model buffers writes neither: it fills the
 * thread's own block, and its drain writes later), FP_SYNC for what moves or waits for other
 * threads or is visible to mutual exclusion (wait, notify, enter, exit, timeouts), FP_MEMORY for
 * a memory transition of the model.
 */
function createFootprint(core: Core): MachineStructure['footprint'] {
  const { layout, model, memoryModel, codes } = core;
  const threadBase = layout.threadBase;
  const slotLoc = new Int32Array(Math.max(1, core.program.memorySize));
  core.locations.forEach((l, i) => {
    for (let k = 0; k < l.size; k++) slotLoc[l.base + k] = i;
  });
  return (s, off, kind, thread, arg, out) => {
    out[FOOTPRINT.read] = -1;
    out[FOOTPRINT.write] = -1;
    out[FOOTPRINT.flags] = 0;
    if (kind === TR.drain) {
      out[FOOTPRINT.write] = slotLoc[model.memoryWrites(s, off, thread, arg)] ?? 0;
      out[FOOTPRINT.flags] = FP_MEMORY;
      return;
    }
    const tb = off + (threadBase[thread] ?? 0);
    const instr = kind === TR.exec && (s[tb + THREAD_WAIT] ?? 0) === 0 ? codes[thread]?.[s[tb + THREAD_PC] ?? 0] : undefined;
    if (instr === undefined) {
      out[FOOTPRINT.flags] = FP_SYNC;
      return;
    }
    switch (instr.kind) {
      case 'load':
      case 'await':
        out[FOOTPRINT.read] = instr.addr.loc;
        return;
      case 'store':
        if (!memoryModel.buffersStore(instr.mode)) out[FOOTPRINT.write] = instr.addr.loc;
        return;
      case 'rmw':
        out[FOOTPRINT.read] = instr.addr.loc;
        out[FOOTPRINT.write] = instr.addr.loc;
        return;
      case 'wait':
      case 'notify':
      case 'enter':
      case 'exit':
        out[FOOTPRINT.flags] = FP_SYNC;
        return;
      case 'assign':
      case 'branch':
      case 'jump':
      case 'skip':
      case 'assert':
      case 'assume':
      case 'block':
      case 'fence':
        return;
      default:
        assertNever(instr);
    }
  };
}
