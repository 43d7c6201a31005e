/**
 * The explorer's threads: one worker_thread per thread under test (explore/worker.cjs), driven
 * synchronously from the main thread. A message travels on the worker's MessagePort and is
 * announced on a doorbell word; the receiver blocks in Atomics.wait and takes the message with
 * receiveMessageOnPort, so one scheduling point is one round trip and no event-loop turn.
 * ADR 0007 says why workers rather than generators (measured: a round trip is about 11 µs here, a
 * generator step about 30 ns; but a worker runs any JavaScript — constructors, getters, callbacks
 * from untransformed code — on its own stack, which a generator rewrite cannot).
 */
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MemOp } from './memory.js';
import type { TransformedModule } from './transform.js';

/** An error a thread (or setup, or the check) raised, as the worker describes it. */
export interface ThreadError {
  readonly kind: 'escape' | 'error';
  readonly message: string;
  readonly pos: string | null;
  readonly stack?: string;
}

/** What a worker says after it was started or answered. */
export type WorkerEvent =
  | { readonly t: 'op'; readonly op: MemOp }
  | { readonly t: 'park'; readonly op: MemOp; readonly reads: readonly string[] }
  | { readonly t: 'idle' }
  | { readonly t: 'done'; readonly value: unknown }
  | { readonly t: 'failed'; readonly error: ThreadError }
  | { readonly t: 'aborted' };

/** What worker 0 says once the scenario module is loaded. */
export type LoadEvent =
  | { readonly t: 'loaded'; readonly ok: true; readonly threads: number; readonly bytes: unknown; readonly hasSetup: boolean; readonly hasCheck: boolean }
  | { readonly t: 'loaded'; readonly ok: false; readonly error: ThreadError };

/** What the scheduler answers an operation with. */
export interface Reply {
  readonly value: unknown;
  readonly readValue?: number | bigint;
  readonly wrote: boolean;
  readonly epoch: number;
  /** byte ranges other threads wrote since this thread's previous reply (its spin window drops them) */
  readonly dirty?: readonly (readonly [number, number])[];
  readonly error?: { readonly type: 'RangeError' | 'TypeError'; readonly message: string };
}

/** Options of a pool. */
export interface PoolOptions {
  readonly modules: Readonly<Record<string, TransformedModule>>;
  readonly entry: string;
  readonly exportName: string;
  readonly spinLimit: number;
  /** wall-clock safety net for a thread stuck in local code, ms (a bound, not a timing test) */
  readonly stallMs: number;
}

/** A worker went silent for `stallMs` (an endless loop without shared operations). */
export class StalledError extends Error {}

const WORKER_URL = new URL('./worker.cjs', import.meta.url);

/** The workers of one exploration; `close()` ends every one of them. */
export class ThreadPool {
  readonly #bells: Int32Array;
  readonly #workers: Worker[] = [];
  readonly #ports: MessagePort[] = [];
  readonly #options: PoolOptions;
  /** round trips so far */
  trips = 0;

  constructor(options: PoolOptions, size: number) {
    this.#options = options;
    this.#bells = new Int32Array(new SharedArrayBuffer(4 * (1 + Math.max(size, 1))));
  }

  /** Start worker `i` (it loads the module graph) and return its load report. */
  spawn(i: number): LoadEvent {
    const { port1, port2 } = new MessageChannel();
    const o = this.#options;
    const w = new Worker(WORKER_URL, {
      workerData: { port: port2, bells: this.#bells.buffer, index: i, modules: o.modules, entry: o.entry, exportName: o.exportName, spinLimit: o.spinLimit },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    w.unref();
    this.#workers[i] = w;
    this.#ports[i] = port1;
    return this.#next(i) as unknown as LoadEvent;
  }

  /** Number of workers started. */
  get size(): number {
    return this.#workers.length;
  }

  /** Run `role` on worker `i` and return its first event. */
  run(i: number, message: { role: 'setup' | 'thread' | 'check'; index: number; bytes: number; context?: unknown; results?: readonly unknown[] }): WorkerEvent {
    this.#send(i, { t: 'run', ...message });
    return this.#next(i);
  }

  /** Answer worker `i`'s operation and return its next event. */
  reply(i: number, reply: Reply): WorkerEvent {
    this.trips++;
    this.#send(i, { t: 'reply', ...reply });
    return this.#next(i);
  }

  /** Resolve idle worker `i`'s waitAsync promise and return its next event (its jobs ran to their end). */
  resolve(i: number, resolution: { readonly id: number; readonly value: 'ok' | 'timed-out'; readonly epoch: number; readonly dirty: readonly (readonly [number, number])[] }): WorkerEvent {
    this.trips++;
    this.#send(i, { t: 'resolve', ...resolution });
    return this.#next(i);
  }

  /** End worker `i`'s current run early; returns once it has unwound. */
  abort(i: number): void {
    for (;;) {
      this.#send(i, { t: 'abort' });
      const e = this.#next(i);
      if (e.t === 'aborted' || e.t === 'done' || e.t === 'failed') return;
    }
  }

  /** End every worker (awaits their exit). */
  async close(): Promise<void> {
    for (let i = 0; i < this.#workers.length; i++) {
      try {
        this.#send(i, { t: 'quit' });
      } catch {
        // a closed port: the worker is gone already
      }
    }
    await Promise.all(this.#workers.map((w) => w.terminate()));
    for (const p of this.#ports) p.close();
  }

  #send(i: number, msg: unknown): void {
    const p = this.#ports[i];
    if (p === undefined) throw new Error(`memweave explore: internal error, no worker ${i}`);
    p.postMessage(msg);
    Atomics.add(this.#bells, 1 + i, 1);
    Atomics.notify(this.#bells, 1 + i);
  }

  #next(i: number): WorkerEvent {
    const p = this.#ports[i];
    if (p === undefined) throw new Error(`memweave explore: internal error, no worker ${i}`);
    let waited = 0;
    for (;;) {
      const seen = Atomics.load(this.#bells, 0);
      const m = receiveMessageOnPort(p);
      if (m !== undefined) return m.message as WorkerEvent;
      const slice = 200;
      if (Atomics.wait(this.#bells, 0, seen, slice) === 'timed-out') {
        waited += slice;
        if (waited >= this.#options.stallMs) throw new StalledError(`thread ${i} ran ${this.#options.stallMs} ms without a shared-memory operation`);
      }
    }
  }
}
