/**
 * The execution-graph explorer: stateless model checking with optimal dynamic partial-order
 * reduction over execution graphs, after TruSt (Kokologiannakis, Marmanis, Gladstein, Vafeiadis,
 * "Truly stateless, optimal dynamic partial order reduction", POPL 2022) as GenMC implements it.
 *
 * A graph grows one event at a time, the next event of the lowest-numbered thread that can move
 * (the threads are IR threads run by model/semantics/irThreads.ts, re-executed where a revisit
 * changed what they read). A read is added once per write it may read from (forward revisits);
 * a write is placed at every position of its location's coherence order (an RMW's write right
 * after the write its read read), and from every such placement it may *backward-revisit* each
 * read of its location that is not in its porf-prefix: the graph is cut back to the events added
 * before that read plus the write's porf-prefix, and the read now reads the write. A backward
 * revisit is taken only when every event it deletes, and the read itself, were added in their
 * maximal way and lie co-after everything kept (GenMC's `isMaximalExtension`), and the write's
 * co-successor is kept: so each consistent execution is reached exactly once, and the explorer
 * stores only the graphs on its depth-first stack (memory polynomial in the program, no visited set).
 *
 * The memory model is a consistency predicate (model/memory/graph/): every graph is judged as it
 * grows, and inconsistent ones are dropped.
 *
 * Final graphs (no thread can move) are classified: complete (every thread finished: an outcome),
 * blocked by an `assume`, by a loop bound (`unroll`: the search is then incomplete), or on an
 * `await`/spin loop: when the blocked reads read the co-latest writes the thread can never leave
 * (a deadlock or livelock, a violation), otherwise the execution is a redundant stale-read one and
 * only counted. Critical regions are checked on final graphs: two instances of a region in
 * different threads must be ordered by the model's happens-before. Under a model with racy
 * accesses (rc11), a final graph with two conflicting hb-unordered accesses, one non-atomic, is a
 * data race (undefined behaviour).
 */
import { assertNever, observeWord } from '../model/ir.js';
import { byteOf, byteOfByteSlot, byteSlot, byteWords, isByteSlot, wordFromBytes, wordOfByteSlot, type ByteAccess } from '../model/semantics/byteSlots.js';
import type { IrProgram, Origin } from '../model/ir.js';
import { evalCondBy, observedTerms } from '../model/outcome.js';
import { ExecutionGraph, eventRef, initRef, REF_STRIDE, toExecution } from '../model/memory/graph/index.js';
import type { Execution, GraphEvent, GraphModel, Judgement } from '../model/memory/graph/index.js';
import { IrThreadRunner, rmwWrite } from '../model/semantics/irThreads.js';
import type { ThreadOp } from '../model/semantics/irThreads.js';
import type { RuntimeErrorCode } from '../model/semantics/eval.js';
import { holds, waitedSlot } from '../model/semantics/waiterList.js';
import { liveRegisters } from './deadRegisters.js';
import { conditionMessage, stepViolationMessage } from './properties.js';
import type { ViolationKind } from './api.js';
import { slotNames } from './graph.js';
import { MemoryBudget } from './memoryBudget.js';
import { OutcomeTable } from './outcomeTable.js';
import { outcomeReserveBytes, traceRowBytes } from './resultCost.js';
import { runToEnd, type Sliced } from './sliced.js';
import { STEAL_CHECK_EVERY, type GraphSteal } from './graphSteal.js';

/** Default bound on the iterations of one loop per entry (loops that are not spin loops). */
export const DEFAULT_UNROLL = 32;

/** Milliseconds (of the injected clock) between two progress reports, at least, as the stateful search's. */
export const GRAPH_PROGRESS_EVERY_MS = 1000;

/** With an execution budget N, the exploration also stops after judging this many times N graphs. */
export const GRAPHS_PER_EXECUTION_BUDGET = 8;

/** Options of one exploration. */
export interface GraphExploreOptions {
  readonly model: GraphModel;
  /** most backward jumps per thread before it blocks with 'bound' (default DEFAULT_UNROLL) */
  readonly unroll?: number;
  /**
   * stop (budget 'executions') after this many final graphs, or after judging
   * GRAPHS_PER_EXECUTION_BUDGET times as many graphs (a tree whose graphs mostly block — say a
   * loop that every thread spins in until --unroll — judges many large graphs per final one, and
   * the budget is meant to bound the work, as --max-states bounds the stateful search's stored states)
   */
  readonly maxExecutions?: number;
  /** stop (budget 'time') after this many milliseconds of the injected clock */
  readonly timeLimitMs?: number;
  /** stop (budget 'memory') when the stack, the outcomes and the findings would take more bytes (estimated: stackItemBytes, resultCost.ts) */
  readonly maxMemoryBytes?: number;
  readonly now?: () => number;
  /** called about once a second (GRAPH_PROGRESS_EVERY_MS of the injected clock) with the executions and graphs so far */
  readonly onProgress?: (p: { readonly executions: number; readonly graphs: number; readonly elapsedMs: number }) => void;
  /** called with every final graph (complete, blocked or ended by an error), for tests that check each is found once */
  readonly onFinal?: (g: ExecutionGraph) => void;
  /** called with each complete execution's graph and each outcome it gives (observables' values in order, and whether it satisfies the condition): `graph` finds a picture by it */
  readonly onOutcome?: (g: ExecutionGraph, values: readonly number[], satisfies: boolean | null) => void;
  /** explore only shard `index` of `count` of the tree (a prefix partition: shardSplitDepth) */
  readonly shard?: GraphShard;
  /**
   * leave uncounted (no execution, outcome or blocked count; findings are still recorded) every
   * final graph in which an RMW's write is not next to the write its read read, in coherence:
   * checker/beyondPorf.ts counts those, with the executions whose po ∪ rf has a cycle, so the two
   * explorers partition the executions exactly (the explorer builds some such graphs — a write
   * added later may land between — but not all)
   */
  readonly leaveNonAtomicRmws?: boolean;
  /**
   * explore as one of several threads that hand each other stack entries (checker/graphSteal.ts:
   * work stealing): start with the root only if `ownsRoot`, give the oldest entry away when
   * another thread waits, and ask for one when the stack is empty. Not with `shard`.
   */
  readonly steal?: GraphSteal;
}

/** Every RMW's write is next to the write its read read, in its slot's coherence order. */
export function rmwsAdjacent(g: ExecutionGraph): boolean {
  for (const list of g.threads) {
    for (let i = 0; i + 1 < list.length; i++) {
      const e = list[i] as GraphEvent;
      if (e.rmw !== 'read' || (list[i + 1] as GraphEvent).rmw !== 'write') continue;
      const co = g.co.get(e.slot) ?? [];
      const at = co.indexOf(eventRef(e.thread, i + 1));
      if (at !== (e.rf < 0 ? 0 : co.indexOf(e.rf) + 1)) return false;
    }
  }
  return true;
}

/** One part of a prefix partition of the exploration tree. invariant: 0 <= index < count. */
export interface GraphShard {
  readonly index: number;
  readonly count: number;
}

/**
 * The split depth of a prefix partition into `count` parts, counted in branch points (tree
 * nodes with two children or more) above a node: the subtrees rooted at that branch depth are
 * numbered in DFS order and shard I explores those whose ordinal is I mod count. A function of
 * `count` alone, so the partition is the same on every machine. 2^depth >= 8·count subtrees
 * where the tree is binary at the top; a narrower tree leaves more to shard 0 (the imbalance).
 */
export function shardSplitDepth(count: number): number {
  return count <= 1 ? 0 : Math.ceil(Math.log2(count * 8));
}

