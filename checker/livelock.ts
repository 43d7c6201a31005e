/**
 * Livelock detection after a complete search: a reachable state from which no execution can
 * end (reach a final state, a deadlock, a violating step or an `assume` that discards the
 * branch) — every continuation runs forever, e.g. threads spinning in a loop whose exit no
 * interleaving enables.
 *
 * Method: the search records every edge (from, to) between stored states that is not already
 * known as a parent pointer (the edge that first reached a state is its parent link in the
 * visited set, so only edges to states seen before are listed); afterwards a backward
 * breadth-first search from the states where an execution can end (flags FINAL or END), over
 * both kinds of edge, marks every state that can still end. An unmarked state is livelocked; we report the one with the
 * smallest index, which under BFS is a shortest one and whose parent can still end (the point of
 * no return). All arrays are reserved through the memory budget; when they do not fit, the
 * check is skipped (reported in stats), never crashing.
 *
 * Not modelled: fairness. A state counts as live if *some* continuation ends, even when that
 * needs an unfair scheduler (a thread starved forever is not reported).
 */
import type { Machine } from '../model/semantics/machine.js';
import { IntDeque, type MemoryBudget } from './memoryBudget.js';
import { runToEnd, type Sliced } from './sliced.js';
import { FLAG, type VisitedSet } from './visited.js';
import { stepContinues } from './properties.js';

/** The recorded edges between stored states (those that are not parent links), as two parallel budgeted lists. */
export class EdgeList {
  private readonly from: IntDeque;
  private readonly to: IntDeque;

  constructor(budget: MemoryBudget) {
    this.from = new IntDeque(budget);
    this.to = new IntDeque(budget);
  }

  /** Number of edges. */
  get size(): number {
    return this.to.size;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.from.bytes + this.to.bytes;
  }

  /** Record an edge; false when the memory budget refuses. */
  add(from: number, to: number): boolean {
    if (!this.from.push(from)) return false;
    if (this.to.push(to)) return true;
    this.from.pop();
    return false;
  }

  /** The source of edge i. */
  fromOf(i: number): number {
    return this.from.get(i);
  }

  /** The target of edge i. */
  toOf(i: number): number {
    return this.to.get(i);
  }

  /** Release everything. */
  dispose(): void {
    this.from.dispose();
    this.to.dispose();
  }
}

/** Result of `findLivelock`: a livelocked state's index, -1 when there is none, 'no-memory', or 'interrupted' (its caller stopped it: sliced.ts). */
export type LivelockSearch = { readonly kind: 'found'; readonly state: number } | { readonly kind: 'none' } | { readonly kind: 'no-memory' } | { readonly kind: 'interrupted' };

/** Iterations of findLivelock's passes between pauses (sliced.ts). */
const PAUSE_EVERY = 1 << 16;

/** Find the smallest-index stored state from which no execution can end (edges: every edge that is not a parent link). */
export function findLivelock(visited: VisitedSet, edges: EdgeList, budget: MemoryBudget): LivelockSearch {
  return runToEnd(findLivelockSliced(visited, edges, budget));
}

/** `findLivelock` as a sliced phase: it pauses every PAUSE_EVERY steps of its passes and answers 'interrupted' when stopped there. */
export function* findLivelockSliced(visited: VisitedSet, edges: EdgeList, budget: MemoryBudget): Sliced<LivelockSearch> {
  const n = visited.count;
  const e = edges.size;
  // the parent links: one edge into every state but the initial one
  let tree = 0;
  for (let v = 0; v < n; v++) if (visited.parent(v) >= 0) tree++;
  const bytes = n + 4 * (n + 1) + 4 * (e + tree) + 4 * n;
  if (!budget.tryReserve(bytes)) return { kind: 'no-memory' };
  try {
    // reverse adjacency in compressed form: preds of v are pred[start[v] .. start[v+1])
    const start = new Int32Array(n + 1);
    if (yield) return { kind: 'interrupted' };
    for (let i = 0; i < e; i++) {
      const t = edges.toOf(i);
      start[t + 1] = (start[t + 1] as number) + 1;
    }
    for (let v = 0; v < n; v++) if (visited.parent(v) >= 0) start[v + 1] = (start[v + 1] as number) + 1;
    for (let v = 0; v < n; v++) start[v + 1] = (start[v + 1] as number) + (start[v] as number);
    const fill = start.slice(0, n); // insertion cursor per target
    const pred = new Int32Array(e + tree);
    for (let i = 0; i < e; i++) {
      const t = edges.toOf(i);
      const at = fill[t] as number;
      pred[at] = edges.fromOf(i);
      fill[t] = at + 1;
    }
    for (let v = 0; v < n; v++) {
      const p = visited.parent(v);
      if (p < 0) continue;
      const at = fill[v] as number;
      pred[at] = p;
      fill[v] = at + 1;
    }
    if (yield) return { kind: 'interrupted' };
    // the cursors are no longer needed: reuse the array as the search's queue
    const stuck = yield* firstStateThatCannotEnd(n, start, pred, (v) => visited.flags(v), fill);
    return stuck === 'interrupted' ? { kind: 'interrupted' } : stuck < 0 ? { kind: 'none' } : { kind: 'found', state: stuck };
  } catch (e) {
    // the host refused an allocation the budget allowed: skip, as when the budget refuses
    if (e instanceof RangeError) return { kind: 'no-memory' };
    throw e;
  } finally {
    budget.release(bytes);
  }
}

