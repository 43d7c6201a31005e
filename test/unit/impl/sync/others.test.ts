/**
 * Model-based tests (fc.commands) of the single-thread API of Semaphore, Latch, RWLock and Once,
 * plus Barrier and CondVar cases that one thread can drive without blocking forever.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Barrier, CondVar, Latch, LockGuard, Mutex, Once, RWLock, Semaphore, SyncError } from '../../../../impl/sync/index.js';
import { assertSeeded, seedFromEnv } from '../../../arbitraries/irProgram.js';

const SEED = seedFromEnv(5006);

/** fc.assert with the pinned seed, printed on failure. */
const assertProperty = <T>(prop: fc.IProperty<T>, numRuns: number): void => assertSeeded(prop, SEED, numRuns);

function syncErrorCode(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof SyncError) return e.code;
    throw e;
  }
}

describe('Semaphore against a counter model', () => {
  type M = { count: number; max: number };
  type R = { sems: Semaphore[] };
  const cmd = (name: string, run: (m: M, r: R) => void): fc.Command<M, R> => ({ check: () => true, run, toString: () => name });

  it('tryAcquire / acquire / release(n) / available follow the model, with overflow at the bound', () => {
    const commands = [
      fc.nat(2).map((h) =>
        cmd(`tryAcquire(s${h})`, (m, r) => {
          expect(r.sems[h]!.tryAcquire()).toBe(m.count > 0);
          if (m.count > 0) m.count--;
        }),
      ),
      fc.nat(2).map((h) =>
        cmd(`acquireIfFree(s${h})`, (m, r) => {
          if (m.count === 0) return; // would block
          r.sems[h]!.acquire();
          m.count--;
        }),
      ),
      fc.tuple(fc.nat(2), fc.integer({ min: 1, max: 3 })).map(([h, n]) =>
        cmd(`release(s${h}, ${n})`, (m, r) => {
          const code = syncErrorCode(() => r.sems[h]!.release(n));
          if (m.count + n > m.max) expect(code).toBe('overflow');
          else {
            expect(code).toBeNull();
            m.count += n;
          }
        }),
      ),
      fc.constant(cmd('observe', (m, r) => r.sems.forEach((s) => expect(s.available).toBe(m.count)))),
    ];
    assertProperty(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.nat(4), fc.commands(commands, { size: '+1' }), (max, init, cmds) => {
        const initial = Math.min(init, max);
        const b = new SharedArrayBuffer(64);
        Semaphore.initialize(b, 16, initial, max);
        const sems = [0, 1, 2].map(() => new Semaphore(b, 16));
        expect(sems[0]!.max).toBe(max);
        fc.modelRun(() => ({ model: { count: initial, max }, real: { sems } }), cmds);
      }),
      150,
    );
  });

  it('tryAcquire(ms) times out on an empty semaphore; bad arguments are refused', () => {
    const b = new SharedArrayBuffer(64);
    Semaphore.initialize(b, 0, 0);
    const s = new Semaphore(b, 0);
    const t = performance.now();
    expect(s.tryAcquire(20)).toBe(false);
    expect(performance.now() - t).toBeGreaterThanOrEqual(15);
    expect(syncErrorCode(() => s.release(0))).toBe('bad-argument');
    expect(syncErrorCode(() => s.tryAcquire(-1))).toBe('bad-argument');
    expect(syncErrorCode(() => Semaphore.initialize(b, 0, 5, 3))).toBe('bad-argument');
    expect(syncErrorCode(() => Semaphore.initialize(b, 0, 0, 0))).toBe('bad-argument');
  });
});

