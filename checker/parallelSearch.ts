/**
 * The parallel stateful search, its pure part: what one worker thread runs, and how the answers
 * of all workers become one CheckResult. Threads are spawned by cli/parallelCheck.ts (checker/
 * imports model/ only); each worker rebuilds the machine from the program's IR and runs
 * `runParallelWorker` over two SharedArrayBuffers:
 *   - the visited table (sharedVisited.ts), lock-free, shared by every worker: a state is stored
 *     once, by whichever worker inserts it first, with its parent record and transition;
 *   - the control block (layout below): a shared work pool and the termination and stop words.
 *
 * Work distribution: each worker expands states from its own frontier (the strategy's: FIFO under
 * bfs, LIFO under dfs), and a shared pool in the control block — a bounded stack of (record,
 * depth) pairs under a spin lock — carries work between workers: a worker whose frontier is large
 * gives a batch to the pool while the pool is low; a worker whose frontier is empty takes a
 * batch. This is work *sharing* through a pool rather than per-worker deques with stealing: one
 * lock taken once per batch (BATCH states), which is simpler than a lock-free Chase–Lev deque in a
 * SharedArrayBuffer and costs little at this granularity; a real work-stealing deque is later work.
 *
 * Termination: `active` counts workers that may still produce work, changed only under the pool
 * lock. A worker with an empty frontier finding the pool empty becomes idle (active - 1); the last
 * to do so with the pool empty sets DONE. Idle workers sleep on a wake word (Atomics.wait, with a
 * short timeout) that pushes, DONE and stops bump.
 *
 * Budgets: a worker that hits one (states, memory — the shared table full or its own allocations
 * refused) sets STOP; the host sets STOP for the time limit and for an interrupt. Every worker
 * checks STOP between expansions and returns what it has; the answer is inconclusive as in the
 * sequential search. With more than one worker the states budget may be passed by up to (workers
 * - 1) states (each worker checks the shared count after its own insert).
 *
 * Under bfs the search is level-synchronous: every worker expands states of one level (depth)
 * while the successors go to a second frontier of the next level, and the level ends when every
 * worker is idle with the pool empty (see `refill`). A state is first stored while its level's
 * predecessors are expanded, so its parent chain is a shortest path, and the shallowest finding
 * of each kind over the workers is a shortest counterexample, as the sequential bfs gives.
 *
 * What differs from the sequential search (statefulSearch.ts): the order in which states are
 * expanded, hence which violation of a kind is found first (under bfs one of the same, shortest,
 * length; under dfs any) and, with partial-order reduction on, which successors the cycle
 * proviso finds already stored (so reduced state counts may differ between runs; verdicts,
 * outcomes and violation kinds do not: the proviso is sound for any order, since on every cycle the
 * state that closes it finds its successor stored). With --no-por every reachable state is stored
 * exactly once, so the counts equal the sequential search's. Not supported here: hash compaction.
 */
import { STEP, type Machine } from '../model/semantics/machine.js';
import { VIOLATION_KINDS, type CheckOptions, type CheckResult, type CheckStats, type ViolationKind } from './api.js';
import type { ExploreEnv } from './explorer.js';
import { EdgeList, firstStateThatCannotEnd, livelockMessage } from './livelock.js';
import { MemoryBudget } from './memoryBudget.js';
import { traceRowBytes } from './resultCost.js';
import { DEFAULT_MAX_MEMORY_BYTES } from './statefulSearch.js';
import { runToEnd } from './sliced.js';
import type { OutcomeRow } from './outcomeTable.js';
import { FoundViolations, OutcomeCollector, StateChecks, stepViolationKind, type Found } from './properties.js';
import { createChain, setUpReductions, type Chain, type ChainCounters, type Reductions } from './reductions.js';
import { SHARED_FULL, SharedVisited, sharedVisitedUsedBytes } from './sharedVisited.js';
import { STRATEGIES, type Frontier } from './strategy.js';
import { uncheckedPart } from './verdict.js';
import { buildViolations } from './violations.js';
import { FLAG, packTransition, TRANS_NONE, VisitedSet } from './visited.js';

