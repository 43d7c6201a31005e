/**
 * The stateful explorer: explicit-state exploration of every interleaving of a machine, with a
 * visited set, budgets, the reductions and the per-state property checks.
 *
 * One loop, shared by every strategy (the strategy only orders the frontier, strategy.ts): pop a
 * stored state; check its state properties (properties.ts: data race, final outcome and
 * condition, deadlock); otherwise apply each enabled transition in the machine's order: an
 * `assume` that fails drops the branch, an assert failure / run-time error / mutual-exclusion
 * violation is recorded (first of each kind) and that branch is not continued, and an ordinary
 * successor is brought to its stored form by the reduction chain (reductions.ts), stored (if new)
 * and queued. After a complete search, livelock detection runs over the recorded edges
 * (livelock.ts).
 *
 * Budgets: maxStates, timeLimitMs and maxMemoryBytes stop the search with verdict
 * 'inconclusive' and partial results; every large allocation is reserved through one
 * MemoryBudget, so running out is a verdict, not a crash.
 *
 * Reductions (reductions.ts; all on by default, switchable): symmetry stores one canonical
 * representative per orbit of interchangeable template instances, and weights each final state
 * by its orbit size so outcome and witness counts stay those of the full search; partial-order
 * reduction (por.ts) expands a state with a single-transition ample set when one exists, its step
 * is ok and its successor is new (the cycle proviso), else fully; with it, statement merging runs
 * the thread-local instructions after each step as part of that step; dead-register reset zeroes
 * the registers no future step reads. With any of them on, counterexample traces are rebuilt by
 * re-executing the stored transitions (trace.ts), one row per instruction.
 *
 * Memory: the visited set stores states byte-packed while their values allow (visited.ts); the
 * edge list for livelock detection holds only the edges that are not parent links, and none at
 * all for a program without a backward jump (its state graph is acyclic: no livelock possible).
 * With `hashCompact` (fingerprints.ts) it stores 64-bit fingerprints instead of states: the
 * frontier's states wait in full in a pool (PendingStates) until expanded, a stored state is
 * rebuilt by re-executing its path through the reduction chain when needed (livelock messages),
 * traces are always rebuilt by re-execution, and the statistics carry the estimated probability
 * that a state was omitted.
 */
import { STEP, type Machine } from '../model/semantics/machine.js';
import type { CheckOptions, CheckResult, CheckStats } from './api.js';
import type { ExploreEnv, Explorer } from './explorer.js';
import { DEFAULT_FINGERPRINT, FINGERPRINT_BITS, omissionProbability, PendingStates } from './fingerprints.js';
import { EdgeList, findLivelockSliced, livelockMessage, spinningThreads, type StoredStep } from './livelock.js';
import { MemoryBudget } from './memoryBudget.js';
import { traceRowBytes } from './resultCost.js';
import { FoundViolations, StateChecks, stepContinues } from './properties.js';
import { createChain, setUpReductions, type Chain, type ChainCounters, type Reductions } from './reductions.js';
import { STRATEGIES, type Frontier } from './strategy.js';
import { runToEnd, type Sliced } from './sliced.js';
import { CYCLE_SEARCH_MAX_STEPS, pathTo } from './trace.js';
import { buildViolations } from './violations.js';
import { uncheckedPart } from './verdict.js';
import { FLAG, INSERT_NO_MEMORY, INSERT_NO_ROOM, packTransition, transArg, transKind, transThread, TRANS_NONE, VisitedSet } from './visited.js';

/** Default memory budget: 4 GiB. */
export const DEFAULT_MAX_MEMORY_BYTES = 4 * 1024 * 1024 * 1024;
/** Expansions between clock reads. */
const CLOCK_EVERY = 256;
/** Milliseconds between progress reports. */
const PROGRESS_EVERY_MS = 1000;

/** expand results: the budget ran out; a new state; a known state; a step that is not ok */
const ABORT = 0;
const NEW = 1;
const OLD = 2;
const BAD = 3;

