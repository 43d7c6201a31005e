/**
 * Partial-order reduction for the stateful search: single-transition ample sets (Peled 1993;
 * Godefroid, "Partial-Order Methods for the Verification of Concurrent Systems", LNCS 1032, 1996,
 * persistent sets; Clarke, Grumberg & Peled, "Model Checking", ch. 10, conditions C0–C3).
 *
 * At a state, `choose` names one enabled transition that is, on its own, a persistent set: every
 * transition any thread can execute before it (whatever the interleaving, as long as it is not
 * taken) is independent of it — it neither enables nor disables it, commutes with it, and leaves
 * every step status (assert, mutex, run-time error) unchanged. The search (check.ts) then takes
 * only that transition, unless
 *   - its step status is not ok (an assert/assume/run-time error/mutex step ends the branch, so
 *     the other threads must still be explored from here), or
 *   - its successor was already stored (the cycle proviso C3 in its conservative form: every
 *     cycle of the reduced graph closes on an already-stored state, so every cycle has a fully
 *     expanded state, and no transition is ignored forever),
 * in which case the state is fully expanded.
 *
 * Which transitions qualify (thread A, static over-approximation of what the other threads can
 * still do: per thread and pc, the locations it may read / write from that pc onward along its
 * control-flow graph, plus the stores sitting in their buffers):
 *   - exec of assign, branch, jump, skip, assert, assume, block, fence: they touch only A's
 *     registers and pc (a fence only waits for A's own buffer, which no other thread fills);
 *   - exec of a store that is buffered (tso/pso, mode ≠ sc): it only appends to A's buffer,
 *     which no other thread reads; A's own drains commute with it;
 *   - exec of a load or await of location X when no other thread can write X from now on (and
 *     none has X buffered): the value read cannot change, A's own drains keep it;
 *   - exec of an sc/unbuffered store or RMW to X, and a drain of A's store to X, when no other
 *     thread can read or write X from now on (and none has X buffered); for a drain, also only
 *     when A cannot fill its buffer and block at a store before its next locked operation or
 *     full fence (so the buffer-bound warning, bufferBoundHit, is exactly that of the full search);
 *   - never: wait, notify (they move other threads), enter/exit (visible to mutual exclusion),
 *     timeouts.
 *
 * Why every property survives: terminal states (final states and deadlocks) are all kept by any
 * persistent-set search, so outcomes, witness counts, the final condition and deadlock are exact;
 * a violating step (assert, run-time error, mutex) can be commuted to the front of a path
 * because the postponed transitions do not change statuses; a data race (js) between two other
 * threads survives an ample step of A, which changes neither of them; with the cycle proviso,
 * a livelocked (doomed) region reachable in the full graph is entered by the reduced one, and a
 * state of the reduced graph can reach an end there iff it can in the full graph. Counterexample
 * traces are real executions, but under --bfs shortest only within the reduced graph.
 *
 * Hot path: `choose` allocates nothing.
 */
import type { IrInstr, IrProgram } from '../model/ir.js';
import type { MemoryModel } from '../model/memory/model.js';
import { THREAD_PC } from '../model/semantics/layout.js';
import { FOOTPRINT, FOOTPRINT_WORDS, FP_MEMORY, FP_SYNC, type Machine, type MachineStructure } from '../model/semantics/machine.js';

/** A partial-order reducer for one machine. */
export interface Por {
  /** the index among the `n` enabled triples in `trans` of a transition that alone is a persistent set at s[off..], or -1 */
  choose(s: Int32Array, off: number, trans: Int32Array, n: number): number;
}

/** The location an instruction reads and the one it writes (-1: none). */
function accessOf(instr: IrInstr): { readonly read: number; readonly write: number } {
  switch (instr.kind) {
    case 'load':
    case 'await':
    case 'wait':
      return { read: instr.addr.loc, write: -1 };
    case 'store':
      return { read: -1, write: instr.addr.loc };
    case 'rmw':
      return { read: instr.addr.loc, write: instr.addr.loc };
    default:
      return { read: -1, write: -1 };
  }
}

/**
 * Per thread and pc, bit sets of the locations the thread may read / access (read or write)
 * from that pc on: `words` Int32 words per pc, pc = code.length (finished) is empty.
 */
export function futureAccess(program: IrProgram): { readonly words: number; readonly reads: Int32Array[]; readonly writes: Int32Array[]; readonly accesses: Int32Array[] } {
  const W = Math.max(1, Math.ceil(program.locations.length / 32));
  const reads: Int32Array[] = [];
  const writes: Int32Array[] = [];
  const accesses: Int32Array[] = [];
  for (const th of program.threads) {
    const len = th.code.length;
    const r = new Int32Array((len + 1) * W);
    const w = new Int32Array((len + 1) * W);
    let changed = true;
    while (changed) {
      changed = false;
      for (let pc = len - 1; pc >= 0; pc--) {
        const instr = th.code[pc] as IrInstr;
        const succ1 = instr.kind === 'jump' ? instr.target : pc + 1;
        const succ2 = instr.kind === 'branch' ? instr.target : -1;
        const acc = accessOf(instr);
        for (let k = 0; k < W; k++) {
          let rv = r[pc * W + k] as number;
          let wv = w[pc * W + k] as number;
          const nr = rv | (succ1 >= 0 && succ1 <= len ? (r[succ1 * W + k] as number) : 0) | (succ2 >= 0 && succ2 <= len ? (r[succ2 * W + k] as number) : 0);
          const nw = wv | (succ1 >= 0 && succ1 <= len ? (w[succ1 * W + k] as number) : 0) | (succ2 >= 0 && succ2 <= len ? (w[succ2 * W + k] as number) : 0);
          rv = nr;
          wv = nw;
          if (acc.read >= 0 && acc.read >>> 5 === k) rv |= 1 << (acc.read & 31);
          if (acc.write >= 0 && acc.write >>> 5 === k) wv |= 1 << (acc.write & 31);
          if (rv !== r[pc * W + k] || wv !== w[pc * W + k]) {
            r[pc * W + k] = rv;
            w[pc * W + k] = wv;
            changed = true;
          }
        }
      }
    }
    const a = new Int32Array((len + 1) * W);
    for (let i = 0; i < a.length; i++) a[i] = (r[i] as number) | (w[i] as number);
    reads.push(r);
    writes.push(w);
    accesses.push(a);
  }
  return { words: W, reads, writes, accesses };
}

