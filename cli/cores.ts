/**
 * How many cores `check` takes when `--workers` is not given (kept apart from parallelCheck.ts,
 * which loads the worker pool, so that every command's start-up does not load it).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

/**
 * The cores a check without `--workers` takes: those available to the process less the ones other
 * work keeps busy now (`busyElsewhere`), at least 1 — as `make -l` and `ninja -l` start no more
 * jobs than the load leaves room for. Threads that share a core with other work run slower than
 * one thread: ticket N=10 K=3 took 7.8–8.2 s on two threads and 5.8 s on one beside two other
 * busy processes on 2 cores (docs/checking.md). `--workers N` takes N whatever the load.
 */
export function idleCores(cores: number = availableParallelism(), busy: number = busyElsewhere()): number {
  return Math.max(1, Math.min(cores, Math.round(cores - busy)));
}

/**
 * Threads of other work runnable now. On Linux, /proc/stat's `procs_running` (the threads running
 * or ready to run at this instant, this one among them) less one, the least of three reads (a
 * helper thread of this process's own may be running at one of them): the machine as it is now,
 * where the 1-minute load average would still count the check that ran just before. Elsewhere
 * (no /proc), the 1-minute load average (zeros on Windows: every core is taken).
 */
export function busyElsewhere(): number {
  try {
    let least = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const m = /^procs_running (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
      if (m === null) return loadavg()[0] ?? 0;
      least = Math.min(least, Number(m[1]) - 1);
    }
    return Math.max(0, least);
  } catch {
    return loadavg()[0] ?? 0;
  }
}
