/**
 * `check --workers N`: the parallel stateful search's thread pool (checker/ may not import
 * node:worker_threads, so the spawning lives here; the search itself is checker/parallelSearch.ts).
 * The host reserves the shared visited table from the memory budget (a fixed capacity: a full table
 * is the memory budget running out), starts N workers, each of which rebuilds the machine from the
 * program's IR, sets the stop word for the time limit and for an interrupt, waits for every answer,
 * ends every worker (also on failure), and merges the answers into one CheckResult.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { IrProgram } from '../model/ir.js';
import { MODELS } from '../model/memory/registry.js';
import { createMachine } from '../model/semantics/createMachine.js';
import type { CheckOptions, CheckResult } from '../checker/api.js';
import { DEFAULT_MAX_MEMORY_BYTES } from '../checker/check.js';
import { controlBytes, createControl, mergeParallel, requestStop, STOP_CODE, stoppedByFullTable, type ParallelOptions, type WorkerAnswer } from '../checker/parallelSearch.js';
import { capacityFor, createSharedVisitedBuffer, MAX_THREADS, MIN_CAPACITY, sharedVisitedBytes, SharedVisited } from '../checker/sharedVisited.js';
import type { GraphWorkerAnswer, GraphWorkerData, ParallelWorkerData } from './parallelWorker.js';
import { mergeGraphShards } from '../checker/graphShards.js';
import { createStealShared, stopSteal, STEAL_STOP, type StealShared } from '../checker/graphSteal.js';

/** The share of the memory budget the shared table is given (the rest: the workers' frontiers, edges and outcomes). */
const TABLE_SHARE = 0.75;

/** The cores available to this process (os.availableParallelism). */
export function coresAvailable(): number {
  return availableParallelism();
}


/**
 * `check` without `--workers`: a search first runs on one thread with its budget of states (or,
 * on the graph engine, of executions) lowered to these; one that ends within them is the answer,
 * exactly as `--workers 1` gives it. One that outgrows them is run again from the start on every
 * core (`autoThreads`), with what is left of the time limit. Counted in work, not time, so that
 * which checks go to the threads depends on the program alone, never on the machine's speed or
 * load. Chosen from the measurements in docs/checking.md ("Parallel search"): below about 250,000
 * states (ticket N=8 K=3: 230,619 states, 1.0 s on one thread, 0.96 s on two) the threads' start
 * and the shared table eat the gain; ticket N=10 K=3 (2.09 M states) runs 1.45-1.55x faster on two.
 * A graph execution costs some 60 us on lastzero (16,000 a second), so 4,000 of them is a
 * quarter of a second.
 */
export const AUTO_PROBE = { states: 250_000, executions: 4_000 } as const;

/**
 * What one more thread costs beside the memory budget: its own V8 heap (a worker that has loaded
 * the checker adds about 15 MiB of resident memory: `check examples/sb.mw` peaks at 63 MiB on one
 * thread and 91 MiB with `--workers 2`) and its young generation while it works. A check without
 * `--workers` charges it to the budget per thread, so that the peak RSS stays within the budget
 * plus one process's baseline, as on one thread (test/unit/limits/rssBudget.test.ts).
 */
export const THREAD_HEAP_BYTES = 32 * 1024 * 1024;
/** A check without `--workers` stays on one thread under a memory budget smaller than this: the threads' heaps would take too much of it. */
export const AUTO_MIN_MEMORY_BYTES = 512 * 1024 * 1024;

/** The threads a check without `--workers` moves to once it outgrows AUTO_PROBE: every core the process has, at most MAX_THREADS. */
export function autoThreads(cores: number): number {
  return Math.max(1, Math.min(MAX_THREADS, Math.floor(cores)));
}

/**
 * Whether a probe run (a check whose `maxStates` AUTO_PROBE lowered to `probe`) stopped because
 * of the probe alone: its states budget ran out, and the user's own (`asked`; undefined: none) is
 * larger. Then the check is run again on the threads; any other answer is the check's answer.
 */
