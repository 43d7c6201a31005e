/**
 * The visited set: an open-addressing hash table over packed Int32Array states.
 *
 * States (`stateLength` Int32 words each, as the machine writes them) are stored packed, in
 * fixed-size chunks that never move: every word of every stored state in one byte while all
 * values seen are in 0..255, in two while they are in -32768..32767, else in four. The width is
 * one for the whole set and only grows: the first state that does not fit converts the stored
 * chunks once, chunk by chunk, and rehashes the table. Packing is exact (a stored value equals
 * the word). A packed state is padded with zero bytes to whole 32-bit words (`packedWords` of
 * them, the first value in the low bits of the first word) and a chunk is an Int32Array of
 * such records, so the hot path works on packed words: `insert` packs the candidate once into a
 * scratch record, hashes its packed words, compares a stored state a word (four bytes) at a time
 * and copies it in as words: a quarter of the work of word-per-value at width 1 (issue 18).
 * Equal states have equal packed records at one width, so this stays exact. `load` unpacks a
 * state into a caller's buffer.
 * Alongside each state, a metadata record of two Int32 words
 *   [parent index (-1 for the initial state), packed transition that led here]
 * and one flag byte. The table is an Int32Array of slots of two words, (state index + 1, hash),
 * 0 meaning empty, with linear probing: a probe compares the hash in the slot it has already
 * read and touches a stored state only when the hashes agree (one cache miss per probe, not
 * two). It doubles when half full, rehashing from the hashes in the slots, in order (states
 * are not re-read).
 * Every allocation is reserved through a `MemoryBudget`; a refused reservation makes `insert`
 * answer INSERT_NO_MEMORY instead of throwing.
 *
 * Hash compaction (fingerprints.ts, `--hash-compact`): given a `Fingerprint`, the set stores no
 * state words at all, only the fingerprint, two 32-bit hashes per state beside the metadata, and
 * two states are equal when both hashes are: an approximation, since different states can share
 * a fingerprint. Its table slots are one word (the state index + 1; the first hash, which places
 * the state, is in the fingerprint record), since there memory is the point. `load`/`copy` then
 * rebuild a state through the `reconstruct` hook the search installs (re-execution from the
 * initial state).
 *
 * Hash: a murmur3-style mix over the words (Appleby's MurmurHash3 x86_32 body and finaliser).
 */
import type { Fingerprint } from './fingerprints.js';
import { allocInt32, type MemoryBudget } from './memoryBudget.js';

/** log2 of the number of states per storage chunk. */
const CHUNK_SHIFT = 12;
const CHUNK_STATES = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK_STATES - 1;
/** Int32 words of metadata per state (flags are a separate byte). */
const META = 2;
const META_PARENT = 0;
const META_TRANS = 1;
/** initial table capacity (slots) */
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
  for (let i = 0; i < len; i++) h = murmurRound(h, s[off + i] as number);
  return murmurFinal(h, len);
}

