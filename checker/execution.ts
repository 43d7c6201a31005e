/**
 * Executions for pictures and reports (cold path): a trace whose every step also carries its
 * structured memory event (Machine.describe's `event`) and the rendered state after it.
 *
 * - `findExecution` searches breadth-first for a final state whose values match a requested
 *   outcome, so the execution returned is a shortest one (fewest steps) reaching it.
 * - `executeChoices` re-runs a list of replay choices (as a replay token holds) and records the
 *   same rich steps, so a checker counterexample can be stepped through state by state.
 *
 * Not done here: reductions (every interleaving is explored, with a plain Map as visited set; fine
 * for litmus-sized programs, bounded by `maxStates`).
 */
import type { IrProgram } from '../model/ir.js';
import { createMachine } from '../model/semantics/createMachine.js';
import { STEP, type Machine } from '../model/semantics/machine.js';
import { stateModel, type CheckOptions, type ModelName, type TraceStep } from './api.js';
import { evalCond, stepContinues } from './properties.js';
import { encodeReplayToken, programChecksum } from './replay.js';
import { DEFAULT_MAX_MEMORY_BYTES, defaultClock } from './check.js';
import { MemoryBudget } from './memoryBudget.js';
import { traceRowBytes } from './resultCost.js';
import { choiceIndex, renderStep } from './trace.js';
import { runToEnd, type Sliced } from './sliced.js';
import { packTransition, transArg, transKind, transThread, TRANS_NONE, VisitedSet } from './visited.js';

/** Default bound on the states `findExecution` stores. */
export const FIND_EXECUTION_MAX_STATES = 2_000_000;

/** One step of an execution: the trace row (with its memory event) and the state after it. */
export interface ExecutionStep extends TraceStep {
  /** every memory word and register after the step, by display name */
  readonly state: Readonly<Record<string, number>>;
}

/** A whole execution from the initial state. */
export interface Execution {
  readonly model: ModelName;
  readonly initialState: Readonly<Record<string, number>>;
  readonly steps: readonly ExecutionStep[];
  /** the state after the last step (the initial state when there are no steps) */
  readonly finalState: Readonly<Record<string, number>>;
  /** per step, the index of the chosen transition among the enabled ones */
  readonly choices: readonly number[];
  /** token accepted by `memweave check FILE --model M --replay TOKEN` */
  readonly replay: string;
}

function machineFor(program: IrProgram, options: CheckOptions): Machine {
  return createMachine(program, stateModel(options.model), options.bufferBound === undefined ? {} : { bufferBound: options.bufferBound });
}

/** One rich step for transition (kind, thread, arg) from `before` to `after`: the trace row (with its event) and the state after it. */
function richStep(machine: Machine, before: Int32Array, kind: number, thread: number, arg: number, after: Int32Array): ExecutionStep {
  const { step } = renderStep(machine, before, 0, kind, thread, arg, after, 0);
  return { ...step, state: machine.renderState(after, 0) };
}

/** Re-execute transitions given by their `(kind, thread, arg)` triples from the initial state. */
function executeTriples(machine: Machine, options: CheckOptions, triples: readonly (readonly [number, number, number])[], keep: ((step: number) => boolean) | null = null): Execution {
  const L = machine.stateLength;
  let cur = new Int32Array(L);
  let nxt = new Int32Array(L);
  machine.initial(cur, 0);
  const initialState = machine.renderState(cur, 0);
  const steps: ExecutionStep[] = [];
  const choices: number[] = [];
  for (const [kind, thread, arg] of triples) {
    choices.push(choiceIndex(machine, cur, 0, kind, thread, arg));
    machine.apply(cur, 0, kind, thread, arg, nxt, 0);
    if (keep === null || keep(choices.length - 1)) steps.push(richStep(machine, cur, kind, thread, arg, nxt));
    [cur, nxt] = [nxt, cur];
  }
  const replay = encodeReplayToken({ model: options.model, kind: null, bufferBound: options.bufferBound ?? null, checksum: programChecksum(machine.program), choices });
  return { model: options.model, initialState, steps, finalState: machine.renderState(cur, 0), choices, replay };
}

/**
 * Re-execute replay choices (indices among the enabled transitions) under `options.model`;
 * null when a choice does not fit the program (out of range, or after a step that ended it).
 */
export function executeChoices(program: IrProgram, options: CheckOptions, choices: readonly number[]): Execution | null {
  return executeChoicesKeeping(program, options, choices, null);
}

