/**
 * Stress tests of impl/sync on real worker_threads: every primitive runs at least 10^6
 * operations across 2–8 workers, checking the property a bug would break (no lost update, bound
 * never exceeded, generations separate, readers and writers exclusive, every item consumed).
 * Each test has a watchdog (a hang fails the test instead of the suite) and terminates its
 * workers in `finally`; afterEach checks no worker is left. Sizes: MEMWEAVE_STRESS_SCALE
 * (default 1) multiplies every operation count. How workers load the library: README.md.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Barrier, CondVar, Latch, Mutex, Once, RWLock, Semaphore, SpinLock, TicketLock } from '../../impl/sync/index.js';
import { distBuilt, liveWorkers, runWorkers } from './workers.js';
import type { WorkerReport } from './workers.js';

const SCALE = Number(process.env['MEMWEAVE_STRESS_SCALE'] ?? '1');
const WATCHDOG_MS = 60_000;

function sum(reports: readonly WorkerReport[], key: string): number {
  return reports.reduce((a, r) => a + (r[key] ?? 0), 0);
}

function max(reports: readonly WorkerReport[], key: string): number {
  return reports.reduce((a, r) => Math.max(a, r[key] ?? 0), 0);
}

/** Log one line of numbers for the report (ops, workers, ms, ops/s). */
function logRun(name: string, ops: number, workers: number, ms: number): void {
  console.log(`[stress] ${name}: ${ops} ops across ${workers} workers in ${ms.toFixed(0)} ms (${Math.round(ops / (ms / 1000))} ops/s)`);
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t };
}

beforeAll(() => {
  if (!distBuilt()) throw new Error('dist/impl/sync/index.js is missing: run `npm run build` (npm test does) before the stress tests');
});

afterEach(() => {
  expect(liveWorkers(), 'a stress test left a worker running').toBe(0);
});

// Layout used by the lock tests: the lock at 0, then a data area at 64 (its own cache line):
// [0] counter incremented with plain (non-atomic) reads and writes inside the critical region,
// [1] occupancy (Atomics.add on entry/exit: anything but 0 on entry is a mutual-exclusion break),
// [2] and [3] a pair written with plain stores that must always be equal when read under the lock.
const LOCK_BODY = String.raw`async (S, d) => {
  // NoLock: the negative control (no exclusion at all), proving the checks below can fail.
  const lock = d.kind === 'NoLock'
    ? { lock: () => ({ unlock() {} }), tryLock: () => true, unlock() {} }
    : new S[d.kind](d.sab, 0);
  const D = new Int32Array(d.sab, 64, 4);
  const G = new Int32Array(d.sab, 96, 1);
  Atomics.add(G, 0, 1);
  while (Atomics.load(G, 0) < d.workers);   // start gate: everybody runs at once
  let maxOcc = 0, torn = 0, ops = 0, tries = 0;
  for (let i = 0; i < d.iters; i++) {
    let got;
    const mode = i % 16;
    if (mode === 0 && d.kind !== 'TicketLock') got = lock.tryLock(5) ? null : undefined;
    else if (mode === 1) got = lock.tryLock() ? null : undefined;
    else got = lock.lock();
    if (got === undefined) { tries++; continue; }
    const occ = Atomics.add(D, 1, 1);
    if (occ > maxOcc) maxOcc = occ;
    D[0] = D[0] + 1;                  // plain read-modify-write: loses updates without the lock
    if (D[2] !== D[3]) torn++;
    D[2] = i; D[3] = i;
    Atomics.sub(D, 1, 1);
    if (got === null) lock.unlock(); else got.unlock();
    ops++;
  }
  return { ops, maxOcc, torn, tries };
}`;

describe.each([
  { kind: 'Mutex', init: (sab: SharedArrayBuffer) => Mutex.initialize(sab, 0), workers: 4, iters: 280_000 },
  { kind: 'SpinLock', init: (sab: SharedArrayBuffer) => SpinLock.initialize(sab, 0), workers: 4, iters: 280_000 },
  { kind: 'TicketLock', init: (sab: SharedArrayBuffer) => TicketLock.initialize(sab, 0), workers: 2, iters: 500_000 },
  // more threads than cores: every hand-off parks and notifies (the FIFO order forces it)
  { kind: 'TicketLock', init: (sab: SharedArrayBuffer) => TicketLock.initialize(sab, 0), workers: 4, iters: 15_000 },
])('$kind under contention', ({ kind, init, workers, iters }) => {
  it(`${workers} workers × ${iters}: no lost update, never two inside, no torn pair`, async () => {
    const sab = new SharedArrayBuffer(128);
    init(sab);
    const n = Math.round(iters * SCALE);
    const datas = Array.from({ length: workers }, () => ({ kind, sab, iters: n, workers }));
    const { value: reports, ms } = await timed(() => runWorkers(LOCK_BODY, datas, WATCHDOG_MS));
    const ops = sum(reports, 'ops');
    logRun(kind, ops, workers, ms);
    const D = new Int32Array(sab, 64, 4);
    expect(D[0]).toBe(ops); // every critical region's increment survived
    expect(max(reports, 'maxOcc')).toBe(0); // nobody ever found someone else inside
    expect(sum(reports, 'torn')).toBe(0);
    expect(ops + sum(reports, 'tries')).toBe(n * workers);
  });
});

it('negative control: the same body with no lock loses updates or overlaps', async () => {
  // Overlap needs both workers on a core at once; on a loaded 2-core machine one run may happen
  // to be sequential, so try a few times (a real exclusion bug is caught on the first).
  let violations = 0;
  for (let attempt = 0; attempt < 5 && violations === 0; attempt++) {
    const sab = new SharedArrayBuffer(128);
    const workers = 2;
    const datas = Array.from({ length: workers }, () => ({ kind: 'NoLock', sab, iters: 300_000, workers }));
    const reports = await runWorkers(LOCK_BODY, datas, WATCHDOG_MS);
    const lost = sum(reports, 'ops') - (new Int32Array(sab, 64, 4)[0] ?? 0);
    violations = lost + max(reports, 'maxOcc') + sum(reports, 'torn');
  }
  expect(violations).toBeGreaterThan(0);
});
