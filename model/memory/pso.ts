/**
 * PSO (SPARC Partial Store Order; SPARC Architecture Manual v9, appendix D): x86-TSO without the
 * store→store order between different locations. Each thread's buffered stores reach memory by
 * separate `drain` transitions (arg = the slot): stores to the same slot drain oldest first, stores
 * to different slots in any order — unless a StoreStore barrier separates them. Loads forward from
 * the thread's newest buffered store to the same slot, else read memory; loads are never delayed.
 *
 * Access modes (the SPARC V9 mappings: store-release = MEMBAR #StoreStore (STBAR) + ST):
 * - plain/rlx stores are buffered.
 * - a `rel` (or `acq_rel`) store is a StoreStore barrier followed by a buffered store: the thread
 *   goes on at once (later loads are not held back), but the store may drain only after every
 *   store the thread buffered before it has drained.
 * - `fence.rel` and `fence.acq_rel` are StoreStore barriers: stores buffered after the fence drain
 *   only after the stores buffered before it. They never block the thread, nor its later loads.
 * - `sc` stores, RMWs (every mode), `wait` and `notify` are locked, and `fence.sc` is a full
 *   MEMBAR: enabled only when all own buffers are empty (they then act directly on memory).
 * - `fence.acq` is a no-op (loads are never reordered here, so there is nothing for it to order).
 * So PSO is TSO minus W→W order, with W→W restored from earlier stores to a release store and
 * across rel/acq_rel/sc fences (W→R only by fence.sc and locked operations), and TSO ⊆ PSO.
 *
 * Not modelled: mixed-size accesses, load-load or load-store reordering (PSO keeps loads in program
 * order; RMO's relaxations are not here), speculation, MEMBAR masks other than the ones above, and
 * unbounded buffers: each (thread, slot) FIFO holds at most `bufferBound` stores and each thread at
 * most max(bufferBound, 32) in total; a store finding its buffer full waits for a drain and the
 * machine reports `bufferBoundHit`.
 *
 * Encoding (layout.ts), per thread with a buffer, at bufBase[t]:
 *   [len, barrier, slot0, value0, epoch0, slot1, value1, epoch1, …] (bufCap[t] entries)
 * - epoch: how many StoreStore barriers separate the entry from the oldest live entries. An entry
 *   may drain only when it is the oldest of its slot and its epoch is 0.
 *   invariant: epochs are dense — the live entries use every epoch 0..max (when epoch 0 empties,
 *   all epochs go down by one), so equal orderings give equal words.
 * - entries sorted by (epoch, slot), stable: within an epoch each slot's entries are a FIFO run,
 *   oldest first; the order of different slots inside an epoch carries no meaning (forgotten).
 * - barrier: 1 when the thread passed a barrier (fence.rel/acq_rel) since its newest buffered
 *   store, so its next buffered store opens epoch max+1; invariant: 0 when len = 0 (a barrier
 *   with nothing before it orders nothing).
 * - unused entries are (0, 0, 0).
 * Canonical as buffer contents go: equal entries, order constraints and pending barrier give equal
 * words. Distinctions that only a later store of the thread could observe (a pending barrier, or
 * an epoch split between stores to one slot) are kept even when the thread stores no more.
 */
import type { Mode } from '../ir.js';
import type { Layout } from '../semantics/layout.js';
import { PSO_BUF_HEADER, PSO_ENTRY_WORDS } from '../semantics/layout.js';
import { TR } from '../semantics/machine.js';
import { STORE_GUARD } from './storage.js';
import type { BufferEntry, Storage, StoreGuard } from './storage.js';

/** Word offsets within a pso entry. */
const E_SLOT = 0;
const E_VALUE = 1;
const E_EPOCH = 2;
/** Offset of the barrier word within a pso buffer. */
const B_BARRIER = 1;

/** Is a store of this mode preceded by a StoreStore barrier (release)? */
const isReleaseStore = (mode: Mode): boolean => mode === 'rel' || mode === 'acq_rel';

