/**
 * The model checker's entry points: `check` builds the machine of a program under a model of the
 * registry (model/memory/registry.ts) and hands it to an explorer (explorer.ts; the stateful
 * search of statefulSearch.ts by default); `checkMachine` explores a given machine (the seam
 * tests use with hand-made machines). Neither names a model.
 */
import { diag, type Diagnostic } from '../model/diagnostics/diagnostic.js';
import { firstNarrowAccess, type IrProgram } from '../model/ir.js';
import { validateIr } from '../model/irValidate.js';
import { NO_SPAN } from '../model/syntax/source.js';
import { checksRaces, drfModelOf, mixedSizeRefusal, MODELS, type ModelRegistry } from '../model/memory/registry.js';
import { createMachine } from '../model/semantics/createMachine.js';
import type { Machine } from '../model/semantics/machine.js';
import { CHECK_MODEL_NAMES, isStateModel, type CheckFn, type CheckOptions, type CheckResult, type ModelName } from './api.js';
import { GRAPH_REPLAY_VERSION, checkGraphSliced, graphBytesUnsupported, graphModel, graphUnsupported, modeOutside, replayGraph, unsupportedResult } from './graphCheck.js';
import { replay, type ReplayResult } from './replay.js';
import { EXPLORERS, type ExploreEnv, type Explorer } from './explorer.js';
import type { Fingerprint } from './fingerprints.js';
import { statefulExplorer } from './statefulSearch.js';
import { runSliced, runToEnd, type Sliced, type StopRequest } from './sliced.js';

export { DEFAULT_MAX_MEMORY_BYTES } from './statefulSearch.js';

const perf = (globalThis as { readonly performance?: { now(): number } }).performance;

/** The default clock: performance.now() when the host has it, else Date.now(). */
export function defaultClock(): number {
  return perf !== undefined ? perf.now() : Date.now();
}

/** Check a program under one memory model. */
export function check(program: IrProgram, options: CheckOptions): CheckResult;
/** Check a program under a model of another registry (a registry with an added model). */
export function check<M extends string>(program: IrProgram, options: CheckOptions<M>, models: ModelRegistry<M>): CheckResult<M>;
export function check<M extends string>(program: IrProgram, options: CheckOptions<M>, models?: ModelRegistry<M>): CheckResult<M> {
  return runToEnd(checkSliced(program, options, models));
}
check satisfies CheckFn;

/** What `checkAsync` takes besides the check's options. */
export interface AsyncCheckOptions {
  /** stop the check when this is aborted (an AbortSignal): the answer is then budgetExhausted 'interrupted' */
  readonly signal?: StopRequest;
  /** milliseconds of work between turns of the event loop (default DEFAULT_SLICE_MS); 0: a turn at every pause (tests) */
  readonly sliceMs?: number;
}

/**
 * `check` without holding the event loop: the same exploration (the same loop, the same counts)
 * run in slices of a few tens of milliseconds with a turn of the event loop between them, so a
 * signal handler, a timer or an `AbortSignal` can stop it. An aborted signal stops the check at its
 * next pause (within a slice): the answer is inconclusive with budgetExhausted 'interrupted',
 * partial outcomes and statistics, and no violations (nothing after the stop runs).
 */
export function checkAsync(program: IrProgram, options: CheckOptions & AsyncCheckOptions): Promise<CheckResult>;
/** `checkAsync` under a model of another registry. */
export function checkAsync<M extends string>(program: IrProgram, options: CheckOptions<M> & AsyncCheckOptions, models: ModelRegistry<M>): Promise<CheckResult<M>>;
export function checkAsync<M extends string>(program: IrProgram, options: CheckOptions<M> & AsyncCheckOptions, models?: ModelRegistry<M>): Promise<CheckResult<M>> {
  const { signal, sliceMs, ...checkOptions } = options;
  return runSliced(checkSliced(program, checkOptions as CheckOptions<M>, models), { signal, sliceMs });
}

/** `check` as a sliced phase (sliced.ts): both entry points run it. */
function checkSliced<M extends string>(program: IrProgram, options: CheckOptions<M>, models?: ModelRegistry<M>): Sliced<CheckResult<M>> {
  const drf = models === undefined && options.engine === undefined ? drfModelOf(options.model) : undefined;
  if (drf !== undefined) return checkDrfSliced(program, options as unknown as CheckOptions, drf) as unknown as Sliced<CheckResult<M>>;
  // the axiomatic models (and --engine graph) are answered by the execution-graph engine
  if (models === undefined && (options.engine === 'graph' || !isStateModel(options.model as string as ModelName))) {
    return checkGraphSliced(program, { ...(options as unknown as CheckOptions), now: options.now ?? defaultClock }) as unknown as Sliced<CheckResult<M>>;
  }
  return checkStateSliced(program, options, models);
}

