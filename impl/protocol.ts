/**
 * The litmus7-style harness's iteration protocol, pure (no `node:*` module): run a program's
 * threads on a gang of real threads over SharedArrayBuffers, many iterations per batch, and collect
 * a histogram of outcomes. The threads are started by a {@link ThreadHost}: worker_threads on Node
 * (impl/harness.ts), Web Workers in the browser (playground/runDriver.ts); everything else — the
 * compiled per-thread code (impl/compile.ts), the buffers' layout, the batch and rendezvous
 * protocol (impl/workerSource.ts), the watchdog and the outcome decoding — is this file, the same
 * for both.
 *
 * - The gang is started once and reused for every batch (a worker costs ~30 ms to start).
 * - Each iteration has its own copy of the locations (and critical-region occupancy words), so a
 *   batch of `batchSize` iterations needs no re-initialisation between iterations.
 * - Per batch the harness varies the barrier mode (a rendezvous per iteration, a staggered
 *   start after the rendezvous, or none), the memory layout (padded: each location on its own
 *   64-byte line, or packed) and the location order (shuffled or declaration order), from a
 *   seeded generator, to raise the chance of rare outcomes, as litmus7 does.
 * - More threads than cores (the host's `cores`): a thread that spins waits for one that
 *   is not running, so the rendezvous counts arrivals and sleeps on wait/notify, and `await`
 *   sleeps after a bounded spin (impl/workerSource.ts): such a run is slower, never stuck.
 * - Every way a run ends keeps what was seen: the iterations every thread completed in the batch
 *   under way are collected too (each thread publishes how many it finished), so a time limit, a
 *   hang, an abort or a failed worker still gives the histogram so far.
 * - A watchdog watches each thread's progress (started, begun and finished iterations, blocking
 *   position): a run where some thread progresses is slow, not hung; when no thread progresses
 *   for `stallMs` the run is hung, with or without a time limit, and is reported with each
 *   thread's iteration and position. A worker that throws or exits ends the run at once.
 * - Every worker is terminated when the run ends (`liveWorkers()` is 0 after any run);
 *   `terminateAllWorkers()` ends those of runs still under way (a test's timeout).
 */
import { viewRead, type IrProgram } from '../model/ir.js';
import { evalCondOnValues } from '../model/outcome.js';
import { compileProgram, RUN_STATUS } from './compile.js';
import { CTRL, FAULTS, SPIN_LIMIT, STAGGER_DELAY, THREAD_STRIDE, THREAD_WORD, WHERE, YIELD_SPINS, BARRIER_MODES, type BarrierMode } from './workerSource.js';

export { STAGGER_DELAY };
/** Options for one run. */
export interface RunOptions {
  /** total iterations (default 100_000) */
  readonly iterations?: number;
  /** iterations (test instances) per batch (default 10_000, capped by iterations and by 64 MiB of copies) */
  readonly batchSize?: number;
  /** end the run after this many milliseconds with the histogram so far (iterations of the batch under way included); not a hang */
  readonly timeLimitMs?: number;
  /** seed for layout / barrier choices (printed by the CLI) */
  readonly seed?: number;
  /** a run is hung when no thread makes any progress for this long (default 3_000 ms) */
  readonly stallMs?: number;
  /** restrict barrier modes (default: all) */
  readonly barrierModes?: readonly BarrierMode[];
  /** restrict layouts (default: both) */
  readonly layouts?: readonly ('padded' | 'packed')[];
  /** shuffle location order within a copy (default true) */
  readonly shuffle?: boolean;
  /** words from one iteration's copy to the next (default: the padded copy size, 16 words per location); raised to the batch layout's copy size when smaller, so a packed layout may place copies back to back (RunResult.stride says the largest used) */
  readonly stride?: number;
  /** the stagger mode's delay bound: after the rendezvous each thread waits a pseudo-random 0..delay-1 loads per iteration (default STAGGER_DELAY, 8) */
  readonly delay?: number;
  /** shuffle which copy each iteration of a batch uses (litmus7's `+rm`; default false) */
  readonly shuffleInstances?: boolean;
  /** permute, per batch, which worker plays which thread (litmus7's changing launch order; default false) */
  readonly permute?: boolean;
  /** batch k uses setting schedule[k % length], overriding barrierModes, layouts, shuffleInstances, delay, stride and permute (`run --tune`); RunResult.scheduled says what each did */
  readonly schedule?: readonly HarnessSetting[];
  /**
   * Adaptive batches (default: on when the test has a target outcome and no `schedule` is given):
   * every barrier mode × layout pair runs one batch in turn; after that a batch runs the next
   * pair in turn while such batches have had less than a tenth of the batches' time
   * (ADAPT_EXPLORE_SHARE), and otherwise the pair with the most target outcomes per second of its
   * batches so far (so every pair keeps being tried, a slow one costing only time it is given,
   * and the statistics cover them all). `run --tune` chooses among more parameters, once, before
   * a run; this chooses among the rotation's pairs while the run goes on. Off: the pairs take turns.
   */
  readonly adaptive?: boolean;
  /** abort signal: aborting terminates all workers and resolves with `aborted: true` */
  readonly signal?: AbortSignal;
  /** cores to plan for (default: the host's, `os.availableParallelism()` on Node): more threads than this and waits yield their core */
  readonly cores?: number;
  /** spins of the spin rendezvous before a thread sleeps until the late one arrives (default SPIN_LIMIT; 0: never sleep, a pure spin) */
  readonly spinLimit?: number;
  /**
   * Record each thread's read values per iteration, up to this many per thread (0, the default:
   * no log): RunResult.readLogs. For conformance beyond final states (checker/readExplain.ts).
   */
  readonly readLog?: number;
  /** called about once a second while the run goes on (for a terminal's progress line) */
  readonly onProgress?: (p: RunProgress) => void;
  /** how often onProgress is called, at most (default RUN_PROGRESS_EVERY_MS) */
  readonly progressEveryMs?: number;
  /** called after every batch with the counts so far (a live histogram: the playground's Run view); the snapshot is the caller's to keep */
  readonly onBatch?: (snapshot: RunSnapshot) => void;
  /** for tests only: make one worker fail (never reach its command loop, or throw on its first batch) */
  readonly faultForTesting?: { readonly thread: number; readonly kind: 'never-arrives' | 'throws' };
}

