/**
 * `check` on the execution-graph engine: runs checker/graphExplorer.ts under an axiomatic model
 * (model/memory/graph/) and answers with the same CheckResult as the stateful search — outcomes
 * (counted per execution, as herd counts witnesses), the final condition, violations with a
 * counterexample and a replay token — plus the engine's own statistics (executions, blocked
 * executions by reason).
 *
 * A counterexample is an execution graph. Its trace lists the graph's events in an order that
 * respects program order, reads-from and the model's happens-before (for sc: an interleaving);
 * its replay token records each read's write and each location's coherence order, so `replay`
 * rebuilds exactly that graph by re-running the threads.
 */
import type { Span } from '../model/syntax/source.js';
import { firstNarrowAccess, type IrProgram } from '../model/ir.js';
import { ExecutionGraph, GRAPH_MODELS, REF_STRIDE, eventRef, initRef, toExecution } from '../model/memory/graph/index.js';
import type { GraphEvent, GraphModel } from '../model/memory/graph/index.js';
import { IrThreadRunner, rmwWrite } from '../model/semantics/irThreads.js';
import { byteSlot, byteWords, isByteSlot, wordFromBytes } from '../model/semantics/byteSlots.js';
import { MAX_WAITER_THREADS, holds, isWaiterOp, waitedSlot, waiters } from '../model/semantics/waiterList.js';
import { conditionVerdict } from '../model/outcome.js';
import { compareTuples } from './properties.js';
import { DEFAULT_MAX_MEMORY_BYTES } from './statefulSearch.js';
import { DEFAULT_UNROLL, GRAPHS_PER_EXECUTION_BUDGET, exploreGraphsSliced, graphRegisters, initialValues, judgeGraph, slotNamer } from './graphExplorer.js';
import { beyondPorfRefusal, exploreBeyondPorfSliced, prepareBeyondPorf, type BeyondPorfOptions } from './beyondPorf.js';
import type { GraphExploration, GraphExploreOptions } from './graphExplorer.js';
import { unbuiltExecutionsPossible } from './unbuiltExecutions.js';
import { eventLetter, shortestCycle, type ExecutionGraph as PictureGraph, type GraphEdge as PictureEdge, type GraphEvent as PictureEvent } from './graph.js';
import { VIOLATION_KINDS, type CheckOptions, type CheckResult, type ConditionResult, type ModelName, type Outcome, type TraceStep, type Violation, type ViolationKind } from './api.js';
import { fromBase64Url, programChecksum, pushVarint, readVarints, toBase64Url, type ReplayOk } from './replay.js';
import { runToEnd, type Sliced } from './sliced.js';

/** Replay token prefix of graph counterexamples. */
export const GRAPH_REPLAY_VERSION = 'mg1';

/** Why the graph engine cannot run this program, or null: a wait/notify in a program with more threads than waiter lists encode (waiterList.ts). */
export function graphUnsupported(program: IrProgram): { readonly what: string; readonly where: string; readonly why: string } | null {
  for (const th of program.threads) {
    for (const instr of th.code) {
      if (instr.kind !== 'wait' && instr.kind !== 'notify') continue;
      const where = `${program.file}:${instr.origin.span.line}`;
      if (program.threads.length > MAX_WAITER_THREADS) return { what: instr.kind, where, why: `the execution-graph engine models Atomics.wait/notify in programs of at most ${MAX_WAITER_THREADS} threads (use a stateful model: sc, tso, pso or js)` };
    }
  }
  return null;
}

/**
 * Why the graph engine cannot model this mixed-size program, or null. A location some access
 * reads or writes through a narrower view is modelled byte by byte (model/semantics/byteSlots.ts):
 * an RMW of it is its byte reads then its byte writes, one ReadModifyWriteSharedMemory event to
 * the model (model/memory/graph/jsBytes.ts); a wait's read of its word is four byte reads, the
 * waiter lists stay per word, and a notify touches only its word's list. Refused: waits of two or
 * more threads on one such location, where the explorer is known to miss executions (the order of
 * two waiters' critical sections is chosen by revisiting a leave, which keeps the wait's byte
 * reads made for the other order; test/unit/checker/jsBytes.test.ts pins the gap as an it.fails).
 * A wait or notify on a narrow view itself is S317, a static error before any engine.
 */
export function graphBytesUnsupported(program: IrProgram): string | null {
  const bw = byteWords(program);
  if (bw === null) return null;
  const waiters = new Map<number, Set<number>>();
  for (const [t, th] of program.threads.entries()) {
    for (const i of th.code) {
      if (i.kind !== 'wait') continue;
      const loc = program.locations[i.addr.loc];
      if (loc === undefined || bw[loc.base] !== 1) continue;
      let ts = waiters.get(i.addr.loc);
      if (ts === undefined) waiters.set(i.addr.loc, (ts = new Set()));
      ts.add(t);
      if (ts.size >= 2) return `${i.origin.text} at ${program.file}:${i.origin.span.line}: the execution-graph engine does not model waits of two or more threads on a location accessed at mixed sizes (${loc.name} has narrow views; one waiter, notifies and RMWs of it are modelled)`;
    }
  }
  return null;
}

/**
 * Why the graph engine cannot model this program under `model`, or null: a compareExchange of a
 * location accessed at mixed sizes under a model whose failed compareExchange writes back what it
 * read (js2017: GraphModel.failedCasWrites) — its byte writes are not built (their coherence
 * placements multiply beyond what the explorer and the oracle can take).
 */
