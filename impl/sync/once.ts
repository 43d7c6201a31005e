/**
 * Once: run an initialiser exactly once across all threads; callers that arrive while it runs
 * wait for it to finish (the C++ std::call_once / pthread_once contract; a three-state word with
 * Atomics.wait as in U. Drepper, "Futexes Are Tricky", 2011). Twin: examples/sync/once.mw.
 *
 * Layout (2 slots = 8 bytes, 4-byte aligned):
 *   [0] STATE  0 = not run, 1 = running, 2 = done
 *   [1] MAGIC  MAGIC.once
 *
 * run(fn): if STATE is 2, return false. compareExchange 0 → 1 makes the caller the runner: it
 * runs fn, stores 2 and notifies everyone. Everyone else parks on STATE = 1. If fn throws, the
 * runner puts STATE back to 0, wakes the others (one of them becomes the next runner, as with
 * std::call_once) and rethrows. What fn does must be visible to every thread: it should write
 * shared memory (fn's own return value stays in the runner's thread); the SC store of 2 orders
 * fn's Atomics writes, and its plain writes to a SharedArrayBuffer, before any "done".
 */
import { MAGIC, SyncError, checkMagic, viewOf, waitAsyncWord } from './common.js';

const STATE = 0;
const SLOTS = 2;

const NOT_RUN = 0;
const RUNNING = 1;
const DONE = 2;

/**
 * The once-flags whose initialiser this thread is running (buffer → byte offsets), through any
 * handle, with run or runAsync. A blocking run of one of them here could only wait for itself: it
 * is refused ('relock') instead of blocking forever. (A flag reached through another
 * SharedArrayBuffer object for the same memory in the same thread is not recognised.)
 */
const runningHere = new WeakMap<SharedArrayBuffer, Set<number>>();

/** A handle on a once-flag; one per worker (per user). */
export class Once {
  /** Number of 32-bit slots the layout uses. */
  static readonly SLOTS = SLOTS;
  /** Number of bytes the layout uses. */
  static readonly BYTES = SLOTS * 4;

  /** Set up a not-yet-run once-flag at (buffer, byteOffset); call once, before any handle exists. */
  static initialize(buffer: SharedArrayBuffer, byteOffset: number): void {
    const v = viewOf('Once', buffer, byteOffset, SLOTS);
    Atomics.store(v, STATE, NOT_RUN);
    Atomics.store(v, SLOTS - 1, MAGIC.once);
  }

  readonly #v: Int32Array;
  readonly #buffer: SharedArrayBuffer;
  readonly #offset: number;

  /** Attach to a once-flag that `initialize` set up at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset: number) {
    this.#v = viewOf('Once', buffer, byteOffset, SLOTS);
    checkMagic('Once', this.#v, MAGIC.once);
    this.#buffer = buffer;
    this.#offset = byteOffset;
  }

  /** Whether the initialiser has completed (in some thread). */
  get isDone(): boolean {
    return Atomics.load(this.#v, STATE) === DONE;
  }

  /** Run fn if nobody has (true: this call ran it); otherwise wait until it has run (false). */
  run(fn: () => void): boolean {
    const v = this.#v;
    if (runningHere.get(this.#buffer)?.has(this.#offset) === true) {
      throw new SyncError('relock', 'Once.run: called from inside its own initialiser (or while this thread runs it with runAsync): waiting for it would deadlock');
    }
    for (;;) {
      const s = Atomics.compareExchange(v, STATE, NOT_RUN, RUNNING);
      if (s === DONE) return false;
      if (s === NOT_RUN) {
        this.#runAsRunner(fn);
        return true;
      }
      Atomics.wait(v, STATE, RUNNING); // sleeps only while the runner is still running
    }
  }

  /** Async run for threads that must not block; fn may be async (others wait until it settles). */
  async runAsync(fn: () => unknown): Promise<boolean> {
    const v = this.#v;
    for (;;) {
      const s = Atomics.compareExchange(v, STATE, NOT_RUN, RUNNING);
      if (s === DONE) return false;
      if (s === NOT_RUN) {
        const done = this.#mark();
        try {
          await fn();
        } catch (e) {
          done();
          this.#reset();
          throw e;
        }
        done();
        this.#finish();
        return true;
      }
      await waitAsyncWord(v, STATE, RUNNING, Infinity);
    }
  }

  #runAsRunner(fn: () => void): void {
    const done = this.#mark();
    try {
      fn();
    } catch (e) {
      done();
      this.#reset();
      throw e;
    }
    done();
    this.#finish();
  }

  /** Record that this thread runs this flag's initialiser; the returned function clears it. */
  #mark(): () => void {
    let set = runningHere.get(this.#buffer);
    if (set === undefined) runningHere.set(this.#buffer, (set = new Set()));
    const offsets = set;
    offsets.add(this.#offset);
    return () => void offsets.delete(this.#offset);
  }

  #finish(): void {
    Atomics.store(this.#v, STATE, DONE); // SC: fn's writes are visible before "done" is
    Atomics.notify(this.#v, STATE);
  }

  #reset(): void {
    Atomics.store(this.#v, STATE, NOT_RUN); // let a waiter become the runner
    Atomics.notify(this.#v, STATE);
  }
}
