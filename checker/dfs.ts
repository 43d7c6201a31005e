/**
 * Depth-first search: a LIFO frontier. Successors are pushed in reverse so the first enabled
 * transition is explored first; the frontier stays small on deep, narrow state spaces, but
 * counterexamples are not shortest.
 */
import type { Frontier, Strategy } from './strategy.js';
import { IntDeque, type MemoryBudget } from './memoryBudget.js';

/** LIFO frontier over (state, depth) pairs; a batch pushed between pops comes out first-pushed-first. */
class LifoFrontier implements Frontier {
  private readonly stack: IntDeque;
  /** invariant: the values at positions [batchStart, end) were pushed since the last pop */
  private batchStart = 0;
  lastDepth = 0;

  constructor(budget: MemoryBudget) {
    this.stack = new IntDeque(budget);
  }

  push(state: number, depth: number): boolean {
    if (!this.stack.push(depth)) return false;
    if (this.stack.push(state)) return true;
    this.stack.pop();
    return false;
  }

  pop(): number {
    if (this.stack.size === 0) return -1;
    this.reverseBatch();
    const s = this.stack.pop();
    this.lastDepth = this.stack.pop();
    this.batchStart = this.stack.end;
    return s;
  }

  takeOldest(n: number, out: Int32Array, at: number): void {
    // the batch pushed since the last pop goes in first-pushed-first order, as pop would take it;
    // after this the invariant holds with an empty batch, and shifting the bottom cannot cut into it
    this.reverseBatch();
    for (let i = 0; i < n; i++) {
      out[at + 2 * i + 1] = this.stack.shift();
      out[at + 2 * i] = this.stack.shift();
    }
  }

  get size(): number {
    return this.stack.size >>> 1;
  }

  get bytes(): number {
    return this.stack.bytes;
  }

  dispose(): void {
    this.stack.dispose();
    this.batchStart = 0;
  }

  /** Reverse, in place, the (depth, state) pairs pushed since the last pop, so the first successor is expanded first. */
  private reverseBatch(): void {
    const st = this.stack;
    let lo = this.batchStart;
    let hi = st.end - 2;
    while (lo < hi) {
      const d = st.get(lo);
      const s = st.get(lo + 1);
      st.set(lo, st.get(hi));
      st.set(lo + 1, st.get(hi + 1));
      st.set(hi, d);
      st.set(hi + 1, s);
      lo += 2;
      hi -= 2;
    }
    this.batchStart = st.end;
  }
}

/** The depth-first strategy. */
export const dfs: Strategy = {
  name: 'dfs',
  summary: 'depth-first: small frontier, counterexamples not shortest',
  createFrontier: (budget) => new LifoFrontier(budget),
};
