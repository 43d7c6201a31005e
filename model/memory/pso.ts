/**
 * PSO (SPARC Partial Store Order; SPARC Architecture Manual v9, appendix D): like x86-TSO, but a
 * thread's buffered stores are ordered per location only — stores to different slots may reach
 * memory in either order. Modelled as one FIFO per (thread, slot): a `drain` transition (arg = the
 * slot) moves the oldest buffered store of that slot to memory. Loads forward from the thread's
 * newest buffered store to the same slot, else read memory.
 *
 * Access modes:
 * - plain/rlx stores are buffered; a `rel` store is buffered too, but only once the thread's
 *   buffers are all empty (release orders every prior write before it — SPARC's MEMBAR #StoreStore).
 * - `sc` stores, RMWs (every mode), `wait` and `notify` are locked: enabled only when all own
 *   buffers are empty, then act directly on memory.
 * - `fence.sc`, `fence.rel` and `fence.acq_rel` wait until all own buffers are empty; `fence.acq`
 *   is a no-op (loads are never reordered here, so there is nothing for it to order).
 *
 * Not modelled: mixed-size accesses, load-load or load-store reordering (PSO keeps loads in program
 * order; RMO's relaxations are not here), speculation, and unbounded buffers: each (thread, slot)
 * FIFO holds at most `bufferBound` stores and each thread at most max(bufferBound, 32) in total; a
 * store finding its buffer full waits for a drain and the machine reports `bufferBoundHit`.
 *
 * Encoding (see layout.ts): a thread's entries are kept sorted by slot and, within a slot, oldest
 * first; the interleaving of stores to different slots is forgotten, which keeps states canonical.
 */
import type { Layout } from '../semantics/layout.js';
import { TR } from '../semantics/machine.js';
import { STORE_GUARD } from './storage.js';
import type { BufferEntry, Storage, StoreGuard } from './storage.js';

/** The PSO storage subsystem: per thread, one FIFO store buffer per memory slot. */
export function createPsoStorage(layout: Layout): Storage {
  const memBase = layout.memBase;
  const bufBase = layout.bufBase;
  const bufCap = layout.bufCap;
  const bound = layout.bufferBound;

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
        const base = off + b;
        for (let i = (s[base] ?? 0) - 1; i >= 0; i--) {
          if (s[base + 1 + 2 * i] === slot) return s[base + 2 + 2 * i] ?? 0;
        }
      }
      return s[off + memBase + slot] ?? 0;
    },
    storeGuard: (s, off, t, slot, mode): StoreGuard => {
      const l = len(s, off, t);
      if (mode === 'sc' || mode === 'rel' || mode === 'acq_rel') {
        if (l > 0) return STORE_GUARD.blocked;
        if (mode === 'sc') return STORE_GUARD.enabled;
      }
      if (l >= (bufCap[t] ?? 0)) return STORE_GUARD.full;
      const base = off + (bufBase[t] ?? 0);
      let same = 0;
      for (let i = 0; i < l; i++) if (s[base + 1 + 2 * i] === slot) same++;
      return same < bound ? STORE_GUARD.enabled : STORE_GUARD.full;
    },
    store: (n, nOff, t, slot, value, mode) => {
      if (mode === 'sc') {
        n[nOff + memBase + slot] = value;
        return false;
      }
      const base = nOff + (bufBase[t] ?? 0);
      const l = n[base] ?? 0;
      // insertion point: after every entry whose slot is <= slot (stable: newest of a slot last)
      let p = l;
      while (p > 0 && (n[base + 1 + 2 * (p - 1)] ?? 0) > slot) p--;
      for (let i = l; i > p; i--) {
        n[base + 1 + 2 * i] = n[base + 1 + 2 * (i - 1)] ?? 0;
        n[base + 2 + 2 * i] = n[base + 2 + 2 * (i - 1)] ?? 0;
      }
      n[base + 1 + 2 * p] = slot;
      n[base + 2 + 2 * p] = value;
      n[base] = l + 1;
      return true;
    },
    syncGuard: (s, off, t) => len(s, off, t) === 0,
    fenceGuard: (s, off, t, mode) => (mode !== 'sc' && mode !== 'rel' && mode !== 'acq_rel') || len(s, off, t) === 0,
    drains: (s, off, t, out, count) => {
      const l = len(s, off, t);
      if (l === 0) return count;
      const base = off + (bufBase[t] ?? 0);
      let prev = -1;
      for (let i = 0; i < l; i++) {
        const slot = s[base + 1 + 2 * i] ?? 0;
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
      const l = n[base] ?? 0;
      let i = 0;
      while (i < l && n[base + 1 + 2 * i] !== slot) i++;
      if (i === l) throw new Error(`internal error: pso drain of slot ${slot} with no buffered store (this is a bug in memweave)`);
      n[nOff + memBase + slot] = n[base + 2 + 2 * i] ?? 0;
      for (let k = 2 * i + 1; k < 2 * l - 1; k++) n[base + k] = n[base + k + 2] ?? 0;
      n[base + 2 * l - 1] = 0;
      n[base + 2 * l] = 0;
      n[base] = l - 1;
    },
    isEmpty: (s, off, t) => len(s, off, t) === 0,
    entries: (s, off, t) => {
      const out: BufferEntry[] = [];
      const b = bufBase[t] ?? -1;
      for (let i = 0; i < len(s, off, t); i++) out.push({ slot: s[off + b + 1 + 2 * i] ?? 0, value: s[off + b + 2 + 2 * i] ?? 0 });
      return out;
    },
    drainEntry: (s, off, t, slot) => {
      const b = bufBase[t] ?? -1;
      for (let i = 0; i < len(s, off, t); i++) {
        if (s[off + b + 1 + 2 * i] === slot) return { slot, value: s[off + b + 2 + 2 * i] ?? 0 };
      }
      return null;
    },
  };
}
