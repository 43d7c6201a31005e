/**
 * The litmus7-style harness: run a program's threads on a gang of real worker_threads over
 * SharedArrayBuffers, many iterations per batch, and collect a histogram of outcomes.
 *
 * - The gang is started once and reused for every batch (a worker costs ~30 ms to start).
 * - Each iteration has its own copy of the locations (and critical-region occupancy words), so a
 *   batch of `batchSize` iterations needs no re-initialisation between iterations.
 * - Per batch the harness varies the barrier mode (spin rendezvous per iteration, a staggered
 *   start after the rendezvous, or none), the memory layout (padded: each location on its own
 *   64-byte line, or packed) and the location order (shuffled or declaration order), from a
 *   seeded generator, to raise the chance of rare outcomes, as litmus7 does.
 * - A watchdog: when no thread makes progress for `stallMs`, the run is reported as hung with
 *   each thread's iteration and position, every worker is terminated, and the run ends.
 * - `abort()` (wired to SIGINT by the CLI) terminates every worker; nothing is left running.
 */
import { Worker } from 'node:worker_threads';
import type { IrProgram } from '../model/ir.js';
import { compileProgram, RUN_STATUS } from './compile.js';
import { CTRL, THREAD_STRIDE, WORKER_SOURCE, BARRIER_MODES, type BarrierMode } from './workerSource.js';

/** Options for one run. */
export interface RunOptions {
  /** total iterations (default 100_000) */
  readonly iterations?: number;
  /** iterations per batch (default 2_000, capped by iterations) */
  readonly batchSize?: number;
  /** stop early after this many milliseconds (the histogram so far is reported) */
  readonly timeLimitMs?: number;
  /** seed for layout / barrier choices (printed by the CLI) */
  readonly seed?: number;
  /** a run is hung when no thread advances an iteration for this long (default 3_000 ms) */
  readonly stallMs?: number;
  /** restrict barrier modes (default: all) */
  readonly barrierModes?: readonly BarrierMode[];
  /** restrict layouts (default: both) */
  readonly layouts?: readonly ('padded' | 'packed')[];
  /** shuffle location order (default true) */
  readonly shuffle?: boolean;
  /** abort signal: aborting terminates all workers and resolves with `aborted: true` */
  readonly signal?: AbortSignal;
}

/** A run-time property failure seen on workers, aggregated by kind and position. */
export interface RunViolation {
  readonly kind: 'assert' | 'runtime' | 'mutex' | 'blocked';
  readonly thread: string;
  /** "file:line" and source text of the instruction */
  readonly location: string;
  readonly text: string;
  readonly count: number;
}

/** A hang the watchdog found. */
export interface RunHang {
  readonly message: string;
  /** per thread: name, iteration reached, last blocking position */
  readonly threads: readonly { readonly name: string; readonly iteration: number; readonly position: string }[];
}

/** The result of a run. */
export interface RunResult {
  readonly test: string;
  /** outcome key (JSON array of values in program.observables order) → count */
  readonly histogram: ReadonlyMap<string, number>;
  readonly observables: readonly string[];
  readonly iterations: number;
  /** iterations discarded by `assume` */
  readonly pruned: number;
  /** iterations cut short by an assert failure, a run-time error or a thread blocked forever (counted in `violations`, not in the histogram); histogram + pruned + cut = iterations */
  readonly cut: number;
  readonly violations: readonly RunViolation[];
  readonly hang: RunHang | null;
  readonly aborted: boolean;
  readonly ms: number;
  readonly seed: number;
}

/** Workers started by this module and not yet exited (for leak checks). */
let live = 0;

/** How many harness workers are alive right now (0 after every run, failure, timeout or abort). */
export function liveWorkers(): number {
  return live;
}