/** How far a run has got (RunOptions.onProgress). */
export interface RunProgress {
  /** iterations counted so far (finished batches) */
  readonly iterations: number;
  readonly requested: number;
  /** distinct outcomes seen so far */
  readonly outcomes: number;
  readonly elapsedMs: number;
}

/** The counts after a batch (RunOptions.onBatch): the histogram so far, as RunResult's, and how far the run has got. */
export interface RunSnapshot {
  /** outcome key (JSON array of values in program.observables order) → count, a new Map each time */
  readonly histogram: ReadonlyMap<string, number>;
  /** iterations counted so far (histogram + pruned + cut) */
  readonly iterations: number;
  readonly requested: number;
  readonly pruned: number;
  readonly cut: number;
  /** batches finished so far */
  readonly batches: number;
  readonly elapsedMs: number;
}

/** How often onProgress is called, at most. */
export const RUN_PROGRESS_EVERY_MS = 1_000;

/** Most distinct (outcome, read log) pairs a run records (beyond them iterations count in `readLogsDropped`). */
export const MAX_READ_LOGS = 10_000;

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
  /** per thread: name, iteration reached in the batch, last position, ms since it last progressed */
  readonly threads: readonly { readonly name: string; readonly iteration: number; readonly position: string; readonly idleMs: number }[];
}

/** Why a run ended: all iterations done, the time limit, the watchdog, an abort, or a worker that failed. */
export type RunStop = 'done' | 'time' | 'hang' | 'aborted' | 'failed';

/** The result of a run. */
export interface RunResult {
  readonly test: string;
  /** outcome key (JSON array of values in program.observables order) → count */
  readonly histogram: ReadonlyMap<string, number>;
  readonly observables: readonly string[];
  /** iterations completed (every thread finished them), including those of a batch a stop cut short */
  readonly iterations: number;
  /** iterations asked for */
  readonly requested: number;
  /** iterations discarded by `assume` */
  readonly pruned: number;
  /** iterations cut short by an assert failure, a run-time error or a thread blocked forever (counted in `violations`, not in the histogram); histogram + pruned + cut = iterations */
  readonly cut: number;
  readonly violations: readonly RunViolation[];
  readonly stop: RunStop;
  readonly hang: RunHang | null;
  /** what failed when `stop` is 'failed' (a worker threw or exited: an internal error) */
  readonly failure: string | null;
  readonly aborted: boolean;
  readonly ms: number;
  /** of `ms`, the time until every worker had started (before the first batch; the rest is the batches' time) */
  readonly startupMs: number;
  readonly seed: number;
  /** cores planned for, and whether waits yielded their core (more threads than cores) */
  readonly cores: number;
  readonly yielding: boolean;
  /** the watchdog's window: no thread progressed for this long means hung */
  readonly stallMs: number;
  /** words between iteration copies, and the batch size, that the run used */
  readonly stride: number;
  readonly batchSize: number;
  /** litmus7's "presi" statistics: per barrier mode and per layout, the iterations run under it and how many showed the target outcome (see targetOutcome) */
  readonly settings: readonly SettingStats[];
  /** per setting of `schedule` (empty without one) */
  readonly scheduled: readonly ScheduledStats[];
  /** batches whose workers played other threads than their own (`permute`) */
  readonly permutedBatches: number;
  /** whether batches were adaptive (RunOptions.adaptive), and how many ran the best pair rather than the next in turn */
  readonly adaptive: boolean;
  readonly exploitedBatches: number;
  /**
   * With RunOptions.readLog: JSON of [outcome values, thread 0's read values, thread 1's, …] → count,
   * for the iterations counted in the histogram whose every log fitted; null without a read log.
   */
  readonly readLogs: ReadonlyMap<string, number> | null;
  /** iterations of the histogram with no entry in readLogs: a log longer than the cap, or past MAX_READ_LOGS distinct entries */
  readonly readLogsDropped: number;
}

/** One point of the technique space: what `run --sync/--padding/--shuffle/--delay/--stride/--permute` take. */
export interface HarnessSetting {
  readonly sync: BarrierMode;
  readonly padding: 'padded' | 'packed';
  readonly shuffle: boolean;
  readonly delay: number;
  readonly stride: number;
  readonly permute: boolean;
}

/** What the batches of one scheduled setting did: iterations, target outcomes, and the milliseconds from their start to their end (the main thread's collection excluded). */
export interface ScheduledStats {
  readonly setting: HarnessSetting;
  readonly batches: number;
  readonly iterations: number;
  readonly targets: number;
  readonly ms: number;
}

/** Iterations and target outcomes under one value of one varied parameter. */
export interface SettingStats {
  readonly parameter: 'barrier' | 'layout';
  readonly value: string;
  readonly iterations: number;
  readonly targets: number;
}

/**
 * Whether an outcome is the test's target: the one its condition is about. For `exists` and
 * `~exists` the outcomes satisfying the predicate (the witness, or the forbidden state); for
 * `forall` those that do not (the counterexample). null without a condition.
 */
export function targetOutcome(program: IrProgram, values: readonly number[]): boolean | null {
  const c = program.condition;
  if (c === null) return null;
  const v = evalCondOnValues(program, c.cond, values);
  if (v === null) return null;
  return c.quantifier === 'forall' ? !v : v;
}

/**
 * What starts the threads of a gang: worker_threads on Node, Web Workers in a browser. A worker
 * runs impl/workerSource.ts's command loop over the init data it is given.
 */