/** Control block words (Int32). */
const C_LOCK = 0;
const C_SIZE = 1;
const C_ACTIVE = 2;
const C_DONE = 3;
const C_STOP = 4;
const C_WAKE = 5;
/** level-synchronous bfs: the level being expanded (a generation count every worker follows) */
const C_LEVEL = 6;
/** level-synchronous bfs: states of the next level that idle workers hold, summed as they go idle */
const C_NEXT_SUM = 7;
/** the number of workers */
const C_WORKERS = 8;
/** the pool starts here: POOL_CAPACITY (record, depth) pairs */
const C_POOL = 16;
/** Pool capacity in states. */
const POOL_CAPACITY = 1 << 14;
/** States moved to or from the pool at once. */
const BATCH = 64;
/** A worker gives work to the pool while the pool holds fewer states than this. */
const POOL_LOW = 2 * BATCH;
/** Expansions between looks at STOP and at the pool. */
const CHECK_EVERY = 32;
/** Milliseconds an idle worker sleeps before looking again (a bound, not a clock the answer depends on). */
const IDLE_WAIT_MS = 5;

/** STOP codes: why the search was stopped (0: it was not). */
export const STOP_CODE = { none: 0, states: 1, memory: 2, time: 3, interrupted: 4 } as const;
const STOP_REASON = [null, 'states', 'memory', 'time', 'interrupted'] as const;

/** expand results, as in statefulSearch.ts */
const ABORT = 0;
const NEW = 1;
const OLD = 2;
const BAD = 3;

/** Bytes of the control block. */
export function controlBytes(): number {
  return (C_POOL + 2 * POOL_CAPACITY) * 4;
}

/** A fresh control block for `workers` workers. */
export function createControl(workers: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(controlBytes());
  const ctl = new Int32Array(sab);
  ctl[C_ACTIVE] = workers;
  ctl[C_WORKERS] = workers;
  return sab;
}

/** Stop every worker (the host's time limit or interrupt); the first reason given wins. */
export function requestStop(control: SharedArrayBuffer, code: number): void {
  const ctl = new Int32Array(control);
  Atomics.compareExchange(ctl, C_STOP, 0, code);
  Atomics.add(ctl, C_WAKE, 1);
  Atomics.notify(ctl, C_WAKE);
}

/** The options a worker needs: plain data, passed to every thread. */
export type ParallelOptions = Pick<CheckOptions<string>, 'model' | 'strategy' | 'maxStates' | 'bufferBound' | 'symmetry' | 'por' | 'deadRegisters'>;

/** What a worker needs besides the machine: the shared buffers and its own memory budget. */
export interface WorkerShared {
  readonly table: SharedArrayBuffer;
  readonly capacity: number;
  readonly control: SharedArrayBuffer;
  /** this worker's number (worker 0 stores the initial state) */
  readonly index: number;
  /** bytes this worker's own allocations (frontier, edges, outcomes) may take */
  readonly memoryBytes: number;
}

/** A finding of one worker: where (a record of the shared table), and the depth it was found at. */
export interface WorkerFinding {
  readonly kind: ViolationKind;
  readonly found: Found;
  readonly depth: number;
}

/** One worker's answer: plain data (posted back to the host). */
export interface WorkerAnswer {
  readonly outcomes: readonly OutcomeRow[];
  readonly positive: number;
  readonly negative: number;
  readonly finalStates: number;
  readonly findings: readonly WorkerFinding[];
  readonly transitions: number;
  readonly maxDepth: number;
  readonly cutSteps: number;
  readonly porPruned: number;
  readonly porAmple: number;
  readonly symmetryStates: number;
  readonly mergedSteps: number;
  readonly deadCleared: number;
  readonly peakBytes: number;
  /** edges (from, to) between stored records that are not parent links, for livelock detection; null when not recorded (acyclic program) */
  readonly edges: Int32Array | null;
  /** the edge list was given up for memory: livelock detection is skipped */
  readonly edgesDropped: boolean;
  /** states this worker expanded */
  readonly expanded: number;
  /** a store buffer reached its bound in this worker's machine (each worker has its own machine) */
  readonly bufferBoundHit: boolean;
}

