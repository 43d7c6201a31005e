/**
 * `explore(module, options)`: check real TypeScript/JavaScript threads over a modelled shared
 * buffer. The module (a path) exports a scenario, `{ bytes, setup?, threads, check? }`; it and
 * every module it imports relatively are transformed (explore/transform.ts) so each shared
 * operation is a scheduling point, run one worker per thread (explore/pool.ts), and explored
 * under SC with DPOR (explore/optimal.ts by default, explore/dpor.ts for the classic search and replays). The answer: a verdict, the first violation with its trace
 * (file:line:col in the user's sources), a replay token, and statistics.
 */
import { resolve } from 'node:path';
import { explore as classicDpor, ReplayMismatch, SEARCH_ALGORITHMS, exhaustive, type Bounds, type ExplorationStats, type SearchAlgorithm, type System } from './dpor.js';
import { exploreOptimal } from './optimal.js';
import { Execution, type ExecutionFailure, type StepRecord } from './execution.js';
import { StalledError, ThreadPool, type LoadEvent } from './pool.js';
import { transformGraph, type TransformDiagnostic } from './transform.js';

/** What a scenario module exports (the threads run in their own workers: share only memory). */
export interface Scenario<Context = unknown> {
  /** size of the modelled SharedArrayBuffer, bytes */
  readonly bytes: number;
  /** runs first, alone; its (structured-cloneable) result is each thread's second argument */
  readonly setup?: (buffer: SharedArrayBuffer) => Context;
  /**
   * the threads; each gets the buffer and setup's result; a throw is a violation. A thread may be
   * async: its promise's value is its result, and its `Atomics.waitAsync` promises settle when a
   * notify or a timeout resolves them while the thread is idle (docs/explore.md)
   */
  readonly threads: readonly ((buffer: SharedArrayBuffer, context: Context) => unknown)[];
  /** after every thread finished: true or undefined holds, false or a message is a violation */
  readonly check?: (buffer: SharedArrayBuffer, results: readonly unknown[], context: Context) => boolean | string | undefined | void;
}

/** The memory models explore() answers under (the `model` option): sc, and js through SC-DRF. */
export const EXPLORE_MODELS = ['sc', 'js'] as const;
export type ExploreModel = (typeof EXPLORE_MODELS)[number];

/** Options of {@link explore}. */
export interface ExploreOptions {
  /** the export holding the scenario, default 'default' */
  readonly export?: string;
  /**
   * 'sc' (default): sequentially consistent interleavings, plain accesses included. 'js': the
   * ECMAScript memory model through its SC-DRF guarantee (ECMA-262 §29.10): the same
   * interleavings with a data-race detector (explore/races.ts); a race is the violation, and a
   * race-free answer is JavaScript's exactly
   */
  readonly model?: ExploreModel;
  /** preemptions per execution (default unbounded); a backtrack point beyond it makes the answer inconclusive */
  readonly maxPreemptions?: number;
  /** scheduling points per execution, default 10 000; reaching it is inconclusive */
  readonly maxSteps?: number;
  /** executions, default 100 000; reaching it is inconclusive */
  readonly maxExecutions?: number;
  /** orders the threads fresh states try first (default 0: thread order) */
  readonly seed?: number;
  /** re-run exactly the schedule of this token (from a result's `replay`) */
  readonly replay?: string;
  /** re-reads of unchanged memory a thread makes without a scheduling point before it parks; 0 turns spin collapse off; default 10 000 */
  readonly spinLimit?: number;
  /** a thread silent this long (ms) in local code is reported stalled; a safety net, default 20 000 */
  readonly stallMs?: number;
  /** the DPOR search: 'optimal' (default; wakeup trees, one execution per Mazurkiewicz trace) or 'classic' (Flanagan–Godefroid with sleep sets, to measure against) */
  readonly algorithm?: SearchAlgorithm;
}

/** One row of a counterexample. */
export interface ExploreStep {
  readonly step: number;
  readonly thread: number;
  readonly what: string;
  /** "file:line:col" of the operation in the user's source */
  readonly at: string;
}

/** The violation an exploration found. */
export interface ExploreViolation {
  readonly kind: 'check' | 'error' | 'escape' | 'deadlock' | 'stalled' | 'race';
  readonly message: string;
  /** where it was raised, when known */
  readonly at: string | null;
  readonly trace: readonly ExploreStep[];
  readonly replay: string;
}

