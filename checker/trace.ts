/**
 * Counterexample reconstruction (cold path): from a stored state, follow parent pointers back to
 * the initial state, then describe each transition with `Machine.describe` and render the store
 * buffers after it. Also records, per step, the index of the transition among those enabled
 * (the replay choices), so a trace can be re-executed from its token. Under statement merging
 * (merge.ts) a stored transition stands for a step plus the local instructions after it: the
 * trace re-executes them and shows each as its own row (and its own replay choice).
 */
import type { RuntimeErrorCode } from '../model/semantics/eval.js';
import { STEP, TR, type Machine, type StepStatus } from '../model/semantics/machine.js';
import type { TraceStep } from './api.js';
import { MERGE_CAP, type Merger } from './merge.js';
import type { Symmetry } from './symmetry.js';
import { transArg, transKind, transThread, type VisitedSet } from './visited.js';
import { stepContinues } from './properties.js';
import type { MemoryBudget } from './memoryBudget.js';

/**
 * The rows a trace has room for: `reserved` rows were reserved while searching (one per stored
 * step, checker/resultCost.ts); under statement merging a stored step stands for up to
 * 1 + MERGE_CAP rows, so every row past the reserved ones is reserved from `budget` (in blocks of
 * ROW_BLOCK) before it is built, and a trace the budget has no room for is not built at all.
 */
export interface TraceRows {
  readonly budget: MemoryBudget;
  readonly reserved: number;
  /** bytes per row (traceRowBytes) */
  readonly rowBytes: number;
}

/** Rows reserved at once past a trace's reservation. */
const ROW_BLOCK = 256;

/** Thrown inside buildReexecutedTrace when the budget has no room for the next row (caught there). */
const NO_ROOM = Symbol('no room for the trace');

/** A reconstructed trace: the rows, the replay choices, and the state it ends in. */
export interface BuiltTrace {
  readonly steps: TraceStep[];
  /** per step, the index of the chosen transition among `machine.enabled` at that point */
  readonly choices: number[];
  /** the state after the last step (a copy) */
  readonly last: Int32Array;
  /** status of the last step (null for an empty trace) */
  readonly lastStatus: StepStatus | null;
  /** Machine.describe's message for the last step (assert message, error text), if any */
  readonly lastMessage: string | null;
  /** the catalogued code of the last step's run-time error (R601, R602), if it was one */
  readonly lastErrorCode: RuntimeErrorCode | null;
}

/** One trace row for the transition (kind, thread, arg) from `before` to `after`; also returns describe's message. */
export function renderStep(
  machine: Machine,
  before: Int32Array,
  bOff: number,
  kind: number,
  thread: number,
  arg: number,
  after: Int32Array,
  aOff: number,
): { readonly step: TraceStep; readonly message: string | null; readonly errorCode: RuntimeErrorCode | null } {
  const d = machine.describe(before, bOff, kind, thread, arg);
  const t = machine.program.threads[d.thread];
  const step: TraceStep = {
    thread: d.thread,
    threadName: t === undefined ? `#${d.thread}` : t.name,
    action: d.action,
    text: d.text,
    location: d.location,
    effect: d.effect,
    buffers: machine.renderBuffers(after, aOff),
    event: d.event ?? null,
  };
  return { step, message: d.message, errorCode: d.errorCode ?? null };
}

/**
 * The rows that end a data-race trace at the race itself: the state the trace reaches has two
 * threads whose next accesses conflict; one row per access (action 'race'), not executed (they
 * are no replay choices), the effect naming the other access. Empty when `s` has no race.
 */
export function raceSteps(machine: Machine, s: Int32Array, off: number): TraceStep[] {
  const race = machine.race(s, off);
  if (race === null) return [];
  const after = new Int32Array(machine.stateLength);
  const rows = race.threads.map((t) => renderStep(machine, s, off, TR.exec, t, 0, after, 0).step);
  return rows.map((r, k) => {
    const other = rows[1 - k] as TraceStep;
    const where = other.location === '' ? '' : ` at ${other.location.replace(/^.*[\\/]/, '')}`;
    return { ...r, action: 'race', effect: `races with ${other.threadName}'s ${other.text}${where}`, buffers: machine.renderBuffers(s, off) };
  });
}

/** Steps a livelock's cycle search takes at most before it gives up (the trace then ends without one). */
export const CYCLE_SEARCH_MAX_STEPS = 10_000;