/** Final graphs that are not complete executions, by reason. */
export interface BlockedCounts {
  assume: number;
  await: number;
  spin: number;
  bound: number;
  error: number;
}

/** A violation found, with the graph that shows it. */
export interface GraphFinding {
  readonly kind: ViolationKind;
  readonly message: string;
  readonly graph: ExecutionGraph;
  /** the events at fault (a race: both accesses; an error: the thread's last event), as references */
  readonly events: readonly number[];
  /** for a run-time error, its catalogued code (R601, R602) */
  readonly code: RuntimeErrorCode | null;
}

/** What an exploration found. */
export interface GraphExploration {
  /** complete, consistent executions */
  executions: number;
  readonly blocked: BlockedCounts;
  /** graphs judged (each consistency check) */
  graphs: number;
  /** graphs a model called inconsistent */
  inconsistent: number;
  /** the distinct outcomes, each counted per execution */
  readonly outcomes: OutcomeTable;
  /** executions (passing the filter) where the condition holds / does not */
  positive: number;
  negative: number;
  /** first finding per violation kind */
  readonly findings: Map<ViolationKind, GraphFinding>;
  /** a budget ran out, or the caller stopped the exploration at a pause ('interrupted': sliced.ts) */
  budgetExhausted: 'executions' | 'time' | 'memory' | 'interrupted' | null;
  /** the largest depth-first stack, in graphs */
  maxStack: number;
  /** the most bytes the stack, the outcomes and the findings held at once (estimated) */
  peakBytes: number;
}

/**
 * What one graph on the stack holds, estimated from above (measured with --expose-gc over 400
 * copies, Node 20: a clone of a 4-event graph 1.1 KB, 64 events 1.4 KB, 512 events 6.6 KB; its
 * execution and judgement 5.1 KB, 27 KB, 63 KB, 186 KB and 592 KB at 4, 64, 128, 256 and 512
 * events: about 200 B per event plus some twenty n×n bit matrices): the graph's arrays, its new
 * event, its coherence lists, and when it carries its judgement, the execution and the model's
 * relations over its events and initial writes.
 */
export function stackItemBytes(events: number, slots: number, judged: boolean): number {
  const n = events + slots;
  return 1536 + 16 * events + 128 * slots + (judged ? 4096 + 256 * n + 80 * n * Math.ceil(n / 32) : 0);
}

/** A graph waiting on the depth-first stack, with its judgement when one was made. */
interface StackItem {
  readonly g: ExecutionGraph;
  readonly judged: Judgement | null;
  readonly x: Execution | null;
  /** its newest event is a sink: consistent without a judgement (see Explorer.stack) */
  readonly sink: boolean;
}

/** What the next event of a graph is. */
type Next =
  | { readonly kind: 'op'; readonly thread: number; readonly op: Extract<ThreadOp, { kind: 'read' | 'write' | 'rmw' | 'fence' | 'enter' | 'exit' }> }
  | { readonly kind: 'rmwWrite'; readonly thread: number; readonly read: GraphEvent; readonly value: number }
  | { readonly kind: 'final' };

/** The IR threads of a program, kept in step with the graph being visited. */
class Threads {
  readonly runners: IrThreadRunner[];
  /** the graph events each runner has consumed, by identity */
  private readonly consumed: GraphEvent[][];
  /** the runner has resumed an RMW read whose write is not in the graph yet */
  private readonly pendingWrite: boolean[];
  private readonly scFenceSlot: number;
  private readonly failedCasWrites: boolean;

  constructor(program: IrProgram, unroll: number, scFenceSlot: number, failedCasWrites: boolean) {
    const live = liveRegisters(program);
    this.failedCasWrites = failedCasWrites;
    this.runners = program.threads.map((_, t) => new IrThreadRunner(program, t, { live: live[t] ?? [], unroll, failedCasWrites }));
    this.consumed = program.threads.map(() => []);
    this.pendingWrite = program.threads.map(() => false);
    this.scFenceSlot = scFenceSlot;
  }

  /** Bring runner t to the end of the thread's events in g; true when an RMW's write is due next. */
  sync(t: number, events: readonly GraphEvent[]): boolean {
    const runner = this.runners[t] as IrThreadRunner;
    const done = this.consumed[t] as GraphEvent[];
    let same = done.length <= events.length;
    for (let i = 0; same && i < done.length; i++) if (done[i] !== events[i]) same = false;
    if (!same) {
      runner.reset();
      done.length = 0;
      this.pendingWrite[t] = false;
    }
    while (done.length < events.length) {
      const e = events[done.length] as GraphEvent;
      if (this.pendingWrite[t]) {
        if (e.rmw !== 'write') throw new Error('internal error: an RMW read is not followed by its write (this is a bug in memweave)');
        done.push(e);
        this.pendingWrite[t] = false;
        continue;
      }
      const op = runner.next();
      switch (op.kind) {
        case 'read':
        case 'rmw':
          runner.resume(e.value);
          break;
        case 'fence':
        case 'write':
        case 'enter':
        case 'exit':
          runner.resume(0);
          break;
        default:
          throw new Error(`internal error: thread ${t} has more events than operations (${op.kind}) (this is a bug in memweave)`);
      }
      done.push(e);
      this.pendingWrite[t] = e.rmw === 'read' && e.rmwArgs !== null && rmwWrite(e.rmwArgs, e.value, this.failedCasWrites) !== null;
    }
    return this.pendingWrite[t] as boolean;
  }

  /** The hidden location sc fences become RMWs of (models with scFenceAsRmw). */
  get fenceSlot(): number {
    return this.scFenceSlot;
  }
}

/** Explore every consistent execution of `program` under `options.model`. */
export function exploreGraphs(program: IrProgram, options: GraphExploreOptions): GraphExploration {
  return runToEnd(exploreGraphsSliced(program, options));
}

/** `exploreGraphs` as a sliced phase (sliced.ts): it pauses every 64 visits, where it reads its clock. */
export function exploreGraphsSliced(program: IrProgram, options: GraphExploreOptions): Sliced<GraphExploration> {
  return new Explorer(program, options).run();
}

/** What the explorer's checks say of one given graph (for replay). */
export interface GraphJudgement {
  readonly consistent: boolean;
  /** the violated clause when inconsistent */
  readonly violated: string | null;
  readonly findings: ReadonlyMap<ViolationKind, GraphFinding>;
}

/** Judge one graph as the explorer judges the final graphs it reaches: consistency, then every property. */
export function judgeGraph(program: IrProgram, model: GraphModel, g: ExecutionGraph, unroll = DEFAULT_UNROLL): GraphJudgement {
  const e = new Explorer(program, { model, unroll });
  return e.judgeOne(g);
}

/**
 * Given graphs judged as the explorer judges the final graphs it reaches — consistency, then
 * every property, outcomes counted with the model's final memories — into one GraphExploration:
 * for checker/beyondPorf.ts, which enumerates the executions this explorer never builds (po ∪ rf
 * cycles) and has them counted exactly as this explorer counts its own.
 */
export class FinalGraphJudge {
  private readonly explorer: Explorer;

  constructor(program: IrProgram, options: GraphExploreOptions) {
    this.explorer = new Explorer(program, options);
  }

  /** Judge one graph in which every thread has run to its end (done, blocked or an error); false when the model forbids it. */
  judge(g: ExecutionGraph): boolean {
    const consistent = this.explorer.judgeOne(g).consistent;
    if (!consistent) this.explorer.result.inconsistent++;
    return consistent;
  }

  /** A new outcome or finding found no room in the memory budget (the counts are then partial). */
  get outOfMemory(): boolean {
    return this.explorer.memoryRefused;
  }