export function outgrewProbe(r: CheckResult, probe: number, asked: number | undefined): boolean {
  return r.budgetExhausted === 'states' && (asked === undefined || asked > probe);
}

/** The compiled worker body: beside this file in dist/, or under dist/ when this file runs from its .ts source (tests). */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../dist/cli/parallelWorker.js', here) : new URL('./parallelWorker.js', here);
}

/** Whether `check` with these options can run in parallel: the plain stateful search (no hash compaction; the caller routes graph and SC-DRF models elsewhere). */
export function parallelApplies(options: CheckOptions): boolean {
  return options.hashCompact !== true && MODELS.get(options.model) !== undefined && options.engine !== 'graph';
}

/** Live workers started by every pool (a test's leak check). */
let live = 0;
export function liveParallelWorkers(): number {
  return live;
}

/**
 * A pool of search workers, kept for several checks (a test suite, a CLI run over many files):
 * each check posts one job to every worker. `close` ends every worker; a pool whose check failed
 * is closed by it (a worker that threw may be in any state).
 */
export class ParallelPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private closed = false;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1 || size > MAX_THREADS) throw new Error(`internal error: ${size} workers (1..${MAX_THREADS}; the CLI validates --workers) (this is a bug in memweave)`);
    this.size = size;
    for (let i = 0; i < size; i++) {
      const w = new Worker(workerUrl());
      live++;
      w.once('exit', () => live--);
      // an idle pool must not keep the process alive
      w.unref();
      this.workers.push(w);
    }
  }

  /** Post one job to every worker; the answers in worker order. */
  run(jobs: readonly ParallelWorkerData[], control: SharedArrayBuffer): Promise<WorkerAnswer[]> {
    return this.post<ParallelWorkerData, WorkerAnswer>(jobs, () => requestStop(control, STOP_CODE.interrupted));
  }

  /** Post one graph job to every worker (they share its stealing words); the answers in worker order. */
  runGraph(jobs: readonly GraphWorkerData[], steal: StealShared): Promise<GraphWorkerAnswer[]> {
    return this.post<GraphWorkerData, GraphWorkerAnswer>(jobs, () => stopSteal(steal, STEAL_STOP.host));
  }

  private async post<J, A>(jobs: readonly J[], stopOthers: () => void): Promise<A[]> {
    if (this.closed) throw new Error('internal error: a closed search pool was asked to run (this is a bug in memweave)');
    try {
      return await Promise.all(
        this.workers.map(
          (w, i) =>
            new Promise<A>((resolve, reject) => {
              const onMessage = (m: { readonly ok: true; readonly answer: A } | { readonly ok: false; readonly error: string }): void => {
                off();
                if (m.ok) resolve(m.answer);
                else reject(new Error(m.error));
              };
              const onError = (e: Error): void => {
                off();
                reject(e);
              };
              const onExit = (code: number): void => {
                off();
                reject(new Error(`internal error: a search worker exited (code ${code}) before answering (this is a bug in memweave)`));
              };
              const off = (): void => {
                w.unref();
                w.off('message', onMessage);
                w.off('error', onError);
                w.off('exit', onExit);
              };
              w.on('message', onMessage);
              w.on('error', onError);
              w.on('exit', onExit);
              // a worker with a job keeps the process alive until it answers
              w.ref();
              w.postMessage(jobs[i]);
            }).catch((e: unknown) => {
              // one worker failed: stop the others so that every one of them ends its job
              stopOthers();
              throw e;
            }),
        ),
      );
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  /** End every worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The stateful search of `program` under `options` on `workers` threads sharing one visited
 * table and stealing work from each other's frontiers (checker/parallelSearch.ts), on `pool`'s
 * workers when given, else on a pool of its own, closed at the end. Verdicts, outcomes and
 * violation kinds equal the sequential search's; counterexamples are replayable, and as short as
 * the sequential search's under bfs; with `por: false` the stored state count equals it too.
 */
export async function checkParallel(program: IrProgram, options: CheckOptions & { readonly signal?: AbortSignal }, workers: number, pool?: ParallelPool, tableStart: number = TABLE_START): Promise<CheckResult> {
  if (pool !== undefined && pool.size !== workers) throw new Error('internal error: a search pool of another size (this is a bug in memweave)');
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const model = MODELS.get(options.model);
  if (model === undefined) throw new Error(`internal error: '${options.model}' is not a stateful model (this is a bug in memweave: parallelApplies routes it elsewhere)`);
  const machine = createMachine(program, model, options.bufferBound === undefined ? {} : { bufferBound: options.bufferBound });
  const L = machine.stateLength;
  const memory = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  const own = pool === undefined ? new ParallelPool(workers) : null;
  const runner = pool ?? (own as ParallelPool);
  try {
    // the largest table the budget allows, and the one the search starts with (TABLE_START)
    const most = capacityFor(Math.floor(memory * TABLE_SHARE) - controlBytes(workers), L);
    let capacity = Math.min(most, tableStart);
    let restarts = 0;
    for (;;) {
      const left = options.timeLimitMs === undefined ? undefined : Math.max(0, options.timeLimitMs - (now() - t0));
      const run = await searchOnce(program, options, machine, runner, workers, capacity, memory, left);
      // a table that filled while the budget allows a larger one: the search starts again on one four times as large
      if (run.tableFull && capacity < most && options.signal?.aborted !== true && (left === undefined || now() - t0 < (options.timeLimitMs ?? 0))) {
        capacity = Math.min(most, capacity * 4);
        restarts++;
        continue;
      }
      const merged = mergeParallel(machine, options, run.table, run.control, run.answers, now() - t0);
      return { ...merged, stats: { ...merged.stats, threads: runner.size, ...(restarts > 0 ? { tableRestarts: restarts } : {}) } };
    }
  } finally {
    await own?.close();
  }
}

/**
 * The shared table's starting capacity in buckets (2^22: 32 MiB of buckets, room for 3.67 M
 * states at MAX_LOAD). A table is as large as it will ever be (a lock-free table is not resized),
 * and its buckets spread over all of it: sized from the whole default budget (2^24 buckets, 128
 * MiB) an insert took 400 ns against 150 ns at 2^21 and 160 ns at 2^22 (the same 3 M inserts of
 * the unreduced ticket search, one thread: cache and TLB misses over the larger bucket array). So
 * the search starts with this table and, when it fills while the budget allows more, starts again
 * on one four times as large (`stats.tableRestarts`): the work thrown away is at most a third of
 * the last run's.
 */
export const TABLE_START = 1 << 22;

/** One parallel search on a fresh table of `capacity` buckets (at least MIN_CAPACITY when the budget allows any): the workers' answers and whether the table filled. */
async function searchOnce(
  program: IrProgram,
  options: CheckOptions & { readonly signal?: AbortSignal },
  machine: ReturnType<typeof createMachine>,
  runner: ParallelPool,
  workers: number,
  capacity: number,
  memory: number,
  timeLimitMs: number | undefined,
): Promise<{ readonly table: SharedVisited; readonly control: SharedArrayBuffer; readonly answers: WorkerAnswer[]; readonly tableFull: boolean }> {
  const L = machine.stateLength;
  let buffer = capacity === 0 ? null : createSharedVisitedBuffer(capacity, L);
  // a host that refuses the whole reservation (less memory than the budget): the largest table it gives
  while (buffer === null && capacity > MIN_CAPACITY) {
    capacity /= 2;
    buffer = createSharedVisitedBuffer(capacity, L);
  }
  const control = createControl(workers);
  if (buffer === null) {
    // not even the smallest table fits: the memory budget ran out before the search began
    requestStop(control, STOP_CODE.memory);
    const empty = createSharedVisitedBuffer(MIN_CAPACITY, L) as SharedArrayBuffer;
    return { table: new SharedVisited(empty, MIN_CAPACITY, L), control, answers: [], tableFull: false };
  }
  const tableBytes = sharedVisitedBytes(capacity, L);
  const perWorker = Math.max(0, Math.floor((memory - tableBytes - controlBytes(workers)) / workers));
  const popts: ParallelOptions = {
    model: options.model,
    ...(options.strategy !== undefined ? { strategy: options.strategy } : {}),
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.bufferBound !== undefined ? { bufferBound: options.bufferBound } : {}),
    ...(options.symmetry !== undefined ? { symmetry: options.symmetry } : {}),
    ...(options.por !== undefined ? { por: options.por } : {}),
    ...(options.deadRegisters !== undefined ? { deadRegisters: options.deadRegisters } : {}),
  };
  const timer = timeLimitMs === undefined ? undefined : setTimeout(() => requestStop(control, STOP_CODE.time), Math.max(0, timeLimitMs));
  const onAbort = (): void => requestStop(control, STOP_CODE.interrupted);
  if (options.signal?.aborted === true) onAbort();
  options.signal?.addEventListener('abort', onAbort);
  try {
    const jobs = Array.from({ length: runner.size }, (_, index): ParallelWorkerData => ({ program, options: popts, shared: { table: buffer, capacity, control, index, memoryBytes: perWorker } }));
    const answers = await runner.run(jobs, control);
    return { table: new SharedVisited(buffer, capacity, L), control, answers, tableFull: stoppedByFullTable(control) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The execution-graph engine's check of `program` on `workers` threads: worker 0 starts with the
 * root and the workers hand each other stack entries when one runs out (checker/graphSteal.ts:
 * work stealing); their answers are merged in worker order (checker/graphShards.ts). The time
 * limit is one deadline for every worker; an interrupt stops every worker at its next pause; a
 * budget of executions (`maxStates`) and the memory budget are split evenly among the threads.
 * Verdicts, outcomes with their counts, executions and violation kinds equal the sequential
 * engine's (test/unit/cli/parallelGraph.test.ts); which counterexample of a kind is reported
 * depends on which thread found one first.
 */
export async function checkGraphParallel(program: IrProgram, options: CheckOptions & { readonly signal?: AbortSignal }, workers: number, pool?: ParallelPool): Promise<CheckResult> {
  if (pool !== undefined && pool.size !== workers) throw new Error('internal error: a search pool of another size (this is a bug in memweave)');
  const t0 = performance.now();
  const steal = createStealShared(workers);
  const deadline = options.timeLimitMs === undefined ? null : Date.now() + Math.max(0, options.timeLimitMs);
  // what a worker is posted must be plain data: the clock, the progress callback and the signal stay here
  const { signal, now: _now, onProgress: _progress, ...plain } = options as CheckOptions & { readonly signal?: AbortSignal };
  const memory = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  const shardOptions: CheckOptions = {
    ...plain,
    maxMemoryBytes: Math.max(1, Math.floor(memory / workers)),
    ...(options.maxStates !== undefined ? { maxStates: Math.max(1, Math.ceil(options.maxStates / workers)) } : {}),
  };
  const own = pool === undefined ? new ParallelPool(workers) : null;
  const runner = pool ?? (own as ParallelPool);
  const onAbort = (): void => stopSteal(steal, STEAL_STOP.host);
  if (signal?.aborted === true) onAbort();
  signal?.addEventListener('abort', onAbort);
  try {
    const jobs = Array.from({ length: runner.size }, (_, worker): GraphWorkerData => ({ kind: 'graph', program, options: shardOptions, worker, steal, deadline }));
    const answers = await runner.runGraph(jobs, steal);
    const merged = mergeGraphShards(program, options, answers.map((a) => a.result), signal?.aborted === true ? 'interrupted' : 'time', performance.now() - t0);
    const stolen = answers.reduce((n, a) => n + a.taken, 0);
    return { ...merged, stats: { ...merged.stats, graphSteals: stolen, threads: runner.size } };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await own?.close();
  }
}
