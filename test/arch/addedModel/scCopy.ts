/**
 * A memory model added as one file: sequential consistency again, under the name `sc2`. The
 * architecture test registers it with one line and checks the litmus catalogue with it; nothing
 * else in memweave changes for it to work.
 */
import type { MemoryModel } from '../../../model/memory/model.js';
import { createScInstance, memoryOnlyWords } from '../../../model/memory/sc.js';

/** sc under another name. */
export const sc2: MemoryModel<'sc2'> = {
  name: 'sc2',
  summary: 'sequential consistency, registered again by the architecture test',
  sameOutcomesAs: null,
  checksRaces: false,
  mixedSize: true,
  buffersStore: () => false,
  flushes: () => false,
  words: memoryOnlyWords,
  create: (ctx) => createScInstance(ctx, 'sc2', null),
};
