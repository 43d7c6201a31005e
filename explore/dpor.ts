/**
 * Stateless exploration of the interleavings of an execution (explore/execution.ts) with dynamic
 * partial-order reduction: C. Flanagan and P. Godefroid, "Dynamic partial-order reduction for
 * model checking software", POPL 2005 (persistent sets from backtrack points), with races found
 * on the events performed, by vector clocks over program order and dependence, as in Abdulla et
 * al., "Optimal dynamic partial order reduction", POPL 2014, §3, and sleep sets (Godefroid 1996):
 * a thread whose subtree at a state is explored sleeps until a step dependent with its next one
 * runs. Two steps are dependent when they touch overlapping bytes and one writes, or the same
 * waiter list. Every execution is re-run from the start; only the stack of choices is kept.
 * Not optimal: with three or more threads an execution can end with every enabled thread asleep
 * (`sleepBlocked`); explore/optimal.ts (source sets and wakeup trees, Abdulla et al. §4–6) avoids
 * starting it and is the default; this search stays selectable (`Bounds.algorithm: 'classic'`)
 * to measure against, and runs every replay.
 *
 * Bounds: a preemption bound (CHESS's iterative context bounding, Musuvathi & Qadeer PLDI 2007)
 * skips a backtrack point it forbids, and a step bound cuts an execution; either makes the answer
 * inconclusive, never a pass. `exhaustive` is the brute-force enumeration of every interleaving
 * the tests hold DPOR against.
 */

/** What the exploration needs of a system: a fresh execution, enabled threads, one step. */
import type { Footprint } from './execution.js';

export interface System<E> {
  /** Start an execution; null when it failed before any choice (setup). */
  begin(): E;
  threads(e: E): number;
  enabled(e: E, t: number): boolean;
  /** Perform thread t's step; its footprint. */
  step(e: E, t: number): Footprint;
  /** Whether the execution stopped (a failure, or every thread done). */
  over(e: E): boolean;
  /** The execution ended; `cut` when a bound stopped it. Returning true stops the exploration (a violation). */
  end(e: E, cut: boolean): boolean;
}

/** The DPOR searches: optimal (source sets and wakeup trees) and classic (Flanagan–Godefroid with sleep sets). */
export const SEARCH_ALGORITHMS = ['optimal', 'classic'] as const;
export type SearchAlgorithm = (typeof SEARCH_ALGORITHMS)[number];

/** Exploration bounds. */
export interface Bounds {
  readonly maxPreemptions: number;
  readonly maxSteps: number;
  readonly maxExecutions: number;
  /** order in which fresh states try threads (a permutation); from the seed */
  readonly order: readonly number[];
  /** sleep sets on (default); off only to measure what they save (the classic search only) */
  readonly sleepSets?: boolean;
  /** 'optimal' (default): wakeup trees, explore/optimal.ts; 'classic': this file's Flanagan–Godefroid search, kept to measure against */
  readonly algorithm?: SearchAlgorithm;
  /** called with the Mazurkiewicz trace of each execution that ran to its end (for measuring redundancy) */
  readonly onTrace?: (key: string) => void;
}

/** What an exploration did. */
export interface ExplorationStats {
  executions: number;
  steps: number;
  /** why it is not complete, if it is not */
  bound: 'preemptions' | 'steps' | 'executions' | null;
  /** executions ended early because every enabled thread was asleep (a redundant interleaving) */
  sleepBlocked: number;
  stopped: boolean;
  /** the choices of the last execution (the failing one when `stopped`) */
  schedule: number[];
}

/** Whether two steps of different threads are dependent. */
export function dependent(a: Footprint, b: Footprint): boolean {
  if (a.waitList >= 0 && a.waitList === b.waitList) return true;
  return overlapsAny(a.writes, b.reads) || overlapsAny(a.writes, b.writes) || overlapsAny(b.writes, a.reads);
}

function overlapsAny(xs: readonly (readonly [number, number])[], ys: readonly (readonly [number, number])[]): boolean {
  for (const x of xs) for (const y of ys) if (x[0] < y[1] && y[0] < x[1]) return true;
  return false;
}

interface Node {
  readonly enabled: readonly number[];
  readonly backtrack: Set<number>;
  readonly done: Set<number>;
  /** invariant: the threads asleep here (Godefroid's sleep set) and their next step's footprint; never chosen */
  readonly sleep: ReadonlyMap<number, Footprint>;
  /** the footprint of the step each thread took from here, in executions so far */
  readonly taken: Map<number, Footprint>;
  chosen: number;
}

/** One performed step, with its vector clock. */
export interface Ev {
  readonly thread: number;
  /** 1-based index of the event in its thread */
  readonly index: number;
  readonly fp: Footprint;
  readonly vc: Int32Array;
}

