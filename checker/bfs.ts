/**
 * Breadth-first search: a FIFO frontier. States are expanded in order of depth, so the first
 * violation of each kind found has a shortest counterexample.
 */
import type { Frontier, Strategy } from './strategy.js';
import { IntDeque, type MemoryBudget } from './memoryBudget.js';

/** FIFO frontier over (state, depth) pairs. */
class FifoFrontier implements Frontier {
  private readonly q: IntDeque;
  lastDepth = 0;

  constructor(budget: MemoryBudget) {
    this.q = new IntDeque(budget);
  }

  push(state: number, depth: number): boolean {
    if (!this.q.push(state)) return false;
    if (this.q.push(depth)) return true;
    this.q.pop();
    return false;
  }

  pop(): number {
    if (this.q.size === 0) return -1;
    const s = this.q.shift();
    this.lastDepth = this.q.shift();
    return s;
  }

  takeOldest(n: number, out: Int32Array, at: number): void {
    for (let i = 0; i < n; i++) {
      out[at + 2 * i] = this.q.shift();
      out[at + 2 * i + 1] = this.q.shift();
    }
  }

  get size(): number {
    return this.q.size >>> 1;
  }

  get bytes(): number {
    return this.q.bytes;
  }

  dispose(): void {
    this.q.dispose();
  }
}

/** The breadth-first strategy (the default). */
export const bfs: Strategy = {
  name: 'bfs',
  summary: 'breadth-first: shortest counterexamples (default)',
  createFrontier: (budget) => new FifoFrontier(budget),
};