/** Whether a machine's state graph may have cycles (so livelock detection needs the edges): as statefulSearch.ts decides. */
export function mayCycle(machine: Machine): boolean {
  return machine.structure === null || machine.program.threads.some((th) => th.code.some((i, pc) => (i.kind === 'jump' || i.kind === 'branch') && i.target <= pc));
}

/** One worker of the parallel search. */
class ParallelWorker {
  readonly budget: MemoryBudget;
  readonly table: SharedVisited;
  readonly ctl: Int32Array;
  /** the states to expand (under level-synchronous bfs: those of the current level) */
  frontier: Frontier;
  /** level-synchronous bfs (strategy bfs): the states of the next level; null under dfs */
  nextLevel: Frontier | null;
  /** level-synchronous bfs: the level being expanded, and how many of nextLevel's states this worker has added to C_NEXT_SUM */
  level = 0;
  reportedNext = 0;
  edges: EdgeList | null;
  edgesDropped = false;
  readonly red: Reductions;
  readonly counters: ChainCounters = { mergedSteps: 0, deadCleared: 0 };
  readonly chain: Chain;
  readonly checks: StateChecks;
  readonly found = new FoundViolations();
  readonly depthOf = new Map<ViolationKind, number>();
  cutSteps = 0;
  transitions = 0;
  maxDepth = 0;
  porPruned = 0;
  porAmple = 0;
  symmetryStates = 0;
  expanded = 0;
  readonly trans: Int32Array;
  readonly next: Int32Array;
  readonly cur: Int32Array;
  readonly machine: Machine;
  readonly maxStates: number;

  constructor(machine: Machine, options: ParallelOptions, env: ExploreEnv, shared: WorkerShared) {
    this.machine = machine;
    this.maxStates = options.maxStates ?? 0x7fffffff;
    this.budget = new MemoryBudget(shared.memoryBytes);
    this.table = new SharedVisited(shared.table, shared.capacity, machine.stateLength);
    this.ctl = new Int32Array(shared.control);
    const strategy = STRATEGIES[options.strategy ?? 'bfs'];
    this.frontier = strategy.createFrontier(this.budget);
    this.nextLevel = strategy.name === 'bfs' ? strategy.createFrontier(this.budget) : null;
    this.edges = mayCycle(machine) ? new EdgeList(this.budget) : null;
    this.red = setUpReductions(machine, options);
    this.chain = createChain(machine, this.red, this.counters);
    const sym = this.red.sym;
    this.checks = new StateChecks(machine, env.checksRaces, sym === null ? null : (w, o) => sym.orbitSize(w, o), this.budget);
    this.trans = new Int32Array(Math.max(1, machine.maxTransitions) * 3);
    this.next = new Int32Array(machine.stateLength);
    this.cur = new Int32Array(machine.stateLength);
  }

  stop(code: number): void {
    requestStop(this.ctl.buffer as SharedArrayBuffer, code);
  }

  dropEdges(): void {
    this.edges?.dispose();
    this.edges = null;
    this.edgesDropped = true;
  }

  /** Store s as a successor of record `parent`; its record, or -1 after setting STOP (full table, states budget). */
  store(s: Int32Array, parent: number, tr: number): number {
    const b = this.table.insert(s, 0, parent, tr);
    if (b === SHARED_FULL) {
      this.stop(STOP_CODE.memory);
      return -1;
    }
    if (this.table.lastInserted && this.table.count > this.maxStates) {
      this.stop(STOP_CODE.states);
      return -1;
    }
    return b;
  }

  push(b: number, depth: number): boolean {
    const into = this.nextLevel !== null && depth > this.level ? this.nextLevel : this.frontier;
    if (into.push(b, depth)) return true;
    if (this.edges !== null) {
      this.dropEdges();
      if (into.push(b, depth)) return true;
    }
    this.stop(STOP_CODE.memory);
    return false;
  }

