/**
 * The model checker's entry points: `check` builds the machine of a program under a model of the
 * registry (model/memory/registry.ts) and hands it to an explorer (explorer.ts; the stateful
 * search of statefulSearch.ts by default); `checkMachine` explores a given machine (the seam
 * tests use with hand-made machines). Neither names a model.
 */
import { diag, type Diagnostic } from '../model/diagnostics/diagnostic.js';
import type { IrProgram } from '../model/ir.js';
import { validateIr } from '../model/irValidate.js';
import { NO_SPAN } from '../model/syntax/source.js';
import { checksRaces, MODELS, type ModelRegistry } from '../model/memory/registry.js';
import { createMachine } from '../model/semantics/createMachine.js';
import type { Machine } from '../model/semantics/machine.js';
import { CHECK_MODEL_NAMES, isStateModel, type CheckFn, type CheckOptions, type CheckResult, type ModelName } from './api.js';
import { checkGraph } from './graphCheck.js';
import { EXPLORERS, type Explorer } from './explorer.js';
import type { Fingerprint } from './fingerprints.js';
import { statefulExplorer } from './statefulSearch.js';

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
  // the axiomatic models (and --engine graph) are answered by the execution-graph engine
  if (models === undefined && (options.engine === 'graph' || !isStateModel(options.model as string as ModelName))) {
    return checkGraph(program, options as unknown as CheckOptions) as unknown as CheckResult<M>;
  }
  const model = (models ?? MODELS).get(options.model);
  if (model === undefined) throw new Error(`internal error: unknown memory model '${options.model}' (this is a bug in memweave: names are validated by the caller)`);
  const machine = createMachine(program, model, options.bufferBound === undefined ? {} : { bufferBound: options.bufferBound });
  return checkMachine(machine, options, {}, model.checksRaces);
}
check satisfies CheckFn;

/** The answer of `checkProgram`: the check's result, or why the program or options were refused. */
export type CheckAnswer = { readonly ok: true; readonly result: CheckResult } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * The API path (the package's `check`): validate what a caller hands in — IR built or edited by
 * hand, an unknown model, a bad buffer bound — and answer with R604 diagnostics instead of an
 * internal error; else check as `check` does.
 */
export function checkProgram(program: IrProgram, options: CheckOptions): CheckAnswer {
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
  return { ok: true, result: check(program, options) };
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
  const explorer = seams.explorer ?? EXPLORERS[0] ?? statefulExplorer;
  const env = { now: options.now ?? defaultClock, checksRaces: racy, ...(seams.fingerprint === undefined ? {} : { fingerprint: seams.fingerprint }) };
  return explorer.explore(machine, options, env);
}
