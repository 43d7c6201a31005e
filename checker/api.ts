/**
 * The checker's public contract: what `check` takes and what it answers. The CLI, the tests and
 * the oracle comparisons depend on these types only.
 */
import type { IrProgram } from '../model/ir.js';
import type { StepEvent } from '../model/semantics/machine.js';
import type { RuntimeErrorCode } from '../model/semantics/eval.js';
import type { GraphSteal } from './graphSteal.js';

export type { StepEvent } from '../model/semantics/machine.js';

import { MODEL_NAMES as STATE_MODEL_NAMES, isModelName, type ModelName as StateModelName } from '../model/memory/registry.js';
import { GRAPH_MODEL_NAMES, GRAPH_VARIANT_NAMES, type GraphModelName } from '../model/memory/graph/index.js';

/** Memory models the stateful search explores: the operational registry's (model/memory/registry.ts). */
export const MODEL_NAMES: readonly StateModelName[] = STATE_MODEL_NAMES;
/** Memory models only the execution-graph engine explores (axiomatic: model/memory/graph/). */
export const GRAPH_ONLY_MODEL_NAMES: readonly GraphModelName[] = GRAPH_MODEL_NAMES.filter((n) => !isModelName(n));
/** A model `check` accepts: an operational one, or an axiomatic one. */
export type ModelName = StateModelName | GraphModelName;
/** Every model `check` accepts, the operational ones first. */
export const CHECK_MODEL_NAMES: readonly ModelName[] = [...MODEL_NAMES, ...GRAPH_ONLY_MODEL_NAMES];
/** Models kept to show how a model changed (js2017), which `--model all` leaves out. */
export const VARIANT_MODEL_NAMES: readonly ModelName[] = GRAPH_VARIANT_NAMES;

/** True for the models the stateful search serves. */
export function isStateModel(m: ModelName): m is StateModelName {
  return isModelName(m);
}

/** The stateful model of a name; an internal bug when it has none (callers route graph-only models to the graph engine). */
export function stateModel(m: ModelName): StateModelName {
  if (!isStateModel(m)) throw new Error(`internal error: model '${m}' has no stateful machine, only the graph engine serves it (this is a bug in memweave)`);
  return m;
}