  /** Worker 0: store and queue the initial state. */
  start(): void {
    const { next, red } = this;
    this.chain.initial(next);
    const root = this.store(next, -1, TRANS_NONE);
    if (root < 0) return;
    if (red.sym !== null) this.symmetryStates += red.sym.orbitSize(next, 0);
    this.push(root, 0);
  }

  record(before: number, depth: number): void {
    if (this.found.count === before) return;
    for (const k of this.found.kinds().slice(before)) this.depthOf.set(k, depth);
  }

  /** Take transition `t` of `trans` from record `s`; ABORT, NEW, OLD or BAD. */
  expand(s: number, words: Int32Array, depth: number, t: number): number {
    const { trans, next, table, red } = this;
    const kind = trans[3 * t] as number;
    const thread = trans[3 * t + 1] as number;
    const arg = trans[3 * t + 2] as number;
    let status: number = this.chain.step(words, 0, kind, thread, arg, next);
    this.transitions++;
    if (status === STEP.mutexViolated) {
      this.found.step(status, s, kind, thread, arg);
      status = STEP.ok;
    }
    switch (status) {
      case STEP.ok: {
        const idx = this.store(next, s, packTransition(kind, thread, arg));
        if (idx < 0) return ABORT;
        const fresh = table.lastInserted;
        if (fresh) {
          if (red.sym !== null) this.symmetryStates += red.sym.orbitSize(next, 0);
          if (depth + 1 > this.maxDepth) this.maxDepth = depth + 1;
          if (!this.push(idx, depth + 1)) return ABORT;
        }
        if (!fresh && this.edges !== null && !this.edges.add(s, idx)) this.dropEdges();
        return fresh ? NEW : OLD;
      }
      case STEP.pruned:
        table.addFlags(s, FLAG.end);
        return BAD;
      case STEP.assertFailed:
      case STEP.runtimeError:
        table.addFlags(s, FLAG.end);
        this.cutSteps++;
        this.found.step(status, s, kind, thread, arg);
        return BAD;
      default:
        throw new Error(`internal error: Machine.apply returned unknown status ${String(status)} (this is a bug in memweave)`);
    }
  }

  /** Expand one record: its state properties, then its transitions; false when a budget ran out. */
  expandState(s: number, depth: number): boolean {
    const { machine, cur: words, trans, red } = this;
    const verdict = this.checks.visit(words, 0, s, this.found);
    if (verdict === StateChecks.NO_MEMORY) {
      this.stop(STOP_CODE.memory);
      return false;
    }
    if (verdict === StateChecks.FINAL) {
      this.table.addFlags(s, FLAG.final);
      return true;
    }
    const n = machine.enabled(words, 0, trans);
    if (n === 0) {
      this.table.addFlags(s, FLAG.end);
      this.found.deadlock(machine, s, words);
      return true;
    }
    const ample = red.por === null ? -1 : red.por.choose(words, 0, trans, n);
    if (ample >= 0) {
      const r = this.expand(s, words, depth, ample);
      if (r === ABORT) return false;
      if (r === NEW) {
        this.porAmple++;
        this.porPruned += n - 1;
        return true;
      }
    }
    for (let t = 0; t < n; t++) {
      if (t !== ample && this.expand(s, words, depth, t) === ABORT) return false;
    }
    return true;
  }

  lock(): void {
    while (Atomics.compareExchange(this.ctl, C_LOCK, 0, 1) !== 0) {
      // spin; the critical sections are a few dozen word copies
    }
  }

  unlock(): void {
    Atomics.store(this.ctl, C_LOCK, 0);
  }

  /** Move up to BATCH states from the pool to the frontier (pool lock held); how many moved. */
  takeBatch(): number {
    const ctl = this.ctl;
    const size = ctl[C_SIZE] as number;
    const k = Math.min(BATCH, size);
    for (let i = size - k; i < size; i++) {
      if (!this.frontier.push(ctl[C_POOL + 2 * i] as number, ctl[C_POOL + 2 * i + 1] as number)) {
        // keep the rest in the pool; this worker's budget is spent
        ctl[C_SIZE] = i;
        this.stop(STOP_CODE.memory);
        return i - (size - k);
      }
    }
    ctl[C_SIZE] = size - k;
    return k;
  }

