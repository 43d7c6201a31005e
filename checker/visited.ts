/**
 * The visited set: an open-addressing hash table over packed Int32Array states.
 *
 * States (`stateLength` words each) are stored contiguously in fixed-size chunks that never
 * move, so a state's words can be handed to `Machine.apply` in place while new states are added.
 * Alongside each state, a metadata record of four Int32 words:
 *   [parent index (-1 for the initial state), packed transition that led here, hash, flags].
 * The table is an Int32Array of (state index + 1), 0 meaning empty, with linear probing; it
 * doubles when half full, rehashing from the stored hashes (states are not re-read).
 * Every allocation is reserved through a `MemoryBudget`; a refused reservation makes `insert`
 * answer INSERT_NO_MEMORY instead of throwing.
 *
 * Hash: a murmur3-style mix over the words (Appleby's MurmurHash3 x86_32 body and finaliser).
 */
import { allocInt32, type MemoryBudget } from './memory.js';

/** log2 of the number of states per storage chunk. */
const CHUNK_SHIFT = 12;
const CHUNK_STATES = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK_STATES - 1;
/** Int32 words of metadata per state. */
const META = 4;
const META_PARENT = 0;
const META_TRANS = 1;
const META_HASH = 2;
const META_FLAGS = 3;
/** initial table capacity (entries) */
const INITIAL_TABLE = 1 << 10;

/** `insert` result: the memory budget refused to grow the set. */
export const INSERT_NO_MEMORY = -1;
/** `insert` result: the set holds its maximum number of states. */
export const INSERT_NO_ROOM = -2;

/** No transition (the initial state's record). */
export const TRANS_NONE = -1;

/** Per-state flag bits (see `VisitedSet.flags`). */
export const FLAG = {
  /** the state is final */
  final: 1,
  /** an execution can end here: deadlock, a violating step, or a pruned (`assume`) step */
  end: 2,
} as const;

/** Pack a (kind, thread, arg) transition into one word: kind 2 bits, thread 7 bits, arg+1 23 bits. */
export function packTransition(kind: number, thread: number, arg: number): number {
  return (kind & 3) | ((thread & 127) << 2) | ((arg + 1) << 9);
}

/** The kind of a packed transition. */
export function transKind(p: number): number {
  return p & 3;
}
/** The thread of a packed transition. */
export function transThread(p: number): number {
  return (p >>> 2) & 127;
}
/** The arg of a packed transition. */
export function transArg(p: number): number {
  return (p >>> 9) - 1;
}

