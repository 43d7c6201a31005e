/**
 * The model checker: explicit-state exploration of every interleaving of a program under one
 * memory model, with budgets, property checks and counterexamples.
 *
 * One loop, shared by every strategy (the strategy only orders the frontier): pop a stored
 * state; under js check it for a data race; if final, record its outcome and check the final
 * condition; if nothing is enabled, it is a deadlock; otherwise apply each enabled transition in
 * the machine's order: an `assume` that fails drops the branch, an assert failure / run-time
 * error / mutual-exclusion violation is recorded (first of each kind) and that branch is not
 * continued, and an ordinary successor is stored (if new) and queued. After a complete search,
 * livelock detection runs over the recorded edges (livelock.ts).
 *
 * Budgets: maxStates, timeLimitMs and maxMemoryBytes stop the search with verdict
 * 'inconclusive' and partial results; every large allocation is reserved through one
 * MemoryBudget, so running out is a verdict, not a crash.
 *
 * Reductions (both on by default, switchable): symmetry (symmetry.ts) stores one canonical
 * representative per orbit of interchangeable template instances, and weights each final state
 * by its orbit size so outcome and witness counts stay those of the full search; partial-order
 * reduction (por.ts) expands a state with a single-transition ample set when one exists, its step
 * is ok and its successor is new (the cycle proviso), else fully; with it, statement merging
 * (merge.ts) runs the thread-local instructions after each step as part of that step, so the
 * states in between are never stored; dead-register reset (liveness.ts) zeroes the registers no
 * future step reads. With any of them on, counterexample traces are rebuilt by re-executing the
 * stored transitions (trace.ts), one row per instruction.
 *
 * Memory: the visited set stores states byte-packed while their values allow (visited.ts); the
 * edge list for livelock detection holds only the edges that are not parent links, and none at
 * all for a program without a backward jump (its state graph is acyclic: no livelock possible).
 * With `hashCompact` (fingerprints.ts) it stores 64-bit fingerprints instead of states: the
 * frontier's states wait in full in a pool (PendingStates) until expanded, a stored state is
 * rebuilt by re-executing its path when needed (livelock messages), traces are always rebuilt by
 * re-execution, and the statistics carry the estimated probability that a state was omitted.
 */
import type { IrProgram } from '../model/ir.js';
import { checksRaces } from '../model/memory/registry.js';
import { createMachine } from '../model/semantics/createMachine.js';
import { STEP, TR, type Machine } from '../model/semantics/machine.js';
import { VIOLATION_KINDS, type CheckFn, type CheckOptions, type CheckResult, type CheckStats, type Violation, type ViolationKind } from './api.js';
import { EdgeList, findLivelock, livelockMessage, spinningThreads, type StoredStep } from './livelock.js';
import { mergerFor, type Merger } from './merge.js';
import { MemoryBudget } from './memory.js';
import { DEFAULT_FINGERPRINT, FINGERPRINT_BITS, omissionProbability, PendingStates, type Fingerprint } from './fingerprints.js';
import { conditionMessage, deadlockMessage, FINAL, OutcomeCollector, stepViolationKind, stepViolationMessage } from './properties.js';
import { encodeReplayToken, programChecksum } from './replay.js';
import { STRATEGIES } from './strategy.js';
import { buildTrace, pathTo } from './trace.js';
import { porFor } from './por.js';
import { deadRegistersFor, type DeadRegisters } from './liveness.js';
import { symmetryFor, type Symmetry } from './symmetry.js';
import { FLAG, INSERT_NO_MEMORY, INSERT_NO_ROOM, packTransition, transArg, transKind, transThread, TRANS_NONE, VisitedSet } from './visited.js';

/** Default memory budget: 4 GiB. */
export const DEFAULT_MAX_MEMORY_BYTES = 4 * 1024 * 1024 * 1024;

/** Expansions between clock reads. */
const CLOCK_EVERY = 256;
/** Milliseconds between progress reports. */
const PROGRESS_EVERY_MS = 1000;

const perf = (globalThis as { readonly performance?: { now(): number } }).performance;

