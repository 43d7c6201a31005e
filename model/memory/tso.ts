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
 * Mixed-size accesses (i8 and i16 views of a word; issue 15): a buffer entry is one store
 * instruction with the bytes it writes, and it reaches memory whole, in one drain (a store's bytes
 * become visible to other threads together); a load takes each of its bytes from the thread's
 * newest buffered store that wrote that byte, else from memory, at one instant (byte-wise store
 * forwarding). This is the operational reading of herd's `x86tso-mixed.cat` (herdtools7,
 * herd/libdir/x86tso-mixed.cat: accesses as byte events, `obs ; si` orders everything after any
 * byte of an instruction another thread observed, `lob` is TSO's program order), which
 * test/unit/checker/tsoMixed.test.ts holds it against on generated programs (graph/tso.ts's
 * byte clauses through the brute-force oracle). Real x86 stalls a load that only partly overlaps
 * a buffered store until that store reaches the cache (Intel's optimization manual, store
 * forwarding restrictions): every result of such a stall is a result of this model too (drain,
 * then read), so the model allows at least what the hardware does. Narrow RMWs and `sc` stores are
 * locked, as word-sized ones: they wait for an empty buffer and act on memory.
 *
 * Not modelled: non-temporal stores, instruction-level speculation (loads are satisfied in
 * program order), and unbounded buffers — a buffer holds at most `bufferBound` stores; a store
 * finding it full waits for a drain, and the machine reports `bufferBoundHit` (exploration is then
 * an under-approximation).
 *
 * Words: the memory (slot k at sharedBase + k) and, per thread with a buffered store, its buffer
 * [len, key0, value0, key1, value1, …] with bufferBound (key, value) pairs; FIFO, entry 0 the
 * oldest; entries at index >= len are (0, 0) (canonical). A key is the slot, plus, for a store of
 * part of a word, its bytes (a 4-bit mask, bit b for byte b) times 2^26 (`entryKey`); the value
 * of such an entry holds only those bytes (the others 0, canonical).
 */
import { byteMaskBits, firstNarrowAccess, type IrProgram, type Mode } from '../ir.js';
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