/** The answer of {@link explore}. */
export interface ExploreResult {
  readonly verdict: 'pass' | 'fail' | 'inconclusive';
  /** why the answer is inconclusive (a bound, a replay, a refused input) */
  readonly reason: string | null;
  readonly violation: ExploreViolation | null;
  /** X1xx diagnostics when the module graph could not be transformed */
  readonly diagnostics: readonly TransformDiagnostic[];
  readonly stats: { readonly executions: number; /** of the executions, those cut because every enabled thread was asleep (redundant) */ readonly sleepBlocked: number; readonly steps: number; readonly roundTrips: number; readonly threads: number; readonly modules: number; readonly points: number; readonly elapsedMs: number; readonly seed: number };
  /** what was explored, so a report can print the call that replays it */
  readonly scenario: ExploredScenario;
}

/** The module, export and spin limit an exploration ran with (a replay needs the same three). */
export interface ExploredScenario {
  /** the scenario module, an absolute path */
  readonly module: string;
  readonly export: string;
  readonly spinLimit: number;
}

const TOKEN = /^mx1\.(\d+)\.([0-9a-z]*)$/;

/** The replay token of a schedule: `mx1.<threads>.<one base-36 digit per step>`. */
export function replayToken(threads: number, schedule: readonly number[]): string {
  return `mx1.${threads}.${schedule.map((t) => t.toString(36)).join('')}`;
}