/** A small deterministic generator (xorshift32). */
function rng(seed: number): () => number {
  let x = seed | 0 || 0x2545f491;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** Offsets of the locations and region words within one copy, and the copy stride. */
export function makeLayout(program: IrProgram, layout: 'padded' | 'packed', order: readonly number[]): { offsets: Int32Array; stride: number } {
  const nLoc = program.locations.length;
  const offsets = new Int32Array(nLoc + program.regions.length);
  let at = 0;
  const line = 16;
  for (const l of order) {
    const loc = program.locations[l];
    if (loc === undefined) continue;
    offsets[l] = at;
    at += layout === 'padded' ? Math.ceil(loc.size / line) * line : loc.size;
  }
  for (let r = 0; r < program.regions.length; r++) {
    offsets[nLoc + r] = at;
    at += layout === 'padded' ? line : 1;
  }
  const stride = layout === 'padded' ? Math.max(line, at) : Math.max(1, at);
  return { offsets, stride };
}

/** The largest copy stride any layout can need (for sizing the memory buffer once). */
function maxStride(program: IrProgram): number {
  let at = 0;
  for (const l of program.locations) at += Math.ceil(l.size / 16) * 16;
  return Math.max(16, at + program.regions.length * 16);
}

/** A gang of workers for one program, started once and reused across batches. */
export class WorkerGang {
  private readonly workers: Worker[] = [];
  private readonly exited: Promise<unknown>[] = [];
  readonly control: Int32Array;
  readonly memory: Int32Array;
  readonly regs: Int32Array;
  readonly status: Int32Array;
  readonly pcs: Int32Array;
  readonly capacity: number;
  readonly stride: number;
  readonly regBase: readonly number[];
  readonly regsPerIter: number;
  private closed = false;

  constructor(program: IrProgram, capacity: number) {
    const compiled = compileProgram(program);
    const T = program.threads.length;
    this.capacity = capacity;
    this.stride = maxStride(program);
    const nOffsets = program.locations.length + program.regions.length;
    const perThread = CTRL.offsets + nOffsets + 16;
    const controlWords = perThread + T * THREAD_STRIDE + 16;
    this.control = new Int32Array(new SharedArrayBuffer(controlWords * 4));
    this.memory = new Int32Array(new SharedArrayBuffer(Math.max(1, capacity * this.stride) * 4));
    const regBase: number[] = [];
    let regsPerIter = 0;
    for (const t of compiled) {
      regBase.push(regsPerIter);
      regsPerIter += t.registers;
    }
    this.regBase = regBase;
    this.regsPerIter = regsPerIter;
    this.regs = new Int32Array(new SharedArrayBuffer(Math.max(1, capacity * regsPerIter) * 4));
    this.status = new Int32Array(new SharedArrayBuffer(capacity * T * 4));
    this.pcs = new Int32Array(new SharedArrayBuffer(capacity * T * 4));
    this.perThread = perThread;
    for (let t = 0; t < T; t++) {
      const c = compiled[t];
      if (c === undefined) continue;
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          thread: t,
          threads: T,
          source: c.source,
          control: this.control.buffer,
          memory: this.memory.buffer,
          regs: this.regs.buffer,
          status: this.status.buffer,
          pcs: this.pcs.buffer,
          perThread,
          stride: this.stride,
          nOffsets,
          regsPerIter,
          regBase: regBase[t] ?? 0,
        },
      });
      w.unref();
      live++;
      this.exited.push(
        new Promise((resolve) =>
          w.once('exit', (code) => {
            live--;
            resolve(code);
          }),
        ),
      );
      w.on('error', () => {
        /* reported through the watchdog / close; an error in generated code is a bug surfaced as a hang or status */
      });
      this.workers.push(w);
    }
  }

  private readonly perThread: number;

  /** Control word index of thread t's iteration counter. */
  iterationWord(t: number): number {
    return this.perThread + t * THREAD_STRIDE;
  }
  /** Control word index of thread t's progress pc. */
  progressWord(t: number): number {
    return this.perThread + t * THREAD_STRIDE + 1;
  }

  /** Start a batch of `count` iterations with the given offsets and barrier mode. */
  startBatch(count: number, offsets: Int32Array, mode: BarrierMode, seed: number): void {
    const C = this.control;
    C[CTRL.batchCount] = count;
    C[CTRL.barrierMode] = BARRIER_MODES.indexOf(mode);
    C[CTRL.seed] = seed | 0;
    for (let k = 0; k < offsets.length; k++) C[CTRL.offsets + k] = offsets[k] ?? 0;
    Atomics.store(C, CTRL.done, 0);
    for (let t = 0; t < this.workers.length; t++) {
      Atomics.store(C, this.iterationWord(t), 0);
      Atomics.store(C, this.iterationWord(t) + 3, 0); // rendezvous word (workerSource.ts)
    }
    Atomics.add(C, CTRL.cmd, 1);
    Atomics.notify(C, CTRL.cmd);
  }

  /** Terminate every worker (idempotent); resolves when all have exited. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, CTRL.stop, 1);
    Atomics.add(this.control, CTRL.cmd, 1);
    Atomics.notify(this.control, CTRL.cmd);
    await Promise.all(this.workers.map((w) => w.terminate()));
    await Promise.all(this.exited);
  }

  /** Number of live workers (for leak tests). */
  get size(): number {
    return this.closed ? 0 : this.workers.length;
  }
}

