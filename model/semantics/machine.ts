/**
 * The transition system the checker explores: the contract between the semantics (model/) and
 * the search (checker/). A Machine combines the shared thread semantics with one memory model
 * (a storage subsystem: sc, tso, pso or js).
 *
 * States are fixed-length Int32Array slices (`stateLength` words), canonical: two states with the
 * same meaning have the same words, so the checker can hash and compare them as raw words.
 * Transitions are data: (kind, thread, arg) triples of integers, never closures.
 *
 * Hot path: `enabled` and `apply` allocate nothing; `describe`, `render*` are for traces (cold).
 */
import type { IrProgram, IrObservable } from '../ir.js';
import type { Layout } from './layout.js';

/** Transition kinds (the first word of a triple). */
export const TR = {
  /** thread `thread` executes its next instruction; arg unused (0) */
  exec: 0,
  /** the oldest buffered store of `thread` reaches memory; arg: the slot (pso: which per-location buffer), -1 under tso */
  drain: 1,
  /** the blocked `wait` of `thread` times out; arg unused */
  timeout: 2,
} as const;
export type TransitionKind = (typeof TR)[keyof typeof TR];

/** What applying a transition produced (besides the next state). */
export const STEP = {
  /** a normal step */
  ok: 0,
  /** an `assume` was false: discard this branch (the next state is not meaningful) */
  pruned: 1,
  /** an `assert` failed; the next state shows the failing thread at the assert */
  assertFailed: 2,
  /** a run-time error (out-of-bounds index, division by zero) */
  runtimeError: 3,
  /** a thread entered a critical region that another thread occupies */
  mutexViolated: 4,
} as const;
export type StepStatus = (typeof STEP)[keyof typeof STEP];

/** Options every machine accepts. */
export interface MachineOptions {
  /** max entries per store buffer (tso: per thread; pso: per thread and location). Default 4. */
  readonly bufferBound?: number;
}

/** A human-readable account of one transition, for counterexample traces. */
export interface StepDescription {
  readonly thread: number;
  /** 'instr' | 'drain' | 'timeout' */
  readonly action: 'instr' | 'drain' | 'timeout';
  /** source text of the instruction, or e.g. "drain x = 1" */
  readonly text: string;
  /** "file:line" of the instruction, '' for drains */
  readonly location: string;
  /** values read and written, e.g. "read y = 0", "write x = 1 (buffered)", "wait → ok" */
  readonly effect: string;
  /** for non-ok statuses, the message (assert message, error text, which region) */
  readonly message: string | null;
  /** the step's memory event as data (for execution graphs); absent when the step touches no memory */
  readonly event?: StepEvent;
}

/**
 * A step's effect on shared memory, structured (cold path; execution graphs build on it).
 * read: a load/await/wait read `value` of `slot`; write: a store (buffered or straight to memory);
 * rmw: a locked read-modify-write (`written` null when a cmpxchg compare failed: no write);
 * fence: a fence; drain: a buffered store of `thread` reached memory; notify: a notify on `slot`
 * that woke the threads `woken` (in the order it woke them; none when nobody was waiting).
 */
export type StepEvent =
  | { readonly kind: 'read'; readonly slot: number; readonly value: number }
  | { readonly kind: 'write'; readonly slot: number; readonly value: number; readonly buffered: boolean }
  | { readonly kind: 'rmw'; readonly slot: number; readonly read: number; readonly written: number | null }
  | { readonly kind: 'fence'; readonly mode: string }
  | { readonly kind: 'drain'; readonly slot: number; readonly value: number }
  | { readonly kind: 'notify'; readonly slot: number; readonly woken: readonly number[] };

/** A data race found in a state (js model): two threads whose next accesses conflict, at least one plain. */
export interface RaceReport {
  readonly threads: readonly [number, number];
  readonly message: string;
}

/** The transition system for one program under one memory model. */
export interface Machine {
  readonly program: IrProgram;
  /** the memory model and the state layout, for reductions (symmetry, partial order); absent on hand-made machines, which then get none */
  readonly model?: MachineModel;
  readonly layout?: Layout;
  /** words per state */
  readonly stateLength: number;
  /** write the initial state into out[offset .. offset+stateLength) */
  initial(out: Int32Array, offset: number): void;
  /**
   * Write the enabled transitions of the state at s[off..] into `out` as (kind, thread, arg)
   * triples, in a deterministic order (threads ascending, exec before drains before timeouts);
   * return how many triples. `out` has room for at least `maxTransitions` triples.
   */
  enabled(s: Int32Array, off: number, out: Int32Array): number;
  /** upper bound on the number of transitions `enabled` can return */
  readonly maxTransitions: number;
  /** apply one transition to s[off..], writing the successor into next[nOff..]; returns a StepStatus */
  apply(s: Int32Array, off: number, kind: number, thread: number, arg: number, next: Int32Array, nOff: number): StepStatus;
  /** true when every thread has finished and (tso/pso) every buffer is empty */
  isFinal(s: Int32Array, off: number): boolean;
  /** true when the state is blocked: not final and no transition enabled (a deadlock) */
  /** the value of an observable in a (final) state */
  observe(s: Int32Array, off: number, what: IrObservable): number;
  /** the js model's race check on a state; null under other models or when there is no race */
  race(s: Int32Array, off: number): RaceReport | null;
  /** true when the last `apply` (or any apply) had to block a store because a buffer was full */
  readonly bufferBoundHit: boolean;
  /** describe a transition from state s (cold path) */
  describe(s: Int32Array, off: number, kind: number, thread: number, arg: number): StepDescription;
  /** every memory word and register, by display name (cold path), e.g. { "x": 1, "a[0]": 0, "P0:r0": 1 } */
  renderState(s: Int32Array, off: number): Record<string, number>;
  /** each thread's store buffer rendered, e.g. ["[x=1, y=2]", "[]"]; [] under sc/js */
  renderBuffers(s: Int32Array, off: number): string[];
  /** per thread: "running at file:line", "blocked in wait on x", "finished" (cold path, for deadlock reports) */
  describeThreads(s: Int32Array, off: number): string[];
}

/** Model names the machine factory accepts. */
export type MachineModel = 'sc' | 'tso' | 'pso' | 'js';

/** Factory signature: implemented in model/semantics/createMachine.ts. */
export type CreateMachine = (program: IrProgram, model: MachineModel, options?: MachineOptions) => Machine;