export function casWriteBackUnsupported(program: IrProgram, model: GraphModel): string | null {
  if (model.failedCasWrites !== true) return null;
  const bw = byteWords(program);
  if (bw === null) return null;
  for (const th of program.threads) {
    for (const i of th.code) {
      if (i.kind !== 'rmw' || i.op !== 'cmpxchg') continue;
      const loc = program.locations[i.addr.loc];
      if (loc === undefined || bw[loc.base] !== 1) continue;
      return `${i.origin.text} at ${program.file}:${i.origin.span.line}: under ${model.name} a failed compareExchange writes back what it read (ES2017 §24.4.4), which the execution-graph engine does not model on a location accessed at mixed sizes (${loc.name} has narrow views)`;
    }
  }
  return null;
}

/** The axiomatic model of a name, or null. */
export function graphModel(name: string): GraphModel | null {
  return GRAPH_MODELS.get(name) ?? null;
}

/** Explore `program` on the graph engine under `options.model` (which must have a graph model). */
export function checkGraph(program: IrProgram, options: CheckOptions): CheckResult {
  return runToEnd(checkGraphSliced(program, options));
}

/** `checkGraph` as a sliced phase (sliced.ts); stopped at a pause, it answers budgetExhausted 'interrupted' with no counterexample built. */
export function* checkGraphSliced(program: IrProgram, options: CheckOptions): Sliced<CheckResult> {
  const model = graphModel(options.model);
  if (model === null) throw new Error(`internal error: no execution-graph model '${options.model}' (this is a bug in memweave: the caller checks)`);
  const now = options.now ?? (() => 0);
  const start = now();
  const unsupported = graphUnsupported(program);
  if (unsupported !== null) return unsupportedResult(program, options, `${unsupported.what} at ${unsupported.where}: ${unsupported.why}`);
  const narrow = model.mixedSize === true ? null : firstNarrowAccess(program);
  if (narrow !== null) return unsupportedResult(program, options, `${narrow.origin.text} at ${program.file}:${narrow.origin.span.line}: ${model.name} on the execution-graph engine does not model mixed-size accesses (views narrower than i32) (S316; use js or js2017, or the stateful engine under sc)`);
  const bytesOut = model.mixedSize === true ? (graphBytesUnsupported(program) ?? casWriteBackUnsupported(program, model)) : null;
  if (bytesOut !== null) return unsupportedResult(program, options, bytesOut);
  const foreign = modeOutside(program, model);
  if (foreign !== null) return unsupportedResult(program, options, foreign);
  const { r, unbuilt, beyond } = yield* exploreWhole(program, model, options, now, start, null);
  // after an interrupt nothing more runs: the violations found are not turned into traces
  const violations = r.budgetExhausted === 'interrupted' ? [] : buildViolations(program, model, options.model, r);
  // a loop that reached --unroll leaves executions unexplored: the outcomes are partial, the condition undecided
  const budget = r.budgetExhausted === 'executions' ? 'states' : (r.budgetExhausted ?? (r.blocked.bound > 0 ? 'unroll' : unbuilt !== null ? 'unexplored' : null));
  const incomplete = budget !== null || r.blocked.bound > 0;
  return {
    test: program.name,
    model: options.model,
    strategy: 'dfs',
    verdict: violations.length > 0 ? 'fail' : incomplete ? 'inconclusive' : 'pass',
    budgetExhausted: budget,
    outcomes: outcomesOf(program, r),
    condition: conditionOf(program, r),
    violations,
    stats: {
      statesStored: 0,
      transitions: r.graphs,
      maxDepth: r.maxStack,
      finalStates: r.executions,
      ms: now() - start,
      peakBytes: r.peakBytes,
      bytesPerState: 0,
      bufferBoundHit: false,
      engine: 'graph',
      executions: r.executions,
      blocked: { ...r.blocked },
      graphs: r.graphs,
      ...(r.blocked.bound > 0 ? { unrollHit: options.unroll ?? DEFAULT_UNROLL } : {}),
      ...(unbuilt !== null ? { unexplored: unbuilt } : {}),
      ...(beyond !== null ? { beyondPorf: beyond } : {}),
    },
  };
}

/** What `exploreWhole` found: the explorer's exploration with the enumeration's executions added, why some executions may be missing (null: none), and the enumeration's work. */
interface WholeExploration {
  readonly r: GraphExploration;
  readonly unbuilt: string | null;
  readonly beyond: { readonly candidates: number; readonly executions: number } | null;
}

/**
 * The explorer's exploration, and, under a model with executions it does not build (js), those
 * executions enumerated by checker/beyondPorf.ts where it can: the explorer then leaves its graphs
 * with a non-atomic RMW to the enumeration, so that none is counted twice. `onOutcome` sees every
 * complete execution of both.
 */