/**
 * The first state from which no execution can end, or -1: a breadth-first search backwards over
 * predecessor lists in compressed form (state v's predecessors are pred[start[v]..start[v+1])),
 * from every state whose flags say an execution ends there (FLAG.final or FLAG.end); the first
 * state it does not reach. `queue` holds at least n values and is overwritten. It pauses every
 * PAUSE_EVERY steps and answers 'interrupted' when stopped there. Shared by the sequential
 * search (over a VisitedSet) and the parallel one (over the shared table, parallelSearch.ts).
 */
export function* firstStateThatCannotEnd(n: number, start: Int32Array, pred: Int32Array, flags: (v: number) => number, queue: Int32Array): Sliced<number | 'interrupted'> {
  const canEnd = new Uint8Array(n);
  let head = 0;
  let tail = 0;
  for (let v = 0; v < n; v++) {
    if ((flags(v) & (FLAG.final | FLAG.end)) !== 0) {
      canEnd[v] = 1;
      queue[tail++] = v;
    }
  }
  let steps = 0;
  while (head < tail) {
    if (++steps % PAUSE_EVERY === 0 && (yield)) return 'interrupted';
    const v = queue[head++] as number;
    const hi = start[v + 1] as number;
    for (let k = start[v] as number; k < hi; k++) {
      const u = pred[k] as number;
      if (canEnd[u] === 0) {
        canEnd[u] = 1;
        queue[tail++] = u;
      }
    }
  }
  for (let v = 0; v < n; v++) if (canEnd[v] === 0) return v;
  return -1;
}

/** How many states `spinningThreads` looks at before settling for what it has seen. */
const SPIN_SCAN_LIMIT = 10_000;

/** A successor function in the stored form: apply (kind, thread, arg) to s, writing next (and, as the search does, merged local steps and dead registers reset); returns the step status. */
export type StoredStep = (s: Int32Array, kind: number, thread: number, arg: number, next: Int32Array) => number;

/**
 * The threads that spin forever from a livelocked state: those not finished in any state
 * reachable from it (cold path; re-expands through the machine, looks at most SPIN_SCAN_LIMIT
 * states). Every state reachable from a livelocked state is livelocked too. `step` gives a
 * successor in its stored form (merged local steps run, dead registers reset) so that it can be
 * looked up; by default, `Machine.apply`.
 */
export function spinningThreads(m: Machine, visited: VisitedSet, state: number, step?: StoredStep): number[] {
  const n = m.program.threads.length;
  const unfinished = new Array<boolean>(n).fill(true);
  const seen = new Set<number>([state]);
  const queue = [state];
  const trans = new Int32Array(Math.max(1, m.maxTransitions) * 3);
  const next = new Int32Array(m.stateLength);
  for (let q = 0; q < queue.length && seen.size <= SPIN_SCAN_LIMIT; q++) {
    const words = visited.copy(queue[q] as number);
    m.describeThreads(words, 0).forEach((d, i) => {
      if (d.startsWith('finished')) unfinished[i] = false;
    });
    const k = m.enabled(words, 0, trans);
    for (let t = 0; t < k; t++) {
      const kind = trans[3 * t] as number;
      const thread = trans[3 * t + 1] as number;
      const arg = trans[3 * t + 2] as number;
      const status = step === undefined ? m.apply(words, 0, kind, thread, arg, next, 0) : step(words, kind, thread, arg, next);
      if (!stepContinues(status)) continue;
      const idx = visited.find(next, 0);
      if (idx >= 0 && !seen.has(idx)) {
        seen.add(idx);
        queue.push(idx);
      }
    }
  }
  const out: number[] = [];
  unfinished.forEach((u, i) => {
    if (u) out.push(i);
  });
  return out;
}

/** The message for a livelocked state: which threads spin (see `spinningThreads`), and every thread's status. */
export function livelockMessage(m: Machine, s: Int32Array, off: number, spinning: readonly number[]): string {
  const status = m.describeThreads(s, off);
  const names = m.program.threads.map((t, i) => t.name || `#${i}`);
  const spin = spinning.map((i) => names[i] ?? `#${i}`);
  const who = spin.length === 0 ? 'the threads spin' : spin.length === 1 ? `thread ${spin[0] as string} spins` : `threads ${spin.join(', ')} spin`;
  const lines = status.map((d, i) => `  ${names[i] ?? `#${i}`}: ${d}`);
  return `livelock: no continuation from here ever finishes: ${who} forever\n${lines.join('\n')}`;
}
