/**
 * RWLock: a writer-preferring readers-writer lock (P. J. Courtois, F. Heymans & D. L. Parnas,
 * "Concurrent control with readers and writers", CACM 14(10), 1971, second problem: once a
 * writer waits, no new reader enters), on Atomics.wait/notify. Twin: examples/sync/rwlock.mw.
 *
 * Layout (6 slots = 24 bytes, 4-byte aligned; 64 recommended):
 *   [0] STATE    -1 = a writer holds, 0 = free, n > 0 = n readers hold
 *   [1] WRITERS  writers that announced themselves (waiting for, or just taking, the lock)
 *   [2] READERS_SLEEPING  readers parked (or about to park) in a wait (lets writers skip notify)
 *   [3] WRITER   handle id of the writer holding the lock, 0 otherwise
 *   [4] IDS      last handle id given out
 *   [5] MAGIC    MAGIC.rwLock
 *
 * Reader: if WRITERS = 0 and STATE ≥ 0, compareExchange STATE n → n+1; if a writer waits, park
 * on WRITERS (until it changes); if a writer holds, park on STATE = -1. Writer: add 1 to WRITERS
 * (from now on new readers stay out), compareExchange STATE 0 → -1, parking on STATE while it is
 * not 0; once in, take 1 from WRITERS (and wake readers parked on it). Readers leaving bring STATE
 * to 0 and wake the writers; a writer leaving sets STATE to 0 and wakes everyone parked on it.
 * No writer starves: once it has announced itself, each reader enters at most once more before it
 * (a reader that looked just before the announcement), checked in examples/sync/rwlock_bypass.mw.
 * Readers can wait behind a stream of writers (the price of writer preference); for the same
 * reason a handle that takes a second read lock while a writer waits deadlocks (read locks are
 * not re-entrant across writers).
 */
import { LockGuard, MAGIC, SyncError, allocateId, checkMagic, viewOf, waitAsyncWord } from './common.js';

const STATE = 0;
const WRITERS = 1;
const READERS_SLEEPING = 2;
const WRITER = 3;
const IDS = 4;
const SLOTS = 6;

const WRITE_HELD = -1;

/** A handle on a writer-preferring readers-writer lock; one per worker (per user). */
export class RWLock {
  /** Number of 32-bit slots the layout uses. */
  static readonly SLOTS = SLOTS;
  /** Number of bytes the layout uses. */
  static readonly BYTES = SLOTS * 4;

  /** Set up a free readers-writer lock at (buffer, byteOffset); call once, before any handle exists. */
  static initialize(buffer: SharedArrayBuffer, byteOffset: number): void {
    const v = viewOf('RWLock', buffer, byteOffset, SLOTS);
    for (let i = 0; i < SLOTS - 1; i++) Atomics.store(v, i, 0);
    Atomics.store(v, SLOTS - 1, MAGIC.rwLock);
  }

