/**
 * From a program and a target (an outcome, the final condition, or replay choices) to the
 * execution that reaches it and its execution graph: the pipeline `memweave graph` and
 * `memweave report` share. The execution is looked for under each candidate model in turn
 * (strongest first by default), so an outcome SC allows is drawn from an SC execution, and one
 * only TSO allows from a TSO execution, whose graph then holds the cycle SC forbids.
 */
import { MODEL_NAMES, type CheckOptions, type ModelName } from '../../checker/api.js';
import { executeChoices, searchConditionExecutionSliced, searchExecutionSliced, type Execution, type ExecutionSearch } from '../../checker/execution.js';
import { runSliced, runToEnd, type Sliced, type StopRequest } from '../../checker/sliced.js';
import { buildExecutionGraph, type ExecutionGraph } from '../../checker/graph.js';
import { graphWitnessSliced, type GraphWitness } from '../../checker/graphCheck.js';
import { drfModelOf } from '../models.js';
import type { IrProgram } from '../../model/ir.js';
import { nameRecord, ownValue } from '../../model/outcome.js';

/** What to draw. */
export type PictureTarget =
  | { readonly kind: 'outcome'; readonly outcome: Readonly<Record<string, number>> }
  | { readonly kind: 'condition' }
  | { readonly kind: 'choices'; readonly choices: readonly number[] };

/** An execution with its graph and the outcome it reaches. */
export interface Picture {
  readonly model: ModelName;
  readonly execution: Execution;
  readonly graph: ExecutionGraph;
  /** the observables in the final state, herd style: "P0:r0=0; P1:r0=0;" */
  readonly outcomeText: string;
}

/** Parse "P0:r0=0; P1:r0=0" (also with `,` or `/\` between, and herd's `x=1;` trailing `;`). */
export function parseOutcomeSpec(text: string): { readonly ok: true; readonly outcome: Record<string, number> } | { readonly ok: false; readonly error: string } {
  const outcome = nameRecord<number>();
  const parts = text.split(/;|,|\/\\/).map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: `empty outcome '${text}': expected e.g. "P0:r0=0; P1:r0=0"` };
  for (const p of parts) {
    const m = /^([A-Za-z_][\w]*(?:\[\d+\])?(?::[A-Za-z_$][\w$]*)?|\[[A-Za-z_]\w*(?:\[\d+\])?\])\s*==?\s*(-?(?:0[xX][0-9a-fA-F]+|\d+))$/.exec(p);
    if (m === null) return { ok: false, error: `cannot read '${p}' in the outcome: expected NAME=VALUE, e.g. P0:r0=0 or x=1` };
    const name = (m[1] as string).replace(/^\[(.*)\]$/, '$1');
    const raw = m[2] as string;
    const neg = raw.startsWith('-');
    const digits = neg ? raw.slice(1) : raw;
    const mag = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : parseInt(digits, 10);
    if (!Number.isSafeInteger(mag) || mag > 0xffffffff) return { ok: false, error: `value ${raw} of ${name} is out of the 32-bit range` };
    outcome[name] = (neg ? -mag : mag) | 0;
  }
  return { ok: true, outcome };
}

/** The observables of a state, herd style. */
export function outcomeTextOf(program: IrProgram, state: Readonly<Record<string, number>>): string {
  return program.observables.map((o) => `${o.name}=${ownValue(state, o.name) ?? 0};`).join(' ');
}

/**
 * The picture of a target, or why there is none: the models whose search stopped at its state
 * bound (the others have no such execution); or, in the async form only, that a signal stopped
 * the search under `model` after `statesStored` states, and the models after it were not searched.
 */
export type PictureSearch =
  | { readonly kind: 'found'; readonly picture: Picture }
  | { readonly kind: 'none'; readonly stopped: readonly ModelName[]; readonly statesStored: number }
  | { readonly kind: 'interrupted'; readonly model: ModelName; readonly statesStored: number; readonly notRun: readonly ModelName[] };

type PictureBase = Omit<CheckOptions, 'model'> | (() => Omit<CheckOptions, 'model'>);

/**
 * What no interleaving reaches, a racy program may still reach under a model with an SC-DRF
 * route (js: MemoryModel.drfModel): the first execution graph of that model reaching `target`
 * (an outcome, or the condition), found by the graph engine, as a replay token; null when none of
 * `models` has such a route or the target is a schedule (`choices`). `graph` draws it, `report`
 * pictures it.
 */
export async function weakWitnessAsync(program: IrProgram, base: PictureBase, target: PictureTarget, models: readonly ModelName[], signal: StopRequest): Promise<GraphWitness | null> {
  const drf = models.map((m) => drfModelOf(m)).find((d) => d !== undefined);
  if (drf === undefined || target.kind === 'choices' || signal.aborted) return null;
  const wanted = target.kind === 'outcome' ? Object.entries(target.outcome) : null;
  const options = { ...(typeof base === 'function' ? base() : base), model: drf as ModelName };
  return runSliced(graphWitnessSliced(program, options, (named, satisfies) => (wanted === null ? satisfies === true : wanted.every(([k, v]) => named[k] === v))), { signal });
}

/** The picture of `target` under the first of `models` that reaches it. */
export function pictureFor(program: IrProgram, base: PictureBase, target: PictureTarget, models: readonly ModelName[] = MODEL_NAMES): PictureSearch {
  return runToEnd(pictureSliced(program, base, target, models));
}

/** `pictureFor` without holding the event loop: the same searches in slices, stopped (kind 'interrupted') once `signal` is aborted. */
export function pictureForAsync(program: IrProgram, base: PictureBase, target: PictureTarget, models: readonly ModelName[], signal: StopRequest): Promise<PictureSearch> {
  return runSliced(pictureSliced(program, base, target, models), { signal });
}

function* pictureSliced(program: IrProgram, base: PictureBase, target: PictureTarget, models: readonly ModelName[]): Sliced<PictureSearch> {
  const stopped: ModelName[] = [];
  let statesStored = 0;
  for (const [i, model] of models.entries()) {
    // a function gives each model's search its options when it starts (what is left of a time budget)
    const options: CheckOptions = { ...(typeof base === 'function' ? base() : base), model };
    let search: ExecutionSearch;
    if (target.kind === 'choices') {
      const ex = executeChoices(program, options, target.choices);
      search = ex === null ? { kind: 'unreachable' } : { kind: 'found', execution: ex };
    } else search = yield* target.kind === 'outcome' ? searchExecutionSliced(program, options, target.outcome) : searchConditionExecutionSliced(program, options);
    if (search.kind === 'interrupted') return { kind: 'interrupted', model, statesStored: search.statesStored, notRun: models.slice(i + 1) };
    if (search.kind === 'budget') {
      stopped.push(model);
      statesStored = search.statesStored;
    }
    if (search.kind !== 'found') continue;
    const execution = search.execution;
    return { kind: 'found', picture: { model, execution, graph: buildExecutionGraph(program, execution), outcomeText: outcomeTextOf(program, execution.finalState) } };
  }
  return { kind: 'none', stopped, statesStored };
}
