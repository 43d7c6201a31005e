/**
 * Sequential consistency (Lamport 1979): every memory operation reads or writes the single shared
 * memory atomically, in one global interleaving. No buffers, so no drains; every guard holds.
 *
 * Not modelled: mixed-size accesses (every access is one 32-bit word), and nothing weaker than
 * interleaving — access modes (`plain`, `rlx`, `acq`, `rel`, `acq_rel`) and fences all behave
 * as `sc` here.
 */
import type { Layout } from '../semantics/layout.js';
import type { MachineModel } from '../semantics/machine.js';
import { STORE_GUARD } from './storage.js';
import type { BufferEntry, Storage, StoreGuard } from './storage.js';

/** The SC storage subsystem (also the storage of the js model, which adds a race check on top). */
export function createScStorage(layout: Layout, model: MachineModel = 'sc'): Storage {
  const memBase = layout.memBase;
  return {
    model,
    maxDrains: () => 0,
    read: (s, off, _thread, slot) => s[off + memBase + slot] ?? 0,
    storeGuard: (): StoreGuard => STORE_GUARD.enabled,
    store: (n, nOff, _thread, slot, value) => {
      n[nOff + memBase + slot] = value;
      return false;
    },
    syncGuard: () => true,
    fenceGuard: () => true,
    fence: () => {},
    drains: (_s, _off, _thread, _out, count) => count,
    drain: () => {
      throw new Error('internal error: drain under a model without store buffers (this is a bug in memweave)');
    },
    isEmpty: () => true,
    entries: (): BufferEntry[] => [],
    drainEntry: () => null,
  };
}
