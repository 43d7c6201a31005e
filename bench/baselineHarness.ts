/**
 * The baseline for bench/harness.bench.ts (issue 20): the strongest simple litmus harness, about
 * forty lines. N workers, 10,000 test instances per round; each instance is entered through one
 * spin rendezvous on its own shared arrival counter (`Atomics.add`, then spin on `Atomics.load`
 * until every thread has arrived; with more threads than cores, as IRIW's four on two, a pure spin
 * waits for threads that are not running, so it spins 200 times and then sleeps in `Atomics.wait`
 * until the last arrival notifies — memweave's counting rendezvous does the same), then runs the test body with plain `Int32Array` stores and
 * loads; the main thread reads the results after the round. Location `k` of instance `i` is
 * word `k * N + i` (one array per location, as litmus7 lays out its default `-mem direct` tests).
 *
 * The test bodies are written by hand below (SB, MP, LB, IRIW, 2+2W), not compiled from any
 * input: they are constants of this file, like the worker text.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** A hand-written litmus test for the baseline. */
export interface BaselineTest {
  readonly name: string;
  /** per thread: a JS function body over (M: memory, i: instance, N: instances, R: registers, r: this thread's first register) */
  readonly bodies: readonly string[];
  readonly locations: number;
  readonly registersPerThread: number;
  /** the test's target outcome (its `exists` condition) from instance i's registers and memory */
  readonly target: (R: Int32Array, M: Int32Array, i: number, N: number) => boolean;
}

const reg = (R: Int32Array, i: number, t: number, k: number, regs: number, threads: number): number => R[(i * threads + t) * regs + k] ?? 0;

/** SB, MP, LB, IRIW and 2+2W with plain accesses (locations x = 0, y = 1), targets as in examples/litmus/. */
export const BASELINE_TESTS: readonly BaselineTest[] = [
  { name: 'SB', locations: 2, registersPerThread: 1, bodies: ['M[i] = 1; R[r] = M[N + i];', 'M[N + i] = 1; R[r] = M[i];'], target: (R, _M, i) => reg(R, i, 0, 0, 1, 2) === 0 && reg(R, i, 1, 0, 1, 2) === 0 },
  { name: 'MP', locations: 2, registersPerThread: 2, bodies: ['M[i] = 1; M[N + i] = 1;', 'R[r] = M[N + i]; R[r + 1] = M[i];'], target: (R, _M, i) => reg(R, i, 1, 0, 2, 2) === 1 && reg(R, i, 1, 1, 2, 2) === 0 },
  { name: 'LB', locations: 2, registersPerThread: 1, bodies: ['R[r] = M[i]; M[N + i] = 1;', 'R[r] = M[N + i]; M[i] = 1;'], target: (R, _M, i) => reg(R, i, 0, 0, 1, 2) === 1 && reg(R, i, 1, 0, 1, 2) === 1 },
  {
    name: 'IRIW', locations: 2, registersPerThread: 2,
    bodies: ['M[i] = 1;', 'R[r] = M[i]; R[r + 1] = M[N + i];', 'M[N + i] = 1;', 'R[r] = M[N + i]; R[r + 1] = M[i];'],
    target: (R, _M, i) => reg(R, i, 1, 0, 2, 4) === 1 && reg(R, i, 1, 1, 2, 4) === 0 && reg(R, i, 3, 0, 2, 4) === 1 && reg(R, i, 3, 1, 2, 4) === 0,
  },
  { name: '2+2W', locations: 2, registersPerThread: 0, bodies: ['M[i] = 2; M[N + i] = 1;', 'M[N + i] = 2; M[i] = 1;'], target: (_R, M, i, N) => M[i] === 2 && M[N + i] === 2 },
];

const WORKER = String.raw`
const { workerData: d } = require('node:worker_threads');
const C = new Int32Array(d.control), A = new Int32Array(d.arrive), M = new Int32Array(d.memory), R = new Int32Array(d.regs);
const body = new Function('M', 'i', 'N', 'R', 'r', d.body), T = d.threads, N = d.instances, regs = d.regs1;
for (let gen = 0; ; ) {
  Atomics.wait(C, 0, gen);
  gen = Atomics.load(C, 0);
  if (Atomics.load(C, 2) !== 0) break;
  for (let i = 0; i < N; i++) {
    // with more threads than cores a pure spin waits for a thread that is not running: spin a
    // little, then sleep until the last arrival notifies (d.yieldSpins 0: pure spin)
    if (Atomics.add(A, i, 1) === T - 1) { if (d.yieldSpins > 0) Atomics.notify(A, i); }
    else for (let s = 0, a; (a = Atomics.load(A, i)) < T; ) if (d.yieldSpins > 0 && ++s >= d.yieldSpins) { s = 0; Atomics.wait(A, i, a, 1); }
    body(M, i, N, R, (i * T + d.thread) * regs);
  }
  Atomics.add(C, 1, 1);
  Atomics.notify(C, 1);
}
`;

/** Run `rounds` rounds of `instances` instances; returns iterations, target outcomes and elapsed ms. */
export async function runBaseline(test: BaselineTest, rounds: number, instances = 10_000): Promise<{ iterations: number; targets: number; ms: number }> {
  const T = test.bodies.length, N = instances, regs1 = Math.max(1, test.registersPerThread);
  // more threads than cores (IRIW on 2 cores): spin 200 times, then sleep until the last arrival's notify
  const yieldSpins = T > availableParallelism() ? 200 : 0;
  const sab = (words: number): SharedArrayBuffer => new SharedArrayBuffer(words * 4);
  const C = new Int32Array(sab(16)), A = new Int32Array(sab(N)), M = new Int32Array(sab(N * test.locations)), R = new Int32Array(sab(N * T * regs1));
  const workers = test.bodies.map((body, thread) => new Worker(WORKER, { eval: true, workerData: { control: C.buffer, arrive: A.buffer, memory: M.buffer, regs: R.buffer, body, threads: T, instances: N, regs1, thread, yieldSpins } }));
  await new Promise((r) => setTimeout(r, 50)); // let the workers start before the clock does
  let targets = 0;
  const started = performance.now();
  try {
    for (let round = 0; round < rounds; round++) {
      A.fill(0), M.fill(0), R.fill(0);
      Atomics.store(C, 1, 0), Atomics.add(C, 0, 1), Atomics.notify(C, 0);
      for (let d = 0; (d = Atomics.load(C, 1)) < T; ) { const w = Atomics.waitAsync(C, 1, d, 1000); if (w.async) await w.value; }
      for (let i = 0; i < N; i++) if (test.target(R, M, i, N)) targets++;
    }
  } finally {
    Atomics.store(C, 2, 1), Atomics.add(C, 0, 1), Atomics.notify(C, 0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { iterations: rounds * N, targets, ms: performance.now() - started };
}