/** One run of the stateful search over one machine. */
class StatefulSearch {
  readonly budget: MemoryBudget;
  readonly visited: VisitedSet;
  readonly frontier: Frontier;
  /** under hash compaction, the full states the frontier's entries (slots here) stand for */
  readonly pending: PendingStates | null;
  edges: EdgeList | null;
  livelockCheck: NonNullable<CheckStats['livelockCheck']> = 'checked';
  readonly red: Reductions;
  readonly counters: ChainCounters = { mergedSteps: 0, deadCleared: 0 };
  readonly chain: Chain;
  readonly checks: StateChecks;
  readonly found = new FoundViolations();
  /** the search's own budgets, or a stop its caller asked for (the verdict adds the unchecked parts: verdict.ts) */
  budgetExhausted: 'states' | 'time' | 'memory' | 'interrupted' | null = null;
  /** steps that ended an execution at an assert failure or run-time error (not in the outcomes) */
  cutSteps = 0;
  transitions = 0;
  maxDepth = 0;
  porPruned = 0;
  porAmple = 0;
  symmetryStates = 0;
  readonly trans: Int32Array;
  readonly next: Int32Array;
  /** the state being expanded, unpacked from the visited set */
  readonly cur: Int32Array;

  readonly machine: Machine;
  readonly options: CheckOptions<string>;
  /** CheckOptions.swarmSeed, read once (0: the machine's order) */
  readonly swarmSeed: number;
  readonly env: ExploreEnv;

  constructor(machine: Machine, options: CheckOptions<string>, env: ExploreEnv) {
    this.machine = machine;
    this.options = options;
    this.swarmSeed = options.swarmSeed ?? 0;
    this.env = env;
    const program = machine.program;
    this.budget = new MemoryBudget(options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES);
    const compact = options.hashCompact === true;
    this.visited = new VisitedSet(machine.stateLength, this.budget, options.maxStates ?? 0x7fffffff, compact ? (env.fingerprint ?? DEFAULT_FINGERPRINT) : null);
    this.frontier = STRATEGIES[options.strategy ?? 'bfs'].createFrontier(this.budget);
    this.pending = compact ? new PendingStates(machine.stateLength, this.budget) : null;
    // a real machine whose threads never jump backwards has an acyclic state graph (every step
    // raises a pc, blocks a thread in a wait, or drains a buffered store), so no state can be
    // livelocked and no edge needs listing; opaque machines (no structure) always list them
    const mayCycle = machine.structure === null || program.threads.some((th) => th.code.some((i, pc) => (i.kind === 'jump' || i.kind === 'branch') && i.target <= pc));
    this.edges = mayCycle ? new EdgeList(this.budget) : null;
    this.red = setUpReductions(machine, options);
    this.chain = createChain(machine, this.red, this.counters);
    const sym = this.red.sym;
    this.checks = new StateChecks(machine, env.checksRaces, sym === null ? null : (w, o) => sym.orbitSize(w, o), this.budget);
    this.trans = new Int32Array(Math.max(1, machine.maxTransitions) * 3);
    this.next = new Int32Array(machine.stateLength);
    this.cur = new Int32Array(machine.stateLength);
  }

  /** Give up the edge list (livelock detection) to make room; true if anything was freed. */
  dropEdges(): boolean {
    if (this.edges === null) return false;
    this.edges.dispose();
    this.edges = null;
    this.livelockCheck = 'skipped-memory';
    return true;
  }

  /** Store a state; on a refused reservation, drop the edges and retry once. Returns the index or an INSERT_* code. */
  store(s: Int32Array, parent: number, tr: number): number {
    let idx = this.visited.insert(s, 0, parent, tr);
    if (idx === INSERT_NO_MEMORY && this.dropEdges()) idx = this.visited.insert(s, 0, parent, tr);
    return idx;
  }