/** The default clock: performance.now() when the host has it, else Date.now(). */
export function defaultClock(): number {
  return perf !== undefined ? perf.now() : Date.now();
}

/** Where a violation was found, before its trace is built (cold path, at the end). */
type Found =
  | { readonly at: 'state'; readonly state: number; readonly message: string }
  | { readonly at: 'step'; readonly state: number; readonly kind: number; readonly thread: number; readonly arg: number };

/** Check a program under one memory model. */
export const check: CheckFn = (program: IrProgram, options: CheckOptions): CheckResult => {
  const machine = createMachine(program, options.model, options.bufferBound === undefined ? {} : { bufferBound: options.bufferBound });
  return checkMachine(machine, options);
};

/** Test seams of `checkMachine` (not options a user sets). */
export interface CheckSeams {
  /** the fingerprint used under `hashCompact` (default DEFAULT_FINGERPRINT); tests inject weak ones to force collisions */
  readonly fingerprint?: Fingerprint;
}

/** Explore a given machine (the seam tests use with hand-made machines). */
export function checkMachine(machine: Machine, options: CheckOptions, seams: CheckSeams = {}): CheckResult {
  const program = machine.program;
  const now = options.now ?? defaultClock;
  const t0 = now();
  const strategy = STRATEGIES[options.strategy ?? 'bfs'];
  const budget = new MemoryBudget(options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES);
  const compact = options.hashCompact === true;
  const visited = new VisitedSet(machine.stateLength, budget, options.maxStates ?? 0x7fffffff, compact ? (seams.fingerprint ?? DEFAULT_FINGERPRINT) : null);
  const frontier = strategy.createFrontier(budget);
  /** under hash compaction, the full states the frontier's entries (slots here) stand for */
  const pending = compact ? new PendingStates(machine.stateLength, budget) : null;
  // a real machine whose threads never jump backwards has an acyclic state graph (every step
  // raises a pc, blocks a thread in a wait, or drains a buffered store), so no state can be
  // livelocked and no edge needs listing; opaque machines (no structure) always list them
  const mayCycle = machine.structure === null || program.threads.some((th) => th.code.some((i, pc) => (i.kind === 'jump' || i.kind === 'branch') && i.target <= pc));
  let edges: EdgeList | null = mayCycle ? new EdgeList(budget) : null;
  let livelockCheck: NonNullable<CheckStats['livelockCheck']> = 'checked';
  const collector = new OutcomeCollector(machine);
  const found = new Map<ViolationKind, Found>();
  const racy = checksRaces(options.model);

  const symSetup = options.symmetry === false ? null : symmetryFor(machine);
  const sym = symSetup !== null && symSetup.kind === 'on' ? symSetup.symmetry : null;
  const symmetryStatus = symSetup === null ? 'off (--no-symmetry)' : symSetup.kind === 'on' ? 'on' : symSetup.status;
  const por = options.por === false ? null : porFor(machine);
  const porStatus = options.por === false ? 'off (--no-por)' : por === null ? 'n/a (an opaque machine: no footprints)' : 'on';
  const dead = options.deadRegisters === false ? null : deadRegistersFor(machine);
  const deadStatus = options.deadRegisters === false ? 'off (--no-dead-registers)' : dead === null ? 'n/a' : 'on';
  // statement merging goes with partial-order reduction (as in SPIN)
  const merge = options.por === false ? null : mergerFor(machine);
  let mergedSteps = 0;
  /** successor states in which dead-register reset cleared a stale value */
  let deadCleared = 0;
  const resetAfterAny = machine.program.threads.some((th) => th.code.some((i) => i.kind === 'notify'));
  let porPruned = 0;
  let porAmple = 0;
  let symmetryStates = 0;

  const L = machine.stateLength;
  const trans = new Int32Array(Math.max(1, machine.maxTransitions) * 3);
  const next = new Int32Array(L);
  /** the state being expanded, unpacked from the visited set */
  const cur = new Int32Array(L);
  let budgetExhausted: CheckResult['budgetExhausted'] = null;
  let transitions = 0;
  let maxDepth = 0;
  let finalStates = 0;
  let expansions = 0;
  let lastProgress = t0;

  /** Give up the edge list (livelock detection) to make room; true if anything was freed. */
  const dropEdges = (): boolean => {
    if (edges === null) return false;
    edges.dispose();
    edges = null;
    livelockCheck = 'skipped-memory';
    return true;
  };

  /** Store a state; on a refused reservation, drop the edges and retry once. Returns the index or an INSERT_* code. */
  const store = (s: Int32Array, parent: number, tr: number): number => {
    let idx = visited.insert(s, 0, parent, tr);
    if (idx === INSERT_NO_MEMORY && dropEdges()) idx = visited.insert(s, 0, parent, tr);
    return idx;
  };
  /** Queue stored state `idx` (whose words are s[0..]); under hash compaction the frontier holds a slot of `pending`. */
  const enqueue = (idx: number, depth: number, s: Int32Array): boolean => {
    if (pending === null) return frontier.push(idx, depth) || (dropEdges() && frontier.push(idx, depth));
    let slot = pending.put(idx, s, 0);
    if (slot < 0 && dropEdges()) slot = pending.put(idx, s, 0);
    if (slot < 0) return false;
    if (frontier.push(slot, depth) || (dropEdges() && frontier.push(slot, depth))) return true;
    pending.free(slot);
    return false;
  };

  /** expand results: the budget ran out; a new state; a known state; a step that is not ok */
  const ABORT = 0;
  const NEW = 1;
  const OLD = 2;
  const BAD = 3;
  /** After an ok step of `thread` by a transition of `kind`, bring `dst` to its stored form (before symmetry): merged local steps, dead registers reset. */
  const normalize = (dst: Int32Array, kind: number, thread: number): void => {
    if (merge !== null && kind !== TR.drain) mergedSteps += merge.run(dst, 0, thread);
    if (dead !== null) {
      // a notify moves the threads it wakes, too
      const cleared = resetAfterAny ? dead.resetAll(dst, 0) : dead.reset(dst, 0, thread);
      if (cleared > 0) deadCleared++;
    }
  };

  /** Take transition number `t` of `trans` from stored state `s`; returns ABORT, NEW, OLD or BAD. */
  const expand = (s: number, words: Int32Array, off: number, depth: number, t: number): number => {
    const kind = trans[3 * t] as number;
    const thread = trans[3 * t + 1] as number;
    const arg = trans[3 * t + 2] as number;
    const status = machine.apply(words, off, kind, thread, arg, next, 0);
    transitions++;
    switch (status) {
      case STEP.ok: {
        normalize(next, kind, thread);
        if (sym !== null) sym.canonicalize(next, 0);
        const idx = store(next, s, packTransition(kind, thread, arg));
        if (idx < 0) {
          budgetExhausted = idx === INSERT_NO_ROOM ? 'states' : 'memory';
          return ABORT;
        }
        const fresh = visited.lastInserted;
        if (fresh) {
          if (sym !== null) symmetryStates += sym.orbitSize(next, 0);
          if (depth + 1 > maxDepth) maxDepth = depth + 1;
          if (!enqueue(idx, depth + 1, next)) {
            budgetExhausted = 'memory';
            return ABORT;
          }
        }
        // a new state's edge is its parent link: only edges to known states are listed
        if (!fresh && edges !== null && !edges.add(s, idx)) dropEdges();
        return fresh ? NEW : OLD;
      }
      case STEP.pruned:
        visited.addFlags(s, FLAG.end);
        return BAD;
      case STEP.assertFailed:
      case STEP.runtimeError:
      case STEP.mutexViolated: {
        visited.addFlags(s, FLAG.end);
        const vk = stepViolationKind(status);
        if (vk !== null && !found.has(vk)) found.set(vk, { at: 'step', state: s, kind, thread, arg });
        return BAD;
      }
      default:
        throw new Error(`internal error: Machine.apply returned unknown status ${String(status)} (this is a bug in memweave)`);
    }
  };

  machine.initial(next, 0);
  if (merge !== null) mergedSteps += merge.runAll(next, 0);
  dead?.resetAll(next, 0);
  if (sym !== null) {
    sym.canonicalize(next, 0);
    symmetryStates += sym.orbitSize(next, 0);
  }
  const root = store(next, -1, TRANS_NONE);
  if (root === INSERT_NO_MEMORY) budgetExhausted = 'memory';
  else if (root === INSERT_NO_ROOM) budgetExhausted = 'states';
  else if (!enqueue(root, 0, next)) budgetExhausted = 'memory';

  if (compact) {
    // a stored state is a fingerprint: rebuild it by re-running its path's stored transitions on
    // stored forms, exactly as the search produced them (cold path: livelock messages)
    const tmp = new Int32Array(L);
    visited.reconstruct = (i: number, out: Int32Array, outOff: number): void => {
      const path = pathTo(visited, i);
      const s = new Int32Array(L);
      machine.initial(s, 0);
      if (merge !== null) merge.runAll(s, 0);
      dead?.resetAll(s, 0);
      sym?.canonicalize(s, 0);
      for (let k = 1; k < path.length; k++) {
        const tr = visited.transition(path[k] as number);
        const kind = transKind(tr);
        const thread = transThread(tr);
        if (machine.apply(s, 0, kind, thread, transArg(tr), tmp, 0) !== STEP.ok) {
          throw new Error('internal error: a stored transition did not replay (this is a bug in memweave)');
        }
        if (merge !== null && kind !== TR.drain) merge.run(tmp, 0, thread);
        if (dead !== null) {
          if (resetAfterAny) dead.resetAll(tmp, 0);
          else dead.reset(tmp, 0, thread);
        }
        sym?.canonicalize(tmp, 0);
        s.set(tmp);
      }
      out.set(s, outOff);
    };
  }

  search: while (budgetExhausted === null) {
    if (++expansions % CLOCK_EVERY === 0) {
      const t = now();
      if (options.timeLimitMs !== undefined && t - t0 >= options.timeLimitMs) {
        budgetExhausted = 'time';
        break;
      }
      if (options.onProgress !== undefined && t - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = t;
        options.onProgress({ states: visited.count, transitions, frontier: frontier.size, bytes: budget.used, elapsedMs: t - t0 });
      }
    }
    const popped = frontier.pop();
    if (popped < 0) break;
    const depth = frontier.lastDepth;
    let s = popped;
    if (pending === null) visited.load(s, cur, 0);
    else s = pending.take(popped, cur, 0);
    const words = cur;
    const off = 0;

    if (racy && !found.has('race')) {
      const race = machine.race(words, off);
      if (race !== null) found.set('race', { at: 'state', state: s, message: `data race: ${race.message}` });
    }
    if (machine.isFinal(words, off)) {
      const weight = sym === null ? 1 : sym.orbitSize(words, off);
      finalStates += weight;
      visited.addFlags(s, FLAG.final);
      const f = collector.add(words, off, weight);
      if (f === FINAL.falsifies && !found.has('condition')) found.set('condition', { at: 'state', state: s, message: conditionMessage(program) });
      continue;
    }
    const n = machine.enabled(words, off, trans);
    if (n === 0) {
      visited.addFlags(s, FLAG.end);
      if (!found.has('deadlock')) found.set('deadlock', { at: 'state', state: s, message: deadlockMessage(machine, words, off) });
      continue;
    }
    const ample = por === null ? -1 : por.choose(words, off, trans, n);
    if (ample >= 0) {
      const r = expand(s, words, off, depth, ample);
      if (r === ABORT) break search;
      if (r === NEW) {
        porAmple++;
        porPruned += n - 1;
        continue;
      }
    }
    for (let t = 0; t < n; t++) {
      if (t !== ample && expand(s, words, off, depth, t) === ABORT) break search;
    }
  }

  // livelock: only meaningful after a complete search
  if (budgetExhausted !== null) livelockCheck = 'skipped-incomplete';
  else if (edges !== null) {
    frontier.dispose();
    const ll = findLivelock(visited, edges, budget);
    if (ll.kind === 'found') {
      // under symmetry the stored graph is over representatives: the message is rebuilt on the trace's real end state
      const storedStep: StoredStep = (src, kind, thread, arg, dst) => {
        const status = machine.apply(src, 0, kind, thread, arg, dst, 0);
        if (status === STEP.ok) normalize(dst, kind, thread);
        return status;
      };
      const spinning = sym === null ? spinningThreads(machine, visited, ll.state, storedStep) : [];
      found.set('livelock', { at: 'state', state: ll.state, message: livelockMessage(machine, visited.copy(ll.state), 0, spinning) });
    } else if (ll.kind === 'no-memory') livelockCheck = 'skipped-memory';
  }

  const violations = buildViolations(machine, options, visited, found, sym, dead, merge, compact);
  const ms = now() - t0;
  const verdict = violations.length > 0 ? 'fail' : budgetExhausted !== null ? 'inconclusive' : 'pass';
  const stats: CheckStats = {
    statesStored: visited.count,
    transitions,
    maxDepth,
    finalStates,
    ms,
    peakBytes: budget.peak,
    bytesPerState: visited.bytesPerState(),
    bufferBoundHit: machine.bufferBoundHit,
    livelockCheck,
    symmetry: symmetryStatus,
    ...(sym !== null ? { symmetryStates } : {}),
    por: porStatus,
    deadRegisters: deadStatus,
    porPruned,
    porAmple,
    mergedSteps,
    deadCleared,
    ...(compact ? { hashCompact: { bits: FINGERPRINT_BITS, omissionProbability: omissionProbability(visited.count) } } : {}),
  };
  const result: CheckResult = {
    test: program.name,
    model: options.model,
    strategy: strategy.name,
    verdict,
    budgetExhausted,
    outcomes: collector.outcomes(),
    condition: collector.condition(),
    violations,
    stats,
  };
  edges?.dispose();
  frontier.dispose();
  pending?.dispose();
  visited.dispose();
  return result;
}

