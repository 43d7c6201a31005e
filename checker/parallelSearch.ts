/**
 * The parallel stateful search, its pure part: what one worker thread runs, and how the answers
 * of all workers become one CheckResult. Threads are spawned by cli/parallelCheck.ts (checker/
 * imports model/ only); each worker rebuilds the machine from the program's IR and runs
 * `runParallelWorker` over two SharedArrayBuffers:
 *   - the visited table (sharedVisited.ts), lock-free, shared by every worker: a state is stored
 *     once, by whichever worker inserts it first, with its parent record and transition;
 *   - the control block (layout below): the work-stealing words, one mailbox per worker, and the
 *     level of the level-synchronous bfs.
 *
 * Work distribution: work stealing between per-worker frontiers (the strategy's: FIFO under bfs,
 * LIFO under dfs), receiver-initiated, with the control protocol of the graph engine's stealing
 * (stealProtocol.ts, shared with graphSteal.ts; ADR 0014). Worker 0 starts with the initial state,
 * the others by asking for work. A worker whose frontier is empty marks its mailbox HUNGRY and
 * waits; a busy worker looks at WANT every CHECK_EVERY expansions and, when some worker waits and
 * its frontier holds two or more states, claims that mailbox by compare-exchange and moves about
 * half of its frontier there as one batch of (record, depth) pairs (at most MAILBOX_PAIRS): under
 * dfs its OLDEST entries, the bottom of its stack (the roots of the largest subtrees it has left,
 * as work-stealing schedulers take from the top of the tree); under bfs the head of its queue of
 * the current level. Only the owner touches its frontier, so frontiers need no lock; only the
 * mailboxes are shared. We chose this over a deque per worker under a lock (a thief takes the
 * victim's bottom half itself) because it reuses a protocol already tested on threads, keeps
 * every frontier private (no lock on the owner's push and pop, nothing to get wrong when a
 * frontier is short), and costs a busy worker one atomic load per CHECK_EVERY expansions while
 * nobody waits; what it gives up is that a thief must wait for its victim's next look at WANT
 * (CHECK_EVERY expansions, microseconds).
 *
 * Termination: BUSY counts workers holding work plus batches in flight (a donor is busy while it
 * donates). A worker going hungry takes one from BUSY; the one that takes it to 0 knows that no
 * worker holds work and nothing is in flight, and sets DONE. Waiting workers sleep on their
 * mailbox word (Atomics.wait, with a short timeout), which a delivery, DONE, a new level and STOP
 * wake.
 *
 * Budgets: a worker that hits one (states, memory — the shared table full or its own allocations
 * refused) sets STOP; the host sets STOP for the time limit and for an interrupt. Every worker
 * checks STOP between expansions and returns what it has, a waiting worker withdraws its request;
 * the answer is inconclusive as in the sequential search. The states budget may be passed by up
 * to one state per worker: a worker stops once the shared count, read after its own insert, is
 * past the budget, and each of the others may store one more before it sees the stop.
 *
 * Under bfs the search is level-synchronous: every worker expands states of one level (depth)
 * while the successors go to a second frontier of the next level; a thief takes only states of
 * the current level, and BUSY reaching 0 ends the level (no worker holds current-level work and
 * nothing is in flight). Before BUSY drops, each worker writes how many next-level states it
 * holds; the worker that took BUSY to 0 ends the search if none holds any, else opens the next
 * level (`openLevel`): the holders count as busy again, the others stay hungry, as thieves of the
 * new level. A state is first stored while its level's predecessors are expanded, so its parent
 * chain is a shortest path, and the shallowest finding of each kind over the workers is a
 * shortest counterexample, as the sequential bfs gives.
 *
 * Partial-order reduction's cycle proviso and livelock detection do not depend on which worker
 * expands a state: the proviso asks the shared table whether an ample successor is new, and each
 * worker records the edges (non-parent links) of the states it expands, stolen or not; the merge
 * takes the union. Every stored state is expanded exactly once, by the worker whose frontier it
 * is on when popped (tested: expanded = stored + stolen - given, per worker).
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
import { MAX_THREADS, SHARED_FULL, SharedVisited, sharedRecordBytes } from './sharedVisited.js';
import { claimHungry, deliver, finish, goHungry, initSteal, MAILBOX, mailboxState, received, someoneHungry, STEAL_BUSY, STEAL_DONE, STEAL_STATE, STEAL_STOP_WORD, STEAL_WANT, stealControlWords, stopAll, waitMailbox, wakeAll, withdraw } from './stealProtocol.js';
import { STRATEGIES, type Frontier } from './strategy.js';
import { uncheckedPart } from './verdict.js';
import { buildViolations } from './violations.js';
import { FLAG, packTransition, TRANS_NONE, VisitedSet } from './visited.js';

/**
 * Control block layout (Int32 words): the stealing protocol's words (stealProtocol.ts: BUSY,
 * WANT, DONE, STOP, one mailbox state per worker), then, from C_OWN:
 *   C_LEVEL        level-synchronous bfs: the level being expanded (every worker follows it)
 *   C_WORKERS      the number of workers
 *   C_NEXT + w     bfs: states of the next level worker w holds, written before it asks for work
 *   C_COUNT + w    pairs in worker w's mailbox
 *   C_BOXES + w * 2 * MAILBOX_PAIRS: worker w's mailbox, (record, depth) pairs
 */
