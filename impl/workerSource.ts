/**
 * The fixed JavaScript each harness worker runs (started with `eval: true`, so the same code
 * serves the compiled package and the tests). It is a constant of this file: nothing from an
 * input program is ever part of it. The thread's own code arrives as source compiled from
 * validated IR by impl/compile.ts.
 *
 * Shared control words (Int32Array `C` over the control buffer), indices in CTRL:
 *   CMD generation, DONE count, BARCOUNT arrivals and BARGEN generation of the counting
 *   rendezvous, STOP flag, and per thread (at PER_THREAD + t * THREAD_STRIDE, see THREAD_WORD):
 *   - started: the iteration this thread last began (i + 1; reset to 0 per batch by the main thread)
 *   - where: -2 in the rendezvous, -1 running its code (its blocking points are in the memory
 *     buffer's progress slot, below)
 *   - arrive: the last iteration this thread arrived at (the spin rendezvous; reset per batch)
 *   - finished: iterations this thread has completed in the batch (its status and registers are
 *     written before this word: the main thread may collect iterations below every thread's count)
 *   - ready: 1 once the worker reached its command loop
 * Per thread in the memory buffer, after the iteration copies (at slots + t * THREAD_STRIDE):
 *   a private fence slot (always 0: fences add 0 to it, and timed waits sleep on it) and the
 *   progress slot (the pc of the thread's latest blocking point, written by compiled code).
 *
 * Two rendezvous (the choice is made once, by the main thread, from the core count):
 * - `spin`: publish "I reached i" in my own word, then spin until every thread has; no
 *   read-modify-write and no notify on the fast path. For threads that fit on the cores.
 * - `counting` (more threads than cores): a thread that spins waits for one that is not running;
 *   so arrive with one Atomics.add on BARCOUNT, and the last arrival of iteration i publishes
 *   BARGEN = i + 1 and notifies; the others spin briefly, then sleep in Atomics.wait on BARGEN,
 *   giving their core to the threads that have not arrived yet (a timeout bounds each sleep).
 *   The same threshold makes a compiled `await` sleep 0.1 ms after a bounded spin (S[0]).
 */

/** Indices of control words (the single source of truth, shared with the worker text below). */
export const CTRL = {
  cmd: 0,
  done: 1,
  /** arrivals at the counting rendezvous in this batch (reset per batch) */
  barrierCount: 2,
  /** iterations released by the counting rendezvous (reset per batch); also the stagger delay's dummy load */
  barrierGen: 3,
  stop: 4,
  batchCount: 5,
  barrierMode: 6,
  seed: 7,
  /** offsets table: words [OFFSETS, OFFSETS + nOffsets) hold the per-copy offsets for this batch */
  offsets: 16,
} as const;

/** Words reserved per thread in the control buffer and after the copies in memory (each thread's words on their own cache lines). */
export const THREAD_STRIDE = 16;

/** Offsets of a thread's words within its THREAD_STRIDE block of control words. */
export const THREAD_WORD = { started: 0, where: 1, arrive: 3, finished: 4, ready: 5 } as const;

/** Values of THREAD_WORD.where other than a pc. */
export const WHERE = { rendezvous: -2, running: -1 } as const;

/** Barrier modes, as numbers in CTRL.barrierMode. */
export const BARRIER_MODES = ['spin', 'stagger', 'none'] as const;
export type BarrierMode = (typeof BARRIER_MODES)[number];

/** Faults a test can inject into one worker (workerData.fault): 0 none. */
export const FAULTS = { none: 0, neverArrives: 1, throws: 2 } as const;

/** Spins before a waiting thread sleeps, when threads outnumber cores. */
export const YIELD_SPINS = 200;

