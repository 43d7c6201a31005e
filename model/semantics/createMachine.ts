/**
 * The shared thread semantics: builds the Machine (the transition system the checker explores)
 * for one program under one memory model. The thread semantics interprets the IR instruction by
 * instruction; every memory access goes through the model's storage subsystem (model/memory/),
 * which supplies the guards (may it happen now?) and the actions (what it does to memory and the
 * store buffers). The state layout is documented in layout.ts.
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
 * - drain(t, arg): a buffered store reaches memory (tso/pso; see the storage files).
 * - `enter` a region another thread is inside → STEP.mutexViolated (the successor is produced);
 *   `assert` false → STEP.assertFailed (the thread stays at the assert); `assume` false →
 *   STEP.pruned; division by zero or an index out of bounds → STEP.runtimeError (nothing is
 *   written; the successor equals the source state).
 *
 * Hot path: `enabled`, `apply`, `isFinal`, `observe` and (js) `race` allocate nothing.
 */
import { assertNever, rmwResult } from '../ir.js';
import type { IrAddr, IrInstr, IrObservable } from '../ir.js';
import { ADDR_DIV_ZERO, evalAddr, evalExpr } from './eval.js';
import { branchEffect } from './branchText.js';
import { DEFAULT_BUFFER_BOUND, THREAD_PC, THREAD_QPOS, THREAD_WAIT, computeLayout, isBufferedStoreMode } from './layout.js';
import type { Layout } from './layout.js';
import { STEP, TR } from './machine.js';
import type { CreateMachine, Machine, MachineModel, RaceReport, StepDescription, StepEvent, StepStatus } from './machine.js';
import { STORE_GUARD } from '../memory/storage.js';
import type { Storage } from '../memory/storage.js';
import { createScStorage } from '../memory/sc.js';
import { createTsoStorage } from '../memory/tso.js';
import { createPsoStorage } from '../memory/pso.js';
import { createJsStorage, createRaceCheck } from '../memory/js.js';
import { nameRecord } from '../outcome.js';

/** The storage subsystem of a model. */
function storageFor(model: MachineModel, layout: Layout): Storage {
  switch (model) {
    case 'sc': return createScStorage(layout);
    case 'tso': return createTsoStorage(layout);
    case 'pso': return createPsoStorage(layout);
    case 'js': return createJsStorage(layout);
    default: return assertNever(model);
  }
}

