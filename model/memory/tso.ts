/**
 * x86-TSO (Owens, Sarkar, Sewell, "A better x86 memory model: x86-TSO", TPHOLs 2009): each thread
 * has a FIFO store buffer; a store enters its thread's buffer and reaches memory later, oldest
 * first, by a separate `drain` transition. A load reads the thread's newest buffered store to the
 * same slot, else memory.
 *
 * Mapping of the access modes (as JS engines compile Atomics on x86):
 * - stores: plain/rlx/rel are MOVs (buffered); `sc` stores are XCHG (locked): enabled only when the
 *   own buffer is empty, then write memory directly.
 * - loads (any mode) and `await`: MOVs (buffer forwarding, else memory).
 * - RMWs (every mode), `wait` and `notify`: locked, enabled only with an empty own buffer, act on memory.
 * - `fence.sc` (MFENCE) waits until the own buffer is empty; fence.acq/rel/acq_rel are no-ops
 *   (x86 already gives acquire/release order to plain accesses).
 *
 * Not modelled: mixed-size accesses, non-temporal stores, instruction-level speculation (loads are
 * satisfied in program order), and unbounded buffers — a buffer holds at most `bufferBound`
 * stores; a store finding it full waits for a drain, and the machine reports `bufferBoundHit`
 * (exploration is then an under-approximation).
 *
 * Words: the memory (slot k at sharedBase + k) and, per thread with a buffered store, its buffer
 * [len, slot0, value0, slot1, value1, …] with bufferBound (slot, value) pairs; FIFO, entry 0 the
 * oldest; entries at index >= len are (0, 0) (canonical).
 */
import type { IrProgram, Mode } from '../ir.js';
import { TR } from '../semantics/machine.js';
import { blockSymmetry, flatMemoryRenaming, bufferedStoreSlots, renameValue, isLockedOrFullFence, renderEntryBuffers, STORE_GUARD, writeInitialMemory } from './model.js';
import type { BufferEntry, MemoryModel, ModelContext, ModelInstance, ModelWords, StoreGuard } from './model.js';

/** Is a store of this mode buffered? Every store but `sc`, which is a locked XCHG. */
const buffersStore = (mode: Mode): boolean => mode !== 'sc';

/** Memory, plus a buffer of bufferBound entries for each thread that has a buffered store. */
function tsoWords(program: IrProgram, bufferBound: number): ModelWords {
  const perThread = new Int32Array(program.threads.length);
  for (let t = 0; t < perThread.length; t++) {
    if (bufferedStoreSlots(program, buffersStore, t) > 0) perThread[t] = 1 + 2 * bufferBound;
  }
  return { shared: program.memorySize, perThread };
}

