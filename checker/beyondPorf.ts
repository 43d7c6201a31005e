/**
 * The executions the execution-graph explorer never builds, enumerated: candidate executions in
 * the manner of herd7 (Alglave, Maranget, Tautschnig, "Herding cats", TOPLAS 36(2), 2014, §8:
 * each thread's runs with read values drawn from a value set, then every reads-from and every
 * coherence order, each candidate judged by the model), kept only where the explorer cannot
 * have built them.
 *
 * Why: checker/graphExplorer.ts adds events in po ∪ rf order and places an RMW's write right
 * after the write its read reads (a later write may still land between them), so every graph it
 * builds has an acyclic po ∪ rf, and some RMWs that are not atomic are missed. The ECMAScript
 * model (model/memory/graph/js.ts) allows both: it has no no-thin-air axiom, so load buffering
 * with Unordered accesses is allowed, and RMW atomicity holds only against SeqCst writes
 * (checker/unbuiltExecutions.ts says when the program text lets such an execution exist at all).
 * The explorer counts only its graphs whose RMWs are all atomic in coherence (`rmwsAdjacent`,
 * under GraphExploreOptions.leaveNonAtomicRmws; it still records what the others show), and this
 * file judges every candidate that has a po ∪ rf cycle or an RMW that is not (the explorer built
 * none of the first and counted none of the second) with FinalGraphJudge, exactly as the explorer
 * judges its own final graphs (consistency, outcomes with the model's final memories, the
 * condition, assertions, regions, races, deadlocks). The two sets partition the candidates by a
 * property of the execution alone, so the sum of the two counts is every consistent execution,
 * each once, and a sharded exploration (each shard its part of the explorer's) adds one
 * enumeration to it.
 *
 * The value set D (what a read may return). The axioms allow any value a circular justification
 * supports: `r = x; y = r ‖ r = y; x = r` may end with 42 everywhere (out of thin air; see
 * examples/js/VERDICTS.md). That is not built. A read returns a value of D, the least set that
 * holds every location's initial value and every value some thread writes when its reads return
 * values of D; grown round by round, D_k holds the values a chain of at most k writes produces
 * from the initial values. A chain inside one execution without a circular justification visits
 * each of its write events at most once, so D is cut at W + 1 rounds, W the most write events the
 * threads' runs can have together: every value a non-circular justification can produce is then
 * in D. So the answer is the model's with out-of-thin-air values left out — what the docs and the
 * model's `notModelled` say — and nothing else is approximated.
 *
 * Mixed size: a location accessed through narrower views is modelled byte by byte, as the
 * explorer models it (model/semantics/byteSlots.ts): its accesses are byte events, a read of
 * such a byte returns a value of that byte slot's own set (its initial byte and every byte
 * written to it, grown with D, round by round), and reads-from and coherence are chosen per byte.
 * An RMW of such a location is byte reads then byte writes, which the explorer already places at
 * every position of each byte's coherence; so only the po ∪ rf cycles are left here for such
 * RMWs, and `rmwsAdjacent` (word RMWs) decides the rest, as in the explorer.
 *
 * Exponential by nature (runs × reads-from × coherence permutations): meant for litmus-sized
 * programs. The work is bounded (DEFAULT_MAX_CANDIDATES, the time limit, the memory budget) and
 * a cut or refused enumeration leaves the answer inconclusive, never a pass. Not taken: programs
 * with wait/notify (their waiter-list events), and value sets or runs past MAX_DOMAIN / MAX_RUNS.
 */
import type { IrProgram } from '../model/ir.js';
import { ExecutionGraph, eventRef, initRef, REF_STRIDE } from '../model/memory/graph/index.js';
import type { GraphEvent, GraphModel } from '../model/memory/graph/index.js';
import { IrThreadRunner, rmwWrite } from '../model/semantics/irThreads.js';
import { byteSlot, byteWords } from '../model/semantics/byteSlots.js';
import { FinalGraphJudge, initialValues, rmwsAdjacent, type GraphExploration } from './graphExplorer.js';
import type { Sliced } from './sliced.js';

