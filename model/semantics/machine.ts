/**
 * The transition system the checker explores: the contract between the semantics (model/) and
 * the search (checker/). A Machine combines the shared thread semantics with one memory model
 * (model/memory/: a `MemoryModel` of the registry).
 *
 * States are fixed-length Int32Array slices (`stateLength` words), canonical: two states with the
 * same meaning have the same words, so the checker can hash and compare them as raw words.
 * Transitions are data: (kind, thread, arg) triples of integers, never closures.
 *
 * Hot path: `enabled` and `apply` allocate nothing; `describe`, `render*` are for traces (cold).
 */
import type { IrProgram, IrObservable } from '../ir.js';
import type { MemoryModel, ModelInstance, RaceReport } from '../memory/model.js';
import type { ModelName } from '../memory/registry.js';
import type { RuntimeErrorCode } from './eval.js';
import type { Layout } from './layout.js';

export type { RaceReport } from '../memory/model.js';

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
  /** for a run-time error, its catalogued code (R601 index out of bounds, R602 division by zero) */
  readonly errorCode?: RuntimeErrorCode;
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
  /** `value` is the word; `element`, for a narrow view access, the element the thread read from it */
  | { readonly kind: 'read'; readonly slot: number; readonly value: number; readonly element?: number }
  | { readonly kind: 'write'; readonly slot: number; readonly value: number; readonly buffered: boolean }
  | { readonly kind: 'rmw'; readonly slot: number; readonly read: number; readonly written: number | null; readonly element?: number }
  | { readonly kind: 'fence'; readonly mode: string }
  | { readonly kind: 'drain'; readonly slot: number; readonly value: number }
  | { readonly kind: 'notify'; readonly slot: number; readonly woken: readonly number[] };

/** Word offsets of a transition's footprint (written by `MachineStructure.footprint`). */
export const FOOTPRINT = {
  /** the location (IrProgram.locations index) the transition reads from shared memory, -1: none */
  read: 0,
  /** the location it writes to shared memory, -1: none (a buffered store writes only its own buffer) */
  write: 1,
  /** FP_* flags */
  flags: 2,
} as const;
/** Words of a footprint. */
export const FOOTPRINT_WORDS = 3;
/** Footprint flag: the transition synchronises with or moves other threads, or is visible to a property (wait, notify, enter, exit, timeout): it never commutes. */
export const FP_SYNC = 1;
/** Footprint flag: a memory transition of the model (a drain): it empties room in its thread's buffer. */
export const FP_MEMORY = 2;

/**
 * What reductions may know of a machine (checker/por.ts, symmetry.ts, merge.ts, deadRegisters.ts):
 * where the thread semantics keeps each thread's pc and registers, the memory model's static
 * record and its hooks, and the footprint of each transition. They never read the model's words.
 */
export interface MachineStructure {
  /** the state layout (the thread semantics' words; the model's words only by their extent) */
  readonly layout: Layout;
  /** the memory model (static: which stores it buffers, which instructions flush) */
  readonly memoryModel: MemoryModel;
  /** the memory model bound to this layout (its hooks) */
  readonly model: ModelInstance;
  /** write the footprint of transition (kind, thread, arg) in s[off..] into out[0..FOOTPRINT_WORDS) (hot path, allocation-free) */
  footprint(s: Int32Array, off: number, kind: number, thread: number, arg: number, out: Int32Array): void;
}

/** The transition system for one program under one memory model. */
export interface Machine {
  readonly program: IrProgram;
  /** what reductions may know (layout, model hooks, footprints); null for an opaque (hand-made) machine, which the checker explores without reductions and says so */
  readonly structure: MachineStructure | null;
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
  /** true when every thread has finished and the model holds no buffered store */
  isFinal(s: Int32Array, off: number): boolean;
  /** the value of an observable in a (final) state */
  observe(s: Int32Array, off: number, what: IrObservable): number;
  /** the model's race check on a state (js); null when the model has none or there is no race */
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

/** Model names the machine factory accepts (the registry's, model/memory/registry.ts). */
export type MachineModel = ModelName;

/** Factory signature: implemented in model/semantics/createMachine.ts; a model by name or as a record. */
export type CreateMachine = (program: IrProgram, model: MachineModel | MemoryModel, options?: MachineOptions) => Machine;