describe('Latch against a counter model', () => {
  type M = { count: number };
  type R = { latches: Latch[] };
  const cmd = (name: string, run: (m: M, r: R) => void): fc.Command<M, R> => ({ check: () => true, run, toString: () => name });

  it('countDown / tryWait / wait(0) follow the model; counting below zero is an overflow', () => {
    const commands = [
      fc.tuple(fc.nat(1), fc.integer({ min: 1, max: 3 })).map(([h, n]) =>
        cmd(`countDown(l${h}, ${n})`, (m, r) => {
          const code = syncErrorCode(() => r.latches[h]!.countDown(n));
          if (n > m.count) expect(code).toBe('overflow');
          else {
            expect(code).toBeNull();
            m.count -= n;
          }
        }),
      ),
      fc.nat(1).map((h) => cmd(`tryWait(l${h})`, (m, r) => expect(r.latches[h]!.tryWait()).toBe(m.count === 0))),
      fc.nat(1).map((h) => cmd(`wait0(l${h})`, (m, r) => expect(r.latches[h]!.wait(0)).toBe(m.count === 0))),
      fc.constant(cmd('observe', (m, r) => expect(r.latches[0]!.count).toBe(m.count))),
    ];
    assertProperty(
      fc.property(fc.nat(6), fc.commands(commands, { size: '+1' }), (count, cmds) => {
        const b = new SharedArrayBuffer(32);
        Latch.initialize(b, 8, count);
        const latches = [new Latch(b, 8), new Latch(b, 8)];
        fc.modelRun(() => ({ model: { count }, real: { latches } }), cmds);
      }),
      150,
    );
  });

  it('wait(ms) times out while closed, and returns at once when open', () => {
    const b = new SharedArrayBuffer(32);
    Latch.initialize(b, 0, 1);
    const l = new Latch(b, 0);
    expect(l.wait(10)).toBe(false);
    l.arriveAndWait();
    expect(l.wait()).toBe(true);
  });
});

describe('RWLock against a readers/writer model', () => {
  type M = { reads: number[]; writer: number | null };
  type R = { locks: RWLock[]; guards: { h: number; write: boolean; g: LockGuard }[] };
  const cmd = (name: string, run: (m: M, r: R) => void): fc.Command<M, R> => ({ check: () => true, run, toString: () => name });
  const totalReads = (m: M): number => m.reads.reduce((a, b) => a + b, 0);

  it('try/read/write locks, unlocks and guards follow the model; misuse is refused', () => {
    const h = fc.nat(2);
    const commands = [
      h.map((i) =>
        cmd(`tryReadLock(h${i})`, (m, r) => {
          if (m.writer === i) return void expect(syncErrorCode(() => r.locks[i]!.tryReadLock())).toBe('relock');
          const got = r.locks[i]!.tryReadLock();
          expect(got).toBe(m.writer === null);
          if (got) m.reads[i]!++;
        }),
      ),
      h.map((i) =>
        cmd(`readLockIfFree(h${i})`, (m, r) => {
          if (m.writer !== null) return; // would block
          r.guards.push({ h: i, write: false, g: r.locks[i]!.readLock() });
          m.reads[i]!++;
        }),
      ),
      h.map((i) =>
        cmd(`tryWriteLock(h${i})`, (m, r) => {
          if (m.writer === i) return void expect(syncErrorCode(() => r.locks[i]!.tryWriteLock())).toBe('relock');
          const got = r.locks[i]!.tryWriteLock();
          expect(got).toBe(m.writer === null && totalReads(m) === 0);
          if (got) m.writer = i;
        }),
      ),
      h.map((i) =>
        cmd(`writeLockIfFree(h${i})`, (m, r) => {
          if (m.writer !== null || totalReads(m) > 0) return; // would block
          r.guards.push({ h: i, write: true, g: r.locks[i]!.writeLock() });
          m.writer = i;
        }),
      ),
      h.map((i) =>
        cmd(`readUnlock(h${i})`, (m, r) => {
          const code = syncErrorCode(() => r.locks[i]!.readUnlock());
          if (m.reads[i] === 0) expect(code).toBe('not-held');
          else {
            expect(code).toBeNull();
            m.reads[i]!--;
          }
        }),
      ),
      h.map((i) =>
        cmd(`writeUnlock(h${i})`, (m, r) => {
          const code = syncErrorCode(() => r.locks[i]!.writeUnlock());
          if (m.writer === i) {
            expect(code).toBeNull();
            m.writer = null;
          } else expect(code).toBe(m.writer === null ? 'not-held' : 'not-owner');
        }),
      ),
      fc.nat(30).map((k) =>
        cmd(`disposeGuard(#${k})`, (m, r) => {
          if (r.guards.length === 0) return;
          const { h: i, write, g } = r.guards[k % r.guards.length]!;
          const wasHeld = g.held;
          if (write && wasHeld) expect(m.writer).toBe(i);
          g[Symbol.dispose]();
          expect(g.held).toBe(false);
          if (wasHeld && write) m.writer = null;
          if (wasHeld && !write) m.reads[i]!--;
        }),
      ),
      fc.constant(
        cmd('observe', (m, r) =>
          r.locks.forEach((l, i) => {
            expect(l.readsHeld).toBe(m.reads[i]);
            expect(l.isWriteHeld).toBe(m.writer === i);
          }),
        ),
      ),
    ];
    assertProperty(
      fc.property(fc.commands(commands, { size: '+1' }), (cmds) => {
        const b = new SharedArrayBuffer(64);
        RWLock.initialize(b, 4);
        const locks = [0, 1, 2].map(() => new RWLock(b, 4));
        fc.modelRun(() => ({ model: { reads: [0, 0, 0], writer: null }, real: { locks, guards: [] } }), cmds);
      }),
      150,
    );
  });

  it('a handle holding a read lock may not take the write lock (upgrade deadlock)', () => {
    const b = new SharedArrayBuffer(64);
    RWLock.initialize(b, 0);
    const l = new RWLock(b, 0);
    using _r = l.readLock();
    expect(syncErrorCode(() => l.writeLock())).toBe('relock');
    expect(l.tryWriteLock()).toBe(false);
  });
});