function* exploreWhole(program: IrProgram, model: GraphModel, options: CheckOptions, now: () => number, start: number, onOutcome: NonNullable<GraphExploreOptions['onOutcome']> | null): Sliced<WholeExploration> {
  const shape = model.beyondPorf === undefined ? null : unbuiltExecutionsPossible(program);
  const refused = shape === null ? null : beyondPorfRefusal(program, model);
  const enumerable = shape !== null && refused === null;
  // under --workers / --shard the explorer's tree is split and the enumeration runs once: in shard 0,
  // or in the thread that started with the root when the threads steal work (checker/graphSteal.ts)
  const part = options.shard !== undefined && options.shard.count > 1 ? { first: options.shard.index === 0 } : options.graphSteal !== undefined ? { first: options.graphSteal.ownsRoot } : null;
  const enumerates = enumerable && (part === null || part.first);
  const r = yield* exploreGraphsSliced(program, {
    ...exploreOptions(model, options),
    now,
    ...(onOutcome !== null ? { onOutcome } : {}),
    ...(enumerable ? { leaveNonAtomicRmws: true } : {}),
  });
  // complete when race-free under SC-DRF, or when no such execution can exist; in a shard the race
  // may be another shard's, so shard 0 enumerates whatever it saw (a race-free program has no such
  // execution to find) and the others leave it to shard 0
  const raceFree = model.beyondPorf?.scDrf === true && !r.findings.has('race');
  const sharded = part !== null;
  let unbuilt = model.beyondPorf === undefined ? null : sharded && enumerable ? (enumerates ? shape : null) : raceFree ? null : shape;
  // … or when the enumeration judged them all (after a complete exploration only: a cut one is inconclusive anyway)
  let beyond: WholeExploration['beyond'] = null;
  if (unbuilt !== null && r.budgetExhausted === null && r.blocked.bound === 0) {
    const plan = refused !== null ? { kind: 'refused' as const, why: refused } : prepareBeyondPorf(program, model, options.unroll ?? DEFAULT_UNROLL);
    if (plan.kind === 'refused') unbuilt = `${unbuilt}; memweave does not enumerate such executions here (${plan.why})`;
    else {
      const b = yield* exploreBeyondPorfSliced(program, plan, { ...beyondOptions(model, options, now, now() - start, r.peakBytes), ...(onOutcome !== null ? { onOutcome } : {}) });
      if (b.kind === 'refused') unbuilt = `${unbuilt}; memweave does not enumerate such executions here (${b.why})`;
      else {
        absorb(r, b.exploration);
        beyond = { candidates: b.candidates, executions: b.exploration.executions };
        if (b.kind === 'complete') unbuilt = null;
        else r.budgetExhausted = b.budget;
      }
    }
  }
  return { r, unbuilt, beyond };
}

/** The enumeration's options from a check's: the model, --unroll, what is left of the time limit, the memory budget. */
function beyondOptions(model: GraphModel, options: CheckOptions, now: () => number, elapsed: number, used: number): BeyondPorfOptions {
  return {
    model,
    unroll: options.unroll ?? DEFAULT_UNROLL,
    now,
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: Math.max(0, options.timeLimitMs - elapsed) } : {}),
    ...(options.maxStates !== undefined ? { maxCandidates: GRAPHS_PER_EXECUTION_BUDGET * options.maxStates } : {}),
    // what the explorer still holds (its outcome table) stays charged: the two together keep to the budget
    maxMemoryBytes: Math.max(0, (options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES) - used),
  };
}

/** Add the executions checker/beyondPorf.ts found to the explorer's (the two sets are disjoint); the explorer's findings come first. */
function absorb(r: GraphExploration, extra: GraphExploration): void {
  r.executions += extra.executions;
  r.graphs += extra.graphs;
  r.inconsistent += extra.inconsistent;
  for (const k of Object.keys(r.blocked) as (keyof GraphExploration['blocked'])[]) r.blocked[k] += extra.blocked[k];
  for (const row of extra.outcomes.rows()) {
    if (!r.outcomes.add(row.tuple, row.satisfies, row.count)) {
      r.budgetExhausted = 'memory';
      break;
    }
  }
  r.positive += extra.positive;
  r.negative += extra.negative;
  for (const [kind, f] of extra.findings) if (!r.findings.has(kind)) r.findings.set(kind, f);
  r.peakBytes = Math.max(r.peakBytes, extra.peakBytes);
}