/** Explore with DPOR; `replay` runs exactly one schedule instead. */
export function explore<E>(sys: System<E>, bounds: Bounds, replay?: readonly number[]): ExplorationStats {
  const stats: ExplorationStats = { executions: 0, steps: 0, bound: null, sleepBlocked: 0, stopped: false, schedule: [] };
  const stack: Node[] = [];
  for (;;) {
    const outcome = runOne(sys, bounds, stack, stats, replay);
    stats.executions++;
    if (outcome === 'violation') {
      stats.stopped = true;
      return stats;
    }
    if (replay !== undefined) return stats;
    if (!nextBranch(stack, bounds, stats)) return stats;
    if (stats.executions >= bounds.maxExecutions) {
      stats.bound = 'executions';
      return stats;
    }
  }
}

function runOne<E>(sys: System<E>, bounds: Bounds, stack: Node[], stats: ExplorationStats, replay?: readonly number[]): 'violation' | 'ok' {
  const e = sys.begin();
  const n = sys.threads(e);
  const events: Ev[] = [];
  const lastOf: (Ev | undefined)[] = new Array<Ev | undefined>(n).fill(undefined);
  const schedule: number[] = [];
  let depth = 0;
  let cut = false;
  let sleep: ReadonlyMap<number, Footprint> = NO_SLEEP;
  while (!sys.over(e)) {
    const en: number[] = [];
    for (const t of bounds.order) if (t < n && sys.enabled(e, t)) en.push(t);
    if (en.length === 0) break;
    if (depth >= bounds.maxSteps) {
      cut = true;
      stats.bound ??= 'steps';
      break;
    }
    let t: number;
    let node: Node | undefined;
    if (replay !== undefined) {
      const r = replay[depth];
      if (r === undefined) break;
      if (!en.includes(r)) throw new ReplayMismatch(`the replay token chooses thread ${r} at step ${depth + 1}, which cannot move there`);
      t = r;
    } else if (depth < stack.length) {
      node = stack[depth] as Node;
      t = node.chosen;
    } else {
      const awake = en.filter((u) => !sleep.has(u));
      if (awake.length === 0) {
        // Every enabled thread is asleep: each continuation is equivalent to one explored already.
        cut = true;
        stats.sleepBlocked++;
        break;
      }
      const prev = schedule[depth - 1];
      t = prev !== undefined && awake.includes(prev) ? prev : (awake[0] as number);
      node = { enabled: en, backtrack: new Set([t]), done: new Set(), sleep, taken: new Map(), chosen: t };
      stack.push(node);
    }
    node?.done.add(t);
    schedule.push(t);
    const fp = sys.step(e, t);
    stats.steps++;
    if (node !== undefined && bounds.sleepSets !== false) {
      node.taken.set(t, fp);
      sleep = sleepAfter(node, t, fp);
    }
    const ev = addEvent(events, lastOf, t, fp, n);
    if (replay === undefined) addBacktracks(events, ev, stack, n);
    depth++;
  }
  stats.schedule = schedule;
  if (!cut && bounds.onTrace !== undefined) bounds.onTrace(traceKey(events));
  return sys.end(e, cut) ? 'violation' : 'ok';
}

/**
 * The Mazurkiewicz trace of an execution: each event, named by thread and index, with its vector
 * clock (its happens-before predecessors through program order and dependence). Two executions of
 * a deterministic program are in the same trace exactly when these agree.
 */
export function traceKey(events: readonly Ev[]): string {
  return events
    .map((e) => `${e.thread}.${e.index}:${e.vc.join(',')}`)
    .sort()
    .join(' ');
}

const NO_SLEEP: ReadonlyMap<number, Footprint> = new Map();

/**
 * The sleep set after thread `t` stepped from `node` with footprint `fp` (P. Godefroid,
 * "Partial-Order Methods for the Verification of Concurrent Systems", LNCS 1032, 1996, ch. 5):
 * the threads asleep at the node, and those already explored from it, whose next step is
 * independent of this one — running them next would only reorder independent steps.
 */
function sleepAfter(node: Node, t: number, fp: Footprint): ReadonlyMap<number, Footprint> {
  let out: Map<number, Footprint> | undefined;
  const keep = (u: number, f: Footprint): void => {
    if (u !== t && !dependent(f, fp)) (out ??= new Map()).set(u, f);
  };
  for (const [u, f] of node.sleep) keep(u, f);
  for (const [u, f] of node.taken) if (node.done.has(u)) keep(u, f);
  return out ?? NO_SLEEP;
}

/** Append an event with its vector clock (program order joined with every earlier dependent event). */
export function addEvent(events: Ev[], lastOf: (Ev | undefined)[], t: number, fp: Footprint, n: number): Ev {
  const prev = lastOf[t];
  const vc = prev === undefined ? new Int32Array(n) : Int32Array.from(prev.vc);
  for (const o of events) {
    if (o.thread !== t && dependent(o.fp, fp)) for (let k = 0; k < n; k++) vc[k] = Math.max(vc[k] as number, o.vc[k] as number);
  }
  const index = (prev?.index ?? 0) + 1;
  vc[t] = index;
  const ev = { thread: t, index, fp, vc };
  events.push(ev);
  lastOf[t] = ev;
  return ev;
}

/**
 * For each earlier event that races with `ev` (dependent, another thread, not already ordered
 * before it), make the state before it try `ev`'s thread — or every thread enabled there, when
 * that thread could not move there (Flanagan & Godefroid's rule).
 */
