/**
 * Binary relations over the events of one execution graph, as bit matrices (one row of 32-bit
 * words per event), with the operators herd's `.cat` language uses: union `|`, sequence `;`,
 * inverse `^-1`, transitive closure `+`, reflexive option `?`, restriction to event sets
 * `[A];r;[B]`, and the checks `acyclic`, `irreflexive`, `empty`. A consistency predicate in this
 * folder is written with these, clause by clause.
 *
 * Relations are immutable values: every operator returns a new one. Graphs are small (tens to a
 * few hundred events), so a dense n×n bit matrix is the simple, fast representation.
 */

/**
 * Word storage for relations, carved from shared slabs. A Uint32Array of more than a few words
 * gets a backing store of its own outside the JavaScript heap, which the garbage collector
 * tracks one by one; judging a graph builds dozens of short-lived relations, and that tracking
 * was a third of the explorer's time. Views on a slab cost one small object each. A slab is
 * never reused (fresh memory is zero), and lives while any relation carved from it does.
 */
const SLAB_WORDS = 1 << 14;
let slab = new Uint32Array(SLAB_WORDS);
let slabNext = 0;

/** `len` zero words. */
function zeroWords(len: number): Uint32Array {
  if (len > SLAB_WORDS >>> 4) return new Uint32Array(len);
  if (slabNext + len > SLAB_WORDS) {
    slab = new Uint32Array(SLAB_WORDS);
    slabNext = 0;
  }
  const out = slab.subarray(slabNext, slabNext + len);
  slabNext += len;
  return out;
}

/** A copy of `words`. */
function copyWords(words: Uint32Array): Uint32Array {
  const out = zeroWords(words.length);
  out.set(words);
  return out;
}

/** Relation.cycle's working arrays. */
let cycleScratch = new Int32Array(1024);

/** A set of events, as a boolean per event id. */
export type EventSet = Uint8Array;

/** A binary relation on events 0..n-1. */
export class Relation {
  /** number of events */
  readonly n: number;
  /** 32-bit words per row */
  readonly w: number;
  /** row-major bits: bit b of row a is set when (a, b) is in the relation */
  readonly bits: Uint32Array;

  constructor(n: number, bits?: Uint32Array) {
    this.n = n;
    this.w = (n + 31) >>> 5;
    this.bits = bits ?? zeroWords(n * this.w);
  }

  /** The empty relation. */
  static empty(n: number): Relation {
    return new Relation(n);
  }

  /** The identity on the events of `set`: herd's `[set]`. */
  static id(n: number, set: EventSet): Relation {
    const r = new Relation(n);
    for (let a = 0; a < n; a++) if (set[a] === 1) r.add(a, a);
    return r;
  }

  /** The identity on every event. */
  static identity(n: number): Relation {
    const r = new Relation(n);
    for (let a = 0; a < n; a++) r.add(a, a);
    return r;
  }

  /** Builds a relation from a pair predicate (cold: O(n²) calls). */
  static where(n: number, pred: (a: number, b: number) => boolean): Relation {
    const r = new Relation(n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (pred(a, b)) r.add(a, b);
    return r;
  }

  /** Adds the pair (a, b) in place (only while building). */
  add(a: number, b: number): void {
    const i = a * this.w + (b >>> 5);
    this.bits[i] = (this.bits[i] as number) | (1 << (b & 31));
  }

  /** True when (a, b) is in the relation. */
  has(a: number, b: number): boolean {
    return (((this.bits[a * this.w + (b >>> 5)] as number) >>> (b & 31)) & 1) === 1;
  }

  /** r | s */
  union(...others: readonly Relation[]): Relation {
    const out = copyWords(this.bits);
    for (const o of others) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) | (o.bits[i] as number);
    return new Relation(this.n, out);
  }

  /** r & s */
  inter(o: Relation): Relation {
    const out = zeroWords(this.bits.length);
    for (let i = 0; i < out.length; i++) out[i] = (this.bits[i] as number) & (o.bits[i] as number);
    return new Relation(this.n, out);
  }

  /** r \ s */
  minus(o: Relation): Relation {
    const out = zeroWords(this.bits.length);
    for (let i = 0; i < out.length; i++) out[i] = (this.bits[i] as number) & ~(o.bits[i] as number);
    return new Relation(this.n, out);
  }

  /** r ; s (relational composition) */
  seq(o: Relation): Relation {
    const { n, w } = this;
    const out = zeroWords(n * w);
    for (let a = 0; a < n; a++) {
      const ra = a * w;
      for (let k = 0; k < w; k++) {
        let word = this.bits[ra + k] as number;
        while (word !== 0) {
          const bit = word & -word;
          const b = (k << 5) + (31 - Math.clz32(bit));
          word ^= bit;
          const rb = b * w;
          for (let j = 0; j < w; j++) out[ra + j] = (out[ra + j] as number) | (o.bits[rb + j] as number);
        }
      }
    }
    return new Relation(n, out);
  }

  /** r^-1 */
  inverse(): Relation {
    const { n, w, bits } = this;
    const out = zeroWords(n * w);
    for (let a = 0; a < n; a++) {
      const aw = a >>> 5;
      const ab = 1 << (a & 31);
      for (let k = 0; k < w; k++) {
        let word = bits[a * w + k] as number;
        while (word !== 0) {
          const bit = word & -word;
          word ^= bit;
          const b = (k << 5) + (31 - Math.clz32(bit));
          out[b * w + aw] = (out[b * w + aw] as number) | ab;
        }
      }
    }
    return new Relation(n, out);
  }