/** Wait until `target` workers have finished the batch (CTRL.done), polling with Atomics.waitAsync: 'done'; 'stall' when no worker made progress for `stallMs`; 'time' past the deadline; 'aborted' on the signal. */
async function waitDone(gang: WorkerGang, target: number, stallMs: number, deadline: number, signal: AbortSignal | undefined): Promise<'done' | 'stall' | 'aborted' | 'time'> {
  const C = gang.control;
  let lastProgress = -1;
  let lastChange = Date.now();
  for (;;) {
    const cur = Atomics.load(C, CTRL.done);
    if (cur >= target) return 'done';
    if (signal?.aborted === true) return 'aborted';
    let progress = 0;
    for (let t = 0; t < target; t++) progress += Atomics.load(C, gang.iterationWord(t));
    const now = Date.now();
    if (progress !== lastProgress) {
      lastProgress = progress;
      lastChange = now;
    } else if (now - lastChange > stallMs) {
      return 'stall';
    }
    if (now > deadline + stallMs) return 'time';
    const r = Atomics.waitAsync(C, CTRL.done, cur, 50);
    if (r.async) await r.value;
  }
}

/** Run a program on workers and return its histogram. Never leaves a worker running. */
export async function runOnWorkers(program: IrProgram, options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const iterations = Math.max(1, options.iterations ?? 100_000);
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 2_000, iterations));
  const seed = (options.seed ?? 1) | 0;
  const stallMs = options.stallMs ?? 3_000;
  const deadline = options.timeLimitMs === undefined ? Number.POSITIVE_INFINITY : started + options.timeLimitMs;
  const modes = options.barrierModes ?? BARRIER_MODES;
  const layouts = options.layouts ?? ['padded', 'packed'];
  const shuffle = options.shuffle ?? true;
  const random = rng(seed);
  const T = program.threads.length;
  const histogram = new Map<string, number>();
  const violations = new Map<string, { v: Omit<RunViolation, 'count'>; count: number }>();
  let done = 0;
  let pruned = 0;
  let cut = 0;
  let hang: RunHang | null = null;
  let aborted = false;

  const gang = new WorkerGang(program, batchSize);
  // Atomics.waitAsync does not keep the event loop alive and the workers are unref'd: hold a
  // timer for the duration of the run, cleared in `finally`.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  // Slot of each observable, resolved once.
  const obs = program.observables.map((o) => {
    if (o.what.kind === 'reg') return { kind: 'reg' as const, off: (gang.regBase[o.what.thread] ?? 0) + o.what.reg };
    let loc = 0;
    let idx = 0;
    for (let l = 0; l < program.locations.length; l++) {
      const L = program.locations[l];
      if (L !== undefined && o.what.slot >= L.base && o.what.slot < L.base + L.size) {
        loc = l;
        idx = o.what.slot - L.base;
      }
    }
    return { kind: 'mem' as const, loc, idx };
  });
  try {
    while (done < iterations && Date.now() < deadline) {
      if (options.signal?.aborted === true) {
        aborted = true;
        break;
      }
      const count = Math.min(batchSize, iterations - done);
      const order = program.locations.map((_, i) => i);
      if (shuffle) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          const a = order[i] ?? 0;
          order[i] = order[j] ?? 0;
          order[j] = a;
        }
      }
      const layout = layouts[Math.floor(random() * layouts.length)] ?? 'padded';
      const mode = modes[Math.floor(random() * modes.length)] ?? 'spin';
      const { offsets } = makeLayout(program, layout, order);
      // Initialise every copy for this batch.
      const M = gang.memory;
      M.fill(0);
      for (let i = 0; i < count; i++) {
        const b = i * gang.stride;
        for (let l = 0; l < program.locations.length; l++) {
          const L = program.locations[l];
          if (L === undefined) continue;
          const o = offsets[l] ?? 0;
          for (let k = 0; k < L.size; k++) M[b + o + k] = L.init[k] ?? 0;
        }
      }
      gang.regs.fill(0);
      gang.startBatch(count, offsets, mode, Math.floor(random() * 0x7fffffff));
      const r = await waitDone(gang, T, stallMs, deadline, options.signal);
      if (r === 'aborted') {
        aborted = true;
        break;
      }
      if (r === 'stall' || r === 'time') {
        hang = describeHang(program, gang, r);
        break;
      }
      // Collect the batch.
      for (let i = 0; i < count; i++) {
        let discard = false;
        let bad = false;
        for (let t = 0; t < T; t++) {
          const st = gang.status[i * T + t];
          if (st === RUN_STATUS.done) continue;
          if (st === RUN_STATUS.pruned) {
            discard = true;
            continue;
          }
          // a mutual-exclusion violation is recorded, but the thread finished: the outcome counts
          if (st !== RUN_STATUS.mutexViolated) bad = true;
          const pc = gang.pcs[i * T + t] ?? -1;
          const th = program.threads[t];
          const ins = th?.code[pc];
          const kind = st === RUN_STATUS.assertFailed ? 'assert' : st === RUN_STATUS.mutexViolated ? 'mutex' : st === RUN_STATUS.blocked ? 'blocked' : 'runtime';
          const location = ins !== undefined ? `${program.file}:${ins.origin.span.line}` : '';
          const key = `${kind}|${t}|${pc}`;
          const prev = violations.get(key);
          if (prev !== undefined) prev.count++;
          else violations.set(key, { v: { kind, thread: th?.name ?? String(t), location, text: ins?.origin.text ?? '' }, count: 1 });
        }
        if (discard) {
          pruned++;
          continue;
        }
        if (bad) {
          cut++;
          continue;
        }
        const b = i * gang.stride;
        const vals: number[] = [];
        for (const o of obs) {
          if (o.kind === 'reg') vals.push(gang.regs[i * gang.regsPerIter + o.off] ?? 0);
          else vals.push(M[b + (offsets[o.loc] ?? 0) + o.idx] ?? 0);
        }
        const key = JSON.stringify(vals);
        histogram.set(key, (histogram.get(key) ?? 0) + 1);
      }
      done += count;
    }
  } finally {
    clearInterval(keepAlive);
    await gang.close();
  }
  return {
    test: program.name,
    histogram,
    observables: program.observables.map((o) => o.name),
    iterations: done,
    pruned,
    cut,
    violations: [...violations.values()].map(({ v, count }) => ({ ...v, count })),
    hang,
    aborted,
    ms: Date.now() - started,
    seed,
  };
}

function describeHang(program: IrProgram, gang: WorkerGang, why: 'stall' | 'time'): RunHang {
  const threads = program.threads.map((t, i) => {
    const iteration = Atomics.load(gang.control, gang.iterationWord(i));
    const pc = Atomics.load(gang.control, gang.progressWord(i));
    const ins = t.code[pc];
    const position = iteration === 0 ? 'not started' : ins !== undefined ? `${program.file}:${ins.origin.span.line} ${ins.origin.text}` : 'running';
    return { name: t.name, iteration, position };
  });
  const message =
    why === 'stall'
      ? 'no thread made progress: the program deadlocked or livelocked on real workers'
      : 'the time limit passed while threads were still running';
  return { message, threads };
}
