/**
 * The fixed JavaScript each harness worker runs (started with `eval: true`, so the same code
 * serves the compiled package and the tests). It is a constant of this file: nothing from an
 * input program is ever part of it. The thread's own code arrives as source compiled from
 * validated IR by impl/compile.ts.
 *
 * Shared control words (Int32Array `C` over the control buffer), see impl/harness.ts CTRL:
 *   CMD generation, DONE count, BAR count, BARGEN generation, STOP flag, and per thread
 *   (at PER_THREAD + t * THREAD_STRIDE): iteration counter, progress pc, fence slot, and the
 *   rendezvous word (the last iteration this thread arrived at; reset by the main thread).
 */

/** Indices of control words (the single source of truth, shared with the worker text below). */
export const CTRL = {
  cmd: 0,
  done: 1,
  // 2: unused (a barrier count no worker read)
  barrierGen: 3,
  stop: 4,
  batchCount: 5,
  barrierMode: 6,
  seed: 7,
  /** offsets table: words [OFFSETS, OFFSETS + nOffsets) hold the per-copy offsets for this batch */
  offsets: 16,
} as const;

/** Words reserved per thread in the control buffer (each thread's words on their own cache lines). */
export const THREAD_STRIDE = 16;

/** Barrier modes, as numbers in CTRL.barrierMode. */
export const BARRIER_MODES = ['spin', 'stagger', 'none'] as const;
export type BarrierMode = (typeof BARRIER_MODES)[number];

/** The worker program. workerData: { thread, threads, source, control, memory, regs, status, pcs, perThread, stride, nOffsets, regsPerIter, regBase }. */
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
const ITER = base, PROG = base + 1, FENCE = base + 2, ARRIVE = base + 3;
const O = new Int32Array(d.nOffsets);
const S = new Int32Array([0, 0, 0]);
const K = new Int32Array(3);
let gen = 0;
// Rendezvous before iteration i: publish "I reached i" in my own word, then spin until every
// thread has published i. No read-modify-write and no notify on the fast path; after a long spin
// (another thread descheduled: more threads than cores) fall back to 1 ms timed waits.
function barrier(i) {
  Atomics.store(C, ARRIVE, i + 1);
  for (let u = 0; u < T; u++) {
    const w = d.perThread + u * ${THREAD_STRIDE} + 3;
    let spins = 0;
    while (Atomics.load(C, w) < i + 1) {
      if (++spins > 100000) { Atomics.wait(C, w, Atomics.load(C, w), 1); spins = 0; }
    }
  }
}
for (;;) {
  Atomics.wait(C, ${CTRL.cmd}, gen);
  gen = Atomics.load(C, ${CTRL.cmd});
  if (Atomics.load(C, ${CTRL.stop}) !== 0) break;
  const count = C[${CTRL.batchCount}];
  const mode = C[${CTRL.barrierMode}];
  const seed = C[${CTRL.seed}];
  for (let k = 0; k < O.length; k++) O[k] = C[${CTRL.offsets} + k];
  S[1] = FENCE; S[2] = PROG;
  let x = (seed ^ (me * 0x9e3779b1)) | 0;
  for (let i = 0; i < count; i++) {
    Atomics.store(C, ITER, i + 1);
    if (mode === 0) barrier(i);
    else if (mode === 1) {
      barrier(i);
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      for (let s = (x >>> 0) % 64; s > 0; s--) Atomics.load(C, ${CTRL.barrierGen});
    }
    K[0] = i * d.regsPerIter + d.regBase;
    K[1] = -1;
    K[2] = -1;
    const st = fn(M, i * d.stride, O, R, S, K);
    ST[i * T + me] = st;
    PC[i * T + me] = K[1];
  }
  Atomics.add(C, ${CTRL.done}, 1);
  Atomics.notify(C, ${CTRL.done});
}
`;
