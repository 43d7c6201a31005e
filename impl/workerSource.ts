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
 *   - notDone: how many of the thread's iterations below `finished` ended with a status other than
 *     done (reset to 0 per batch by the main thread; stored just before `finished`, so a 0 read
 *     after `finished` covers every iteration below the `finished` read: the main thread then
 *     reads no status word)
 *   - finished: iterations this thread has completed in the batch, published every 64 iterations and
 *     at the batch's end (its statuses and registers are written before this word: the main thread
 *     may collect iterations below every thread's count)
 *   - ready: 1 once the worker reached its command loop
 *   and after those blocks, at PER_THREAD + (T + t) * THREAD_STRIDE, the thread's arrival word: the
 *   last iteration it arrived at in the spin rendezvous (reset per batch), alone on its line so
 *   that the others' spinning on it does not meet the writes above.
 * Roles (thread-to-worker permutation, litmus7's changing launch order): words [rolesAt, rolesAt + T)
 *   of the control buffer give, per batch, the program thread each worker plays; the per-thread
 *   words above and below are the role's, not the worker's (except `ready`, the worker's own).
 * Placement (litmus7's randomised memory, `+rm`): the Int32Array `P` gives, per iteration of the
 *   batch, the copy it uses (P[i] * stride is its base word): the identity, or a shuffle.
 * Per thread in the memory buffer, after the iteration copies (at slots + t * THREAD_STRIDE):
 *   a private fence slot (always 0: fences add 0 to it, and timed waits sleep on it) and the
 *   progress slot (the pc of the thread's latest blocking point, written by compiled code).
 *
 * Two rendezvous (the choice is made once, by the main thread, from the core count):
 * - `spin`: publish "I reached i" in my own word, then spin until every thread has; no
 *   read-modify-write and no notify on the fast path. For threads that fit on the cores. After
 *   SPIN_LIMIT spins (workerData.spinLimit; 0: never) a thread sleeps on the late thread's word,
 *   counted in CTRL.sleepers, and an arrival that sees a sleeper notifies it.
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
  /** the stagger mode's delay bound: each thread waits a pseudo-random 0..delay-1 loads after the rendezvous (litmus7's timebase delays) */
  delay: 8,
  /** threads asleep in the spin rendezvous (an arrival notifies only when this is not 0) */
  sleepers: 9,
  /** words from one iteration's copy to the next in this batch */
  stride: 10,
  /** workers that reached their command loop (each adds 1 and notifies: the main thread starts its clock for the batches when all have) */
  readyCount: 11,
  /** workers that initialised their share of the batch's copies (reset per batch; iteration 0 begins when all have) */
  initCount: 12,
  /** 1: the batch's template copy is all zeros (the workers zero their copies instead of copying it) */
  zeroTemplate: 13,
  /** offsets table: words [OFFSETS, OFFSETS + nOffsets) hold the per-copy offsets for this batch */
  offsets: 16,
} as const;

/** Words reserved per thread in the control buffer and after the copies in memory (each thread's words on their own cache lines). */
export const THREAD_STRIDE = 16;

/** Offsets of a thread's words within its THREAD_STRIDE block of control words. */
export const THREAD_WORD = { started: 0, where: 1, notDone: 3, finished: 4, ready: 5 } as const;

/** Values of THREAD_WORD.where other than a pc. */
export const WHERE = { rendezvous: -2, running: -1 } as const;

/** Barrier modes, as numbers in CTRL.barrierMode. */
export const BARRIER_MODES = ['spin', 'stagger', 'none'] as const;
export type BarrierMode = (typeof BARRIER_MODES)[number];

/** Faults a test can inject into one worker (workerData.fault): 0 none. */
export const FAULTS = { none: 0, neverArrives: 1, throws: 2 } as const;

/**
 * The stagger mode's default delay bound (RunOptions.delay, `run --delay`): each thread waits
 * 0..STAGGER_DELAY-1 `Atomics.load`s (about 8 ns each here) after the rendezvous. A test body is a few
 * instructions, so a skew of tens of nanoseconds already changes which accesses meet; the earlier
 * default of 64 desynchronised most iterations: on SB (x86, 1.2 M iterations a setting) a bound of 64
 * ran 1.45–2.06 M iterations/s with the relaxed outcome in 13–15 % of them, a bound of 8 ran
 * 2.99–3.09 M/s at 18–28 % (spin alone: 1.5–2.0 M/s at 25–39 %). `run --tune` tries 1, 64 and 512 too.
 */
export const STAGGER_DELAY = 8;

/** Spins of the spin rendezvous before a thread sleeps until the late thread arrives (a busy machine). */
export const SPIN_LIMIT = 100_000;

/** Spins before a waiting thread sleeps, when threads outnumber cores. */
export const YIELD_SPINS = 200;

/**
 * The worker's command loop, shared by both hosts: it expects d (the worker's init data) and
 * fns (the compiled thread functions, one per thread) in scope. workerData: { thread, threads, sources (one per thread: any worker can play
 * any role), control, memory, regs, status, pcs, placement, perThread, rolesAt, stride, nOffsets,
 * regsOf, regBases, capacity, slots, template, yieldSpins (0: never sleep), fault }.
 */
const WORKER_LOOP = String.raw`
const C = new Int32Array(d.control);
const M = new Int32Array(d.memory);
const R = new Int32Array(d.regs);
const ST = new Int32Array(d.status);
const PC = new Int32Array(d.pcs);
const P = new Int32Array(d.placement);
const T = d.threads;
const me = d.thread;
const READY = d.perThread + me * ${THREAD_STRIDE} + ${THREAD_WORD.ready};
const YIELD = d.yieldSpins | 0;
const O = new Int32Array(d.nOffsets);
// S[0]: spins of an await before it sleeps (0: never); S[1]: fence slot; S[2]: progress slot (both in M, the role's)
const S = new Int32Array([YIELD, 0, 0]);
const K = new Int32Array(3);
let gen = 0;
// The spin rendezvous before iteration i: no read-modify-write on the fast path. A thread that
// has spun SPIN_LIMIT times waits for one that is not running (the machine is busy): it counts
// itself in SLEEPERS and sleeps on the late thread's word, and an arrival that sees a sleeper
// notifies. No lost wakeup: the arrival stores before it reads SLEEPERS and the sleeper counts
// itself before wait re-reads the word (all sequentially consistent), so either the arrival sees
// the sleeper or the sleeper's wait sees the new value; the 1 ms timeout is only a safety net.
const SPIN_LIMIT = d.spinLimit > 0 ? d.spinLimit : Infinity;
function spinBarrier(i, ARRIVE) {
  Atomics.store(C, ARRIVE, i + 1);
  if (Atomics.load(C, ${CTRL.sleepers}) !== 0) Atomics.notify(C, ARRIVE);
  for (let u = 0; u < T; u++) {
    const w = d.perThread + (T + u) * ${THREAD_STRIDE};
    let spins = 0;
    for (let a = Atomics.load(C, w); a < i + 1; a = Atomics.load(C, w)) {
      if (++spins > SPIN_LIMIT) { // never with spinLimit 0 (pure spin)
        Atomics.add(C, ${CTRL.sleepers}, 1);
        Atomics.wait(C, w, a, 1);
        Atomics.sub(C, ${CTRL.sleepers}, 1);
        spins = 0;
      }
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
if (d.fault === ${FAULTS.neverArrives}) Atomics.wait(M, d.slots + me * ${THREAD_STRIDE}, 0); // injected: sleeps until terminated
Atomics.store(C, READY, 1);
Atomics.add(C, ${CTRL.readyCount}, 1);
Atomics.notify(C, ${CTRL.readyCount});
for (;;) {
  Atomics.wait(C, ${CTRL.cmd}, gen);
  gen = Atomics.load(C, ${CTRL.cmd});
  if (Atomics.load(C, ${CTRL.stop}) !== 0) break;
  if (d.fault === ${FAULTS.throws}) throw new Error('injected fault: this worker throws');
  const count = C[${CTRL.batchCount}];
  const mode = C[${CTRL.barrierMode}];
  const seed = C[${CTRL.seed}];
  const delay = C[${CTRL.delay}] > 0 ? C[${CTRL.delay}] : 1;
  // the role this worker plays in this batch: its code, registers and words
  const role = C[d.rolesAt + me];
  const fn = fns[role];
  const base = d.perThread + role * ${THREAD_STRIDE};
  const STARTED = base + ${THREAD_WORD.started}, WHERE = base + ${THREAD_WORD.where}, ARRIVE = d.perThread + (T + role) * ${THREAD_STRIDE};
  const FINISHED = base + ${THREAD_WORD.finished}, NOTDONE = base + ${THREAD_WORD.notDone};
  let notDone = 0;
  S[1] = d.slots + role * ${THREAD_STRIDE};
  S[2] = S[1] + 1;
  const regBase = d.regBases[role], regsOf = d.regsOf[role], stride = C[${CTRL.stride}];
  const at = role * d.capacity;
  for (let k = 0; k < O.length; k++) O[k] = C[${CTRL.offsets} + k];
  let x = (seed ^ (role * 0x9e3779b1)) | 0;
  // this worker's share of the batch's copies [0, count), initialised from the template copy; then
  // every worker waits for all the shares (a counting rendezvous) before its first iteration
  C[WHERE] = ${WHERE.rendezvous};
  {
    const lo = Math.floor((count * me) / T) * stride, hi = Math.floor((count * (me + 1)) / T) * stride;
    if (C[${CTRL.zeroTemplate}] === 1) M.fill(0, lo, hi);
    else { const tpl = M.subarray(d.template, d.template + stride); for (let b = lo; b < hi; b += stride) M.set(tpl, b); }
    Atomics.add(C, ${CTRL.initCount}, 1);
    let spins = 0;
    for (let n = Atomics.load(C, ${CTRL.initCount}); n < T; n = Atomics.load(C, ${CTRL.initCount})) {
      if (++spins >= 1000) { spins = 0; Atomics.wait(C, ${CTRL.initCount}, n, 1); }
    }
    Atomics.notify(C, ${CTRL.initCount});
  }
  for (let i = 0; i < count; i++) {
    // a plain write: progress for the watchdog only (nothing is read through it)
    C[STARTED] = i + 1;
    if (mode !== 2) {
      C[WHERE] = ${WHERE.rendezvous};
      if (YIELD > 0) countingBarrier(i); else spinBarrier(i, ARRIVE);
      if (mode === 1) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        for (let s = (x >>> 0) % delay; s > 0; s--) Atomics.load(C, ${CTRL.barrierGen});
      }
    }
    C[WHERE] = ${WHERE.running};
    K[0] = regBase + i * regsOf;
    K[1] = -1;
    K[2] = -1;
    const st = fn(M, P[i] * stride, O, R, S, K);
    // thread-major: the statuses of one thread are consecutive words (no line written by two threads); a pc only for a status other than done.
    // A status word is written only when it changes: the main thread read the line last batch, and
    // reading it is a hit where a write would take the line back (the common status, done, rarely changes)
    if (st !== 0) { PC[at + i] = K[1]; notDone++; }
    if (st !== 0 || ST[at + i] !== 0) ST[at + i] = st;
    // after the statuses and registers: the main thread may collect the iterations below FINISHED
    // (published every 64 iterations and at the end of the batch, NOTDONE first: a sequentially consistent store is a full fence)
    if ((i & 63) === 63) { Atomics.store(C, NOTDONE, notDone); Atomics.store(C, FINISHED, i + 1); }
  }
  Atomics.store(C, NOTDONE, notDone);
  Atomics.store(C, FINISHED, count);
  Atomics.add(C, ${CTRL.done}, 1);
  Atomics.notify(C, ${CTRL.done});
}
`;

/**
 * The Node worker program (worker_threads, started with `eval: true`): the init data is its
 * workerData, and each thread's function is made from its compiled source.
 */
export const WORKER_SOURCE = `'use strict';
const d = require('node:worker_threads').workerData;
const fns = d.sources.map((src) => new Function(src)());
${WORKER_LOOP}`;

/**
 * A browser Web Worker's program (loaded from a Blob URL): the same command loop, started by the
 * first message (the init data, buffers included). The compiled thread sources are part of the
 * text itself, each wrapped in a function, so the worker needs no `eval` (a page whose
 * Content-Security-Policy forbids it can run it). `sources` must come from `compileProgram`
 * (impl/compile.ts), which builds them from validated IR only.
 */
export function browserWorkerSource(sources: readonly string[]): string {
  const fns = sources.map((src) => `(function () {\n${src}\n})()`).join(',\n');
  return `'use strict';
const fns = [
${fns}
];
self.onmessage = (event) => {
  self.onmessage = null;
  main(event.data);
};
function main(d) {
${WORKER_LOOP}
}
`;
}