  /** What the judged graphs came to; peakBytes is the budget's peak so far. */
  get result(): GraphExploration {
    this.explorer.result.peakBytes = this.explorer.peakBytes;
    return this.explorer.result;
  }
}

/** The value of a slot's initial write. */
export function initialValues(program: IrProgram): (slot: number) => number {
  const init = new Int32Array(program.memorySize + 1);
  for (const loc of program.locations) loc.init.forEach((v, i) => (init[loc.base + i] = v));
  // a byte slot (a location modelled byte by byte): its byte of the word's initial value
  return (slot) => (isByteSlot(slot) ? byteOf(init[wordOfByteSlot(slot)] ?? 0, byteOfByteSlot(slot)) : (init[slot] ?? 0));
}

class Explorer {
  private readonly program: IrProgram;
  private readonly model: GraphModel;
  private readonly threads: Threads;
  private readonly initial: (slot: number) => number;
  /**
   * The depth-first stack. `sink`: the graph's newest event has no outgoing edge in any relation
   * the models use — a read of the co-latest write, a write placed co-last, a fence or a region
   * marker, all added po-last — so no cycle or reflexive pair can pass through it and the graph
   * is consistent because its parent was: it is not judged again unless its relations are needed.
   * A graph whose newest choice is a wait's read of its word is pushed as a sink too: it is judged
   * with the wait's leave, which the explorer adds next (a final graph never ends inside a wait).
   */
  private readonly stack: StackItem[] = [];
  /** the bytes reserved for each stack entry (stackItemBytes), in step with `stack` */
  private readonly stackBytes: number[] = [];
  /**
   * the branch depth of each stack entry, in step with `stack` (only under options.shard):
   * below the split depth it counts branch points above the entry; `split` marks a subtree's
   * root, whose ordinal decides its shard; `split + 1` marks everything inside an owned subtree
   */
  private readonly stackDepth: number[] = [];
  private readonly split: number;
  /** subtree roots at the split depth met so far (DFS order), under options.shard */
  private ordinal = 0;
  /** the node being visited is above the split: its finals are counted by shard 0 only */
  private aboveSplit = false;
  private readonly budget: MemoryBudget;
  /** a reservation was refused: the search stops (budget 'memory') before its next visit */
  private outOfMemory = false;
  private readonly options: GraphExploreOptions;
  /** the model has racy accesses and the program has an access of a mode that may race (rc11: a non-atomic one): only then can a final graph have a race */
  private readonly racesPossible: boolean;
  /** the model includes coherence per location: reads and writes start at the thread's coherence floor */
  private readonly coherent: boolean;
  /** the memory slots the observables, the filter and the condition read (a word of a byte-by-byte location: its four byte slots) */
  private readonly observedSlots: readonly number[];
  /** per word: modelled byte by byte (model/semantics/byteSlots.ts); null when no word is */
  private readonly byteWords: Uint8Array | null;
  private readonly nameOf: (slot: number) => string;
  readonly result: GraphExploration;

  constructor(program: IrProgram, options: GraphExploreOptions) {
    this.program = program;
    this.model = options.model;
    this.options = options;
    this.threads = new Threads(program, options.unroll ?? DEFAULT_UNROLL, program.memorySize, this.model.failedCasWrites === true);
    this.initial = initialValues(program);
    this.nameOf = slotNamer(program);
    const mayRace = this.model.mayRace ?? (() => true);
    this.coherent = this.model.perLocationCoherence !== false;
    this.byteWords = byteWords(program);
    const bw = this.byteWords;
    this.observedSlots = observedSlots(program).flatMap((s) => (bw !== null && bw[s] === 1 ? [0, 1, 2, 3].map((b) => byteSlot(s, b)) : [s]));
    // Atomics of different sizes on overlapping bytes race too: a program with byte-by-byte locations may race whatever its modes
    this.racesPossible = this.model.racy !== undefined && (this.byteWords !== null || program.threads.some((th) => th.code.some((i) => (i.kind === 'load' || i.kind === 'store' || i.kind === 'await' || i.kind === 'rmw') && mayRace(i.mode))));
    this.budget = new MemoryBudget(options.maxMemoryBytes ?? Number.POSITIVE_INFINITY);
    this.split = options.shard === undefined ? 0 : shardSplitDepth(options.shard.count);
    this.result = {
      executions: 0,
      blocked: { assume: 0, await: 0, spin: 0, bound: 0, error: 0 },
      graphs: 0,
      inconsistent: 0,
      outcomes: new OutcomeTable(program.observables.length, this.budget, outcomeReserveBytes(program.observables.map((o) => o.name))),
      positive: 0,
      negative: 0,
      findings: new Map(),
      budgetExhausted: null,
      maxStack: 0,
      peakBytes: 0,
    };
  }

  *run(): Sliced<GraphExploration> {
    const now = this.options.now ?? (() => 0);
    const start = now();
    const r = this.result;
    const steal = this.options.steal;
    if (steal !== undefined && this.options.shard !== undefined) throw new Error('internal error: work stealing and a shard together (this is a bug in memweave)');
    if (steal === undefined || steal.ownsRoot) this.push({ g: new ExecutionGraph(this.program.threads.length), judged: null, x: null, sink: true });
    let visits = 0;
    let lastProgress = 0;
    const expired = (): boolean => this.options.timeLimitMs !== undefined && now() - start > this.options.timeLimitMs;
    for (;;) {
      if (this.stack.length === 0) {
        if (steal === undefined || this.outOfMemory) break;
        // out of work: wait for another thread's oldest entry, or the end
        const got = steal.take(expired);
        if (got.kind === 'done') break;
        if (got.kind === 'stopped') {
          r.budgetExhausted = expired() ? 'time' : 'interrupted';
          break;
        }
        this.push({ g: got.item.g, judged: null, x: null, sink: got.item.sink });
        continue;
      }
      if (this.outOfMemory) {
        r.budgetExhausted = 'memory';
        break;
      }
      if (this.stack.length > r.maxStack) r.maxStack = this.stack.length;
      const finals = r.executions + r.blocked.assume + r.blocked.await + r.blocked.spin + r.blocked.bound + r.blocked.error;
      if (this.options.maxExecutions !== undefined && (finals >= this.options.maxExecutions || r.graphs >= GRAPHS_PER_EXECUTION_BUDGET * this.options.maxExecutions)) {
        r.budgetExhausted = 'executions';
        break;
      }
      // a pause at every visit (a visit of a large graph can take milliseconds: sliced.ts)
      if (yield) {
        r.budgetExhausted = 'interrupted';
        break;
      }
      // the clock is read every 64 visits (a visit judges at most a few graphs)
      if ((++visits & 63) === 0) {
        const elapsed = now() - start;
        if (this.options.timeLimitMs !== undefined && elapsed > this.options.timeLimitMs) {
          r.budgetExhausted = 'time';
          break;
        }
        if (this.options.onProgress !== undefined && elapsed - lastProgress >= GRAPH_PROGRESS_EVERY_MS) {
          lastProgress = elapsed;
          this.options.onProgress({ executions: r.executions, graphs: r.graphs, elapsedMs: elapsed });
        }
      }
      // another thread waits: give it the oldest entry (the root of the largest subtree left here)
      if (steal !== undefined && this.stack.length >= 2 && visits % STEAL_CHECK_EVERY === 0 && steal.wanted()) {
        const oldest = this.stack[0] as StackItem;
        if (steal.give({ g: oldest.g, sink: oldest.sink })) {
          this.stack.shift();
          this.budget.release(this.stackBytes.shift() as number);
        }
      }
      this.budget.release(this.stackBytes.pop() as number);
      const item = this.stack.pop() as StackItem;
      const shard = this.options.shard;
      if (shard === undefined || shard.count <= 1) {
        this.visit(item);
        continue;
      }
      const depth = this.stackDepth.pop() as number;
      if (depth === this.split && this.ordinal++ % shard.count !== shard.index) continue;
      this.aboveSplit = depth < this.split;
      const before = this.stack.length;
      this.visit(item);
      const children = this.stack.length - before;
      const childDepth = depth >= this.split ? this.split + 1 : depth + (children >= 2 ? 1 : 0);
      for (let i = before; i < this.stack.length; i++) this.stackDepth[i] = childDepth;
    }
    if (this.outOfMemory) r.budgetExhausted = 'memory';
    // a thread that stops with work left ends the others' waits too: the whole answer is incomplete
    if (steal !== undefined && r.budgetExhausted !== null) steal.abandon();
    r.peakBytes = this.budget.peak;
    return r;
  }

