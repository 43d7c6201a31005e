/**
 * A deliberately naive two-state mutex, written only as the baseline for bench/sync.bench.ts:
 * 0 = free, 1 = held; lock is a compareExchange loop that sleeps in Atomics.wait while the word
 * is 1, and unlock stores 0 and *always* calls Atomics.notify, whether anyone waits or not. It
 * is correct (no lost wake-up: the wait compares the word atomically) but pays a notify on every
 * unlock, which Drepper's three-state mutex (impl/sync/mutex.ts) exists to avoid.
 */

/** The naive mutex's layout: [0] state, 1 slot. */
export class NaiveMutex {
  /** Number of 32-bit slots the layout uses. */
  static readonly SLOTS = 1;
  /** Number of bytes the layout uses. */
  static readonly BYTES = 4;

  /** Set the word to free. */
  static initialize(buffer: SharedArrayBuffer, byteOffset: number): void {
    Atomics.store(new Int32Array(buffer, byteOffset, 1), 0, 0);
  }

  readonly #v: Int32Array;

  /** Attach to the word at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset: number) {
    this.#v = new Int32Array(buffer, byteOffset, 1);
  }

  /** Spin on compareExchange, sleeping while held. */
  lock(): void {
    while (Atomics.compareExchange(this.#v, 0, 0, 1) !== 0) Atomics.wait(this.#v, 0, 1);
  }

  /** Free the word and notify one waiter, always. */
  unlock(): void {
    Atomics.store(this.#v, 0, 0);
    Atomics.notify(this.#v, 0, 1);
  }
}