/** One word `k` into the running hash `h` (MurmurHash3 x86_32's body); small enough that V8 inlines it into the loops. */
function murmurRound(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3 x86_32's finaliser over `len` words. */
function murmurFinal(h: number, len: number): number {
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
  /** bytes per stored value: 1 (values 0..255), 2 (-32768..32767) or 4; only grows */
  private width: 1 | 2 | 4 = 1;
  /** Int32 words of one packed state at the current width: ceil(stateLength × width / 4) */
  private packedWords: number;
  /** packed state chunks: chunk k holds states [k*CHUNK, (k+1)*CHUNK), `packedWords` words each (none under hash compaction) */
  private readonly wordChunks: Int32Array[] = [];
  private readonly metaChunks: Int32Array[] = [];
  private readonly flagChunks: Uint8Array[] = [];
  /** the candidate state of `insert`/`find`, packed at the current width; bytes past the packed values are always zero */
  private readonly scratch: Int32Array;
  /** under hash compaction: the two hashes (else null) */
  private readonly fp: Fingerprint | null;
  /** under hash compaction: chunk k holds the two hashes (h1, h2) of states [k*CHUNK, (k+1)*CHUNK) */
  private readonly fpChunks: Int32Array[] = [];
  /** under hash compaction, how `load` gets a state back: write stored state i into out[outOff..] */
  reconstruct: ((i: number, out: Int32Array, outOff: number) => void) | null = null;
  /** Int32 words per table slot: 2 (state index + 1, hash), or 1 under hash compaction (state index + 1) */
  private readonly slotWords: 1 | 2;
  /** slot k is table[k*slotWords] (0: empty, else 1 + the index of a stored state) and, with two-word slots, table[2k+1] (that state's hash); at most half the slots are full */
  private table: Int32Array;
  /** number of slots - 1 (-1: no table) */
  private mask: number;
  /** number of stored states */
  count = 0;
  /** bytes reserved by this set */
  bytes = 0;
  /** true when the last successful `insert` added a new state, false when it found one */
  lastInserted = false;

  /**
   * A set over states of `stateLength` words; never more than `maxStates` (when even the empty
   * table does not fit the budget, every insert answers INSERT_NO_MEMORY). With a `fingerprint`,
   * it stores fingerprints instead of states (hash compaction: see the module comment).
   */
  constructor(stateLength: number, budget: MemoryBudget, maxStates = 0x7fffffff, fingerprint: Fingerprint | null = null) {
    this.stateLength = stateLength;
    this.budget = budget;
    this.maxStates = maxStates;
    this.fp = fingerprint;
    this.packedWords = packedWordsOf(stateLength, 1);
    this.scratch = new Int32Array(Math.max(1, stateLength));
    this.slotWords = fingerprint === null ? 2 : 1;
    if (!budget.tryReserve(INITIAL_TABLE * this.slotWords * 4)) {
      this.table = new Int32Array(0);
      this.mask = -1;
    } else {
      this.bytes += INITIAL_TABLE * this.slotWords * 4;
      this.table = new Int32Array(INITIAL_TABLE * this.slotWords);
      this.mask = INITIAL_TABLE - 1;
    }
  }

  /** Bytes per stored value now (1, 2 or 4: see the module comment; 0 under hash compaction, which stores no words). */
  get wordBytes(): number {
    return this.fp === null ? this.width : 0;
  }

  /** Whether the set stores fingerprints (hash compaction) rather than states. */
  get hashCompact(): boolean {
    return this.fp !== null;
  }

  /**
   * Bytes one stored state costs: its packed words, metadata and flags plus its share of the
   * hash table (measured once a full chunk is stored; before that, the marginal cost at half load).
   */
  bytesPerState(): number {
    const marginal = this.recordBytes(this.width);
    if (this.count < CHUNK_STATES) return marginal + 2 * this.slotWords * 4;
    return Math.round(this.bytes / this.count);
  }

  /** Unpack state `i` into out[outOff .. outOff+stateLength). */
  load(i: number, out: Int32Array, outOff = 0): void {
    if (this.fp !== null) {
      if (this.reconstruct === null) throw new Error('internal error: a hash-compacted visited set has no reconstruct hook (this is a bug in memweave)');
      this.reconstruct(i, out, outOff);
      return;
    }
    const P = this.packedWords;
    unpackAt(this.width, this.wordChunks[i >>> CHUNK_SHIFT] as Int32Array, (i & CHUNK_MASK) * P, this.stateLength, out, outOff);
  }

  /** A copy of state `i`'s words. */
  copy(i: number): Int32Array {
    const out = new Int32Array(this.stateLength);
    this.load(i, out, 0);
    return out;
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
    return (this.flagChunks[i >>> CHUNK_SHIFT] as Uint8Array)[i & CHUNK_MASK] as number;
  }

  /** Set flag bits on state `i`. */
  addFlags(i: number, bits: number): void {
    const f = this.flagChunks[i >>> CHUNK_SHIFT] as Uint8Array;
    const at = i & CHUNK_MASK;
    f[at] = (f[at] as number) | bits;
  }

  /** The index of a stored state equal to s[off..], or -1. */
  find(s: Int32Array, off: number): number {
    if (this.mask < 0) return -1;
    const fp = this.fp;
    if (fp !== null) {
      const h = fp.h1(s, off, this.stateLength);
      const h2 = fp.h2(s, off, this.stateLength);
      const table = this.table;
      let pos = h & this.mask;
      for (;;) {
        const e = table[pos] as number;
        if (e === 0) return -1;
        if (this.fingerprintIs(e - 1, h, h2)) return e - 1;
        pos = (pos + 1) & this.mask;
      }
    }
    let h: number;
    if (this.width === 1) {
      h = packHash1(s, off, this.stateLength, this.scratch);
      // a value wider than every stored one: not stored
      if (!packFits) return -1;
    } else {
      if (!this.pack(s, off)) return -1;
      h = hashWords(this.scratch, 0, this.packedWords);
    }
    const table = this.table;
    let pos = h & this.mask;
    for (;;) {
      const e = table[pos * 2] as number;
      if (e === 0) return -1;
      if (table[pos * 2 + 1] === h && this.packedIs(e - 1, this.scratch, 0)) return e - 1;
      pos = (pos + 1) & this.mask;
    }
  }

  /**
   * Find or add the state s[off..]. Returns its index (check `lastInserted` to learn whether it
   * is new), or INSERT_NO_MEMORY / INSERT_NO_ROOM when a new state cannot be stored.
   */
  insert(s: Int32Array, off: number, parent: number, trans: number): number {
    if (this.mask < 0) return INSERT_NO_MEMORY;
    if (this.fp !== null) return this.insertFingerprint(s, off, parent, trans);
    if (this.width === 1) {
      // the common case, in one pass: pack and hash together (hashWords over the packed words)
      const h = packHash1(s, off, this.stateLength, this.scratch);
      if (packFits) return this.insertPacked(this.scratch, 0, h, parent, trans);
    } else if (this.pack(s, off)) return this.insertPacked(this.scratch, 0, hashWords(this.scratch, 0, this.packedWords), parent, trans);
    // a value wider than every stored one: a new state, stored once the set is widened
    if (this.count >= this.maxStates) return INSERT_NO_ROOM;
    if (!this.widen(widthOf(s, off, this.stateLength) as 2 | 4)) return INSERT_NO_MEMORY;
    this.pack(s, off);
    return this.insertPacked(this.scratch, 0, hashWords(this.scratch, 0, this.packedWords), parent, trans);
  }

  /** Find or add the state packed (at the current width) in pk[pOff..], whose hash is h. */
  private insertPacked(pk: Int32Array, pOff: number, h: number, parent: number, trans: number): number {
    const P = this.packedWords;
    let table = this.table;
    let pos = h & this.mask;
    for (;;) {
      const e = table[pos * 2] as number;
      if (e === 0) break;
      if (table[pos * 2 + 1] === h && this.packedIs(e - 1, pk, pOff)) {
        this.lastInserted = false;
        return e - 1;
      }
      pos = (pos + 1) & this.mask;
    }
    // a new state
    const idx = this.count;
    if (idx >= this.maxStates) return INSERT_NO_ROOM;
    if (idx >>> CHUNK_SHIFT >= this.metaChunks.length && !this.addChunk()) return INSERT_NO_MEMORY;
    if ((idx + 1) * 4 > table.length) {
      if (!this.growTable()) return INSERT_NO_MEMORY;
      table = this.table;
      pos = h & this.mask;
      while ((table[pos * 2] as number) !== 0) pos = (pos + 1) & this.mask;
    }
    const c = idx >>> CHUNK_SHIFT;
    const dst = this.wordChunks[c] as Int32Array;
    const dOff = (idx & CHUNK_MASK) * P;
    for (let i = 0; i < P; i++) dst[dOff + i] = pk[pOff + i] as number;
    const m = this.metaChunks[c] as Int32Array;
    const mOff = (idx & CHUNK_MASK) * META;
    m[mOff + META_PARENT] = parent;
    m[mOff + META_TRANS] = trans;
    table[pos * 2] = idx + 1;
    table[pos * 2 + 1] = h;
    this.count = idx + 1;
    this.lastInserted = true;
    return idx;
  }

  /** Release every allocation back to the budget. */
  dispose(): void {
    this.budget.release(this.bytes);
    this.bytes = 0;
    this.wordChunks.length = 0;
    this.metaChunks.length = 0;
    this.flagChunks.length = 0;
    this.fpChunks.length = 0;
    this.table = new Int32Array(0);
    this.mask = -1;
    this.count = 0;
  }

  /** `insert` under hash compaction: the fingerprint (h1, h2) stands for the state. */
  private insertFingerprint(s: Int32Array, off: number, parent: number, trans: number): number {
    const fp = this.fp as Fingerprint;
    const h = fp.h1(s, off, this.stateLength);
    const h2 = fp.h2(s, off, this.stateLength);
    let table = this.table;
    let pos = h & this.mask;
    for (;;) {
      const e = table[pos] as number;
      if (e === 0) break;
      if (this.fingerprintIs(e - 1, h, h2)) {
        this.lastInserted = false;
        return e - 1;
      }
      pos = (pos + 1) & this.mask;
    }
    const idx = this.count;
    if (idx >= this.maxStates) return INSERT_NO_ROOM;
    if (idx >>> CHUNK_SHIFT >= this.metaChunks.length && !this.addChunk()) return INSERT_NO_MEMORY;
    if ((idx + 1) * 2 > table.length) {
      if (!this.growTable()) return INSERT_NO_MEMORY;
      table = this.table;
      pos = h & this.mask;
      while ((table[pos] as number) !== 0) pos = (pos + 1) & this.mask;
    }
    const c = idx >>> CHUNK_SHIFT;
    const f = this.fpChunks[c] as Int32Array;
    f[(idx & CHUNK_MASK) * 2] = h;
    f[(idx & CHUNK_MASK) * 2 + 1] = h2;
    const m = this.metaChunks[c] as Int32Array;
    const mOff = (idx & CHUNK_MASK) * META;
    m[mOff + META_PARENT] = parent;
    m[mOff + META_TRANS] = trans;
    table[pos] = idx + 1;
    this.count = idx + 1;
    this.lastInserted = true;
    return idx;
  }

  /** Pack s[off..] into `scratch` at the current width; false (scratch unspecified) when a value does not fit it. */
  private pack(s: Int32Array, off: number): boolean {
    return this.packInto(s, off, this.scratch, 0);
  }

  /** Pack s[off..] at the current width into pk[pOff..] (see `packAt`). */
  private packInto(s: Int32Array, off: number, pk: Int32Array, pOff: number): boolean {
    return packAt(this.width, s, off, this.stateLength, pk, pOff);
  }

  /** Whether stored state idx equals the packed words pk[pOff..]. */
  private packedIs(idx: number, pk: Int32Array, pOff: number): boolean {
    const P = this.packedWords;
    const w = this.wordChunks[idx >>> CHUNK_SHIFT] as Int32Array;
    const wOff = (idx & CHUNK_MASK) * P;
    for (let i = 0; i < P; i++) if (w[wOff + i] !== pk[pOff + i]) return false;
    return true;
  }

  /** Under hash compaction, whether stored state idx has the fingerprint (h, h2): equal fingerprints are taken as equal states (the approximation). */
  private fingerprintIs(idx: number, h: number, h2: number): boolean {
    const f = this.fpChunks[idx >>> CHUNK_SHIFT] as Int32Array;
    return f[(idx & CHUNK_MASK) * 2] === h && f[(idx & CHUNK_MASK) * 2 + 1] === h2;
  }

  /** Bytes of one state's record at a given width: packed words (or, under hash compaction, the two hashes), metadata, flags. */
  private recordBytes(width: number): number {
    return (this.fp === null ? packedWordsOf(this.stateLength, width) * 4 : 8) + META * 4 + 1;
  }

  /** Bytes of one chunk at a given width: packed states (or fingerprints), metadata, flags. */
  private chunkBytes(width: number): number {
    return CHUNK_STATES * this.recordBytes(width);
  }

  private addChunk(): boolean {
    const bytes = this.chunkBytes(this.width);
    if (!this.budget.tryReserve(bytes)) return false;
    const states = allocInt32(this.fp === null ? CHUNK_STATES * this.packedWords : CHUNK_STATES * 2);
    const meta = states === null ? null : allocInt32(CHUNK_STATES * META);
    const flags = meta === null ? null : allocTyped(Uint8Array, CHUNK_STATES);
    if (states === null || meta === null || flags === null) {
      this.budget.release(bytes);
      return false;
    }
    this.bytes += bytes;
    if (this.fp !== null) this.fpChunks.push(states);
    else this.wordChunks.push(states);
    this.metaChunks.push(meta);
    this.flagChunks.push(flags);
    return true;
  }

  /**
   * Convert every stored chunk to a wider value (both copies are held until the end, so a
   * refusal leaves the set as it was), then rehash the table (the hashes are over packed words);
   * false when the budget refuses.
   */
  private widen(to: 2 | 4): boolean {
    const chunks = this.metaChunks.length;
    const L = this.stateLength;
    const fromP = this.packedWords;
    const toP = packedWordsOf(L, to);
    const n = CHUNK_STATES * toP;
    const wide: Int32Array[] = [];
    const giveUp = (): boolean => {
      // leave the set as it was: the narrow chunks are intact
      this.budget.release(wide.length * n * 4);
      return false;
    };
    const tmp = new Int32Array(Math.max(1, L));
    for (let c = 0; c < chunks; c++) {
      if (!this.budget.tryReserve(n * 4)) return giveUp();
      const w = allocInt32(n);
      if (w === null) {
        this.budget.release(n * 4);
        return giveUp();
      }
      wide.push(w);
    }
    // every chunk allocated: convert, state by state, through the unpacked words
    for (let c = 0; c < chunks; c++) {
      const w = wide[c] as Int32Array;
      const states = Math.min(CHUNK_STATES, this.count - c * CHUNK_STATES);
      for (let k = 0; k < states; k++) {
        this.load(c * CHUNK_STATES + k, tmp, 0);
        packAt(to, tmp, 0, L, w, k * toP);
      }
    }
    this.budget.release(chunks * CHUNK_STATES * fromP * 4);
    this.bytes += chunks * CHUNK_STATES * (toP - fromP) * 4;
    this.wordChunks.length = 0;
    for (const w of wide) this.wordChunks.push(w);
    this.width = to;
    this.packedWords = toP;
    this.rehash();
    return true;
  }

  /** Rebuild the table (same size) from the stored states' packed words. */
  private rehash(): void {
    const table = this.table;
    table.fill(0);
    const mask = this.mask;
    const P = this.packedWords;
    for (let idx = 0; idx < this.count; idx++) {
      const h = hashWords(this.wordChunks[idx >>> CHUNK_SHIFT] as Int32Array, (idx & CHUNK_MASK) * P, P);
      let pos = h & mask;
      while ((table[pos * 2] as number) !== 0) pos = (pos + 1) & mask;
      table[pos * 2] = idx + 1;
      table[pos * 2 + 1] = h;
    }
  }

  private growTable(): boolean {
    const words = this.table.length * 2;
    if (!this.budget.tryReserve(words * 4)) return false;
    const old = this.table;
    const table = allocInt32(words);
    if (table === null) {
      this.budget.release(words * 4);
      return false;
    }
    const sw = this.slotWords;
    const mask = words / sw - 1;
    for (let i = 0; i < old.length; i += sw) {
      const e = old[i] as number;
      if (e === 0) continue;
      const idx = e - 1;
      const h = sw === 2 ? (old[i + 1] as number) : ((this.fpChunks[idx >>> CHUNK_SHIFT] as Int32Array)[(idx & CHUNK_MASK) * 2] as number);
      let pos = h & mask;
      while ((table[pos * sw] as number) !== 0) pos = (pos + 1) & mask;
      table[pos * sw] = e;
      if (sw === 2) table[pos * 2 + 1] = h;
    }
    this.budget.release(old.length * 4);
    this.bytes += (words - old.length) * 4;
    this.table = table;
    this.mask = mask;
    return true;
  }
}

/**
 * Pack the `L` values s[off..] at `width` bytes each into ceil(L × width / 4) words pk[pOff..],
 * the first value in the low bits of the first word (the bytes past the values zeroed); false
 * (the words unspecified) when a value does not fit the width.
 */
function packAt(width: 1 | 2 | 4, s: Int32Array, off: number, L: number, pk: Int32Array, pOff: number): boolean {
  switch (width) {
    case 1:
      // four values to a word, the first in the low byte (as unpackAt reads them): packHash1's loop (its hash unused)
      packHash1(s, off, L, pk, pOff);
      return packFits;
    case 2: {
      const full = L & ~1;
      let i = 0;
      for (; i < full; i += 2) {
        const a = s[off + i] as number;
        const b = s[off + i + 1] as number;
        if ((a << 16) >> 16 !== a || (b << 16) >> 16 !== b) return false;
        pk[pOff + (i >> 1)] = (a & 0xffff) | (b << 16);
      }
      if (i < L) {
        const a = s[off + i] as number;
        if ((a << 16) >> 16 !== a) return false;
        pk[pOff + (i >> 1)] = a & 0xffff;
      }
      return true;
    }
    case 4: {
      for (let i = 0; i < L; i++) pk[pOff + i] = s[off + i] as number;
      return true;
    }
  }
}

/** Whether the last `packHash1` packed every value (each in 0..255). */
let packFits = false;

/** Whether the last `packBytesHash` packed every value (each in 0..255). */
export function lastPackFits(): boolean {
  return packFits;
}

/**
 * Pack s[off .. off+L) four values to a word into pk[0 .. bytePackedWords(L)) and return the hash
 * of the packed words (hashWords over them); `lastPackFits()` says whether every value fitted a
 * byte (else pk and the hash are unspecified). The shared table's hot path (sharedVisited.ts).
 */
export function packBytesHash(s: Int32Array, off: number, L: number, pk: Int32Array): number {
  return packHash1(s, off, L, pk);
}

/** Int32 words of a state of L values packed a byte each (at least 1). */
export function bytePackedWords(L: number): number {
  return packedWordsOf(L, 1);
}

/** Unpack L values packed a byte each (packBytesHash) from pk[pOff..] into out[outOff..]. */
export function unpackBytes(pk: Int32Array, pOff: number, L: number, out: Int32Array, outOff: number): void {
  unpackAt(1, pk, pOff, L, out, outOff);
}

/**
 * `packAt` at width 1 and `hashWords` over the packed words in one pass (the insert's hot path:
 * issue 18's profile put packing and hashing at 15 % of an unreduced search, and one pass saves
 * re-reading the words and a loop): packs s[off .. off+L) into pk[0 ..) and returns the hash of
 * the packed words, equal to hashWords(pk, 0, ceil(L / 4)); sets `packFits` false (pk and the
 * hash unspecified) when a value does not fit a byte.
 */
function packHash1(s: Int32Array, off: number, L: number, pk: Int32Array, pOff = 0): number {
  const P = packedWordsOf(L, 1);
  let h = 0x9747b28c ^ P;
  const full = L & ~3;
  let i = 0;
  for (; i < full; i += 4) {
    const a = s[off + i] as number;
    const b = s[off + i + 1] as number;
    const c = s[off + i + 2] as number;
    const d = s[off + i + 3] as number;
    if (((a | b | c | d) & ~0xff) !== 0) {
      packFits = false;
      return 0;
    }
    const k = a | (b << 8) | (c << 16) | (d << 24);
    pk[pOff + (i >> 2)] = k;
    h = murmurRound(h, k);
  }
  if (i < L || L === 0) {
    // the last, partial word (or the one zero word of an empty state: packedWordsOf is at least 1)
    let k = 0;
    for (let j = 0; i + j < L; j++) {
      const v = s[off + i + j] as number;
      if ((v & ~0xff) !== 0) {
        packFits = false;
        return 0;
      }
      k |= v << (8 * j);
    }
    pk[pOff + (i >> 2)] = k;
    h = murmurRound(h, k);
  }
  packFits = true;
  return murmurFinal(h, P);
}

/** Unpack `L` values packed by `packAt` at `width` from pk[pOff..] into out[outOff..]. */
function unpackAt(width: 1 | 2 | 4, pk: Int32Array, pOff: number, L: number, out: Int32Array, outOff: number): void {
  switch (width) {
    case 1:
      for (let k = 0; k < L; k++) out[outOff + k] = ((pk[pOff + (k >> 2)] as number) >>> ((k & 3) << 3)) & 0xff;
      return;
    case 2:
      for (let k = 0; k < L; k++) {
        const w = pk[pOff + (k >> 1)] as number;
        out[outOff + k] = (k & 1) === 0 ? (w << 16) >> 16 : w >> 16;
      }
      return;
    case 4:
      for (let k = 0; k < L; k++) out[outOff + k] = pk[pOff + k] as number;
      return;
  }
}

/** Int32 words of one state of `len` values packed at `width` bytes each, padded to whole words. */
function packedWordsOf(len: number, width: number): number {
  return Math.max(1, Math.ceil((len * width) / 4));
}

/** The narrowest word width (1, 2 or 4 bytes) that holds every word of s[off .. off+len). */
export function widthOf(s: Int32Array, off: number, len: number): 1 | 2 | 4 {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < len; i++) {
    const w = s[off + i] as number;
    if (w < lo) lo = w;
    else if (w > hi) hi = w;
  }
  if (lo >= 0 && hi <= 0xff) return 1;
  if (lo >= -0x8000 && hi <= 0x7fff) return 2;
  return 4;
}

/** Allocate a zeroed typed array, or null when the host refuses (treated like a refused budget). */
function allocTyped<T>(ctor: new (length: number) => T, length: number): T | null {
  try {
    return new ctor(length);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}