/** Turn the recorded findings into violations with traces and replay tokens, in VIOLATION_KINDS order. */
function buildViolations(
  machine: Machine,
  options: CheckOptions,
  visited: VisitedSet,
  found: ReadonlyMap<ViolationKind, Found>,
  sym: Symmetry | null,
  dead: DeadRegisters | null,
  merge: Merger | null,
  compact: boolean,
): Violation[] {
  const normalize =
    dead === null
      ? null
      : (s: Int32Array, off: number): void => {
          dead.resetAll(s, off);
        };
  const out: Violation[] = [];
  const checksum = programChecksum(machine.program);
  for (const kind of VIOLATION_KINDS) {
    const f = found.get(kind);
    if (f === undefined) continue;
    // under hash compaction stored states cannot be read back: always re-execute
    const built = buildTrace(machine, visited, f.state, f.at === 'step' ? f : null, sym, dead !== null || compact, merge, normalize);
    let message: string;
    // dead registers do not show in messages (they name pcs, enabledness and addresses: live data), representatives' thread order does
    if (f.at === 'state') message = sym === null ? f.message : stateMessage(machine, kind, built.last, f.message);
    else {
      const last = built.steps[built.steps.length - 1];
      const vk = stepViolationKind(built.lastStatus ?? STEP.ok) ?? (kind as 'assert' | 'runtime' | 'mutex');
      message = stepViolationMessage(vk, last?.threadName ?? '?', last?.location ?? '', built.lastMessage);
    }
    const replay = encodeReplayToken({ model: options.model, kind, bufferBound: options.bufferBound ?? null, checksum, choices: built.choices });
    out.push({ kind, message, trace: built.steps, finalState: machine.renderState(built.last, 0), replay });
  }
  return out;
}

/** Under symmetry, the message of a state violation rebuilt on the real state a trace ends in (the stored state is its representative, with threads in another order). */
function stateMessage(machine: Machine, kind: ViolationKind, last: Int32Array, stored: string): string {
  switch (kind) {
    case 'deadlock':
      return deadlockMessage(machine, last, 0);
    case 'race': {
      const race = machine.race(last, 0);
      return race === null ? stored : `data race: ${race.message}`;
    }
    case 'livelock': {
      const unfinished = machine.describeThreads(last, 0).flatMap((d, i) => (d.startsWith('finished') ? [] : [i]));
      return livelockMessage(machine, last, 0, unfinished);
    }
    default:
      return stored;
  }
}