/** The most values a read may be given (the value set D). */
export const MAX_DOMAIN = 32;
/** The most runs of one thread alone. */
export const MAX_RUNS = 4096;
/** The most operations the threads' runs may take together, over every round of the value set (the preparation's work bound). */
export const MAX_RUN_STEPS = 50_000;
/** The most candidates (a choice of runs, reads-from and coherence) visited, by default: a few seconds of judging. */
export const DEFAULT_MAX_CANDIDATES = 200_000;
/** Candidates between two pauses (sliced.ts) and clock reads. */
const PAUSE_EVERY = 256;

export interface BeyondPorfOptions {
  readonly model: GraphModel;
  readonly unroll: number;
  /** refuse a program with more candidates than this (counted before any is judged) */
  readonly maxCandidates?: number;
  /** stop (budget 'time') after this many milliseconds of the injected clock */
  readonly timeLimitMs?: number;
  readonly maxMemoryBytes?: number;
  readonly now?: () => number;
  /** called with each complete execution's graph and outcome, as GraphExploreOptions.onOutcome */
  readonly onOutcome?: (g: ExecutionGraph, values: readonly number[], satisfies: boolean | null) => void;
}

/** The value set and every thread's runs over it: what the enumeration needs before the explorer runs. */
export interface BeyondPorfPlan {
  readonly kind: 'ready';
  readonly domain: readonly number[];
  readonly runs: readonly (readonly Run[])[];
}

/** What the enumeration did. */
export type BeyondPorf =
  | { readonly kind: 'complete'; readonly exploration: GraphExploration; readonly candidates: number; readonly domain: readonly number[] }
  | { readonly kind: 'cut'; readonly exploration: GraphExploration; readonly candidates: number; readonly budget: 'time' | 'memory' | 'interrupted' }
  | { readonly kind: 'refused'; readonly why: string };

/** One event of a run, before reads-from is chosen. */
type RunEvent = Omit<GraphEvent, 'index' | 'stamp' | 'rf'>;

/** One run of a thread alone, to its end (done, blocked or an error). */
interface Run {
  readonly events: readonly RunEvent[];
  readonly writes: number;
}

class Refused extends Error {}

/** Why this program is not enumerated, or null (cheap: the explorer records its final graphs only when this is null). */
export function beyondPorfRefusal(program: IrProgram, model: GraphModel): string | null {
  for (const th of program.threads) {
    for (const i of th.code) {
      if (i.kind === 'wait' || i.kind === 'notify') return 'the program uses wait/notify';
      if (i.kind === 'fence' && model.scFenceAsRmw === true) return 'the program has fences';
    }
  }
  return null;
}