  /** Put a graph on the stack, its bytes reserved; when the budget refuses, the search stops (the graph is dropped: the answer is inconclusive anyway). */
  private push(item: StackItem): void {
    const bytes = stackItemBytes(item.g.size(), item.g.co.size, item.x !== null);
    if (!this.budget.tryReserve(bytes)) {
      this.outOfMemory = true;
      return;
    }
    this.stack.push(item);
    this.stackBytes.push(bytes);
    if (this.options.shard !== undefined) this.stackDepth.push(0);
  }

  /** a reservation was refused (FinalGraphJudge) */
  get memoryRefused(): boolean {
    return this.outOfMemory;
  }

  /** the memory budget's peak so far (FinalGraphJudge) */
  get peakBytes(): number {
    return this.budget.peak;
  }

  /** The final checks on one graph that need not come from this exploration. */
  judgeOne(g: ExecutionGraph): GraphJudgement {
    const { x, j } = this.judge(g);
    if (j.violated !== null) return { consistent: false, violated: j.violated, findings: this.result.findings };
    const next = this.next(g);
    if (next.kind === 'final') this.final(g, x, j);
    return { consistent: true, violated: null, findings: this.result.findings };
  }

  private judge(g: ExecutionGraph): { x: Execution; j: Judgement } {
    const x = toExecution(g, this.initial);
    this.result.graphs++;
    return { x, j: this.model.judge(x) };
  }

  private visit(item: StackItem): void {
    const g = item.g;
    let j = item.judged;
    let x = item.x;
    if ((j === null || x === null) && !item.sink) {
      const r = this.judge(g);
      j = r.j;
      x = r.x;
    }
    if (j !== null && j.violated !== null) {
      this.result.inconsistent++;
      return;
    }
    const next = this.next(g);
    switch (next.kind) {
      case 'final':
        // hb is needed only to order critical regions and to find races
        if ((j === null || x === null) && (this.program.regions.length > 0 || this.racesPossible)) {
          const r = this.judge(g);
          j = r.j;
          x = r.x;
          if (j.violated !== null) throw new Error(`internal error: a graph grown by a sink event is inconsistent (${j.violated}) (this is a bug in memweave)`);
        }
        this.final(g, x, j);
        return;
      case 'rmwWrite':
        this.addWrite(g, next.thread, next.read.slot, next.value, next.read.mode, true, next.read.origin);
        return;
      case 'op':
        this.addOp(g, next.thread, next.op);
        return;
      default:
        assertNever(next);
    }
  }

  /** The next event: the lowest thread that can move; errors found on the way are recorded. */
  private next(g: ExecutionGraph): Next {
    // an RMW's write follows its read at once (GenMC's completeRevisitedRMW), whichever thread it is
    for (let t = 0; t < g.threads.length; t++) {
      const events = g.threads[t] as GraphEvent[];
      if (this.threads.sync(t, events)) {
        const read = events[events.length - 1] as GraphEvent;
        const value = rmwWrite(read.rmwArgs as NonNullable<GraphEvent['rmwArgs']>, read.value, this.model.failedCasWrites === true);
        return { kind: 'rmwWrite', thread: t, read, value: value as number };
      }
    }
    // the byte writes of one access follow each other at once (issue 15): a read is never added
    // while another thread's write access is partly in the graph, where each of the read's
    // choices could be inconsistent only for want of the write's later bytes (a word read that
    // synchronizes with a word store, and must read all four bytes from it, reading byte 3 before
    // the store wrote it) and pruned, losing the revisit the write would make
    for (let t = 0; t < g.threads.length; t++) {
      const runner = this.threads.runners[t] as IrThreadRunner;
      if (!runner.inByteWrite()) continue;
      const op = runner.next();
      if (op.kind === 'write') return { kind: 'op', thread: t, op };
    }
    // a wait's read and leave follow its enter at once: its critical section is one step
    for (let t = 0; t < g.threads.length; t++) {
      const runner = this.threads.runners[t] as IrThreadRunner;
      if (!runner.inWaiterSection()) continue;
      const op = runner.next();
      if (op.kind === 'read' || op.kind === 'rmw') return { kind: 'op', thread: t, op };
    }
    for (let t = 0; t < g.threads.length; t++) {
      const events = g.threads[t] as GraphEvent[];
      const op = (this.threads.runners[t] as IrThreadRunner).next();
      switch (op.kind) {
        case 'rmw':
          // asleep in a wait: it moves once a list state removed it (or, with a timeout, at once)
          if (isResume(op.op) && this.resumeOptions(g, t, op.slot, op.op === 'wl_resume_t').length === 0) break;
          return { kind: 'op', thread: t, op };
        case 'read':
        case 'write':
        case 'fence':
        case 'enter':
        case 'exit':
          return { kind: 'op', thread: t, op };
        case 'error':
          this.record(op.error, stepViolationMessage(op.error, this.threadName(t), this.where(op.origin), op.message), g, events.length > 0 ? [eventRef(t, events.length - 1)] : [], op.code);
          break;
        case 'done':
        case 'blocked':
          break;
        default:
          assertNever(op);
      }
    }
    return { kind: 'final' };
  }

  private addOp(g: ExecutionGraph, t: number, op: Extract<ThreadOp, { kind: 'read' | 'write' | 'rmw' | 'fence' | 'enter' | 'exit' }>): void {
    switch (op.kind) {
      case 'read':
        this.addRead(g, t, op.slot, op.mode, null, op.origin, op.bytes);
        return;
      case 'rmw':
        if (op.op === 'wl_enter') this.addEnter(g, t, op.slot, { op: op.op, operand: op.operand, expected: op.expected }, op.origin);
        else if (op.op === 'wl_leave') this.addLeave(g, t, op.slot, { op: op.op, operand: op.operand, expected: op.expected }, op.origin);
        else if (isResume(op.op)) this.addResume(g, t, op.slot, { op: op.op, operand: op.operand, expected: op.expected }, op.origin);
        else this.addRead(g, t, op.slot, op.mode, { op: op.op, operand: op.operand, expected: op.expected }, op.origin);
        return;
      case 'write':
        this.addWrite(g, t, op.slot, op.value, op.mode, false, op.origin, op.bytes);
        return;
      case 'fence':
        if (this.model.scFenceAsRmw === true && op.mode === 'sc') {
          this.addRead(g, t, this.threads.fenceSlot, 'sc', { op: 'fetch_add', operand: 1, expected: 0 }, op.origin);
          return;
        }
        this.addMarker(g, t, 'fence', op.mode, -1, op.origin);
        return;
      case 'enter':
      case 'exit':
        this.addMarker(g, t, op.kind, 'plain', op.region, op.origin);
        return;
      default:
        assertNever(op);
    }
  }

