/**
 * The async variants (Atomics.waitAsync) on one thread: several handles in the main thread wait
 * for each other without blocking the event loop, and a pending wait keeps the process alive.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Barrier, CondVar, Latch, Mutex, Once, RWLock, Semaphore, SpinLock, TicketLock } from '../../../../impl/sync/index.js';
import { pendingWaits } from '../../../../impl/sync/common.js';

const later = (ms: number, f: () => void): void => void setTimeout(f, ms);

describe('async variants on the main thread', () => {
  it.each([
    { name: 'Mutex', make: (b: SharedArrayBuffer) => (Mutex.initialize(b, 0), () => new Mutex(b, 0)) },
    { name: 'SpinLock', make: (b: SharedArrayBuffer) => (SpinLock.initialize(b, 0), () => new SpinLock(b, 0)) },
    { name: 'TicketLock', make: (b: SharedArrayBuffer) => (TicketLock.initialize(b, 0), () => new TicketLock(b, 0)) },
  ])('$name.lockAsync waits for the holder and then holds', async ({ make }) => {
    const attach = make(new SharedArrayBuffer(64));
    const a = attach();
    const c = attach();
    const g = a.lock();
    const order: string[] = [];
    later(20, () => {
      order.push('unlock');
      g.unlock();
    });
    const g2 = await c.lockAsync();
    order.push('locked');
    expect(order).toEqual(['unlock', 'locked']);
    expect(c.isHeld).toBe(true);
    g2.unlock();
    expect(pendingWaits()).toBe(0);
  });

  it('TicketLock.lockAsync serves waiters in ticket order', async () => {
    const b = new SharedArrayBuffer(64);
    TicketLock.initialize(b, 0);
    const hs = [0, 1, 2, 3].map(() => new TicketLock(b, 0));
    const first = hs[0]!.lock();
    const order: number[] = [];
    const waiters = [1, 2, 3].map(async (i) => {
      const g = await hs[i]!.lockAsync();
      order.push(i);
      await new Promise((r) => setTimeout(r, 2));
      g.unlock();
    });
    later(10, () => first.unlock());
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
  });

  it('Mutex.tryLockAsync times out while held', async () => {
    const b = new SharedArrayBuffer(64);
    Mutex.initialize(b, 0);
    const a = new Mutex(b, 0);
    a.lock();
    expect(await new Mutex(b, 0).tryLockAsync(15)).toBe(false);
  });

  it('Semaphore.acquireAsync waits for a release', async () => {
    const b = new SharedArrayBuffer(64);
    Semaphore.initialize(b, 0, 0, 1);
    const s = new Semaphore(b, 0);
    later(10, () => new Semaphore(b, 0).release());
    await s.acquireAsync();
    expect(s.available).toBe(0);
    expect(await s.tryAcquireAsync(10)).toBe(false);
  });

  it('Barrier.waitAsync: three parties in one thread, one of them last', async () => {
    const b = new SharedArrayBuffer(64);
    Barrier.initialize(b, 0, 3);
    for (let round = 1; round <= 3; round++) {
      const results = await Promise.all([0, 1, 2].map(() => new Barrier(b, 0).waitAsync()));
      expect(results.filter((x) => x)).toHaveLength(1);
      expect(new Barrier(b, 0).generation).toBe(round);
    }
  });

  it('CondVar.waitAsync: released by a signal after the condition changes under the mutex', async () => {
    const b = new SharedArrayBuffer(128);
    Mutex.initialize(b, 0);
    CondVar.initialize(b, 64);
    const flag = new Int32Array(b, 100, 1);
    const m1 = new Mutex(b, 0);
    const cv = new CondVar(b, 64);
    const waiter = (async () => {
      const g = await m1.lockAsync();
      while (Atomics.load(flag, 0) === 0) await cv.waitAsync(m1);
      const held = m1.isHeld;
      g.unlock();
      return held;
    })();
    later(10, () => {
      const m2 = new Mutex(b, 0);
      m2.lock(); // the waiter released it while waiting
      Atomics.store(flag, 0, 1);
      new CondVar(b, 64).signal();
      m2.unlock();
    });
    expect(await waiter).toBe(true);
  });

  it('RWLock async: a writer waits for readers, readers wait for the writer', async () => {
    const b = new SharedArrayBuffer(64);
    RWLock.initialize(b, 0);
    const [r, w, r2] = [0, 1, 2].map(() => new RWLock(b, 0)) as [RWLock, RWLock, RWLock];
    const rg = r.readLock();
    const events: string[] = [];
    const writer = w.writeLockAsync().then((g) => {
      events.push('write');
      return g;
    });
    await new Promise((res) => setTimeout(res, 5));
    // a writer waits: a new reader must queue behind it (writer preference)
    expect(r2.tryReadLock()).toBe(false);
    const reader = r2.readLockAsync().then((g) => {
      events.push('read');
      g.unlock();
    });
    events.push('unlock-read');
    rg.unlock();
    const wg = await writer;
    later(5, () => wg.unlock());
    await reader;
    expect(events).toEqual(['unlock-read', 'write', 'read']);
  });

  it('Once.runAsync: an async initialiser runs once while others wait', async () => {
    const b = new SharedArrayBuffer(16);
    Once.initialize(b, 0);
    let runs = 0;
    const init = async (): Promise<void> => {
      runs++;
      await new Promise((r) => setTimeout(r, 10));
    };
    const results = await Promise.all([0, 1, 2].map(() => new Once(b, 0).runAsync(init)));
    expect(runs).toBe(1);
    expect(results.filter((x) => x)).toHaveLength(1);
  });

  it('Latch.waitAsync opens at zero and times out while closed', async () => {
    const b = new SharedArrayBuffer(16);
    Latch.initialize(b, 0, 2);
    const l = new Latch(b, 0);
    expect(await l.waitAsync(5)).toBe(false);
    later(5, () => l.countDown(2));
    expect(await l.waitAsync()).toBe(true);
  });
});

describe('keep-alive', () => {
  const dist = fileURLToPath(new URL('../../../../dist/impl/sync/index.js', import.meta.url));
  it.skipIf(!existsSync(dist))('a pending async wait keeps a process alive that has nothing else to do', () => {
    // The only pending work is the timed tryLockAsync: without the library's ref'd timer the
    // process would exit at once and never print.
    const script = `
      import { Mutex } from ${JSON.stringify(new URL(`file://${dist}`).href)};
      const b = new SharedArrayBuffer(64);
      Mutex.initialize(b, 0);
      new Mutex(b, 0).lock();
      const t = performance.now();
      new Mutex(b, 0).tryLockAsync(150).then((got) => console.log(JSON.stringify({ got, ms: performance.now() - t })));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    const r = JSON.parse(out.trim()) as { got: boolean; ms: number };
    expect(r.got).toBe(false);
    expect(r.ms).toBeGreaterThanOrEqual(140);
  });
});
