/**
 * Hash compaction (Wolper and Leroy, "Reliable hashing without collision detection", CAV 1993;
 * Holzmann's analysis in "An analysis of bitstate hashing", FMSD 1998): with `--hash-compact`
 * the visited set stores a 64-bit fingerprint of each state (two independent 32-bit hashes of its
 * canonical words) instead of the state, plus the parent pointer and transition as always, so
 * traces are still rebuilt by re-executing the stored transitions from the initial state.
 *
 * This is an explicit approximation: two different states with equal fingerprints are taken as
 * one, and the second (and everything reachable only through it) is never explored. The search is
 * then an under-approximation; `omissionProbability` is the standard estimate of the chance that
 * this happened at least once, reported in the statistics.
 *
 * Also here: `PendingStates`, the full states of the frontier (which a fingerprint cannot give
 * back), held in a pool of reusable slots until each state is expanded.
 */
import { allocInt32, type MemoryBudget } from './memoryBudget.js';
import { hashWords } from './visited.js';

/** A 32-bit hash of `len` words of `s` from `off`. */
export type HashFn = (s: Int32Array, off: number, len: number) => number;

/** The two hashes of a fingerprint: `h1` also places the state in the table. */
export interface Fingerprint {
  readonly h1: HashFn;
  readonly h2: HashFn;
}

/**
 * A second 32-bit hash, independent of `hashWords` (murmur3): an xxHash32-style round per word
 * (multiply by a prime, rotate, multiply) with its own seed and primes, then an avalanche.
 */
export function hashWords2(s: Int32Array, off: number, len: number): number {
  let h = (0x165667b1 + Math.imul(len, 0x27d4eb2f)) | 0;
  for (let i = 0; i < len; i++) {
    h = (h + Math.imul(s[off + i] as number, 0xc2b2ae3d)) | 0;
    h = Math.imul((h << 17) | (h >>> 15), 0x27d4eb2f);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae3d);
  h ^= h >>> 16;
  return h;
}

/** The fingerprint the checker uses: murmur3 (`hashWords`) and `hashWords2`, 64 bits in all. */
export const DEFAULT_FINGERPRINT: Fingerprint = { h1: hashWords, h2: hashWords2 };

/** Fingerprint width in bits. */
export const FINGERPRINT_BITS = 64;

/**
 * The probability that at least one state was omitted when `n` states are stored under
 * `bits`-bit fingerprints, assuming ideal hashing: 1 − exp(−n(n−1)/2^(bits+1)) (the birthday
 * estimate; ≈ n²/2^65 for 64 bits while small), computed with expm1 so tiny values keep their
 * precision. Monotone in n, in [0, 1].
 */
export function omissionProbability(n: number, bits = FINGERPRINT_BITS): number {
  if (n <= 1) return 0;
  // n ≤ 2^31 here, so n(n−1) ≤ 2^62 is exact enough in a double; 2^(bits+1) is a power of two
  const x = (n * (n - 1)) / 2 ** (bits + 1);
  return Math.min(1, -Math.expm1(-x));
}

/** log2 of the slots per PendingStates chunk. */
const POOL_SHIFT = 10;
const POOL_SLOTS = 1 << POOL_SHIFT;
const POOL_MASK = POOL_SLOTS - 1;

/**
 * Full states waiting in the frontier under hash compaction: a pool of slots, each
 * [state index, the state's words], in budgeted chunks that never move. A taken slot goes on a
 * free list (its index word holds the next free slot) and is reused, so the pool's size follows
 * the frontier's peak, not the number of states.
 */
export class PendingStates {
  private readonly stateLength: number;
  private readonly stride: number;
  private readonly budget: MemoryBudget;
  private readonly chunks: Int32Array[] = [];
  /** slots ever handed out (the pool's high-water mark) */
  private used = 0;
  /** invariant: -1, or a free slot whose index word holds the next free slot (or -1) */
  private freeHead = -1;
  /** states held now */
  size = 0;
  /** bytes reserved by the pool */
  bytes = 0;

  /** A pool of states of `stateLength` words, reserved through `budget`. */
  constructor(stateLength: number, budget: MemoryBudget) {
    this.stateLength = stateLength;
    this.stride = stateLength + 1;
    this.budget = budget;
  }

  /** Hold state `index` with words s[off..]; returns its slot, or -1 when the budget refuses. */
  put(index: number, s: Int32Array, off: number): number {
    let slot = this.freeHead;
    if (slot >= 0) {
      this.freeHead = this.chunkOf(slot)[(slot & POOL_MASK) * this.stride] as number;
    } else {
      slot = this.used;
      if (slot >>> POOL_SHIFT >= this.chunks.length) {
        const bytes = POOL_SLOTS * this.stride * 4;
        if (!this.budget.tryReserve(bytes)) return -1;
        const chunk = allocInt32(POOL_SLOTS * this.stride);
        if (chunk === null) {
          this.budget.release(bytes);
          return -1;
        }
        this.bytes += bytes;
        this.chunks.push(chunk);
      }
      this.used++;
    }
    const c = this.chunkOf(slot);
    const o = (slot & POOL_MASK) * this.stride;
    c[o] = index;
    for (let k = 0; k < this.stateLength; k++) c[o + 1 + k] = s[off + k] as number;
    this.size++;
    return slot;
  }

  /** Copy the words held in `slot` into out[outOff..], free the slot, and return the state index it held. */
  take(slot: number, out: Int32Array, outOff: number): number {
    const c = this.chunkOf(slot);
    const o = (slot & POOL_MASK) * this.stride;
    const index = c[o] as number;
    for (let k = 0; k < this.stateLength; k++) out[outOff + k] = c[o + 1 + k] as number;
    c[o] = this.freeHead;
    this.freeHead = slot;
    this.size--;
    return index;
  }

  /** Free `slot` without reading it (a push that the frontier refused). */
  free(slot: number): void {
    this.chunkOf(slot)[(slot & POOL_MASK) * this.stride] = this.freeHead;
    this.freeHead = slot;
    this.size--;
  }

  /** Release every chunk back to the budget. */
  dispose(): void {
    this.budget.release(this.bytes);
    this.bytes = 0;
    this.chunks.length = 0;
    this.used = 0;
    this.freeHead = -1;
    this.size = 0;
  }

  private chunkOf(slot: number): Int32Array {
    return this.chunks[slot >>> POOL_SHIFT] as Int32Array;
  }
}