  /** Give part of a large frontier to a low pool. */
  share(): void {
    const ctl = this.ctl;
    if (Atomics.load(ctl, C_SIZE) >= POOL_LOW || this.frontier.size < 2) return;
    this.lock();
    const size = ctl[C_SIZE] as number;
    const k = Math.min(BATCH, this.frontier.size >>> 1, POOL_CAPACITY - size);
    for (let i = 0; i < k; i++) {
      const b = this.frontier.pop();
      ctl[C_POOL + 2 * (size + i)] = b;
      ctl[C_POOL + 2 * (size + i) + 1] = this.frontier.lastDepth;
    }
    ctl[C_SIZE] = size + k;
    this.unlock();
    if (k > 0) {
      Atomics.add(ctl, C_WAKE, 1);
      Atomics.notify(ctl, C_WAKE);
    }
  }

  /**
   * The frontier is empty: take work from the pool, or wait idle until there is some, the search
   * is done or stopped; false when it is over. Under level-synchronous bfs the pool holds only
   * states of the current level, and "every worker idle with the pool empty" ends the level: the
   * last worker to go idle either ends the search (no worker holds a state of the next level) or
   * opens the next level (every worker active again, C_LEVEL + 1), and each worker then expands
   * the next-level states it holds.
   */
  refill(): boolean {
    const ctl = this.ctl;
    this.lock();
    if ((ctl[C_SIZE] as number) > 0) {
      this.takeBatch();
      this.unlock();
      return true;
    }
    ctl[C_ACTIVE] = (ctl[C_ACTIVE] as number) - 1;
    if (this.nextLevel !== null) {
      ctl[C_NEXT_SUM] = (ctl[C_NEXT_SUM] as number) + this.nextLevel.size - this.reportedNext;
      this.reportedNext = this.nextLevel.size;
    }
    if (ctl[C_ACTIVE] === 0) {
      const nextLevel = this.nextLevel !== null && (ctl[C_NEXT_SUM] as number) > 0;
      if (nextLevel) {
        ctl[C_NEXT_SUM] = 0;
        ctl[C_ACTIVE] = ctl[C_WORKERS] as number;
        Atomics.add(ctl, C_LEVEL, 1);
      } else Atomics.store(ctl, C_DONE, 1);
      this.unlock();
      Atomics.add(ctl, C_WAKE, 1);
      Atomics.notify(ctl, C_WAKE);
      if (nextLevel) this.advance();
      return nextLevel;
    }
    this.unlock();
    for (;;) {
      const seen = Atomics.load(ctl, C_WAKE);
      if (Atomics.load(ctl, C_DONE) !== 0 || Atomics.load(ctl, C_STOP) !== 0) return false;
      if (this.nextLevel !== null && Atomics.load(ctl, C_LEVEL) !== this.level) {
        this.advance();
        return true;
      }
      if (Atomics.load(ctl, C_SIZE) > 0) {
        this.lock();
        if (this.nextLevel !== null && (ctl[C_LEVEL] as number) !== this.level) {
          // the level ended meanwhile and the pool holds the new level's states: join it first
          this.unlock();
          this.advance();
          return true;
        }
        if ((ctl[C_SIZE] as number) > 0) {
          ctl[C_ACTIVE] = (ctl[C_ACTIVE] as number) + 1;
          this.takeBatch();
          this.unlock();
          return true;
        }
        this.unlock();
      }
      Atomics.wait(ctl, C_WAKE, seen, IDLE_WAIT_MS);
    }
  }

  /** Level-synchronous bfs: the next level opened; expand the states of it this worker holds. */
  advance(): void {
    const next = this.nextLevel as Frontier;
    this.nextLevel = this.frontier;
    this.frontier = next;
    this.level++;
    this.reportedNext = 0;
  }

