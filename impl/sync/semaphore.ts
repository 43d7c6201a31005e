/**
 * Semaphore: a counting semaphore (E. W. Dijkstra, "Cooperating sequential processes", EWD123,
 * 1965, P/V), with an optional upper bound on the count, on Atomics.wait/notify. Twin:
 * examples/sync/semaphore.mw.
 *
 * Layout (4 slots = 16 bytes, 4-byte aligned; 64 recommended):
 *   [0] COUNT    permits available, 0 ≤ COUNT ≤ MAX
 *   [1] SLEEPERS threads parked (or about to park) in Atomics.wait(COUNT, 0)
 *   [2] MAX      upper bound on COUNT (releasing beyond it is a SyncError); 2^31-1 = unbounded
 *   [3] MAGIC    MAGIC.semaphore
 *
 * acquire: compareExchange COUNT c → c-1 while c > 0; when COUNT is 0, spin briefly, then
 * announce in SLEEPERS and park in Atomics.wait(COUNT, 0). release(n): compareExchange c → c+n
 * (checking the bound), then notify n sleepers if SLEEPERS > 0. The announce-then-wait /
 * add-then-read-SLEEPERS pair is the Dekker handshake that prevents lost wakeups.
 */
import { MAGIC, SPIN_LIMIT, SyncError, checkMagic, checkTimeout, now, remaining, viewOf, waitAsyncWord } from './common.js';

const COUNT = 0;
const SLEEPERS = 1;
const MAX = 2;
const SLOTS = 4;

/** The largest count (and the bound of an "unbounded" semaphore). */
const INT32_MAX = 0x7fffffff;

/** A handle on a counting semaphore; one per worker (per user). */
export class Semaphore {
  /** Number of 32-bit slots the layout uses. */
  static readonly SLOTS = SLOTS;
  /** Number of bytes the layout uses. */
  static readonly BYTES = SLOTS * 4;

  /** Set up a semaphore with `initial` permits and an optional bound `max` (default unbounded); call once. */
  static initialize(buffer: SharedArrayBuffer, byteOffset: number, initial: number, max: number = INT32_MAX): void {
    const v = viewOf('Semaphore', buffer, byteOffset, SLOTS);
    if (!Number.isInteger(max) || max < 1 || max > INT32_MAX) {
      throw new SyncError('bad-argument', `Semaphore.initialize: max must be an integer in 1..${INT32_MAX}, got ${String(max)}`);
    }
    if (!Number.isInteger(initial) || initial < 0 || initial > max) {
      throw new SyncError('bad-argument', `Semaphore.initialize: initial must be an integer in 0..${max}, got ${String(initial)}`);
    }
    Atomics.store(v, COUNT, initial);
    Atomics.store(v, SLEEPERS, 0);
    Atomics.store(v, MAX, max);
    Atomics.store(v, SLOTS - 1, MAGIC.semaphore);
  }

  readonly #v: Int32Array;
  /** The bound on the count (2^31-1 when unbounded). */
  readonly max: number;

  /** Attach to a semaphore that `initialize` set up at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset: number) {
    this.#v = viewOf('Semaphore', buffer, byteOffset, SLOTS);
    checkMagic('Semaphore', this.#v, MAGIC.semaphore);
    this.max = Atomics.load(this.#v, MAX);
  }

  /** Permits available right now (a snapshot). */
  get available(): number {
    return Atomics.load(this.#v, COUNT);
  }

  /** Take one permit, blocking (spin, then park) until one is available. */
  acquire(): void {
    if (!this.#take()) this.#acquireSlow(Infinity);
  }

  /** Take a permit at once (timeoutMs = 0) or within timeoutMs; true if we got one. */
  tryAcquire(timeoutMs = 0): boolean {
    checkTimeout('Semaphore.tryAcquire', timeoutMs);
    if (this.#take()) return true;
    return timeoutMs > 0 && this.#acquireSlow(now() + timeoutMs);
  }

  /** Give back n permits (default 1) and wake up to n sleepers; 'overflow' beyond the bound. */
  release(n = 1): void {
    if (!Number.isInteger(n) || n < 1) throw new SyncError('bad-argument', `Semaphore.release: n must be a positive integer, got ${String(n)}`);
    const v = this.#v;
    let c = Atomics.load(v, COUNT);
    for (;;) {
      if (c > this.max - n) {
        throw new SyncError('overflow', `Semaphore.release: releasing ${n} with ${c} available would exceed the bound ${this.max}`);
      }
      const seen = Atomics.compareExchange(v, COUNT, c, c + n);
      if (seen === c) break;
      c = seen;
    }
    // After COUNT grew (SC), read SLEEPERS: a sleeper that announced before this read is woken;
    // one that announces after will find COUNT > 0 in its Atomics.wait and not sleep.
    if (Atomics.load(v, SLEEPERS) > 0) Atomics.notify(v, COUNT, n);
  }

  /** Async acquire for threads that must not block. */
  async acquireAsync(): Promise<void> {
    if (!this.#take()) await this.#acquireSlowAsync(Infinity);
  }

  /** Async tryAcquire with a timeout; resolves true if we got a permit. */
  async tryAcquireAsync(timeoutMs: number): Promise<boolean> {
    checkTimeout('Semaphore.tryAcquireAsync', timeoutMs);
    if (this.#take()) return true;
    return timeoutMs > 0 && this.#acquireSlowAsync(now() + timeoutMs);
  }

  /** One attempt: decrement COUNT if it is positive. */
  #take(): boolean {
    const v = this.#v;
    let c = Atomics.load(v, COUNT);
    while (c > 0) {
      const seen = Atomics.compareExchange(v, COUNT, c, c - 1);
      if (seen === c) return true;
      c = seen;
    }
    return false;
  }

  #acquireSlow(deadline: number): boolean {
    const v = this.#v;
    for (let i = 0; i < SPIN_LIMIT; i++) {
      if (Atomics.load(v, COUNT) > 0 && this.#take()) return true;
    }
    for (;;) {
      if (this.#take()) return true;
      const left = remaining(deadline);
      if (left === 0) return false;
      Atomics.add(v, SLEEPERS, 1); // announce before the wait re-checks COUNT (see release)
      Atomics.wait(v, COUNT, 0, left); // sleeps only while COUNT is still 0
      Atomics.sub(v, SLEEPERS, 1);
    }
  }

  async #acquireSlowAsync(deadline: number): Promise<boolean> {
    const v = this.#v;
    for (;;) {
      if (this.#take()) return true;
      const left = remaining(deadline);
      if (left === 0) return false;
      Atomics.add(v, SLEEPERS, 1);
      try {
        await waitAsyncWord(v, COUNT, 0, left);
      } finally {
        Atomics.sub(v, SLEEPERS, 1);
      }
    }
  }
}
