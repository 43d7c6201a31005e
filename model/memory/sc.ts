/**
 * Sequential consistency (Lamport 1979): every memory operation reads or writes the single shared
 * memory atomically, in one global interleaving. No buffers, so no memory transitions; every
 * guard holds.
 *
 * Words: the memory only (slot k at sharedBase + k); no per-thread block.
 *
 * Mixed size (`mixedSize`): a narrow view access is a read-modify of its word in one step.
 * Not modelled: nothing weaker than
 * interleaving — access modes (`plain`, `rlx`, `acq`, `rel`, `acq_rel`) and fences all behave
 * as `sc` here.
 */
import type { IrProgram } from '../ir.js';
import { blockSymmetry, flatMemoryRenaming, STORE_GUARD, writeInitialMemory } from './model.js';
import type { BufferEntry, MemoryModel, ModelContext, ModelInstance, ModelWords, StoreGuard } from './model.js';

/** The words of a model that keeps only the flat memory (sc, js). */
export function memoryOnlyWords(program: IrProgram): ModelWords {
  return { shared: program.memorySize, perThread: new Int32Array(program.threads.length) };
}

/** The SC instance over one program's words (also the js model's, which adds a race check on top). */
export function createScInstance(ctx: ModelContext, name: string, race: ModelInstance['race']): ModelInstance {
  const memBase = ctx.sharedBase;
  const program = ctx.program;
  const noDrain = (): never => {
    throw new Error('internal error: a memory transition under a model without store buffers (this is a bug in memweave)');
  };
  return {
    name,
    initial: (out, off) => writeInitialMemory(program, memBase, out, off),
    maxMemoryTransitions: () => 0,
    loadsChoose: false,
    loadChoices: () => 1,
    load: (s, off, _thread, slot) => s[off + memBase + slot] ?? 0,
    storeGuard: (): StoreGuard => STORE_GUARD.enabled,
    store: (n, nOff, _thread, slot, value) => {
      n[nOff + memBase + slot] = value;
      return false;
    },
    lockedGuard: () => true,
    lockedRead: (s, off, _thread, slot) => s[off + memBase + slot] ?? 0,
    lockedWrite: (n, nOff, _thread, slot, value) => {
      n[nOff + memBase + slot] = value;
    },
    fenceGuard: () => true,
    fence: () => {},
    memoryTransitions: (_s, _off, _thread, _out, count) => count,
    applyMemory: noDrain,
    memoryWrites: noDrain,
    holdsStoreTo: () => false,
    bufferRoom: () => 0x7fffffff,
    memoryValue: (s, off, slot) => s[off + memBase + slot] ?? 0,
    isEmpty: () => true,
    ...blockSymmetry(ctx),
    ...flatMemoryRenaming(ctx),
    race,
    entries: (): BufferEntry[] => [],
    drainEntry: () => null,
    renderBuffers: () => [],
  };
}

/** Sequential consistency. */
export const sc: MemoryModel<'sc'> = {
  name: 'sc',
  summary: 'sequential consistency: one global interleaving of atomic accesses',
  sameOutcomesAs: null,
  checksRaces: false,
  mixedSize: true,
  buffersStore: () => false,
  flushes: () => false,
  words: memoryOnlyWords,
  create: (ctx) => createScInstance(ctx, 'sc', null),
};
