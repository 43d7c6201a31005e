/**
 * The reductions of the stateful search, set up once per machine, and the one reduction chain
 * that brings a state to the form the search stores: apply a transition, then statement merging
 * (merge.ts: the thread-local instructions after the step), then dead-register reset
 * (deadRegisters.ts), then symmetry (symmetry.ts: the canonical representative). Every place that
 * needs a stored form — the search's expansion, its root, the rebuilding of a state under hash
 * compaction, the livelock check's steps, and the trace builder's abstraction of a real state —
 * goes through this chain, so they cannot drift apart.
 *
 * Partial-order reduction (por.ts) chooses which transitions to take, not what a state becomes:
 * it is set up here, used by the search.
 *
 * Hot path: `step` allocates nothing.
 */
import { STEP, TR, type Machine, type StepStatus } from '../model/semantics/machine.js';
import type { CheckOptions } from './api.js';
import { deadRegistersFor, type DeadRegisters } from './deadRegisters.js';
import { mergerFor, type Merger } from './merge.js';
import { porFor, type Por } from './por.js';
import { symmetryFor, type Symmetry } from './symmetry.js';

/** The reductions switched on for one machine, with the status line of each for the statistics. */
export interface Reductions {
  readonly sym: Symmetry | null;
  readonly por: Por | null;
  readonly dead: DeadRegisters | null;
  readonly merge: Merger | null;
  readonly symmetryStatus: string;
  readonly porStatus: string;
  readonly deadStatus: string;
  /** a notify moves the threads it wakes: dead registers are then reset in every thread after any step */
  readonly resetAfterAny: boolean;
}

/** Set up the reductions the options ask for (each on by default where it applies). */
export function setUpReductions(machine: Machine, options: Pick<CheckOptions<string>, 'symmetry' | 'por' | 'deadRegisters'>): Reductions {
  const symSetup = options.symmetry === false ? null : symmetryFor(machine, options.deadRegisters !== false);
  const sym = symSetup !== null && symSetup.kind === 'on' ? symSetup.symmetry : null;
  const por = options.por === false ? null : porFor(machine);
  const dead = options.deadRegisters === false ? null : deadRegistersFor(machine);
  return {
    sym,
    por,
    dead,
    // statement merging goes with partial-order reduction (as in SPIN)
    merge: options.por === false ? null : mergerFor(machine),
    symmetryStatus: symSetup === null ? 'off (--no-symmetry)' : symSetup.kind === 'on' ? 'on' : symSetup.status,
    porStatus: options.por === false ? 'off (--no-por)' : por === null ? 'n/a (an opaque machine: no footprints)' : 'on',
    deadStatus: options.deadRegisters === false ? 'off (--no-dead-registers)' : dead === null ? 'n/a' : 'on',
    resetAfterAny: machine.program.threads.some((th) => th.code.some((i) => i.kind === 'notify')),
  };
}

/** What the chain did, for the statistics. */
export interface ChainCounters {
  /** thread-local instructions merged into the steps before them */
  mergedSteps: number;
  /** successor states in which dead-register reset cleared a stale value */
  deadCleared: number;
}

/** The reduction chain over one machine. */
export interface Chain {
  /** write the stored form of the initial state into out[0..] (merged, dead registers reset, canonical) */
  initial(out: Int32Array): void;
  /** apply (kind, thread, arg) to src[sOff..], writing the successor into dst[0..]; an ok successor is brought to its stored form */
  step(src: Int32Array, sOff: number, kind: number, thread: number, arg: number, dst: Int32Array): StepStatus;
  /** after an ok step of `thread` by a transition of `kind`: merged local steps, dead registers reset (no canonicalisation) */
  normalize(dst: Int32Array, kind: number, thread: number): void;
  /** a real state as the search abstracts it before canonicalising: dead registers zeroed (in place) */
  abstract(s: Int32Array, off: number): void;
}

/** The chain of `reductions` over `machine`; `counters` (when given) accumulate what it did. */
export function createChain(machine: Machine, reductions: Reductions, counters: ChainCounters | null): Chain {
  const { sym, dead, merge, resetAfterAny } = reductions;
  const normalize = (dst: Int32Array, kind: number, thread: number): void => {
    if (merge !== null && kind !== TR.drain) {
      const k = merge.run(dst, 0, thread);
      if (counters !== null) counters.mergedSteps += k;
    }
    if (dead !== null) {
      // a notify moves the threads it wakes, too
      const cleared = resetAfterAny ? dead.resetAll(dst, 0) : dead.reset(dst, 0, thread);
      if (cleared > 0 && counters !== null) counters.deadCleared++;
    }
  };
  return {
    initial(out) {
      machine.initial(out, 0);
      if (merge !== null) {
        const k = merge.runAll(out, 0);
        if (counters !== null) counters.mergedSteps += k;
      }
      dead?.resetAll(out, 0);
      sym?.canonicalize(out, 0);
    },
    step(src, sOff, kind, thread, arg, dst) {
      const status = machine.apply(src, sOff, kind, thread, arg, dst, 0);
      // a mutual-exclusion violation is reported, and the execution goes on from its successor
      if (status === STEP.ok || status === STEP.mutexViolated) {
        normalize(dst, kind, thread);
        if (sym !== null) sym.canonicalize(dst, 0);
      }
      return status;
    },
    normalize,
    abstract(s, off) {
      dead?.resetAll(s, off);
    },
  };
}