/** Every run of thread t alone whose reads return values of `domain`, depth first over the values read. */
function runsOf(program: IrProgram, t: number, domain: readonly number[], bytes: ReadonlyMap<number, readonly number[]>, unroll: number, failedCasWrites: boolean, steps: { n: number }): Run[] {
  const runner = new IrThreadRunner(program, t, { unroll, failedCasWrites });
  const runs: Run[] = [];
  const prefixes: number[][] = [[]];
  while (prefixes.length > 0) {
    const prefix = prefixes.pop() as number[];
    runner.reset();
    const events: RunEvent[] = [];
    let writes = 0;
    let k = 0;
    for (;;) {
      if (++steps.n > MAX_RUN_STEPS) throw new Refused(`its threads' runs take more than ${MAX_RUN_STEPS} steps`);
      const op = runner.next();
      if (op.kind === 'done' || op.kind === 'blocked' || op.kind === 'error') {
        if (runs.length >= MAX_RUNS) throw new Refused(`a thread has more than ${MAX_RUNS} runs`);
        runs.push({ events, writes });
        break;
      }
      const base = { thread: t, rmwArgs: null, addedMax: true, revisitable: true, region: -1, origin: op.origin } as const;
      if (op.kind === 'write') {
        events.push({ ...base, kind: 'write', slot: op.slot, mode: op.mode, value: op.value, rmw: 'none', ...(op.bytes === undefined ? {} : { bytes: op.bytes }) });
        writes++;
        runner.resume(0);
        continue;
      }
      if (op.kind === 'fence' || op.kind === 'enter' || op.kind === 'exit') {
        events.push({ ...base, kind: op.kind, slot: -1, mode: op.kind === 'fence' ? op.mode : 'plain', value: 0, rmw: 'none', region: op.kind === 'fence' ? -1 : op.region });
        runner.resume(0);
        continue;
      }
      if (op.kind !== 'read' && op.kind !== 'rmw') throw new Error(`internal error: unexpected ${op.kind} (this is a bug in memweave)`);
      if (k === prefix.length) {
        // branch on the value read (a byte event's: one of its byte slot's values): the other children are explored later (reverse order: the first value first)
        const values = op.kind === 'read' && op.bytes !== undefined ? (bytes.get(op.slot) ?? []) : domain;
        for (let i = values.length - 1; i >= 0; i--) prefixes.push([...prefix, values[i] as number]);
        break;
      }
      const v = prefix[k++] as number;
      if (op.kind === 'read') {
        events.push({ ...base, kind: 'read', slot: op.slot, mode: op.mode, value: v, rmw: 'none', ...(op.bytes === undefined ? {} : { bytes: op.bytes }) });
      } else {
        const args = { op: op.op, operand: op.operand, expected: op.expected };
        events.push({ ...base, kind: 'read', slot: op.slot, mode: op.mode, value: v, rmw: 'read', rmwArgs: args });
        const w = rmwWrite(args, v, failedCasWrites);
        if (w !== null) {
          events.push({ ...base, kind: 'write', slot: op.slot, mode: op.mode, value: w, rmw: 'write' });
          writes++;
        }
      }
      runner.resume(v);
    }
  }
  return runs;
}

/** The value set D and every thread's runs over it (see the file comment); each byte slot of a byte-by-byte location has its own set. */
function valueSet(program: IrProgram, unroll: number, failedCasWrites: boolean): { domain: number[]; runs: Run[][] } {
  const domain = new Set<number>([0]);
  for (const loc of program.locations) for (const v of loc.init) domain.add(v);
  const initial = initialValues(program);
  const bytes = new Map<number, Set<number>>();
  byteWords(program)?.forEach((on, w) => {
    if (on === 1) for (let b = 0; b < 4; b++) bytes.set(byteSlot(w, b), new Set([initial(byteSlot(w, b))]));
  });
  const size = (): number => [...bytes.values()].reduce((n, set) => n + set.size, domain.size);
  const steps = { n: 0 };
  for (let round = 0; ; round++) {
    const sorted = [...domain].sort((a, b) => a - b);
    const byteValues = new Map([...bytes].map(([slot, set]) => [slot, [...set].sort((a, b) => a - b)]));
    const runs = program.threads.map((_, t) => runsOf(program, t, sorted, byteValues, unroll, failedCasWrites, steps));
    const chain = runs.reduce((n, rs) => n + rs.reduce((m, r) => Math.max(m, r.writes), 0), 0);
    const before = size();
    for (const rs of runs) {
      for (const r of rs) {
        for (const e of r.events) {
          if (e.kind !== 'write') continue;
          if (e.bytes === undefined) domain.add(e.value);
          else bytes.get(e.slot)?.add(e.value);
        }
      }
    }
    if (size() === before || round >= chain + 1) return { domain: sorted, runs };
    if (domain.size > MAX_DOMAIN) throw new Refused(`more than ${MAX_DOMAIN} values may be read`);
  }
}