/** A buffer entry's key: the slot, with the bytes of a part-word store above bit 26 (0: the whole word). */
const KEY_SLOT_BITS = 26;
const KEY_SLOT_MASK = (1 << KEY_SLOT_BITS) - 1;
/** The key of an entry for a store of `bytes` (a 4-bit mask; 0xf: the whole word) to `slot`. */
function entryKey(slot: number, bytes: number): number {
  return bytes === 0xf ? slot : slot | (bytes << KEY_SLOT_BITS);
}
/** The bytes an entry's key writes (0xf: the whole word). */
function keyBytes(key: number): number {
  const b = key >>> KEY_SLOT_BITS;
  return b === 0 ? 0xf : b;
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

  // a program with narrow accesses has part-word entries (keys with bytes); the others keep the word-only loops
  const mixed = firstNarrowAccess(program) !== null;
  if (mixed && program.memorySize > KEY_SLOT_MASK) throw new Error('internal error: too many memory slots for tso buffer keys (this is a bug in memweave)');

  /** A load with byte-wise forwarding: each byte from the newest own entry that wrote it, else memory. */
  const loadMixed = (s: Int32Array, off: number, t: number, slot: number): number => {
    const b = bufBase[t] ?? -1;
    let need = 0xf;
    let word = 0;
    if (b >= 0) {
      const base = off + b;
      for (let i = (s[base] ?? 0) - 1; i >= 0 && need !== 0; i--) {
        const key = s[base + 1 + 2 * i] ?? 0;
        if ((key & KEY_SLOT_MASK) !== slot) continue;
        const take = keyBytes(key) & need;
        if (take === 0) continue;
        word |= (s[base + 2 + 2 * i] ?? 0) & byteMaskBits(take);
        need &= ~take;
      }
    }
    return need === 0 ? word | 0 : (word | ((s[off + memBase + slot] ?? 0) & byteMaskBits(need))) | 0;
  };

  /** A buffer entry for traces (cold): a part-word store says which bytes it writes. */
  const entryOf = (key: number, value: number): BufferEntry => {
    const bytes = keyBytes(key);
    return bytes === 0xf ? { slot: key & KEY_SLOT_MASK, value } : { slot: key & KEY_SLOT_MASK, value, bytes };
  };

  const inst: ModelInstance = {
    name: 'tso',
    initial: (out, off) => writeInitialMemory(program, memBase, out, off),
    maxMemoryTransitions: (t) => ((bufCap[t] ?? 0) > 0 ? 1 : 0),
    loadsChoose: false,
    loadChoices: () => 1,
    load: mixed
      ? loadMixed
      : (s, off, t, slot) => {
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
    store: (n, nOff, t, slot, value, mode, bytes = 0xf) => {
      if (mode === 'sc') {
        n[nOff + memBase + slot] = value;
        return false;
      }
      const base = nOff + (bufBase[t] ?? 0);
      const l = n[base] ?? 0;
      n[base + 1 + 2 * l] = entryKey(slot, bytes);
      n[base + 2 + 2 * l] = bytes === 0xf ? value : value & byteMaskBits(bytes);
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
      const key = n[base + 1] ?? 0;
      const at = nOff + memBase + (key & KEY_SLOT_MASK);
      const bytes = keyBytes(key);
      if (bytes === 0xf) n[at] = n[base + 2] ?? 0;
      else n[at] = ((n[at] ?? 0) & ~byteMaskBits(bytes)) | (n[base + 2] ?? 0);
      // shift the rest one entry towards the head, and clear the freed last entry (canonical)
      for (let i = 1; i < 2 * l - 1; i++) n[base + i] = n[base + i + 2] ?? 0;
      n[base + 2 * l - 1] = 0;
      n[base + 2 * l] = 0;
      n[base] = l - 1;
    },
    // a drain writes the slot of the oldest entry
    memoryWrites: (s, off, t) => (s[off + (bufBase[t] ?? 0) + 1] ?? 0) & KEY_SLOT_MASK,
    holdsStoreTo: (s, off, t, lo, hi) => {
      const b = bufBase[t] ?? -1;
      if (b < 0) return false;
      const base = off + b;
      const l = s[base] ?? 0;
      for (let i = 0; i < l; i++) {
        const slot = (s[base + 1 + 2 * i] ?? 0) & KEY_SLOT_MASK;
        if (slot >= lo && slot < hi) return true;
      }
      return false;
    },
    bufferRoom: (s, off, t) => ctx.bufferBound - len(s, off, t),
    memoryValue: (s, off, slot) => s[off + memBase + slot] ?? 0,
    isEmpty: (s, off, t) => len(s, off, t) === 0,
    ...blockSymmetry(ctx),
    ...flatMemoryRenaming(ctx),
    // entries keep their FIFO order; each names its slot (its key's low bits) and value afresh
    permuteThread: (src, sOff, from, dst, dOff, to, p) => {
      const bf = bufBase[from] ?? -1;
      if (bf < 0) return;
      const pf = sOff + bf;
      const pt = dOff + (bufBase[to] ?? 0);
      const words = ctx.blockWords[from] ?? 0;
      const l = src[pf] ?? 0;
      dst[pt] = l;
      for (let i = 0; i < l; i++) {
        const key = src[pf + 1 + 2 * i] ?? 0;
        const slot = key & KEY_SLOT_MASK;
        const value = src[pf + 2 + 2 * i] ?? 0;
        // a part-word entry keeps its bytes; its value holds bytes of a word, never a whole thread index
        dst[pt + 1 + 2 * i] = key - slot + (p.slotTo[slot] ?? slot);
        dst[pt + 2 + 2 * i] = key === slot ? renameValue(p, slot, value) : value;
      }
      for (let i = 1 + 2 * l; i < words; i++) dst[pt + i] = 0;
    },
    race: null,
    entries: (s, off, t) => {
      const out: BufferEntry[] = [];
      const b = bufBase[t] ?? -1;
      for (let i = 0; i < len(s, off, t); i++) out.push(entryOf(s[off + b + 1 + 2 * i] ?? 0, s[off + b + 2 + 2 * i] ?? 0));
      return out;
    },
    drainEntry: (s, off, t) => {
      if (len(s, off, t) === 0) return null;
      const b = bufBase[t] ?? 0;
      return entryOf(s[off + b + 1] ?? 0, s[off + b + 2] ?? 0);
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
  // narrow stores buffer only their bytes (module comment)
  mixedSize: true,
  hardware: ['x64', 'ia32'],
  buffersStore,
  flushes: isLockedOrFullFence,
  words: tsoWords,
  create: createTsoInstance,
};
