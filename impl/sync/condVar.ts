/**
 * CondVar: a condition variable over a sequence counter, used with Mutex (U. Drepper, "Futexes
 * Are Tricky", 2011, on futex-based condition variables; the counter design as in the Linux
 * futex(2) man page's FUTEX_WAIT usage and in Rust's futex-based Condvar). Twin:
 * examples/sync/condvar.mw; the lost-wakeup design it fixes: examples/broken/condvar_lost_wakeup.mw.
 *
 * Layout (3 slots = 12 bytes, 4-byte aligned; 64 recommended):
 *   [0] SEQ      bumped by every signal/broadcast (wraps at 2^32; only equality is used)
 *   [1] SLEEPERS threads between "read SEQ" and "woke up" in wait (lets signal skip notify)
 *   [2] MAGIC    MAGIC.condVar
 *
 * wait(mutex): read SEQ (while still holding the mutex), unlock, Atomics.wait(SEQ, seen), lock.
 * signal/broadcast: add 1 to SEQ, then notify one/all. A signal that comes after the unlock but
 * before the wait has changed SEQ, so the wait returns at once: no lost wakeup. (The broken
 * design waits on a word the signaller never changes, so that window loses the signal.)
 * As with every condition variable, wait may return spuriously: re-check the condition in a loop.
 */
import { MAGIC, SyncError, checkMagic, checkTimeout, viewOf, waitAsyncWord } from './common.js';
import { Mutex, RESUME, RESUME_ASYNC, SUSPEND } from './mutex.js';

const SEQ = 0;
const SLEEPERS = 1;
const SLOTS = 3;

/** A handle on a condition variable; one per worker (per user). */
export class CondVar {
  /** Number of 32-bit slots the layout uses. */
  static readonly SLOTS = SLOTS;
  /** Number of bytes the layout uses. */
  static readonly BYTES = SLOTS * 4;

  /** Set up a condition variable at (buffer, byteOffset); call once, before any handle exists. */
  static initialize(buffer: SharedArrayBuffer, byteOffset: number): void {
    const v = viewOf('CondVar', buffer, byteOffset, SLOTS);
    Atomics.store(v, SEQ, 0);
    Atomics.store(v, SLEEPERS, 0);
    Atomics.store(v, SLOTS - 1, MAGIC.condVar);
  }

  readonly #v: Int32Array;

  /** Attach to a condition variable that `initialize` set up at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset: number) {
    this.#v = viewOf('CondVar', buffer, byteOffset, SLOTS);
    checkMagic('CondVar', this.#v, MAGIC.condVar);
  }

  /**
   * Atomically release `mutex` (which this thread must hold through `mutex`) and wait for a
   * signal, then re-lock it (the same acquisition: a guard from `mutex.lock()` stays live across
   * the wait). Returns false if timeoutMs ran out first, true otherwise (including
   * spurious wake-ups: always re-check the condition).
   */
  wait(mutex: Mutex, timeoutMs: number = Infinity): boolean {
    checkTimeout('CondVar.wait', timeoutMs);
    const [seen, token] = this.#enter(mutex, 'wait');
    let r: string;
    try {
      // Sleeps only if no signal bumped SEQ since we read it under the mutex.
      r = Atomics.wait(this.#v, SEQ, seen, timeoutMs);
    } finally {
      Atomics.sub(this.#v, SLEEPERS, 1);
      mutex[RESUME](token); // the caller's acquisition (and guard) continues
    }
    return r !== 'timed-out';
  }

  /** Async wait for threads that must not block; re-locks with mutex.lockAsync. */
  async waitAsync(mutex: Mutex, timeoutMs: number = Infinity): Promise<boolean> {
    checkTimeout('CondVar.waitAsync', timeoutMs);
    const [seen, token] = this.#enter(mutex, 'waitAsync');
    let r: string;
    try {
      r = await waitAsyncWord(this.#v, SEQ, seen, timeoutMs);
    } finally {
      Atomics.sub(this.#v, SLEEPERS, 1);
      await mutex[RESUME_ASYNC](token);
    }
    return r !== 'timed-out';
  }

  /** Wake one waiter (if any). */
  signal(): void {
    this.#bump(1);
  }

  /** Wake every waiter. */
  broadcast(): void {
    this.#bump(Infinity);
  }

  /** Announce, read SEQ under the mutex, then unlock; returns the SEQ to wait on and the suspended acquisition. */
  #enter(mutex: Mutex, op: string): [number, number] {
    // before anything changes: a SpinLock, TicketLock or RWLock has no suspend/resume (it was a TypeError with SLEEPERS left at 1)
    if (!(mutex instanceof Mutex)) {
      const what = mutex === null || typeof mutex !== 'object' ? String(mutex) : ((mutex as object).constructor?.name ?? 'an object');
      throw new SyncError('bad-argument', `CondVar.${op}: the lock must be a Mutex, got ${what}`);
    }
    if (!mutex.isHeld) {
      throw new SyncError('not-held', 'CondVar.wait: the mutex must be held by this handle when waiting');
    }
    Atomics.add(this.#v, SLEEPERS, 1); // before reading SEQ: a signal that misses us bumped SEQ first
    const seen = Atomics.load(this.#v, SEQ); // read while holding the mutex: the condition was false at this SEQ
    return [seen, mutex[SUSPEND]()];
  }

  #bump(count: number): void {
    Atomics.add(this.#v, SEQ, 1); // change the word waiters compare against: no lost wakeup
    if (Atomics.load(this.#v, SLEEPERS) > 0) Atomics.notify(this.#v, SEQ, count);
  }
}