/**
 * `executeChoices` for a long execution: every step runs, but only the first `head` and the last
 * `tail` are rendered (a spin loop of 800,000 steps rendered every state); `folded` says how many
 * steps after the first `head` are left out.
 */
export function executeChoicesFolded(program: IrProgram, options: CheckOptions, choices: readonly number[], head: number, tail: number): { readonly execution: Execution; readonly folded: { readonly after: number; readonly count: number } | null } | null {
  const n = choices.length;
  if (n <= head + tail) {
    const ex = executeChoices(program, options, choices);
    return ex === null ? null : { execution: ex, folded: null };
  }
  const ex = executeChoicesKeeping(program, options, choices, (i) => i < head || i >= n - tail);
  return ex === null ? null : { execution: ex, folded: { after: head, count: n - head - tail } };
}

function executeChoicesKeeping(program: IrProgram, options: CheckOptions, choices: readonly number[], keep: ((step: number) => boolean) | null): Execution | null {
  const machine = machineFor(program, options);
  const L = machine.stateLength;
  let cur = new Int32Array(L);
  let nxt = new Int32Array(L);
  machine.initial(cur, 0);
  const buf = new Int32Array(Math.max(1, machine.maxTransitions) * 3);
  const triples: [number, number, number][] = [];
  let status: number = STEP.ok;
  for (const c of choices) {
    if (!stepContinues(status)) return null;
    const n = machine.enabled(cur, 0, buf);
    if (!Number.isInteger(c) || c < 0 || c >= n) return null;
    const t: [number, number, number] = [buf[3 * c] as number, buf[3 * c + 1] as number, buf[3 * c + 2] as number];
    status = machine.apply(cur, 0, t[0], t[1], t[2], nxt, 0);
    if (status === STEP.pruned) return null;
    triples.push(t);
    [cur, nxt] = [nxt, cur];
  }
  return executeTriples(machineFor(program, options), options, triples, keep);
}

/** The names of `outcome` that are not display names of the program's state (memory words and registers). */
export function unknownOutcomeNames(program: IrProgram, options: CheckOptions, outcome: Readonly<Record<string, number>>): string[] {
  const machine = machineFor(program, options);
  const s = new Int32Array(machine.stateLength);
  machine.initial(s, 0);
  const known = machine.renderState(s, 0);
  return Object.keys(outcome).filter((k) => !Object.prototype.hasOwnProperty.call(known, k));
}

/**
 * What a search for an execution found: an execution; that none is reachable (the whole state
 * space was searched); or nothing before it hit its state bound or memory budget, after storing
 * `statesStored` states (it may still exist).
 */
export type ExecutionSearch =
  | { readonly kind: 'found'; readonly execution: Execution }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'budget'; readonly statesStored: number }
  /** its caller stopped it at a pause (the sliced form only: sliced.ts) */
  | { readonly kind: 'interrupted'; readonly statesStored: number };

const found = (r: ExecutionSearch): Execution | null => (r.kind === 'found' ? r.execution : null);

/** `searchExecution`'s execution, or null (unreachable, or not found within the budget). */
export function findExecution(program: IrProgram, options: CheckOptions, outcome: Readonly<Record<string, number>>): Execution | null {
  return found(searchExecution(program, options, outcome));
}

/**
 * A shortest execution (breadth-first) under `options.model` that ends in a final state where
 * every named value of `outcome` holds (names as in outcomes and states: "P0:r0", "x", "a[1]"),
 * respecting the program's `filter`; or why there is none (`options.maxStates` bounds the search,
 * default {@link FIND_EXECUTION_MAX_STATES}; `maxMemoryBytes` and `timeLimitMs` as in check).
 */
export function searchExecution(program: IrProgram, options: CheckOptions, outcome: Readonly<Record<string, number>>): ExecutionSearch {
  return runToEnd(searchExecutionSliced(program, options, outcome));
}

/** `searchExecution` as a sliced phase (sliced.ts). */
export function searchExecutionSliced(program: IrProgram, options: CheckOptions, outcome: Readonly<Record<string, number>>): Sliced<ExecutionSearch> {
  const wanted = Object.entries(outcome);
  return searchExecutionWhereSliced(program, options, (machine, s) => {
    const values = machine.renderState(s, 0);
    return wanted.every(([k, v]) => values[k] === v);
  });
}

/** `searchConditionExecution`'s execution, or null. */
export function findConditionExecution(program: IrProgram, options: CheckOptions): Execution | null {
  return found(searchConditionExecution(program, options));
}