/** The x86-TSO instance: one FIFO store buffer per thread. */
function createTsoInstance(ctx: ModelContext): ModelInstance {
  const memBase = ctx.sharedBase;
  const bufBase = ctx.blockBase;
  const bufCap = Int32Array.from(ctx.blockWords, (w) => (w === 0 ? 0 : (w - 1) >> 1));
  const program = ctx.program;

  // invariant: buffer of t at off + bufBase[t]: [len, slot0, value0, …]; entry 0 is the oldest.
  const len = (s: Int32Array, off: number, t: number): number => {
    const b = bufBase[t] ?? -1;
    return b < 0 ? 0 : (s[off + b] ?? 0);
  };

  const inst: ModelInstance = {
    name: 'tso',
    initial: (out, off) => writeInitialMemory(program, memBase, out, off),
    maxMemoryTransitions: (t) => ((bufCap[t] ?? 0) > 0 ? 1 : 0),
    loadsChoose: false,
    loadChoices: () => 1,
    load: (s, off, t, slot) => {
      const b = bufBase[t] ?? -1;
      if (b >= 0) {
        const base = off + b;
        for (let i = (s[base] ?? 0) - 1; i >= 0; i--) {
          if (s[base + 1 + 2 * i] === slot) return s[base + 2 + 2 * i] ?? 0;
        }
      }
      return s[off + memBase + slot] ?? 0;
    },
    storeGuard: (s, off, t, _slot, mode): StoreGuard => {
      const l = len(s, off, t);
      if (mode === 'sc') return l === 0 ? STORE_GUARD.enabled : STORE_GUARD.blocked;
      return l < (bufCap[t] ?? 0) ? STORE_GUARD.enabled : STORE_GUARD.full;
    },
    store: (n, nOff, t, slot, value, mode) => {
      if (mode === 'sc') {
        n[nOff + memBase + slot] = value;
        return false;
      }
      const base = nOff + (bufBase[t] ?? 0);
      const l = n[base] ?? 0;
      n[base + 1 + 2 * l] = slot;
      n[base + 2 + 2 * l] = value;
      n[base] = l + 1;
      return true;
    },
    // locked operations (RMW, wait, notify) need an empty own buffer, then act on memory
    lockedGuard: (s, off, t) => len(s, off, t) === 0,
    lockedRead: (s, off, _t, slot) => s[off + memBase + slot] ?? 0,
    lockedWrite: (n, nOff, _t, slot, value) => {
      n[nOff + memBase + slot] = value;
    },
    fenceGuard: (s, off, t, mode) => mode !== 'sc' || len(s, off, t) === 0,
    fence: () => {}, // MFENCE only waits (its guard); acq/rel/acq_rel fences are no-ops on x86
    memoryTransitions: (s, off, t, out, count) => {
      if (len(s, off, t) === 0) return count;
      out[3 * count] = TR.drain;
      out[3 * count + 1] = t;
      out[3 * count + 2] = -1;
      return count + 1;
    },
    applyMemory: (n, nOff, t) => {
      const base = nOff + (bufBase[t] ?? 0);
      const l = n[base] ?? 0;
      n[nOff + memBase + (n[base + 1] ?? 0)] = n[base + 2] ?? 0;
      // shift the rest one entry towards the head, and clear the freed last entry (canonical)
      for (let i = 1; i < 2 * l - 1; i++) n[base + i] = n[base + i + 2] ?? 0;
      n[base + 2 * l - 1] = 0;
      n[base + 2 * l] = 0;
      n[base] = l - 1;
    },
    // a drain writes the slot of the oldest entry
    memoryWrites: (s, off, t) => s[off + (bufBase[t] ?? 0) + 1] ?? 0,
    holdsStoreTo: (s, off, t, lo, hi) => {
      const b = bufBase[t] ?? -1;
      if (b < 0) return false;
      const base = off + b;
      const l = s[base] ?? 0;
      for (let i = 0; i < l; i++) {
        const slot = s[base + 1 + 2 * i] ?? 0;
        if (slot >= lo && slot < hi) return true;
      }
      return false;
    },
    bufferRoom: (s, off, t) => ctx.bufferBound - len(s, off, t),
    memoryValue: (s, off, slot) => s[off + memBase + slot] ?? 0,
    isEmpty: (s, off, t) => len(s, off, t) === 0,
    ...blockSymmetry(ctx),
    ...flatMemoryRenaming(ctx),
    // entries keep their FIFO order; each names its slot and value afresh
    permuteThread: (src, sOff, from, dst, dOff, to, p) => {
      const bf = bufBase[from] ?? -1;
      if (bf < 0) return;
      const pf = sOff + bf;
      const pt = dOff + (bufBase[to] ?? 0);
      const words = ctx.blockWords[from] ?? 0;
      const l = src[pf] ?? 0;
      dst[pt] = l;
      for (let i = 0; i < l; i++) {
        const slot = src[pf + 1 + 2 * i] ?? 0;
        dst[pt + 1 + 2 * i] = p.slotTo[slot] ?? slot;
        dst[pt + 2 + 2 * i] = renameValue(p, slot, src[pf + 2 + 2 * i] ?? 0);
      }
      for (let i = 1 + 2 * l; i < words; i++) dst[pt + i] = 0;
    },
    race: null,
    entries: (s, off, t) => {
      const out: BufferEntry[] = [];
      const b = bufBase[t] ?? -1;
      for (let i = 0; i < len(s, off, t); i++) out.push({ slot: s[off + b + 1 + 2 * i] ?? 0, value: s[off + b + 2 + 2 * i] ?? 0 });
      return out;
    },
    drainEntry: (s, off, t) => {
      if (len(s, off, t) === 0) return null;
      const b = bufBase[t] ?? 0;
      return { slot: s[off + b + 1] ?? 0, value: s[off + b + 2] ?? 0 };
    },
    renderBuffers: (s, off) => renderEntryBuffers(inst, program.threads.length, ctx.slotName, s, off),
  };
  return inst;
}

/** x86-TSO. */
export const tso: MemoryModel<'tso'> = {
  name: 'tso',
  summary: 'x86-TSO: a FIFO store buffer per thread',
  sameOutcomesAs: null,
  checksRaces: false,
  // a narrow store would buffer a whole merged word: not modelled (S316)
  mixedSize: false,
  hardware: ['x64', 'ia32'],
  buffersStore,
  flushes: isLockedOrFullFence,
  words: tsoWords,
  create: createTsoInstance,
};
