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

/** A start gate at `gateOffset`: every worker spins there until all `workers` have arrived. */
const GATE = String.raw`
  const gate = (sab, off, n) => { const G = new Int32Array(sab, off, 1); Atomics.add(G, 0, 1); while (Atomics.load(G, 0) < n); };
`;

describe('Semaphore', () => {
  // Layout: semaphore at 0; [64] occupancy; [68] gate.
  const BODY = String.raw`async (S, d) => {${GATE}
    const sem = new S.Semaphore(d.sab, 0);
    const D = new Int32Array(d.sab, 64, 1);
    gate(d.sab, 68, d.workers);
    let ops = 0, maxOcc = 0, misses = 0;
    for (let i = 0; i < d.iters; i++) {
      const mode = i % 16;
      if (mode === 0) { if (!sem.tryAcquire()) { misses++; continue; } }
      else if (mode === 1) { if (!sem.tryAcquire(5)) { misses++; continue; } }
      else sem.acquire();
      const occ = Atomics.add(D, 0, 1) + 1;    // holders now, counting us
      if (occ > maxOcc) maxOcc = occ;
      Atomics.sub(D, 0, 1);
      sem.release();
      ops++;
    }
    return { ops, maxOcc, misses };
  }`;

  it.each([
    { permits: 2, workers: 4, iters: 260_000 },
    { permits: 3, workers: 8, iters: 20_000 },
  ])('$workers workers, $permits permits: occupancy never exceeds the bound', async ({ permits, workers, iters }) => {
    const sab = new SharedArrayBuffer(128);
    Semaphore.initialize(sab, 0, permits, permits);
    const n = Math.round(iters * SCALE);
    const datas = Array.from({ length: workers }, () => ({ sab, iters: n, workers }));
    const { value: reports, ms } = await timed(() => runWorkers(BODY, datas, WATCHDOG_MS));
    const ops = sum(reports, 'ops');
    logRun(`Semaphore(${permits})`, ops, workers, ms);
    expect(max(reports, 'maxOcc')).toBeLessThanOrEqual(permits);
    expect(max(reports, 'maxOcc')).toBeGreaterThanOrEqual(1);
    expect(ops + sum(reports, 'misses')).toBe(n * workers);
    expect(new Semaphore(sab, 0).available).toBe(permits); // every permit came back
  });
});

describe('Barrier', () => {
  // Layout: barrier at 0; [64 + 4j] the round worker j last announced.
  const BODY = String.raw`async (S, d) => {
    const b = new S.Barrier(d.sab, 0);
    const R = new Int32Array(d.sab, 64, d.workers);
    let ops = 0, mixed = 0, serial = 0;
    for (let r = 1; r <= d.rounds; r++) {
      Atomics.store(R, d.id, r);
      if (b.wait()) serial++;
      ops++;
      // After round r opens, nobody is behind (all announced r) and nobody is ahead by two.
      for (let j = 0; j < d.workers; j++) { const x = Atomics.load(R, j); if (x !== r && x !== r + 1) mixed++; }
    }
    return { ops, mixed, serial, gen: b.generation };
  }`;

  it.each([
    { workers: 2, rounds: 500_000 },
    { workers: 5, rounds: 4_000 },
  ])('$workers workers × $rounds rounds: generations never mix', async ({ workers, rounds }) => {
    const sab = new SharedArrayBuffer(64 + 4 * workers);
    Barrier.initialize(sab, 0, workers);
    const n = Math.round(rounds * SCALE);
    const datas = Array.from({ length: workers }, (_, id) => ({ sab, rounds: n, workers, id }));
    const { value: reports, ms } = await timed(() => runWorkers(BODY, datas, WATCHDOG_MS));
    logRun(`Barrier(${workers})`, sum(reports, 'ops'), workers, ms);
    expect(sum(reports, 'mixed')).toBe(0);
    expect(sum(reports, 'serial')).toBe(n); // exactly one last party per generation
    expect(new Barrier(sab, 0).generation).toBe(n);
  });
});