/**
 * A shortest execution ending in a final state where the final condition's proposition holds
 * (for `exists`/`~exists`: a witness of the outcome the test asks about; for `forall`: one where
 * it holds); 'unreachable' without a condition.
 */
export function searchConditionExecution(program: IrProgram, options: CheckOptions): ExecutionSearch {
  return runToEnd(searchConditionExecutionSliced(program, options));
}

/** `searchConditionExecution` as a sliced phase (sliced.ts). */
export function* searchConditionExecutionSliced(program: IrProgram, options: CheckOptions): Sliced<ExecutionSearch> {
  const cond = program.condition;
  if (cond === null) return { kind: 'unreachable' };
  return yield* searchExecutionWhereSliced(program, options, (machine, s) => evalCond(machine, s, 0, cond.cond));
}

/** `searchExecutionWhere`'s execution, or null. */
export function findExecutionWhere(program: IrProgram, options: CheckOptions, accept: (machine: Machine, s: Int32Array) => boolean): Execution | null {
  return found(searchExecutionWhere(program, options, accept));
}

/**
 * A shortest execution (breadth-first) to a final state that passes the program's filter and
 * `accept`, or why there is none. Every interleaving is explored (no reduction: a reduced graph
 * would hide final states' registers and threads' names), over the checker's packed visited set:
 * states are expanded in the order they were stored, so the set is also the queue, and the path
 * is read back from its parent links.
 */
export function searchExecutionWhere(program: IrProgram, options: CheckOptions, accept: (machine: Machine, s: Int32Array) => boolean): ExecutionSearch {
  return runToEnd(searchExecutionWhereSliced(program, options, accept));
}

/** `searchExecutionWhere` as a sliced phase (sliced.ts): it pauses where it reads its clock, and answers 'interrupted' when stopped there. */
export function* searchExecutionWhereSliced(program: IrProgram, options: CheckOptions, accept: (machine: Machine, s: Int32Array) => boolean): Sliced<ExecutionSearch> {
  const machine = machineFor(program, options);
  const L = machine.stateLength;
  const maxStates = options.maxStates ?? FIND_EXECUTION_MAX_STATES;
  const budget = new MemoryBudget(options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES);
  const visited = new VisitedSet(L, budget, maxStates);
  const matches = (s: Int32Array): boolean => (program.filter === null || evalCond(machine, s, 0, program.filter)) && accept(machine, s);
  const cur = new Int32Array(L);
  const next = new Int32Array(L);
  machine.initial(next, 0);
  if (visited.insert(next, 0, -1, TRANS_NONE) < 0) return { kind: 'budget', statesStored: 0 };
  const buf = new Int32Array(Math.max(1, machine.maxTransitions) * 3);
  // options.timeLimitMs bounds it as it bounds check (a clock read every 256 expansions)
  const now = options.now ?? defaultClock;
  const deadline = options.timeLimitMs === undefined ? Number.POSITIVE_INFINITY : now() + options.timeLimitMs;
  try {
    for (let i = 0; i < visited.count; i++) {
      if ((i & 255) === 255) {
        if (yield) return { kind: 'interrupted', statesStored: visited.count };
        if (now() >= deadline) return { kind: 'budget', statesStored: visited.count };
      }
      visited.load(i, cur, 0);
      if (machine.isFinal(cur, 0)) {
        if (!matches(cur)) continue;
        const path: (readonly [number, number, number])[] = [];
        for (let k = i; visited.parent(k) >= 0; k = visited.parent(k)) {
          const tr = visited.transition(k);
          path.push([transKind(tr), transThread(tr), transArg(tr)]);
        }
        // the execution's rows are reserved before they are built, as a counterexample trace is
        // (its caller keeps them: a picture, a report's stepper); no room: the search is out of budget
        if (!budget.tryReserve((path.length + 2) * traceRowBytes(program.threads.length))) return { kind: 'budget', statesStored: visited.count };
        return { kind: 'found', execution: executeTriples(machine, options, path.reverse()) };
      }
      const n = machine.enabled(cur, 0, buf);
      for (let t = 0; t < n; t++) {
        const kind = buf[3 * t] as number;
        const thread = buf[3 * t + 1] as number;
        const arg = buf[3 * t + 2] as number;
        if (!stepContinues(machine.apply(cur, 0, kind, thread, arg, next, 0))) continue;
        // the state bound (maxStates) or the memory budget refused a new state
        if (visited.insert(next, 0, i, packTransition(kind, thread, arg)) < 0) return { kind: 'budget', statesStored: visited.count };
      }
    }
    return { kind: 'unreachable' };
  } finally {
    visited.dispose();
  }
}
