/**
 * Optimal dynamic partial-order reduction: P. Abdulla, S. Aronis, B. Jonsson and K. Sagonas,
 * "Optimal dynamic partial order reduction", POPL 2014, §5–6, and "Source sets: a foundation for
 * optimal dynamic partial order reduction", JACM 64(4), 2017, Algorithm 2 (wakeup trees). Over the
 * same systems as explore/dpor.ts (one step = one footprint; dependence = overlapping bytes with a
 * write, or the same waiter list), stateless: each execution is re-run from the start along the
 * stack of choices.
 *
 * At the end of each execution E, for each race e ≲ e' (dependent steps of different threads, e
 * before e' with nothing dependent between them in happens-before), the sequence
 * v = notdep(e, E).e' — the steps after e that do not happen after it, then e' — is inserted into
 * the wakeup tree of the state before e, unless a thread asleep there is a weak initial of v (the
 * reversal is then explored already or will be). A state explores its wakeup tree's branches in
 * order, each subtree handed to the next state, and a thread sleeps after its branch is done
 * (Godefroid's sleep sets). With every thread always enabled this runs exactly one execution per
 * Mazurkiewicz trace and none ends sleep-blocked (the paper's Theorems 6.3 and 6.4).
 *
 * Blocking (Atomics.wait with no timeout, spin collapse's parking) is outside that theorem. Here a
 * disabled thread is enabled again only by a step dependent with its next one (a notify wakes it,
 * on the same waiter list; a write to what it read unparks it), so a race whose later step was
 * enabled by the earlier one cannot be reversed, and no trace puts it first: such a v is not
 * inserted. A v whose steps need an enabling step it leaves out is shortened to the steps before
 * e' (then dropped if that is infeasible too). What remains can still, in principle, start an
 * execution that ends with every enabled thread asleep: it is cut and counted (`sleepBlocked`),
 * never mistaken for a trace; the property test (test/unit/explore/optimal.test.ts) finds none on
 * its generated systems with blocking.
 *
 * Bounds: a preemption bound (CHESS) drops the wakeup-tree branches it forbids — the search is
 * then neither optimal nor complete, and is reported inconclusive; a step bound cuts an execution.
 */
import { addEvent, dependent, preempts, preemptionsBefore, traceKey, type Bounds, type Ev, type ExplorationStats, type System } from './dpor.js';
import type { Footprint } from './execution.js';

/** A node of a wakeup tree: a step of `thread` (its footprint as observed) and the sequences after it. */
interface WNode {
  readonly thread: number;
  /** null only while the branch's step has not run yet */
  fp: Footprint | null;
  /** invariant: ordered by insertion (the paper's ≺); the first is explored first */
  readonly children: WNode[];
}

/** A state on the stack of the current execution. */
interface ONode {
  readonly enabled: readonly number[];
  /** the sleep set handed down by the parent, with each sleeper's next step */
  readonly sleep: ReadonlyMap<number, Footprint>;
  /** threads whose branch from here is done (they join the sleep set), with the step they took */
  readonly explored: Map<number, Footprint>;
  /** invariant: the branches left, the one being explored (`branch`) first */
  readonly wut: WNode[];
  branch: WNode;
}

/** A step of a sequence to insert: its thread and footprint. */
interface Step {
  readonly thread: number;
  readonly fp: Footprint;
}

/** Explore with optimal DPOR (wakeup trees); same contract as explore/dpor.ts's `explore` without a replay. */
export function exploreOptimal<E>(sys: System<E>, bounds: Bounds): ExplorationStats {
  const stats: ExplorationStats = { executions: 0, steps: 0, bound: null, sleepBlocked: 0, stopped: false, schedule: [] };
  const stack: ONode[] = [];
  for (;;) {
    const outcome = runOne(sys, bounds, stack, stats);
    stats.executions++;
    if (outcome === 'violation') {
      stats.stopped = true;
      return stats;
    }
    if (!nextBranch(stack, bounds, stats)) return stats;
    if (stats.executions >= bounds.maxExecutions) {
      stats.bound = 'executions';
      return stats;
    }
  }
}