describe('CondVar', () => {
  // A bounded queue of CAP slots guarded by a Mutex, with notEmpty/notFull condition variables.
  // Layout: mutex 0, notEmpty 64, notFull 128; [192] head, [196] tail, [200] gate; [256..] slots.
  const CAP = 16;
  const BODY = String.raw`async (S, d) => {${GATE}
    const m = new S.Mutex(d.sab, 0), notEmpty = new S.CondVar(d.sab, 64), notFull = new S.CondVar(d.sab, 128);
    const H = new Int32Array(d.sab, 192, 2), Q = new Int32Array(d.sab, 256, d.cap);
    gate(d.sab, 200, d.workers);
    let items = 0, sum = 0, waits = 0;
    for (let i = 0; i < d.items; i++) {
      const g = m.lock();
      if (d.producer) {
        while (H[1] - H[0] === d.cap) { notFull.wait(m); waits++; }
        Q[H[1] % d.cap] = d.id * 1000003 + i; H[1]++;
        notEmpty.signal();
        // every 64th item: broadcast too (a storm of wake-ups that must all re-check)
        if (i % 64 === 0) notEmpty.broadcast();
      } else {
        while (H[1] === H[0]) { notEmpty.wait(m); waits++; }
        sum = (sum + Q[H[0] % d.cap]) | 0; H[0]++;
        notFull.signal();
      }
      g.unlock();
      items++;
    }
    return { items, sum, waits };
  }`;

  it.each([
    { producers: 2, consumers: 2, items: 500_000 },
    { producers: 3, consumers: 3, items: 20_000 },
  ])('$producers producers, $consumers consumers: every item consumed once, no lost wake-up', async ({ producers, consumers, items }) => {
    const sab = new SharedArrayBuffer(256 + 4 * CAP);
    Mutex.initialize(sab, 0);
    CondVar.initialize(sab, 64);
    CondVar.initialize(sab, 128);
    const perProducer = Math.round(items * SCALE);
    const total = perProducer * producers;
    if (total % consumers !== 0) throw new Error('test sizes: items must split evenly');
    const workers = producers + consumers;
    const datas = [
      ...Array.from({ length: producers }, (_, id) => ({ sab, producer: true, id, items: perProducer, cap: CAP, workers })),
      ...Array.from({ length: consumers }, (_, id) => ({ sab, producer: false, id, items: total / consumers, cap: CAP, workers })),
    ];
    const { value: reports, ms } = await timed(() => runWorkers(BODY, datas, WATCHDOG_MS));
    logRun(`CondVar queue (${total} items, each produced and consumed under the mutex)`, total, workers, ms);
    let expected = 0;
    for (let p = 0; p < producers; p++) for (let i = 0; i < perProducer; i++) expected = (expected + p * 1000003 + i) | 0;
    const consumed = reports.slice(producers);
    expect(consumed.reduce((a, r) => (a + (r['sum'] ?? 0)) | 0, 0)).toBe(expected);
    const H = new Int32Array(sab, 192, 2);
    expect([H[0], H[1]]).toEqual([total, total]);
    expect(sum(reports, 'waits')).toBeGreaterThan(0); // the wait path really ran
  });
});

describe('RWLock', () => {
  // Layout: rwlock at 0; [64] readers inside, [68] writers inside, [72] and [76] a pair written
  // under the write lock, [80] gate.
  const BODY = String.raw`async (S, d) => {${GATE}
    const rw = new S.RWLock(d.sab, 0);
    const D = new Int32Array(d.sab, 64, 5);
    gate(d.sab, 80, d.workers);
    let reads = 0, writes = 0, bad = 0, maxReaders = 0;
    for (let i = 0; i < d.iters; i++) {
      if (i % 8 === d.id % 8) {
        const g = i % 32 === 0 ? (rw.tryWriteLock() ? null : undefined) : rw.writeLock();
        if (g === undefined) continue;
        if (Atomics.add(D, 1, 1) !== 0) bad++;    // another writer inside
        if (Atomics.load(D, 0) !== 0) bad++;      // a reader inside
        D[2] = i; D[3] = i;
        Atomics.sub(D, 1, 1);
        if (g === null) rw.writeUnlock(); else g.unlock();
        writes++;
      } else {
        const g = rw.readLock();
        const r = Atomics.add(D, 0, 1) + 1;
        if (r > maxReaders) maxReaders = r;
        if (Atomics.load(D, 1) !== 0) bad++;      // a writer inside
        if (D[2] !== D[3]) bad++;                 // saw a half-done write
        Atomics.sub(D, 0, 1);
        g.unlock();
        reads++;
      }
    }
    return { ops: reads + writes, reads, writes, bad, maxReaders };
  }`;

  it('4 workers, 1 write in 8: readers and writers exclusive', async () => {
    const sab = new SharedArrayBuffer(128);
    RWLock.initialize(sab, 0);
    const workers = 4;
    const n = Math.round(260_000 * SCALE);
    const datas = Array.from({ length: workers }, (_, id) => ({ sab, iters: n, workers, id }));
    const { value: reports, ms } = await timed(() => runWorkers(BODY, datas, WATCHDOG_MS));
    logRun(`RWLock (max ${max(reports, 'maxReaders')} readers at once)`, sum(reports, 'ops'), workers, ms);
    expect(sum(reports, 'bad')).toBe(0);
    expect(sum(reports, 'writes')).toBeGreaterThan(0);
    expect(sum(reports, 'ops')).toBeGreaterThanOrEqual(Math.round(1_000_000 * SCALE * 0.99));
  });
});