/** A candidate's events, numbered thread by thread, for the cycle test. */
interface Combination {
  readonly runs: readonly Run[];
  /** first number of each thread's events */
  readonly offset: readonly number[];
  readonly size: number;
  /** the reads: thread, index, slot, value, and the writes (references) it may read from */
  readonly reads: readonly { readonly t: number; readonly i: number; readonly choices: readonly number[] }[];
  /** per slot with writes: the writes (references) */
  readonly writes: ReadonlyMap<number, readonly number[]>;
  /** some event is an RMW's */
  readonly rmw: boolean;
}

function combination(runs: readonly Run[], initial: (slot: number) => number): Combination | null {
  const offset: number[] = [];
  let size = 0;
  const writes = new Map<number, number[]>();
  runs.forEach((run, t) => {
    offset.push(size);
    size += run.events.length;
    run.events.forEach((e, i) => {
      if (e.kind !== 'write') return;
      const ws = writes.get(e.slot) ?? [];
      ws.push(eventRef(t, i));
      writes.set(e.slot, ws);
    });
  });
  const reads: { t: number; i: number; choices: number[] }[] = [];
  for (let t = 0; t < runs.length; t++) {
    const events = (runs[t] as Run).events;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as RunEvent;
      if (e.kind !== 'read') continue;
      // a write its value; not one of its own thread's later writes (Coherent Reads: R hb W)
      const choices = (writes.get(e.slot) ?? []).filter((w) => {
        const wt = Math.floor(w / REF_STRIDE);
        const wi = w % REF_STRIDE;
        return (runs[wt] as Run).events[wi]?.value === e.value && (wt !== t || wi < i);
      });
      if (initial(e.slot) === e.value) choices.unshift(initRef(e.slot));
      if (choices.length === 0) return null;
      reads.push({ t, i, choices });
    }
  }
  return { runs, offset, size, reads, writes, rmw: runs.some((r) => r.events.some((e) => e.rmw !== 'none')) };
}

/** po ∪ rf has a cycle (Kahn's algorithm over the candidate's events). */
function porfCyclic(c: Combination, rf: Int32Array, indeg: Int32Array, queue: Int32Array): boolean {
  const n = c.size;
  indeg.fill(0, 0, n);
  // rf edges: write → read, at most one in-edge per read; a write may have many readers (kept as a list below)
  const readerLists = new Map<number, number[]>();
  c.reads.forEach((r, k) => {
    const w = rf[k] as number;
    if (w < 0) return;
    const from = (c.offset[Math.floor(w / REF_STRIDE)] as number) + (w % REF_STRIDE);
    const to = (c.offset[r.t] as number) + r.i;
    indeg[to] = (indeg[to] as number) + 1;
    const list = readerLists.get(from) ?? [];
    list.push(to);
    readerLists.set(from, list);
  });
  // po edges
  c.runs.forEach((run, t) => {
    for (let i = 1; i < run.events.length; i++) {
      const id = (c.offset[t] as number) + i;
      indeg[id] = (indeg[id] as number) + 1;
    }
  });
  let head = 0;
  let tail = 0;
  for (let id = 0; id < n; id++) if (indeg[id] === 0) queue[tail++] = id;
  const threadOf = (id: number): number => {
    let t = 0;
    while (t + 1 < c.offset.length && (c.offset[t + 1] as number) <= id) t++;
    return t;
  };
  let seen = 0;
  while (head < tail) {
    const id = queue[head++] as number;
    seen++;
    const t = threadOf(id);
    const next = id + 1;
    const release = (to: number): void => {
      indeg[to] = (indeg[to] as number) - 1;
      if (indeg[to] === 0) queue[tail++] = to;
    };
    if (next < (c.offset[t] as number) + (c.runs[t] as Run).events.length) release(next);
    for (const to of readerLists.get(id) ?? []) release(to);
  }
  return seen < n;
}

/** Every permutation of xs, lazily. */
function* permutations(xs: readonly number[]): Generator<number[]> {
  if (xs.length <= 1) {
    yield xs.slice();
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) yield [xs[i] as number, ...p];
  }
}

