/**
 * TicketLock: a FIFO lock from a ticket dispenser and a "now serving" counter (J. M.
 * Mellor-Crummey & M. L. Scott, "Algorithms for scalable synchronization on shared-memory
 * multiprocessors", ACM TOCS 9(1), 1991, §2.2; D. P. Reed & R. K. Kanodia, "Synchronization with
 * eventcounts and sequencers", CACM 22(2), 1979). Twin: examples/locks/ticket.mw (its
 * `await (load.sc(serving) == t)` is this file's spin-then-park wait on SERVING).
 *
 * Layout (6 slots = 24 bytes, 4-byte aligned; 64 recommended):
 *   [0] NEXT     next ticket to hand out (Atomics.add; wraps at 2^32, only equality is used)
 *   [1] SERVING  ticket that may enter; the holder's ticket while held
 *   [2] SLEEPERS number of threads parked (or about to park) in Atomics.wait on SERVING
 *   [3] OWNER    handle id of the holder, 0 when free (written only by the holder)
 *   [4] IDS      last handle id given out
 *   [5] MAGIC    MAGIC.ticketLock
 *
 * Threads enter in the order they took tickets. A waiter spins reading SERVING, then parks in
 * Atomics.wait(SERVING, seen). Unlock increments SERVING and notifies all parked threads only
 * if SLEEPERS > 0 (each wakes, and all but the next ticket park again). A ticket cannot be
 * given back, so there is no timed lock: tryLock() only takes the lock when it is free now.
 */
import { LockGuard, ExclusiveLockHandle, type ExclusiveLayout, MAGIC, SPIN_LIMIT, waitAsyncWord } from './common.js';

const NEXT = 0;
const SERVING = 1;
const SLEEPERS = 2;
const OWNER = 3;
const IDS = 4;
const SLOTS = 6;
/** Where this lock keeps its words (see the layout above). */
const LAYOUT: ExclusiveLayout = { slots: SLOTS, magic: MAGIC.ticketLock, owner: OWNER, ids: IDS };

/** A handle on a FIFO ticket lock; one per worker (per user). */
export class TicketLock extends ExclusiveLockHandle {
  /** Number of 32-bit slots the layout uses. */
  static readonly SLOTS = SLOTS;
  /** Number of bytes the layout uses. */
  static readonly BYTES = SLOTS * 4;

  /** Set up a free ticket lock at (buffer, byteOffset); call once, before any handle exists. */
  static initialize(buffer: SharedArrayBuffer, byteOffset: number): void {
    ExclusiveLockHandle.initializeLayout('TicketLock', buffer, byteOffset, LAYOUT);
  }

  /** Attach to a ticket lock that `initialize` set up at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset: number) {
    super('TicketLock', buffer, byteOffset, LAYOUT);
  }

  /** Take a ticket and wait (spin, then park) until it is served; returns a guard. */
  lock(): LockGuard {
    this.own.checkRelock();
    const v = this.view;
    const ticket = Atomics.add(v, NEXT, 1); // our place in the queue
    let seen = Atomics.load(v, SERVING);
    for (let i = 0; seen !== ticket && i < SPIN_LIMIT; i++) seen = Atomics.load(v, SERVING);
    while (seen !== ticket) {
      // Announce the sleep before re-reading SERVING; unlock bumps SERVING before it reads
      // SLEEPERS, so either it sees us (and notifies) or we see its bump (and do not sleep).
      Atomics.add(v, SLEEPERS, 1);
      Atomics.wait(v, SERVING, seen);
      Atomics.sub(v, SLEEPERS, 1);
      seen = Atomics.load(v, SERVING);
    }
    return this.own.acquired();
  }

  /** Take the lock only if nobody holds or waits for it; true if we got it. */
  tryLock(): boolean {
    this.own.checkRelock();
    const v = this.view;
    const serving = Atomics.load(v, SERVING);
    // Free means next == serving; taking ticket `serving` is then entering at once.
    if (Atomics.compareExchange(v, NEXT, serving, (serving + 1) | 0) !== serving) return false;
    this.own.acquired();
    return true;
  }

  /** Serve the next ticket; a SyncError if this handle does not hold the lock. */
  override unlock(): void {
    const v = this.view;
    this.own.releasing(); // before SERVING moves: the next holder's OWNER store must win
    Atomics.add(v, SERVING, 1); // SC: critical-region writes are visible before the next ticket enters
    if (Atomics.load(v, SLEEPERS) > 0) Atomics.notify(v, SERVING); // all: only the next ticket stays awake
  }

  /** Async lock for threads that must not block; resolves to a guard once our ticket is served. */
  async lockAsync(): Promise<LockGuard> {
    this.own.checkRelock();
    const v = this.view;
    const ticket = Atomics.add(v, NEXT, 1);
    let seen = Atomics.load(v, SERVING);
    while (seen !== ticket) {
      Atomics.add(v, SLEEPERS, 1); // as in lock(): announce, then wait on the value seen
      try {
        await waitAsyncWord(v, SERVING, seen, Infinity);
      } finally {
        Atomics.sub(v, SLEEPERS, 1);
      }
      seen = Atomics.load(v, SERVING);
    }
    return this.own.acquired();
  }

}
