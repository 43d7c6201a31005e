/**
 * Cooperative exploration: every long phase of the checker (the stateful search, the graph
 * explorer, livelock detection, the picture searches of execution.ts) is one loop written as a
 * generator that `yield`s where it already reads its clock (every few hundred expansions). The
 * answer to a `yield` is whether the caller wants the phase stopped; a stopped phase ends as a
 * budget that ran out, with the reason 'interrupted'.
 *
 * Two drivers run the same generator, so there is one loop and not two copies:
 * - `runToEnd` answers every `yield` with "go on" at once: the synchronous `check`, whose results
 *   are exactly those of the loop without pauses;
 * - `runSliced` runs the loop in slices of about `sliceMs` of a real clock and gives the event
 *   loop a turn between slices, so a signal handler or an `AbortSignal`'s listener can run; it
 *   answers "stop" once the signal is aborted. Slices never change what is explored: a `yield`
 *   only pauses the loop, and the slice clock is not the search's (injected) clock.
 *
 * Not a thread: a slice is not pre-empted, so a single step between two `yield`s (one expansion,
 * one judged graph) runs to its end before the stop is seen.
 */

/** A checker phase that pauses at its clock reads; `next(true)` asks it to stop (it then returns its partial answer). */
export type Sliced<T> = Generator<void, T, boolean>;

/** What `runSliced` needs of a stop request: an `AbortSignal` is one. */
export interface StopRequest {
  readonly aborted: boolean;
}

/** How long a slice runs before the event loop gets a turn, by default (milliseconds of a real clock). */
export const DEFAULT_SLICE_MS = 25;

/** Run a sliced phase to its end without pausing (the synchronous entry points). */
export function runToEnd<T>(phase: Sliced<T>): T {
  let r = phase.next(false);
  while (r.done !== true) r = phase.next(false);
  return r.value;
}

type Host = {
  readonly setImmediate?: (fn: () => void) => unknown;
  readonly setTimeout?: (fn: () => void, ms: number) => unknown;
  readonly performance?: { now(): number };
};
const host = globalThis as Host;

/** One turn of the event loop: setImmediate where the host has it (Node), else a zero timeout. */
export function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (host.setImmediate !== undefined) host.setImmediate(resolve);
    else if (host.setTimeout !== undefined) host.setTimeout(resolve, 0);
    else resolve();
  });
}

/** Options of `runSliced`. */
export interface SliceOptions {
  /** stop the phase (as 'interrupted') once this is aborted */
  readonly signal?: StopRequest | undefined;
  /** milliseconds of `clock` per slice (default DEFAULT_SLICE_MS); 0 gives the event loop a turn at every pause */
  readonly sliceMs?: number | undefined;
  /** the slice clock (default performance.now, else Date.now); never the search's own clock */
  readonly clock?: (() => number) | undefined;
}

/** Run a sliced phase, giving the event loop a turn between slices and stopping it when `signal` is aborted. */
export async function runSliced<T>(phase: Sliced<T>, options: SliceOptions = {}): Promise<T> {
  const clock = options.clock ?? (host.performance !== undefined ? () => (host.performance as { now(): number }).now() : Date.now);
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const stop = (): boolean => options.signal?.aborted === true;
  let sliceStart = clock();
  let r = phase.next(false);
  while (r.done !== true) {
    if (clock() - sliceStart >= sliceMs) {
      await eventLoopTurn();
      sliceStart = clock();
    }
    r = phase.next(stop());
  }
  return r.value;
}