/**
 * The worker program. workerData: { thread, threads, source, control, memory, regs, status, pcs,
 * perThread, stride, nOffsets, regsPerIter, regBase, slots, yieldSpins (0: never sleep), fault }.
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { workerData } = require('node:worker_threads');
const d = workerData;
const C = new Int32Array(d.control);
const M = new Int32Array(d.memory);
const R = new Int32Array(d.regs);
const ST = new Int32Array(d.status);
const PC = new Int32Array(d.pcs);
const fn = new Function(d.source)();
const T = d.threads;
const me = d.thread;
const base = d.perThread + me * ${THREAD_STRIDE};
const STARTED = base + ${THREAD_WORD.started}, WHERE = base + ${THREAD_WORD.where}, ARRIVE = base + ${THREAD_WORD.arrive};
const FINISHED = base + ${THREAD_WORD.finished}, READY = base + ${THREAD_WORD.ready};
const FENCE = d.slots + me * ${THREAD_STRIDE}, PROG = FENCE + 1;
const YIELD = d.yieldSpins | 0;
const O = new Int32Array(d.nOffsets);
// S[0]: spins of an await before it sleeps (0: never); S[1]: fence slot; S[2]: progress slot (both in M)
const S = new Int32Array([YIELD, FENCE, PROG]);
const K = new Int32Array(3);
let gen = 0;
// The spin rendezvous before iteration i: no read-modify-write on the fast path; after a long
// spin (a thread descheduled by another process) fall back to 1 ms timed waits.
function spinBarrier(i) {
  Atomics.store(C, ARRIVE, i + 1);
  for (let u = 0; u < T; u++) {
    const w = d.perThread + u * ${THREAD_STRIDE} + ${THREAD_WORD.arrive};
    let spins = 0;
    while (Atomics.load(C, w) < i + 1) {
      if (++spins > 100000) { Atomics.wait(C, w, Atomics.load(C, w), 1); spins = 0; }
    }
  }
}
// The counting rendezvous before iteration i (more threads than cores): the last arrival
// releases the others with one notify; a waiter sleeps after YIELD spins.
function countingBarrier(i) {
  const last = Atomics.add(C, ${CTRL.barrierCount}, 1) === T * (i + 1) - 1;
  if (last) {
    Atomics.store(C, ${CTRL.barrierGen}, i + 1);
    Atomics.notify(C, ${CTRL.barrierGen});
    return;
  }
  let spins = 0;
  for (;;) {
    const g = Atomics.load(C, ${CTRL.barrierGen});
    if (g >= i + 1) return;
    // the value re-read by wait makes a release between the load and the sleep return at once
    if (++spins >= YIELD) Atomics.wait(C, ${CTRL.barrierGen}, g, 20);
  }
}
const barrier = YIELD > 0 ? countingBarrier : spinBarrier;
if (d.fault === ${FAULTS.neverArrives}) Atomics.wait(M, FENCE, 0); // injected: sleeps until terminated
Atomics.store(C, READY, 1);
for (;;) {
  Atomics.wait(C, ${CTRL.cmd}, gen);
  gen = Atomics.load(C, ${CTRL.cmd});
  if (Atomics.load(C, ${CTRL.stop}) !== 0) break;
  if (d.fault === ${FAULTS.throws}) throw new Error('injected fault: this worker throws');
  const count = C[${CTRL.batchCount}];
  const mode = C[${CTRL.barrierMode}];
  const seed = C[${CTRL.seed}];
  for (let k = 0; k < O.length; k++) O[k] = C[${CTRL.offsets} + k];
  let x = (seed ^ (me * 0x9e3779b1)) | 0;
  for (let i = 0; i < count; i++) {
    Atomics.store(C, STARTED, i + 1);
    if (mode !== 2) {
      C[WHERE] = ${WHERE.rendezvous};
      barrier(i);
      if (mode === 1) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        for (let s = (x >>> 0) % 64; s > 0; s--) Atomics.load(C, ${CTRL.barrierGen});
      }
    }
    C[WHERE] = ${WHERE.running};
    K[0] = i * d.regsPerIter + d.regBase;
    K[1] = -1;
    K[2] = -1;
    const st = fn(M, i * d.stride, O, R, S, K);
    ST[i * T + me] = st;
    PC[i * T + me] = K[1];
    // after the status and registers: the main thread may collect iteration i once every thread passed it
    Atomics.store(C, FINISHED, i + 1);
  }
  Atomics.add(C, ${CTRL.done}, 1);
  Atomics.notify(C, ${CTRL.done});
}
`;