function runOne<E>(sys: System<E>, bounds: Bounds, stack: ONode[], stats: ExplorationStats): 'violation' | 'ok' {
  const e = sys.begin();
  const n = sys.threads(e);
  const events: Ev[] = [];
  const lastOf: (Ev | undefined)[] = new Array<Ev | undefined>(n).fill(undefined);
  const schedule: number[] = [];
  let cut = false;
  let sleep: ReadonlyMap<number, Footprint> = NO_SLEEP;
  let preemptions = 0;
  for (let depth = 0; !sys.over(e); depth++) {
    const en: number[] = [];
    for (const t of bounds.order) if (t < n && sys.enabled(e, t)) en.push(t);
    if (en.length === 0) break;
    if (depth >= bounds.maxSteps) {
      cut = true;
      stats.bound ??= 'steps';
      break;
    }
    const prev = schedule[depth - 1];
    let node = stack[depth];
    if (node === undefined) {
      node = freshNode(stack, depth, en, sleep, prev, preemptions, bounds, stats);
      if (node === undefined) {
        // every enabled thread is asleep: each continuation is equivalent to one explored already
        cut = true;
        stats.sleepBlocked++;
        break;
      }
      stack.push(node);
    }
    const t = node.branch.thread;
    if (!en.includes(t)) throw new Error(`memweave explore: internal error, the schedule's thread ${t} cannot move at step ${depth + 1} (is the program deterministic?)`);
    preemptions += preempts(prev, t, en);
    schedule.push(t);
    const fp = sys.step(e, t);
    stats.steps++;
    node.branch.fp = fp;
    sleep = sleepAfter(node, t, fp);
    addEvent(events, lastOf, t, fp, n);
  }
  stats.schedule = schedule;
  insertRaces(events, stack, n);
  if (!cut && bounds.onTrace !== undefined) bounds.onTrace(traceKey(events));
  return sys.end(e, cut) ? 'violation' : 'ok';
}

/**
 * The state at `depth`, new in this execution: its wakeup tree is the subtree the parent's branch
 * handed down (its first feasible branch is taken), or, when that is empty, one branch of an awake
 * thread (the previous one when it can go on, so no preemption). Undefined when every enabled thread sleeps.
 */
function freshNode(stack: readonly ONode[], depth: number, en: readonly number[], sleep: ReadonlyMap<number, Footprint>, prev: number | undefined, preemptions: number, bounds: Bounds, stats: ExplorationStats): ONode | undefined {
  const wut = depth > 0 ? (stack[depth - 1] as ONode).branch.children : [];
  while (wut.length > 0) {
    const c = wut[0] as WNode;
    const p = preempts(prev, c.thread, en);
    // by construction (reverse's feasibility check) a handed-down branch can move; say so loudly if not, never drop it silently
    if (!en.includes(c.thread)) throw new Error(`memweave explore: internal error, a wakeup-tree branch of thread ${c.thread} cannot move at step ${depth + 1}`);
    if (sleep.has(c.thread)) wut.shift();
    else if (preemptions + p > bounds.maxPreemptions) {
      stats.bound ??= 'preemptions';
      wut.shift();
    } else return { enabled: en, sleep, explored: new Map(), wut, branch: c };
  }
  const awake = en.filter((u) => !sleep.has(u));
  if (awake.length === 0) return undefined;
  const t = prev !== undefined && awake.includes(prev) ? prev : (awake[0] as number);
  const branch: WNode = { thread: t, fp: null, children: [] };
  wut.push(branch);
  return { enabled: en, sleep, explored: new Map(), wut, branch };
}

const NO_SLEEP: ReadonlyMap<number, Footprint> = new Map();

/** The sleep set after `t` stepped from `node` with `fp`: sleepers and explored threads whose next step is independent of it. */
function sleepAfter(node: ONode, t: number, fp: Footprint): ReadonlyMap<number, Footprint> {
  let out: Map<number, Footprint> | undefined;
  const keep = (u: number, f: Footprint): void => {
    if (u !== t && !dependent(f, fp)) (out ??= new Map()).set(u, f);
  };
  for (const [u, f] of node.sleep) keep(u, f);
  for (const [u, f] of node.explored) keep(u, f);
  return out ?? NO_SLEEP;
}

/** Whether `b` happens after `a` (program order and dependence, by vector clocks). */
function happensAfter(b: Ev, a: Ev): boolean {
  return (b.vc[a.thread] as number) >= a.index;
}

/** For each race e ≲ e' of the execution, insert notdep(e, E).e' into the wakeup tree of the state before e (Algorithm 2, lines 3–6). */
function insertRaces(events: readonly Ev[], stack: readonly ONode[], n: number): void {
  // enabledAt[k]: threads that could not move at step k and can at step k + 1 (step k enabled them)
  const enabling: (readonly number[] | undefined)[] = [];
  for (let k = 0; k + 1 < events.length; k++) {
    const now = (stack[k] as ONode).enabled;
    const next = (stack[k + 1] as ONode).enabled;
    const woken = next.filter((u) => !now.includes(u));
    if (woken.length > 0) enabling[k] = woken;
  }
  for (let j = 1; j < events.length; j++) {
    const ev = events[j] as Ev;
    const known = new Int32Array(n);
    let prevOwn: Ev | undefined;
    for (let i = j - 1; i >= 0; i--) {
      const o = events[i] as Ev;
      if (o.thread === ev.thread) {
        prevOwn ??= o;
        continue;
      }
      if (!dependent(o.fp, ev.fp)) continue;
      const orderedBefore = (prevOwn !== undefined && (prevOwn.vc[o.thread] as number) >= o.index) || (known[o.thread] as number) >= o.index;
      if (!orderedBefore) reverse(events, enabling, stack[i] as ONode, i, j);
      for (let k = 0; k < n; k++) known[k] = Math.max(known[k] as number, o.vc[k] as number);
    }
  }
}

