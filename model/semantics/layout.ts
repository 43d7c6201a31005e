/**
 * The packed state layout: where each word of a machine state lives. One state is a fixed-length
 * Int32Array slice; every unused word is 0 so that equal meanings give equal words (canonical).
 *
 *   per thread t, at threadBase[t]:
 *     [THREAD_PC]     pc; pc === code.length means finished
 *     [THREAD_WAIT]   0 when not waiting; slot+1 while blocked in a `wait` on memory slot `slot`
 *     [THREAD_QPOS]   while waiting: position in that slot's FIFO wait queue (0 = next to wake),
 *                     dense (the waiters of a slot hold 0..k-1); 0 otherwise
 *     [THREAD_REGS..] registers, by register number
 *   memory:           memorySize words at memBase (slot k at memBase + k)
 *   regions:          for region g and thread t, at regionBase + g * threads + t: how many times t
 *                     is inside g (nesting depth; 0 outside)
 *   store buffers:    per thread t with bufCap[t] > 0, at bufBase[t]:
 *                     tso: [len, slot0, value0, slot1, value1, …] with bufCap[t] (slot, value)
 *                     pairs, FIFO, entry 0 oldest; entries at index >= len are (0, 0).
 *                     pso: [len, barrier, slot0, value0, epoch0, …] with bufCap[t] (slot, value,
 *                     epoch) triples (PSO_BUF_HEADER, PSO_ENTRY_WORDS), sorted by (epoch, slot)
 *                     (stable), so within an epoch each slot's entries are a FIFO run, oldest
 *                     first; unused entries are (0, 0, 0). Epochs and the barrier word are
 *                     documented, with their canonical form, in model/memory/pso.ts.
 *                     Buffers are the last region of a state; every entry starts with its slot.
 *
 * The wait queues are kept as positions inside the waiting threads (one word each) rather than as
 * per-address arrays: a thread waits on at most one address, so this is the same information.
 */
import type { IrProgram } from '../ir.js';
import type { MachineModel } from './machine.js';

/** Offset of the program counter within a thread's words. */
export const THREAD_PC = 0;
/** Offset of the waiting word (slot+1, or 0) within a thread's words. */
export const THREAD_WAIT = 1;
/** Offset of the wait-queue position within a thread's words. */
export const THREAD_QPOS = 2;
/** Offset of register 0 within a thread's words. */
export const THREAD_REGS = 3;

/** Default store-buffer bound (entries per buffer). */
export const DEFAULT_BUFFER_BOUND = 4;
/** pso: a thread's buffer never holds more than max(bufferBound, this) entries in total. */
export const PSO_MAX_THREAD_ENTRIES = 32;
/** pso: words before a thread buffer's first entry (len, barrier). */
export const PSO_BUF_HEADER = 2;
/** pso: words per buffered entry (slot, value, epoch). */
export const PSO_ENTRY_WORDS = 3;

/** Where everything lives in a state of one program under one model. */
export interface Layout {
  readonly threads: number;
  /** first word of each thread */
  readonly threadBase: Int32Array;
  /** first register word of each thread (threadBase + THREAD_REGS) */
  readonly regBase: Int32Array;
  readonly memBase: number;
  readonly memorySize: number;
  readonly regionBase: number;
  readonly regions: number;
  /** first word (the length word) of each thread's store buffer; -1 when it has none */
  readonly bufBase: Int32Array;
  /** capacity in entries of each thread's store buffer (0: no buffer) */
  readonly bufCap: Int32Array;
  /** the per-(thread, slot) bound (tso: per thread) */
  readonly bufferBound: number;
  /** words per state */
  readonly length: number;
}

/** Is a store of this mode ever buffered under this model? (tso/pso: every store but `sc`, which is a locked XCHG.) */
export function isBufferedStoreMode(model: MachineModel, mode: string): boolean {
  return (model === 'tso' || model === 'pso') && mode !== 'sc';
}

/** Number of memory slots thread `t` may write with a buffered store (sum of the sizes of those locations). */
function bufferedStoreSlots(program: IrProgram, model: MachineModel, t: number): number {
  const thread = program.threads[t];
  if (thread === undefined) return 0;
  const locs = new Set<number>();
  for (const instr of thread.code) {
    if (instr.kind === 'store' && isBufferedStoreMode(model, instr.mode)) locs.add(instr.addr.loc);
  }
  let slots = 0;
  for (const l of locs) slots += program.locations[l]?.size ?? 0;
  return slots;
}

/** Compute the layout of a program's states under a model. */
export function computeLayout(program: IrProgram, model: MachineModel, bufferBound: number): Layout {
  const n = program.threads.length;
  const threadBase = new Int32Array(n);
  const regBase = new Int32Array(n);
  let at = 0;
  for (let t = 0; t < n; t++) {
    threadBase[t] = at;
    regBase[t] = at + THREAD_REGS;
    at += THREAD_REGS + (program.threads[t]?.registers.length ?? 0);
  }
  const memBase = at;
  at += program.memorySize;
  const regionBase = at;
  const regions = program.regions.length;
  at += regions * n;
  const bufBase = new Int32Array(n).fill(-1);
  const bufCap = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const slots = bufferedStoreSlots(program, model, t);
    if (slots === 0) continue;
    const cap = model === 'tso' ? bufferBound : Math.min(bufferBound * slots, Math.max(bufferBound, PSO_MAX_THREAD_ENTRIES));
    bufCap[t] = cap;
    bufBase[t] = at;
    at += model === 'pso' ? PSO_BUF_HEADER + PSO_ENTRY_WORDS * cap : 1 + 2 * cap;
  }
  return { threads: n, threadBase, regBase, memBase, memorySize: program.memorySize, regionBase, regions, bufBase, bufCap, bufferBound, length: at };
}