/** The explorer's options from a check's: the model, --unroll, and the budgets (executions, time, memory). */
function exploreOptions(model: GraphModel, options: CheckOptions): GraphExploreOptions {
  return {
    model,
    unroll: options.unroll ?? DEFAULT_UNROLL,
    ...(options.maxStates !== undefined ? { maxExecutions: options.maxStates } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    maxMemoryBytes: options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES,
    ...(options.shard !== undefined ? { shard: options.shard } : {}),
    ...(options.graphSteal !== undefined ? { steal: options.graphSteal } : {}),
    ...(options.onProgress !== undefined ? { onProgress: progressTo(options.onProgress) } : {}),
  };
}

/** The explorer's progress as a check's (GraphProgress). */
function progressTo(report: NonNullable<CheckOptions['onProgress']>): NonNullable<GraphExploreOptions['onProgress']> {
  return (p) => report({ engine: 'graph', executions: p.executions, graphs: p.graphs, elapsedMs: p.elapsedMs });
}

/** What `graphWitnessSliced` found: a token for the first execution whose outcome was wanted (null: none), and whether a budget or a stop cut the search short. */
export interface GraphWitness {
  readonly token: string | null;
  readonly stopped: boolean;
}

/**
 * The first complete execution under `options.model` (a graph model) whose outcome `accept`
 * takes — given the observables by name and whether the condition holds — as a replay token
 * (`mg1.`) to draw; explored as `check --engine graph` explores, under the same budgets.
 */
export function* graphWitnessSliced(program: IrProgram, options: CheckOptions, accept: (values: Readonly<Record<string, number>>, satisfies: boolean | null) => boolean): Sliced<GraphWitness> {
  const model = graphModel(options.model);
  if (model === null || graphUnsupported(program) !== null || modeOutside(program, model) !== null) return { token: null, stopped: false };
  let token: string | null = null;
  const now = options.now ?? (() => 0);
  const { r, unbuilt } = yield* exploreWhole(program, model, options, now, now(), (g, values, satisfies) => {
    if (token !== null) return;
    const named: Record<string, number> = Object.create(null) as Record<string, number>;
    program.observables.forEach((o, i) => (named[o.name] = values[i] ?? 0));
    if (accept(named, satisfies)) token = encodeGraphToken(program, options.model, null, g);
  });
  // executions left unbuilt may hold the one wanted: not found is then not "unreachable"
  return { token, stopped: token === null && (r.budgetExhausted !== null || r.blocked.bound > 0 || unbuilt !== null) };
}

/** The first access whose mode the model does not have, as a message; null when every mode is the model's. */
export function modeOutside(program: IrProgram, model: GraphModel): string | null {
  const at = modeOutsideAt(program, model);
  return at === null ? null : `\`${at.what}\` at ${program.file}:${at.span.line}: ${at.why}`;
}

/** The first access whose mode the model does not have: the instruction's text, its span and why; null when every mode is the model's. */
export function modeOutsideAt(program: IrProgram, model: GraphModel): { readonly what: string; readonly span: Span; readonly why: string } | null {
  const modes = model.modes;
  if (modes === undefined) return null;
  for (const th of program.threads) {
    for (const i of th.code) {
      if (i.kind !== 'load' && i.kind !== 'await' && i.kind !== 'store' && i.kind !== 'rmw' && i.kind !== 'fence') continue;
      const allowed = i.kind === 'load' || i.kind === 'await' ? modes.load : i.kind === 'store' ? modes.store : i.kind === 'rmw' ? modes.rmw : modes.fence;
      if (allowed.includes(i.mode)) continue;
      const what = i.kind === 'fence' ? `fence.${i.mode}` : `${i.kind === 'await' ? 'await' : i.kind}.${i.mode}`;
      const has = modes.load.join(', ');
      return { what, span: i.origin.span, why: `${model.name} has no such ${i.kind === 'fence' ? 'fence' : 'ordering'} (its accesses are ${has}${modes.fence.length === 0 ? '; it has no fences' : ''})` };
    }
  }
  return null;
}

/** The answer "not checked: why" (inconclusive, no outcomes, `stats.unsupported`) of an engine that does not cover the program. */
export function unsupportedResult(program: IrProgram, options: CheckOptions, why: string, engine: 'graph' | 'state' = 'graph'): CheckResult {
  return {
    test: program.name,
    model: options.model,
    strategy: 'dfs',
    verdict: 'inconclusive',
    budgetExhausted: null,
    outcomes: [],
    condition: null,
    violations: [],
    stats: { statesStored: 0, transitions: 0, maxDepth: 0, finalStates: 0, ms: 0, peakBytes: 0, bytesPerState: 0, bufferBoundHit: false, engine, executions: 0, blocked: { assume: 0, await: 0, spin: 0, bound: 0, error: 0 }, graphs: 0, unsupported: why },
  };
}

function outcomesOf(program: IrProgram, r: GraphExploration): Outcome[] {
  const entries = r.outcomes.rows().sort((a, b) => compareTuples(a.tuple, b.tuple));
  return entries.map((e) => {
    const values: Record<string, number> = Object.create(null) as Record<string, number>;
    program.observables.forEach((o, i) => (values[o.name] = e.tuple[i] ?? 0));
    return { values, satisfies: e.satisfies, finalStates: e.count };
  });
}

function conditionOf(program: IrProgram, r: GraphExploration): ConditionResult | null {
  const c = program.condition;
  if (c === null) return null;
  const { validated, observation } = conditionVerdict(c.quantifier, r.positive, r.negative);
  return { kind: c.quantifier, text: c.text, validated, positive: r.positive, negative: r.negative, observation };
}

function buildViolations(program: IrProgram, model: GraphModel, modelName: ModelName, r: GraphExploration): Violation[] {
  const out: Violation[] = [];
  for (const kind of VIOLATION_KINDS) {
    const f = r.findings.get(kind);
    if (f === undefined) continue;
    // an execution checker/beyondPorf.ts built: say why its trace is not an interleaving
    const message = porfCyclic(program, f.graph) ? `${f.message} (in an execution whose po ∪ rf has a cycle, as load buffering has: no interleaving of the threads gives it, and a read may read the write of a later row)` : f.message;
    const violation: Violation = { kind, message, trace: graphTrace(program, model, f.graph), finalState: graphState(program, f.graph), replay: encodeGraphToken(program, modelName, kind, f.graph) };
    out.push(f.code !== null ? { ...violation, code: f.code } : violation);
  }
  return out;
}

/** Memory (each word's co-latest value) and every register of a graph, by display name. */
export function graphState(program: IrProgram, g: ExecutionGraph): Record<string, number> {
  const initial = initialValues(program);
  const nameOf = slotNamer(program);
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  const lastOf = (slot: number): number => {
    const co = g.co.get(slot) ?? [];
    const last = co[co.length - 1];
    return last === undefined ? initial(slot) : g.writeValue(last, initial);
  };
  const bw = byteWords(program);
  for (let slot = 0; slot < program.memorySize; slot++) {
    // a word of a byte-by-byte location: each byte's co-latest write
    out[nameOf(slot)] = bw !== null && bw[slot] === 1 ? wordFromBytes(lastOf(byteSlot(slot, 0)), lastOf(byteSlot(slot, 1)), lastOf(byteSlot(slot, 2)), lastOf(byteSlot(slot, 3))) : lastOf(slot);
  }
  const regs = graphRegisters(program, g, Number.MAX_SAFE_INTEGER);
  program.threads.forEach((th, t) => {
    th.registers.forEach((name, reg) => {
      if (!name.startsWith('$')) out[`${th.name}:${name}`] = regs[t]?.[reg] ?? 0;
    });
  });
  return out;
}

/** The events of a graph as trace rows, in an order that respects po, rf and the model's hb (po and hb alone when po ∪ rf has a cycle: a read may then read a later row's write). */
export function graphTrace(program: IrProgram, model: GraphModel, g: ExecutionGraph): TraceStep[] {
  const initial = initialValues(program);
  const nameOfSlot = slotNamer(program);
  const x = toExecution(g, initial);
  const j = model.judge(x);
  const porf = x.po.union(x.rf);
  const order = topo(x.n, porf.union(j.hb)) ?? topo(x.n, porf) ?? topo(x.n, x.po.union(j.hb)) ?? [...Array(x.n).keys()];
  const steps: TraceStep[] = [];
  const name = (ref: number): string => {
    if (ref < 0) return 'the initial value';
    const e = g.event(ref) as GraphEvent;
    return `${program.threads[e.thread]?.name ?? '?'}'s write`;
  };
  for (const id of order) {
    const ev = x.events[id];
    if (ev === undefined || ev.thread < 0) continue;
    const e = g.event(ev.ref) as GraphEvent;
    if (e.rmw === 'write') continue; // shown with its read
    const slot = nameOfSlot(e.slot);
    let effect: string;
    let event: TraceStep['event'] = null;
    let action = 'instr';
    const waiter = waiterRow(program, g, e, name);
    if (waiter === 'hidden') continue;
    if (waiter !== null) {
      ({ effect, event, action } = waiter);
    } else switch (e.kind) {
      case 'read': {
        const w = g.threads[e.thread]?.[e.index + 1];
        const wrote = e.rmw === 'read' && w?.rmw === 'write' ? `, write ${slot} = ${w.value}` : e.rmw === 'read' ? ', no write (compare failed)' : '';
        // a wait's read of its word: the leave after it says whether the thread went to sleep
        const leave = e.rmw === 'none' ? g.threads[e.thread]?.[e.index + 1]?.rmwArgs : undefined;
        const verdict = leave?.op === 'wl_leave' ? (leave.operand >= 0 ? ': equal, sleeps' : ': not equal, returns not_equal') : '';
        effect = `read ${slot} = ${e.value} (${name(e.rf)})${wrote}${verdict}`;
        event = e.rmw === 'read' ? { kind: 'rmw', slot: e.slot, read: e.value, written: w?.rmw === 'write' ? w.value : null } : { kind: 'read', slot: e.slot, value: e.value };
        break;
      }
      case 'write': {
        const co = g.co.get(e.slot) ?? [];
        effect = `write ${slot} = ${e.value} (coherence position ${co.indexOf(eventRef(e.thread, e.index)) + 1} of ${co.length})`;
        event = { kind: 'write', slot: e.slot, value: e.value, buffered: false };
        break;
      }
      case 'fence':
        effect = `fence.${e.mode}`;
        event = { kind: 'fence', mode: e.mode };
        break;
      case 'enter':
        effect = 'enter critical region';
        break;
      case 'exit':
        effect = 'leave critical region';
        break;
    }
    steps.push({
      thread: e.thread,
      threadName: program.threads[e.thread]?.name ?? `#${e.thread}`,
      action,
      text: e.origin?.text ?? '',
      location: e.origin === null ? '' : `${program.file}:${e.origin.span.line}`,
      effect,
      buffers: [],
      event,
    });
  }
  return steps;
}

/**
 * The trace row of a waiter-list event (waiterList.ts): a notify (who it woke), a resume (woken,
 * or timed out); 'hidden' for a wait's enter and leave (its read of the word is the row); null for
 * any other event.
 */
function waiterRow(program: IrProgram, g: ExecutionGraph, e: GraphEvent, name: (ref: number) => string): { effect: string; event: TraceStep['event']; action: string } | 'hidden' | null {
  const op = e.rmwArgs?.op;
  if (op === undefined || !isWaiterOp(op)) return null;
  const base = program.threads.length + 1;
  const word = waitedSlot(program.memorySize, e.slot);
  const threadName = (t: number): string => program.threads[t]?.name ?? `#${t}`;
  switch (op) {
    case 'wl_enter':
    case 'wl_leave':
      return 'hidden';
    case 'wl_notify': {
      const after = g.threads[e.thread]?.[e.index + 1];
      const before = waiters(e.value, base);
      const woken = before.slice(0, before.length - (after === undefined ? before.length : waiters(after.value, base).length));
      return { effect: `woke ${woken.length}${woken.length > 0 ? ` (${woken.map(threadName).join(', ')})` : ''}`, event: { kind: 'notify', slot: word, woken }, action: 'instr' };
    }
    case 'wl_resume':
    case 'wl_resume_t':
      return holds(e.value, base, e.thread)
        ? { effect: 'timed out: returns timed_out', event: null, action: 'timeout' }
        : { effect: `woken by ${name(e.rf).replace(/'s write$/, "'s notify")}: returns ok`, event: null, action: 'instr' };
  }
}

/** A topological order of 0..n-1 under r (smallest id first among the ready), or null when r is cyclic. */
function topo(n: number, r: import('../model/memory/graph/index.js').Relation): number[] | null {
  const indeg = new Int32Array(n);
  r.forEach((a, b) => {
    if (a !== b) indeg[b] = (indeg[b] as number) + 1;
  });
  const out: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) ready.push(i);
  while (ready.length > 0) {
    ready.sort((a, b) => b - a);
    const a = ready.pop() as number;
    out.push(a);
    for (let b = 0; b < n; b++) {
      if (b !== a && r.has(a, b)) {
        indeg[b] = (indeg[b] as number) - 1;
        if (indeg[b] === 0) ready.push(b);
      }
    }
  }
  return out.length === n ? out : null;
}

