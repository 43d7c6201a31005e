/**
 * Lock throughput: Mutex (Drepper's three-state futex mutex), SpinLock (TTAS with backoff) and
 * TicketLock (FIFO) from impl/sync, side by side with a naive two-state mutex whose every unlock
 * notifies (bench/naiveMutex.ts), in one run. Uncontended: one thread, lock/unlock in a loop.
 * Contended: 2 and 4 workers on one lock, each incrementing a shared counter inside. Prints
 * operations per second and the ratio to the naive mutex. Measures only; asserts nothing but the
 * counter (a lock that loses updates would make its numbers meaningless). Each cell is the median
 * of three runs; contended time runs from a start gate inside the workers, not from spawn.
 *
 * Knobs: MEMWEAVE_BENCH_OPS (uncontended lock/unlock pairs, default 2e6), MEMWEAVE_BENCH_CONTENDED_OPS
 * (pairs per worker, default 2e5).
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Mutex, SpinLock, TicketLock } from '../impl/sync/index.js';
import { NaiveMutex } from './naiveMutex.js';

/** One lock under test: how to set it up and what a worker imports to build a handle. */
interface Contender {
  readonly name: string;
  readonly initialize: (b: SharedArrayBuffer, off: number) => void;
  readonly attach: (b: SharedArrayBuffer, off: number) => { lock(): unknown; unlock(): void };
  /** module file (compiled) and export name, for workers */
  readonly module: string;
  readonly exportName: string;
}

const SYNC_JS = fileURLToPath(new URL('../impl/sync/index.js', import.meta.url));
const NAIVE_JS = fileURLToPath(new URL('./naiveMutex.js', import.meta.url));

const CONTENDERS: readonly Contender[] = [
  { name: 'naive 2-state', initialize: NaiveMutex.initialize, attach: (b, o) => new NaiveMutex(b, o), module: NAIVE_JS, exportName: 'NaiveMutex' },
  { name: 'Mutex', initialize: Mutex.initialize, attach: (b, o) => new Mutex(b, o), module: SYNC_JS, exportName: 'Mutex' },
  { name: 'SpinLock', initialize: SpinLock.initialize, attach: (b, o) => new SpinLock(b, o), module: SYNC_JS, exportName: 'SpinLock' },
  { name: 'TicketLock', initialize: TicketLock.initialize, attach: (b, o) => new TicketLock(b, o), module: SYNC_JS, exportName: 'TicketLock' },
];

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

/** Uncontended: lock/unlock pairs per second on the calling thread. */
function uncontended(c: Contender, ops: number): number {
  const b = new SharedArrayBuffer(128);
  c.initialize(b, 0);
  const l = c.attach(b, 0);
  for (let i = 0; i < 10_000; i++) {
    l.lock();
    l.unlock();
  } // warm-up (JIT)
  const t = performance.now();
  for (let i = 0; i < ops; i++) {
    l.lock();
    l.unlock();
  }
  return ops / ((performance.now() - t) / 1000);
}

const WORKER = String.raw`
const { workerData: d, parentPort } = require('node:worker_threads');
import(d.url).then((mod) => {
  const L = mod[d.exportName];
  const l = new L(d.sab, 0);
  const C = new Int32Array(d.sab, 64, 2);
  Atomics.add(C, 1, 1);
  while (Atomics.load(C, 1) < d.workers);          // start gate: time from here, not from spawn
  const t = performance.now();
  for (let i = 0; i < d.ops; i++) { l.lock(); C[0] = C[0] + 1; l.unlock(); }
  parentPort.postMessage(performance.now() - t);
}).catch((e) => parentPort.postMessage(String(e && e.stack || e)));
`;

/** Contended: total lock/unlock pairs per second across `workers` workers on one lock. */
async function contended(c: Contender, workers: number, opsPerWorker: number): Promise<number> {
  const b = new SharedArrayBuffer(128);
  c.initialize(b, 0);
  const url = new URL(`file://${c.module}`).href;
  const ws: Worker[] = [];
  try {
    const done = Array.from({ length: workers }, () => {
      const w = new Worker(WORKER, { eval: true, workerData: { url, exportName: c.exportName, sab: b, ops: opsPerWorker, workers } });
      ws.push(w);
      return new Promise<number>((resolve, reject) => {
        w.once('message', (m) => (typeof m === 'number' ? resolve(m) : reject(new Error(String(m)))));
        w.once('error', reject);
      });
    });
    // workers leave the gate together, so the slowest worker's loop time is the wall time
    const ms = Math.max(...(await Promise.all(done)));
    const counter = new Int32Array(b, 64, 1)[0];
    if (counter !== workers * opsPerWorker) throw new Error(`${c.name}: lost updates (${counter} of ${workers * opsPerWorker})`);
    return (workers * opsPerWorker) / (ms / 1000);
  } finally {
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fmt(opsPerSec: number): string {
  return `${(opsPerSec / 1e6).toFixed(2)} M/s`;
}

/** Run the lock benchmark and print one table (ops/s and ratio to the naive mutex). */
export async function benchSync(): Promise<void> {
  const ops = envInt('MEMWEAVE_BENCH_OPS', 2_000_000);
  const perWorker = envInt('MEMWEAVE_BENCH_CONTENDED_OPS', 200_000);
  const columns = ['uncontended', '2 workers', '4 workers'];
  const rows: { name: string; values: number[] }[] = [];
  for (const c of CONTENDERS) {
    const values = [
      median([uncontended(c, ops), uncontended(c, ops), uncontended(c, ops)]),
      median([await contended(c, 2, perWorker), await contended(c, 2, perWorker), await contended(c, 2, perWorker)]),
      median([await contended(c, 4, perWorker / 2), await contended(c, 4, perWorker / 2), await contended(c, 4, perWorker / 2)]),
    ];
    rows.push({ name: c.name, values });
  }
  const naive = rows[0]!.values;
  console.log(`\nlock/unlock throughput, median of 3 runs (uncontended ${ops} pairs; contended: 2 × ${perWorker}, 4 × ${perWorker / 2} pairs, counter increment inside)`);
  console.log(['lock'.padEnd(14), ...columns.map((c) => c.padStart(22))].join(''));
  for (const r of rows) {
    const cells = r.values.map((v, i) => {
      const ratio = r === rows[0] ? '' : ` (${(v / naive[i]!).toFixed(2)}×)`;
      return `${fmt(v)}${ratio}`.padStart(22);
    });
    console.log([r.name.padEnd(14), ...cells].join(''));
  }
  console.log('ratio = ops/s ÷ naive 2-state mutex ops/s in the same column');
}
