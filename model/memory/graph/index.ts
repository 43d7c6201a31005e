/**
 * The axiomatic memory models, in one table: adding one is a file in this folder and a line here.
 * The execution-graph explorer (checker/graphExplorer.ts) serves each of them.
 */
import type { GraphModel } from './model.js';
import { scGraph } from './sc.js';
import { tsoGraph } from './tso.js';
import { raGraph } from './ra.js';
import { rc11Graph } from './rc11.js';
import { jsGraph, js2017Graph } from './js.js';

/** The axiomatic models' names, in listing order (each the `name` of its model below). */
export const GRAPH_MODEL_NAMES = ['sc', 'tso', 'ra', 'rc11', 'js', 'js2017'] as const;
/** Variants kept to show how a model changed (js2017: the rules before the PLDI 2020 repair): not in `--model all`. */
export const GRAPH_VARIANT_NAMES: readonly GraphModelName[] = ['js2017'];
/** A name of an axiomatic model. */
export type GraphModelName = (typeof GRAPH_MODEL_NAMES)[number];

/** Every axiomatic model, by name. */
export const GRAPH_MODELS: ReadonlyMap<string, GraphModel> = new Map(
  [scGraph, tsoGraph, raGraph, rc11Graph, jsGraph, js2017Graph].map((m) => [m.name, m] as const),
);

export type { GraphModel, Judgement } from './model.js';
export { ExecutionGraph, toExecution, initRef, eventRef, REF_STRIDE } from './executionGraph.js';
export type { Execution, ExecEvent, GraphEvent, GraphEventKind } from './executionGraph.js';
export { Relation } from './relation.js';