export interface ThreadHost {
  /** the cores to plan for when RunOptions.cores is not given */
  readonly cores: number;
  /** start the worker of thread `thread` (named `name`) on `init`; it reports its end and its errors through `events` */
  start(thread: number, name: string, init: WorkerInit, events: WorkerEvents): HostedWorker;
  /** keep the host alive while a run waits on its workers (Node: a timer); returns the release */
  hold(): () => void;
}

/** What a host reports of one worker. */
export interface WorkerEvents {
  /** the worker ended (Node's exit code; a browser worker never ends by itself) */
  exited(code: number): void;
  /** the worker threw, or its start failed */
  failed(message: string): void;
}

/** One started worker, as a gang holds it. */
export interface HostedWorker {
  /** end it now; resolves once it has ended */
  terminate(): Promise<unknown>;
}

/** The data each worker starts from (impl/workerSource.ts reads it as `d`): plain data and shared buffers only. */
export interface WorkerInit {
  readonly thread: number;
  readonly threads: number;
  /** one compiled source per thread (any worker can play any role), from compileProgram */
  readonly sources: readonly string[];
  readonly control: SharedArrayBuffer;
  readonly memory: SharedArrayBuffer;
  readonly regs: SharedArrayBuffer;
  readonly status: SharedArrayBuffer;
  readonly pcs: SharedArrayBuffer;
  readonly placement: SharedArrayBuffer;
  readonly perThread: number;
  readonly rolesAt: number;
  readonly stride: number;
  readonly nOffsets: number;
  /** per thread: the words its iterations' registers take (its block is regBases[t], iteration i at regBases[t] + i * regsOf[t]) */
  readonly regsOf: readonly number[];
  readonly regBases: readonly number[];
  /** iterations a batch may hold: thread t's status and pc of iteration i are at t * capacity + i */
  readonly capacity: number;
  readonly slots: number;
  readonly template: number;
  readonly yieldSpins: number;
  readonly spinLimit: number;
  readonly fault: number;
}

/** Workers started by this module and not yet exited (for leak checks). */
let live = 0;

/** Gangs not yet closed. */
const openGangs = new Set<Gang>();

/** How many harness workers are alive right now (0 after every run, failure, timeout or abort). */
export function liveWorkers(): number {
  return live;
}

