/**
 * The body of one worker thread of `check --workers N` (cli/parallelCheck.ts starts it, in a pool
 * that may run several checks): for each job posted to it, rebuild the machine from the program's
 * IR (plain data, never code as text), run one worker of the parallel search
 * (checker/parallelSearch.ts) over the job's shared buffers, and post its answer; or, for a graph
 * job, explore shards of the execution-graph engine's tree (checker/graphShards.ts) until none
 * is left.
 */
import { parentPort } from 'node:worker_threads';
import type { IrProgram } from '../model/ir.js';
import { MODELS } from '../model/memory/registry.js';
import { createMachine } from '../model/semantics/createMachine.js';
import { runParallelWorker, type ParallelOptions, type WorkerShared } from '../checker/parallelSearch.js';
import { checkAsync } from '../checker/check.js';
import type { CheckOptions, CheckResult } from '../checker/api.js';

/** One job: what the host posts to each worker for one check. */
export interface ParallelWorkerData {
  readonly program: IrProgram;
  readonly options: ParallelOptions;
  readonly shared: WorkerShared;
}

/**
 * A graph job (checker/graphShards.ts): take shard indices from `counter` (word 0, Atomics.add)
 * until `count` are taken or the stop word (word 1) is set, explore each with `options` (its
 * `timeLimitMs` replaced by what is left before `deadline`, an epoch time in ms), and answer
 * with every shard explored.
 */
export interface GraphWorkerData {
  readonly kind: 'graph';
  readonly program: IrProgram;
  readonly options: CheckOptions;
  readonly count: number;
  readonly counter: SharedArrayBuffer;
  readonly deadline: number | null;
}

/** A graph job's answer: the shards this worker explored. */
export interface GraphWorkerAnswer {
  readonly shards: readonly { readonly index: number; readonly result: CheckResult }[];
}

/** What a worker posts back: its answer, or the error that ended it. */
export type ParallelWorkerMessage = { readonly ok: true; readonly answer: ReturnType<typeof runParallelWorker> } | { readonly ok: false; readonly error: string };
export type GraphWorkerMessage = { readonly ok: true; readonly answer: GraphWorkerAnswer } | { readonly ok: false; readonly error: string };

/** Words of a graph job's counter buffer. */
export const GRAPH_NEXT = 0;
export const GRAPH_STOP = 1;

/** Run a graph job: shards until none is left, the deadline passes or the host stops the check. */
async function runGraphJob(data: GraphWorkerData): Promise<GraphWorkerMessage> {
  try {
    const ctl = new Int32Array(data.counter);
    const shards: { index: number; result: CheckResult }[] = [];
    // the host's stop (an interrupt, a failed worker) reaches a shard under way through its signal
    const stop = new AbortController();
    const poll = setInterval(() => {
      if (Atomics.load(ctl, GRAPH_STOP) !== 0) stop.abort();
    }, 10);
    try {
      for (;;) {
        if (Atomics.load(ctl, GRAPH_STOP) !== 0) break;
        const left = data.deadline === null ? undefined : data.deadline - Date.now();
        if (left !== undefined && left <= 0) break;
        const index = Atomics.add(ctl, GRAPH_NEXT, 1);
        if (index >= data.count) break;
        const options: CheckOptions = { ...data.options, shard: { index, count: data.count }, now: () => Date.now(), ...(left !== undefined ? { timeLimitMs: left } : {}) };
        shards.push({ index, result: await checkAsync(data.program, { ...options, signal: stop.signal }) });
      }
    } finally {
      clearInterval(poll);
    }
    return { ok: true, answer: { shards } };
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