/** The explorers behind `check`: the stateful search and the execution-graph engine. */
export const ENGINE_NAMES = ['state', 'graph'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Search strategies. */
export const STRATEGY_NAMES = ['bfs', 'dfs'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Options for one exploration (M: the model names of the registry in use; memweave's by default). */
export interface CheckOptions<M extends string = ModelName> {
  readonly model: M;
  readonly strategy?: StrategyName;
  /** stop (inconclusive) after storing this many states */
  readonly maxStates?: number;
  /** stop (inconclusive) after this many milliseconds */
  readonly timeLimitMs?: number;
  /** stop (inconclusive) when the visited set and frontier would pass this many bytes */
  readonly maxMemoryBytes?: number;
  /** bound on each store buffer (tso/pso); reaching it is reported in stats */
  readonly bufferBound?: number;
  /** called about once a second with progress (the stateful search: states, frontier, bytes; the graph engine: executions) */
  readonly onProgress?: (p: Progress) => void;
  /** injected clock (ms), so the checker stays deterministic and testable */
  readonly now?: () => number;
  /** symmetry reduction over instances of a thread template (checker/symmetry.ts); default true */
  readonly symmetry?: boolean;
  /** partial-order reduction with single-transition ample sets (checker/por.ts); default true */
  readonly por?: boolean;
  /** reset registers that are dead at a thread's pc to 0 (checker/deadRegisters.ts); default true */
  readonly deadRegisters?: boolean;
  /** store 64-bit fingerprints instead of states (checker/fingerprints.ts): an under-approximation, reported in stats.hashCompact; default false */
  readonly hashCompact?: boolean;
  /**
   * Stateful search: expand each state's transitions starting from a seeded rotation of the
   * machine's order (a function of the seed and the state's slot), so that searches with different
   * seeds reach the space in different orders — the swarm of SPIN (Holzmann, Joshi, Groce,
   * "Swarm verification techniques", IEEE TSE 37(6), 2011) behind `check --shard I/N` on the
   * stateful engine. The states, verdicts and outcomes of a complete search are the same for every
   * seed; what a budget leaves unexplored differs. 0 or absent: the machine's order.
   */
  readonly swarmSeed?: number;
  /** which explorer: 'state' (default for sc, tso, pso) or 'graph' (the only one for ra, rc11 and js2017; also serves sc, tso and js); unset under js: the SC-DRF route (the stateful search, then the graph engine when it finds a race: checker/check.ts) */
  readonly engine?: EngineName;
  /** graph engine: most iterations of a loop that is not a spin loop, per entry (default 32); reaching it makes the answer inconclusive */
  readonly unroll?: number;
  /** graph engine: explore only part `index` of `count` of its tree (a prefix partition, checker/graphExplorer.ts shardSplitDepth); the parts are disjoint and their union is the whole */
  readonly shard?: { readonly index: number; readonly count: number };
  /** graph engine, set by `check --workers` in each thread: this thread's side of the threads' work stealing (checker/graphSteal.ts); not with `shard` */
  readonly graphSteal?: GraphSteal;
}

/** A progress report, about once a second: the stateful search's (states stored) or the execution-graph engine's (executions so far). */
export type Progress = StateProgress | GraphProgress;

/** The stateful search's progress. */
export interface StateProgress {
  readonly engine: 'state';
  readonly states: number;
  readonly transitions: number;
  readonly frontier: number;
  readonly bytes: number;
  readonly elapsedMs: number;
}

/** The execution-graph engine's progress: complete executions and graphs judged so far. */
export interface GraphProgress {
  readonly engine: 'graph';
  readonly executions: number;
  readonly graphs: number;
  readonly elapsedMs: number;
}

/** One final outcome: the observable values, in IrProgram.observables order. */
export interface Outcome {
  /** display name → value, e.g. { "P0:r0": 0, "x": 1 } */
  readonly values: Readonly<Record<string, number>>;
  /** whether the final condition's proposition holds in this outcome (null without a condition) */
  readonly satisfies: boolean | null;
  /**
   * number of distinct final states reaching this outcome (herd's witness counting is per
   * execution; ours is per final state). With dead-register reset on (the default), registers no
   * outcome, condition or filter reads are 0 in final states, so final states differing only in
   * them count once; symmetry and partial-order reduction leave the count exact.
   */
  readonly finalStates: number;
}

/** The kinds of property violation. */
export const VIOLATION_KINDS = ['assert', 'deadlock', 'livelock', 'mutex', 'race', 'runtime', 'condition'] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

/** One row of a counterexample trace. */
export interface TraceStep {
  /** thread index that moved (for a store-buffer drain: the buffer's owner) */
  readonly thread: number;
  readonly threadName: string;
  /** what happened: 'instr' = the thread executed an instruction; 'drain' = a buffered store reached memory; 'timeout' = a wait timed out */
  readonly action: string;
  /** source text of the instruction, or a description of the drain */
  readonly text: string;
  /** "file:line" of the instruction ('' for drains) */
  readonly location: string;
  /** values read/written, e.g. "read y = 0", "write x = 1 (buffered)" */
  readonly effect: string;
  /** store buffers after the step, per thread, rendered (models with buffers only; empty otherwise) */
  readonly buffers: readonly string[];
  /** the step's effect on shared memory as data (read, write, rmw, fence, drain, notify), null when it touches no memory: renderers draw from this, never from `effect` */
  readonly event: StepEvent | null;
}

/** A property violation with its counterexample. */
export interface Violation {
  readonly kind: ViolationKind;
  readonly message: string;
  readonly trace: readonly TraceStep[];
  /** final state: memory and registers, rendered name → value */
  readonly finalState: Readonly<Record<string, number>>;
  /** token accepted by `memweave check FILE --replay TOKEN` */
  readonly replay: string;
  /** for a run-time error, its catalogued code: R601 (index out of bounds) or R602 (division by zero) */
  readonly code?: RuntimeErrorCode;
}

/** herd's condition verdict. */
export interface ConditionResult {
  readonly kind: 'exists' | 'not exists' | 'forall';
  readonly text: string;
  /** herd's Ok (true) / No (false) */
  readonly validated: boolean;
  /** final states where the proposition holds / does not */
  readonly positive: number;
  readonly negative: number;
  /** herd's Observation line: Never (no outcome satisfies), Sometimes, Always (all do) */
  readonly observation: 'Never' | 'Sometimes' | 'Always';
}

/** Exploration statistics. */
export interface CheckStats {
  readonly statesStored: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly finalStates: number;
  /** executions cut short by an assert failure or a run-time error (counted per violating step; their ends are not final states, so not in the outcomes or the condition's counts) */
  readonly cutExecutions?: number;
  readonly ms: number;
  readonly peakBytes: number;
  readonly bytesPerState: number;
  /** true when a store buffer hit its bound somewhere (exploration is then an under-approximation) */
  readonly bufferBoundHit: boolean;
  /** livelock detection: 'checked'; skipped because the edge list passed the memory budget; or skipped because the search was incomplete */
  readonly livelockCheck?: 'checked' | 'skipped-memory' | 'skipped-incomplete';
  /** symmetry reduction: 'on', 'off (why)' when asked for but unsound or switched off, 'n/a' when no template has two interchangeable instances */
  readonly symmetry?: string;
  /** concrete states the stored states stand for (each representative counts its orbit); equals the unreduced count when por is off */
  readonly symmetryStates?: number;
  /** partial-order reduction: 'on', 'off' (switched off), or 'n/a' (an opaque machine: no footprints) */
  readonly por?: string;
  /** transitions not taken because a single-transition ample set sufficed */
  readonly porPruned?: number;
  /** states expanded with an ample set (the rest were fully expanded: the cycle proviso, or no safe transition) */
  readonly porAmple?: number;
  /** dead-register reset: 'on', 'off (--no-dead-registers)', or 'n/a' (no register is ever dead, or an opaque machine) */
  readonly deadRegisters?: string;
  /** statement merging (with partial-order reduction; checker/merge.ts): thread-local instructions run inside another step, their states not stored */
  readonly mergedSteps?: number;
  /** dead-register reset: successor states in which it cleared a stale value (each may then be one stored state with others that differ only there) */
  readonly deadCleared?: number;
  /** the explorer that answered: 'state' (the stateful search; absent means state) or 'graph' (execution graphs, checker/graphExplorer.ts) */
  readonly engine?: 'state' | 'graph';
  /** graph engine: complete consistent executions */
  readonly executions?: number;
  /** graph engine: final graphs that are not complete executions, by reason (an assume; an await or spin loop that read stale values; a loop bound; a thread's error) */
  readonly blocked?: { readonly assume: number; readonly await: number; readonly spin: number; readonly bound: number; readonly error: number };
  /** graph engine: graphs judged by the consistency predicate */
  readonly graphs?: number;
  /** graph engine: a loop reached this --unroll bound (the search is then incomplete) */
  readonly unrollHit?: number;
  /** graph engine: why executions the model allows but the engine does not build may exist (budgetExhausted is then 'unexplored') */
  readonly unexplored?: string;
  /** graph engine under a model with executions it does not build (js): the candidates checker/beyondPorf.ts enumerated (po ∪ rf cycles, RMWs not next to the write they read) and the complete consistent executions among them, counted in `executions` too */
  readonly beyondPorf?: { readonly candidates: number; readonly executions: number };
  /** graph engine on several threads (`--workers`): how many stack entries changed threads (checker/graphSteal.ts) */
  readonly graphSteals?: number;
  /** the threads the search ran on, when more than one (`check --workers N`, or a `check` without it that outgrew its start on one thread: cli/parallelCheck.ts, AUTO_PROBE) */
  readonly threads?: number;
  /** a `check` without `--workers` that outgrew its start on one thread (AUTO_PROBE) and ran again on threads: that start's time (counted in `ms` too) and what it had stored when it stopped (states; on the graph engine, final graphs, complete or blocked, as its budget counts them) */
  readonly oneThreadStart?: { readonly ms: number; readonly stored: number };
  /** the stateful search on several threads (`--workers`): how many frontier entries (states) changed threads by work stealing (checker/parallelSearch.ts) */
  readonly stateSteals?: number;
  /** the stateful search on several threads: how many times its shared table filled and the search started again on one four times as large (cli/parallelCheck.ts, TABLE_START) */
  readonly tableRestarts?: number;
  /**
   * `--model js` without `--engine` (checker/check.ts, checkJsSliced): 'race-free' — the stateful
   * search found no data race in any sequentially consistent execution, so by SC-DRF its answer is
   * the js model's; 'racy' — it found one, and the graph engine answered under the js model
   */
  readonly jsRoute?: 'race-free' | 'racy';
  /** graph engine: why the program could not be checked at all (the answer is inconclusive) */
  readonly unsupported?: string;
  /** present only under hash compaction: fingerprint width, and the estimated probability that two states shared a fingerprint and one was never explored */
  readonly hashCompact?: { readonly bits: 64; readonly omissionProbability: number };
}

/** Why a check is inconclusive (see CheckResult.budgetExhausted). */
export const INCONCLUSIVE_REASONS = ['states', 'time', 'memory', 'interrupted', 'livelock-memory', 'buffer-bound', 'unroll', 'unexplored'] as const;
export type Inconclusive = (typeof INCONCLUSIVE_REASONS)[number];

/** The answer to one `check`. */
export interface CheckResult<M extends string = ModelName> {
  readonly test: string;
  readonly model: M;
  readonly strategy: StrategyName;
  /** pass: every property holds and the search is complete; fail: a violation (or condition failure); inconclusive: a budget ran out */
  readonly verdict: 'pass' | 'fail' | 'inconclusive';
  /**
   * why it was inconclusive, when it was: a budget ran out during the search ('states', 'time',
   * 'memory': outcomes and condition counts are partial); the caller stopped it ('interrupted':
   * `checkAsync`'s signal was aborted; outcomes and counts are partial, and nothing after the stop
   * ran: no livelock detection, no counterexample built, so `violations` is empty); the search completed but livelock
   * detection was skipped for want of memory ('livelock-memory'); or a store buffer reached the
   * default bound, so executions needing more buffered stores were not explored ('buffer-bound';
   * a `bufferBound` given explicitly is the user's bound and does not make the answer inconclusive)
   */
  readonly budgetExhausted: Inconclusive | null;
  readonly outcomes: readonly Outcome[];
  readonly condition: ConditionResult | null;
  readonly violations: readonly Violation[];
  readonly stats: CheckStats;
}

/** The entry point signature (implemented in checker/check.ts, which also takes another model registry). */
export type CheckFn = (program: IrProgram, options: CheckOptions) => CheckResult;