  /** Queue stored state `idx` (whose words are s[0..]); under hash compaction the frontier holds a slot of `pending`. */
  enqueue(idx: number, depth: number, s: Int32Array): boolean {
    const { frontier, pending } = this;
    if (pending === null) return frontier.push(idx, depth) || (this.dropEdges() && frontier.push(idx, depth));
    let slot = pending.put(idx, s, 0);
    if (slot < 0 && this.dropEdges()) slot = pending.put(idx, s, 0);
    if (slot < 0) return false;
    if (frontier.push(slot, depth) || (this.dropEdges() && frontier.push(slot, depth))) return true;
    pending.free(slot);
    return false;
  }

  /** Store and queue the initial state. */
  start(): void {
    const { next, red } = this;
    this.chain.initial(next);
    if (red.sym !== null) this.symmetryStates += red.sym.orbitSize(next, 0);
    const root = this.store(next, -1, TRANS_NONE);
    if (root === INSERT_NO_MEMORY) this.budgetExhausted = 'memory';
    else if (root === INSERT_NO_ROOM) this.budgetExhausted = 'states';
    else if (!this.enqueue(root, 0, next)) this.budgetExhausted = 'memory';
    if (this.pending !== null) this.visited.reconstruct = this.reconstructor();
  }

  /**
   * Under hash compaction a stored state is a fingerprint: rebuild it by re-running its path's
   * stored transitions through the reduction chain, exactly as the search produced them (cold
   * path: livelock messages). A chain of its own: rebuilding counts nothing in the statistics.
   */
  reconstructor(): (i: number, out: Int32Array, outOff: number) => void {
    const { machine, visited } = this;
    const L = machine.stateLength;
    const chain = createChain(machine, this.red, null);
    const tmp = new Int32Array(L);
    return (i, out, outOff) => {
      const path = pathTo(visited, i);
      const s = new Int32Array(L);
      chain.initial(s);
      for (let k = 1; k < path.length; k++) {
        const tr = visited.transition(path[k] as number);
        if (!stepContinues(chain.step(s, 0, transKind(tr), transThread(tr), transArg(tr), tmp))) {
          throw new Error('internal error: a stored transition did not replay (this is a bug in memweave)');
        }
        s.set(tmp);
      }
      out.set(s, outOff);
    };
  }

  /** Take transition number `t` of `trans` from stored state `s`; returns ABORT, NEW, OLD or BAD. */
  expand(s: number, words: Int32Array, depth: number, t: number): number {
    const { trans, next, visited, red } = this;
    const kind = trans[3 * t] as number;
    const thread = trans[3 * t + 1] as number;
    const arg = trans[3 * t + 2] as number;
    let status: number = this.chain.step(words, 0, kind, thread, arg, next);
    this.transitions++;
    if (status === STEP.mutexViolated) {
      // a critical region observes, it does not constrain: record the violation, then the
      // execution goes on from the successor the machine produced (reachable outcomes unchanged)
      this.found.step(status, s, kind, thread, arg);
      status = STEP.ok;
    }
    switch (status) {
      case STEP.ok: {
        const idx = this.store(next, s, packTransition(kind, thread, arg));
        if (idx < 0) {
          this.budgetExhausted = idx === INSERT_NO_ROOM ? 'states' : 'memory';
          return ABORT;
        }
        const fresh = visited.lastInserted;
        if (fresh) {
          if (red.sym !== null) this.symmetryStates += red.sym.orbitSize(next, 0);
          if (depth + 1 > this.maxDepth) this.maxDepth = depth + 1;
          if (!this.enqueue(idx, depth + 1, next)) {
            this.budgetExhausted = 'memory';
            return ABORT;
          }
        }
        // a new state's edge is its parent link: only edges to known states are listed
        if (!fresh && this.edges !== null && !this.edges.add(s, idx)) this.dropEdges();
        return fresh ? NEW : OLD;
      }
      case STEP.pruned:
        visited.addFlags(s, FLAG.end);
        return BAD;
      case STEP.assertFailed:
      case STEP.runtimeError:
        visited.addFlags(s, FLAG.end);
        this.cutSteps++;
        this.found.step(status, s, kind, thread, arg);
        return BAD;
      default:
        throw new Error(`internal error: Machine.apply returned unknown status ${String(status)} (this is a bug in memweave)`);
    }
  }