function seededOrder(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  if (s === 0) return order;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0; // LCG (Numerical Recipes)
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

function refused(reason: string, diagnostics: readonly TransformDiagnostic[], seed: number, scenario: ExploredScenario): ExploreResult {
  return { verdict: 'inconclusive', reason, violation: null, diagnostics, stats: { executions: 0, sleepBlocked: 0, steps: 0, roundTrips: 0, threads: 0, modules: 0, points: 0, elapsedMs: 0, seed }, scenario };
}

/** Explore every interleaving of the scenario the module at `path` exports (see docs/explore.md). */
export async function explore(path: string, options: ExploreOptions = {}): Promise<ExploreResult> {
  const started = performance.now();
  const seed = options.seed ?? 0;
  const scenario: ExploredScenario = { module: resolve(path), export: options.export ?? 'default', spinLimit: options.spinLimit ?? 10_000 };
  if (options.algorithm !== undefined && !(SEARCH_ALGORITHMS as readonly string[]).includes(options.algorithm)) return refused(`algorithm ${String(options.algorithm)} is not a search explore() has (${SEARCH_ALGORITHMS.join(' or ')})`, [], seed, scenario);
  if (options.model !== undefined && !(EXPLORE_MODELS as readonly string[]).includes(options.model)) return refused(`model ${String(options.model)} is not available to explore (${EXPLORE_MODELS.join(' or ')})`, [], seed, scenario);
  const graph = transformGraph(scenario.module);
  if (!graph.ok) return refused(`the code under test could not be transformed: ${graph.diagnostics.map((d) => `${d.code} ${d.at}: ${d.message}`).join('; ')}`, graph.diagnostics, seed, scenario);
  const points = Object.values(graph.modules).reduce((s, m) => s + m.points, 0);
  const pool = new ThreadPool(
    { modules: graph.modules, entry: graph.entry, exportName: scenario.export, spinLimit: scenario.spinLimit, stallMs: options.stallMs ?? 20_000 },
    8,
  );
  try {
    const loaded = pool.spawn(0);
    if (!loaded.ok) return refused(`the scenario module failed to load: ${loaded.error.message}`, [], seed, scenario);
    const shape = checkShape(loaded);
    if (shape !== null) return refused(shape, [], seed, scenario);
    for (let i = 1; i < loaded.threads; i++) {
      const l = pool.spawn(i);
      if (!l.ok) return refused(`the scenario module failed to load in worker ${i}: ${l.error.message}`, [], seed, scenario);
    }
    const result = run(pool, loaded as LoadEvent & { ok: true; bytes: number }, options, seed);
    const stats = { ...result.stats, roundTrips: pool.trips, modules: Object.keys(graph.modules).length, points, elapsedMs: Math.round(performance.now() - started), seed };
    return { ...result, stats, scenario };
  } finally {
    await pool.close();
  }
}

function checkShape(l: LoadEvent & { ok: true }): string | null {
  if (typeof l.bytes !== 'number' || !Number.isInteger(l.bytes) || l.bytes <= 0 || l.bytes > 1 << 20) return `the scenario's bytes must be an integer from 1 to 1048576, got ${String(l.bytes)}`;
  if (l.threads < 1 || l.threads > 8) return `the scenario must have 1 to 8 threads, got ${l.threads}`;
  return null;
}

interface RunAnswer {
  readonly verdict: ExploreResult['verdict'];
  readonly reason: string | null;
  readonly violation: ExploreViolation | null;
  readonly diagnostics: readonly TransformDiagnostic[];
  readonly stats: { executions: number; sleepBlocked: number; steps: number; threads: number };
}

/** The system DPOR sees: executions over the pool, recording the trace of the current one. */
function systemOf(pool: ThreadPool, bytes: number, threads: number, hasCheck: boolean, found: { failure: ExecutionFailure | null; trace: StepRecord[] }, races: boolean): System<Execution> {
  let trace: StepRecord[] = [];
  return {
    begin: () => {
      trace = [];
      return new Execution(pool, bytes, threads, races);
    },
    threads: (e) => e.threads,
    enabled: (e, t) => e.failure === null && e.enabled(t),
    step: (e, t) => {
      const r = e.step(t);
      trace.push(r);
      return r.footprint;
    },
    over: (e) => e.failure !== null || e.finished,
    end: (e, cut) => {
      if (e.failure === null && !cut && !e.finished) e.failure = { kind: 'deadlock', message: `no thread can move: ${e.stuck().join('; ')}` };
      if (e.failure === null && !cut) e.runCheck(hasCheck);
      e.abort();
      if (e.failure !== null) {
        found.failure = e.failure;
        found.trace = trace;
        return true;
      }
      return false;
    },
  };
}

function run(pool: ThreadPool, loaded: { threads: number; bytes: number; hasCheck: boolean }, options: ExploreOptions, seed: number): RunAnswer {
  const threads = loaded.threads;
  const bounds: Bounds = {
    maxPreemptions: options.maxPreemptions ?? Infinity,
    maxSteps: options.maxSteps ?? 10_000,
    maxExecutions: options.maxExecutions ?? 100_000,
    order: seededOrder(threads, seed),
    algorithm: options.algorithm ?? 'optimal',
  };
  let schedule: number[] | undefined;
  if (options.replay !== undefined) {
    const m = TOKEN.exec(options.replay);
    if (m === null || Number(m[1]) !== threads) return { verdict: 'inconclusive', reason: `the replay token ${options.replay} is not one of this scenario's (mx1.${threads}.…)`, violation: null, diagnostics: [], stats: { executions: 0, sleepBlocked: 0, steps: 0, threads } };
    schedule = [...(m[2] ?? '')].map((c) => parseInt(c, 36));
  }
  const found: { failure: ExecutionFailure | null; trace: StepRecord[] } = { failure: null, trace: [] };
  const sys = systemOf(pool, loaded.bytes, threads, loaded.hasCheck, found, options.model === 'js');
  let stats;
  try {
    stats = search(sys, bounds, schedule);
  } catch (e) {
    if (e instanceof ReplayMismatch) return { verdict: 'inconclusive', reason: e.message, violation: null, diagnostics: [], stats: { executions: 0, sleepBlocked: 0, steps: 0, threads } };
    if (e instanceof StalledError) {
      const v: ExploreViolation = { kind: 'stalled', message: e.message, at: null, trace: found.trace.map(row), replay: '' };
      return { verdict: 'inconclusive', reason: e.message, violation: v, diagnostics: [], stats: { executions: 0, sleepBlocked: 0, steps: 0, threads } };
    }
    throw e;
  }
  const base = { executions: stats.executions, sleepBlocked: stats.sleepBlocked, steps: stats.steps, threads };
  if (stats.stopped && found.failure !== null) {
    const f = found.failure;
    const violation: ExploreViolation = {
      kind: f.kind,
      message: f.kind === 'check' || f.kind === 'deadlock' || f.kind === 'race' ? f.message : `${f.thread === 'setup' || f.thread === 'check' ? f.thread : `thread ${f.thread}`}: ${f.error.message}`,
      at: f.kind === 'check' || f.kind === 'deadlock' ? null : f.kind === 'race' ? f.at : f.error.pos,
      trace: found.trace.map(row),
      replay: replayToken(threads, stats.schedule),
    };
    return { verdict: 'fail', reason: null, violation, diagnostics: [], stats: base };
  }
  if (schedule !== undefined) return { verdict: 'inconclusive', reason: 'a replay runs one schedule: it shows what that schedule does, it checks nothing else', violation: null, diagnostics: [], stats: base };
  if (stats.bound !== null) return { verdict: 'inconclusive', reason: boundText(stats.bound, bounds), violation: null, diagnostics: [], stats: base };
  return { verdict: 'pass', reason: null, violation: null, diagnostics: [], stats: base };
}

/** DPOR by `bounds.algorithm` (optimal unless 'classic'); a replay runs one schedule, through the classic driver. */
export function search<E>(sys: System<E>, bounds: Bounds, replay?: readonly number[]): ExplorationStats {
  return replay === undefined && bounds.algorithm !== 'classic' ? exploreOptimal(sys, bounds) : classicDpor(sys, bounds, replay);
}

function row(r: StepRecord, i: number): ExploreStep {
  return { step: i + 1, thread: r.thread, what: r.what, at: r.at };
}

function boundText(bound: 'preemptions' | 'steps' | 'executions', b: Bounds): string {
  switch (bound) {
    case 'preemptions':
      return `the preemption bound (${b.maxPreemptions}) left schedules unexplored`;
    case 'steps':
      return `an execution reached the step bound (${b.maxSteps} scheduling points)`;
    case 'executions':
      return `the execution bound (${b.maxExecutions}) was reached`;
  }
}

/** Brute force for the tests: every interleaving of the scenario (no spin collapse), and the set of final states; then optimal DPOR, and classic DPOR with and without sleep sets, with spin collapse at `dporSpinLimit` (0: off); `bruteForce` false skips the first (executions −1). */
export async function exploreAllForTesting(
  path: string,
  maxSteps = 200,
  exportName = 'default',
  dporSpinLimit = 0,
  bruteForce = true,
): Promise<{ executions: number; finals: Set<string>; dporExecutions: number; dporSleepBlocked: number; /** distinct Mazurkiewicz traces among DPOR's complete executions (= dporExecutions − sleepBlocked when optimal) */ dporTraces: number; dporFinals: Set<string>; withoutSleepSets: { executions: number; finals: Set<string> }; /** classic DPOR with sleep sets */ classic: { executions: number; sleepBlocked: number; traces: number; finals: Set<string> } }> {
  const graph = transformGraph(resolve(path));
  if (!graph.ok) throw new Error(graph.diagnostics.map((d) => d.message).join('\n'));
  const pool = new ThreadPool({ modules: graph.modules, entry: graph.entry, exportName, spinLimit: 0, stallMs: 20_000 }, 8);
  // the DPOR runs may use spin collapse (dporSpinLimit > 0): their own workers, so the brute force stays without it
  const spinPool = dporSpinLimit > 0 ? new ThreadPool({ modules: graph.modules, entry: graph.entry, exportName, spinLimit: dporSpinLimit, stallMs: 20_000 }, 8) : pool;
  try {
    const l = pool.spawn(0);
    if (!l.ok) throw new Error(l.error.message);
    for (let i = 1; i < l.threads; i++) pool.spawn(i);
    if (spinPool !== pool) for (let i = 0; i < l.threads; i++) spinPool.spawn(i);
    const bytes = l.bytes as number;
    const finals = new Set<string>();
    const found = { failure: null, trace: [] };
    const sys = systemOf(pool, bytes, l.threads, false, found, false);
    const wrapped: System<Execution> = { ...sys, end: (e, cut) => (sys.end(e, cut), false) };
    const all = bruteForce ? exhaustive(wrapped, maxSteps, (e) => finals.add(e.finalKey())) : { executions: -1 };
    const spinSys = spinPool === pool ? sys : systemOf(spinPool, bytes, l.threads, false, found, false);
    const dporFinals = new Set<string>();
    const recording: System<Execution> = {
      ...spinSys,
      end: (e, cut) => {
        if (!cut) dporFinals.add(e.finalKey());
        spinSys.end(e, cut);
        return false;
      },
    };
    const traces = new Map<string, number>();
    const d = search(recording, { maxPreemptions: Infinity, maxSteps, maxExecutions: 1e6, order: seededOrder(l.threads, 0), onTrace: (k) => void traces.set(k, (traces.get(k) ?? 0) + 1) });
    const classicFinals = new Set<string>();
    const classicTraces = new Set<string>();
    const classicSys: System<Execution> = {
      ...spinSys,
      end: (e, cut) => {
        if (!cut) classicFinals.add(e.finalKey());
        spinSys.end(e, cut);
        return false;
      },
    };
    const c = search(classicSys, { maxPreemptions: Infinity, maxSteps, maxExecutions: 1e6, order: seededOrder(l.threads, 0), algorithm: 'classic', onTrace: (k) => void classicTraces.add(k) });
    const plainFinals = new Set<string>();
    const plain: System<Execution> = {
      ...spinSys,
      end: (e, cut) => {
        if (!cut) plainFinals.add(e.finalKey());
        spinSys.end(e, cut);
        return false;
      },
    };
    const p = search(plain, { maxPreemptions: Infinity, maxSteps, maxExecutions: 1e6, order: seededOrder(l.threads, 0), algorithm: 'classic', sleepSets: false });
    return {
      executions: all.executions,
      finals,
      dporExecutions: d.executions,
      dporSleepBlocked: d.sleepBlocked,
      dporTraces: traces.size,
      dporFinals,
      withoutSleepSets: { executions: p.executions, finals: plainFinals },
      classic: { executions: c.executions, sleepBlocked: c.sleepBlocked, traces: classicTraces.size, finals: classicFinals },
    };
  } finally {
    await Promise.all([pool.close(), spinPool === pool ? undefined : spinPool.close()]);
  }
}