/** Insert the reversal of the race between steps i and j at the state before i, if it is feasible and not covered by the sleep set. */
function reverse(events: readonly Ev[], enabling: readonly (readonly number[] | undefined)[], node: ONode, i: number, j: number): void {
  const e = events[i] as Ev;
  const full: number[] = [];
  for (let k = i + 1; k < events.length; k++) if (k !== j && !happensAfter(events[k] as Ev, e)) full.push(k);
  let picked = [...full, j];
  if (!feasible(events, enabling, i, picked)) {
    picked = [...full.filter((k) => k < j), j];
    if (!feasible(events, enabling, i, picked)) return;
  }
  const v: Step[] = picked.map((k) => ({ thread: (events[k] as Ev).thread, fp: (events[k] as Ev).fp }));
  for (const [q, f] of node.sleep) if (weakInitial(v, q, f)) return;
  for (const [q, f] of node.explored) if (weakInitial(v, q, f)) return;
  insert(v, node.wut);
}

/**
 * Whether the steps at positions `seq` (increasing, after i) can run in that order right before
 * step i: each thread enabled between i and its step by another step must have that step in `seq`
 * (a notify that woke it, a write that unparked it); step i itself is left out.
 */
function feasible(events: readonly Ev[], enabling: readonly (readonly number[] | undefined)[], i: number, seq: readonly number[]): boolean {
  const inSeq = new Set(seq);
  for (let k = i; k < events.length; k++) {
    const woken = enabling[k];
    if (woken === undefined || inSeq.has(k)) continue;
    for (const u of woken) if (seq.some((p) => p > k && (events[p] as Ev).thread === u)) return false;
  }
  return true;
}

/** Whether thread q (next step `f`) is a weak initial of `w`: its first step in `w` depends on none before it, or it is absent from `w` and `f` commutes with all of `w`. */
function weakInitial(w: readonly Step[], q: number, f: Footprint): boolean {
  const idx = w.findIndex((s) => s.thread === q);
  const upto = idx < 0 ? w.length : idx;
  const fq = idx < 0 ? f : (w[idx] as Step).fp;
  for (let k = 0; k < upto; k++) if (dependent((w[k] as Step).fp, fq)) return false;
  return true;
}

/**
 * Insert `w` into the wakeup tree `children` (JACM 2017, §6.2): descend through the first child
 * whose thread is a weak initial of what is left of `w` (taking its step out of `w` when it is
 * there); a leaf reached, or `w` used up, means `w` is covered already; else `w` becomes the last
 * child where the descent stopped.
 */
function insert(w: readonly Step[], children: WNode[]): void {
  let rest = [...w];
  let list = children;
  for (;;) {
    let next: WNode | undefined;
    for (const c of list) {
      if (c.fp === null) continue;
      const idx = rest.findIndex((s) => s.thread === c.thread);
      if (!weakInitial(rest, c.thread, c.fp)) continue;
      if (idx >= 0) rest = [...rest.slice(0, idx), ...rest.slice(idx + 1)];
      next = c;
      break;
    }
    if (next === undefined) {
      list.push(chain(rest));
      return;
    }
    if (next.children.length === 0 || rest.length === 0) return;
    list = next.children;
  }
}

/** The wakeup-tree path of a sequence (non-empty). */
function chain(w: readonly Step[]): WNode {
  let node: WNode | undefined;
  for (let k = w.length - 1; k >= 0; k--) {
    const s = w[k] as Step;
    node = { thread: s.thread, fp: s.fp, children: node === undefined ? [] : [node] };
  }
  if (node === undefined) throw new Error('memweave explore: internal error, an empty wakeup sequence');
  return node;
}

/** Finish the deepest state's branch and move to the next branch its wakeup tree holds (popping exhausted states); false when none is left. */
function nextBranch(stack: ONode[], bounds: Bounds, stats: ExplorationStats): boolean {
  while (stack.length > 0) {
    const i = stack.length - 1;
    const node = stack[i] as ONode;
    const done = node.branch;
    if (done.fp !== null) node.explored.set(done.thread, done.fp);
    const at = node.wut.indexOf(done);
    if (at >= 0) node.wut.splice(at, 1);
    const before = preemptionsBefore(stack, i, (n) => n.branch.thread);
    const prev = i > 0 ? (stack[i - 1] as ONode).branch.thread : undefined;
    while (node.wut.length > 0) {
      const c = node.wut[0] as WNode;
      const p = preempts(prev, c.thread, node.enabled);
      if (!node.enabled.includes(c.thread) || node.explored.has(c.thread) || node.sleep.has(c.thread)) node.wut.shift();
      else if (before + p > bounds.maxPreemptions) {
        stats.bound ??= 'preemptions';
        node.wut.shift();
      } else {
        node.branch = c;
        return true;
      }
    }
    stack.pop();
  }
  return false;
}

