/**
 * The distinct outcomes of a search, stored compactly inside the search's memory budget.
 *
 * An outcome is a tuple of `width` observable values. The table keeps them in typed arrays — the
 * tuples in chunks of Int32 words, the counts (Float64: orbit-weighted counts exceed 2^31) and the
 * condition verdicts (Int8: -1 no condition, 0 false, 1 true) beside them — behind an
 * open-addressing hash table of entry numbers, so an entry costs `4 × width + 9` bytes plus its
 * table slots instead of a JSON-string key, a boxed array and an object (about 2 KB each at 12
 * observables, measured, before this table). The keys are the tuples themselves.
 *
 * Every byte is reserved from the search's MemoryBudget, and so is `entryReserve` per entry: what
 * the search's answer will hold for that outcome once it is built (its `Outcome` object) and what
 * rendering it costs (checker/resultCost.ts). `add` answers false when the budget refuses a new
 * entry: the search then stops, inconclusive for memory, with the outcomes it has.
 */
import type { MemoryBudget } from './memoryBudget.js';

/** log2 of the entries per storage chunk. */
const CHUNK_SHIFT = 10;
const CHUNK = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK - 1;
/** hash slots at the start (a power of two) */
const INITIAL_SLOTS = 64;

/** One outcome as the table answers it (cold path). */
export interface OutcomeRow {
  readonly tuple: readonly number[];
  readonly satisfies: boolean | null;
  readonly count: number;
}

/** A budgeted hash table of distinct value tuples with a count and a condition verdict each. */
export class OutcomeTable {
  private readonly width: number;
  private readonly budget: MemoryBudget;
  private readonly entryReserve: number;
  /** chunk k holds the tuples of entries [k·CHUNK, (k+1)·CHUNK), `width` words each */
  private readonly tuples: Int32Array[] = [];
  private readonly counts: Float64Array[] = [];
  private readonly verdicts: Int8Array[] = [];
  /** entry number + 1 per slot, 0 for an empty slot; invariant: at most half the slots are used */
  private slots: Int32Array = new Int32Array(0);
  private mask = -1;
  /** distinct outcomes stored */
  size = 0;
  /** bytes reserved from the budget (storage, table, and the per-entry reserve) */
  bytes = 0;

  /** `entryReserve`: bytes reserved per entry beyond its storage, for the answer built from it. */
  constructor(width: number, budget: MemoryBudget, entryReserve: number) {
    this.width = width;
    this.budget = budget;
    this.entryReserve = entryReserve;
  }

  /** Bytes one entry costs beyond the hash table: its storage and its reserve. */
  entryBytes(): number {
    return this.width * 4 + 9 + this.entryReserve;
  }

  /**
   * Count the outcome `tuple[0..width)` `weight` more times (a new one with verdict `satisfies`);
   * false, with nothing changed, when it is new and the budget refuses its room.
   */
  add(tuple: ArrayLike<number>, satisfies: boolean | null, weight: number): boolean {
    const w = this.width;
    let h = 0x811c9dc5;
    for (let i = 0; i < w; i++) h = Math.imul(h ^ (tuple[i] as number), 0x01000193);
    h ^= h >>> 15;
    if (this.mask >= 0) {
      let pos = h & this.mask;
      for (;;) {
        const e = this.slots[pos] as number;
        if (e === 0) break;
        if (this.equals(e - 1, tuple)) {
          const c = this.counts[(e - 1) >>> CHUNK_SHIFT] as Float64Array;
          c[(e - 1) & CHUNK_MASK] = (c[(e - 1) & CHUNK_MASK] as number) + weight;
          return true;
        }
        pos = (pos + 1) & this.mask;
      }
    }
    // a new entry: room for it (its reserve, a chunk when the last is full, a larger table when half full)
    if (!this.reserve(this.entryReserve)) return false;
    const idx = this.size;
    if ((idx & CHUNK_MASK) === 0 && !this.addChunk()) {
      this.unreserve(this.entryReserve);
      return false;
    }
    if ((idx + 1) * 2 > this.slots.length && !this.growSlots()) {
      this.unreserve(this.entryReserve);
      return false;
    }
    const k = idx >>> CHUNK_SHIFT;
    const at = idx & CHUNK_MASK;
    const t = this.tuples[k] as Int32Array;
    for (let i = 0; i < w; i++) t[at * w + i] = tuple[i] as number;
    (this.counts[k] as Float64Array)[at] = weight;
    (this.verdicts[k] as Int8Array)[at] = satisfies === null ? -1 : satisfies ? 1 : 0;
    this.size++;
    let pos = h & this.mask;
    while ((this.slots[pos] as number) !== 0) pos = (pos + 1) & this.mask;
    this.slots[pos] = idx + 1;
    return true;
  }