// ---------------------------------------------------------------- replay tokens

function varints(values: readonly number[]): string {
  const bytes: number[] = [];
  for (const v of values) pushVarint(bytes, v);
  return toBase64Url(bytes);
}

function unvarints(s: string): number[] | null {
  const bytes = fromBase64Url(s);
  return bytes === null ? null : readVarints(bytes);
}

/** A reference as a non-negative number: 0 = an initial write, else 1 + thread·REF_STRIDE + index. */
function refCode(ref: number): number {
  return ref < 0 ? 0 : ref + 1;
}

/**
 * A token for a graph: [kind, checksum, threads, per thread: reads, their writes..., slots with
 * writes, per slot: slot, count, its writes in co order...], and, only for a graph whose po ∪ rf
 * has a cycle (checker/beyondPorf.ts), [reads, each read's value zigzag-coded...]: such a graph
 * cannot be rebuilt by running the threads in turn (a read's write comes later), so its values
 * are recorded and checked against the writes once every thread has run.
 */
export function encodeGraphToken(program: IrProgram, model: ModelName, kind: ViolationKind | null, g: ExecutionGraph): string {
  const values: number[] = [kind === null ? 0 : VIOLATION_KINDS.indexOf(kind) + 1, programChecksum(program)];
  values.push(g.threads.length);
  for (const list of g.threads) {
    const reads = list.filter((e) => e.kind === 'read').map((e) => refCode(e.rf));
    values.push(reads.length, ...reads);
  }
  const slots = [...g.co.entries()].filter(([, ws]) => ws.length > 0).sort((a, b) => a[0] - b[0]);
  values.push(slots.length);
  for (const [slot, ws] of slots) values.push(slot, ws.length, ...ws.map(refCode));
  if (porfCyclic(program, g)) {
    const read = g.threads.flatMap((list) => list.filter((e) => e.kind === 'read').map((e) => zigzag(e.value)));
    values.push(read.length, ...read);
  }
  return `${GRAPH_REPLAY_VERSION}.${model}.${varints(values)}`;
}