const C_OWN = stealControlWords(MAX_THREADS);
const C_LEVEL = C_OWN;
const C_WORKERS = C_OWN + 1;
const C_NEXT = C_OWN + 2;
const C_COUNT = C_NEXT + MAX_THREADS;
const C_BOXES = C_COUNT + MAX_THREADS;
/** Most (record, depth) pairs one steal moves. */
const MAILBOX_PAIRS = 1 << 12;
/** Expansions between looks at STOP and at WANT. */
const CHECK_EVERY = 16;
/** Milliseconds a waiting worker sleeps before looking again (a bound, not a clock the answer depends on). */
const IDLE_WAIT_MS = 5;

/** STOP codes: why the search was stopped (0: it was not). */
export const STOP_CODE = { none: 0, states: 1, memory: 2, time: 3, interrupted: 4, tableFull: 5 } as const;
/** what each STOP code reports: a full shared table is the memory reserved for it running out */
const STOP_REASON = [null, 'states', 'memory', 'time', 'interrupted', 'memory'] as const;

/** expand results, as in statefulSearch.ts */
const ABORT = 0;
const NEW = 1;
const OLD = 2;
const BAD = 3;

/** Bytes of the control block for `workers` workers. */
export function controlBytes(workers: number): number {
  return (C_BOXES + 2 * MAILBOX_PAIRS * workers) * 4;
}

/** A fresh control block for `workers` workers (1..MAX_THREADS). */
export function createControl(workers: number): SharedArrayBuffer {
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_THREADS) throw new Error(`internal error: a control block for ${workers} workers (this is a bug in memweave)`);
  const sab = new SharedArrayBuffer(controlBytes(workers));
  const ctl = new Int32Array(sab);
  initSteal(ctl, workers);
  ctl[C_WORKERS] = workers;
  return sab;
}

