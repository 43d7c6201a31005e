/**
 * Shared plumbing for the synchronisation library (impl/sync): the `SyncError` class, layout
 * validation (shared buffer, alignment, size, the per-primitive magic word), the lock guard used
 * with `using`, handle ids, bounded spinning, deadlines, and an `Atomics.waitAsync` wrapper that
 * keeps the process alive while it waits.
 *
 * Every primitive is a run of 32-bit words (an Int32Array view) inside a caller's
 * SharedArrayBuffer at a 4-byte-aligned `byteOffset`; 64-byte alignment (one cache line per
 * primitive) is recommended to avoid false sharing but not required. The last word of every
 * layout is a magic word naming the primitive, written by `initialize`, so a handle on
 * uninitialised memory or on another primitive's memory is a clear error, not a silent hang.
 *
 * Not handled: `Atomics.wait` on the main thread of a browser (Node allows it); 2^32 wrap-around
 * of sequence counters between one load and the matching wait (the ABA window is one wait).
 */

/** Why a synchronisation call was refused. */
export type SyncErrorCode =
  | 'not-shared' // the buffer is not a SharedArrayBuffer
  | 'bad-offset' // byteOffset is not a non-negative integer
  | 'misaligned' // byteOffset is not a multiple of 4
  | 'too-small' // the buffer ends before the layout does
  | 'uninitialized' // the layout's magic word is not this primitive's (initialize was not called)
  | 'bad-argument' // a count, timeout or bound out of range
  | 'not-held' // unlock/release of something this handle does not hold
  | 'not-owner' // unlock by a handle other than the one that locked
  | 'relock' // lock by the handle that already holds it (would deadlock)
  | 'overflow'; // release beyond a semaphore's bound, count down below zero

/** The error every misuse of impl/sync throws; `code` is stable, the message says what to do. */
export class SyncError extends Error {
  /** Stable machine-readable reason. */
  readonly code: SyncErrorCode;
  constructor(code: SyncErrorCode, message: string) {
    super(message);
    this.name = 'SyncError';
    this.code = code;
  }
}

// Symbol.dispose: Node 20.20 defines it (as Symbol('nodejs.dispose')); older runtimes may not.
// This is the one place the library polyfills it, so guards work with `using` (TypeScript 5.2+
// lowers `using` to a lookup of Symbol.dispose) and with explicit `[Symbol.dispose]()` calls.
if (typeof (Symbol as { dispose?: symbol }).dispose !== 'symbol') {
  Object.defineProperty(Symbol, 'dispose', { value: Symbol.for('nodejs.dispose'), configurable: false, writable: false });
}

/** Magic words (last slot of each layout): 'mw' in the high half, the primitive in the low half. */
export const MAGIC = {
  mutex: 0x6d770001,
  spinLock: 0x6d770002,
  ticketLock: 0x6d770003,
  semaphore: 0x6d770004,
  barrier: 0x6d770005,
  condVar: 0x6d770006,
  rwLock: 0x6d770007,
  once: 0x6d770008,
  latch: 0x6d770009,
} as const;

/** Check (buffer, byteOffset) for a layout of `slots` words and return the Int32Array view on it. */
export function viewOf(primitive: string, buffer: unknown, byteOffset: unknown, slots: number): Int32Array {
  if (!(buffer instanceof SharedArrayBuffer)) {
    const what = buffer instanceof ArrayBuffer ? 'an ArrayBuffer' : buffer === null ? 'null' : typeof buffer;
    throw new SyncError('not-shared', `${primitive}: needs a SharedArrayBuffer, got ${what} (Atomics.wait/notify only work on shared memory)`);
  }
  if (typeof byteOffset !== 'number' || !Number.isInteger(byteOffset) || byteOffset < 0) {
    throw new SyncError('bad-offset', `${primitive}: byteOffset must be a non-negative integer, got ${String(byteOffset)}`);
  }
  if (byteOffset % 4 !== 0) {
    throw new SyncError('misaligned', `${primitive}: byteOffset ${byteOffset} is not a multiple of 4 (the layout is 32-bit words; 64 is recommended)`);
  }
  const bytes = slots * 4;
  if (byteOffset + bytes > buffer.byteLength) {
    throw new SyncError(
      'too-small',
      `${primitive}: needs ${bytes} bytes at offset ${byteOffset}, but the buffer is ${buffer.byteLength} bytes long`,
    );
  }
  return new Int32Array(buffer, byteOffset, slots);
}

/** Check that `initialize` ran on this layout (its magic word is in the last slot). */
export function checkMagic(primitive: string, view: Int32Array, magic: number): void {
  const got = Atomics.load(view, view.length - 1);
  if (got !== magic) {
    const other = Object.entries(MAGIC).find(([, m]) => m === got);
    throw new SyncError(
      'uninitialized',
      other === undefined
        ? `${primitive}: the memory at this offset was not initialised: call ${primitive}.initialize(buffer, byteOffset) once first`
        : `${primitive}: the memory at this offset holds a ${other[0]}, not a ${primitive}`,
    );
  }
}

