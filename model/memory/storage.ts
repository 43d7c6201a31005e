/**
 * The storage-subsystem interface: what a memory model contributes to the machine. The thread
 * semantics (model/semantics/createMachine.ts) decides *what* a thread does next; the storage
 * subsystem decides *when* a memory operation may happen (guards) and *what* it does to the
 * memory words and store buffers of the state (actions). Guards never write; actions are only
 * called after their guard held, on the successor state being built (already a copy of the
 * source state). This mirrors rmem's storage subsystems: a record of functions, transitions as data.
 *
 * Hot path: every function here is allocation-free except `entries` and `drainEntry` (cold).
 */
import type { Mode } from '../ir.js';
import type { MachineModel } from '../semantics/machine.js';
import type { Layout } from '../semantics/layout.js';

/** Results of a store's guard. */
export const STORE_GUARD = {
  /** the store may happen now */
  enabled: 0,
  /** the store must wait until the thread's own buffer(s) drain (tso/pso: a locked `sc` store) */
  blocked: 1,
  /** the store must wait because its buffer is at the bound (an artefact of bounding: reported) */
  full: 2,
} as const;
/** One of the STORE_GUARD values. */
export type StoreGuard = (typeof STORE_GUARD)[keyof typeof STORE_GUARD];

/** A buffered store, for traces (cold). */
export interface BufferEntry {
  readonly slot: number;
  readonly value: number;
  /** pso only: StoreStore barriers before it; it drains after every entry of a lower epoch */
  readonly epoch?: number;
}

/** One memory model's storage subsystem, bound to one program layout. */
export interface Storage {
  readonly model: MachineModel;
  /** most drain transitions one thread can have enabled at once */
  maxDrains(thread: number): number;
  /** the value a load of `slot` by `thread` reads (own newest buffered store, else memory); no guard */
  read(s: Int32Array, off: number, thread: number, slot: number): number;
  /** guard of a store */
  storeGuard(s: Int32Array, off: number, thread: number, slot: number, mode: Mode): StoreGuard;
  /** action of a store (after its guard was `enabled`) on the successor n; returns true when the store was buffered */
  store(n: Int32Array, nOff: number, thread: number, slot: number, value: number, mode: Mode): boolean;
  /** guard of an operation that acts on memory directly (RMW, wait, notify): true when it may happen now */
  syncGuard(s: Int32Array, off: number, thread: number): boolean;
  /** guard of a fence: true when it may happen now */
  fenceGuard(s: Int32Array, off: number, thread: number, mode: Mode): boolean;
  /** action of a fence (after its guard held) on the successor n (pso: fence.rel/acq_rel record a StoreStore barrier; else nothing) */
  fence(n: Int32Array, nOff: number, thread: number, mode: Mode): void;
  /** write this thread's enabled drains into out at triple index `count` as (TR.drain, thread, arg); returns the new count */
  drains(s: Int32Array, off: number, thread: number, out: Int32Array, count: number): number;
  /** action of a drain (arg as produced by `drains`) on the successor n */
  drain(n: Int32Array, nOff: number, thread: number, arg: number): void;
  /** true when `thread` has no buffered store */
  isEmpty(s: Int32Array, off: number, thread: number): boolean;
  /** the thread's buffered stores, oldest first (pso: by epoch, then grouped by slot) (cold) */
  entries(s: Int32Array, off: number, thread: number): BufferEntry[];
  /** the store the drain (thread, arg) moves to memory, or null if that drain is not enabled (cold) */
  drainEntry(s: Int32Array, off: number, thread: number, arg: number): BufferEntry | null;
}

/** A storage subsystem factory: one per model file. */
export type CreateStorage = (layout: Layout) => Storage;