  private addMarker(g: ExecutionGraph, t: number, kind: 'fence' | 'enter' | 'exit', mode: GraphEvent['mode'], region: number, origin: Origin): void {
    const g2 = g.clone();
    g2.push({ kind, thread: t, slot: -1, mode, value: 0, rf: -1, rmw: 'none', rmwArgs: null, addedMax: true, revisitable: false, region, origin });
    this.push({ g: g2, judged: null, x: null, sink: true });
  }

  /** A read: one child per write it may read from (forward revisits). */
  private addRead(g: ExecutionGraph, t: number, slot: number, mode: GraphEvent['mode'], rmwArgs: GraphEvent['rmwArgs'], origin: Origin, bytes?: ByteAccess): void {
    const ws = g.writesTo(slot);
    // coherence per location, which every model here includes: a read cannot read a write
    // co-before one its thread wrote or read earlier (CoWR, CoRR), so those children would
    // only be judged inconsistent; start at the latest such write
    const inSection = (this.threads.runners[t] as IrThreadRunner).inWaiterSection();
    for (let i = this.coherent ? coherenceFloor(g, t, slot) : 0; i < ws.length; i++) {
      const w = ws[i] as number;
      const g2 = g.clone();
      const e = { kind: 'read', thread: t, slot, mode, value: g.writeValue(w, this.initial), rf: w, rmw: rmwArgs === null ? 'none' : 'read', rmwArgs, addedMax: i === ws.length - 1, revisitable: true, region: -1, origin } as const;
      g2.push(bytes === undefined ? e : { ...e, bytes });
      // a wait's read of its word (each of its bytes, for a byte-by-byte word) is judged with the
      // leave after it, which places the enter; any other byte of an access is never a sink: its
      // access, one node, may already have other bytes' edges
      this.push({ g: g2, judged: null, x: null, sink: inSection || (bytes === undefined && i === ws.length - 1) });
    }
  }

  /**
   * A wait's enter (waiterList.ts): it reads the list state its leave reads, which is chosen when
   * the leave is added (and changed with it by a revisit): until then, the co-latest one, a
   * placeholder no judgement sees (the enter and the wait's read are not judged; the leave is).
   * It is never revisited itself, and its value is not used by its thread.
   */
  private addEnter(g: ExecutionGraph, t: number, slot: number, rmwArgs: NonNullable<GraphEvent['rmwArgs']>, origin: Origin): void {
    const ws = g.writesTo(slot);
    const w = ws[ws.length - 1] as number;
    const g2 = g.clone();
    g2.push({ kind: 'read', thread: t, slot, mode: 'sc', value: g.writeValue(w, this.initial), rf: w, rmw: 'read', rmwArgs, addedMax: true, revisitable: false, region: -1, origin });
    this.push({ g: g2, judged: null, x: null, sink: true });
  }

  /**
   * A wait's leave: an RMW read of the list with every choice an RMW has; its enter reads the same
   * state (so no other critical section comes between them, by atomicity), which moves the enter.
   */
  private addLeave(g: ExecutionGraph, t: number, slot: number, rmwArgs: NonNullable<GraphEvent['rmwArgs']>, origin: Origin): void {
    const ws = g.writesTo(slot);
    // the floor before the enter, whose placeholder choice does not count
    for (let i = coherenceFloor(g, t, slot, enterIndex(g, t, (g.threads[t] as GraphEvent[]).length)); i < ws.length; i++) {
      const w = ws[i] as number;
      const g2 = g.clone();
      moveEnter(g2, t, (g2.threads[t] as GraphEvent[]).length, w, g.writeValue(w, this.initial));
      g2.push({ kind: 'read', thread: t, slot, mode: 'sc', value: g.writeValue(w, this.initial), rf: w, rmw: 'read', rmwArgs, addedMax: i === ws.length - 1, revisitable: true, region: -1, origin });
      // judged: the enter's placeholder choice, and the read after it, were not
      this.push({ g: g2, judged: null, x: null, sink: false });
    }
  }

  /** A sleeping waiter's resume: one child per list state it may read (the states that still hold it, with a timeout; the one that removed it). */
  private addResume(g: ExecutionGraph, t: number, slot: number, rmwArgs: NonNullable<GraphEvent['rmwArgs']>, origin: Origin): void {
    const options = this.resumeOptions(g, t, slot, rmwArgs.op === 'wl_resume_t');
    const ws = g.writesTo(slot);
    options.forEach((w, k) => {
      const g2 = g.clone();
      g2.push({ kind: 'read', thread: t, slot, mode: 'sc', value: g.writeValue(w, this.initial), rf: w, rmw: 'read', rmwArgs, addedMax: k === options.length - 1, revisitable: true, region: -1, origin });
      this.push({ g: g2, judged: null, x: null, sink: w === ws[ws.length - 1] });
    });
  }

  /**
   * The list states a resume of thread t may read, in coherence order: from its own leave on,
   * those that still hold t (only when its wait has a timeout: it times out there), then the first
   * one that does not (the notify that removed it: it was woken), if the graph has it yet.
   */
  private resumeOptions(g: ExecutionGraph, t: number, slot: number, timeout: boolean): number[] {
    const ws = g.writesTo(slot);
    const base = this.program.threads.length + 1;
    const out: number[] = [];
    for (let i = coherenceFloor(g, t, slot); i < ws.length; i++) {
      const w = ws[i] as number;
      if (!holds(g.writeValue(w, this.initial), base, t)) {
        out.push(w);
        break;
      }
      if (timeout) out.push(w);
    }
    return out;
  }

  /** A write: every coherence placement, and from each the backward revisits it allows. */
  private addWrite(g: ExecutionGraph, t: number, slot: number, value: number, mode: GraphEvent['mode'], isRmw: boolean, origin: Origin | null, bytes?: ByteAccess): void {
    const co = g.coOf(slot);
    let first = 0;
    let last = co.length;
    if (isRmw) {
      const read = g.threads[t]?.[(g.threads[t]?.length ?? 0) - 1] as GraphEvent;
      first = read.rf < 0 ? 0 : co.indexOf(read.rf) + 1;
      last = first;
    } else {
      // coherence per location (CoWW, CoRW): after every write its thread wrote or read earlier
      first = this.coherent ? coherenceFloor(g, t, slot) : 0;
    }
    for (let p = first; p <= last; p++) {
      const g2 = g.clone();
      const e = { kind: 'write', thread: t, slot, mode, value, rf: -1, rmw: isRmw ? 'write' : 'none', rmwArgs: null, addedMax: p === co.length, revisitable: false, region: -1, origin } as const;
      const a = g2.push(bytes === undefined ? e : { ...e, bytes });
      g2.coOf(slot).splice(p, 0, a);
      // another RMW that read the same write makes this graph violate atomicity; revisits that
      // delete that RMW can still repair it (GenMC's findPendingRMW / eraseConflictingLoads)
      const conflict = isRmw ? conflictingRmw(g2, t) : null;
      if (p === co.length && conflict === null && bytes === undefined) {
        // placed co-last: a sink, consistent as its parent is
        this.backwardRevisits(g2, a, Infinity);
        this.push({ g: g2, judged: null, x: null, sink: true });
        continue;
      }
      const { x, j } = this.judge(g2);
      if (j.violated !== null) {
        this.result.inconsistent++;
        // a byte write: its access's other bytes may make this placement inconsistent where the
        // revisited graph (without the deleted events) is not; the revisits are judged on their own
        if (conflict !== null || bytes !== undefined) this.backwardRevisits(g2, a, conflict === null ? Infinity : conflict.stamp);
        continue;
      }
      this.backwardRevisits(g2, a, conflict === null ? Infinity : conflict.stamp);
      this.push({ g: g2, judged: j, x, sink: false });
    }
  }

