/**
 * The one table of operational memory models. Adding a model is one file in model/memory/ that
 * exports a `MemoryModel`, plus one entry here; the model names of the CLI's usage, the API types
 * (`ModelName`) and the JSON output all come from this table.
 */
import type { MemoryModel } from './model.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { firstNarrowAccess, type IrProgram } from '../ir.js';
import { sc } from './sc.js';
import { tso } from './tso.js';
import { pso } from './pso.js';
import { js } from './js.js';
import { GRAPH_MODELS } from './graph/index.js';

/** A table of models by name, in listing order. */
export interface ModelRegistry<Name extends string = string> {
  /** the models' names, in listing order */
  readonly names: readonly Name[];
  /** every model, in listing order */
  readonly models: readonly MemoryModel<Name>[];
  /** the model of that name, or undefined */
  get(name: string): MemoryModel<Name> | undefined;
}

/** Build a registry over a list of models (names must be distinct). */
export function createRegistry<Name extends string>(models: readonly MemoryModel<Name>[]): ModelRegistry<Name> {
  const byName = new Map<string, MemoryModel<Name>>();
  for (const m of models) {
    if (byName.has(m.name)) throw new Error(`internal error: two memory models named '${m.name}' (this is a bug in memweave)`);
    byName.set(m.name, m);
  }
  return { names: models.map((m) => m.name), models, get: (name) => byName.get(name) };
}

/** The memory models, in listing order (the first is the default). */
const MODEL_LIST = [sc, tso, pso, js] as const;

/** A model name of the registry. */
export type ModelName = (typeof MODEL_LIST)[number]['name'];

/** The registry of memweave's operational memory models. */
export const MODELS: ModelRegistry<ModelName> = createRegistry<ModelName>(MODEL_LIST);

/** The model names, in listing order. */
export const MODEL_NAMES: readonly ModelName[] = MODELS.names;

/** The model of sequential consistency: the one a po ∪ rf ∪ co ∪ fr cycle contradicts (execution graphs name it). */
export const SC_MODEL: ModelName = sc.name;

/** The default model (the first of the table). */
export const DEFAULT_MODEL: ModelName = MODEL_LIST[0].name;

/** Is this string a model name? */
export function isModelName(name: string): name is ModelName {
  return MODELS.get(name) !== undefined;
}

/** The model of a name (throws on an unknown name: callers validate names first). */
export function modelOf(name: string): MemoryModel {
  const m = MODELS.get(name);
  if (m === undefined) throw new Error(`internal error: unknown memory model '${name}' (this is a bug in memweave: names are validated by the caller)`);
  return m;
}

/** Does the model of this name check states for data races (js)? False for an unknown name. */
export function checksRaces(name: string): boolean {
  return MODELS.get(name)?.checksRaces === true;
}

/** Does the model of this name give narrow view accesses their meaning (MemoryModel.mixedSize)? False for an unknown name and every axiomatic model. */
export function supportsMixedSize(name: string): boolean {
  return MODELS.get(name)?.mixedSize === true;
}

/** The models that support mixed-size accesses, in listing order (for S316's message). */
export const MIXED_SIZE_MODEL_NAMES: readonly ModelName[] = MODEL_LIST.filter((m) => m.mixedSize).map((m) => m.name);

/** The axiomatic model whose SC-DRF guarantee the model of this name stands for (MemoryModel.drfModel), or undefined. */
export function drfModelOf(name: string): string | undefined {
  return MODELS.get(name)?.drfModel;
}

/** The model of the machines of Node's `process.arch` value `arch` (MemoryModel.hardware), or null when memweave has none (ARM, POWER). */
export function hardwareModelOf(arch: string): ModelName | null {
  return MODEL_LIST.find((m) => (m as MemoryModel).hardware?.includes(arch) === true)?.name ?? null;
}

/**
 * Which models take mixed-size programs (views narrower than a word): an operational model says so
 * in its record (`mixedSize`: sc and js), an axiomatic one in its (`GraphModel.mixedSize`: js and
 * js2017 on the execution-graph engine, byte ranges and reads-bytes-from after ECMA-262 §29).
 */
/** S316 when `program` makes a narrow access and `model` (on the execution-graph engine when `graphEngine`) does not model mixed size; else null. */
export function mixedSizeRefusal(program: IrProgram, model: string, graphEngine: boolean): Diagnostic | null {
  const at = firstNarrowAccess(program);
  if (at === null || (graphEngine ? GRAPH_MODELS.get(model)?.mixedSize === true : supportsMixedSize(model))) return null;
  const who = graphEngine && supportsMixedSize(model) ? `--model ${model} on the execution-graph engine` : `--model ${model}`;
  const graphOnes = [...GRAPH_MODELS.values()].filter((m) => m.mixedSize === true).map((m) => m.name);
  return diag('S316', program.file, at.origin.span, `\`${at.origin.text}\` is a mixed-size access (a view narrower than i32), which ${who} does not model; the models that do: ${MIXED_SIZE_MODEL_NAMES.join(', ')} (on the stateful engine), ${graphOnes.join(', ')} (on the execution-graph engine)`);
}