  /** Expand one popped state: its state properties, then its transitions (an ample one alone when partial-order reduction finds one); false when a budget ran out. */
  expandState(s: number, depth: number): boolean {
    const { machine, cur: words, trans, red } = this;
    const verdict = this.checks.visit(words, 0, s, this.found);
    if (verdict === StateChecks.NO_MEMORY) {
      this.budgetExhausted = 'memory';
      return false;
    }
    if (verdict === StateChecks.FINAL) {
      this.visited.addFlags(s, FLAG.final);
      return true;
    }
    const n = machine.enabled(words, 0, trans);
    if (n === 0) {
      this.visited.addFlags(s, FLAG.end);
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
    // a swarm member starts at a seeded rotation of the order (the same transitions, another order)
    const seed = this.swarmSeed;
    const from = seed === 0 ? 0 : (Math.imul(s ^ seed, 0x9e3779b1) >>> 7) % n;
    for (let k = 0; k < n; k++) {
      const t = k + from < n ? k + from : k + from - n;
      if (t !== ample && this.expand(s, words, depth, t) === ABORT) return false;
    }
    return true;
  }

  /** The search loop: expand states until the frontier is empty, a budget runs out, or the caller stops it at a pause (every CLOCK_EVERY expansions; sliced.ts). */
  *run(t0: number): Sliced<void> {
    const { options, env, frontier, visited, pending } = this;
    let expansions = 0;
    let lastProgress = t0;
    while (this.budgetExhausted === null) {
      if (++expansions % CLOCK_EVERY === 0) {
        if (yield) {
          this.budgetExhausted = 'interrupted';
          break;
        }
        const t = env.now();
        if (options.timeLimitMs !== undefined && t - t0 >= options.timeLimitMs) {
          this.budgetExhausted = 'time';
          break;
        }
        if (options.onProgress !== undefined && t - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = t;
          options.onProgress({ engine: 'state', states: visited.count, transitions: this.transitions, frontier: frontier.size, bytes: this.budget.used, elapsedMs: t - t0 });
        }
      }
      const popped = frontier.pop();
      if (popped < 0) break;
      const depth = frontier.lastDepth;
      let s = popped;
      if (pending === null) visited.load(s, this.cur, 0);
      else s = pending.take(popped, this.cur, 0);
      const found = this.found.count;
      const goesOn = this.expandState(s, depth);
      if (this.found.count !== found) this.reserveTraces(found, depth + 1);
      if (!goesOn) break;
    }
  }

  /**
   * Reserve the counterexample traces of the kinds found after the first `from` (each at most
   * `rows` rows: the stored path's length, plus a race's two rows); a trace that has no room is
   * forgotten and the search stops (memory): a verdict must not come without its trace.
   */
  reserveTraces(from: number, rows: number): boolean {
    const bytes = (rows + 2) * traceRowBytes(this.machine.program.threads.length);
    for (const kind of this.found.kinds().slice(from)) {
      if (this.budget.tryReserve(bytes) || (this.dropEdges() && this.budget.tryReserve(bytes))) continue;
      this.found.forget(kind);
      this.budgetExhausted = 'memory';
    }
    return this.budgetExhausted === null;
  }

  /** Livelock detection over the recorded edges, only meaningful after a complete search; a stop asked for while it runs skips it ('interrupted'). */
  *livelock(): Sliced<void> {
    if (this.budgetExhausted !== null) {
      this.livelockCheck = 'skipped-incomplete';
      return;
    }
    if (this.edges === null) return;
    const { machine, visited, chain, red } = this;
    this.frontier.dispose();
    const ll = yield* findLivelockSliced(visited, this.edges, this.budget);
    if (ll.kind === 'interrupted') {
      this.budgetExhausted = 'interrupted';
      this.livelockCheck = 'skipped-incomplete';
    } else if (ll.kind === 'found') {
      // under symmetry the stored graph is over representatives: the message is rebuilt on the trace's real end state
      const storedStep: StoredStep = (src, kind, thread, arg, dst) => {
        const status = machine.apply(src, 0, kind, thread, arg, dst, 0);
        if (stepContinues(status)) chain.normalize(dst, kind, thread);
        return stepContinues(status) ? STEP.ok : status;
      };
      const spinning = red.sym === null ? spinningThreads(machine, visited, ll.state, storedStep) : [];
      this.found.state('livelock', ll.state, livelockMessage(machine, visited.copy(ll.state), 0, spinning));
      // its trace: the path to the state, then the cycle (trace.ts looks for it for at most CYCLE_SEARCH_MAX_STEPS steps)
      if (!this.budget.tryReserve((pathTo(visited, ll.state).length + CYCLE_SEARCH_MAX_STEPS + 1) * traceRowBytes(machine.program.threads.length))) {
        this.found.forget('livelock');
        this.livelockCheck = 'skipped-memory';
      }
    } else if (ll.kind === 'no-memory') this.livelockCheck = 'skipped-memory';
  }

  /** The statistics of the finished search. */
  stats(ms: number): CheckStats {
    const { visited, red, counters } = this;
    return {
      statesStored: visited.count,
      transitions: this.transitions,
      maxDepth: this.maxDepth,
      finalStates: this.checks.finalStates,
      cutExecutions: this.cutSteps,
      ms,
      peakBytes: this.budget.peak,
      bytesPerState: visited.bytesPerState(),
      bufferBoundHit: this.machine.bufferBoundHit,
      livelockCheck: this.livelockCheck,
      symmetry: red.symmetryStatus,
      ...(red.sym !== null ? { symmetryStates: this.symmetryStates } : {}),
      por: red.porStatus,
      deadRegisters: red.deadStatus,
      porPruned: this.porPruned,
      porAmple: this.porAmple,
      mergedSteps: counters.mergedSteps,
      deadCleared: counters.deadCleared,
      ...(this.pending !== null ? { hashCompact: { bits: FINGERPRINT_BITS, omissionProbability: omissionProbability(visited.count) } } : {}),
    };
  }

  /** Give every allocation back. */
  dispose(): void {
    this.edges?.dispose();
    this.frontier.dispose();
    this.pending?.dispose();
    this.visited.dispose();
    this.checks.collector.table.dispose();
  }
}

/** The stateful explorer (bfs or dfs, by `options.strategy`). */
export const statefulExplorer: Explorer = {
  name: 'stateful',
  summary: 'explicit-state search over stored states (bfs/dfs), with symmetry, partial-order reduction, merging and dead registers',
  explore<M extends string>(machine: Machine, options: CheckOptions<M>, env: ExploreEnv): CheckResult<M> {
    return runToEnd(this.exploreSliced(machine, options, env));
  },
  *exploreSliced<M extends string>(machine: Machine, options: CheckOptions<M>, env: ExploreEnv): Sliced<CheckResult<M>> {
    const t0 = env.now();
    const search = new StatefulSearch(machine, options, env);
    try {
      search.start();
      yield* search.run(t0);
      yield* search.livelock();
      // after an interrupt nothing more runs: the violations found are not turned into traces; a
      // trace the budget has no room for (merged rows past its reservation) is left out: memory
      const built = search.budgetExhausted === 'interrupted' ? { violations: [], noRoom: false } : buildViolations(machine, options, search.visited, search.found, search.red, search.pending !== null, search.budget);
      if (built.noRoom && search.budgetExhausted === null) search.budgetExhausted = 'memory';
      const violations = built.violations;
      const budgetExhausted = uncheckedPart(search.budgetExhausted, search.livelockCheck, machine.bufferBoundHit, options.bufferBound !== undefined);
      const stats = search.stats(env.now() - t0);
      return {
        test: machine.program.name,
        model: options.model,
        strategy: STRATEGIES[options.strategy ?? 'bfs'].name,
        verdict: violations.length > 0 ? 'fail' : budgetExhausted !== null ? 'inconclusive' : 'pass',
        budgetExhausted,
        outcomes: search.checks.collector.outcomes(),
        condition: search.checks.collector.condition(),
        violations,
        stats,
      };
    } finally {
      search.dispose();
    }
  },
};
