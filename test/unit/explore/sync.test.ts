/**
 * impl/sync checked from its TypeScript source (issue 16): each primitive's real class, imported
 * by test/fixtures/explore/syncPrimitives.ts, holds its contract over every interleaving under SC;
 * seeded bugs in copies of two classes (brokenSync.ts) are found with traces into their lines; and
 * a one-line mutation of impl/sync itself makes the exploration fail, so the check can fail.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memweaveMatchers, type MemweaveMatchers } from '../../../cli/testing.js';
import { check } from '../../../checker/check.js';
import { explore } from '../../../explore/index.js';
import { compileOrThrow } from '../../support/programs.js';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends MemweaveMatchers<T> {}
}
expect.extend(memweaveMatchers);

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const primitives = join(ROOT, 'test/fixtures/explore/syncPrimitives.ts');
const broken = join(ROOT, 'test/fixtures/explore/brokenSync.ts');

describe('impl/sync from its source, under sc', () => {
  for (const [name, what] of [
    ['mutex', 'Mutex: a plain counter incremented by 2 threads under the lock stays exact'],
    ['spinLock', 'SpinLock: the same, through the backoff and the timed waits'],
    ['ticketLock', 'TicketLock: the same, through SLEEPERS and the notify-all'],
    ['semaphoreMutex', 'Semaphore of 1 permit: exclusive, and the permit comes back'],
    ['barrier', 'Barrier of 2, reused for two phases: nobody passes before the other arrives; one last party per phase'],
    ['rwLock', 'RWLock: a reader never sees a writer’s two words torn'],
    ['rwLockWriters', 'RWLock: two writers exclude each other'],
    ['condVar', 'CondVar with Mutex: the consumer never misses the producer’s signal and reads its data'],
    ['latch', 'Latch of 2: nobody leaves before both counted down'],
    ['once', 'Once: the initialiser runs exactly once and its write is seen by both callers'],
    ['once3', 'Once, 3 callers: the same'],
    ['latch3', 'Latch of 2, two count-downs and a third thread waiting: it sees both writes'],
  ] as const) {
    it(what, async () => {
      const r = await explore(primitives, { export: name });
      expect(r).toHold();
      expect(r.stats.executions, name).toBeGreaterThan(1);
    });
  }

  for (const [name, what] of [
    ['mutexAsync', 'Mutex: lock() and lockAsync() exclude each other'],
    ['mutexAsync2', 'Mutex: two lockAsync() callers exclude each other'],
    ['semaphoreAsync', 'Semaphore of 1 permit through acquireAsync(): exclusive, and the permit comes back'],
    ['barrierAsync', 'Barrier of 2, wait() and waitAsync(), two phases: nobody passes early; one last party per phase'],
    ['condVarAsync', 'CondVar: an async consumer (lockAsync, waitAsync) never misses the signal'],
    ['latchAsync', 'Latch of 2 with a waitAsync() waiter: nobody leaves early'],
    ['onceAsync', 'Once: run() and runAsync() run the initialiser once; both see its write'],
    ['rwLockAsync', 'RWLock: writeLockAsync() and readLockAsync(): no torn read'],
  ] as const) {
    it(`async: ${what}`, async () => {
      const r = await explore(primitives, { export: name });
      expect(r).toHold();
      expect(r.stats.executions, name).toBeGreaterThan(1);
    });
  }

  // Measured with optimal DPOR (2026-12-02, shared 2-core machine): 20 000 executions, none
  // sleep-blocked, 0.95 M scheduling points in 82 s, not exhausted; a run bounded at 200 000
  // executions did not finish in 900 s. Each execution is a distinct Mazurkiewicz trace now, so
  // three threads whose every operation touches the lock word do have that many traces: no
  // reduction of this kind makes it small. (Classic DPOR before: 100 000 executions, 4.7 M
  // scheduling points, 253 s, not exhausted.) The 2-thread case above covers the code paths.
  it.skip('Mutex with 3 threads (too many executions for the suite)', async () => {
    expect(await explore(primitives, { export: 'mutex3' })).toHold();
  });

  // Measured with optimal DPOR (2026-12-02): 20 000 executions, none sleep-blocked, 0.71 M
  // scheduling points in 75 s, not exhausted (classic before: 100 000 executions, 3.5 M points,
  // 128 s, not exhausted). The 1-permit, 2-thread case above covers the code paths.
  it.skip('Semaphore of 2 permits, 3 threads: never 3 holders (too many executions for the suite)', async () => {
    expect(await explore(primitives, { export: 'semaphore' })).toHold();
  });
});

describe('seeded bugs in copies of impl/sync, found from their source', () => {
  it('a Barrier that does not reset ARRIVED is not reusable: phase 2 opens for the first arrival', async () => {
    const r = await explore(broken, { export: 'barrierNotReusable' });
    expect(r.verdict).toBe('fail');
    expect(r.violation?.message).toMatch(/phase 2: thread \d passed the barrier before thread \d arrived/);
    // the trace shows the second generation's add counting 3 of 2, in the broken copy's line
    expect(r.violation?.trace.some((s) => /^Atomics\.add\(Int32\[0\], 1\) → 2 \(now 3\)$/.test(s.what) && /brokenSync\.ts:\d+:\d+$/.test(s.at))).toBe(true);
    expect(await explore(broken, { export: 'barrierNotReusable', replay: r.violation?.replay ?? '' })).not.toHold();
  });

  it('a CondVar whose signal does not change SEQ loses the wake-up: the consumer sleeps forever', async () => {
    const r = await explore(broken, { export: 'condVarLostWakeup' });
    expect(r.verdict).toBe('fail');
    expect(r.violation?.kind).toBe('deadlock');
    expect(r.violation?.message).toMatch(/thread 0 waits in Atomics\.wait at test\/fixtures\/explore\/brokenSync\.ts:\d+:\d+/);
    const trace = r.violation?.trace ?? [];
    const notify = trace.findIndex((s) => /^Atomics\.notify\(.*\(wakes nobody\)$/.test(s.what));
    const sleeps = trace.findIndex((s) => s.thread === 0 && /^Atomics\.wait\(.*\) sleeps$/.test(s.what));
    expect(notify).toBeGreaterThanOrEqual(0);
    expect(sleeps).toBeGreaterThan(notify); // the signal came between the unlock and the wait
  });
});

describe('the .mw twins as a cross-check: the same seeded bug is found in both', () => {
  const mw = (file: string) => check(compileOrThrow(file, readFileSync(join(ROOT, file), 'utf8')), { model: 'sc', engine: 'graph' });
  for (const [name, twin] of [
    ['barrierOneCounter', 'examples/broken/barrier_not_reusable.mw'],
    ['condVarLostWakeup', 'examples/broken/condvar_lost_wakeup.mw'],
  ] as const) {
    it(`${name} deadlocks from TypeScript, and ${twin} deadlocks under check --engine graph --model sc; the fixed twin passes`, async () => {
      const r = await explore(broken, { export: name });
      expect(r.violation?.kind).toBe('deadlock');
      expect(r.violation?.message).toMatch(/waits in Atomics\.wait at test\/fixtures\/explore\/brokenSync\.ts:\d+:\d+/);
      const m = mw(twin);
      expect(m.verdict).toBe('fail');
      expect(m.violations.map((v) => v.kind)).toContain('deadlock');
      expect(mw(twin.replace('.mw', '_fixed.mw')).verdict).toBe('pass');
    });
  }
});

describe('a seeded bug only a weak model finds', () => {
  it('a test-and-set lock whose unlock is a plain store is correct under sc', async () => {
    expect(await explore(broken, { export: 'tasPlainUnlockLock' })).toHold();
  });

  // under js (SC-DRF through the race detector, explore/races.ts) the plain unlocking store races
  // with the next locker's compareExchange: JavaScript promises this lock no sequential consistency
  it('… and found under the js model: the plain unlock races with the next lock', async () => {
    const r = await explore(broken, { export: 'tasPlainUnlockLock', model: 'js' });
    expect(r.verdict).toBe('fail');
    expect(r.violation?.kind).toBe('race');
    expect(r.violation?.message).toMatch(/thread \d's write of Int32\[0\] at test\/fixtures\/explore\/brokenSync\.ts:96:\d+ and thread \d's Atomics\.compareExchange of Int32\[0\] at test\/fixtures\/explore\/brokenSync\.ts:94:\d+ are not ordered by happens-before/);
    expect(r.violation?.at).toMatch(/brokenSync\.ts:94:/);
    expect(r.violation?.trace.length).toBeGreaterThan(0);
  });
});

describe('impl/sync from its source, under js: race-free, so its SC answer is JavaScript\'s (SC-DRF)', () => {
  // the plain counter each scenario bumps is protected only by the primitive's Atomics: a lock
  // that did not order the bumps by happens-before would be reported as a race here
  for (const name of ['mutex', 'spinLock', 'ticketLock', 'semaphoreMutex', 'once', 'latch', 'mutexAsync', 'semaphoreAsync', 'latchAsync', 'onceAsync'] as const) {
    it(name, async () => {
      const r = await explore(primitives, { export: name, model: 'js' });
      expect(r).toHold();
      expect(r.stats.executions, name).toBeGreaterThan(1);
    });
  }

  it('an unprotected plain counter races (the detector can fail)', async () => {
    const r = await explore(broken, { export: 'unlockedCounter', model: 'js' });
    expect(r.violation?.kind).toBe('race');
    // under sc the same scenario is a lost increment, found by the check instead
    const sc = await explore(broken, { export: 'unlockedCounter' });
    expect(sc.violation?.kind).toBe('check');
  });
});

/** Copy impl/sync and the scenarios to a temporary tree, with `from` replaced by `to` in one file, and explore there. */
async function exploreMutant(file: string, from: string, to: string, exportName: string): Promise<Awaited<ReturnType<typeof explore>>> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-mutant-'));
  try {
    mkdirSync(join(dir, 'impl/sync'), { recursive: true });
    mkdirSync(join(dir, 'test/fixtures/explore'), { recursive: true });
    for (const f of readdirSync(join(ROOT, 'impl/sync'))) copyFileSync(join(ROOT, 'impl/sync', f), join(dir, 'impl/sync', f));
    copyFileSync(primitives, join(dir, 'test/fixtures/explore/syncPrimitives.ts'));
    const text = readFileSync(join(ROOT, 'impl/sync', file), 'utf8');
    expect(text.split(from).length - 1, `${file} has the mutated text exactly once`).toBe(1);
    writeFileSync(join(dir, 'impl/sync', file), text.replace(from, to));
    return await explore(join(dir, 'test/fixtures/explore/syncPrimitives.ts'), { export: exportName });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a one-line mutation of impl/sync fails the exploration', () => {
  it('Mutex.lock with the compareExchange expecting LOCKED, not UNLOCKED: both threads get in', async () => {
    const r = await exploreMutant('mutex.ts', 'Atomics.compareExchange(this.view, STATE, UNLOCKED, LOCKED) !== UNLOCKED) this.#lockSlow(Infinity);\n    return', 'Atomics.compareExchange(this.view, STATE, LOCKED, LOCKED) !== UNLOCKED) this.#lockSlow(Infinity);\n    return', 'mutex');
    expect(r.verdict).toBe('fail');
    // Both get in; the first violation DPOR meets is the owner check of the second unlock (the
    // first unlock cleared OWNER), before any check of the counter.
    expect(r.violation?.message).toBe('thread 1: SyncError: Mutex.unlock: the lock is not held (handle 2)');
    expect(r.violation?.trace.some((s) => s.what === 'Atomics.compareExchange(Int32[0], 1, 1) → 0 (failed)' && /impl\/sync\/mutex\.ts:\d+:\d+$/.test(s.at))).toBe(true);
  });

  it('SpinLock whose test-and-set writes FREE, not HELD: both threads get in', async () => {
    const r = await exploreMutant('spinLock.ts', 'Atomics.compareExchange(this.view, STATE, FREE, HELD) === FREE', 'Atomics.compareExchange(this.view, STATE, FREE, FREE) === FREE', 'spinLock');
    expect(r.verdict).toBe('fail');
    expect(r.violation?.message).toBe('thread 1: SyncError: SpinLock.unlock: the lock is not held (handle 2)');
  });

  it('Mutex.unlock that skips the notify: a contended waiter sleeps forever', async () => {
    const r = await exploreMutant('mutex.ts', '      Atomics.notify(this.view, STATE, 1);\n', '', 'mutex');
    expect(r.verdict).toBe('fail');
    expect(r.violation?.kind).toBe('deadlock');
    expect(r.violation?.message).toMatch(/waits in Atomics\.wait at .*impl\/sync\/mutex\.ts:\d+:\d+/);
  });

  it('Mutex.unlock that skips the notify, with two lockAsync() callers: the waiter awaits Atomics.waitAsync forever', async () => {
    const r = await exploreMutant('mutex.ts', '      Atomics.notify(this.view, STATE, 1);\n', '', 'mutexAsync2');
    expect(r.verdict).toBe('fail');
    expect(r.violation?.kind).toBe('deadlock');
    expect(r.violation?.message).toMatch(/awaits Atomics\.waitAsync at .*impl\/sync\/common\.ts:\d+:\d+/);
  });

  it('Latch.waitAsync that returns at a count of 1: the async waiter leaves early', async () => {
    const r = await exploreMutant('latch.ts', '      const c = Atomics.load(v, COUNT);\n      if (c === 0) return true;\n      const left = remaining(deadline);\n      if (left === 0) return false;\n      await', '      const c = Atomics.load(v, COUNT);\n      if (c <= 1) return true;\n      const left = remaining(deadline);\n      if (left === 0) return false;\n      await', 'latchAsync');
    expect(r.verdict).toBe('fail');
    expect(r.violation?.message).toMatch(/thread 1 left the latch before thread 0 counted down/);
  });

  it('TicketLock.unlock that notifies only with 2 sleepers: the one sleeper is never woken', async () => {
    const r = await exploreMutant('ticketLock.ts', 'if (Atomics.load(v, SLEEPERS) > 0) Atomics.notify(v, SERVING);', 'if (Atomics.load(v, SLEEPERS) > 1) Atomics.notify(v, SERVING);', 'ticketLock');
    expect(r.verdict).toBe('fail');
    expect(r.violation?.kind).toBe('deadlock');
    expect(r.violation?.message).toMatch(/waits in Atomics\.wait at .*impl\/sync\/ticketLock\.ts:\d+:\d+/);
  });
});