  /** Every backward revisit write `a` may make, of reads added no later than `maxStamp`. */
  private backwardRevisits(g: ExecutionGraph, a: number, maxStamp: number): void {
    const we = g.event(a) as GraphEvent;
    const view = porfView(g, a);
    const inView = (e: GraphEvent): boolean => e.index < (view[e.thread] as number);
    for (const r of g.readsOf(we.slot)) {
      const re = g.event(r) as GraphEvent;
      if (inView(re) || !re.revisitable || !re.addedMax || re.stamp > maxStamp) continue;
      if (isResume(re.rmwArgs?.op) && !this.resumeMayRead(g, re, we)) continue;
      const keep = (e: GraphEvent): boolean => e.stamp <= re.stamp || inView(e);
      if (!this.maximalExtension(g, re, a, keep)) continue;
      const g2 = g.clone();
      g2.restrict(keep);
      // the write's porf-prefix is settled in this subtree: its reads are no longer revisitable
      for (const list of g2.threads) {
        for (let i = 0; i < list.length; i++) {
          const e = list[i] as GraphEvent;
          if (e.kind === 'read' && e.revisitable && inView(e)) list[i] = { ...e, revisitable: false };
        }
      }
      const co = g2.coOf(we.slot);
      g2.replace(r, { ...re, rf: a, value: we.value, addedMax: co[co.length - 1] === a });
      if (re.rmwArgs?.op === 'wl_leave') moveEnter(g2, re.thread, re.index, a, we.value);
      // a wait's read of its word, revisited: its leave is gone and its enter's placeholder
      // choice is stale; the graph is judged with the leave that follows at once (as addRead
      // does), which places the enter, or a stale placeholder would prune consistent graphs
      this.push({ g: g2, judged: null, x: null, sink: readsInWaiterSection(g2, re) });
    }
  }

  /** May a sleeping waiter's resume read list state `we` (a list RMW's write): it still holds the waiter and the wait has a timeout, or it is the state that removed it. */
  private resumeMayRead(g: ExecutionGraph, re: GraphEvent, we: GraphEvent): boolean {
    const base = this.program.threads.length + 1;
    if (holds(we.value, base, re.thread)) return re.rmwArgs?.op === 'wl_resume_t';
    const before = g.threads[we.thread]?.[we.index - 1];
    return we.rmw === 'write' && before !== undefined && holds(before.value, base, re.thread);
  }

  /** GenMC's isMaximalExtension: the revisit of read `re` by write `a` deletes only maximally added events. */
  private maximalExtension(g: ExecutionGraph, re: GraphEvent, a: number, keep: (e: GraphEvent) => boolean): boolean {
    const we = g.event(a) as GraphEvent;
    if (we.rmw !== 'write') {
      // the revisits from a's placements that differ only among deleted writes: take the one right before a kept write
      const co = g.coOf(we.slot);
      const succ = co[co.indexOf(a) + 1];
      if (succ !== undefined && !keep(g.event(succ) as GraphEvent)) return false;
    }
    for (const list of g.threads) {
      for (const e of list) {
        if (e !== re && keep(e)) continue;
        if (e.kind !== 'read' && e.kind !== 'write') continue;
        if (!e.addedMax) return false;
        // a wait's leave and resume have no co-later choice to prefer: their choices are the list's states (waiterList.ts)
        if (e.kind === 'read' && (e.rmwArgs?.op === 'wl_enter' || isResume(e.rmwArgs?.op))) continue;
        // co-before the saved prefix: some write co-after the one e wrote or read is kept (a aside)
        const w = e.kind === 'write' ? eventRef(e.thread, e.index) : e.rf;
        const co = g.coOf(e.slot);
        for (let k = w < 0 ? 0 : co.indexOf(w) + 1; k < co.length; k++) {
          const s = co[k] as number;
          if (s !== a && keep(g.event(s) as GraphEvent)) return false;
        }
        // revisited by a deleted write
        if (e.kind === 'read' && e.rf >= 0) {
          const src = g.event(e.rf) as GraphEvent;
          if (!keep(src) && src.stamp > e.stamp) return false;
        }
      }
    }
    return true;
  }

  /** Classify a final graph and check the properties of final graphs. */
  private final(g: ExecutionGraph, x: Execution | null, j: Judgement | null): void {
    const r = this.result;
    // a final graph above the split is on every shard's path: shard 0 alone counts it
    if (this.aboveSplit && this.options.shard !== undefined && this.options.shard.index !== 0) return;
    // the clauses judged on complete executions only (js: Tear Free Reads)
    const late = this.model.judgeComplete;
    if (late !== undefined && this.byteWords !== null && g.size() > 0 && late(x ?? toExecution(g, this.initial)) !== null) {
      r.inconsistent++;
      return;
    }
    this.options.onFinal?.(g);
    this.checkRegions(g, x, j);
    this.checkRaces(g, x, j);
    // counted here, or by checker/beyondPorf.ts (leaveNonAtomicRmws); a loop bound is counted either way (it makes the answer incomplete)
    const counted = this.options.leaveNonAtomicRmws !== true || rmwsAdjacent(g);
    const statuses = this.threads.runners.map((runner) => asleep(runner.next()));
    if (statuses.some((s) => s.kind === 'error')) {
      if (counted) r.blocked.error++;
      return;
    }
    if (statuses.some((s) => s.kind === 'blocked' && s.reason === 'assume')) {
      if (counted) r.blocked.assume++;
      return;
    }
    if (statuses.some((s) => s.kind === 'blocked' && s.reason === 'bound')) {
      r.blocked.bound++;
      return;
    }
    // a thread blocked on an await or spin loop whose reads did not all read the co-latest writes
    // would, under fair scheduling, read them and go on: the execution is redundant (another one
    // covers it). Only when every blocked thread read the final values is it stuck for good.
    const stuck: { t: number; s: Extract<ThreadOp, { kind: 'blocked' }>; refs: number[] }[] = [];
    let stale: 'await' | 'spin' | null = null;
    for (let t = 0; t < statuses.length; t++) {
      const s = statuses[t] as ThreadOp;
      if (s.kind !== 'blocked') continue;
      if (s.reason !== 'await' && s.reason !== 'spin') {
        stuck.push({ t, s, refs: [] });
        continue;
      }
      const events = g.threads[t] as GraphEvent[];
      const reads = events.slice(events.length - s.reads);
      const latest = reads.every((e) => {
        const co = g.coOf(e.slot);
        return e.rf === (co.length === 0 ? initRef(e.slot) : co[co.length - 1]);
      });
      if (latest) stuck.push({ t, s, refs: reads.map((e) => eventRef(e.thread, e.index)) });
      else stale = stale ?? s.reason;
    }
    if (stale !== null) {
      if (counted) r.blocked[stale]++;
      return;
    }
    for (const { t, s, refs } of stuck) {
      if (s.reason === 'block') this.record('deadlock', `deadlock: ${this.threadName(t)} is blocked at ${this.where(s.origin)} forever`, g, refs);
      else if (s.reason === 'await') this.record('deadlock', `deadlock: ${this.threadName(t)} waits at ${this.where(s.origin)} for a value no thread will write`, g, refs);
      else if (s.reason === 'wait') this.record('deadlock', `deadlock: ${this.threadName(t)} sleeps in the wait at ${this.where(s.origin)} and no thread will notify it`, g, [eventRef(t, (g.threads[t]?.length ?? 1) - 1)]);
      else this.record('livelock', `livelock: ${this.threadName(t)} spins at ${this.where(s.origin)} forever: the values it reads are final`, g, refs);
    }
    const first = stuck[0];
    if (first !== undefined) {
      if (counted) r.blocked[first.s.reason === 'spin' ? 'spin' : 'await']++;
      return;
    }
    this.complete(g, x, j, counted);
  }

