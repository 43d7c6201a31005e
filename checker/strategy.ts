/**
 * The search-strategy interface: a strategy decides only the order in which stored states are
 * expanded, through the frontier it creates. The exploration loop (check.ts) is shared, so a new
 * strategy is one new file exporting a `Strategy` plus its line in the registry below.
 */
import type { StrategyName } from './api.js';
import type { MemoryBudget } from './memoryBudget.js';
import { bfs } from './bfs.js';
import { dfs } from './dfs.js';

/** The states waiting to be expanded, in the strategy's order. */
export interface Frontier {
  /** add a stored state (by index) at a depth; false when the memory budget refuses */
  push(state: number, depth: number): boolean;
  /** the next state to expand, or -1 when the frontier is empty; its depth is then in `lastDepth` */
  pop(): number;
  /** depth of the state last returned by `pop` */
  readonly lastDepth: number;
  /** states waiting */
  readonly size: number;
  /**
   * Remove the `n` (<= size) entries pushed longest ago — the bottom of a LIFO frontier (the roots
   * of the largest subtrees left), the head of a FIFO one — writing them as (state, depth) pairs
   * into `out` from `at`, oldest first: the batch a thief takes (parallelSearch.ts).
   */
  takeOldest(n: number, out: Int32Array, at: number): void;
  /** bytes held (already reserved through the budget) */
  readonly bytes: number;
  /** give every allocation back to the budget */
  dispose(): void;
}

/** A search strategy: a name and a frontier factory. */
export interface Strategy {
  readonly name: StrategyName;
  /** one line for --help */
  readonly summary: string;
  createFrontier(budget: MemoryBudget): Frontier;
}

/** Every strategy by name. */
export const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = { bfs, dfs };