/** The value set and the runs, or why the program is not enumerated. */
export function prepareBeyondPorf(program: IrProgram, model: GraphModel, unroll: number): BeyondPorfPlan | { readonly kind: 'refused'; readonly why: string } {
  const why = beyondPorfRefusal(program, model);
  if (why !== null) return { kind: 'refused', why };
  try {
    const set = valueSet(program, unroll, model.failedCasWrites === true);
    return { kind: 'ready', domain: set.domain, runs: set.runs };
  } catch (e) {
    if (e instanceof Refused) return { kind: 'refused', why: e.message };
    throw e;
  }
}

/**
 * Judge every candidate execution of `program` under `options.model` that has a po ∪ rf cycle or
 * a non-atomic RMW, counted as the explorer counts its own; sliced (it pauses every PAUSE_EVERY candidates).
 */
export function* exploreBeyondPorfSliced(program: IrProgram, set: BeyondPorfPlan, options: BeyondPorfOptions): Sliced<BeyondPorf> {
  const initial = initialValues(program);
  const judge = new FinalGraphJudge(program, {
    model: options.model,
    unroll: options.unroll,
    ...(options.maxMemoryBytes !== undefined ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
    ...(options.onOutcome !== undefined ? { onOutcome: options.onOutcome } : {}),
  });
  const now = options.now ?? (() => 0);
  const start = now();
  const maxCandidates = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  if (set.runs.some((rs) => rs.length === 0)) return { kind: 'complete', exploration: judge.result, candidates: 0, domain: set.domain };
  // the enumeration's size, bounded before any candidate is judged: one too big is refused at once
  const size = candidateBound(set, initial, maxCandidates);
  if (size > maxCandidates) return { kind: 'refused', why: `it has more than ${maxCandidates} candidate executions (runs × reads-from × coherence orders)` };
  const pace = new Pace(judge, options.timeLimitMs, now, start);
  for (const c of combinations(set, initial)) if (c !== null && (yield* candidatesOf(c, judge, pace))) break;
  if (pace.cut !== null) return { kind: 'cut', exploration: judge.result, candidates: pace.candidates, budget: pace.cut };
  return { kind: 'complete', exploration: judge.result, candidates: pace.candidates, domain: set.domain };
}

/** The candidates visited, and when the enumeration pauses (every PAUSE_EVERY) and stops. */
class Pace {
  candidates = 0;
  cut: 'time' | 'memory' | 'interrupted' | null = null;

  private readonly judge: FinalGraphJudge;
  private readonly timeLimitMs: number | undefined;
  private readonly now: () => number;
  private readonly start: number;

  constructor(judge: FinalGraphJudge, timeLimitMs: number | undefined, now: () => number, start: number) {
    this.judge = judge;
    this.timeLimitMs = timeLimitMs;
    this.now = now;
    this.start = start;
  }

  /** Count one candidate; true when a pause is due (then `pause` says whether to stop). */
  step(): boolean {
    this.candidates++;
    if (this.judge.outOfMemory) this.cut = 'memory';
    return this.cut !== null || this.candidates % PAUSE_EVERY === 0;
  }

  /** A pause (sliced.ts), the clock read: true when the enumeration must stop. */
  *pause(): Generator<void, boolean, boolean> {
    if (this.cut === null) {
      if (yield) this.cut = 'interrupted';
      else if (this.timeLimitMs !== undefined && this.now() - this.start > this.timeLimitMs) this.cut = 'time';
    }
    return this.cut !== null;
  }
}

/** Every combination of one run per thread (mixed radix), as a Combination, or null when some read has no write of its value. */
function* combinations(set: BeyondPorfPlan, initial: (slot: number) => number): Generator<Combination | null> {
  const T = set.runs.length;
  const choice = new Array<number>(T).fill(0);
  for (;;) {
    yield combination(
      choice.map((k, t) => (set.runs[t] as Run[])[k] as Run),
      initial,
    );
    let t = 0;
    while (t < T && (choice[t] = (choice[t] as number) + 1) >= (set.runs[t] as Run[]).length) choice[t++] = 0;
    if (t === T) return;
  }
}

/**
 * An upper bound on the candidates the enumeration visits (each combination of runs: the product
 * of its reads' choices times the product of its slots' coherence permutations), or a number past
 * `limit` as soon as the count passes it.
 */
function candidateBound(set: BeyondPorfPlan, initial: (slot: number) => number, limit: number): number {
  let combos = 1;
  for (const rs of set.runs) {
    combos *= rs.length;
    if (combos > limit) return Infinity; // too many combinations of runs even to count
  }
  let total = 0;
  for (const c of combinations(set, initial)) {
    if (c === null) continue;
    let n = 1;
    for (const r of c.reads) n *= r.choices.length;
    for (const ws of c.writes.values()) for (let k = 2; k <= ws.length; k++) n *= k;
    total += n;
    if (total > limit) return total;
  }
  return total;
}

/** Every reads-from and coherence choice of one combination of runs; true when `pace` said stop. */
function* candidatesOf(c: Combination, judge: FinalGraphJudge, pace: Pace): Generator<void, boolean, boolean> {
  const rf = new Int32Array(c.reads.length);
  const indeg = new Int32Array(c.size);
  const queue = new Int32Array(c.size);
  const slots = [...c.writes.keys()];
  const pos = new Array<number>(c.reads.length).fill(0);
  for (;;) {
    for (let k = 0; k < c.reads.length; k++) rf[k] = (c.reads[k] as Combination['reads'][number]).choices[pos[k] as number] as number;
    const cyclic = porfCyclic(c, rf, indeg, queue);
    // acyclic without an RMW: the explorer's (every RMW is trivially atomic), so its coherence orders are skipped
    if (cyclic || c.rmw) {
      if (yield* coChoices(c, rf, slots, cyclic, judge, pace)) return true;
    } else if (pace.step() && (yield* pace.pause())) return true;
    let k = 0;
    while (k < c.reads.length && (pos[k] = (pos[k] as number) + 1) >= (c.reads[k] as Combination['reads'][number]).choices.length) pos[k++] = 0;
    if (k === c.reads.length) return false;
  }
}

/** Every coherence order of the slots' writes for one reads-from; the explorer's own (acyclic, every RMW atomic) are skipped. */
function* coChoices(c: Combination, rf: Int32Array, slots: readonly number[], cyclic: boolean, judge: FinalGraphJudge, pace: Pace): Generator<void, boolean, boolean> {
  const orders = slots.map((s) => [...permutations(c.writes.get(s) ?? [])]);
  const pick = new Array<number>(slots.length).fill(0);
  for (;;) {
    const co = new Map<number, number[]>();
    slots.forEach((s, i) => co.set(s, (orders[i] as number[][])[pick[i] as number] as number[]));
    const g = build(c, rf, co);
    if (cyclic || !rmwsAdjacent(g)) judge.judge(g);
    if (pace.step() && (yield* pace.pause())) return true;
    let i = 0;
    while (i < slots.length && (pick[i] = (pick[i] as number) + 1) >= (orders[i] as number[][]).length) pick[i++] = 0;
    if (i === slots.length) return false;
  }
}

/** The candidate as an execution graph. */
function build(c: Combination, rf: Int32Array, co: ReadonlyMap<number, number[]>): ExecutionGraph {
  const g = new ExecutionGraph(c.runs.length);
  const rfOf = new Map<number, number>();
  c.reads.forEach((r, k) => rfOf.set(eventRef(r.t, r.i), rf[k] as number));
  c.runs.forEach((run, t) => run.events.forEach((e, i) => g.push({ ...e, rf: rfOf.get(eventRef(t, i)) ?? -1 })));
  for (const [slot, ws] of co) g.co.set(slot, ws.slice());
  return g;
}