/** The stateful search of a program under a model of the registry. */
function checkStateSliced<M extends string>(program: IrProgram, options: CheckOptions<M>, models?: ModelRegistry<M>): Sliced<CheckResult<M>> {
  const model = (models ?? MODELS).get(options.model);
  if (model === undefined) throw new Error(`internal error: unknown memory model '${options.model}' (this is a bug in memweave: names are validated by the caller)`);
  // a model that does not model mixed size answers "not checked" (checkProgram and the CLI refuse it first: S316)
  const narrow = model.mixedSize ? null : firstNarrowAccess(program);
  if (narrow !== null) return answered(unsupportedResult(program, options as unknown as CheckOptions, `${narrow.origin.text} at ${program.file}:${narrow.origin.span.line}: ${model.name} does not model mixed-size accesses (S316)`, 'state') as unknown as CheckResult<M>);
  const machine = createMachine(program, model, options.bufferBound === undefined ? {} : { bufferBound: options.bufferBound });
  return explorerFor({}).exploreSliced(machine, options, exploreEnv(options, {}, model.checksRaces));
}

/** A sliced phase that answers at once. */
// eslint-disable-next-line require-yield
function* answered<T>(value: T): Sliced<T> {
  return value;
}

/**
 * A model with an SC-DRF guarantee (MemoryModel.drfModel) without `--engine`: js, the
 * ECMAScript memory model, answered through its SC-DRF
 * guarantee (ECMA-262 §29.10, "Data Race Freedom"; proved for the repaired model by Watt et al.,
 * PLDI 2020, §6): a program none of whose sequentially consistent executions has a data race has
 * only sequentially consistent executions. So the stateful search runs first, under SC with the
 * JavaScript race detector; when it completes and finds no race, its answer is js's, exactly
 * (`stats.jsRoute` 'race-free'). When it finds a race, the program is racy and its weak
 * outcomes matter: the execution-graph engine answers under the js model itself with what is
 * left of the time budget (`stats.jsRoute` 'racy'). A stateful search that a budget stopped has
 * proved nothing about races, and its inconclusive answer stands. Programs with orderings
 * JavaScript does not have go to the js model, which names them.
 */
function* checkDrfSliced(program: IrProgram, options: CheckOptions, drfModel: string): Sliced<CheckResult> {
  const now = options.now ?? defaultClock;
  const axiomatic = graphModel(drfModel);
  if (axiomatic === null) throw new Error(`internal error: the execution-graph model '${drfModel}' is not registered (this is a bug in memweave)`);
  if (graphUnsupported(program) !== null || modeOutside(program, axiomatic) !== null) return yield* checkGraphSliced(program, { ...options, engine: 'graph', now });
  const state = yield* checkStateSliced(program, { ...options, engine: 'state', now });
  // mixed size: where the graph engine does not model the program (waits of two threads on a
  // location accessed at mixed sizes), a racy program has no js answer here: its SC outcomes are a
  // lower bound of js's (sc ⊆ js), the condition is undecided, the race is reported
  const bytesOut = graphBytesUnsupported(program);
  if (bytesOut !== null && state.budgetExhausted === null && state.violations.some((v) => v.kind === 'race')) return mixedRacyUndecided(state, bytesOut);
  // no race found: a complete search is the model's answer; a partial one stands as it is
  if (!state.violations.some((v) => v.kind === 'race')) return state.budgetExhausted !== null ? state : { ...state, stats: { ...state.stats, jsRoute: 'race-free' } };
  const left = options.timeLimitMs === undefined ? {} : { timeLimitMs: Math.max(0, options.timeLimitMs - state.stats.ms) };
  const graph = yield* checkGraphSliced(program, { ...options, ...left, engine: 'graph', now });
  return { ...graph, stats: { ...graph.stats, ms: graph.stats.ms + state.stats.ms, jsRoute: 'racy' } };
}

/** A complete, racy stateful answer to a mixed-size program the graph engine cannot take (`why`): inconclusive ('unexplored'), its outcomes a lower bound, its race kept. */
function mixedRacyUndecided(state: CheckResult, why: string): CheckResult {
  const unexplored = `the program is racy and makes mixed-size accesses, and the execution-graph engine, which answers racy programs under js, cannot take it (${why}), so the outcomes shown are the sequentially consistent ones, a lower bound of what js allows`;
  return { ...state, verdict: state.violations.length > 0 ? 'fail' : 'inconclusive', budgetExhausted: 'unexplored', stats: { ...state.stats, jsRoute: 'racy', unexplored } };
}