  /** The worker's loop: expand until the search is done or stopped. */
  run(): void {
    const { table, ctl } = this;
    for (;;) {
      const frontier = this.frontier;
      if (++this.expanded % CHECK_EVERY === 0) {
        if (Atomics.load(ctl, C_STOP) !== 0) break;
        this.share();
      }
      const popped = frontier.pop();
      if (popped < 0) {
        if (Atomics.load(ctl, C_STOP) !== 0 || !this.refill()) break;
        continue;
      }
      const depth = frontier.lastDepth;
      table.load(popped, this.cur, 0);
      const before = this.found.count;
      const goesOn = this.expandState(popped, depth);
      this.record(before, depth);
      if (!goesOn) break;
    }
  }

  answer(): WorkerAnswer {
    const findings: WorkerFinding[] = [];
    for (const kind of this.found.kinds()) {
      const f = this.found.get(kind);
      if (f !== undefined) findings.push({ kind, found: f, depth: this.depthOf.get(kind) ?? 0 });
    }
    let edges: Int32Array | null = null;
    if (this.edges !== null) {
      const e = this.edges;
      edges = new Int32Array(2 * e.size);
      for (let i = 0; i < e.size; i++) {
        edges[2 * i] = e.fromOf(i);
        edges[2 * i + 1] = e.toOf(i);
      }
    }
    return {
      outcomes: this.checks.collector.table.rows(),
      positive: this.checks.collector.positive,
      negative: this.checks.collector.negative,
      finalStates: this.checks.finalStates,
      findings,
      transitions: this.transitions,
      maxDepth: this.maxDepth,
      cutSteps: this.cutSteps,
      porPruned: this.porPruned,
      porAmple: this.porAmple,
      symmetryStates: this.symmetryStates,
      mergedSteps: this.counters.mergedSteps,
      deadCleared: this.counters.deadCleared,
      peakBytes: this.budget.peak,
      edges,
      edgesDropped: this.edgesDropped,
      expanded: this.expanded,
      bufferBoundHit: this.machine.bufferBoundHit,
    };
  }
}

/** Run one worker of the parallel search to its end (the search done, or stopped) and answer what it found. */
export function runParallelWorker(machine: Machine, options: ParallelOptions, env: ExploreEnv, shared: WorkerShared): WorkerAnswer {
  const w = new ParallelWorker(machine, options, env, shared);
  if (shared.index === 0) w.start();
  w.run();
  // a worker that stops early (a budget) must not leave the others waiting for it
  if (Atomics.load(w.ctl, C_STOP) === 0 && Atomics.load(w.ctl, C_DONE) === 0) w.stop(STOP_CODE.memory);
  return w.answer();
}

/** Why the search was stopped, from the control block (null: it completed). */
export function stopReason(control: SharedArrayBuffer): 'states' | 'memory' | 'time' | 'interrupted' | null {
  return STOP_REASON[Atomics.load(new Int32Array(control), C_STOP)] ?? null;
}

const STEP_OF_KIND: Readonly<Partial<Record<ViolationKind, number>>> = { assert: STEP.assertFailed, runtime: STEP.runtimeError, mutex: STEP.mutexViolated };

/**
 * The host's part after every worker answered: merge the answers into one CheckResult — outcomes
 * summed, the findings of each kind reduced to the shallowest, their traces built by copying the
 * path of parent links from the shared table into a small VisitedSet and re-executing it as the
 * sequential search does (violations.ts), livelock detection over the edges of every worker.
 */