/**
 * Per thread and pc: the most buffered stores the thread can execute from that pc before it must
 * wait for an empty buffer (an instruction the model says flushes: a locked operation or full
 * fence), capped at `cap` (cap means "cap or more", e.g. a loop of stores).
 */
export function storesBeforeBarrier(program: IrProgram, model: Pick<MemoryModel, 'buffersStore' | 'flushes'>, cap: number): Int32Array[] {
  return program.threads.map((th) => {
    const len = th.code.length;
    const m = new Int32Array(len + 1);
    let changed = true;
    while (changed) {
      changed = false;
      for (let pc = len - 1; pc >= 0; pc--) {
        const instr = th.code[pc] as IrInstr;
        let v = 0;
        if (!model.flushes(instr)) {
          const succ1 = instr.kind === 'jump' ? instr.target : pc + 1;
          const succ2 = instr.kind === 'branch' ? instr.target : -1;
          const next = Math.max(succ1 >= 0 && succ1 <= len ? (m[succ1] as number) : 0, succ2 >= 0 && succ2 <= len ? (m[succ2] as number) : 0);
          v = Math.min(cap, next + (instr.kind === 'store' && model.buffersStore(instr.mode) ? 1 : 0));
        }
        if (v !== m[pc]) {
          m[pc] = v;
          changed = true;
        }
      }
    }
    return m;
  });
}

/** Set up partial-order reduction for a machine, or null when it is opaque (hand-made machines expose no structure). */
export function porFor(machine: Machine): Por | null {
  return machine.structure === null ? null : createPor(machine.program, machine.structure);
}

/** The reducer for a program over a machine's structure (thread layout, model hooks, footprints). */
export function createPor(program: IrProgram, structure: MachineStructure): Por {
  const { layout, model, memoryModel, footprint } = structure;
  const n = program.threads.length;
  const codeLen = Int32Array.from(program.threads, (t) => t.code.length);
  const threadBase = layout.threadBase;
  const { words: W, writes, accesses } = futureAccess(program);
  const maxStores = storesBeforeBarrier(program, memoryModel, layout.bufferBound + 1);
  // each location's slot range
  const locBase = Int32Array.from(program.locations, (l) => l.base);
  const locEnd = Int32Array.from(program.locations, (l) => l.base + l.size);
  const fp = new Int32Array(FOOTPRINT_WORDS);

  /** true when a thread other than `a` may, from its current pc, touch location `loc` (sets: writes or accesses), or holds a buffered store to it */
  const othersMay = (s: Int32Array, off: number, a: number, loc: number, sets: readonly Int32Array[]): boolean => {
    const k = loc >>> 5;
    const bit = 1 << (loc & 31);
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      const pc = s[off + (threadBase[b] as number) + THREAD_PC] as number;
      const row = (sets[b] as Int32Array)[(pc <= (codeLen[b] as number) ? pc : (codeLen[b] as number)) * W + k] as number;
      if ((row & bit) !== 0) return true;
    }
    const lo = locBase[loc] as number;
    const hi = locEnd[loc] as number;
    for (let b = 0; b < n; b++) if (b !== a && model.holdsStoreTo(s, off, b, lo, hi)) return true;
    return false;
  };

  /**
   * Could thread a, without its memory transition, fill its buffer and then block at a store
   * (which the unreduced search reports as bufferBoundHit)? Then that transition is not an ample
   * set for that flag. It needs more buffered stores before a flush than the buffer has room for.
   */
  const couldFill = (s: Int32Array, off: number, a: number): boolean => {
    const pc = s[off + (threadBase[a] as number) + THREAD_PC] as number;
    return ((maxStores[a] as Int32Array)[pc] as number) > model.bufferRoom(s, off, a);
  };

  return {
    choose(s, off, trans, count) {
      for (let i = 0; i < count; i++) {
        const a = trans[3 * i + 1] as number;
        footprint(s, off, trans[3 * i] as number, a, trans[3 * i + 2] as number, fp);
        const flags = fp[FOOTPRINT.flags] as number;
        if ((flags & FP_SYNC) !== 0) continue;
        const read = fp[FOOTPRINT.read] as number;
        const write = fp[FOOTPRINT.write] as number;
        if (write >= 0) {
          if (othersMay(s, off, a, write, accesses)) continue;
        } else if (read >= 0 && othersMay(s, off, a, read, writes)) continue;
        if ((flags & FP_MEMORY) !== 0 && couldFill(s, off, a)) continue;
        return i;
      }
      return -1;
    },
  };
}
