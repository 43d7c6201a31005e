/**
 * The body of one worker thread of `check --workers N` (cli/parallelCheck.ts starts it): rebuild
 * the machine from the program's IR (plain data in workerData, never code as text), run one worker
 * of the parallel search (checker/parallelSearch.ts) over the shared buffers, and post its answer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { IrProgram } from '../model/ir.js';
import { MODELS } from '../model/memory/registry.js';
import { createMachine } from '../model/semantics/createMachine.js';
import { runParallelWorker, type ParallelOptions, type WorkerShared } from '../checker/parallelSearch.js';

/** What the host passes to each worker. */
export interface ParallelWorkerData {
  readonly program: IrProgram;
  readonly options: ParallelOptions;
  readonly shared: WorkerShared;
}

/** What a worker posts back: its answer, or the error that ended it. */
export type ParallelWorkerMessage = { readonly ok: true; readonly answer: ReturnType<typeof runParallelWorker> } | { readonly ok: false; readonly error: string };

function main(): void {
  const port = parentPort;
  if (port === null) return;
  const data = workerData as ParallelWorkerData;
  let message: ParallelWorkerMessage;
  try {
    const model = MODELS.get(data.options.model);
    if (model === undefined) throw new Error(`internal error: unknown memory model '${data.options.model}' in a worker (this is a bug in memweave)`);
    const machine = createMachine(data.program, model, data.options.bufferBound === undefined ? {} : { bufferBound: data.options.bufferBound });
    const answer = runParallelWorker(machine, data.options, { now: () => Date.now(), checksRaces: model.checksRaces }, data.shared);
    message = { ok: true, answer };
    port.postMessage(message, answer.edges === null ? [] : [answer.edges.buffer as ArrayBuffer]);
  } catch (e) {
    message = { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage(message);
  }
}

main();