/** po ∪ rf of the graph has a cycle. */
function porfCyclic(program: IrProgram, g: ExecutionGraph): boolean {
  const x = toExecution(g, initialValues(program));
  return !x.po.union(x.rf).acyclic();
}

/** A 32-bit integer as a non-negative one (0, -1, 1, -2 … → 0, 1, 2, 3 …). */
function zigzag(v: number): number {
  return ((v << 1) ^ (v >> 31)) >>> 0;
}

function unzigzag(u: number): number {
  return (u >>> 1) ^ -(u & 1);
}

/** What a graph replay found: the same fields as a stateful replay. */
export type GraphReplay = Omit<ReplayOk, 'ok'>;

/** Rebuild the graph a token records, judge it and report what it shows. */
export function replayGraph(program: IrProgram, token: string, unroll = DEFAULT_UNROLL): { readonly ok: true; readonly replay: GraphReplay } | { readonly ok: false; readonly error: string } {
  const d = decodeGraphToken(program, token, unroll);
  if (!d.ok) return d;
  const { model, modelName, kind, graph: g } = d;
  const judged = judgeGraph(program, model, g, unroll);
  const observed = kind !== null && judged.findings.has(kind) ? kind : ([...judged.findings.keys()][0] ?? null);
  const ending = observed !== null ? (judged.findings.get(observed)?.message ?? '') : judged.consistent ? 'a consistent execution' : `an execution the model forbids (${judged.violated ?? '?'})`;
  return { ok: true, replay: { model: modelName, kind, trace: graphTrace(program, model, g), finalState: graphState(program, g), observed, ending } };
}

/** The execution graph a token records, rebuilt by re-running the program's threads. */
export function decodeGraphToken(
  program: IrProgram,
  token: string,
  unroll = DEFAULT_UNROLL,
): { readonly ok: true; readonly model: GraphModel; readonly modelName: ModelName; readonly kind: ViolationKind | null; readonly graph: ExecutionGraph } | { readonly ok: false; readonly error: string } {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[0] !== GRAPH_REPLAY_VERSION) return { ok: false, error: `malformed replay token '${token}': expected ${GRAPH_REPLAY_VERSION}.<model>.<data>` };
  const modelName = parts[1] as string;
  const model = graphModel(modelName);
  if (model === null) return { ok: false, error: `replay token names unknown model '${modelName}'` };
  const values = unvarints(parts[2] as string);
  if (values === null || values.length < 3) return { ok: false, error: 'malformed replay token: the data part is not valid' };
  let pos = 0;
  const take = (): number => values[pos++] ?? -1;
  const kindCode = take();
  if (kindCode < 0 || kindCode > VIOLATION_KINDS.length) return { ok: false, error: 'malformed replay token: unknown violation kind' };
  if (take() !== programChecksum(program)) return { ok: false, error: 'replay token was recorded for a different program (the file or its -D values changed since)' };
  const nThreads = take();
  if (nThreads !== program.threads.length) return { ok: false, error: 'replay token was recorded for a different program (thread count)' };
  const reads: number[][] = [];
  for (let t = 0; t < nThreads; t++) {
    const n = take();
    const rs: number[] = [];
    for (let i = 0; i < n && pos <= values.length; i++) rs.push(take() - 1);
    reads.push(rs);
  }
  const nSlots = take();
  const co = new Map<number, number[]>();
  for (let i = 0; i < nSlots; i++) {
    const slot = take();
    const n = take();
    const ws: number[] = [];
    for (let k = 0; k < n; k++) ws.push(take() - 1);
    co.set(slot, ws);
  }
  // the values of a graph with a po ∪ rf cycle
  let readValues: number[][] | null = null;
  if (pos < values.length) {
    const n = take();
    const flat: number[] = [];
    for (let i = 0; i < n && pos < values.length; i++) flat.push(unzigzag(take()));
    if (flat.length !== n || n !== reads.reduce((k, rs) => k + rs.length, 0)) return { ok: false, error: 'malformed replay token: truncated or trailing data' };
    readValues = reads.map((rs) => flat.splice(0, rs.length));
  }
  if (pos !== values.length || reads.some((rs) => rs.some((r) => r < -1))) return { ok: false, error: 'malformed replay token: truncated or trailing data' };
  const g = rebuild(program, model, reads, co, unroll, readValues);
  if (g === null) return { ok: false, error: 'replay token does not describe an execution of this program' };
  const kind = kindCode === 0 ? null : (VIOLATION_KINDS[kindCode - 1] as ViolationKind);
  return { ok: true, model, modelName: modelName as ModelName, kind, graph: g };
}

