/**
 * Memory accounting and growable integer storage for the checker's hot path.
 *
 * Every large typed array the search allocates (visited-set chunks, the hash table, the
 * frontier, the edge list) is reserved through one `MemoryBudget`, so a search never asks for
 * more than `maxMemoryBytes`: when a reservation is refused the search stops with an
 * 'inconclusive' verdict instead of crashing out of memory. `IntDeque` is a chunked list of
 * Int32 values (push/pop at the back, shift at the front, random access): chunks never move, so
 * growth costs no copying and a consumed front chunk is given back to the budget.
 */

/** Counts reserved bytes against a limit; records the peak. */
export class MemoryBudget {
  readonly limit: number;
  /** bytes currently reserved */
  used = 0;
  /** highest `used` so far */
  peak = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Reserve `bytes` if they fit under the limit; false (nothing reserved) otherwise. */
  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    if (this.used > this.peak) this.peak = this.used;
    return true;
  }

  /** Give back bytes reserved earlier. */
  release(bytes: number): void {
    this.used -= bytes;
  }
}

/** Allocate a zeroed Int32Array, or null when the host refuses (treated like a refused budget, never a crash). */
export function allocInt32(length: number): Int32Array | null {
  try {
    return new Int32Array(length);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** log2 of the number of Int32 values in one IntDeque chunk (16 Ki values = 64 KiB). */
const DEQUE_SHIFT = 14;
const DEQUE_CHUNK = 1 << DEQUE_SHIFT;
const DEQUE_MASK = DEQUE_CHUNK - 1;
const DEQUE_CHUNK_BYTES = DEQUE_CHUNK * 4;

/**
 * A chunked, budgeted list of Int32 values: push/pop at the back, shift at the front, get by
 * absolute position. invariant: live values occupy absolute positions [head, tail).
 */
export class IntDeque {
  private readonly budget: MemoryBudget;
  /** chunk k holds absolute positions [k*CHUNK, (k+1)*CHUNK); freed front chunks are null */
  private readonly chunks: (Int32Array | null)[] = [];
  private head = 0;
  private tail = 0;
  /** bytes reserved for the chunks currently held */
  bytes = 0;

  constructor(budget: MemoryBudget) {
    this.budget = budget;
  }

  /** Number of live values. */
  get size(): number {
    return this.tail - this.head;
  }

  /** Append a value; false when the memory budget refuses a new chunk. */
  push(v: number): boolean {
    const c = this.tail >>> DEQUE_SHIFT;
    let chunk = this.chunks[c];
    if (chunk === undefined || chunk === null) {
      if (!this.budget.tryReserve(DEQUE_CHUNK_BYTES)) return false;
      const fresh = allocInt32(DEQUE_CHUNK);
      if (fresh === null) {
        this.budget.release(DEQUE_CHUNK_BYTES);
        return false;
      }
      this.bytes += DEQUE_CHUNK_BYTES;
      chunk = fresh;
      this.chunks[c] = chunk;
    }
    chunk[this.tail & DEQUE_MASK] = v;
    this.tail++;
    return true;
  }

  /** Remove and return the last value (the deque must not be empty). */
  pop(): number {
    this.tail--;
    const c = this.tail >>> DEQUE_SHIFT;
    const chunk = this.chunks[c] as Int32Array;
    const v = chunk[this.tail & DEQUE_MASK] as number;
    // chunk c is now empty when tail sits on its first slot: keep it (push/pop at a boundary
    // must not thrash) but free any chunk beyond it
    if ((this.tail & DEQUE_MASK) === 0 && this.chunks.length > c + 1) this.freeFrom(c + 1);
    return v;
  }

  /** Remove and return the first value (the deque must not be empty). */
  shift(): number {
    const c = this.head >>> DEQUE_SHIFT;
    const chunk = this.chunks[c] as Int32Array;
    const v = chunk[this.head & DEQUE_MASK] as number;
    this.head++;
    if ((this.head & DEQUE_MASK) === 0) {
      // the whole front chunk is consumed: give it back
      this.chunks[c] = null;
      this.budget.release(DEQUE_CHUNK_BYTES);
      this.bytes -= DEQUE_CHUNK_BYTES;
    }
    return v;
  }

  /** The value at absolute position i (head <= i < tail). */
  get(i: number): number {
    return (this.chunks[i >>> DEQUE_SHIFT] as Int32Array)[i & DEQUE_MASK] as number;
  }

  /** Overwrite the value at absolute position i (head <= i < tail). */
  set(i: number, v: number): void {
    (this.chunks[i >>> DEQUE_SHIFT] as Int32Array)[i & DEQUE_MASK] = v;
  }

  /** Absolute position of the first live value. */
  get start(): number {
    return this.head;
  }

  /** Absolute position one past the last live value. */
  get end(): number {
    return this.tail;
  }

  /** Release every chunk; the deque is empty afterwards. */
  dispose(): void {
    this.freeFrom(0);
    this.head = 0;
    this.tail = 0;
  }

  private freeFrom(k: number): void {
    for (let i = k; i < this.chunks.length; i++) {
      if (this.chunks[i] !== null && this.chunks[i] !== undefined) {
        this.budget.release(DEQUE_CHUNK_BYTES);
        this.bytes -= DEQUE_CHUNK_BYTES;
      }
    }
    this.chunks.length = k;
  }
}