/**
 * The rows that end a livelock trace with the cycle it is caught in (SPIN's "START OF CYCLE"):
 * from the state the trace reaches (from which no continuation finishes), the walk that always
 * takes the first enabled transition, until a state repeats; the rows up to that state, a marker
 * row (action 'cycle'), then the rows of the cycle, which lead back to the marked state. Not replay
 * choices: `replay` appends the same rows. Empty when the walk meets a state with nothing enabled
 * or passes CYCLE_SEARCH_MAX_STEPS.
 */
export function livelockCycleSteps(machine: Machine, s: Int32Array, off: number): TraceStep[] {
  const L = machine.stateLength;
  let cur = s.slice(off, off + L);
  const seen = new Map<string, number>([[cur.join(','), 0]]);
  const buf = new Int32Array(Math.max(1, machine.maxTransitions) * 3);
  const rows: TraceStep[] = [];
  for (let k = 0; k < CYCLE_SEARCH_MAX_STEPS; k++) {
    if (machine.enabled(cur, 0, buf) === 0) return [];
    const kind = buf[0] as number;
    const thread = buf[1] as number;
    const arg = buf[2] as number;
    const next = new Int32Array(L);
    if (!stepContinues(machine.apply(cur, 0, kind, thread, arg, next, 0))) return [];
    rows.push(renderStep(machine, cur, 0, kind, thread, arg, next, 0).step);
    cur = next;
    const key = cur.join(',');
    const at = seen.get(key);
    if (at !== undefined) {
      const first = rows[at] as TraceStep;
      const marker: TraceStep = { thread: first.thread, threadName: first.threadName, action: 'cycle', text: 'START OF CYCLE: the steps below repeat forever', location: '', effect: '', buffers: first.buffers.map(() => ''), event: null };
      return [...rows.slice(0, at), marker, ...rows.slice(at)];
    }
    seen.set(key, k + 1);
  }
  return [];
}

/** The index of transition (kind, thread, arg) among those enabled in s[off..], or -1. */
export function choiceIndex(machine: Machine, s: Int32Array, off: number, kind: number, thread: number, arg: number): number {
  const buf = new Int32Array(Math.max(1, machine.maxTransitions) * 3);
  const n = machine.enabled(s, off, buf);
  for (let i = 0; i < n; i++) {
    if (buf[3 * i] === kind && buf[3 * i + 1] === thread && buf[3 * i + 2] === arg) return i;
  }
  return -1;
}

/** State indices from the initial state to `index`, following parent pointers. */
export function pathTo(visited: VisitedSet, index: number): number[] {
  const path: number[] = [];
  for (let i = index; i >= 0; i = visited.parent(i)) path.push(i);
  return path.reverse();
}

/**
 * The trace to stored state `index`, optionally followed by one more transition `extra` from it
 * (a violating step, whose successor is not stored). Under symmetry (`sym`), dead-register reset
 * (`reexecute`) or statement merging (`merger`), stored states are abstractions or
 * representatives: see `buildReexecutedTrace`.
 */
export function buildTrace(
  machine: Machine,
  visited: VisitedSet,
  index: number,
  extra: { readonly kind: number; readonly thread: number; readonly arg: number } | null = null,
  sym: Symmetry | null = null,
  reexecute = false,
  merger: Merger | null = null,
  normalize: ((s: Int32Array, off: number) => void) | null = null,
  rows: TraceRows | null = null,
): BuiltTrace | null {
  if (sym !== null || reexecute || merger !== null) return buildReexecutedTrace(machine, visited, index, extra, sym, merger, normalize, rows);
  const path = pathTo(visited, index);
  const steps: TraceStep[] = [];
  const choices: number[] = [];
  let lastStatus: StepStatus | null = null;
  let lastMessage: string | null = null;
  let lastErrorCode: RuntimeErrorCode | null = null;
  for (let k = 1; k < path.length; k++) {
    const p = path[k - 1] as number;
    const c = path[k] as number;
    const tr = visited.transition(c);
    const kind = transKind(tr);
    const thread = transThread(tr);
    const arg = transArg(tr);
    const before = visited.copy(p);
    const r = renderStep(machine, before, 0, kind, thread, arg, visited.copy(c), 0);
    steps.push(r.step);
    choices.push(choiceIndex(machine, before, 0, kind, thread, arg));
    lastStatus = 0;
    lastMessage = r.message;
    lastErrorCode = r.errorCode;
  }
  let last = visited.copy(index);
  if (extra !== null) {
    const before = last;
    const after = new Int32Array(machine.stateLength);
    lastStatus = machine.apply(before, 0, extra.kind, extra.thread, extra.arg, after, 0);
    const r = renderStep(machine, before, 0, extra.kind, extra.thread, extra.arg, after, 0);
    steps.push(r.step);
    choices.push(choiceIndex(machine, before, 0, extra.kind, extra.thread, extra.arg));
    lastMessage = r.message;
    lastErrorCode = r.errorCode;
    last = after;
  }
  return { steps, choices, last, lastStatus, lastMessage, lastErrorCode };
}