  /** A complete execution: its outcome and the final condition (one outcome per final memory the model allows); uncounted, only the condition's violation is recorded. */
  private complete(g: ExecutionGraph, x: Execution | null, j: Judgement | null, counted: boolean): void {
    const r = this.result;
    if (counted) r.executions++;
    const p = this.program;
    for (const memory of this.finalMemories(g, x, j)) {
      const valueOf = (o: { readonly kind: 'reg'; readonly thread: number; readonly reg: number } | { readonly kind: 'mem'; readonly slot: number; readonly view?: { readonly width: 1 | 2; readonly byte: number } }): number => {
        if (o.kind === 'reg') return (this.threads.runners[o.thread] as IrThreadRunner).registers()[o.reg] ?? 0;
        return observeWord(o, memory(o.slot));
      };
      if (p.filter !== null && !evalCondBy(p.filter, valueOf)) continue;
      const tuple = p.observables.map((o) => valueOf(o.what));
      const satisfies = p.condition === null ? null : evalCondBy(p.condition.cond, valueOf);
      const q = p.condition?.quantifier;
      if (!counted) {
        if ((q === 'not exists' && satisfies === true) || (q === 'forall' && satisfies === false)) this.record('condition', conditionMessage(p), g, []);
        continue;
      }
      if (!r.outcomes.add(tuple, satisfies, 1)) {
        // no room for a new outcome: this execution is not counted, and the search stops
        r.executions--;
        this.outOfMemory = true;
        return;
      }
      this.options.onOutcome?.(g, tuple, satisfies);
      if (satisfies === true) r.positive++;
      else if (satisfies === false) r.negative++;
      if ((q === 'not exists' && satisfies === true) || (q === 'forall' && satisfies === false)) {
        this.record('condition', conditionMessage(p), g, []);
      }
    }
  }

  /**
   * The final memories of a complete graph, as slot → value: the co-last writes; or, for a model
   * with `finalReads`, every combination of writes to the observed slots that SeqCst reads in a
   * thread joining all the others may read, as the model judges it.
   */
  private finalMemories(g: ExecutionGraph, judgedX: Execution | null, judged: Judgement | null): ((slot: number) => number)[] {
    const coLast = (slot: number): number => {
      const co = g.co.get(slot) ?? [];
      const last = co[co.length - 1];
      return last === undefined ? this.initial(slot) : g.writeValue(last, this.initial);
    };
    const slots = this.observedSlots;
    const bw = this.byteWords;
    // a word of a byte-by-byte location is its four bytes, each with its own final write(s)
    const wordOf = (byteValue: (slot: number) => number): ((slot: number) => number) =>
      bw === null ? byteValue : (slot) => (bw[slot] === 1 ? wordFromBytes(byteValue(byteSlot(slot, 0)), byteValue(byteSlot(slot, 1)), byteValue(byteSlot(slot, 2)), byteValue(byteSlot(slot, 3))) : byteValue(slot));
    if (this.model.finalReads !== true || slots.length === 0) return [wordOf(coLast)];
    // candidates: writes no other write to the slot happens after (any other fails Coherent Reads)
    // the graph's own judgement when it was judged (a sink was not)
    const x = judged !== null && judgedX !== null ? judgedX : toExecution(g, this.initial);
    const hb = judged !== null && judgedX !== null ? judged.hb : this.model.judge(x).hb;
    const candidates = slots.map((slot) => {
      const ws = g.writesTo(slot);
      return ws.filter((w) => !ws.some((v) => v !== w && hb.has(x.idOf(w), x.idOf(v))));
    });
    const out: ((slot: number) => number)[] = [];
    const choice = new Array<number>(slots.length).fill(0);
    for (;;) {
      const picked = choice.map((c, i) => (candidates[i] as number[])[c] as number);
      const g2 = g.clone();
      const observer = g2.threads.length;
      g2.threads.push([]);
      slots.forEach((slot, i) => {
        const w = picked[i] as number;
        // a byte slot is read by a one-byte SeqCst read (final memory is per byte)
        g2.push({ kind: 'read', thread: observer, slot, mode: 'sc', value: g.writeValue(w, this.initial), rf: w, rmw: 'none', rmwArgs: null, addedMax: false, revisitable: false, region: -1, origin: null, ...(isByteSlot(slot) ? { bytes: { lo: byteOfByteSlot(slot), size: 1, part: 0 } } : {}) });
      });
      this.result.graphs++;
      if (this.model.judge(toExecution(g2, this.initial, true)).violated === null) {
        const values = new Map(slots.map((slot, i) => [slot, g.writeValue(picked[i] as number, this.initial)]));
        out.push(wordOf((slot) => values.get(slot) ?? coLast(slot)));
      }
      // next combination
      let k = 0;
      while (k < choice.length && (choice[k] = (choice[k] as number) + 1) >= (candidates[k] as number[]).length) choice[k++] = 0;
      if (k === choice.length) break;
    }
    return out;
  }

  /** Two instances of one critical region in different threads must be ordered by hb. */
  private checkRegions(g: ExecutionGraph, x: Execution | null, j: Judgement | null): void {
    if (this.program.regions.length === 0 || this.result.findings.has('mutex') || x === null || j === null) return;
    const instances: { thread: number; region: number; enter: number; exit: number | null }[] = [];
    for (const list of g.threads) {
      const open = new Map<number, { thread: number; region: number; enter: number; exit: number | null }>();
      for (const e of list) {
        if (e.kind === 'enter') {
          const inst = { thread: e.thread, region: e.region, enter: x.idOf(eventRef(e.thread, e.index)), exit: null };
          instances.push(inst);
          open.set(e.region, inst);
        } else if (e.kind === 'exit') {
          const inst = open.get(e.region);
          if (inst !== undefined) {
            inst.exit = x.idOf(eventRef(e.thread, e.index));
            open.delete(e.region);
          }
        }
      }
    }
    for (let i = 0; i < instances.length; i++) {
      for (let k = i + 1; k < instances.length; k++) {
        const a = instances[i] as (typeof instances)[number];
        const b = instances[k] as (typeof instances)[number];
        if (a.thread === b.thread || a.region !== b.region) continue;
        const aFirst = a.exit !== null && j.hb.has(a.exit, b.enter);
        const bFirst = b.exit !== null && j.hb.has(b.exit, a.enter);
        if (aFirst || bFirst) continue;
        const name = this.program.regions[a.region] ?? '';
        const refs = [x.events[a.enter]?.ref ?? -1, x.events[b.enter]?.ref ?? -1];
        this.record('mutex', `mutual exclusion violated: ${this.threadName(a.thread)} and ${this.threadName(b.thread)} are both in critical region${name === '' ? '' : ` '${name}'`} (their regions are not ordered by happens-before)`, g, refs);
        return;
      }
    }
  }

  /** Under a model with racy accesses: conflicting, hb-unordered accesses of different threads. */
  private checkRaces(g: ExecutionGraph, x: Execution | null, j: Judgement | null): void {
    const racy = this.model.racy;
    if (racy === undefined || !this.racesPossible || this.result.findings.has('race') || x === null || j === null) return;
    const ev = x.events;
    for (let a = 0; a < x.n; a++) {
      const ea = ev[a] as (typeof ev)[number];
      if (ea.thread < 0 || (ea.kind !== 'read' && ea.kind !== 'write')) continue;
      for (let b = a + 1; b < x.n; b++) {
        const eb = ev[b] as (typeof ev)[number];
        if (eb.thread < 0 || eb.thread === ea.thread || eb.slot !== ea.slot || (eb.kind !== 'read' && eb.kind !== 'write')) continue;
        if (ea.kind !== 'write' && eb.kind !== 'write') continue;
        if (!racy(ea, eb) || j.hb.has(a, b) || j.hb.has(b, a)) continue;
        const at = (e: (typeof ev)[number]): string => {
          const ge = g.event(e.ref) as GraphEvent;
          return `${this.threadName(e.thread)}'s ${e.kind === 'write' ? 'write' : 'read'} at ${ge.origin === null ? '?' : this.where(ge.origin)}`;
        };
        this.record('race', `data race on ${this.slotName(ea.slot)} (under ${this.model.name}: ${this.model.raceMeans ?? 'undefined behaviour'}): ${at(ea)} and ${at(eb)} are not ordered by happens-before`, g, [ea.ref, eb.ref]);
        return;
      }
    }
  }