describe('Once', () => {
  it('runs the first successful initialiser only; a throwing one lets the next caller run', () => {
    assertProperty(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.boolean()), { maxLength: 12 }), (calls) => {
        const b = new SharedArrayBuffer(16);
        Once.initialize(b, 8);
        const onces = [0, 1, 2].map(() => new Once(b, 8));
        let done = false;
        let runs = 0;
        for (const [h, throws] of calls) {
          const fn = (): void => {
            runs++;
            if (throws) throw new Error('init failed');
          };
          if (done) {
            expect(onces[h]!.run(fn)).toBe(false);
          } else if (throws) {
            expect(() => onces[h]!.run(fn)).toThrow('init failed');
          } else {
            expect(onces[h]!.run(fn)).toBe(true);
            done = true;
          }
          expect(onces[h]!.isDone).toBe(done);
        }
        // fn runs on every call until one succeeds, and never after
        const firstSuccess = calls.findIndex(([, t]) => !t);
        expect(runs).toBe(firstSuccess === -1 ? calls.length : firstSuccess + 1);
      }),
      150,
    );
  });
});

describe('Barrier (one thread)', () => {
  it('a one-party barrier opens at every wait and counts generations', () => {
    const b = new SharedArrayBuffer(32);
    Barrier.initialize(b, 0, 1);
    const bar = new Barrier(b, 0);
    for (let i = 1; i <= 5; i++) {
      expect(bar.wait()).toBe(true);
      expect(bar.generation).toBe(i);
    }
    expect(syncErrorCode(() => Barrier.initialize(b, 0, 0))).toBe('bad-argument');
  });
});

describe('CondVar (one thread)', () => {
  it('wait(ms) without a signal times out and returns with the mutex held again', () => {
    const b = new SharedArrayBuffer(64);
    Mutex.initialize(b, 0);
    CondVar.initialize(b, 32);
    const m = new Mutex(b, 0);
    const other = new Mutex(b, 0);
    const cv = new CondVar(b, 32);
    m.lock();
    expect(cv.wait(m, 10)).toBe(false);
    expect(m.isHeld).toBe(true);
    expect(other.tryLock()).toBe(false);
    m.unlock();
  });

  it('a guard taken before wait stays live across it, and `using` releases the mutex after', () => {
    const b = new SharedArrayBuffer(64);
    Mutex.initialize(b, 0);
    CondVar.initialize(b, 32);
    const m = new Mutex(b, 0);
    const cv = new CondVar(b, 32);
    {
      using g = m.lock();
      expect(cv.wait(m, 5)).toBe(false);
      expect(g.held).toBe(true);
    }
    expect(m.isHeld).toBe(false);
    expect(new Mutex(b, 0).tryLock()).toBe(true);
  });

  it('waiting without holding the mutex is refused', () => {
    const b = new SharedArrayBuffer(64);
    Mutex.initialize(b, 0);
    CondVar.initialize(b, 32);
    const m = new Mutex(b, 0);
    const cv = new CondVar(b, 32);
    expect(syncErrorCode(() => cv.wait(m, 1))).toBe('not-held');
    cv.signal(); // no waiters: nothing happens
    cv.broadcast();
  });
});
