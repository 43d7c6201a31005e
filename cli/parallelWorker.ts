/**
 * The body of one worker thread of `check --workers N` (cli/parallelCheck.ts starts it, in a pool
 * that may run several checks): for each job posted to it, rebuild the machine from the program's
 * IR (plain data, never code as text), run one worker of the parallel search
 * (checker/parallelSearch.ts) over the job's shared buffers, and post its answer; or, for a graph
 * job, explore the execution-graph engine's tree with the other workers, handing each other
 * stack entries (checker/graphSteal.ts: work stealing).
 */
import { parentPort } from 'node:worker_threads';
import type { IrProgram } from '../model/ir.js';
import { MODELS } from '../model/memory/registry.js';
import { createMachine } from '../model/semantics/createMachine.js';
import { runParallelWorker, type ParallelOptions, type WorkerShared } from '../checker/parallelSearch.js';
import { checkAsync } from '../checker/check.js';
import type { CheckOptions, CheckResult } from '../checker/api.js';
import { stealPort, stealStopped, STEAL_STOP, type StealShared } from '../checker/graphSteal.js';

/** One job: what the host posts to each worker for one check. */
export interface ParallelWorkerData {
  readonly program: IrProgram;
  readonly options: ParallelOptions;
  readonly shared: WorkerShared;
}

/**
 * A graph job: worker `worker` of `steal.workers` explores with `options` (its `timeLimitMs`
 * replaced by what is left before `deadline`, an epoch time in ms), stealing work from the others
 * (checker/graphSteal.ts; worker 0 starts with the root), and answers with what it explored.
 */
export interface GraphWorkerData {
  readonly kind: 'graph';
  readonly program: IrProgram;
  readonly options: CheckOptions;
  readonly worker: number;
  readonly steal: StealShared;
  readonly deadline: number | null;
}

/** A graph job's answer: this worker's part of the exploration, and the graphs it gave away and took. */
export interface GraphWorkerAnswer {
  readonly result: CheckResult;
  readonly given: number;
  readonly taken: number;
}

/** What a worker posts back: its answer, or the error that ended it. */
export type ParallelWorkerMessage = { readonly ok: true; readonly answer: ReturnType<typeof runParallelWorker> } | { readonly ok: false; readonly error: string };
export type GraphWorkerMessage = { readonly ok: true; readonly answer: GraphWorkerAnswer } | { readonly ok: false; readonly error: string };

/** Run a graph job: this worker's part of the exploration, until the tree is explored, the deadline passes or the host stops the check. */
async function runGraphJob(data: GraphWorkerData): Promise<GraphWorkerMessage> {
  try {
    // the host's stop (an interrupt, a failed worker) reaches the exploration through its signal
    const stop = new AbortController();
    const poll = setInterval(() => {
      if (stealStopped(data.steal) === STEAL_STOP.host) stop.abort();
    }, 10);
    try {
      const left = data.deadline === null ? undefined : Math.max(0, data.deadline - Date.now());
      const port = stealPort(data.steal, data.worker, data.program);
      const options: CheckOptions = { ...data.options, graphSteal: port, now: () => Date.now(), ...(left !== undefined ? { timeLimitMs: left } : {}) };
      const result = await checkAsync(data.program, { ...options, signal: stop.signal });
      return { ok: true, answer: { result, given: port.given, taken: port.taken } };
    } finally {
      clearInterval(poll);
    }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

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
port?.on('message', (data: ParallelWorkerData | GraphWorkerData) => {
  if ('kind' in data) {
    void runGraphJob(data).then((m) => port.postMessage(m));
    return;
  }
  const m = runJob(data);
  port.postMessage(m, m.ok && m.answer.edges !== null ? [m.answer.edges.buffer as ArrayBuffer] : []);
});