  readonly #v: Int32Array;
  /** This handle's id; WRITER holds it while this handle holds the write lock. */
  readonly id: number;
  /** Tokens of the read locks this handle holds, oldest first (handle-local: lets readUnlock detect misuse). */
  readonly #readTokens: number[] = [];
  /** Acquisitions so far (read and write); the write lock's token while held, else 0. */
  #acquisitions = 0;
  #writeToken = 0;
  readonly #readTarget = {
    holds: (token: number): boolean => this.#readTokens.includes(token),
    release: (token: number): void => {
      const i = this.#readTokens.indexOf(token);
      this.#readTokens.splice(i, 1);
      this.#readRelease();
    },
  };
  readonly #writeTarget = {
    holds: (token: number): boolean => token !== 0 && token === this.#writeToken,
    release: (): void => this.writeUnlock(),
  };

  /** Attach to a readers-writer lock that `initialize` set up at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset: number) {
    this.#v = viewOf('RWLock', buffer, byteOffset, SLOTS);
    checkMagic('RWLock', this.#v, MAGIC.rwLock);
    this.id = allocateId(this.#v, IDS);
  }

  /** Read locks this handle holds. */
  get readsHeld(): number {
    return this.#readTokens.length;
  }

  /** Whether this handle holds the write lock. */
  get isWriteHeld(): boolean {
    return Atomics.load(this.#v, WRITER) === this.id;
  }

  /** Block until we may read (no writer holds or waits); returns a guard. */
  readLock(): LockGuard {
    this.#checkNotWriter('readLock');
    for (;;) {
      const park = this.#readAttempt();
      if (park === null) break;
      Atomics.add(this.#v, READERS_SLEEPING, 1); // announce before the wait re-checks the word
      Atomics.wait(this.#v, park.index, park.value);
      Atomics.sub(this.#v, READERS_SLEEPING, 1);
    }
    return this.#readAcquired();
  }

  /** Take a read lock only if no writer holds or waits now; true if we got it. */
  tryReadLock(): boolean {
    this.#checkNotWriter('tryReadLock');
    if (this.#readAttempt() !== null) return false;
    this.#readAcquired();
    return true;
  }

  /** Release one read lock held by this handle (the most recent). */
  readUnlock(): void {
    if (this.#readTokens.length === 0) throw new SyncError('not-held', `RWLock.readUnlock: handle ${this.id} holds no read lock`);
    this.#readTokens.pop();
    this.#readRelease();
  }

  #readAcquired(): LockGuard {
    const token = ++this.#acquisitions;
    this.#readTokens.push(token);
    return new LockGuard(this.#readTarget, token);
  }

  #readRelease(): void {
    const v = this.#v;
    // SC decrement, then read WRITERS: a writer that announced before it will be notified; one
    // that announces after will see STATE already lower when it compares in Atomics.wait.
    if (Atomics.sub(v, STATE, 1) === 1 && Atomics.load(v, WRITERS) > 0) Atomics.notify(v, STATE);
  }

  /** Block until we hold the write lock; returns a guard. */
  writeLock(): LockGuard {
    this.#checkWriteRelock();
    if (this.#readTokens.length > 0) throw new SyncError('relock', `RWLock.writeLock: handle ${this.id} holds a read lock (upgrading would deadlock)`);
    const v = this.#v;
    Atomics.add(v, WRITERS, 1); // announce: new readers stay out from here on (writer preference)
    for (;;) {
      const s = Atomics.compareExchange(v, STATE, 0, WRITE_HELD);
      if (s === 0) break;
      Atomics.wait(v, STATE, s); // sleeps only while STATE is still s
    }
    return this.#writerIn();
  }

  /** Take the write lock only if the lock is free now; true if we got it. */
  tryWriteLock(): boolean {
    this.#checkWriteRelock();
    if (this.#readTokens.length > 0) return false;
    if (Atomics.compareExchange(this.#v, STATE, 0, WRITE_HELD) !== 0) return false;
    this.#writeToken = ++this.#acquisitions;
    Atomics.store(this.#v, WRITER, this.id);
    return true;
  }

  /** Release the write lock held by this handle. */
  writeUnlock(): void {
    const v = this.#v;
    const owner = Atomics.load(v, WRITER);
    if (owner !== this.id) {
      throw owner === 0
        ? new SyncError('not-held', `RWLock.writeUnlock: the write lock is not held (handle ${this.id})`)
        : new SyncError('not-owner', `RWLock.writeUnlock: handle ${this.id} does not hold the write lock; handle ${owner} does`);
    }
    this.#writeToken = 0;
    Atomics.store(v, WRITER, 0);
    Atomics.store(v, STATE, 0); // SC: the writer's data is visible before anyone sees the lock free
    if (Atomics.load(v, WRITERS) > 0 || Atomics.load(v, READERS_SLEEPING) > 0) Atomics.notify(v, STATE);
  }

  /** Async readLock for threads that must not block. */
  async readLockAsync(): Promise<LockGuard> {
    this.#checkNotWriter('readLockAsync');
    for (;;) {
      const park = this.#readAttempt();
      if (park === null) break;
      Atomics.add(this.#v, READERS_SLEEPING, 1);
      try {
        await waitAsyncWord(this.#v, park.index, park.value, Infinity);
      } finally {
        Atomics.sub(this.#v, READERS_SLEEPING, 1);
      }
    }
    return this.#readAcquired();
  }

  /** Async writeLock for threads that must not block. */
  async writeLockAsync(): Promise<LockGuard> {
    this.#checkWriteRelock();
    if (this.#readTokens.length > 0) throw new SyncError('relock', `RWLock.writeLockAsync: handle ${this.id} holds a read lock (upgrading would deadlock)`);
    const v = this.#v;
    Atomics.add(v, WRITERS, 1);
    for (;;) {
      const s = Atomics.compareExchange(v, STATE, 0, WRITE_HELD);
      if (s === 0) break;
      await waitAsyncWord(v, STATE, s, Infinity);
    }
    return this.#writerIn();
  }

  /** One reader attempt: null if we took a read lock, else the word and value to park on. */
  #readAttempt(): { index: number; value: number } | null {
    const v = this.#v;
    for (;;) {
      const w = Atomics.load(v, WRITERS);
      if (w > 0) return { index: WRITERS, value: w }; // a writer waits: let it go first
      const s = Atomics.load(v, STATE);
      if (s === WRITE_HELD) return { index: STATE, value: WRITE_HELD };
      if (Atomics.compareExchange(v, STATE, s, s + 1) === s) return null;
    }
  }

  #writerIn(): LockGuard {
    const v = this.#v;
    this.#writeToken = ++this.#acquisitions;
    Atomics.store(v, WRITER, this.id);
    // We are in: stop counting as waiting. Readers parked on WRITERS re-check (and, seeing STATE
    // = -1, park on STATE until we leave). SC: the decrement comes before reading READERS_SLEEPING.
    Atomics.sub(v, WRITERS, 1);
    if (Atomics.load(v, READERS_SLEEPING) > 0) Atomics.notify(v, WRITERS);
    return new LockGuard(this.#writeTarget, this.#writeToken);
  }

  #checkWriteRelock(): void {
    if (Atomics.load(this.#v, WRITER) === this.id) {
      throw new SyncError('relock', `RWLock.writeLock: handle ${this.id} already holds the write lock (locking again would deadlock)`);
    }
  }

  #checkNotWriter(op: string): void {
    if (Atomics.load(this.#v, WRITER) === this.id) {
      throw new SyncError('relock', `RWLock.${op}: handle ${this.id} holds the write lock (reading too would deadlock)`);
    }
  }
}