/** Hash `len` words of `s` from `off` (murmur3-style, 32-bit). */
export function hashWords(s: Int32Array, off: number, len: number): number {
  let h = 0x9747b28c ^ len;
  for (let i = 0; i < len; i++) {
    let k = s[off + i] as number;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= len << 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** The set of states seen so far, with parent pointers for trace reconstruction. */
export class VisitedSet {
  /** words per state */
  readonly stateLength: number;
  private readonly budget: MemoryBudget;
  private readonly maxStates: number;
  /** state chunks: chunk k holds states [k*CHUNK, (k+1)*CHUNK) */
  private readonly stateChunks: Int32Array[] = [];
  private readonly metaChunks: Int32Array[] = [];
  /** invariant: table[i] is 0 (empty) or 1 + the index of a stored state; at most half full */
  private table: Int32Array;
  private mask: number;
  /** number of stored states */
  count = 0;
  /** bytes reserved by this set */
  bytes = 0;
  /** true when the last successful `insert` added a new state, false when it found one */
  lastInserted = false;

  /** A set over states of `stateLength` words; never more than `maxStates` (when even the empty table does not fit the budget, every insert answers INSERT_NO_MEMORY). */
  constructor(stateLength: number, budget: MemoryBudget, maxStates = 0x7fffffff) {
    this.stateLength = stateLength;
    this.budget = budget;
    this.maxStates = maxStates;
    if (!budget.tryReserve(INITIAL_TABLE * 4)) {
      this.table = new Int32Array(0);
      this.mask = -1;
    } else {
      this.bytes += INITIAL_TABLE * 4;
      this.table = new Int32Array(INITIAL_TABLE);
      this.mask = INITIAL_TABLE - 1;
    }
  }

  /**
   * Bytes one stored state costs: its words and metadata plus its share of the hash table
   * (measured once a full chunk is stored; before that, the marginal cost at half load).
   */
  bytesPerState(): number {
    const marginal = (this.stateLength + META) * 4;
    if (this.count < CHUNK_STATES) return marginal + 8;
    return Math.round(this.bytes / this.count);
  }

  /** The chunk holding state `i`'s words (use with `offset(i)`). */
  words(i: number): Int32Array {
    return this.stateChunks[i >>> CHUNK_SHIFT] as Int32Array;
  }

  /** The offset of state `i`'s words inside `words(i)`. */
  offset(i: number): number {
    return (i & CHUNK_MASK) * this.stateLength;
  }

  /** A copy of state `i`'s words. */
  copy(i: number): Int32Array {
    const off = this.offset(i);
    return this.words(i).slice(off, off + this.stateLength);
  }

  /** The parent of state `i` (-1 for the initial state). */
  parent(i: number): number {
    return (this.metaChunks[i >>> CHUNK_SHIFT] as Int32Array)[(i & CHUNK_MASK) * META + META_PARENT] as number;
  }

  /** The packed transition that first led to state `i` (TRANS_NONE for the initial state). */
  transition(i: number): number {
    return (this.metaChunks[i >>> CHUNK_SHIFT] as Int32Array)[(i & CHUNK_MASK) * META + META_TRANS] as number;
  }

  /** The flag bits of state `i` (see FLAG). */
  flags(i: number): number {
    return (this.metaChunks[i >>> CHUNK_SHIFT] as Int32Array)[(i & CHUNK_MASK) * META + META_FLAGS] as number;
  }

  /** Set flag bits on state `i`. */
  addFlags(i: number, bits: number): void {
    const m = this.metaChunks[i >>> CHUNK_SHIFT] as Int32Array;
    const at = (i & CHUNK_MASK) * META + META_FLAGS;
    m[at] = (m[at] as number) | bits;
  }

  /** The index of a stored state equal to s[off..], or -1. */
  find(s: Int32Array, off: number): number {
    if (this.mask < 0) return -1;
    const h = hashWords(s, off, this.stateLength);
    let pos = h & this.mask;
    for (;;) {
      const e = this.table[pos] as number;
      if (e === 0) return -1;
      if (this.matches(e - 1, h, s, off)) return e - 1;
      pos = (pos + 1) & this.mask;
    }
  }

  /**
   * Find or add the state s[off..]. Returns its index (check `lastInserted` to learn whether it
   * is new), or INSERT_NO_MEMORY / INSERT_NO_ROOM when a new state cannot be stored.
   */
  insert(s: Int32Array, off: number, parent: number, trans: number): number {
    if (this.mask < 0) return INSERT_NO_MEMORY;
    const h = hashWords(s, off, this.stateLength);
    let pos = h & this.mask;
    for (;;) {
      const e = this.table[pos] as number;
      if (e === 0) break;
      if (this.matches(e - 1, h, s, off)) {
        this.lastInserted = false;
        return e - 1;
      }
      pos = (pos + 1) & this.mask;
    }
    // a new state
    const idx = this.count;
    if (idx >= this.maxStates) return INSERT_NO_ROOM;
    if (idx >>> CHUNK_SHIFT >= this.stateChunks.length && !this.addChunk()) return INSERT_NO_MEMORY;
    if ((idx + 1) * 2 > this.table.length) {
      if (!this.growTable()) return INSERT_NO_MEMORY;
      pos = h & this.mask;
      while ((this.table[pos] as number) !== 0) pos = (pos + 1) & this.mask;
    }
    const L = this.stateLength;
    const dst = this.stateChunks[idx >>> CHUNK_SHIFT] as Int32Array;
    const dOff = (idx & CHUNK_MASK) * L;
    for (let i = 0; i < L; i++) dst[dOff + i] = s[off + i] as number;
    const m = this.metaChunks[idx >>> CHUNK_SHIFT] as Int32Array;
    const mOff = (idx & CHUNK_MASK) * META;
    m[mOff + META_PARENT] = parent;
    m[mOff + META_TRANS] = trans;
    m[mOff + META_HASH] = h;
    m[mOff + META_FLAGS] = 0;
    this.table[pos] = idx + 1;
    this.count = idx + 1;
    this.lastInserted = true;
    return idx;
  }

  /** Release every allocation back to the budget. */
  dispose(): void {
    this.budget.release(this.bytes);
    this.bytes = 0;
    this.stateChunks.length = 0;
    this.metaChunks.length = 0;
    this.table = new Int32Array(0);
    this.mask = -1;
    this.count = 0;
  }

  private matches(idx: number, h: number, s: Int32Array, off: number): boolean {
    const m = this.metaChunks[idx >>> CHUNK_SHIFT] as Int32Array;
    if (m[(idx & CHUNK_MASK) * META + META_HASH] !== h) return false;
    const L = this.stateLength;
    const w = this.stateChunks[idx >>> CHUNK_SHIFT] as Int32Array;
    const wOff = (idx & CHUNK_MASK) * L;
    for (let i = 0; i < L; i++) if (w[wOff + i] !== s[off + i]) return false;
    return true;
  }

  private addChunk(): boolean {
    const bytes = (CHUNK_STATES * this.stateLength + CHUNK_STATES * META) * 4;
    if (!this.budget.tryReserve(bytes)) return false;
    const states = allocInt32(CHUNK_STATES * this.stateLength);
    const meta = states === null ? null : allocInt32(CHUNK_STATES * META);
    if (states === null || meta === null) {
      this.budget.release(bytes);
      return false;
    }
    this.bytes += bytes;
    this.stateChunks.push(states);
    this.metaChunks.push(meta);
    return true;
  }

  private growTable(): boolean {
    const cap = this.table.length * 2;
    if (!this.budget.tryReserve(cap * 4)) return false;
    const old = this.table;
    const table = allocInt32(cap);
    if (table === null) {
      this.budget.release(cap * 4);
      return false;
    }
    const mask = cap - 1;
    for (let i = 0; i < old.length; i++) {
      const e = old[i] as number;
      if (e === 0) continue;
      const idx = e - 1;
      const h = (this.metaChunks[idx >>> CHUNK_SHIFT] as Int32Array)[(idx & CHUNK_MASK) * META + META_HASH] as number;
      let pos = h & mask;
      while ((table[pos] as number) !== 0) pos = (pos + 1) & mask;
      table[pos] = e;
    }
    this.budget.release(old.length * 4);
    this.bytes += (cap - old.length) * 4;
    this.table = table;
    this.mask = mask;
    return true;
  }
}
