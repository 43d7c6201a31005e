/**
 * The frontiers of the search strategies (checker/bfs.ts, checker/dfs.ts) against a reference
 * list: push, pop and `takeOldest` (the batch a thief takes in the parallel search) in random
 * interleavings, across the deque's chunk boundaries (16,384 words a chunk). FIFO: a queue, the
 * oldest taken from its head. LIFO: a batch pushed between two pops comes out first-pushed-first,
 * and `takeOldest` takes the bottom of the stack (after that batch is in pop order), so the
 * entries left pop as they would have.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../../checker/memoryBudget.js';
import { STRATEGIES } from '../../../checker/strategy.js';
import { seedFromEnv } from '../../arbitraries/irProgram.js';

type Op = { readonly kind: 'push'; readonly n: number } | { readonly kind: 'pop'; readonly n: number } | { readonly kind: 'take'; readonly n: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), n: fc.integer({ min: 1, max: 9000 }) }),
  fc.record({ kind: fc.constant('pop' as const), n: fc.integer({ min: 1, max: 6000 }) }),
  fc.record({ kind: fc.constant('take' as const), n: fc.integer({ min: 0, max: 6000 }) }),
);

describe('frontiers: push, pop and takeOldest agree with a reference list', () => {
  for (const name of ['bfs', 'dfs'] as const) {
    it(`${name}`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
          const f = STRATEGIES[name].createFrontier(new MemoryBudget(Number.POSITIVE_INFINITY));
          // reference: entries in the order they leave by pop (LIFO: from the end; FIFO: from the front), plus the LIFO batch not yet ordered
          const ref: [number, number][] = [];
          let batch: [number, number][] = [];
          const settle = (): void => {
            if (name === 'dfs') ref.push(...batch.reverse());
            batch = [];
          };
          let next = 0;
          for (const o of ops) {
            if (o.kind === 'push') {
              let pushed = true;
              for (let i = 0; i < o.n; i++, next++) {
                pushed &&= f.push(next, next % 97);
                if (name === 'dfs') batch.push([next, next % 97]);
                else ref.push([next, next % 97]);
              }
              expect(pushed).toBe(true);
            } else if (o.kind === 'pop') {
              settle();
              const n = Math.min(o.n, ref.length);
              const want = name === 'dfs' ? ref.splice(ref.length - n, n).reverse() : ref.splice(0, n);
              const got: number[] = [];
              for (let i = 0; i < n; i++) got.push(f.pop(), f.lastDepth);
              expect(got).toEqual(want.flat());
              if (ref.length === 0) expect(f.pop()).toBe(-1);
            } else {
              settle();
              const n = Math.min(o.n, f.size);
              const out = new Int32Array(2 * n + 2);
              f.takeOldest(n, out, 2);
              const want = ref.splice(0, n);
              expect(Array.from(out.subarray(2))).toEqual(want.flat());
            }
            expect(f.size).toBe(ref.length + batch.length);
          }
        }),
        { seed: seedFromEnv(21), numRuns: 40 },
      );
    });
  }
});