export function mergeParallel<M extends string>(machine: Machine, options: CheckOptions<M>, table: SharedVisited, control: SharedArrayBuffer, answers: readonly WorkerAnswer[], ms: number): CheckResult<M> {
  const budget = new MemoryBudget(Number.POSITIVE_INFINITY);
  const red = setUpReductions(machine, options);
  const collector = new OutcomeCollector(machine, budget);
  for (const a of answers) {
    for (const row of a.outcomes) collector.table.add(row.tuple, row.satisfies, row.count);
    collector.positive += a.positive;
    collector.negative += a.negative;
  }
  const stop = stopReason(control);
  let livelockCheck: NonNullable<CheckStats['livelockCheck']> = 'checked';
  const best = new Map<ViolationKind, WorkerFinding>();
  for (const a of answers) {
    for (const f of a.findings) {
      const b = best.get(f.kind);
      if (b === undefined || f.depth < b.depth) best.set(f.kind, f);
    }
  }
  if (stop !== null) livelockCheck = 'skipped-incomplete';
  else if (answers.some((a) => a.edgesDropped)) livelockCheck = 'skipped-memory';
  else if (answers.some((a) => a.edges !== null)) {
    const ll = sharedLivelock(table, answers);
    if (ll === 'no-memory') livelockCheck = 'skipped-memory';
    else if (ll >= 0) {
      const words = table.copy(ll);
      const unfinished = machine.describeThreads(words, 0).flatMap((d, i) => (d.startsWith('finished') ? [] : [i]));
      best.set('livelock', { kind: 'livelock', found: { at: 'state', state: ll, message: livelockMessage(machine, words, 0, unfinished) }, depth: 0 });
    }
  }
  const sum = (f: (a: WorkerAnswer) => number): number => answers.reduce((n, a) => n + f(a), 0);
  const peakBytes = sharedVisitedUsedBytes(table.count, table.stateLength) + sum((a) => a.peakBytes);
  // each counterexample's rows are reserved from what the search left of the memory budget, as the
  // sequential search reserves them when it finds one (statefulSearch.ts, reserveTraces): a trace
  // with no room is forgotten and the answer is inconclusive (memory), never a verdict without it
  const traceRoom = (options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES) - peakBytes;
  let traceBytes = 0;
  let noRoom = false;
  for (const [kind, f] of [...best]) {
    const bytes = (f.depth + 3) * traceRowBytes(machine.program.threads.length);
    if (traceBytes + bytes <= traceRoom) traceBytes += bytes;
    else {
      best.delete(kind);
      noRoom = true;
    }
  }
  const violations = stop === 'interrupted' ? [] : tracedViolations(machine, options, table, best, red);
  // the workers' machines explored, not this one: a buffer bound hit is theirs to tell
  const bufferBoundHit = machine.bufferBoundHit || answers.some((a) => a.bufferBoundHit);
  const budgetExhausted = uncheckedPart(stop ?? (noRoom ? 'memory' : null), livelockCheck, bufferBoundHit, options.bufferBound !== undefined);
  const stats: CheckStats = {
    statesStored: table.count,
    transitions: sum((a) => a.transitions),
    maxDepth: Math.max(0, ...answers.map((a) => a.maxDepth)),
    finalStates: sum((a) => a.finalStates),
    cutExecutions: sum((a) => a.cutSteps),
    ms,
    // what is used, as the sequential search reports it: the table's claimed records (each with
    // its bucket), not the capacity reserved, plus each worker's peak (frontier, edges, outcomes)
    peakBytes: peakBytes + traceBytes,
    // a record (words, parent, transition, flags) and two buckets: the cost of one more state at half load
    bytesPerState: table.stateLength * 4 + 9 + 16,
    bufferBoundHit,
    livelockCheck,
    symmetry: red.symmetryStatus,
    ...(red.sym !== null ? { symmetryStates: sum((a) => a.symmetryStates) } : {}),
    por: red.porStatus,
    deadRegisters: red.deadStatus,
    porPruned: sum((a) => a.porPruned),
    porAmple: sum((a) => a.porAmple),
    mergedSteps: sum((a) => a.mergedSteps),
    deadCleared: sum((a) => a.deadCleared),
  };
  return {
    test: machine.program.name,
    model: options.model,
    strategy: STRATEGIES[options.strategy ?? 'bfs'].name,
    verdict: violations.length > 0 ? 'fail' : budgetExhausted !== null ? 'inconclusive' : 'pass',
    budgetExhausted,
    outcomes: collector.outcomes(),
    condition: collector.condition(),
    violations,
    stats,
  };
}

