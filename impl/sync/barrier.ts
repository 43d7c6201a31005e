/**
 * Barrier: a reusable (cyclic) barrier for a fixed number of parties, with a generation counter
 * (sense reversal generalised: J. M. Mellor-Crummey & M. L. Scott, ACM TOCS 9(1), 1991, §3.1,
 * centralized barrier; Herlihy & Shavit, "The Art of Multiprocessor Programming", 2008, §17.3).
 * Twin: examples/sync/barrier.mw; the non-reusable design it fixes: examples/broken/barrier_not_reusable.mw.
 *
 * Layout (4 slots = 16 bytes, 4-byte aligned; 64 recommended):
 *   [0] ARRIVED  parties that arrived in the current generation, 0 ≤ ARRIVED < PARTIES
 *   [1] GEN      generation number (wraps at 2^32; only equality is used)
 *   [2] PARTIES  number of parties, fixed by initialize
 *   [3] MAGIC    MAGIC.barrier
 *
 * wait(): read GEN, then add 1 to ARRIVED. The last party resets ARRIVED to 0 *before* it bumps
 * GEN and notifies everyone; the others spin briefly, then park in Atomics.wait(GEN, g) until GEN
 * moves. A party of the next generation can only arrive after seeing GEN move, so it always
 * finds ARRIVED already reset: generations never mix. A single counter that is reset by "the
 * last one out" instead is not reusable (see the broken twin).
 */
import { MAGIC, SPIN_LIMIT, SyncError, checkMagic, viewOf, waitAsyncWord } from './common.js';

const ARRIVED = 0;
const GEN = 1;
const PARTIES = 2;
const SLOTS = 4;

/** A handle on a reusable barrier; one per worker (per party). */
export class Barrier {
  /** Number of 32-bit slots the layout uses. */
  static readonly SLOTS = SLOTS;
  /** Number of bytes the layout uses. */
  static readonly BYTES = SLOTS * 4;

  /** Set up a barrier for `parties` parties (1 to 2^31 − 1: the PARTIES word is an int32); call once, before any handle exists. */
  static initialize(buffer: SharedArrayBuffer, byteOffset: number, parties: number): void {
    const v = viewOf('Barrier', buffer, byteOffset, SLOTS);
    if (!Number.isInteger(parties) || parties < 1 || parties > 0x7fffffff) {
      // 2^31 would be stored as −2^31 (every wait returns at once), 2^32 + 1 as 1
      throw new SyncError('bad-argument', `Barrier.initialize: parties must be an integer from 1 to 2147483647, got ${String(parties)}`);
    }
    Atomics.store(v, ARRIVED, 0);
    Atomics.store(v, GEN, 0);
    Atomics.store(v, PARTIES, parties);
    Atomics.store(v, SLOTS - 1, MAGIC.barrier);
  }

  readonly #v: Int32Array;
  /** The number of parties the barrier waits for. */
  readonly parties: number;

  /** Attach to a barrier that `initialize` set up at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset: number) {
    this.#v = viewOf('Barrier', buffer, byteOffset, SLOTS);
    checkMagic('Barrier', this.#v, MAGIC.barrier);
    this.parties = Atomics.load(this.#v, PARTIES);
  }

  /** The current generation (how many times the barrier has opened, mod 2^32). */
  get generation(): number {
    return Atomics.load(this.#v, GEN);
  }

  /** Arrive and block until all parties have arrived; true for exactly one party per generation (the last). */
  wait(): boolean {
    const v = this.#v;
    const g = this.#arrive();
    if (g === null) return true;
    for (let i = 0; i < SPIN_LIMIT; i++) if (Atomics.load(v, GEN) !== g) return false;
    // Sleeps only while GEN is still g: the last party's bump before its notify cannot be missed.
    while (Atomics.load(v, GEN) === g) Atomics.wait(v, GEN, g);
    return false;
  }

  /** Async wait for threads that must not block; resolves true for the last party. */
  async waitAsync(): Promise<boolean> {
    const v = this.#v;
    const g = this.#arrive();
    if (g === null) return true;
    while (Atomics.load(v, GEN) === g) await waitAsyncWord(v, GEN, g, Infinity);
    return false;
  }

  /** Count our arrival; the last party opens the barrier and gets null, the others the generation to wait out. */
  #arrive(): number | null {
    const v = this.#v;
    const g = Atomics.load(v, GEN); // read before arriving: GEN cannot move until we have arrived
    const arrived = Atomics.add(v, ARRIVED, 1) + 1;
    if (arrived < this.parties) return g;
    Atomics.store(v, ARRIVED, 0); // reset first: next-generation arrivals come only after GEN moves
    Atomics.add(v, GEN, 1); // open: SC, so the reset is visible to anyone who sees the new GEN
    Atomics.notify(v, GEN);
    return null;
  }
}