  /** r+ (transitive closure, Warshall over bit rows) */
  plus(): Relation {
    const { n, w } = this;
    const out = copyWords(this.bits);
    for (let k = 0; k < n; k++) {
      const rk = k * w;
      const kw = k >>> 5;
      const kb = 1 << (k & 31);
      for (let a = 0; a < n; a++) {
        const ra = a * w;
        if (((out[ra + kw] as number) & kb) === 0) continue;
        for (let j = 0; j < w; j++) out[ra + j] = (out[ra + j] as number) | (out[rk + j] as number);
      }
    }
    return new Relation(n, out);
  }

  /** r* restricted to nothing: r? = r | id */
  opt(): Relation {
    const out = copyWords(this.bits);
    for (let a = 0; a < this.n; a++) {
      const i = a * this.w + (a >>> 5);
      out[i] = (out[i] as number) | (1 << (a & 31));
    }
    return new Relation(this.n, out);
  }

  /** [dom] ; r ; [rng] (null: no restriction on that side) */
  restrict(dom: EventSet | null, rng: EventSet | null): Relation {
    const { n, w } = this;
    const out = copyWords(this.bits);
    let mask: Uint32Array | null = null;
    if (rng !== null) {
      mask = zeroWords(w);
      for (let b = 0; b < n; b++) if (rng[b] === 1) mask[b >>> 5] = (mask[b >>> 5] as number) | (1 << (b & 31));
    }
    for (let a = 0; a < n; a++) {
      const ra = a * w;
      if (dom !== null && dom[a] !== 1) {
        out.fill(0, ra, ra + w);
        continue;
      }
      if (mask !== null) for (let j = 0; j < w; j++) out[ra + j] = (out[ra + j] as number) & (mask[j] as number);
    }
    return new Relation(n, out);
  }

  /** the pairs (a, b) of r with pred(a, b) */
  filter(pred: (a: number, b: number) => boolean): Relation {
    const r = new Relation(this.n);
    this.forEach((a, b) => {
      if (pred(a, b)) r.add(a, b);
    });
    return r;
  }

  /** Calls f for every pair, rows ascending. */
  forEach(f: (a: number, b: number) => void): void {
    const { n, w } = this;
    for (let a = 0; a < n; a++) {
      for (let k = 0; k < w; k++) {
        let word = this.bits[a * w + k] as number;
        while (word !== 0) {
          const bit = word & -word;
          word ^= bit;
          f(a, (k << 5) + (31 - Math.clz32(bit)));
        }
      }
    }
  }

  /** True when some (a, b) of r has (b, a) in `o`: r ∩ o⁻¹ ≠ ∅, without building o⁻¹. */
  meetsInverse(o: Relation): boolean {
    const { n, w, bits } = this;
    for (let a = 0; a < n; a++) {
      const aw = a >>> 5;
      const ab = 1 << (a & 31);
      for (let k = 0; k < w; k++) {
        let word = bits[a * w + k] as number;
        while (word !== 0) {
          const bit = word & -word;
          word ^= bit;
          const b = (k << 5) + (31 - Math.clz32(bit));
          if (((o.bits[b * w + aw] as number) & ab) !== 0) return true;
        }
      }
    }
    return false;
  }

  /** herd's `irreflexive r` */
  irreflexive(): boolean {
    for (let a = 0; a < this.n; a++) if (this.has(a, a)) return false;
    return true;
  }

  /** herd's `empty r` */
  isEmpty(): boolean {
    for (let i = 0; i < this.bits.length; i++) if (this.bits[i] !== 0) return false;
    return true;
  }

  /** herd's `acyclic r`: no path from an event back to itself (depth-first search, no closure built) */
  acyclic(): boolean {
    return this.cycle() === null;
  }

  /** Some cycle of r as a list of events (first = last omitted), or null when r is acyclic. */
  cycle(): number[] | null {
    const { n, w, bits } = this;
    // scratch reused between calls (cycle is not re-entered): 0 new, 1 on the stack, 2 done
    if (cycleScratch.length < 4 * n) cycleScratch = new Int32Array(8 * n);
    const colour = cycleScratch.subarray(0, n).fill(0);
    const parent = cycleScratch.subarray(n, 2 * n).fill(-1);
    const cursor = cycleScratch.subarray(2 * n, 3 * n); // next column to look at, per event on the stack
    const stack = cycleScratch.subarray(3 * n, 4 * n);
    for (let root = 0; root < n; root++) {
      if (colour[root] !== 0) continue;
      let sp = 0;
      stack[sp++] = root;
      colour[root] = 1;
      cursor[root] = 0;
      while (sp > 0) {
        const a = stack[sp - 1] as number;
        let next = -1;
        let b = cursor[a] as number;
        // scan row a for the next set bit at or after column b, a word at a time
        while (b < n) {
          const k = b >>> 5;
          const word = ((bits[a * w + k] as number) >>> (b & 31)) << (b & 31);
          if (word === 0) {
            b = (k + 1) << 5;
            continue;
          }
          const c = (k << 5) + (31 - Math.clz32(word & -word));
          if (c >= n) {
            b = n;
            break;
          }
          b = c + 1;
          if (colour[c] === 1) {
            const cyc = [c];
            for (let x = a; x !== c && x >= 0; x = parent[x] as number) cyc.push(x);
            return cyc.reverse();
          }
          if (colour[c] === 0) {
            next = c;
            break;
          }
        }
        cursor[a] = b;
        if (next < 0) {
          colour[a] = 2;
          sp--;
        } else {
          parent[next] = a;
          colour[next] = 1;
          cursor[next] = 0;
          stack[sp++] = next;
        }
      }
    }
    return null;
  }
}
