/**
 * Latch: a single-use count-down latch: threads count down, waiters block until the count reaches
 * zero (java.util.concurrent.CountDownLatch; C++20 std::latch). Twin: examples/sync/latch.mw.
 *
 * Layout (2 slots = 8 bytes, 4-byte aligned):
 *   [0] COUNT  remaining count, ≥ 0; 0 = open (for good)
 *   [1] MAGIC  MAGIC.latch
 *
 * countDown(n): compareExchange COUNT c → c-n (counting below zero is a SyncError); the call that
 * reaches 0 notifies all. wait(): while COUNT = c > 0, Atomics.wait(COUNT, c) — it compares and
 * sleeps atomically, so a count-down between the read and the sleep only makes it re-check.
 */
import { MAGIC, SPIN_LIMIT, SyncError, checkMagic, checkTimeout, now, remaining, viewOf, waitAsyncWord } from './common.js';

const COUNT = 0;
const SLOTS = 2;

/** A handle on a count-down latch; one per worker (per user). */
export class Latch {
  /** Number of 32-bit slots the layout uses. */
  static readonly SLOTS = SLOTS;
  /** Number of bytes the layout uses. */
  static readonly BYTES = SLOTS * 4;

  /** Set up a latch with `count` (≥ 0) at (buffer, byteOffset); call once, before any handle exists. */
  static initialize(buffer: SharedArrayBuffer, byteOffset: number, count: number): void {
    const v = viewOf('Latch', buffer, byteOffset, SLOTS);
    if (!Number.isInteger(count) || count < 0 || count > 0x7fffffff) {
      throw new SyncError('bad-argument', `Latch.initialize: count must be an integer in 0..2^31-1, got ${String(count)}`);
    }
    Atomics.store(v, COUNT, count);
    Atomics.store(v, SLOTS - 1, MAGIC.latch);
  }

  readonly #v: Int32Array;

  /** Attach to a latch that `initialize` set up at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset: number) {
    this.#v = viewOf('Latch', buffer, byteOffset, SLOTS);
    checkMagic('Latch', this.#v, MAGIC.latch);
  }

  /** The remaining count (a snapshot). */
  get count(): number {
    return Atomics.load(this.#v, COUNT);
  }

  /** Count down by n (default 1); 'overflow' if that would go below zero. */
  countDown(n = 1): void {
    if (!Number.isInteger(n) || n < 1) throw new SyncError('bad-argument', `Latch.countDown: n must be a positive integer, got ${String(n)}`);
    const v = this.#v;
    let c = Atomics.load(v, COUNT);
    for (;;) {
      if (c < n) throw new SyncError('overflow', `Latch.countDown: counting down ${n} with ${c} left would go below zero`);
      const seen = Atomics.compareExchange(v, COUNT, c, c - n);
      if (seen === c) break;
      c = seen;
    }
    if (c === n) Atomics.notify(v, COUNT); // we opened it: wake every waiter
  }

  /** Whether the latch is open (count 0), without waiting. */
  tryWait(): boolean {
    return Atomics.load(this.#v, COUNT) === 0;
  }

  /** Block until the count is 0, or timeoutMs passes; true if open. */
  wait(timeoutMs: number = Infinity): boolean {
    checkTimeout('Latch.wait', timeoutMs);
    const v = this.#v;
    const deadline = timeoutMs === Infinity ? Infinity : now() + timeoutMs;
    // Spin a little first: the last count-down is often a moment away on another core.
    for (let i = 0; i < SPIN_LIMIT; i++) if (Atomics.load(v, COUNT) === 0) return true;
    for (;;) {
      const c = Atomics.load(v, COUNT);
      if (c === 0) return true;
      const left = remaining(deadline);
      if (left === 0) return false;
      Atomics.wait(v, COUNT, c, left); // sleeps only while COUNT is still c
    }
  }

  /** Count down by one, then wait for the latch to open. */
  arriveAndWait(): void {
    this.countDown(1);
    this.wait();
  }

  /** Async wait for threads that must not block; resolves true if open, false on timeout. */
  async waitAsync(timeoutMs: number = Infinity): Promise<boolean> {
    checkTimeout('Latch.waitAsync', timeoutMs);
    const v = this.#v;
    const deadline = timeoutMs === Infinity ? Infinity : now() + timeoutMs;
    for (;;) {
      const c = Atomics.load(v, COUNT);
      if (c === 0) return true;
      const left = remaining(deadline);
      if (left === 0) return false;
      await waitAsyncWord(v, COUNT, c, left);
    }
  }
}