/**
 * Allocate a handle id from a layout's id counter (ids start at 1; 0 means "nobody"). Ids are
 * the counter's 32-bit values: after 2^31 − 1 comes −2^31 (the word wraps, and the id is the same
 * int32 the OWNER word holds, so that handle can unlock), and 0 is skipped when 2^32 handles wrap
 * the counter all the way round. Ids are unique among the last 2^32 − 1 handles made.
 */
export function allocateId(view: Int32Array, idSlot: number): number {
  for (;;) {
    // Atomics.add: two workers constructing handles at once get different ids. `| 0`: the old
    // value plus one in int32 arithmetic, as the word now holds it (2^31 − 1 + 1 is −2^31, not 2^31).
    const id = (Atomics.add(view, idSlot, 1) + 1) | 0;
    if (id !== 0) return id;
  }
}

/** Validate a timeout in milliseconds (finite non-negative or Infinity). */
export function checkTimeout(primitive: string, timeoutMs: number): void {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new SyncError('bad-argument', `${primitive}: timeout must be a non-negative number of milliseconds or Infinity, got ${String(timeoutMs)}`);
  }
}

/** The clock deadlines use (monotonic, ms). */
export function now(): number {
  return performance.now();
}

/** Milliseconds left until `deadline` (Infinity stays Infinity), never negative. */
export function remaining(deadline: number): number {
  if (deadline === Infinity) return Infinity;
  const left = deadline - now();
  return left > 0 ? left : 0;
}

/** How many times the blocking paths re-read a word before parking (spin-then-park). */
export const SPIN_LIMIT = 1000;

/** What a guard releases: a handle that can tell whether acquisition `token` is still held. */
export interface GuardTarget {
  /** Whether the acquisition numbered `token` is still held through this handle. */
  holds(token: number): boolean;
  /** Release the acquisition numbered `token` (only called while holds(token)). */
  release(token: number): void;
}

/**
 * A held lock: `unlock()` releases it once; `[Symbol.dispose]` releases it if still held, so
 * `using g = mutex.lock();` releases at the end of the block, and an early `g.unlock()` is fine.
 * A guard is tied to one acquisition: after the lock was released some other way (the handle's
 * own `unlock()`), the guard is stale and cannot release a later acquisition by mistake.
 */
