/**
 * The body of one worker thread of `check --workers N` (cli/parallelCheck.ts starts it, in a pool
 * that may run several checks): for each job posted to it, rebuild the machine from the program's
 * IR (plain data, never code as text), run one worker of the parallel search
 * (checker/parallelSearch.ts) over the job's shared buffers, and post its answer.
 */
import { parentPort } from 'node:worker_threads';
import type { IrProgram } from '../model/ir.js';
import { MODELS } from '../model/memory/registry.js';
import { createMachine } from '../model/semantics/createMachine.js';
import { runParallelWorker, type ParallelOptions, type WorkerShared } from '../checker/parallelSearch.js';

/** One job: what the host posts to each worker for one check. */
export interface ParallelWorkerData {
  readonly program: IrProgram;
  readonly options: ParallelOptions;
  readonly shared: WorkerShared;
}

/** What a worker posts back: its answer, or the error that ended it. */
export type ParallelWorkerMessage = { readonly ok: true; readonly answer: ReturnType<typeof runParallelWorker> } | { readonly ok: false; readonly error: string };

/** Run one job; the message to post back. */
function runJob(data: ParallelWorkerData): ParallelWorkerMessage {
  try {
    const model = MODELS.get(data.options.model);
    if (model === undefined) throw new Error(`internal error: unknown memory model '${data.options.model}' in a worker (this is a bug in memweave)`);
    const machine = createMachine(data.program, model, data.options.bufferBound === undefined ? {} : { bufferBound: data.options.bufferBound });
    return { ok: true, answer: runParallelWorker(machine, data.options, { now: () => Date.now(), checksRaces: model.checksRaces }, data.shared) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

const port = parentPort;
port?.on('message', (data: ParallelWorkerData) => {
  const m = runJob(data);
  port.postMessage(m, m.ok && m.answer.edges !== null ? [m.answer.edges.buffer as ArrayBuffer] : []);
});
