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
 * Words: the memory (slot k at sharedBase + k) and, per thread with a buffered store, its buffer
 * at blockBase[t], with bufCap[t] = min(bufferBound × slots it may store to, max(bufferBound,
 * PSO_MAX_THREAD_ENTRIES)) entries:
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
import type { IrProgram, Mode } from '../ir.js';
import { TR } from '../semantics/machine.js';
import { blockSymmetry, flatMemoryRenaming, bufferedStoreSlots, renameValue, isLockedOrFullFence, renderEntryBuffers, STORE_GUARD, writeInitialMemory } from './model.js';
import type { BufferEntry, MemoryModel, ModelContext, ModelInstance, ModelWords, StoreGuard } from './model.js';

/** A thread's buffer never holds more than max(bufferBound, this) entries in total. */
export const PSO_MAX_THREAD_ENTRIES = 32;
/** Words before a thread buffer's first entry (len, barrier). */
export const PSO_BUF_HEADER = 2;
/** Words per buffered entry (slot, value, epoch). */
export const PSO_ENTRY_WORDS = 3;

/** Is a store of this mode buffered? Every store but `sc`, which is locked. */
const buffersStore = (mode: Mode): boolean => mode !== 'sc';

/** Memory, plus a buffer for each thread that has a buffered store: bufferBound entries per slot it may store to, at most max(bufferBound, 32). */
function psoWords(program: IrProgram, bufferBound: number): ModelWords {
  const perThread = new Int32Array(program.threads.length);
  for (let t = 0; t < perThread.length; t++) {
    const slots = bufferedStoreSlots(program, buffersStore, t);
    if (slots === 0) continue;
    const cap = Math.min(bufferBound * slots, Math.max(bufferBound, PSO_MAX_THREAD_ENTRIES));
    perThread[t] = PSO_BUF_HEADER + PSO_ENTRY_WORDS * cap;
  }
  return { shared: program.memorySize, perThread };
}

/** Word offsets within a pso entry. */
const E_SLOT = 0;
const E_VALUE = 1;
const E_EPOCH = 2;
/** Offset of the barrier word within a pso buffer. */
const B_BARRIER = 1;

/** Is a store of this mode preceded by a StoreStore barrier (release)? */
const isReleaseStore = (mode: Mode): boolean => mode === 'rel' || mode === 'acq_rel';

/** The PSO instance: per thread, one FIFO per memory slot, ordered by StoreStore barriers. */
function createPsoInstance(ctx: ModelContext): ModelInstance {
  const memBase = ctx.sharedBase;
  const bufBase = ctx.blockBase;
  const W = PSO_ENTRY_WORDS;
  const H = PSO_BUF_HEADER;
  const bufCap = Int32Array.from(ctx.blockWords, (w) => (w === 0 ? 0 : (w - H) / W));
  const bound = ctx.bufferBound;
  const program = ctx.program;
  const memorySize = program.memorySize;

  const len = (s: Int32Array, off: number, t: number): number => {
    const b = bufBase[t] ?? -1;
    return b < 0 ? 0 : (s[off + b] ?? 0);
  };

  const inst: ModelInstance = {
    name: 'pso',
    initial: (out, off) => writeInitialMemory(program, memBase, out, off),
    maxMemoryTransitions: (t) => Math.min(bufCap[t] ?? 0, memorySize),
    loadsChoose: false,
    loadChoices: () => 1,
    load: (s, off, t, slot) => {
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
    // locked operations (RMW, wait, notify) need all own buffers empty, then act on memory
    lockedGuard: (s, off, t) => len(s, off, t) === 0,
    lockedRead: (s, off, _t, slot) => s[off + memBase + slot] ?? 0,
    lockedWrite: (n, nOff, _t, slot, value) => {
      n[nOff + memBase + slot] = value;
    },
    fenceGuard: (s, off, t, mode) => mode !== 'sc' || len(s, off, t) === 0,
    fence: (n, nOff, t, mode) => {
      // a StoreStore barrier matters only when some store is buffered before it
      if ((mode === 'rel' || mode === 'acq_rel') && len(n, nOff, t) > 0) n[nOff + (bufBase[t] ?? 0) + B_BARRIER] = 1;
    },
    memoryTransitions: (s, off, t, out, count) => {
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
    applyMemory: (n, nOff, t, slot) => {
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
    // a drain's arg is the slot it writes
    memoryWrites: (_s, _off, _t, slot) => slot,
    holdsStoreTo: (s, off, t, lo, hi) => {
      const b = bufBase[t] ?? -1;
      if (b < 0) return false;
      const e0 = off + b + H;
      const l = s[off + b] ?? 0;
      for (let i = 0; i < l; i++) {
        const slot = s[e0 + W * i + E_SLOT] ?? 0;
        if (slot >= lo && slot < hi) return true;
      }
      return false;
    },
    // (the bound is per slot, the room counted against it per thread: conservative)
    bufferRoom: (s, off, t) => bound - len(s, off, t),
    memoryValue: (s, off, slot) => s[off + memBase + slot] ?? 0,
    isEmpty: (s, off, t) => len(s, off, t) === 0,
    ...blockSymmetry(ctx),
    ...flatMemoryRenaming(ctx),
    // entries renamed, then sorted by (epoch, slot) again, stably: each slot's FIFO run keeps its order
    permuteThread: (src, sOff, from, dst, dOff, to, p) => {
      const bf = bufBase[from] ?? -1;
      if (bf < 0) return;
      const pf = sOff + bf;
      const pt = dOff + (bufBase[to] ?? 0);
      const words = ctx.blockWords[from] ?? 0;
      const l = src[pf] ?? 0;
      dst[pt] = l;
      dst[pt + B_BARRIER] = src[pf + B_BARRIER] ?? 0;
      const e0 = pt + H;
      for (let i = 0; i < l; i++) {
        const f = pf + H + W * i;
        const slot = src[f + E_SLOT] ?? 0;
        const nSlot = p.slotTo[slot] ?? slot;
        const value = renameValue(p, slot, src[f + E_VALUE] ?? 0);
        const epoch = src[f + E_EPOCH] ?? 0;
        let j = i;
        while (j > 0) {
          const q = e0 + W * (j - 1);
          const pe = dst[q + E_EPOCH] ?? 0;
          if (pe < epoch || (pe === epoch && (dst[q + E_SLOT] ?? 0) <= nSlot)) break;
          dst[q + W + E_SLOT] = dst[q + E_SLOT] ?? 0;
          dst[q + W + E_VALUE] = dst[q + E_VALUE] ?? 0;
          dst[q + W + E_EPOCH] = pe;
          j--;
        }
        const q = e0 + W * j;
        dst[q + E_SLOT] = nSlot;
        dst[q + E_VALUE] = value;
        dst[q + E_EPOCH] = epoch;
      }
      for (let i = H + W * l; i < words; i++) dst[pt + i] = 0;
    },
    race: null,
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
    renderBuffers: (s, off) => renderEntryBuffers(inst, program.threads.length, ctx.slotName, s, off),
  };
  return inst;
}

/** SPARC PSO. */
export const pso: MemoryModel<'pso'> = {
  name: 'pso',
  summary: 'SPARC PSO: TSO without store-store order between locations',
  sameOutcomesAs: null,
  checksRaces: false,
  // a narrow store would buffer a whole merged word: not modelled (S316)
  mixedSize: false,
  buffersStore,
  flushes: isLockedOrFullFence,
  words: psoWords,
  create: createPsoInstance,
};
