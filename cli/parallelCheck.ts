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
import { controlBytes, createControl, mergeParallel, requestStop, STOP_CODE, type ParallelOptions, type WorkerAnswer } from '../checker/parallelSearch.js';
import { capacityFor, createSharedVisitedBuffer, MAX_THREADS, MIN_CAPACITY, sharedVisitedBytes, SharedVisited } from '../checker/sharedVisited.js';
import type { ParallelWorkerData, ParallelWorkerMessage } from './parallelWorker.js';

/** The share of the memory budget the shared table is given (the rest: the workers' frontiers, edges and outcomes). */
const TABLE_SHARE = 0.75;

/** The cores available to this process (the default the issue asks for once --workers is the default). */
export function coresAvailable(): number {
  return availableParallelism();
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

/** Live workers started by checkParallel (a test's leak check). */
let live = 0;
export function liveParallelWorkers(): number {
  return live;
}

/**
 * The stateful search of `program` under `options` on `workers` threads sharing one visited
 * table. Verdicts, outcomes and violation kinds equal the sequential search's; counterexamples are
 * replayable but not shortest; with `por: false` the stored state count equals it too.
 */
export async function checkParallel(program: IrProgram, options: CheckOptions & { readonly signal?: AbortSignal }, workers: number): Promise<CheckResult> {
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_THREADS) throw new Error(`internal error: ${workers} workers (1..${MAX_THREADS}; the CLI validates --workers) (this is a bug in memweave)`);
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const model = MODELS.get(options.model);
  if (model === undefined) throw new Error(`internal error: '${options.model}' is not a stateful model (this is a bug in memweave: parallelApplies routes it elsewhere)`);
  const machine = createMachine(program, model, options.bufferBound === undefined ? {} : { bufferBound: options.bufferBound });
  const L = machine.stateLength;
  const memory = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  const capacity = capacityFor(Math.floor(memory * TABLE_SHARE) - controlBytes(), L);
  const buffer = capacity === 0 ? null : createSharedVisitedBuffer(capacity, L);
  const control = createControl(workers);
  if (buffer === null) {
    // not even the smallest table fits: the memory budget ran out before the search began
    requestStop(control, STOP_CODE.memory);
    const empty = createSharedVisitedBuffer(MIN_CAPACITY, L) as SharedArrayBuffer;
    return mergeParallel(machine, options, new SharedVisited(empty, MIN_CAPACITY, L), control, [], now() - t0, 0);
  }
  const tableBytes = sharedVisitedBytes(capacity, L);
  const perWorker = Math.max(0, Math.floor((memory - tableBytes - controlBytes()) / workers));
  const popts: ParallelOptions = {
    model: options.model,
    ...(options.strategy !== undefined ? { strategy: options.strategy } : {}),
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.bufferBound !== undefined ? { bufferBound: options.bufferBound } : {}),
    ...(options.symmetry !== undefined ? { symmetry: options.symmetry } : {}),
    ...(options.por !== undefined ? { por: options.por } : {}),
    ...(options.deadRegisters !== undefined ? { deadRegisters: options.deadRegisters } : {}),
  };
  const started: Worker[] = [];
  const timer = options.timeLimitMs === undefined ? undefined : setTimeout(() => requestStop(control, STOP_CODE.time), Math.max(0, options.timeLimitMs));
  const onAbort = (): void => requestStop(control, STOP_CODE.interrupted);
  if (options.signal?.aborted === true) onAbort();
  options.signal?.addEventListener('abort', onAbort);
  try {
    const answers = await Promise.all(
      Array.from({ length: workers }, (_, index) => {
        const data: ParallelWorkerData = { program, options: popts, shared: { table: buffer, capacity, control, index, memoryBytes: perWorker } };
        const w = new Worker(workerUrl(), { workerData: data });
        started.push(w);
        live++;
        w.once('exit', () => live--);
        return new Promise<WorkerAnswer>((resolve, reject) => {
          w.once('message', (m: ParallelWorkerMessage) => (m.ok ? resolve(m.answer) : reject(new Error(m.error))));
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`internal error: a search worker exited (code ${code}) before answering (this is a bug in memweave)`)));
        }).catch((e: unknown) => {
          // one worker failed: stop the others so that every one of them ends
          requestStop(control, STOP_CODE.interrupted);
          throw e;
        });
      }),
    );
    return mergeParallel(machine, options, new SharedVisited(buffer, capacity, L), control, answers, now() - t0, tableBytes);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(started.map((w) => w.terminate()));
  }
}
