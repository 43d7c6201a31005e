/**
 * A lock-free visited table shared by several threads through one SharedArrayBuffer, after the
 * shared hash table of LTSmin (Laarman, van de Pol, Weber, "Boosting multi-core reachability
 * performance with shared hash tables", FMCAD 2010, §3: "find-or-put" with memoized hashes,
 * a WRITE/DONE status in the hash word, and walking the cache line before probing further).
 * Our own code, in TypeScript with Atomics only (no node:* import): it lives beside visited.ts and
 * the pure search logic (parallelSearch.ts); threads are spawned by cli/.
 *
 * Layout of the buffer (all Int32 unless said; capacity C a power of two, L words per state):
 *   header  [HEADER words]   header[H_COUNT]: records claimed (the next record's number)
 *   buckets [C * 2]          per bucket: its hash word (encoding below), and its record's number
 *   meta    [C * 3]          per record: [parent record (-1 for the initial state), packed transition, 1 if wide]
 *   narrow  [C * P]          per record: the state packed a byte a value, P = ceil(L / 4) words (a narrow record)
 *   wide    [C * L]          per record: the state's words as they are (a wide record)
 *   flags   [C] (Uint8)      per record: FLAG bits (visited.ts), set with Atomics.or
 * A record uses one of its two slots; the other is never written, and costs no memory (a
 * SharedArrayBuffer's pages are the host's only once written), so the narrow records are dense.
 * A state whose every word is in 0..255 (the common case: pcs, small registers and values) is
 * stored *narrow*: packed four values to a word in its narrow slot, and
 * hashed, compared and copied as those words, as the sequential VisitedSet does at byte width
 * (issue 18: unpacked, the table's insert took 1.9x the sequential set's time on the same
 * inserts). Any other state is stored *wide*: its L words as they are. The format is a function
 * of the state, so a state has one record whichever thread stores it; the table never widens
 * (a lock-free table cannot convert its records in place), each record says which it is.
 * Hash word: 0 = EMPTY; else a status bit, a format bit (WIDE) and the low 29 bits of the hash:
 *   WRITING | f | h29 — claimed by a writer (compareExchange EMPTY -> WRITING|f|h29), data not ready;
 *   DONE | f | h29    — published (Atomics.store after the record is written): a reader that loads
 *                       DONE sees the record and its number (a seq-cst store read by a seq-cst load
 *                       orders the plain writes before it: ECMA-262 §29, happens-before).
 * A reader that finds WRITING with its own f|h29 spins until DONE, then compares the data (the
 * state may be its own); states of different formats never compare (the format bit differs). Buckets are probed linearly inside one group of GROUP buckets (128
 * bytes: two cache lines of bucket pairs), starting at the hashed bucket and wrapping inside the
 * group, then the next group, and so on (linear probing over groups).
 *
 * Records: the writer that claims a bucket takes the next record number from the header counter
 * (Atomics.add) and writes the state there, so records are dense in claim order, as a VisitedSet's
 * indices are: a state is named by its record number, the memory touched grows with the states
 * stored (not with the capacity reserved), and a scan over the states is a scan over 0..count.
 * (LTSmin's table indexes its data array by bucket; we add this one indirection for those reasons.)
 *
 * Capacity is fixed at creation (no resizing: growing a lock-free table needs a migration
 * protocol we do not build). It is reserved from the memory budget by the caller; a table past
 * MAX_LOAD of its capacity answers SHARED_FULL — the memory budget ran out (inconclusive).
 * Between the load check and the claim at most one record per thread is added, so MAX_LOAD leaves
 * room for MAX_THREADS threads at the smallest capacity (MIN_CAPACITY).
 *
 * Not built: deletion, resizing, hash compaction (fingerprints) in the shared table.
 */
import { bytePackedWords, hashWords, lastPackFits, packBytesHash, unpackBytes } from './visited.js';

/** Buckets per probe group: 16 bucket pairs = 128 bytes, two cache lines. */
export const GROUP = 16;
const GROUP_MASK = GROUP - 1;
/** The smallest capacity (buckets): the room MAX_LOAD leaves is at least MAX_THREADS records. */
export const MIN_CAPACITY = 1024;
/** The most threads that may share one table. */
export const MAX_THREADS = 64;
/** Header words (padded to a cache line so the counter does not share a line with the buckets). */
const HEADER = 16;
const H_COUNT = 0;
/** wide records claimed (for the memory in use) */
const H_WIDE = 1;
/** hash word: the status bits and the memoized hash bits */
const WRITING = 1 << 30;
const DONE = 1 << 31;
/** the format bit of a hash word: the record is wide (its words as they are), else narrow (packed a byte a value) */
const WIDE = 1 << 29;
/** what a hash word memoizes: the format bit and the low 29 bits of the hash */
const HASH_BITS = WRITING - 1;
const HASH_LOW = WIDE - 1;
/** Int32 words of metadata per record: parent, transition, format (1: wide). */
const META = 3;
/** The table is full when it holds this fraction of its capacity (linear probing degrades beyond). */
const MAX_LOAD = 0.875;