/**
 * The trace to stored state `index` when stored states are abstractions of real ones (dead
 * registers zeroed, deadRegisters.ts) or canonical representatives (symmetry.ts): the real execution
 * is rebuilt by re-running the stored transitions from the initial state. Under symmetry each
 * stored transition applies to its parent's representative: canonicalise (a copy of) the real
 * state, which gives back the stored parent and the permutation, and run the stored transition
 * on the thread the permutation names (the copy is first abstracted as the search abstracted it:
 * `normalize` zeroes dead registers). Under statement merging, the initial state and every ok
 * exec or timeout step are followed by the local instructions the search ran with them, exactly
 * as merge.ts runs them (each thread in turn at the start; at most MERGE_CAP), one row each. The
 * trace, its replay choices and its end state are those of a real execution (the end state
 * abstracts to the stored one).
 */
function buildReexecutedTrace(
  machine: Machine,
  visited: VisitedSet,
  index: number,
  extra: { readonly kind: number; readonly thread: number; readonly arg: number } | null,
  sym: Symmetry | null,
  merger: Merger | null,
  normalize: ((s: Int32Array, off: number) => void) | null,
  rows: TraceRows | null,
): BuiltTrace | null {
  const path = pathTo(visited, index);
  let room = rows === null ? Number.POSITIVE_INFINITY : rows.reserved;
  const L = machine.stateLength;
  const steps: TraceStep[] = [];
  const choices: number[] = [];
  let lastStatus: StepStatus | null = null;
  let lastMessage: string | null = null;
  let lastErrorCode: RuntimeErrorCode | null = null;
  let cur = new Int32Array(L);
  machine.initial(cur, 0);
  const tmp = new Int32Array(L);
  const realThread = (thread: number): number => {
    if (sym === null) return thread;
    tmp.set(cur);
    // the search canonicalised the abstraction (dead registers zeroed), not the real state: a
    // stale dead register could order two instances differently and name the wrong thread
    normalize?.(tmp, 0);
    sym.canonicalize(tmp, 0);
    return sym.perm[thread] as number;
  };
  const step = (kind: number, thread: number, arg: number): StepStatus => {
    if (steps.length >= room) {
      if (rows === null || !rows.budget.tryReserve(ROW_BLOCK * rows.rowBytes)) throw NO_ROOM;
      room += ROW_BLOCK;
    }
    const after = new Int32Array(L);
    const status = machine.apply(cur, 0, kind, thread, arg, after, 0);
    const r = renderStep(machine, cur, 0, kind, thread, arg, after, 0);
    steps.push(r.step);
    choices.push(choiceIndex(machine, cur, 0, kind, thread, arg));
    lastStatus = status;
    lastMessage = r.message;
    lastErrorCode = r.errorCode;
    cur = after;
    return status;
  };
  /** the local instructions statement merging ran after a step of `thread` */
  const chain = (thread: number): void => {
    if (merger === null) return;
    for (let k = 0; k < MERGE_CAP && merger.atLocal(cur, 0, thread); k++) step(TR.exec, thread, 0);
  };
  /** run a stored step, then the local steps merged into it; a trace ending at a violating step (`last`) ends there */
  const run = (kind: number, storedThread: number, storedArg: number, last = false): void => {
    const thread = realThread(storedThread);
    // realThread canonicalised the real state: a drain's slot is renamed by the same permutation
    const arg = sym === null ? storedArg : sym.realArg(kind, storedArg);
    const status = step(kind, thread, arg);
    if ((last ? status === STEP.ok : stepContinues(status)) && (kind === TR.exec || kind === TR.timeout)) chain(thread);
  };
  try {
    if (merger !== null) for (let t = 0; t < machine.program.threads.length; t++) chain(t);
    for (let k = 1; k < path.length; k++) {
      const tr = visited.transition(path[k] as number);
      run(transKind(tr), transThread(tr), transArg(tr));
    }
    if (extra !== null) run(extra.kind, extra.thread, extra.arg, true);
  } catch (e) {
    if (e === NO_ROOM) return null;
    throw e;
  }
  return { steps, choices, last: cur, lastStatus, lastMessage, lastErrorCode };
}
