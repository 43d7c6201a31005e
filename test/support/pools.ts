/**
 * Search pools of several sizes for one test file (cli/parallelCheck.ts, ParallelPool): `poolOf(n)`
 * starts a pool of n workers the first time and hands the same pool back after; `closePools` ends
 * every one and checks that no worker is left. Call it from the file's afterAll.
 */
import { expect } from 'vitest';
import { liveParallelWorkers, ParallelPool } from '../../cli/parallelCheck.js';

/** A file's pools: `poolOf(n)` and `closePools()`. */
export function poolsForFile(): { readonly poolOf: (n: number) => ParallelPool; readonly closePools: () => Promise<void> } {
  const pools = new Map<number, ParallelPool>();
  return {
    poolOf: (n) => {
      let p = pools.get(n);
      if (p === undefined) pools.set(n, (p = new ParallelPool(n)));
      return p;
    },
    closePools: async () => {
      for (const p of pools.values()) await p.close();
      pools.clear();
      expect(liveParallelWorkers()).toBe(0);
    },
  };
}
