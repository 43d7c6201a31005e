/**
 * Data races of one explored execution under the ECMAScript memory model (ECMA-262 §29, as
 * repaired by Watt et al., PLDI 2020), so that `explore(…, { model: 'js' })` can answer through
 * the model's SC-DRF guarantee (§29.10): the explorer runs sequentially consistent interleavings;
 * if none of them has a data race, the program has no other executions and the SC answer is
 * JavaScript's; if one has, the race is the violation (a racy program is not undefined in
 * JavaScript, but it is promised no sequential consistency, which a lock design relies on).
 *
 * The definitions, per §29.7:
 * - happens-before is agent order (each thread's program order; setup before every thread)
 *   and synchronizes-with: a SeqCst read (Atomics.load, an RMW, Atomics.compareExchange, the read
 *   of Atomics.wait) that reads a SeqCst write (Atomics.store, an RMW) of the same range, and a
 *   notify to each wait it wakes (§29.6 "additional-synchronizes-with" for the waiter list);
 * - two events are in a data race when they are of different threads, their byte ranges overlap,
 *   at least one writes, they are not ordered by happens-before, and they are not both SeqCst with
 *   equal ranges.
 * Vector clocks, one per thread: an event is before the current point of thread t when its own
 * clock is at most t's entry for its thread. Per byte the last write and each thread's last read
 * are kept: if any race exists in the execution, one is found among these (a read or write that
 * races with an earlier event races with that byte's last write or is raced by a later one).
 *
 * Not modelled: tearing (a racing mixed-size pair is reported as a race, not explored as torn
 * values), and races with the setup or the check (they happen before and after every thread).
 */

/** One access the detector is told of. */
export interface Access {
  readonly thread: number;
  /** byte range [from, to) */
  readonly from: number;
  readonly to: number;
  readonly reads: boolean;
  readonly writes: boolean;
  /** an Atomics operation (SeqCst); plain typed-array element accesses are Unordered */
  readonly seqCst: boolean;
  /** what it is, for the message ("write Int32[2]") */
  readonly what: string;
  /** "file:line:col" */
  readonly at: string;
}

/** A race found: the earlier event and the later one. */
export interface Race {
  readonly first: { readonly thread: number; readonly what: string; readonly at: string };
  readonly second: { readonly thread: number; readonly what: string; readonly at: string };
}

interface Event {
  readonly thread: number;
  readonly clock: number;
  readonly from: number;
  readonly to: number;
  readonly seqCst: boolean;
  readonly what: string;
  readonly at: string;
  /** a SeqCst write's vector clock, which a SeqCst read of it joins */
  readonly vc: readonly number[] | null;
}

/** The race detector of one execution. */
export class RaceDetector {
  readonly #vc: number[][];
  /** per byte: the last write */
  readonly #lastWrite: (Event | undefined)[];
  /** per byte, per thread: that thread's last read (a byte's row is made at its first read) */
  readonly #lastRead: ((Event | undefined)[] | undefined)[];
  readonly #threads: number;
  /** per thread: the vector clock of the notify that woke it, joined at its wake-up */
  readonly #wakes: (readonly number[] | undefined)[] = [];

  constructor(bytes: number, threads: number) {
    this.#vc = Array.from({ length: threads }, () => new Array<number>(threads).fill(0));
    this.#lastWrite = new Array<Event | undefined>(bytes);
    this.#lastRead = new Array<(Event | undefined)[] | undefined>(bytes);
    this.#threads = threads;
  }

  #before(e: Event, t: number): boolean {
    return e.thread === t || e.clock <= (this.#vc[t]?.[e.thread] ?? 0);
  }

  #races(e: Event, a: Access): boolean {
    if (this.#before(e, a.thread)) return false;
    return !(e.seqCst && a.seqCst && e.from === a.from && e.to === a.to);
  }

  /** Record an access; the first race it completes, or null. */
  access(a: Access): Race | null {
    const vc = this.#vc[a.thread] as number[];
    // synchronizes-with: a SeqCst read of a SeqCst write of the same range (the last write of every byte)
    if (a.reads && a.seqCst) {
      const w = this.#lastWrite[a.from];
      let same = w !== undefined && w.seqCst && w.from === a.from && w.to === a.to && w.vc !== null;
      for (let b = a.from; same && b < a.to; b++) same = this.#lastWrite[b] === w;
      if (same && w !== undefined && w.vc !== null) join(vc, w.vc);
    }
    vc[a.thread] = (vc[a.thread] ?? 0) + 1;
    let race: Race | null = null;
    for (let b = a.from; b < a.to && race === null; b++) {
      const w = this.#lastWrite[b];
      if (w !== undefined && this.#races(w, a)) race = raceOf(w, a);
      if (a.writes) {
        for (const r of this.#lastRead[b] ?? []) if (race === null && r !== undefined && this.#races(r, a)) race = raceOf(r, a);
      }
    }
    const e: Event = { thread: a.thread, clock: vc[a.thread] ?? 0, from: a.from, to: a.to, seqCst: a.seqCst, what: a.what, at: a.at, vc: a.writes && a.seqCst ? vc.slice() : null };
    for (let b = a.from; b < a.to; b++) {
      if (a.writes) this.#lastWrite[b] = e;
      if (a.reads) (this.#lastRead[b] ??= new Array<Event | undefined>(this.#threads))[a.thread] = e;
    }
    return race;
  }

  /**
   * A notify by `notifier` woke `woken` (threads blocked in Atomics.wait): each wake synchronizes
   * with it. Returns the notify's clock, which a waitAsync promise it resolved joins when the
   * resolution runs in its thread (`joinWake`).
   */
  notified(notifier: number, woken: readonly number[]): readonly number[] {
    const vc = this.#vc[notifier] as number[];
    vc[notifier] = (vc[notifier] ?? 0) + 1;
    const clock = vc.slice();
    for (const w of woken) this.#wakes[w] = clock;
    return clock;
  }

  /** Thread `t` resumes after a wake whose notify had clock `from`. */
  joinWake(t: number, from: readonly number[]): void {
    join(this.#vc[t] as number[], from);
  }

  /** Thread `t` returns from a wait a notify woke. */
  woke(t: number): void {
    const from = this.#wakes[t];
    if (from !== undefined) join(this.#vc[t] as number[], from);
    this.#wakes[t] = undefined;
  }
}

function join(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) if ((from[i] ?? 0) > (into[i] ?? 0)) into[i] = from[i] ?? 0;
}

function raceOf(e: Event, a: Access): Race {
  return { first: { thread: e.thread, what: e.what, at: e.at }, second: { thread: a.thread, what: a.what, at: a.at } };
}