/** `insert` result: the table is full (the memory budget reserved for it ran out). */
export const SHARED_FULL = -3;

/** Bytes of a table of `capacity` buckets. */
export function sharedVisitedBytes(capacity: number, stateLength: number): number {
  // the flags start on a word boundary after the Int32 regions
  return (HEADER + capacity * (2 + META + bytePackedWords(stateLength) + stateLength)) * 4 + capacity;
}

/** Bytes one more narrow record costs at half load: its packed words, metadata, flag byte and two buckets (what `stats.bytesPerState` reports). */
export function sharedRecordBytes(stateLength: number): number {
  return (bytePackedWords(stateLength) + META) * 4 + 1 + 2 * 2 * 4;
}

/** The largest power-of-two capacity (at least MIN_CAPACITY) whose table fits in `bytes`, or 0 when not even that does. */
export function capacityFor(bytes: number, stateLength: number): number {
  let c = MIN_CAPACITY;
  if (sharedVisitedBytes(c, stateLength) > bytes) return 0;
  while (c < 1 << 28 && sharedVisitedBytes(c * 2, stateLength) <= bytes) c *= 2;
  return c;
}

/** Allocate the buffer of a table of `capacity` buckets (a power of two, at least MIN_CAPACITY), or null when the host refuses. */
export function createSharedVisitedBuffer(capacity: number, stateLength: number): SharedArrayBuffer | null {
  if (capacity < MIN_CAPACITY || (capacity & (capacity - 1)) !== 0) throw new Error(`internal error: shared table capacity ${capacity} is not a power of two >= ${MIN_CAPACITY} (this is a bug in memweave)`);
  try {
    return new SharedArrayBuffer(sharedVisitedBytes(capacity, stateLength));
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** One thread's view of a shared visited table (each thread makes its own over the same buffer). */
export class SharedVisited {
  readonly stateLength: number;
  readonly capacity: number;
  readonly buffer: SharedArrayBuffer;
  private readonly header: Int32Array;
  /** bucket k: buckets[2k] its hash word, buckets[2k+1] its record number (valid once DONE) */
  private readonly buckets: Int32Array;
  private readonly meta: Int32Array;
  /** the wide slots (record r at r * L) */
  private readonly data: Int32Array;
  /** the narrow slots (record r at r * narrowWords) */
  private readonly narrow: Int32Array;
  private readonly flagBytes: Uint8Array;
  private readonly mask: number;
  private readonly maxCount: number;
  /** words of a narrow record (ceil(L / 4)) */
  private readonly narrowWords: number;
  /** this thread's candidate state, packed (insert/find) */
  private readonly scratch: Int32Array;
  /** true when the last successful `insert` stored a new state, false when it found one */
  lastInserted = false;

  /** A view over `buffer`, a table of `capacity` buckets of states of `stateLength` words. */
  constructor(buffer: SharedArrayBuffer, capacity: number, stateLength: number) {
    if (buffer.byteLength < sharedVisitedBytes(capacity, stateLength)) throw new Error('internal error: shared table buffer too small for its capacity (this is a bug in memweave)');
    this.buffer = buffer;
    this.capacity = capacity;
    this.stateLength = stateLength;
    this.mask = capacity - 1;
    this.maxCount = Math.floor(capacity * MAX_LOAD);
    this.narrowWords = bytePackedWords(stateLength);
    this.scratch = new Int32Array(this.narrowWords);
    let at = 0;
    this.header = new Int32Array(buffer, at, HEADER);
    at += HEADER * 4;
    this.buckets = new Int32Array(buffer, at, capacity * 2);
    at += capacity * 2 * 4;
    this.meta = new Int32Array(buffer, at, capacity * META);
    at += capacity * META * 4;
    this.narrow = new Int32Array(buffer, at, capacity * this.narrowWords);
    at += capacity * this.narrowWords * 4;
    this.data = new Int32Array(buffer, at, capacity * stateLength);
    at += capacity * stateLength * 4;
    this.flagBytes = new Uint8Array(buffer, at, capacity);
  }

  /**
   * Bytes of the table in use: the header, and per record its bucket pair's share, metadata, flag
   * byte and the slot it wrote (what `stats.peakBytes` reports; the capacity reserved beyond them
   * is address space that costs no memory until a record is written there).
   */
  usedBytes(): number {
    const n = this.count;
    const wide = Atomics.load(this.header, H_WIDE);
    return HEADER * 4 + n * ((2 + META) * 4 + 1) + (n - wide) * this.narrowWords * 4 + wide * this.stateLength * 4;
  }

  /** Records claimed so far, by every thread (each is published, or about to be, by its writer). */
  get count(): number {
    return Atomics.load(this.header, H_COUNT);
  }

  /**
   * Find or put the state s[off..]: its record number (check `lastInserted` to learn whether this
   * call stored it), or SHARED_FULL. A new state's parent and transition are written before it is
   * published, so every thread that finds it can follow its parent link.
   */
  insert(s: Int32Array, off: number, parent: number, trans: number): number {
    const L = this.stateLength;
    const pk = this.scratch;
    let h = packBytesHash(s, off, L, pk);
    const narrow = lastPackFits();
    if (!narrow) h = hashWords(s, off, L);
    const mem = narrow ? h & HASH_LOW : (h & HASH_LOW) | WIDE;
    const buckets = this.buckets;
    const mask = this.mask;
    const home = h & mask;
    let group = home & ~GROUP_MASK;
    for (let g = 0; g <= mask; g += GROUP) {
      for (let i = 0; i < GROUP; i++) {
        const b = 2 * (group + ((home + i) & GROUP_MASK));
        let w = Atomics.load(buckets, b);
        if (w === 0) {
          // claim the bucket; whoever wins writes the record, everyone else re-reads it below
          if (Atomics.load(this.header, H_COUNT) >= this.maxCount) return SHARED_FULL;
          w = Atomics.compareExchange(buckets, b, 0, WRITING | mem);
          if (w === 0) {
            const r = Atomics.add(this.header, H_COUNT, 1);
            if (narrow) {
              const P = this.narrowWords;
              const d = this.narrow;
              const base = r * P;
              for (let k = 0; k < P; k++) d[base + k] = pk[k] as number;
            } else {
              const d = this.data;
              const base = r * L;
              for (let k = 0; k < L; k++) d[base + k] = s[off + k] as number;
              Atomics.add(this.header, H_WIDE, 1);
            }
            this.meta[r * META] = parent;
            this.meta[r * META + 1] = trans;
            this.meta[r * META + 2] = narrow ? 0 : 1;
            buckets[b + 1] = r;
            // publish: the record and its number, written above, are visible to any thread that loads DONE
            Atomics.store(buckets, b, DONE | mem);
            this.lastInserted = true;
            return r;
          }
        }
        if ((w & HASH_BITS) !== mem) continue;
        // same memoized hash: wait for the writer to publish, then compare the words
        while ((w & DONE) === 0) w = Atomics.load(buckets, b);
        const r = buckets[b + 1] as number;
        if (narrow ? this.equalsPacked(r) : this.equals(r, s, off)) {
          this.lastInserted = false;
          return r;
        }
      }
      group = (group + GROUP) & mask;
    }
    return SHARED_FULL;
  }

  /** The record of a (published) state equal to s[off..], or -1. */
  find(s: Int32Array, off: number): number {
    const L = this.stateLength;
    let h = packBytesHash(s, off, L, this.scratch);
    const narrow = lastPackFits();
    if (!narrow) h = hashWords(s, off, L);
    const mem = narrow ? h & HASH_LOW : (h & HASH_LOW) | WIDE;
    const home = h & this.mask;
    let group = home & ~GROUP_MASK;
    for (let g = 0; g <= this.mask; g += GROUP) {
      for (let i = 0; i < GROUP; i++) {
        const b = 2 * (group + ((home + i) & GROUP_MASK));
        let w = Atomics.load(this.buckets, b);
        if (w === 0) return -1;
        if ((w & HASH_BITS) !== mem) continue;
        while ((w & DONE) === 0) w = Atomics.load(this.buckets, b);
        const r = this.buckets[b + 1] as number;
        if (narrow ? this.equalsPacked(r) : this.equals(r, s, off)) return r;
      }
      group = (group + GROUP) & this.mask;
    }
    return -1;
  }

  /** Copy the words of record r into out[outOff..]. */
  load(r: number, out: Int32Array, outOff = 0): void {
    const L = this.stateLength;
    if (this.meta[r * META + 2] === 0) {
      unpackBytes(this.narrow, r * this.narrowWords, L, out, outOff);
      return;
    }
    const d = this.data;
    const base = r * L;
    for (let k = 0; k < L; k++) out[outOff + k] = d[base + k] as number;
  }

  /** A copy of record r's state. */
  copy(r: number): Int32Array {
    const out = new Int32Array(this.stateLength);
    this.load(r, out, 0);
    return out;
  }

  /** The parent record of record r (-1 for the initial state). */
  parent(r: number): number {
    return this.meta[r * META] as number;
  }

  /** The packed transition that first led to record r. */
  transition(r: number): number {
    return this.meta[r * META + 1] as number;
  }

  /** The flag bits of record r. */
  flags(r: number): number {
    return Atomics.load(this.flagBytes, r);
  }

  /** Set flag bits on record r (atomically: several threads may flag one state). */
  addFlags(r: number, bits: number): void {
    Atomics.or(this.flagBytes, r, bits);
  }

  /** Whether wide record r holds s[off..] (the caller matched its format bit). */
  private equals(r: number, s: Int32Array, off: number): boolean {
    const L = this.stateLength;
    const d = this.data;
    const base = r * L;
    for (let i = 0; i < L; i++) if (d[base + i] !== s[off + i]) return false;
    return true;
  }

  /** Whether narrow record r holds the packed words in `scratch` (the caller matched its format bit). */
  private equalsPacked(r: number): boolean {
    const P = this.narrowWords;
    const d = this.narrow;
    const pk = this.scratch;
    const base = r * P;
    for (let i = 0; i < P; i++) if (d[base + i] !== pk[i]) return false;
    return true;
  }
}
