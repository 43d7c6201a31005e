/**
 * How many cores `check` takes when `--workers` is not given (kept apart from parallelCheck.ts,
 * which loads the worker pool, so that every command's start-up does not load it).
 */
import { availableParallelism, loadavg } from 'node:os';

/**
 * The cores a check without `--workers` takes: those available to the process less the ones other
 * work keeps busy (the 1-minute load average, rounded), at least 1 — as `make -l` and `ninja -l`
 * start no more jobs than the load leaves room for. Threads that share a core with other work run
 * slower than one thread: ticket N=10 K=3 took 8.0 s on two threads and 5.8 s on one beside two
 * other busy processes on 2 cores (docs/checking.md). Where the platform has no load average
 * (Windows: zeros) every core is taken. `--workers N` takes N whatever the load.
 */
export function idleCores(cores: number = availableParallelism(), load: number = loadavg()[0] ?? 0): number {
  return Math.max(1, Math.min(cores, Math.round(cores - load)));
}