  /** Every outcome, in insertion order (cold path). */
  rows(): OutcomeRow[] {
    const out: OutcomeRow[] = [];
    const w = this.width;
    for (let i = 0; i < this.size; i++) {
      const k = i >>> CHUNK_SHIFT;
      const at = i & CHUNK_MASK;
      const t = this.tuples[k] as Int32Array;
      const v = (this.verdicts[k] as Int8Array)[at] as number;
      out.push({ tuple: Array.from(t.subarray(at * w, at * w + w)), satisfies: v < 0 ? null : v === 1, count: (this.counts[k] as Float64Array)[at] as number });
    }
    return out;
  }

  /** Give the storage back to the budget (the per-entry reserves too: the answer is built by then). */
  dispose(): void {
    this.budget.release(this.bytes);
    this.bytes = 0;
    this.tuples.length = 0;
    this.counts.length = 0;
    this.verdicts.length = 0;
    this.slots = new Int32Array(0);
    this.mask = -1;
    this.size = 0;
  }

  private equals(idx: number, tuple: ArrayLike<number>): boolean {
    const w = this.width;
    const t = this.tuples[idx >>> CHUNK_SHIFT] as Int32Array;
    const base = (idx & CHUNK_MASK) * w;
    for (let i = 0; i < w; i++) if (t[base + i] !== tuple[i]) return false;
    return true;
  }

  private reserve(bytes: number): boolean {
    if (!this.budget.tryReserve(bytes)) return false;
    this.bytes += bytes;
    return true;
  }

  private unreserve(bytes: number): void {
    this.budget.release(bytes);
    this.bytes -= bytes;
  }

  private addChunk(): boolean {
    const bytes = CHUNK * (this.width * 4 + 8 + 1);
    if (!this.reserve(bytes)) return false;
    try {
      this.tuples.push(new Int32Array(CHUNK * Math.max(1, this.width)));
      this.counts.push(new Float64Array(CHUNK));
      this.verdicts.push(new Int8Array(CHUNK));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      this.tuples.length = this.counts.length = this.verdicts.length = this.size >>> CHUNK_SHIFT;
      this.unreserve(bytes);
      return false;
    }
    return true;
  }

  /** Double the hash table (old and new both reserved while rehashing). */
  private growSlots(): boolean {
    const n = Math.max(INITIAL_SLOTS, this.slots.length * 2);
    if (!this.reserve(n * 4)) return false;
    let slots: Int32Array;
    try {
      slots = new Int32Array(n);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      this.unreserve(n * 4);
      return false;
    }
    const mask = n - 1;
    const w = this.width;
    for (let i = 0; i < this.size; i++) {
      const t = this.tuples[i >>> CHUNK_SHIFT] as Int32Array;
      const base = (i & CHUNK_MASK) * w;
      let h = 0x811c9dc5;
      for (let j = 0; j < w; j++) h = Math.imul(h ^ (t[base + j] as number), 0x01000193);
      h ^= h >>> 15;
      let pos = h & mask;
      while ((slots[pos] as number) !== 0) pos = (pos + 1) & mask;
      slots[pos] = i + 1;
    }
    this.unreserve(this.slots.length * 4);
    this.slots = slots;
    this.mask = mask;
    return true;
  }
}