export class LockGuard implements Disposable {
  readonly #target: GuardTarget;
  readonly #token: number;
  constructor(target: GuardTarget, token: number) {
    this.#target = target;
    this.#token = token;
  }
  /** Whether this guard's acquisition is still held. */
  get held(): boolean {
    return this.#target.holds(this.#token);
  }
  /** Release the lock; a 'not-held' SyncError if this guard's acquisition was already released. */
  unlock(): void {
    if (!this.#target.holds(this.#token)) throw new SyncError('not-held', 'guard: this acquisition was already released');
    this.#target.release(this.#token);
  }
  /** Release the lock if this guard's acquisition is still held (the end of a `using` block). */
  [Symbol.dispose](): void {
    if (this.#target.holds(this.#token)) this.#target.release(this.#token);
  }
}

/** Result of one wait, as Atomics.wait spells it. */
export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

// One open MessagePort keeps the event loop alive while any waitAsync is pending: Node does not
// count a pending Atomics.waitAsync promise as work (verified on Node 20.20: a process whose only
// work is a waitAsync exits at once), but it does count a port with a message listener. It is
// closed when the last pending wait settles. A port rather than a ref'd timer, so the async
// methods read no clock and start no timer: memweave explore can run them (it reports timers as
// nondeterminism), and a browser page gets the same code.
let pendingAsyncWaits = 0;
let keepAlive: { close(): void } | null = null;

function holdProcess(): void {
  pendingAsyncWaits++;
  if (keepAlive === null) {
    const { port1 } = new MessageChannel();
    // `onmessage` (in Node and in browsers) starts the port; in Node a started port is ref'd
    (port1 as unknown as { onmessage: (() => void) | null }).onmessage = () => {};
    keepAlive = port1;
  }
}

function releaseProcess(): void {
  pendingAsyncWaits--;
  if (pendingAsyncWaits === 0 && keepAlive !== null) {
    keepAlive.close();
    keepAlive = null;
  }
}

/** Number of async waits in flight (tests use it to check the keep-alive timer is cleared). */
export function pendingWaits(): number {
  return pendingAsyncWaits;
}

/** `Atomics.waitAsync` that keeps the process alive until it settles; same results as Atomics.wait. */
export async function waitAsyncWord(view: Int32Array, index: number, expected: number, timeoutMs: number): Promise<WaitResult> {
  const r = Atomics.waitAsync(view, index, expected, timeoutMs);
  if (!r.async) return r.value;
  holdProcess();
  try {
    return await r.value;
  } finally {
    releaseProcess();
  }
}

/**
 * Ownership bookkeeping shared by the exclusive locks (Mutex, SpinLock, TicketLock): the handle's
 * id, the OWNER slot for misuse checks (written only by the holder), and a token per acquisition
 * so a stale guard cannot release a later acquisition.
 *
 * OWNER is read and written with plain (non-atomic) accesses: it is only ever written by the
 * holder, inside its critical section (set after acquiring, cleared before the atomic release),
 * so the lock word's SC operations order every write to it; a thread's checks of its own
 * ownership read its own latest write (coherence), and other threads read it only to word an
 * error message. An Atomics.store here (an XCHG on x86) cost half the uncontended throughput.
 */
export class Ownership {
  /** This handle's id (unique among the handles on this lock); OWNER holds it while held. */
  readonly id: number;
  readonly #v: Int32Array;
  readonly #owner: number;
  readonly #what: string;
  /** Number of this handle's acquisitions so far; the current one's number while held, else 0. */
  #acquisitions = 0;
  #current = 0;
  readonly #target: GuardTarget;

  /** `what` names the primitive in messages ("Mutex"); `release` is the lock's unlock. */
  constructor(what: string, view: Int32Array, ownerSlot: number, idSlot: number, release: () => void) {
    this.#v = view;
    this.#owner = ownerSlot;
    this.#what = what;
    this.id = allocateId(view, idSlot);
    this.#target = { holds: (token: number): boolean => token !== 0 && token === this.#current, release };
  }

  /**
   * Whether this handle holds the lock. OWNER is read and written with Atomics: `checkRelock` and
   * a wrong unlock read it without holding the lock, and a plain read would race with the
   * holder's plain write (ECMA-262 §29.7; `explore(…, { model: 'js' })` found the race).
   */
  get isHeld(): boolean {
    return Atomics.load(this.#v, this.#owner) === this.id;
  }

  /** A SyncError('relock') when this handle already holds the lock (locking again would deadlock). */
  checkRelock(): void {
    if (this.isHeld) {
      throw new SyncError('relock', `${this.#what}.lock: handle ${this.id} already holds the lock (locking again would deadlock)`);
    }
  }

  /** Record that this handle now holds the lock; returns the guard of this acquisition. */
  acquired(): LockGuard {
    Atomics.store(this.#v, this.#owner, this.id); // only the holder writes OWNER (others read it: see isHeld)
    this.#current = ++this.#acquisitions;
    return new LockGuard(this.#target, this.#current);
  }

  /** Unlock's first half: a SyncError unless this handle holds the lock, then OWNER cleared. Call before the lock word is released, so the next holder's OWNER store wins. */
  releasing(): void {
    const owner = Atomics.load(this.#v, this.#owner);
    if (owner !== this.id) {
      throw owner === 0
        ? new SyncError('not-held', `${this.#what}.unlock: the lock is not held (handle ${this.id})`)
        : new SyncError('not-owner', `${this.#what}.unlock: handle ${this.id} does not hold the lock; handle ${owner} does`);
    }
    this.#current = 0;
    Atomics.store(this.#v, this.#owner, 0);
  }

  /** The token of the acquisition in force (0 when not held); CondVar suspends and resumes it. */
  get token(): number {
    return this.#current;
  }

  /** Resume a suspended acquisition after relocking (a guard taken before CondVar.wait stays live). */
  resumed(token: number): void {
    Atomics.store(this.#v, this.#owner, this.id);
    this.#current = token;
  }
}

/** Where an exclusive lock keeps its owner and id words, its size and its magic number. */
export interface ExclusiveLayout {
  readonly slots: number;
  readonly magic: number;
  readonly owner: number;
  readonly ids: number;
}

/**
 * The shell every exclusive lock handle shares (Mutex, SpinLock, TicketLock): its view of the
 * lock's words, checked for the primitive's magic number, and its Ownership (id, OWNER checks,
 * guard tokens).
 */
export abstract class ExclusiveLockHandle {
  /** The lock's words in the shared buffer. */
  protected readonly view: Int32Array;
  /** This handle's id, OWNER bookkeeping and guard tokens. */
  protected readonly own: Ownership;

  /** Attach to a lock that the subclass's `initialize` set up at (buffer, byteOffset). */
  protected constructor(what: string, buffer: SharedArrayBuffer, byteOffset: number, layout: ExclusiveLayout) {
    this.view = viewOf(what, buffer, byteOffset, layout.slots);
    checkMagic(what, this.view, layout.magic);
    this.own = new Ownership(what, this.view, layout.owner, layout.ids, () => this.unlock());
  }

  /**
   * Set up a free lock at (buffer, byteOffset): every word 0 (free, no owner, no ids handed out —
   * each exclusive lock encodes "free" as 0), then the magic number last, so a handle that sees
   * the magic sees the rest. Call once, before any handle exists.
   */
  protected static initializeLayout(what: string, buffer: SharedArrayBuffer, byteOffset: number, layout: ExclusiveLayout): void {
    const v = viewOf(what, buffer, byteOffset, layout.slots);
    for (let i = 0; i < layout.slots - 1; i++) Atomics.store(v, i, 0);
    Atomics.store(v, layout.slots - 1, layout.magic);
  }

  /** This handle's id (unique among the handles on this lock); OWNER holds it while held. */
  get id(): number {
    return this.own.id;
  }

  /** Whether this handle holds the lock. */
  get isHeld(): boolean {
    return this.own.isHeld;
  }

  /** Release the lock; a SyncError if this handle does not hold it. */
  abstract unlock(): void;
}
