/**
 * The packed state layout: where each word of a machine state lives. One state is a fixed-length
 * Int32Array slice; every unused word is 0 so that equal meanings give equal words (canonical).
 *
 *   per thread t, at threadBase[t] (the thread semantics' words):
 *     [THREAD_PC]     pc; pc === code.length means finished
 *     [THREAD_WAIT]   0 when not waiting; slot+1 while blocked in a `wait` on memory slot `slot`
 *     [THREAD_QPOS]   while waiting: position in that slot's FIFO wait queue (0 = next to wake),
 *                     dense (the waiters of a slot hold 0..k-1); 0 otherwise
 *     [THREAD_REGS..] registers, by register number
 *   model, shared:    the memory model's shared words at memBase (the memory: slot k at memBase + k
 *                     under every model here); owned by the model (model/memory/)
 *   regions:          for region g and thread t, at regionBase + g * threads + t: how many times t
 *                     is inside g (nesting depth; 0 outside)
 *   model, per thread: the block the model keeps for thread t (tso/pso: its store buffer) at
 *                     blockBase[t] (-1: none), blockWords[t] words, in thread order; the last
 *                     region of a state. Its encoding is the model's (documented in its file).
 *
 * The wait queues are kept as positions inside the waiting threads (one word each) rather than as
 * per-address arrays: a thread waits on at most one address, so this is the same information.
 */
import type { IrProgram } from '../ir.js';
import type { ModelWords, ThreadWords } from '../memory/model.js';

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

/** Where everything lives in a state of one program under one model. */
export interface Layout extends ThreadWords {
  readonly threads: number;
  /** first word of each thread */
  readonly threadBase: Int32Array;
  /** first register word of each thread (threadBase + THREAD_REGS) */
  readonly regBase: Int32Array;
  /** words of each thread (THREAD_REGS + its registers) */
  readonly threadWords: Int32Array;
  /** first of the model's shared words (the memory) */
  readonly memBase: number;
  /** the model's shared words */
  readonly memorySize: number;
  readonly regionBase: number;
  readonly regions: number;
  /** first word of each thread's model block; -1 when it has none */
  readonly blockBase: Int32Array;
  /** words of each thread's model block (0: none) */
  readonly blockWords: Int32Array;
  /** the store-buffer bound the model was laid out with */
  readonly bufferBound: number;
  /** words per state */
  readonly length: number;
}

/** Compute the layout of a program's states, given the words its memory model declared. */
export function computeLayout(program: IrProgram, words: ModelWords, bufferBound: number): Layout {
  const n = program.threads.length;
  const threadBase = new Int32Array(n);
  const regBase = new Int32Array(n);
  const threadWords = new Int32Array(n);
  let at = 0;
  for (let t = 0; t < n; t++) {
    threadBase[t] = at;
    regBase[t] = at + THREAD_REGS;
    threadWords[t] = THREAD_REGS + (program.threads[t]?.registers.length ?? 0);
    at += threadWords[t] ?? 0;
  }
  const memBase = at;
  at += words.shared;
  const regionBase = at;
  const regions = program.regions.length;
  at += regions * n;
  const blockBase = new Int32Array(n).fill(-1);
  const blockWords = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const w = words.perThread[t] ?? 0;
    if (w === 0) continue;
    blockWords[t] = w;
    blockBase[t] = at;
    at += w;
  }
  return {
    threads: n, threadBase, regBase, threadWords, pcOffset: THREAD_PC, waitOffset: THREAD_WAIT,
    memBase, memorySize: words.shared, regionBase, regions, blockBase, blockWords, bufferBound, length: at,
  };
}
