/**
 * The litmus7-style harness on Node: the iteration protocol of impl/protocol.ts (one batch loop,
 * layout, rendezvous, watchdog, outcome decoding, shared with the browser playground) with its
 * threads on `worker_threads`, each running impl/workerSource.ts's `WORKER_SOURCE` (`eval: true`,
 * so the same code serves the compiled package and the tests) over the gang's SharedArrayBuffers.
 *
 * - More threads than cores (`os.availableParallelism()`): waits yield their core (see protocol.ts).
 * - Every worker is terminated when the run ends (`liveWorkers()` is 0 after any run);
 *   `terminateAllWorkers()` ends those of runs still under way (a test's timeout).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IrProgram } from '../model/ir.js';
import { Gang, runOnHost, type RunOptions, type RunResult, type ThreadHost } from './protocol.js';
import { SPIN_LIMIT, WORKER_SOURCE } from './workerSource.js';

export {
  copyWords,
  effectiveStride,
  liveWorkers,
  makeLayout,
  MAX_READ_LOGS,
  RUN_PROGRESS_EVERY_MS,
  STAGGER_DELAY,
  targetOutcome,
  terminateAllWorkers,
  type HarnessSetting,
  type RunHang,
  type RunOptions,
  type RunProgress,
  type RunResult,
  type RunStop,
  type RunViolation,
  type ScheduledStats,
  type SettingStats,
} from './protocol.js';

/** The Node host: one `worker_threads` Worker per thread, unref'd; a timer holds the event loop while a run waits. */
export const NODE_HOST: ThreadHost = {
  get cores(): number {
    return availableParallelism();
  },
  start(_thread, _name, init, events) {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: init });
    w.unref();
    w.once('exit', (code) => events.exited(code));
    w.on('error', (err: unknown) => events.failed(err instanceof Error ? err.message : String(err)));
    return { terminate: () => w.terminate() };
  },
  hold() {
    // Atomics.waitAsync does not keep the event loop alive and the workers are unref'd
    const keepAlive = setInterval(() => undefined, 1 << 30);
    return () => clearInterval(keepAlive);
  },
};

/** A gang of worker_threads for one program, started once and reused across batches. */
export class WorkerGang extends Gang {
  constructor(program: IrProgram, capacity: number, yieldSpins: number, fault?: RunOptions['faultForTesting'], stride?: number, spinLimit: number = SPIN_LIMIT, readLog = 0) {
    super(NODE_HOST, program, capacity, yieldSpins, fault, stride, spinLimit, readLog);
  }
}

/** Run a program on worker_threads and return its histogram. Never leaves a worker running. */
export function runOnWorkers(program: IrProgram, options: RunOptions = {}): Promise<RunResult> {
  return runOnHost(NODE_HOST, program, options);
}