/** The PSO storage subsystem: per thread, one FIFO per memory slot, ordered by StoreStore barriers. */
export function createPsoStorage(layout: Layout): Storage {
  const memBase = layout.memBase;
  const bufBase = layout.bufBase;
  const bufCap = layout.bufCap;
  const bound = layout.bufferBound;
  const W = PSO_ENTRY_WORDS;
  const H = PSO_BUF_HEADER;

  const len = (s: Int32Array, off: number, t: number): number => {
    const b = bufBase[t] ?? -1;
    return b < 0 ? 0 : (s[off + b] ?? 0);
  };

  return {
    model: 'pso',
    maxDrains: (t) => Math.min(bufCap[t] ?? 0, layout.memorySize),
    read: (s, off, t, slot) => {
      const b = bufBase[t] ?? -1;
      if (b >= 0) {
        // the last entry of the slot in (epoch, slot) order is its newest
        const e0 = off + b + H;
        for (let i = (s[off + b] ?? 0) - 1; i >= 0; i--) {
          if (s[e0 + W * i + E_SLOT] === slot) return s[e0 + W * i + E_VALUE] ?? 0;
        }
      }
      return s[off + memBase + slot] ?? 0;
    },
    storeGuard: (s, off, t, slot, mode): StoreGuard => {
      const l = len(s, off, t);
      if (mode === 'sc') return l === 0 ? STORE_GUARD.enabled : STORE_GUARD.blocked;
      if (l >= (bufCap[t] ?? 0)) return STORE_GUARD.full;
      const e0 = off + (bufBase[t] ?? 0) + H;
      let same = 0;
      for (let i = 0; i < l; i++) if (s[e0 + W * i + E_SLOT] === slot) same++;
      return same < bound ? STORE_GUARD.enabled : STORE_GUARD.full;
    },
    store: (n, nOff, t, slot, value, mode) => {
      if (mode === 'sc') {
        n[nOff + memBase + slot] = value;
        return false;
      }
      const base = nOff + (bufBase[t] ?? 0);
      const e0 = base + H;
      const l = n[base] ?? 0;
      // the epoch of the new entry: 0 in an empty buffer; else the newest epoch (the last entry's),
      // plus one when a barrier (a pending fence, or this store's own release) comes before it
      let epoch = 0;
      if (l > 0) {
        epoch = (n[e0 + W * (l - 1) + E_EPOCH] ?? 0) + (isReleaseStore(mode) || n[base + B_BARRIER] === 1 ? 1 : 0);
      }
      // insertion point: after every entry with (epoch, slot) <= (epoch, slot) (stable: newest of a slot last)
      let p = l;
      while (p > 0 && (n[e0 + W * (p - 1) + E_EPOCH] ?? 0) === epoch && (n[e0 + W * (p - 1) + E_SLOT] ?? 0) > slot) p--;
      for (let k = W * l - 1; k >= W * p; k--) n[e0 + k + W] = n[e0 + k] ?? 0;
      n[e0 + W * p + E_SLOT] = slot;
      n[e0 + W * p + E_VALUE] = value;
      n[e0 + W * p + E_EPOCH] = epoch;
      n[base] = l + 1;
      n[base + B_BARRIER] = 0; // the barrier, if any, is now recorded in the new entry's epoch
      return true;
    },
    syncGuard: (s, off, t) => len(s, off, t) === 0,
    fenceGuard: (s, off, t, mode) => mode !== 'sc' || len(s, off, t) === 0,
    fence: (n, nOff, t, mode) => {
      // a StoreStore barrier matters only when some store is buffered before it
      if ((mode === 'rel' || mode === 'acq_rel') && len(n, nOff, t) > 0) n[nOff + (bufBase[t] ?? 0) + B_BARRIER] = 1;
    },
    drains: (s, off, t, out, count) => {
      const l = len(s, off, t);
      if (l === 0) return count;
      const e0 = off + (bufBase[t] ?? 0) + H;
      let prev = -1;
      // epoch-0 entries are a prefix, sorted by slot: the first of each slot run may drain
      for (let i = 0; i < l && s[e0 + W * i + E_EPOCH] === 0; i++) {
        const slot = s[e0 + W * i + E_SLOT] ?? 0;
        if (slot === prev) continue;
        prev = slot;
        out[3 * count] = TR.drain;
        out[3 * count + 1] = t;
        out[3 * count + 2] = slot;
        count++;
      }
      return count;
    },
    drain: (n, nOff, t, slot) => {
      const base = nOff + (bufBase[t] ?? 0);
      const e0 = base + H;
      const l = n[base] ?? 0;
      let i = 0;
      while (i < l && n[e0 + W * i + E_SLOT] !== slot) i++;
      if (i === l || n[e0 + W * i + E_EPOCH] !== 0) {
        throw new Error(`internal error: pso drain of slot ${slot}, which has no drainable store (this is a bug in memweave)`);
      }
      n[nOff + memBase + slot] = n[e0 + W * i + E_VALUE] ?? 0;
      for (let k = W * i; k < W * (l - 1); k++) n[e0 + k] = n[e0 + k + W] ?? 0;
      for (let k = W * (l - 1); k < W * l; k++) n[e0 + k] = 0;
      n[base] = l - 1;
      if (l - 1 === 0) {
        n[base + B_BARRIER] = 0;
      } else if (n[e0 + E_EPOCH] !== 0) {
        // epoch 0 is now empty: renumber so that the oldest live epoch is 0 again (dense)
        for (let k = 0; k < l - 1; k++) n[e0 + W * k + E_EPOCH] = (n[e0 + W * k + E_EPOCH] ?? 0) - 1;
      }
    },
    isEmpty: (s, off, t) => len(s, off, t) === 0,
    entries: (s, off, t) => {
      const out: BufferEntry[] = [];
      const e0 = off + (bufBase[t] ?? 0) + H;
      for (let i = 0; i < len(s, off, t); i++) {
        out.push({ slot: s[e0 + W * i + E_SLOT] ?? 0, value: s[e0 + W * i + E_VALUE] ?? 0, epoch: s[e0 + W * i + E_EPOCH] ?? 0 });
      }
      return out;
    },
    drainEntry: (s, off, t, slot) => {
      const e0 = off + (bufBase[t] ?? 0) + H;
      for (let i = 0; i < len(s, off, t); i++) {
        if (s[e0 + W * i + E_SLOT] === slot) return s[e0 + W * i + E_EPOCH] === 0 ? { slot, value: s[e0 + W * i + E_VALUE] ?? 0, epoch: 0 } : null;
      }
      return null;
    },
  };
}
