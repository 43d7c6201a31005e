/**
 * When a finished search is still not a full answer. A property that was not checked, or a part
 * of the state space that was not explored, makes the answer inconclusive, never a pass: a
 * budget that ran out during the search; livelock detection skipped because its edge list did
 * not fit the memory budget; a store buffer that reached the default bound (the executions that
 * need a longer buffer were never explored). A bound the caller gave explicitly is the caller's
 * question ("is it correct with at most N buffered stores?") and is answered as asked.
 */
import type { CheckStats, Inconclusive } from './api.js';

/** Why the answer is incomplete, or null: the search's own budget first, then an unchecked property, then the default buffer bound. */
export function uncheckedPart(
  searchBudget: 'states' | 'time' | 'memory' | 'interrupted' | null,
  livelockCheck: NonNullable<CheckStats['livelockCheck']>,
  bufferBoundHit: boolean,
  bufferBoundExplicit: boolean,
): Inconclusive | null {
  if (searchBudget !== null) return searchBudget;
  if (livelockCheck === 'skipped-memory') return 'livelock-memory';
  if (bufferBoundHit && !bufferBoundExplicit) return 'buffer-bound';
  return null;
}

/** Whether the outcomes and the condition's counts are complete (a search that ran to its end; only a later check was skipped). */
export function outcomesComplete(reason: Inconclusive | null): boolean {
  return reason === null || reason === 'livelock-memory';
}