/** Terminate the workers of every run still under way (a test that timed out); resolves with how many workers were ended, once they have exited. Those runs end as failed. */
export async function terminateAllWorkers(): Promise<number> {
  let n = 0;
  const all = [...openGangs];
  for (const g of all) n += g.size;
  await Promise.all(all.map((g) => g.close('terminated by terminateAllWorkers')));
  return n;
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

/** The largest copy any layout can need, in words: the default stride between iteration copies. */
export function copyWords(program: IrProgram): number {
  let at = 0;
  for (const l of program.locations) at += Math.ceil(l.size / 16) * 16;
  return Math.max(16, at + program.regions.length * 16);
}

/** The stride a batch uses: the one asked for (default: the padded copy size), raised to the layout's copy size (copies never overlap). */
export function effectiveStride(program: IrProgram, stride: number | undefined, layout: 'padded' | 'packed' = 'padded'): number {
  const need = layout === 'padded' ? copyWords(program) : makeLayout(program, 'packed', program.locations.map((_, i) => i)).stride;
  return stride === undefined ? copyWords(program) : Math.max(need, Math.floor(stride));
}

/** Words of iteration copies a gang may hold (64 MiB): bounds the batch size for large strides. */
const MAX_COPY_WORDS = 16 << 20;

/** A gang of workers for one program, started once (by a host) and reused across batches. */
export class Gang {
  private readonly workers: HostedWorker[] = [];
  private readonly exited: Promise<unknown>[] = [];
  readonly control: Int32Array;
  readonly memory: Int32Array;
  readonly regs: Int32Array;
  readonly status: Int32Array;
  readonly pcs: Int32Array;
  /** per iteration of the batch, the copy it uses (its base word is placement[i] * stride) */
  readonly placement: Int32Array;
  readonly capacity: number;
  readonly stride: number;
  readonly regBase: readonly number[];
  /** control word index of the role table: worker w plays thread control[rolesAt + w] in the batch */
  readonly rolesAt: number;
  /** per thread: register words per iteration (thread t's block starts at regBase[t]: thread-major, so no two threads write one cache line) */
  readonly regsOf: readonly number[];
  /** index in `memory` of thread 0's private slots (fence, progress), after every copy */
  readonly slots: number;
  /** index in `memory` of the template copy: a batch's initial values at its layout, copied into every copy by the workers */
  readonly template: number;
  /** the first worker failure (an error thrown in a worker, or a worker that exited), or null */
  failure: string | null = null;
  private closed = false;
  private readonly perThread: number;

  /** per thread, the index (in its iteration's register words) of its read log's count word; -1 without a read log */
  readonly logAt: readonly number[];

  constructor(host: ThreadHost, program: IrProgram, capacity: number, yieldSpins: number, fault?: RunOptions['faultForTesting'], stride?: number, spinLimit: number = SPIN_LIMIT, readLog = 0) {
    const compiled = compileProgram(program, { readLog });
    this.logAt = compiled.map((c) => c.logAt);
    const T = program.threads.length;
    this.capacity = capacity;
    this.stride = effectiveStride(program, stride);
    const nOffsets = program.locations.length + program.regions.length;
    this.rolesAt = CTRL.offsets + nOffsets;
    // the role table, then 16 spare words, then the per-thread blocks on their own lines
    const perThread = Math.ceil((this.rolesAt + T + 16) / 16) * 16;
    // then each thread's arrival word on a line of its own (ARRIVE_AT), then 16 spare words
    const controlWords = perThread + 2 * T * THREAD_STRIDE + 16;
    this.control = new Int32Array(new SharedArrayBuffer(controlWords * 4));
    this.slots = capacity * this.stride;
    // the copies, each thread's private slots, then the template copy the workers initialise the batch's copies from
    this.template = this.slots + T * THREAD_STRIDE;
    this.memory = new Int32Array(new SharedArrayBuffer((this.template + this.stride) * 4));
    // thread-major: thread t's registers for every iteration in one block, blocks a cache line apart
    const regBase: number[] = [];
    const regsOf = compiled.map((c) => c.registers);
    let regWords = 0;
    for (const t of compiled) {
      regBase.push(regWords);
      regWords += Math.ceil((capacity * t.registers) / 16) * 16 + 16;
    }
    this.regBase = regBase;
    this.regsOf = regsOf;
    this.regs = new Int32Array(new SharedArrayBuffer(Math.max(1, regWords) * 4));
    this.status = new Int32Array(new SharedArrayBuffer(capacity * T * 4));
    this.pcs = new Int32Array(new SharedArrayBuffer(capacity * T * 4));
    this.placement = new Int32Array(new SharedArrayBuffer(capacity * 4));
    for (let i = 0; i < capacity; i++) this.placement[i] = i;
    for (let t = 0; t < T; t++) this.control[this.rolesAt + t] = t;
    const sources = compiled.map((c) => c.source);
    this.perThread = perThread;
    openGangs.add(this);
    for (let t = 0; t < T; t++) {
      const name = program.threads[t]?.name ?? String(t);
      live++;
      let ended = false;
      const exited = new Promise((resolve) => {
        const w = host.start(t, name, {
          thread: t,
          threads: T,
          sources,
          control: this.control.buffer as SharedArrayBuffer,
          memory: this.memory.buffer as SharedArrayBuffer,
          regs: this.regs.buffer as SharedArrayBuffer,
          status: this.status.buffer as SharedArrayBuffer,
          pcs: this.pcs.buffer as SharedArrayBuffer,
          placement: this.placement.buffer as SharedArrayBuffer,
          perThread,
          rolesAt: this.rolesAt,
          stride: this.stride,
          nOffsets,
          regsOf,
          regBases: regBase,
          capacity,
          slots: this.slots,
          template: this.template,
          yieldSpins,
          spinLimit,
          fault: fault?.thread === t ? (fault.kind === 'throws' ? FAULTS.throws : FAULTS.neverArrives) : FAULTS.none,
        }, {
          exited: (code) => {
            if (ended) return;
            ended = true;
            live--;
            if (!this.closed) this.failure ??= `the worker of thread ${name} exited with code ${code} (internal error)`;
            resolve(code);
          },
          // generated code catches everything a program can do: an error here is a harness bug or a resource limit
          failed: (message) => {
            this.failure ??= `the worker of thread ${name} failed: ${message} (internal error)`;
          },
        });
        this.workers.push({
          terminate: async () => {
            await w.terminate();
            if (!ended) {
              ended = true;
              live--;
              resolve(-1);
            }
          },
        });
      });
      this.exited.push(exited);
    }
  }

  /** Control word index of one of thread t's words (THREAD_WORD). */
  word(t: number, which: keyof typeof THREAD_WORD): number {
    return this.perThread + t * THREAD_STRIDE + THREAD_WORD[which];
  }

  /** Control word index of thread t's arrival word of the spin rendezvous: on its own line, after the per-thread blocks, so the others' spinning on it does not meet the thread's progress writes. */
  arriveWord(t: number): number {
    return this.perThread + (this.workers.length + t) * THREAD_STRIDE;
  }

  /** The pc of thread t's latest blocking point (its progress slot in memory). */
  blockingPc(t: number): number {
    return Atomics.load(this.memory, this.slots + t * THREAD_STRIDE + 1);
  }

  /** Start a batch of `count` iterations with the given offsets, barrier mode and stagger delay bound (placement and roles are written before). */
  startBatch(count: number, offsets: Int32Array, mode: BarrierMode, seed: number, delay = 64, stride = this.stride): void {
    const C = this.control;
    C[CTRL.stride] = Math.min(stride, this.stride);
    C[CTRL.batchCount] = count;
    C[CTRL.barrierMode] = BARRIER_MODES.indexOf(mode);
    C[CTRL.seed] = seed | 0;
    C[CTRL.delay] = Math.max(1, delay | 0);
    for (let k = 0; k < offsets.length; k++) C[CTRL.offsets + k] = offsets[k] ?? 0;
    Atomics.store(C, CTRL.done, 0);
    Atomics.store(C, CTRL.barrierCount, 0);
    Atomics.store(C, CTRL.barrierGen, 0);
    Atomics.store(C, CTRL.initCount, 0);
    for (let t = 0; t < this.workers.length; t++) {
      Atomics.store(C, this.word(t, 'started'), 0);
      Atomics.store(C, this.word(t, 'finished'), 0);
      Atomics.store(C, this.word(t, 'notDone'), 0);
      Atomics.store(C, this.arriveWord(t), 0);
      Atomics.store(C, this.word(t, 'where'), WHERE.running);
      Atomics.store(this.memory, this.slots + t * THREAD_STRIDE + 1, -1);
    }
    Atomics.add(C, CTRL.cmd, 1);
    Atomics.notify(C, CTRL.cmd);
  }

  /** Iterations of the batch under way that every thread has finished (they can be collected while the others run). */
  completed(count: number): number {
    let m = count;
    for (let t = 0; t < this.workers.length; t++) m = Math.min(m, Atomics.load(this.control, this.word(t, 'finished')));
    return Math.max(0, m);
  }

  /**
   * Whether no thread's iteration of the batch below its finished count ended with a status other
   * than done (read after `completed`, it covers the iterations `completed` gave): then the batch's
   * status words need not be read.
   */
  allDone(): boolean {
    for (let t = 0; t < this.workers.length; t++) if (Atomics.load(this.control, this.word(t, 'notDone')) !== 0) return false;
    return true;
  }

  /** Terminate every worker (idempotent); resolves when all have exited. A reason marks a run still under way as failed. */
  async close(reason?: string): Promise<void> {
    if (this.closed) {
      await Promise.all(this.exited);
      return;
    }
    this.closed = true;
    if (reason !== undefined) this.failure ??= reason;
    openGangs.delete(this);
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

/** Per-thread progress as the watchdog sees it: a thread progresses when any of its words changes. */
class Watchdog {
  private readonly gang: Gang;
  // invariant: seen[t * 4 + k] is word k (ready, started, finished, blocking pc) of thread t at its last change
  private readonly seen: Int32Array;
  readonly lastChange: Float64Array;

  constructor(gang: Gang, threads: number, now: number) {
    this.gang = gang;
    this.seen = new Int32Array(threads * 4).fill(-3);
    this.lastChange = new Float64Array(threads).fill(now);
  }

  /** Look at every thread; returns the time of the latest progress of any thread. */
  observe(now: number): number {
    const g = this.gang;
    let latest = 0;
    for (let t = 0; t < this.lastChange.length; t++) {
      const words = [Atomics.load(g.control, g.word(t, 'ready')), Atomics.load(g.control, g.word(t, 'started')), Atomics.load(g.control, g.word(t, 'finished')), g.blockingPc(t)];
      let changed = false;
      for (let k = 0; k < 4; k++) {
        if (this.seen[t * 4 + k] !== words[k]) {
          this.seen[t * 4 + k] = words[k] ?? 0;
          changed = true;
        }
      }
      if (changed) this.lastChange[t] = now;
      latest = Math.max(latest, this.lastChange[t] ?? 0);
    }
    return latest;
  }

  /** A batch starts: reset words are not progress, and every thread has a fresh chance. */
  restart(now: number): void {
    this.seen.fill(-3);
    this.lastChange.fill(now);
  }
}

/** Wait until every worker has finished the batch (CTRL.done), polling with Atomics.waitAsync: 'done'; 'stall' when no thread made progress for `stallMs`; 'time' at the deadline; 'aborted' on the signal; 'failed' when a worker failed. */
async function waitDone(gang: Gang, target: number, stallMs: number, deadline: number, signal: AbortSignal | undefined, dog: Watchdog, progress: () => void): Promise<'done' | 'stall' | 'aborted' | 'time' | 'failed'> {
  const C = gang.control;
  for (;;) {
    progress();
    const cur = Atomics.load(C, CTRL.done);
    if (cur >= target) return 'done';
    if (gang.failure !== null) return 'failed';
    if (signal?.aborted === true) return 'aborted';
    const now = Date.now();
    if (now >= deadline) return 'time';
    if (now - dog.observe(now) > stallMs) return 'stall';
    const r = Atomics.waitAsync(C, CTRL.done, cur, Math.max(1, Math.min(50, deadline - now)));
    if (r.async) await r.value;
  }
}

/** Wait until `threads` workers are in their command loop (CTRL.readyCount), or the deadline, an abort or a failure. */
async function waitReady(gang: Gang, threads: number, deadline: number, signal: AbortSignal | undefined): Promise<boolean> {
  const C = gang.control;
  for (;;) {
    const n = Atomics.load(C, CTRL.readyCount);
    if (n >= threads) return true;
    if (gang.failure !== null || signal?.aborted === true) return false;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    const r = Atomics.waitAsync(C, CTRL.readyCount, n, Math.max(1, Math.min(50, left)));
    if (r.async) await r.value;
  }
}

/** Adaptive batches: the most of the batches' time (after the first turn of every pair) that batches trying the next pair in turn may take. */
export const ADAPT_EXPLORE_SHARE = 0.1;

/** Run a program on the host's workers and return its histogram. Never leaves a worker running. */
export async function runOnHost(host: ThreadHost, program: IrProgram, options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const iterations = Math.max(1, options.iterations ?? 100_000);
  const schedule = options.schedule ?? [];
  // the gang's memory holds `batchSize` copies at the largest stride any batch may use
  const stride = Math.max(effectiveStride(program, options.stride), ...schedule.map((x) => effectiveStride(program, x.stride)));
  // default: 10,000 instances a batch, fewer for a short run so that it still has about 8 batches to vary
  const batchSize = Math.max(1, Math.min(options.batchSize ?? Math.min(10_000, Math.max(1_000, Math.ceil(iterations / 8))), iterations, Math.floor(MAX_COPY_WORDS / stride)));
  const scheduled = schedule.map((setting) => ({ setting, batches: 0, iterations: 0, targets: 0, ms: 0 }));
  let batchIndex = 0;
  let maxStrideUsed = 0;
  let permutedBatches = 0;
  const seed = (options.seed ?? 1) | 0;
  const stallMs = options.stallMs ?? 3_000;
  const deadline = options.timeLimitMs === undefined ? Number.POSITIVE_INFINITY : started + options.timeLimitMs;
  const modes = options.barrierModes ?? BARRIER_MODES;
  const layouts = options.layouts ?? ['padded', 'packed'];
  const shuffle = options.shuffle ?? true;
  const random = rng(seed);
  const turnStart = Math.floor(random() * 6);
  // the rotation's pairs (barrier mode × layout), their statistics, and the adaptive choice among them
  const pairs = modes.length * layouts.length;
  const pairStats = Array.from({ length: pairs }, () => ({ iterations: 0, targets: 0, ms: 0 }));
  // (one pair leaves nothing to choose)
  const adaptive = schedule.length === 0 && pairs > 1 && (options.adaptive ?? program.condition !== null);
  let turns = 0;
  let exploitedBatches = 0;
  let exploreMs = 0;
  let batchesMs = 0;
  let exploring = true;
  const nextPair = (): number => {
    // after the first turn, a batch explores (the next pair in turn) only while exploring has had
    // less than ADAPT_EXPLORE_SHARE of the batches' time: a slow pair costs time, not batches
    // (the run's first batch is the workers' warm-up, counted in the histogram but not in the pairs'
    // rates: its code is not yet compiled; so the first turn is pairs + 1 batches)
    exploring = !adaptive || turns <= pairs || exploreMs < ADAPT_EXPLORE_SHARE * batchesMs;
    if (!exploring) {
      let best = -1;
      let bestRate = 0;
      for (let k = 0; k < pairs; k++) {
        const st = pairStats[k];
        if (st === undefined || st.ms <= 0) continue;
        const rate = st.targets / st.ms;
        if (rate > bestRate) {
          bestRate = rate;
          best = k;
        }
      }
      // no pair has shown the target yet: nothing to prefer, so the pairs keep taking turns
      if (best >= 0) {
        exploitedBatches++;
        return best;
      }
      exploring = true;
    }
    return (turnStart + turns++) % pairs;
  };
  const T = program.threads.length;
  const cores = Math.max(1, options.cores ?? host.cores);
  const yielding = T > cores;
  // outcomes counted under a numeric key while every value fits in 10 bits and there are at most 5
  // (a Map over numbers, no string per iteration); the others under their JSON key
  const packedCounts = new Map<number, number>();
  const histogram = new Map<string, number>();
  const packable = program.observables.length <= 5;
  const isTarget = new Map<number, boolean>();
  const stats = new Map<string, { parameter: SettingStats['parameter']; value: string; iterations: number; targets: number }>();
  const stat = (parameter: SettingStats['parameter'], value: string): { iterations: number; targets: number } => {
    const key = `${parameter}=${value}`;
    let e = stats.get(key);
    if (e === undefined) stats.set(key, (e = { parameter, value, iterations: 0, targets: 0 }));
    return e;
  };
  const violations = new Map<string, { v: Omit<RunViolation, 'count'>; count: number }>();
  let done = 0;
  let pruned = 0;
  let cut = 0;
  let hang: RunHang | null = null;
  let stop: RunStop = 'done';

  const readLog = Math.max(0, Math.floor(options.readLog ?? 0));
  const readLogs = readLog > 0 ? new Map<string, number>() : null;
  let readLogsDropped = 0;
  const gang = new Gang(host, program, batchSize, yielding ? YIELD_SPINS : 0, options.faultForTesting, stride, options.spinLimit ?? SPIN_LIMIT, readLog);
  let lastProgress = Date.now();
  const progress = (): void => {
    if (options.onProgress === undefined) return;
    const now = Date.now();
    if (now - lastProgress < (options.progressEveryMs ?? RUN_PROGRESS_EVERY_MS)) return;
    lastProgress = now;
    options.onProgress({ iterations: done, requested: iterations, outcomes: packedCounts.size + histogram.size, elapsedMs: now - started });
  };
  const dog = new Watchdog(gang, T, Date.now());
  let startupMs = 0;
  // the gang's placement starts as the identity over its whole capacity
  let placementIsIdentity = true;
  // Atomics.waitAsync need not keep the host alive (Node: the workers are unref'd): hold it for
  // the duration of the run, released in `finally`.
  const release = host.hold();
  // Slot of each observable, resolved once.
  const obs = program.observables.map((o) => {
    if (o.what.kind === 'reg') return { kind: 'reg' as const, off: (gang.regBase[o.what.thread] ?? 0) + o.what.reg, per: gang.regsOf[o.what.thread] ?? 0 };
    let loc = 0;
    let idx = 0;
    for (let l = 0; l < program.locations.length; l++) {
      const L = program.locations[l];
      if (L !== undefined && o.what.slot >= L.base && o.what.slot < L.base + L.size) {
        loc = l;
        idx = o.what.slot - L.base;
      }
    }
    // a narrow view element (x.i8[1]) is read from its word: width 4 at byte 0 is the word itself
    return { kind: 'mem' as const, loc, idx, width: o.what.view?.width ?? 4, byte: o.what.view?.byte ?? 0 };
  });
  const vals: number[] = program.observables.map(() => 0);
  /** Add iterations [0, n) of the batch laid out with `offsets` (copies `batchStride` words apart) to the histogram, or to pruned / cut; counts targets for the batch's settings. */
  // the outcome cache of `collect` (NaN: an empty slot), flushed into packedCounts at the end of each collect
  const cacheKey = new Float64Array(64).fill(Number.NaN);
  const cacheCount = new Int32Array(64);
  const cacheTarget = new Uint8Array(64);
  const flushSlot = (slot: number): void => {
    const key = cacheKey[slot] ?? Number.NaN;
    if (Number.isNaN(key)) return;
    packedCounts.set(key, (packedCounts.get(key) ?? 0) + (cacheCount[slot] ?? 0));
    cacheKey[slot] = Number.NaN;
    cacheCount[slot] = 0;
  };
  /** The target flag of a packed outcome key, counted through the 64-slot cache. */
  const countPacked = (packed: number): boolean => {
    // a direct-mapped cache of 64 outcomes in front of the Map (a litmus test has a handful of outcomes)
    const slot = (packed % 4093) & 63;
    if (cacheKey[slot] === packed) {
      cacheCount[slot] = (cacheCount[slot] ?? 0) + 1;
      return cacheTarget[slot] === 1;
    }
    flushSlot(slot);
    let target = isTarget.get(packed);
    if (target === undefined) isTarget.set(packed, (target = targetOutcome(program, vals) === true));
    cacheKey[slot] = packed;
    cacheCount[slot] = 1;
    cacheTarget[slot] = target ? 1 : 0;
    return target;
  };
  // The fast path of `collect` (no read log, every observable a register or a whole word, at most 5
  // of them): per observable, whether it is a register, its word (a register's offset in `regs`, or
  // a location's word within the copy, set per batch) and its step per iteration
  const fastCollect = readLogs === null && packable && obs.every((o) => o.kind === 'reg' || o.width === 4);
  const obsIsReg = Uint8Array.from(obs, (o) => (o.kind === 'reg' ? 1 : 0));
  const obsWord = Int32Array.from(obs, (o) => (o.kind === 'reg' ? o.off : 0));
  const obsPer = Int32Array.from(obs, (o) => (o.kind === 'reg' ? o.per : 0));
  const collect = (n: number, offsets: Int32Array, batchStride: number, settings: readonly { iterations: number; targets: number }[], statusesDone: boolean): void => {
    const M = gang.memory;
    const P = gang.placement;
    let targets = 0;
    if (fastCollect) {
      for (let k = 0; k < obs.length; k++) {
        const o = obs[k];
        if (o !== undefined && o.kind === 'mem') obsWord[k] = (offsets[o.loc] ?? 0) + o.idx;
      }
      const ST = gang.status;
      const R = gang.regs;
      const cap = gang.capacity;
      const nObs = obs.length;
      for (let i = 0; i < n; i++) {
        // every thread done (the common case: no status word is read when every thread said so), and
        // every value in 10 bits: count its packed key here; otherwise the general path below
        let t = 0;
        if (statusesDone) t = T;
        else while (t < T && ST[t * cap + i] === RUN_STATUS.done) t++;
        let packed = t === T ? 0 : -1;
        const b = (P[i] as number) * batchStride;
        for (let k = 0; k < nObs && packed >= 0; k++) {
          // (typed-array reads inside the bounds the gang's layout guarantees)
          const v = obsIsReg[k] === 1 ? (R[(obsWord[k] as number) + i * (obsPer[k] as number)] as number) : (M[b + (obsWord[k] as number)] as number);
          vals[k] = v;
          packed = v >= -512 && v < 512 ? packed * 1024 + (v + 512) : -1;
        }
        if (packed < 0) {
          if (collectOne(i, offsets, batchStride)) targets++;
        } else if (countPacked(packed)) targets++;
      }
    } else {
      for (let i = 0; i < n; i++) if (collectOne(i, offsets, batchStride)) targets++;
    }
    for (let slot = 0; slot < 64; slot++) flushSlot(slot);
    for (const st of settings) {
      st.iterations += n;
      st.targets += targets;
    }
    done += n;
  };
  /** Count iteration i of the batch (the general path: violations, pruned and cut iterations, JSON keys, read logs); whether it showed the target outcome. */
  const collectOne = (i: number, offsets: Int32Array, batchStride: number): boolean => {
    const M = gang.memory;
    const P = gang.placement;
    let discard = false;
    let bad = false;
    for (let t = 0; t < T; t++) {
      const st = gang.status[t * gang.capacity + i];
      if (st === RUN_STATUS.done) continue;
      if (st === RUN_STATUS.pruned) {
        discard = true;
        continue;
      }
      // a mutual-exclusion violation is recorded, but the thread finished: the outcome counts
      if (st !== RUN_STATUS.mutexViolated) bad = true;
      const pc = gang.pcs[t * gang.capacity + i] ?? -1;
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
      return false;
    }
    if (bad) {
      cut++;
      return false;
    }
    const b = (P[i] ?? i) * batchStride;
    let packed = packable ? 0 : -1;
    for (let k = 0; k < obs.length; k++) {
      const o = obs[k];
      if (o === undefined) continue;
      const v = o.kind === 'reg' ? (gang.regs[o.off + i * o.per] ?? 0) : viewRead(M[b + (offsets[o.loc] ?? 0) + o.idx] ?? 0, o.width, o.byte);
      vals[k] = v;
      if (packed >= 0) packed = v >= -512 && v < 512 ? packed * 1024 + (v + 512) : -1;
    }
    let target: boolean;
    if (packed >= 0) {
      target = countPacked(packed);
    } else {
      const key = JSON.stringify(vals);
      histogram.set(key, (histogram.get(key) ?? 0) + 1);
      target = targetOutcome(program, vals) === true;
    }
    if (readLogs !== null) {
      const entry: number[][] = [vals.slice()];
      for (let t = 0; t < T; t++) {
        const at = (gang.regBase[t] ?? 0) + i * (gang.regsOf[t] ?? 0) + (gang.logAt[t] ?? 0);
        const n = gang.regs[at] ?? 0;
        if (n > readLog) break;
        entry.push(Array.from(gang.regs.subarray(at + 1, at + 1 + n)));
      }
      const key = entry.length === T + 1 ? JSON.stringify(entry) : null;
      if (key !== null && (readLogs.has(key) || readLogs.size < MAX_READ_LOGS)) readLogs.set(key, (readLogs.get(key) ?? 0) + 1);
      else readLogsDropped++;
    }
    return target;
  };
  /** The histogram so far under its JSON keys: the numeric keys decoded and added to the others (a new Map). */
  const countsSoFar = (): Map<string, number> => {
    const out = new Map(histogram);
    for (const [packed, n] of packedCounts) {
      const vs: number[] = [];
      for (let k = 0, x = packed; k < program.observables.length; k++, x = Math.floor(x / 1024)) vs.unshift((x % 1024) - 512);
      const key = JSON.stringify(vs);
      out.set(key, (out.get(key) ?? 0) + n);
    }
    return out;
  };
  // the roles of the batch: worker w plays thread roles[w]
  const roles = program.threads.map((_, t) => t);
  try {
    // the first batch starts once every worker is in its command loop (worker start-up is not a batch's
    // time); a worker that never gets there is the watchdog's to report, so this wait ends with the time
    // limit, the stall window, an abort or a failure, and the run goes on to find out which
    const allReady = await waitReady(gang, T, Math.min(deadline, Date.now() + stallMs), options.signal);
    startupMs = Date.now() - started;
    while (done < iterations) {
      if (options.signal?.aborted === true) {
        stop = 'aborted';
        break;
      }
      if (Date.now() >= deadline) {
        stop = 'time';
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
      const planned = scheduled.length > 0 ? scheduled[batchIndex % scheduled.length] : undefined;
      batchIndex++;
      // unscheduled, barrier modes and layouts take turns from a seeded start, so every pair shows up
      // within modes × layouts batches (a short run still sees the rendezvous)
      const pair = planned === undefined ? nextPair() : -1;
      const layout = planned?.setting.padding ?? layouts[Math.floor(pair / modes.length) % layouts.length] ?? 'padded';
      const mode = planned?.setting.sync ?? modes[pair % modes.length] ?? 'spin';
      const delay = Math.max(1, Math.floor(planned?.setting.delay ?? options.delay ?? STAGGER_DELAY));
      const shuffleInstances = planned?.setting.shuffle ?? options.shuffleInstances ?? false;
      const permute = planned?.setting.permute ?? options.permute ?? false;
      const batchStride = Math.min(gang.stride, effectiveStride(program, planned?.setting.stride ?? options.stride, layout));
      maxStrideUsed = Math.max(maxStrideUsed, batchStride);
      const { offsets } = makeLayout(program, layout, order);
      // The template copy of this batch's layout: the workers initialise the copies [0, count) from it,
      // each its share, before the first iteration (the copies' lines are theirs already: the main
      // thread zeroing them would pull every line the last batch wrote from the workers' caches)
      const M = gang.memory;
      M.fill(0, gang.template, gang.template + batchStride);
      let zeroTemplate = true;
      for (let l = 0; l < program.locations.length; l++) {
        const L = program.locations[l];
        if (L === undefined || L.init.every((v) => v === 0)) continue;
        zeroTemplate = false;
        const o = gang.template + (offsets[l] ?? 0);
        for (let k = 0; k < L.size; k++) M[o + k] = L.init[k] ?? 0;
      }
      gang.control[CTRL.zeroTemplate] = zeroTemplate ? 1 : 0;
      const P = gang.placement;
      // the identity stays from the batch before unless that batch shuffled (rewriting it would take the lines back from the workers)
      if (!placementIsIdentity) for (let i = 0; i < count; i++) P[i] = i;
      placementIsIdentity = !shuffleInstances;
      if (shuffleInstances) {
        for (let i = count - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          const a = P[i] ?? 0;
          P[i] = P[j] ?? 0;
          P[j] = a;
        }
      }
      for (let t = 0; t < roles.length; t++) roles[t] = t;
      if (permute) {
        for (let i = roles.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          const a = roles[i] ?? 0;
          roles[i] = roles[j] ?? 0;
          roles[j] = a;
        }
      }
      if (roles.some((r, w) => r !== w)) permutedBatches++;
      for (let w = 0; w < roles.length; w++) gang.control[gang.rolesAt + w] = roles[w] ?? w;
      // the registers and statuses need no reset: each thread writes its status every iteration, and its
      // registers whenever the iteration can count (status done or mutexViolated)
      const batchStarted = performance.now();
      gang.startBatch(count, offsets, mode, Math.floor(random() * 0x7fffffff), delay, batchStride);
      // a worker still not started has had its stall window already (waitReady): the watchdog's clock runs on
      if (batchIndex > 1 || allReady) dog.restart(Date.now());
      const r = await waitDone(gang, T, stallMs, deadline, options.signal, dog, progress);
      // whatever ended the wait, the iterations every thread finished are kept
      const batchMs = performance.now() - batchStarted;
      if (planned !== undefined) {
        planned.batches++;
        planned.ms += batchMs;
      }
      const pairStat = batchIndex === 1 ? undefined : pairStats[pair];
      if (pairStat !== undefined) pairStat.ms += batchMs;
      batchesMs += batchMs;
      if (exploring) exploreMs += batchMs;
      // the finished counts first, then the not-done counts (published in the other order: see THREAD_WORD.notDone)
      const n = r === 'done' ? count : gang.completed(count);
      collect(n, offsets, batchStride, [stat('barrier', mode), stat('layout', layout), ...(planned !== undefined ? [planned] : []), ...(pairStat !== undefined ? [pairStat] : [])], gang.allDone());
      progress();
      options.onBatch?.({ histogram: countsSoFar(), iterations: done, requested: iterations, pruned, cut, batches: batchIndex, elapsedMs: Date.now() - started });
      if (r === 'done') continue;
      if (r === 'stall') hang = describeHang(program, gang, count, dog, Date.now(), stallMs);
      stop = r === 'stall' ? 'hang' : r;
      break;
    }
  } finally {
    release();
    await gang.close();
  }
  return {
    test: program.name,
    histogram: countsSoFar(),
    observables: program.observables.map((o) => o.name),
    iterations: done,
    requested: iterations,
    pruned,
    cut,
    violations: [...violations.values()].map(({ v, count }) => ({ ...v, count })),
    stop,
    hang,
    failure: stop === 'failed' ? gang.failure : null,
    aborted: stop === 'aborted',
    ms: Date.now() - started,
    startupMs,
    seed,
    cores,
    yielding,
    stallMs,
    stride: maxStrideUsed === 0 ? stride : maxStrideUsed,
    batchSize,
    settings: [...stats.values()],
    scheduled,
    permutedBatches,
    adaptive,
    exploitedBatches,
    readLogs,
    readLogsDropped,
  };
}

/** Each thread's iteration and position when the watchdog fired. */
function describeHang(program: IrProgram, gang: Gang, count: number, dog: Watchdog, now: number, stallMs: number): RunHang {
  const threads = program.threads.map((t, i) => {
    const ready = Atomics.load(gang.control, gang.word(i, 'ready'));
    const iteration = Atomics.load(gang.control, gang.word(i, 'started'));
    const finished = Atomics.load(gang.control, gang.word(i, 'finished'));
    const where = Atomics.load(gang.control, gang.word(i, 'where'));
    const ins = t.code[gang.blockingPc(i)];
    const position =
      ready === 0
        ? 'never started (its worker did not arrive)'
        : finished >= count
          ? 'finished its iterations of the batch, waiting for the others'
          : iteration === 0
            ? 'not started on this batch'
            : where === WHERE.rendezvous
              ? 'in the rendezvous before the iteration, waiting for the others'
              : ins !== undefined
                ? `${program.file}:${ins.origin.span.line} ${ins.origin.text}`
                : 'running (no blocking point reached)';
    return { name: t.name, iteration, position, idleMs: Math.round(now - (dog.lastChange[i] ?? now)) };
  });
  return { message: `no thread made progress for ${stallMs} ms: the program deadlocked or livelocked on real workers`, threads };
}