/**
 * A model's execution graph as a herd-style picture (checker/graph.ts): an initial write per
 * location, each thread's reads, writes and RMWs (one event; fences annotate the po edge they
 * sit on), po and co as chains of immediate successors, rf, fr to the co-successor of the write
 * read, and a shortest po ∪ rf ∪ co ∪ fr cycle (the reason sc forbids the execution), if any.
 */
export function graphPicture(program: IrProgram, modelName: ModelName, g: ExecutionGraph): PictureGraph {
  const initial = initialValues(program);
  const nameOfSlot = slotNamer(program);
  const events: PictureEvent[] = [];
  const idOf = new Map<number, string>();
  const touched = new Set<number>();
  // the hidden slots (sc fences, waiter lists) are not drawn as locations; byte slots are
  const hidden = (slot: number): boolean => slot >= program.memorySize && !isByteSlot(slot);
  for (const list of g.threads) for (const e of list) if (e.slot >= 0 && !hidden(e.slot)) touched.add(e.slot);
  for (const slot of [...touched].sort((a, b) => a - b)) {
    idOf.set(initRef(slot), `i${slot}`);
    events.push({ id: `i${slot}`, letter: '', kind: 'init', thread: -1, step: -1, slot, location: nameOfSlot(slot), read: null, written: initial(slot), buffered: false, drainStep: null, text: '' });
  }
  const edges: PictureEdge[] = [];
  const wakes: { from: string; thread: number; write: number }[] = [];
  let letter = 0;
  g.threads.forEach((list, t) => {
    let prev: string | null = null;
    let fences: string[] = [];
    list.forEach((e, i) => {
      const wop = e.rmwArgs?.op;
      if (e.kind === 'read' && wop !== undefined && isWaiterOp(wop)) {
        if (wop !== 'wl_notify') return; // a wait is drawn as its read of the word
        // a notify: an event of its own, with a wake edge to the wait of each thread it woke
        const id = `e${letter}`;
        const after = list[i + 1];
        const before = waiters(e.value, program.threads.length + 1);
        const woken = before.slice(0, before.length - (after === undefined ? before.length : waiters(after.value, program.threads.length + 1).length));
        const word = waitedSlot(program.memorySize, e.slot);
        events.push({ id, letter: eventLetter(letter++), kind: 'notify', thread: t, step: i, slot: word, location: nameOfSlot(word), read: woken.length, written: null, buffered: false, drainStep: null, text: e.origin?.text ?? '' });
        for (const w of woken) wakes.push({ from: id, thread: w, write: eventRef(t, i + 1) });
        if (prev !== null) edges.push({ kind: 'po', from: prev, to: id, external: false, fences });
        prev = id;
        fences = [];
        return;
      }
      if (e.kind === 'write' && e.rmw === 'write' && waitedSlot(program.memorySize, e.slot) >= 0) return;
      if (e.kind === 'fence' || (hidden(e.slot) && e.kind === 'read')) {
        fences.push(hidden(e.slot) ? 'sc' : e.mode);
        return;
      }
      if (e.kind === 'enter' || e.kind === 'exit' || hidden(e.slot)) return;
      const ref = eventRef(t, i);
      if (e.rmw === 'write') {
        idOf.set(ref, idOf.get(eventRef(t, i - 1)) ?? '');
        return;
      }
      const id = `e${letter}`;
      idOf.set(ref, id);
      const next = list[i + 1];
      const isRmw = e.rmw === 'read';
      const written = e.kind === 'write' ? e.value : isRmw && next?.rmw === 'write' ? next.value : null;
      events.push({ id, letter: eventLetter(letter++), kind: isRmw ? 'rmw' : e.kind === 'read' ? 'read' : 'write', thread: t, step: i, slot: e.slot, location: nameOfSlot(e.slot), read: e.kind === 'read' ? e.value : null, written, buffered: false, drainStep: null, text: e.origin?.text ?? '' });
      if (prev !== null) edges.push({ kind: 'po', from: prev, to: id, external: false, fences });
      prev = id;
      fences = [];
    });
  });
  const threadOf = (id: string): number => events.find((e) => e.id === id)?.thread ?? -1;
  const edge = (kind: PictureEdge['kind'], from: string | undefined, to: string | undefined): void => {
    if (from === undefined || to === undefined || from === to) return;
    edges.push({ kind, from, to, external: threadOf(from) !== threadOf(to), fences: [] });
  };
  for (const list of g.threads) {
    for (const e of list) {
      if (e.kind !== 'read' || hidden(e.slot)) continue;
      const me = idOf.get(eventRef(e.thread, e.index));
      edge('rf', idOf.get(e.rf), me);
      const chain = g.writesTo(e.slot);
      edge('fr', me, idOf.get(chain[chain.indexOf(e.rf) + 1] ?? Number.NaN));
    }
  }
  // a woken thread's wait: the read of the word three events before the resume that read the notify's write
  for (const wk of wakes) {
    const list = g.threads[wk.thread] ?? [];
    const resume = list.findIndex((e) => e.rf === wk.write && (e.rmwArgs?.op === 'wl_resume' || e.rmwArgs?.op === 'wl_resume_t'));
    if (resume >= 3) edge('wake', wk.from, idOf.get(eventRef(wk.thread, resume - 3)));
  }
  for (const slot of touched) {
    const chain = g.writesTo(slot);
    for (let k = 0; k + 1 < chain.length; k++) edge('co', idOf.get(chain[k] as number), idOf.get(chain[k + 1] as number));
  }
  return { test: program.name, model: modelName, threads: program.threads.map((th) => th.name), events, edges, cycle: shortestCycle(events, edges) };
}

/**
 * Re-run the threads feeding each read the value of its recorded write; null when the record does
 * not fit. With `readValues` (a graph with a po ∪ rf cycle) a read whose write is not there yet
 * takes its recorded value, and every read is checked against its write at the end.
 */