/**
 * Re-execute any counterexample's replay token: the stateful search's (`mw1.`) on the model's
 * machine, the graph engine's (`mg1.`) by rebuilding and judging its execution graph — so a token
 * from `check` replays whichever engine answered (under js the SC-DRF route may give either).
 * The package exports this as `replay`.
 */
export function replayAny(program: IrProgram, options: CheckOptions, token: string): ReplayResult {
  if (token.trim().startsWith(`${GRAPH_REPLAY_VERSION}.`)) {
    const g = replayGraph(program, token, options.unroll);
    return g.ok ? { ok: true, ...g.replay } : g;
  }
  return replay(program, options, token);
}

/** The answer of `checkProgram`: the check's result, or why the program or options were refused. */
export type CheckAnswer = { readonly ok: true; readonly result: CheckResult } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * The API path (the package's `check`): validate what a caller hands in — IR built or edited by
 * hand, an unknown model, a bad buffer bound — and answer with R604 diagnostics instead of an
 * internal error; else check as `check` does.
 */
export function checkProgram(program: IrProgram, options: CheckOptions): CheckAnswer {
  const refused = refusal(program, options);
  return refused !== null ? refused : { ok: true, result: check(program, options) };
}

/** `checkProgram` without holding the event loop (`checkAsync` after the same validation): the package's `checkAsync`. */
export async function checkProgramAsync(program: IrProgram, options: CheckOptions & AsyncCheckOptions): Promise<CheckAnswer> {
  const refused = refusal(program, options);
  return refused !== null ? refused : { ok: true, result: await checkAsync(program, options) };
}

/** The R604 answer to a program or options `check` cannot take, or null when they are fine. */
function refusal(program: IrProgram, options: CheckOptions): CheckAnswer | null {
  const file = typeof program?.file === 'string' ? program.file : '<api>';
  const refuse = (messages: readonly string[]): CheckAnswer => ({ ok: false, diagnostics: messages.map((m) => diag('R604', file, NO_SPAN, m)) });
  if (typeof program !== 'object' || program === null) return refuse(['the program is not an IR object (pass what compileSource returned as `ir`)']);
  let problems: readonly string[];
  try {
    problems = validateIr(program);
  } catch (e) {
    // a shape validateIr does not expect at all (a field of the wrong type where it walks)
    problems = [`malformed IR (${e instanceof Error ? e.message : String(e)})`];
  }
  if (problems.length > 0) return refuse(problems.map((p) => `invalid program IR: ${p}`));
  if (!(CHECK_MODEL_NAMES as readonly string[]).includes(options.model)) return refuse([`unknown memory model '${String(options.model)}' (one of ${CHECK_MODEL_NAMES.join(', ')})`]);
  if (options.bufferBound !== undefined && (!Number.isInteger(options.bufferBound) || options.bufferBound < 1)) return refuse([`bufferBound must be a positive integer, got ${String(options.bufferBound)}`]);
  const mixed = mixedSizeRefusal(program, options.model, options.engine === 'graph' || !isStateModel(options.model));
  return mixed === null ? null : { ok: false, diagnostics: [mixed] };
}

/** Test seams of `checkMachine` (not options a user sets). */
export interface CheckSeams {
  /** the fingerprint used under `hashCompact` (default DEFAULT_FINGERPRINT); tests inject weak ones to force collisions */
  readonly fingerprint?: Fingerprint;
  /** the explorer (default: the stateful search) */
  readonly explorer?: Explorer;
}

/** Explore a given machine; `racy`: does its model check races (default: the registry's answer for options.model). */
export function checkMachine<M extends string = ModelName>(machine: Machine, options: CheckOptions<M>, seams: CheckSeams = {}, racy = checksRaces(options.model)): CheckResult<M> {
  return explorerFor(seams).explore(machine, options, exploreEnv(options, seams, racy));
}

function explorerFor(seams: CheckSeams): Explorer {
  return seams.explorer ?? EXPLORERS[0] ?? statefulExplorer;
}

function exploreEnv(options: CheckOptions<string>, seams: CheckSeams, racy: boolean): ExploreEnv {
  return { now: options.now ?? defaultClock, checksRaces: racy, ...(seams.fingerprint === undefined ? {} : { fingerprint: seams.fingerprint }) };
}