  private record(kind: ViolationKind, message: string, g: ExecutionGraph, events: readonly number[], code: RuntimeErrorCode | null = null): void {
    if (this.result.findings.has(kind)) return;
    // the finding keeps a copy of the graph, and its counterexample will have a row per event
    const eventCount = g.size();
    if (!this.budget.tryReserve(stackItemBytes(eventCount, g.co.size, false) + (eventCount + 2) * traceRowBytes(g.threads.length))) {
      this.outOfMemory = true;
      return;
    }
    this.result.findings.set(kind, { kind, message, graph: g.clone(), events, code });
  }

  private threadName(t: number): string {
    return this.program.threads[t]?.name ?? `#${t}`;
  }

  private where(origin: Origin): string {
    return `${this.program.file}:${origin.span.line}`;
  }

  private slotName(slot: number): string {
    return this.nameOf(slot);
  }
}

/** The memory slots a program's observables, filter and final condition read, ascending. */
function observedSlots(program: IrProgram): number[] {
  const slots = new Set<number>();
  for (const o of observedTerms(program)) if (o.kind === 'mem') slots.add(o.slot);
  return [...slots].sort((x, y) => x - y);
}

/**
 * The position, in `slot`'s writes (the initial write at 0, then coherence order), of the latest
 * write thread t wrote or read from so far: by coherence per location, which every model here
 * includes, a new read of t reads from it or later (CoWR, CoRR) and a new write of t goes after it
 * (CoWW, CoRW). `upTo`: only the thread's events before that index count.
 */
function coherenceFloor(g: ExecutionGraph, t: number, slot: number, upTo = Infinity): number {
  const co = g.co.get(slot) ?? [];
  let floor = 0;
  for (const e of g.threads[t] as GraphEvent[]) {
    if (e.index >= upTo) break;
    if (e.slot !== slot) continue;
    const w = e.kind === 'write' ? eventRef(e.thread, e.index) : e.kind === 'read' ? e.rf : null;
    if (w === null || w < 0) continue;
    const at = co.indexOf(w) + 1;
    if (at > floor) floor = at;
  }
  return floor;
}

/** Make the enter of the wait whose leave is (or will be) event `leaveIndex` of thread t read `w`; true when it read another write. */
function moveEnter(g: ExecutionGraph, t: number, leaveIndex: number, w: number, value: number): boolean {
  const at = enterIndex(g, t, leaveIndex);
  const enter = g.threads[t]?.[at];
  if (enter === undefined || enter.rmwArgs?.op !== 'wl_enter') throw new Error('internal error: a wait leaves a critical section it did not enter (this is a bug in memweave)');
  if (enter.rf === w) return false;
  g.replace(eventRef(t, at), { ...enter, rf: w, value });
  return true;
}

/** The index of the enter of the wait whose leave is (or will be) event `leaveIndex` of thread t: before its read of the word (one event, or four byte events of a byte-by-byte word). */
function enterIndex(g: ExecutionGraph, t: number, leaveIndex: number): number {
  return leaveIndex - 2 - (g.threads[t]?.[leaveIndex - 1]?.bytes?.part ?? 0);
}

/** Is read `re` a wait's read of its word: the event before it is its wait's enter (waiterList.ts)? */
function readsInWaiterSection(g: ExecutionGraph, re: GraphEvent): boolean {
  // a byte of a wait's read of a byte-by-byte word: the enter is before its first byte
  return re.rmwArgs === null && g.threads[re.thread]?.[re.index - 1 - (re.bytes?.part ?? 0)]?.rmwArgs?.op === 'wl_enter';
}

/** Is this a sleeping waiter's resume (waiterList.ts)? */
function isResume(op: string | undefined): boolean {
  return op === 'wl_resume' || op === 'wl_resume_t';
}

/** A thread's status at a final graph: asleep in a wait (its resume has no list state to read) is blocked. */
function asleep(op: ThreadOp): ThreadOp {
  return op.kind === 'rmw' && isResume(op.op) ? { kind: 'blocked', reason: 'wait', origin: op.origin, reads: 0 } : op;
}

/** The RMW read (another thread's) that read the same write as thread t's last RMW read, if any. */
function conflictingRmw(g: ExecutionGraph, t: number): GraphEvent | null {
  const list = g.threads[t] as GraphEvent[];
  const own = list[list.length - 2];
  if (own === undefined || own.kind !== 'read') return null;
  for (const other of g.threads) {
    for (let i = 0; i < other.length; i++) {
      const e = other[i] as GraphEvent;
      if (e !== own && e.kind === 'read' && e.rf === own.rf && e.slot === own.slot && other[i + 1]?.rmw === 'write') return e;
    }
  }
  return null;
}

/** The display name of each memory word ("x", "a[2]"; "(sc fences)" for the hidden fence location, "(waiters of x)" for a waiter list), names built once. */
export function slotNamer(program: IrProgram): (slot: number) => string {
  const names = slotNames(program);
  return (slot) => {
    if (isByteSlot(slot)) return `${names[wordOfByteSlot(slot)] ?? `#${wordOfByteSlot(slot)}`} byte ${byteOfByteSlot(slot)}`;
    const waited = waitedSlot(program.memorySize, slot);
    return names[slot] ?? (waited >= 0 ? `(waiters of ${names[waited] ?? `#${waited}`})` : '(sc fences)');
  };
}

/** Each thread's registers after its events in `g`, the threads re-run as the explorer runs them. */
export function graphRegisters(program: IrProgram, g: ExecutionGraph, unroll = DEFAULT_UNROLL): Int32Array[] {
  // the graph says which rule its model has: a failed compareExchange followed by its write (GraphModel.failedCasWrites)
  const failedCasWrites = g.threads.some((list) => list.some((e, i) => e.rmw === 'read' && e.rmwArgs?.op === 'cmpxchg' && e.value !== e.rmwArgs.expected && list[i + 1]?.rmw === 'write'));
  const threads = new Threads(program, unroll, program.memorySize, failedCasWrites);
  return program.threads.map((_, t) => {
    const runner = threads.runners[t] as IrThreadRunner;
    // run on through the local instructions after the last event (unless an RMW's write is due)
    if (!threads.sync(t, g.threads[t] ?? [])) runner.next();
    return runner.registers();
  });
}

/** Per thread, how many of its first events are in the porf-prefix of event `a` (a included). */
export function porfView(g: ExecutionGraph, a: number): number[] {
  const view = g.threads.map(() => 0);
  const todo: number[] = [a];
  while (todo.length > 0) {
    const ref = todo.pop() as number;
    if (ref < 0) continue;
    const t = Math.floor(ref / REF_STRIDE);
    const i = ref % REF_STRIDE;
    const from = view[t] as number;
    if (i < from) continue;
    view[t] = i + 1;
    const list = g.threads[t] as GraphEvent[];
    for (let k = from; k <= i; k++) {
      const e = list[k] as GraphEvent;
      if (e.kind === 'read') todo.push(e.rf);
    }
  }
  return view;
}