function addBacktracks(events: readonly Ev[], ev: Ev, stack: readonly Node[], n: number): void {
  const pos = events.length - 1;
  const known = new Int32Array(n);
  let prevOwn: Ev | undefined;
  for (let i = pos - 1; i >= 0; i--) {
    const o = events[i] as Ev;
    if (o.thread === ev.thread) {
      prevOwn ??= o;
      continue;
    }
    if (!dependent(o.fp, ev.fp)) continue;
    const orderedBefore = (prevOwn !== undefined && (prevOwn.vc[o.thread] as number) >= o.index) || (known[o.thread] as number) >= o.index;
    if (!orderedBefore) {
      const node = stack[i];
      if (node !== undefined) {
        if (node.enabled.includes(ev.thread) && !node.sleep.has(ev.thread)) node.backtrack.add(ev.thread);
        else if (node.enabled.includes(ev.thread)) addInitial(events, i, pos, node);
        else for (const t of node.enabled) node.backtrack.add(t);
      }
    }
    for (let k = 0; k < n; k++) known[k] = Math.max(known[k] as number, o.vc[k] as number);
  }
}

/**
 * The race's thread is asleep at the state before step i, so adding it would be a no-op and the
 * reversal could be lost (found by test/unit/explore/optimal.test.ts): add instead an initial of
 * v = notdep(i).pos — a thread whose first step in v follows none of v's steps (Abdulla et al.,
 * JACM 2017, Algorithm 1, source sets) — unless one is in the backtrack set already; when every
 * initial sleeps the reversal is covered by the sleep set.
 */
function addInitial(events: readonly Ev[], i: number, pos: number, node: Node): void {
  const e = events[i] as Ev;
  const v: Ev[] = [];
  for (let k = i + 1; k < pos; k++) if (((events[k] as Ev).vc[e.thread] as number) < e.index) v.push(events[k] as Ev);
  v.push(events[pos] as Ev);
  const initials: number[] = [];
  for (const f of v) {
    if (initials.includes(f.thread) || v.some((g) => g !== f && g.thread === f.thread && g.index < f.index)) continue;
    if (!v.some((g) => g.thread !== f.thread && (f.vc[g.thread] as number) >= g.index)) initials.push(f.thread);
  }
  if (initials.some((t) => node.backtrack.has(t))) return;
  const awake = initials.find((t) => !node.sleep.has(t));
  if (awake !== undefined) node.backtrack.add(awake);
}

/** Move the stack to the deepest untried backtrack choice the bounds allow; false when none is left. */
function nextBranch(stack: Node[], bounds: Bounds, stats: ExplorationStats): boolean {
  while (stack.length > 0) {
    const i = stack.length - 1;
    const node = stack[i] as Node;
    const before = preemptionsBefore(stack, i, (n) => n.chosen);
    const prev = i > 0 ? (stack[i - 1] as Node).chosen : undefined;
    for (const t of bounds.order) {
      if (!node.backtrack.has(t) || node.done.has(t) || node.sleep.has(t)) continue;
      if (before + preempts(prev, t, node.enabled) > bounds.maxPreemptions) {
        node.done.add(t);
        stats.bound ??= 'preemptions';
        continue;
      }
      node.chosen = t;
      return true;
    }
    stack.pop();
  }
  return false;
}

/** Whether taking thread `t` after `prev` is a preemption: a switch away from a thread that could go on. */
export function preempts(prev: number | undefined, t: number, enabled: readonly number[]): 0 | 1 {
  return prev !== undefined && t !== prev && enabled.includes(prev) ? 1 : 0;
}

/** Preemptions in the steps before state i of a search stack whose node k took thread `threadOf(node k)`. */
export function preemptionsBefore<N extends { readonly enabled: readonly number[] }>(stack: readonly N[], i: number, threadOf: (node: N) => number): number {
  let p = 0;
  for (let k = 1; k < i; k++) p += preempts(threadOf(stack[k - 1] as N), threadOf(stack[k] as N), (stack[k] as N).enabled);
  return p;
}

/** A replay token that does not fit the program. */
export class ReplayMismatch extends Error {}

/** Every interleaving, no reduction (the oracle DPOR is tested against). */
export function exhaustive<E>(sys: System<E>, maxSteps: number, onEnd: (e: E) => void): { executions: number } {
  let executions = 0;
  const walk = (prefix: number[]): void => {
    const e = sys.begin();
    for (const t of prefix) sys.step(e, t);
    if (sys.over(e) || prefix.length >= maxSteps) {
      onEnd(e);
      sys.end(e, prefix.length >= maxSteps);
      executions++;
      return;
    }
    const en: number[] = [];
    for (let t = 0; t < sys.threads(e); t++) if (sys.enabled(e, t)) en.push(t);
    if (en.length === 0) {
      onEnd(e);
      sys.end(e, false);
      executions++;
      return;
    }
    sys.end(e, true); // this execution is only a prefix: end it before branching
    for (const t of en) walk([...prefix, t]);
  };
  walk([]);
  return { executions };
}