/** Stop every worker (a budget, the host's time limit or interrupt); the first reason given wins. */
export function requestStop(control: SharedArrayBuffer, code: number): void {
  const ctl = new Int32Array(control);
  stopAll(ctl, Atomics.load(ctl, C_WORKERS), code);
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
  /** states this worker stored first (each pushed to its own frontier) */
  readonly stored: number;
  /** states it took from other workers' frontiers, in `batches` batches, and states it gave away (work stealing); when the search completes, expanded = stored + stolen - given */
  readonly stolen: number;
  readonly batches: number;
  readonly given: number;
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
  /** level-synchronous bfs: the level being expanded (invariant: equals C_LEVEL while this worker holds work) */
  level = 0;
  /** this worker's number, and how many there are */
  readonly index: number;
  readonly workers: number;
  /** states this worker stored first (so pushed to its own frontier), took from others' frontiers, and gave away; batches taken */
  stored = 0;
  stolen = 0;
  given = 0;
  batches = 0;
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
    this.index = shared.index;
    this.workers = this.ctl[C_WORKERS] as number;
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
      this.stop(STOP_CODE.tableFull);
      return -1;
    }
    if (this.table.lastInserted) this.stored++;
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

  /**
   * A worker waits for work: give it about half of this worker's frontier (under dfs the oldest
   * entries, the bottom of the stack: the roots of the largest subtrees left; under bfs the head
   * of the current level's queue; never next-level states), as one batch through its mailbox.
   */
  donate(): void {
    const { ctl, frontier } = this;
    if (frontier.size < 2) return;
    const w = claimHungry(ctl, this.workers, this.index);
    if (w < 0) return;
    const k = Math.min(MAILBOX_PAIRS, frontier.size >>> 1);
    frontier.takeOldest(k, ctl, C_BOXES + 2 * MAILBOX_PAIRS * w);
    Atomics.store(ctl, C_COUNT + w, k);
    deliver(ctl, w);
    this.given += k;
  }

  /**
   * The frontier is empty: ask for work and wait until a batch arrives, the search is done or
   * stopped (false: it is over), or (bfs) a new level opens in which this worker holds states.
   * Under level-synchronous bfs "BUSY reached 0" ends a level, not the search: the worker that
   * took it to 0 opens the next level (`openLevel`) unless no worker holds a state of it.
   */
  refill(): boolean {
    const { ctl, index: me } = this;
    // bfs: what this worker holds of the next level, published before BUSY drops (the opener reads it at BUSY 0)
    if (this.nextLevel !== null) Atomics.store(ctl, C_NEXT + me, this.nextLevel.size);
    if (goHungry(ctl, me)) this.openLevel();
    for (;;) {
      this.followLevel();
      const s = mailboxState(ctl, me);
      if (s === MAILBOX.full) {
        // a batch read as FULL was written after any level change it belongs to: follow it first
        this.followLevel();
        return this.takeBatch();
      }
      if (s === MAILBOX.idle && this.frontier.size > 0) return true; // the opener of a new level gave this worker its own next-level states
      if (s === MAILBOX.hungry) {
        if (Atomics.load(ctl, STEAL_DONE) !== 0) return false;
        // stopped: withdraw the request unless a donor is filling the mailbox right now (then take that batch next round)
        if (Atomics.load(ctl, STEAL_STOP_WORD) !== 0 && withdraw(ctl, me)) return false;
      }
      waitMailbox(ctl, me, s, IDLE_WAIT_MS);
    }
  }

  /** Move the batch in this worker's FULL mailbox to its frontier; false when the memory budget refuses it or the search was stopped. */
  takeBatch(): boolean {
    const { ctl, index: me } = this;
    const k = Atomics.load(ctl, C_COUNT + me);
    const at = C_BOXES + 2 * MAILBOX_PAIRS * me;
    let ok = true;
    for (let i = 0; i < k && ok; i++) {
      const depth = ctl[at + 2 * i + 1] as number;
      // soundness of level-synchronous bfs: a batch holds states of the level being expanded
      if (this.nextLevel !== null && depth !== this.level) throw new Error(`internal error: a stolen bfs state of depth ${depth} at level ${this.level} (this is a bug in memweave)`);
      ok = this.frontier.push(ctl[at + 2 * i] as number, depth);
    }
    received(ctl, me);
    this.stolen += k;
    this.batches++;
    if (!ok) {
      this.stop(STOP_CODE.memory);
      return false;
    }
    return Atomics.load(ctl, STEAL_STOP_WORD) === 0;
  }

  /**
   * This worker took BUSY to 0: no worker holds work of the current level and nothing is in
   * flight. Under dfs, and under bfs when no worker holds a state of the next level, the search is
   * done. Otherwise open the next level: each worker that holds next-level states is busy again
   * (BUSY counts it before anyone can start, its request for work is withdrawn for it), the others
   * stay hungry (thieves for the new level), and C_LEVEL moves on. No other worker changes these
   * words meanwhile: every one of them waits (a donor would be busy), save a withdrawal on STOP.
   */
  openLevel(): void {
    const { ctl, workers } = this;
    if (this.nextLevel === null) {
      finish(ctl, workers);
      return;
    }
    let holders = 0;
    for (let w = 0; w < workers; w++) if (Atomics.load(ctl, C_NEXT + w) > 0) holders++;
    if (holders === 0) {
      finish(ctl, workers);
      return;
    }
    Atomics.add(ctl, STEAL_BUSY, holders);
    for (let w = 0; w < workers; w++) {
      if (Atomics.load(ctl, C_NEXT + w) === 0) continue;
      Atomics.store(ctl, C_NEXT + w, 0);
      Atomics.sub(ctl, STEAL_WANT, 1);
      Atomics.store(ctl, STEAL_STATE + w, MAILBOX.idle);
    }
    Atomics.add(ctl, C_LEVEL, 1);
    wakeAll(ctl, workers);
  }

  /** Level-synchronous bfs: catch up with C_LEVEL (a waiting worker may be behind by more than one level; its frontiers are then empty). */
  followLevel(): void {
    if (this.nextLevel === null) return;
    const level = Atomics.load(this.ctl, C_LEVEL);
    while (this.level < level) this.advance();
  }

  /** Level-synchronous bfs: the next level opened; expand the states of it this worker holds. */
  advance(): void {
    const next = this.nextLevel as Frontier;
    this.nextLevel = this.frontier;
    this.frontier = next;
    this.level++;
  }

  /** The worker's loop: expand until the search is done or stopped. */
  run(): void {
    const { table, ctl } = this;
    let tick = 0;
    for (;;) {
      if (++tick % CHECK_EVERY === 0) {
        if (Atomics.load(ctl, STEAL_STOP_WORD) !== 0) break;
        if (someoneHungry(ctl)) this.donate();
      }
      const frontier = this.frontier;
      const popped = frontier.pop();
      if (popped < 0) {
        if (Atomics.load(ctl, STEAL_STOP_WORD) !== 0 || !this.refill()) break;
        continue;
      }
      this.expanded++;
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
      stored: this.stored,
      stolen: this.stolen,
      batches: this.batches,
      given: this.given,
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
  if (Atomics.load(w.ctl, STEAL_STOP_WORD) === 0 && Atomics.load(w.ctl, STEAL_DONE) === 0) w.stop(STOP_CODE.memory);
  return w.answer();
}

/** Why the search was stopped, from the control block (null: it completed). */
export function stopReason(control: SharedArrayBuffer): 'states' | 'memory' | 'time' | 'interrupted' | null {
  return STOP_REASON[Atomics.load(new Int32Array(control), STEAL_STOP_WORD)] ?? null;
}

/** Whether the search stopped because the shared table was full (its capacity, not the rest of the memory budget). */
export function stoppedByFullTable(control: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(control), STEAL_STOP_WORD) === STOP_CODE.tableFull;
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
  const peakBytes = table.usedBytes() + sum((a) => a.peakBytes);
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
    // a record (its slot, parent, transition, format, flags) and two buckets: the cost of one more state at half load
    bytesPerState: sharedRecordBytes(table.stateLength),
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
    stateSteals: sum((a) => a.stolen),
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