/** Build the machine of `program` under `model` (the Machine contract is in machine.ts). */
export const createMachine: CreateMachine = (program, model, options = {}) => {
  const bound = options.bufferBound ?? DEFAULT_BUFFER_BOUND;
  if (!Number.isInteger(bound) || bound < 1) {
    throw new Error(`internal error: bufferBound must be a positive integer, got ${bound} (this is a bug in memweave: options are validated by the caller)`);
  }
  const layout = computeLayout(program, model, bound);
  const storage = storageFor(model, layout);
  const n = program.threads.length;
  const L = layout.length;
  const memBase = layout.memBase;
  const threadBase = layout.threadBase;
  const regBase = layout.regBase;
  const codes: (readonly IrInstr[])[] = program.threads.map((th) => th.code);
  const codeLen = Int32Array.from(program.threads, (th) => th.code.length);
  const locations = program.locations;

  const slotNames: string[] = [];
  for (const loc of locations) {
    for (let i = 0; i < loc.size; i++) slotNames[loc.base + i] = loc.isArray ? `${loc.name}[${i}]` : loc.name;
  }
  const slotName = (slot: number): string => slotNames[slot] ?? `#${slot}`;
  const raceCheck = model === 'js' ? createRaceCheck(program, layout, slotName) : null;

  let maxTransitions = 0;
  for (let t = 0; t < n; t++) maxTransitions += 1 + storage.maxDrains(t);
  maxTransitions = Math.max(1, maxTransitions);

  let bufferBoundHit = false;

  const copy = (s: Int32Array, off: number, next: Int32Array, nOff: number): void => {
    if (s === next && off === nOff) return;
    for (let i = 0; i < L; i++) next[nOff + i] = s[off + i] ?? 0;
  };

  /** slot of an address for thread t in state s (negative ADDR_* code on error) */
  const slotOf = (addr: IrAddr, s: Int32Array, off: number, t: number): number => {
    const loc = locations[addr.loc];
    if (loc === undefined) throw new Error(`internal error: location ${addr.loc} does not exist (this is a bug in memweave)`);
    return evalAddr(addr, loc, s, off + (regBase[t] ?? 0));
  };

  /** guard of exec(t) */
  const execEnabled = (s: Int32Array, off: number, t: number): boolean => {
    const tb = off + (threadBase[t] ?? 0);
    if ((s[tb + THREAD_WAIT] ?? 0) !== 0) return false;
    const pc = s[tb + THREAD_PC] ?? 0;
    const instr = codes[t]?.[pc];
    if (instr === undefined) return false;
    switch (instr.kind) {
      case 'store': {
        const slot = slotOf(instr.addr, s, off, t);
        if (slot < 0) return true; // the error is reported when it executes
        const g = storage.storeGuard(s, off, t, slot, instr.mode);
        if (g === STORE_GUARD.full) {
          bufferBoundHit = true;
          return false;
        }
        return g === STORE_GUARD.enabled;
      }
      case 'rmw':
      case 'wait':
      case 'notify':
        return storage.syncGuard(s, off, t);
      case 'fence':
        return storage.fenceGuard(s, off, t, instr.mode);
      case 'await': {
        const slot = slotOf(instr.addr, s, off, t);
        if (slot < 0) return true;
        const v = storage.read(s, off, t, slot);
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

  const setReg = (next: Int32Array, nOff: number, t: number, reg: number, v: number): void => {
    if (reg >= 0) next[nOff + (regBase[t] ?? 0) + reg] = v;
  };

  /** wake waiter w (a thread blocked in a wait) with result `result`, in the successor */
  const release = (next: Int32Array, nOff: number, w: number, result: number): void => {
    const tb = nOff + (threadBase[w] ?? 0);
    const pc = next[tb + THREAD_PC] ?? 0;
    const instr = codes[w]?.[pc];
    if (instr === undefined || instr.kind !== 'wait') throw new Error('internal error: a waiting thread is not at a wait (this is a bug in memweave)');
    next[tb + THREAD_WAIT] = 0;
    next[tb + THREAD_QPOS] = 0;
    next[tb + THREAD_PC] = pc + 1;
    setReg(next, nOff, w, instr.dst, result);
  };

  const execApply = (s: Int32Array, off: number, t: number, next: Int32Array, nOff: number): StepStatus => {
    const tbS = off + (threadBase[t] ?? 0);
    const rb = off + (regBase[t] ?? 0);
    const pc = s[tbS + THREAD_PC] ?? 0;
    const instr = codes[t]?.[pc];
    if (instr === undefined || (s[tbS + THREAD_WAIT] ?? 0) !== 0) {
      throw new Error(`internal error: exec of thread ${t}, which is finished or waiting (this is a bug in memweave)`);
    }
    copy(s, off, next, nOff);
    const pcAt = nOff + (threadBase[t] ?? 0) + THREAD_PC;
    switch (instr.kind) {
      case 'load': {
        const slot = slotOf(instr.addr, s, off, t);
        if (slot < 0) return STEP.runtimeError;
        setReg(next, nOff, t, instr.dst, storage.read(s, off, t, slot));
        break;
      }
      case 'store': {
        const slot = slotOf(instr.addr, s, off, t);
        const v = evalExpr(instr.value, s, rb, -1, 0);
        if (slot < 0 || v !== v) return STEP.runtimeError;
        storage.store(next, nOff, t, slot, v, instr.mode);
        break;
      }
      case 'rmw': {
        const slot = slotOf(instr.addr, s, off, t);
        const operand = evalExpr(instr.value, s, rb, -1, 0);
        const expected = instr.expected === null ? 0 : evalExpr(instr.expected, s, rb, -1, 0);
        if (slot < 0 || operand !== operand || expected !== expected) return STEP.runtimeError;
        const old = s[off + memBase + slot] ?? 0;
        next[nOff + memBase + slot] = rmwResult(instr.op, old, operand, expected);
        setReg(next, nOff, t, instr.dst, old);
        break;
      }
      case 'fence':
        storage.fence(next, nOff, t, instr.mode);
        break;
      case 'wait': {
        const slot = slotOf(instr.addr, s, off, t);
        const expected = evalExpr(instr.expected, s, rb, -1, 0);
        const timeout = instr.timeout === null ? 0 : evalExpr(instr.timeout, s, rb, -1, 0);
        if (slot < 0 || expected !== expected || timeout !== timeout) return STEP.runtimeError;
        if ((s[off + memBase + slot] ?? 0) !== expected) {
          setReg(next, nOff, t, instr.dst, 1);
          break;
        }
        let queued = 0;
        for (let w = 0; w < n; w++) if ((s[off + (threadBase[w] ?? 0) + THREAD_WAIT] ?? 0) === slot + 1) queued++;
        const tbN = nOff + (threadBase[t] ?? 0);
        next[tbN + THREAD_WAIT] = slot + 1;
        next[tbN + THREAD_QPOS] = queued;
        return STEP.ok; // pc stays at the wait until woken or timed out
      }
      case 'notify': {
        const slot = slotOf(instr.addr, s, off, t);
        const count = instr.count === null ? 0x7fffffff : evalExpr(instr.count, s, rb, -1, 0);
        if (slot < 0 || count !== count) return STEP.runtimeError;
        let queued = 0;
        for (let w = 0; w < n; w++) if ((s[off + (threadBase[w] ?? 0) + THREAD_WAIT] ?? 0) === slot + 1) queued++;
        const k = Math.min(Math.max(count, 0), queued);
        for (let w = 0; w < n; w++) {
          const tb = nOff + (threadBase[w] ?? 0);
          if ((next[tb + THREAD_WAIT] ?? 0) !== slot + 1) continue;
          const p = next[tb + THREAD_QPOS] ?? 0;
          if (p < k) release(next, nOff, w, 0);
          else next[tb + THREAD_QPOS] = p - k;
        }
        setReg(next, nOff, t, instr.dst, k);
        break;
      }
      case 'await': {
        const slot = slotOf(instr.addr, s, off, t);
        if (slot < 0) return STEP.runtimeError;
        const v = storage.read(s, off, t, slot);
        const c = evalExpr(instr.cond, s, rb, instr.dst, v);
        if (c !== c) return STEP.runtimeError;
        setReg(next, nOff, t, instr.dst, v);
        break;
      }
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
      case 'assert': {
        const c = evalExpr(instr.cond, s, rb, -1, 0);
        if (c !== c) return STEP.runtimeError;
        if (c === 0) return STEP.assertFailed;
        break;
      }
      case 'assume': {
        const c = evalExpr(instr.cond, s, rb, -1, 0);
        if (c !== c) return STEP.runtimeError;
        if (c === 0) return STEP.pruned;
        break;
      }
      case 'enter': {
        const g = off + layout.regionBase + instr.region * n;
        let occupied = false;
        for (let w = 0; w < n; w++) if (w !== t && (s[g + w] ?? 0) > 0) occupied = true;
        const at = nOff + layout.regionBase + instr.region * n + t;
        next[at] = (next[at] ?? 0) + 1;
        next[pcAt] = pc + 1;
        return occupied ? STEP.mutexViolated : STEP.ok;
      }
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
    next[pcAt] = pc + 1;
    return STEP.ok;
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

  const apply = (s: Int32Array, off: number, kind: number, thread: number, arg: number, next: Int32Array, nOff: number): StepStatus => {
    switch (kind) {
      case TR.exec:
        return execApply(s, off, thread, next, nOff);
      case TR.drain:
        copy(s, off, next, nOff);
        storage.drain(next, nOff, thread, arg);
        return STEP.ok;
      case TR.timeout:
        return timeoutApply(s, off, thread, next, nOff);
      default:
        throw new Error(`internal error: unknown transition kind ${kind} (this is a bug in memweave)`);
    }
  };

  const isFinished = (s: Int32Array, off: number, t: number): boolean => (s[off + (threadBase[t] ?? 0) + THREAD_PC] ?? 0) >= (codeLen[t] ?? 0);

  // ---------------------------------------------------------------- cold path

  const lineOf = (instr: IrInstr): string => `${program.file}:${instr.origin.span.line}`;
  const regName = (t: number, reg: number): string => program.threads[t]?.registers[reg] ?? `r#${reg}`;

  /** why an instruction cannot run: the text of a runtime error in it, given it failed */
  const runtimeErrorText = (instr: IrInstr, s: Int32Array, off: number, t: number): string => {
    if ('addr' in instr) {
      const slot = slotOf(instr.addr, s, off, t);
      const loc = locations[instr.addr.loc];
      if (slot === ADDR_DIV_ZERO) return 'division by zero in an array index';
      if (slot < 0 && loc !== undefined) {
        const i = evalExpr(instr.addr.index, s, off + (regBase[t] ?? 0), -1, 0);
        return `index ${i} out of bounds for ${loc.name}[${loc.size}]`;
      }
    }
    return 'division by zero';
  };

  const describeExec = (s: Int32Array, off: number, t: number): StepDescription => {
    const tb = off + (threadBase[t] ?? 0);
    const pc = s[tb + THREAD_PC] ?? 0;
    const instr = codes[t]?.[pc];
    if (instr === undefined) throw new Error(`internal error: describe of finished thread ${t} (this is a bug in memweave)`);
    const next = new Int32Array(L);
    const status = execApply(s, off, t, next, 0);
    const base = { thread: t, action: 'instr' as const, text: instr.origin.text, location: lineOf(instr) };
    if (status === STEP.runtimeError) return { ...base, effect: 'run-time error', message: runtimeErrorText(instr, s, off, t) };
    const slot = 'addr' in instr ? slotOf(instr.addr, s, off, t) : -1;
    const name = slotName(slot);
    const nreg = (reg: number): number => next[(regBase[t] ?? 0) + reg] ?? 0;
    let effect = '';
    let message: string | null = null;
    let event: StepEvent | null = null;
    switch (instr.kind) {
      case 'load':
      case 'await': {
        const value = storage.read(s, off, t, slot);
        effect = `read ${name} = ${value}`;
        event = { kind: 'read', slot, value };
        break;
      }
      case 'store': {
        const v = evalExpr(instr.value, s, off + (regBase[t] ?? 0), -1, 0);
        const buffered = isBufferedStoreMode(model, instr.mode);
        effect = `write ${name} = ${v}${buffered ? ' (buffered)' : ''}`;
        event = { kind: 'write', slot, value: v, buffered };
        break;
      }
      case 'rmw': {
        const old = s[off + memBase + slot] ?? 0;
        const now = next[memBase + slot] ?? 0;
        const failed = instr.op === 'cmpxchg' && now === old && evalExpr(instr.value, s, off + (regBase[t] ?? 0), -1, 0) !== old;
        effect = failed ? `read ${name} = ${old} (compare failed, no write)` : `read ${name} = ${old}, write ${name} = ${now}`;
        event = { kind: 'rmw', slot, read: old, written: failed ? null : now };
        break;
      }
      case 'fence':
        effect = `fence.${instr.mode}`;
        event = { kind: 'fence', mode: instr.mode };
        break;
      case 'wait': {
        event = { kind: 'read', slot, value: s[off + memBase + slot] ?? 0 };
        const waiting = next[(threadBase[t] ?? 0) + THREAD_WAIT] ?? 0;
        effect = waiting !== 0
          ? `wait on ${name}: ${name} = ${s[off + memBase + slot] ?? 0}, blocked (queue position ${next[(threadBase[t] ?? 0) + THREAD_QPOS] ?? 0})`
          : `wait on ${name}: ${name} = ${s[off + memBase + slot] ?? 0} → not_equal`;
        break;
      }
      case 'notify': {
        // in wake order: queue position in the state before
        const woken: number[] = [];
        for (let w = 0; w < n; w++) {
          if ((s[off + (threadBase[w] ?? 0) + THREAD_WAIT] ?? 0) !== 0 && (next[(threadBase[w] ?? 0) + THREAD_WAIT] ?? 0) === 0) woken.push(w);
        }
        woken.sort((a, b) => (s[off + (threadBase[a] ?? 0) + THREAD_QPOS] ?? 0) - (s[off + (threadBase[b] ?? 0) + THREAD_QPOS] ?? 0));
        const names = woken.map((w) => program.threads[w]?.name ?? `#${w}`);
        effect = `notify ${name}: woke ${woken.length}${woken.length > 0 ? ` (${names.join(', ')})` : ''}`;
        event = { kind: 'notify', slot, woken };
        break;
      }
      case 'assign':
        effect = `${regName(t, instr.dst)} = ${nreg(instr.dst)}`;
        break;
      case 'branch':
        effect = branchEffect(codes[t] ?? [], pc, (next[(threadBase[t] ?? 0) + THREAD_PC] ?? 0) === instr.target && instr.target !== pc + 1);
        break;
      case 'assert':
        effect = status === STEP.assertFailed ? 'assertion failed' : 'assertion holds';
        if (status === STEP.assertFailed) message = instr.message;
        break;
      case 'assume':
        effect = status === STEP.pruned ? 'assumption false: execution discarded' : 'assumption holds';
        if (status === STEP.pruned) message = 'assume failed';
        break;
      case 'enter':
      case 'exit': {
        const region = program.regions[instr.region] ?? '';
        const label = region === '' ? 'the critical region' : `critical region ${region}`;
        effect = `${instr.kind} ${label}`;
        if (status === STEP.mutexViolated) {
          const inside: string[] = [];
          for (let w = 0; w < n; w++) if (w !== t && (s[off + layout.regionBase + instr.region * n + w] ?? 0) > 0) inside.push(program.threads[w]?.name ?? `#${w}`);
          message = `${program.threads[t]?.name ?? t} entered ${label} while ${inside.join(', ')} ${inside.length > 1 ? 'are' : 'is'} inside`;
        }
        break;
      }
      case 'jump':
      case 'block':
      case 'skip':
        break;
      default:
        return assertNever(instr);
    }
    return event === null ? { ...base, effect, message } : { ...base, effect, message, event };
  };

  const machine: Machine = {
    program,
    model,
    layout,
    stateLength: L,
    maxTransitions,
    get bufferBoundHit() {
      return bufferBoundHit;
    },
    initial(out, offset) {
      for (let i = 0; i < L; i++) out[offset + i] = 0;
      for (const loc of locations) for (let i = 0; i < loc.size; i++) out[offset + memBase + loc.base + i] = (loc.init[i] ?? 0) | 0;
    },
    enabled(s, off, out) {
      let count = 0;
      for (let t = 0; t < n; t++) {
        if (execEnabled(s, off, t)) {
          out[3 * count] = TR.exec;
          out[3 * count + 1] = t;
          out[3 * count + 2] = 0;
          count++;
        }
      }
      for (let t = 0; t < n; t++) count = storage.drains(s, off, t, out, count);
      for (let t = 0; t < n; t++) {
        if (hasTimeout(s, off, t)) {
          out[3 * count] = TR.timeout;
          out[3 * count + 1] = t;
          out[3 * count + 2] = 0;
          count++;
        }
      }
      return count;
    },
    apply,
    isFinal(s, off) {
      for (let t = 0; t < n; t++) if (!isFinished(s, off, t) || !storage.isEmpty(s, off, t)) return false;
      return true;
    },
    observe(s, off, what: IrObservable) {
      switch (what.kind) {
        case 'reg': return s[off + (regBase[what.thread] ?? 0) + what.reg] ?? 0;
        case 'mem': return s[off + memBase + what.slot] ?? 0;
        default: return assertNever(what);
      }
    },
    race(s, off): RaceReport | null {
      return raceCheck === null ? null : raceCheck(s, off);
    },
    describe(s, off, kind, thread, arg) {
      switch (kind) {
        case TR.exec:
          return describeExec(s, off, thread);
        case TR.drain: {
          const e = storage.drainEntry(s, off, thread, arg);
          const what = e === null ? '(nothing buffered)' : `${slotName(e.slot)} = ${e.value}`;
          const d: StepDescription = { thread, action: 'drain', text: `drain ${what}`, location: '', effect: `write ${what}`, message: null };
          return e === null ? d : { ...d, event: { kind: 'drain', slot: e.slot, value: e.value } };
        }
        case TR.timeout: {
          const tb = off + (threadBase[thread] ?? 0);
          const instr = codes[thread]?.[s[tb + THREAD_PC] ?? 0];
          const slot = (s[tb + THREAD_WAIT] ?? 0) - 1;
          return {
            thread, action: 'timeout', text: instr?.origin.text ?? 'wait', location: instr === undefined ? '' : lineOf(instr),
            effect: `wait on ${slotName(slot)} → timed_out`, message: null,
          };
        }
        default:
          throw new Error(`internal error: unknown transition kind ${kind} (this is a bug in memweave)`);
      }
    },
    renderState(s, off) {
      const out = nameRecord<number>();
      for (let slot = 0; slot < program.memorySize; slot++) out[slotName(slot)] = s[off + memBase + slot] ?? 0;
      program.threads.forEach((th, t) => {
        th.registers.forEach((r, reg) => {
          if (!r.startsWith('$')) out[`${th.name}:${r}`] = s[off + (regBase[t] ?? 0) + reg] ?? 0;
        });
      });
      return out;
    },
    renderBuffers(s, off) {
      if (model === 'sc' || model === 'js') return [];
      // pso: ' | ' marks a StoreStore barrier (entries after it drain after the ones before it)
      return program.threads.map((_, t) => `[${storage.entries(s, off, t).map((e, i, all) => `${i === 0 ? '' : e.epoch !== all[i - 1]?.epoch ? ' | ' : ', '}${slotName(e.slot)}=${e.value}`).join('')}]`);
    },
    describeThreads(s, off) {
      return program.threads.map((th, t) => {
        const tb = off + (threadBase[t] ?? 0);
        const instr = th.code[s[tb + THREAD_PC] ?? 0];
        if (instr === undefined) return storage.isEmpty(s, off, t) ? 'finished' : 'finished (stores still buffered)';
        const at = lineOf(instr);
        const waiting = s[tb + THREAD_WAIT] ?? 0;
        if (waiting !== 0) return `blocked in wait on ${slotName(waiting - 1)} at ${at}`;
        if (execEnabled(s, off, t)) return `running at ${at}`;
        switch (instr.kind) {
          case 'await': return `blocked in await on ${slotName(slotOf(instr.addr, s, off, t))} at ${at} (condition false)`;
          case 'block': return `blocked at ${at} (condition false)`;
          case 'store': {
            const slot = slotOf(instr.addr, s, off, t);
            return storage.storeGuard(s, off, t, slot, instr.mode) === STORE_GUARD.full
              ? `blocked at ${at} (store buffer full)`
              : `blocked at ${at} (waiting for its buffered stores to drain)`;
          }
          default: return `blocked at ${at} (waiting for its buffered stores to drain)`;
        }
      });
    },
  };
  return machine;
};
