/**
 * SpinLock: test-and-test-and-set with exponential backoff (M. Herlihy & N. Shavit, "The Art of
 * Multiprocessor Programming", 2008, §7.2 TTASLock and §7.4 BackoffLock; T. E. Anderson, "The
 * performance of spin lock alternatives for shared-memory multiprocessors", IEEE TPDS 1(1), 1990).
 * Twin: examples/locks/spinlock.mw.
 *
 * Layout (4 slots = 16 bytes, 4-byte aligned; 64 recommended):
 *   [0] STATE  0 = free, 1 = held
 *   [1] OWNER  handle id of the holder, 0 when free (written only by the holder)
 *   [2] IDS    last handle id given out
 *   [3] MAGIC  MAGIC.spinLock
 *
 * Unlock is one Atomics.store and never notifies. A waiter reads the word (test) and only tries
 * the compareExchange (test-and-set) when it looks free, backing off for an exponentially growing
 * number of idle reads between attempts. With more threads than cores pure spinning would steal
 * the holder's core, so after SPIN_BUDGET attempts a waiter sleeps in Atomics.wait(STATE, 1, t)
 * with a tiny timeout t (growing to 1 ms): a bounded yield, never an unbounded busy spin. Since
 * unlock never notifies, the sleep always runs out its timeout unless the word changed first.
 */
import {
  LockGuard,
  MAGIC,
  ExclusiveLockHandle,
  type ExclusiveLayout,
  checkTimeout,
  now,
  remaining,
  waitAsyncWord,
} from './common.js';

const STATE = 0;
const OWNER = 1;
const IDS = 2;
const SLOTS = 4;
/** Where this lock keeps its words (see the layout above). */
const LAYOUT: ExclusiveLayout = { slots: SLOTS, magic: MAGIC.spinLock, owner: OWNER, ids: IDS };

const FREE = 0;
const HELD = 1;

/** Attempts (each followed by a backoff) before a waiter starts to sleep between attempts. */
const SPIN_BUDGET = 16;
/** Cap on the backoff, in idle reads. */
const MAX_BACKOFF = 1024;
/** First and largest sleep once the budget is spent, in ms (Atomics.wait takes fractions). */
const MIN_SLEEP_MS = 0.02;
const MAX_SLEEP_MS = 1;

/** A handle on a test-and-test-and-set spin lock with backoff; one per worker (per user). */
export class SpinLock extends ExclusiveLockHandle {
  /** Number of 32-bit slots the layout uses. */
  static readonly SLOTS = SLOTS;
  /** Number of bytes the layout uses. */
  static readonly BYTES = SLOTS * 4;

  /** Set up a free spin lock at (buffer, byteOffset); call once, before any handle exists. */
  static initialize(buffer: SharedArrayBuffer, byteOffset: number): void {
    ExclusiveLockHandle.initializeLayout('SpinLock', buffer, byteOffset, LAYOUT);
  }

  /** Attach to a spin lock that `initialize` set up at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset: number) {
    super('SpinLock', buffer, byteOffset, LAYOUT);
  }

  /** Spin (then yield) until the lock is ours; returns a guard. */
  lock(): LockGuard {
    this.own.checkRelock();
    if (!this.#attempt()) this.#lockSlow(Infinity);
    return this.own.acquired();
  }

  /** Take the lock at once (timeoutMs = 0) or within timeoutMs; true if we got it. */
  tryLock(timeoutMs = 0): boolean {
    checkTimeout('SpinLock.tryLock', timeoutMs);
    this.own.checkRelock();
    if (!this.#attempt() && (timeoutMs === 0 || !this.#lockSlow(now() + timeoutMs))) return false;
    this.own.acquired();
    return true;
  }

  /** Release the lock: one store, no notify. A SyncError if this handle does not hold it. */
  override unlock(): void {
    this.own.releasing(); // before the release: the next holder's OWNER store must win
    // A sequentially consistent store: every write in the critical region is visible before
    // another thread can see the lock free (the PSO failure of tas_plain_unlock.mw is this line
    // written as a plain store).
    Atomics.store(this.view, STATE, FREE);
  }

  /** Async lock for threads that must not block: polls with waitAsync timeouts; resolves to a guard. */
  async lockAsync(): Promise<LockGuard> {
    this.own.checkRelock();
    if (!this.#attempt()) await this.#lockSlowAsync(Infinity);
    return this.own.acquired();
  }

  /** Async tryLock with a timeout; resolves true if we got the lock. */
  async tryLockAsync(timeoutMs: number): Promise<boolean> {
    checkTimeout('SpinLock.tryLockAsync', timeoutMs);
    this.own.checkRelock();
    if (!this.#attempt() && (timeoutMs === 0 || !(await this.#lockSlowAsync(now() + timeoutMs)))) return false;
    this.own.acquired();
    return true;
  }

  /** Test, then test-and-set: the CAS (which takes the cache line exclusive) only when it looks free. */
  #attempt(): boolean {
    return Atomics.load(this.view, STATE) === FREE && Atomics.compareExchange(this.view, STATE, FREE, HELD) === FREE;
  }

  #lockSlow(deadline: number): boolean {
    const v = this.view;
    let backoff = 4;
    for (let attempt = 0; attempt < SPIN_BUDGET; attempt++) {
      // Backoff: idle reads of the word, no writes, doubling each time (Anderson 1990).
      for (let i = 0; i < backoff && Atomics.load(v, STATE) !== FREE; i++);
      if (this.#attempt()) return true;
      backoff = Math.min(backoff * 2, MAX_BACKOFF);
      if (deadline !== Infinity && remaining(deadline) === 0) return false;
    }
    // Budget spent: sleep between attempts (returns early only if the word is no longer 1).
    let sleep = MIN_SLEEP_MS;
    for (;;) {
      const left = remaining(deadline);
      if (left === 0) return false;
      Atomics.wait(v, STATE, HELD, Math.min(sleep, left));
      if (this.#attempt()) return true;
      sleep = Math.min(sleep * 2, MAX_SLEEP_MS);
    }
  }

  async #lockSlowAsync(deadline: number): Promise<boolean> {
    let sleep = MIN_SLEEP_MS;
    for (;;) {
      const left = remaining(deadline);
      if (left === 0) return false;
      await waitAsyncWord(this.view, STATE, HELD, Math.min(sleep, left));
      if (this.#attempt()) return true;
      sleep = Math.min(sleep * 2, MAX_SLEEP_MS);
    }
  }
}