/** The findings' counterexamples: each path of parent links copied into a small VisitedSet, then built as the sequential search builds them. */
function tracedViolations<M extends string>(machine: Machine, options: CheckOptions<M>, table: SharedVisited, best: ReadonlyMap<ViolationKind, WorkerFinding>, red: Reductions): CheckResult['violations'] {
  const budget = new MemoryBudget(Number.POSITIVE_INFINITY);
  const mini = new VisitedSet(machine.stateLength, budget);
  const found = new FoundViolations();
  const words = new Int32Array(machine.stateLength);
  const local = new Map<number, number>();
  const copyPath = (bucket: number): number => {
    const path: number[] = [];
    for (let b = bucket; b >= 0 && !local.has(b); b = table.parent(b)) path.push(b);
    for (let k = path.length - 1; k >= 0; k--) {
      const b = path[k] as number;
      const p = table.parent(b);
      table.load(b, words, 0);
      const idx = mini.insert(words, 0, p < 0 ? -1 : (local.get(p) as number), table.transition(b));
      if (idx < 0) throw new Error('internal error: an unbudgeted visited set refused a state (this is a bug in memweave)');
      local.set(b, idx);
    }
    return local.get(bucket) as number;
  };
  for (const kind of VIOLATION_KINDS) {
    const f = best.get(kind);
    if (f === undefined) continue;
    const at = copyPath(f.found.state);
    if (f.found.at === 'state') found.state(kind, at, f.found.message);
    else {
      const status = STEP_OF_KIND[kind];
      if (status === undefined || stepViolationKind(status) !== kind) throw new Error(`internal error: a step finding of kind ${kind} (this is a bug in memweave)`);
      found.step(status, at, f.found.kind, f.found.thread, f.found.arg);
    }
  }
  return buildViolations(machine, options, mini, found, red, false, null).violations;
}

/**
 * Livelock detection over the shared table, as livelock.ts does over a VisitedSet: a backward
 * breadth-first search from every bucket where an execution can end, over the parent links and
 * every worker's other edges; the first record not reached is livelocked (-1: none).
 */
function sharedLivelock(table: SharedVisited, answers: readonly WorkerAnswer[]): number | 'no-memory' {
  const n = table.count;
  let e = 0;
  for (const a of answers) e += (a.edges?.length ?? 0) >>> 1;
  let start: Int32Array;
  let pred: Int32Array;
  try {
    start = new Int32Array(n + 1);
    pred = new Int32Array(e + n);
  } catch (err) {
    if (err instanceof RangeError) return 'no-memory';
    throw err;
  }
  for (const a of answers) {
    const es = a.edges;
    if (es === null) continue;
    for (let i = 1; i < es.length; i += 2) start[(es[i] as number) + 1] = (start[(es[i] as number) + 1] as number) + 1;
  }
  for (let v = 0; v < n; v++) if (table.parent(v) >= 0) start[v + 1] = (start[v + 1] as number) + 1;
  for (let v = 0; v < n; v++) start[v + 1] = (start[v + 1] as number) + (start[v] as number);
  const fill = start.slice(0, n);
  const put = (to: number, from: number): void => {
    const at = fill[to] as number;
    pred[at] = from;
    fill[to] = at + 1;
  };
  for (const a of answers) {
    const es = a.edges;
    if (es === null) continue;
    for (let i = 0; i < es.length; i += 2) put(es[i + 1] as number, es[i] as number);
  }
  for (let v = 0; v < n; v++) if (table.parent(v) >= 0) put(v, table.parent(v));
  // the cursors are no longer needed: reuse the array as the search's queue (nothing stops it: it runs to its end)
  let stuck: number | 'interrupted';
  try {
    stuck = runToEnd(firstStateThatCannotEnd(n, start, pred, (v) => table.flags(v), fill));
  } catch (err) {
    if (err instanceof RangeError) return 'no-memory';
    throw err;
  }
  return stuck === 'interrupted' ? -1 : stuck;
}