function rebuild(program: IrProgram, model: GraphModel, reads: readonly (readonly number[])[], co: ReadonlyMap<number, number[]>, unroll: number, readValues: readonly (readonly number[])[] | null): ExecutionGraph | null {
  const initial = initialValues(program);
  const T = program.threads.length;
  const g = new ExecutionGraph(T);
  const runners = program.threads.map((_, t) => new IrThreadRunner(program, t, { unroll, failedCasWrites: model.failedCasWrites === true }));
  const pendingRmw = new Array<{ slot: number; value: number; mode: GraphEvent['mode']; origin: GraphEvent['origin'] } | null>(T).fill(null);
  const doneThreads = new Array<boolean>(T).fill(false);
  const readsTaken = new Array<number>(T).fill(0);
  // threads move in turn; a read waits until the write it reads from is in the graph (po ∪ rf is acyclic)
  let progress = true;
  while (progress) {
    progress = false;
    for (let t = 0; t < T; t++) {
      if (doneThreads[t] === true) continue;
      const runner = runners[t] as IrThreadRunner;
      for (;;) {
        const pend = pendingRmw[t];
        if (pend !== undefined && pend !== null) {
          g.push({ kind: 'write', thread: t, slot: pend.slot, mode: pend.mode, value: pend.value, rf: -1, rmw: 'write', rmwArgs: null, addedMax: true, revisitable: false, region: -1, origin: pend.origin });
          pendingRmw[t] = null;
          progress = true;
          continue;
        }
        const op = runner.next();
        // asleep in a wait for good: the record has no resume for it
        const asleep = op.kind === 'rmw' && (op.op === 'wl_resume' || op.op === 'wl_resume_t') && readsTaken[t] === reads[t]?.length;
        if (op.kind === 'done' || op.kind === 'blocked' || op.kind === 'error' || asleep) {
          doneThreads[t] = true;
          if (readsTaken[t] !== reads[t]?.length) return null;
          progress = true;
          break;
        }
        const base = { thread: t, rf: -1, rmw: 'none' as const, rmwArgs: null, addedMax: true, revisitable: false, region: -1, origin: op.origin };
        if (op.kind === 'write') {
          g.push({ ...base, kind: 'write', slot: op.slot, mode: op.mode, value: op.value, ...(op.bytes === undefined ? {} : { bytes: op.bytes }) });
          runner.resume(0);
          progress = true;
          continue;
        }
        if (op.kind === 'enter' || op.kind === 'exit' || (op.kind === 'fence' && !(model.scFenceAsRmw === true && op.mode === 'sc'))) {
          g.push({ ...base, kind: op.kind, slot: -1, mode: op.kind === 'fence' ? op.mode : 'plain', value: 0, region: op.kind === 'fence' ? -1 : op.region });
          runner.resume(0);
          progress = true;
          continue;
        }
        // a read (load, RMW, or an sc fence as an RMW of the hidden location)
        const src = reads[t]?.[readsTaken[t] as number];
        if (src === undefined) return null;
        const recorded = readValues?.[t]?.[readsTaken[t] as number];
        const ahead = src >= 0 && (g.threads[Math.floor(src / REF_STRIDE)]?.length ?? 0) <= src % REF_STRIDE;
        if (ahead && recorded === undefined) break; // its write is not there yet: another thread first
        const slot = op.kind === 'read' || op.kind === 'rmw' ? op.slot : program.memorySize;
        const value = recorded ?? (src < 0 ? initial(slot) : g.writeValue(src, initial));
        if (src >= 0 && !ahead && (g.event(src) as GraphEvent).slot !== slot) return null;
        readsTaken[t] = (readsTaken[t] as number) + 1;
        if (op.kind === 'read') {
          g.push({ ...base, kind: 'read', slot, mode: op.mode, value, rf: src < 0 ? initRef(slot) : src, ...(op.bytes === undefined ? {} : { bytes: op.bytes }) });
        } else {
          const args = op.kind === 'rmw' ? { op: op.op, operand: op.operand, expected: op.expected } : { op: 'fetch_add' as const, operand: 1, expected: 0 };
          g.push({ ...base, kind: 'read', slot, mode: op.kind === 'rmw' ? op.mode : 'sc', value, rf: src < 0 ? initRef(slot) : src, rmw: 'read', rmwArgs: args });
          const w = rmwWrite(args, value, model.failedCasWrites === true);
          if (w !== null) pendingRmw[t] = { slot, value: w, mode: op.kind === 'rmw' ? op.mode : 'sc', origin: op.origin };
        }
        runner.resume(value);
        progress = true;
      }
    }
  }
  if (doneThreads.some((d) => !d)) return null;
  // every read reads its write's value from its slot (checked now: with recorded values a write may have come after its read)
  for (const list of g.threads) {
    for (const e of list) {
      if (e.kind !== 'read') continue;
      const w = e.rf < 0 ? null : g.threads[Math.floor(e.rf / REF_STRIDE)]?.[e.rf % REF_STRIDE];
      if (e.rf >= 0 && (w === undefined || w === null || w.kind !== 'write' || w.slot !== e.slot)) return null;
      if (e.rf < 0 && e.rf !== initRef(e.slot)) return null;
      if (e.value !== g.writeValue(e.rf, initial)) return null;
    }
  }
  for (const [slot, ws] of co) {
    for (const w of ws) if (w < 0 || (g.event(w)?.slot ?? -2) !== slot) return null;
    g.co.set(slot, ws.slice());
  }
  // every write of the graph must be placed in coherence order
  for (const list of g.threads) for (const e of list) if (e.kind === 'write' && !(g.co.get(e.slot) ?? []).includes(eventRef(e.thread, e.index))) return null;
  return g;
}