describe('Once', () => {
  // CELLS once-flags at 0, 8, 16, …; then per cell a run counter and a value the initialiser writes.
  const BODY = String.raw`async (S, d) => {${GATE}
    const C = new Int32Array(d.sab, d.countsAt, d.cells), V = new Int32Array(d.sab, d.valuesAt, d.cells);
    const onces = [];
    for (let c = 0; c < d.cells; c++) onces.push(new S.Once(d.sab, c * S.Once.BYTES));
    gate(d.sab, d.gateAt, d.workers);
    let ops = 0, ran = 0, bad = 0;
    for (let k = 0; k < d.cells; k++) {
      const c = (k + d.id * 7919) % d.cells;  // workers start at different cells, then collide
      if (onces[c].run(() => { Atomics.add(C, c, 1); V[c] = c + 1; })) ran++;
      if (V[c] !== c + 1) bad++;              // returned before the initialiser's write was visible
      ops++;
    }
    return { ops, ran, bad };
  }`;

  it('4 workers over 260k once-flags: each initialiser runs exactly once, and before anyone returns', async () => {
    const workers = 4;
    const cells = Math.round(260_000 * SCALE);
    const countsAt = cells * Once.BYTES;
    const valuesAt = countsAt + 4 * cells;
    const gateAt = valuesAt + 4 * cells;
    const sab = new SharedArrayBuffer(gateAt + 4);
    for (let c = 0; c < cells; c++) Once.initialize(sab, c * Once.BYTES);
    const datas = Array.from({ length: workers }, (_, id) => ({ sab, cells, countsAt, valuesAt, gateAt, workers, id }));
    const { value: reports, ms } = await timed(() => runWorkers(BODY, datas, WATCHDOG_MS));
    logRun('Once', sum(reports, 'ops'), workers, ms);
    expect(sum(reports, 'bad')).toBe(0);
    expect(sum(reports, 'ran')).toBe(cells);
    const C = new Int32Array(sab, countsAt, cells);
    expect(C.every((x) => x === 1)).toBe(true);
  });
});

describe('Latch', () => {
  // CELLS latches (count = workers) at 0, 8, …; then a mark per (cell, worker).
  const BODY = String.raw`async (S, d) => {
    const M = new Int32Array(d.sab, d.marksAt, d.cells * d.workers);
    let ops = 0, early = 0;
    for (let c = 0; c < d.cells; c++) {
      const l = new S.Latch(d.sab, c * S.Latch.BYTES);
      Atomics.store(M, c * d.workers + d.id, 1);
      l.countDown(); ops++;
      if (c % 4 !== 0 || !l.tryWait()) l.wait();
      ops++;
      for (let j = 0; j < d.workers; j++) if (Atomics.load(M, c * d.workers + j) !== 1) early++;
    }
    return { ops, early };
  }`;

  it.each([
    { workers: 2, cells: 250_000 },
    { workers: 4, cells: 20_000 }, // more threads than cores: waits park
  ])('$workers workers over $cells latches: nobody passes a latch before everyone counted down', async ({ workers, cells: baseCells }) => {
    const cells = Math.round(baseCells * SCALE);
    const marksAt = cells * Latch.BYTES;
    const sab = new SharedArrayBuffer(marksAt + 4 * cells * workers);
    for (let c = 0; c < cells; c++) Latch.initialize(sab, c * Latch.BYTES, workers);
    const datas = Array.from({ length: workers }, (_, id) => ({ sab, cells, marksAt, workers, id }));
    const { value: reports, ms } = await timed(() => runWorkers(BODY, datas, WATCHDOG_MS));
    logRun(`Latch(${workers}) (countDown + wait)`, sum(reports, 'ops'), workers, ms);
    expect(sum(reports, 'early')).toBe(0);
    expect(new Latch(sab, (cells - 1) * Latch.BYTES).count).toBe(0);
  });
});
