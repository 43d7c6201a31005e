/**
 * One execution of the threads under test against the modelled memory (explore/memory.ts):
 * setup on worker 0, then the threads, each parked at its next shared operation until the
 * scheduler picks it, then the check on worker 0. The scheduler (explore/dpor.ts) sees only
 * `enabled`, `step` and the footprint of each step; this file owns the thread states.
 *
 * A thread's states: at an operation (enabled); waiting in Atomics.wait (enabled only for its
 * timeout when the timeout is finite: a timeout is a choice the explorer takes at any point, since
 * time is not modelled); woken by a notify (enabled: its wait returns "ok"); parked by spin
 * collapse (enabled again when an element it read is written); done; failed. An async thread
 * (its function returned a promise) is also idle: its job ran to its end and its promise waits.
 * An idle thread's step runs the oldest resolution queued for it (a notify resolved one of its
 * `Atomics.waitAsync` promises: "ok"), or else times out its oldest waitAsync with a finite
 * timeout; with neither it cannot move until a notify resolves one (ECMA-262 §25.4.3.14
 * DoWait with mode async, §25.4.15 Atomics.waitAsync; a resolution is a job of the waiter's
 * agent, so it runs only when the thread's current job has ended).
 */
import { SharedMemory, sizeOf, type MemOp, type Waiter } from './memory.js';
import { RaceDetector, type Race } from './races.js';
import type { ThreadError, ThreadPool, WorkerEvent } from './pool.js';

/** The bytes and pseudo-locations a step touches (waiter lists are keyed by element byte). */
export interface Footprint {
  readonly reads: readonly (readonly [number, number])[];
  readonly writes: readonly (readonly [number, number])[];
  readonly waitList: number;
}

/** One step, for the trace. */
export interface StepRecord {
  readonly thread: number;
  readonly what: string;
  readonly at: string;
  readonly footprint: Footprint;
}

type ThreadState =
  | { readonly kind: 'op'; readonly op: MemOp }
  | { readonly kind: 'parked'; readonly op: MemOp; readonly reads: readonly (readonly [number, number])[] }
  | { readonly kind: 'waiting'; readonly op: Extract<MemOp, { kind: 'wait' }> }
  | { readonly kind: 'woken'; readonly op: Extract<MemOp, { kind: 'wait' }> }
  | { readonly kind: 'idle' }
  | { readonly kind: 'done'; readonly value: unknown }
  | { readonly kind: 'failed'; readonly error: ThreadError };

/** How an execution ended badly. */
export type ExecutionFailure =
  | { readonly kind: 'error' | 'escape'; readonly thread: number | 'setup' | 'check'; readonly error: ThreadError }
  | { readonly kind: 'check'; readonly message: string }
  | { readonly kind: 'deadlock'; readonly message: string }
  | { readonly kind: 'race'; readonly message: string; readonly at: string };

const NONE: readonly (readonly [number, number])[] = [];

type WaitAsyncOp = Extract<MemOp, { kind: 'waitAsync' }>;
/** A thread's Atomics.waitAsync whose promise is pending: its id in the thread, the operation. */
interface AsyncWait {
  readonly id: number;
  readonly op: WaitAsyncOp;
}
/** A waitAsync promise a notify resolved, queued until its thread's job ends. */
interface Resolution extends AsyncWait {
  /** the notify's vector clock, joined when the resolution runs (js model), or null */
  readonly clock: readonly number[] | null;
}

/** An execution in progress. */
export class Execution {
  readonly memory: SharedMemory;
  readonly #pool: ThreadPool;
  readonly #states: ThreadState[] = [];
  readonly #bytes: number;
  /** per thread: byte ranges others wrote since its last reply (sent with the next one) */
  readonly #dirty: (readonly [number, number])[][] = [];
  context: unknown;
  failure: ExecutionFailure | null = null;
  /** under the js model: the data-race detector (explore/races.ts); null under sc */
  readonly #races: RaceDetector | null;
  /** per thread: its pending waitAsync promises, in the order they started waiting */
  readonly #asyncWaits: AsyncWait[][] = [];
  /** per thread: resolved waitAsync promises whose resolution has not run yet (FIFO: the job queue) */
  readonly #resolutions: Resolution[][] = [];
  /** per thread: the next waitAsync promise id */
  readonly #asyncIds: number[] = [];

  constructor(pool: ThreadPool, bytes: number, threads: number, races = false) {
    this.#pool = pool;
    this.#bytes = bytes;
    this.memory = new SharedMemory(bytes);
    this.#races = races ? new RaceDetector(bytes, threads) : null;
    const setup = this.#sequential(pool.run(0, { role: 'setup', index: 0, bytes }), 'setup');
    if (setup.ok) {
      this.context = setup.value;
      for (let t = 0; t < threads; t++) {
        const s = this.#absorb(pool.run(t, { role: 'thread', index: t, bytes, context: this.context }));
        this.#states[t] = s;
        if (s.kind === 'failed') {
          this.failure = { kind: s.error.kind, thread: t, error: s.error };
          break;
        }
      }
    }
  }

  /** Number of threads started. */
  get threads(): number {
    return this.#states.length;
  }

  /** Whether thread `t` can take a step now. */
  enabled(t: number): boolean {
    const s = this.#states[t];
    if (s === undefined) return false;
    switch (s.kind) {
      case 'op':
      case 'woken':
        return true;
      case 'waiting':
        return s.op.timeout !== Infinity;
      case 'idle':
        return (this.#resolutions[t]?.length ?? 0) > 0 || (this.#asyncWaits[t] ?? []).some((w) => w.op.timeout !== Infinity);
      default:
        return false;
    }
  }

  /** Whether every thread finished. */
  get finished(): boolean {
    return this.#states.every((s) => s.kind === 'done');
  }

  /** The threads that are neither done nor able to move, with where they are. */
  stuck(): string[] {
    const out: string[] = [];
    this.#states.forEach((s, t) => {
      if (s.kind === 'waiting') out.push(`thread ${t} waits in Atomics.wait at ${s.op.pos}`);
      else if (s.kind === 'parked') out.push(`thread ${t} spins at ${s.op.pos} on memory no thread changes`);
      else if (s.kind === 'idle') {
        const waits = this.#asyncWaits[t] ?? [];
        out.push(
          waits.length > 0
            ? `thread ${t} awaits Atomics.waitAsync at ${waits.map((w) => w.op.pos).join(', ')}`
            : `thread ${t}'s promise waits on nothing the explorer models (none of its Atomics.waitAsync is pending)`,
        );
      }
    });
    return out;
  }

  /** Perform thread `t`'s next step. */
  step(t: number): StepRecord {
    const s = this.#states[t];
    if (s === undefined || !this.enabled(t)) throw new Error(`memweave explore: internal error, thread ${t} is not enabled`);
    const epochBefore = this.memory.epoch;
    let rec: StepRecord;
    switch (s.kind) {
      case 'woken':
        this.#races?.woke(t);
        rec = { thread: t, what: `Atomics.wait returns "ok"`, at: s.op.pos, footprint: { reads: NONE, writes: NONE, waitList: s.op.byte } };
        this.#resume(t, { value: 'ok', wrote: false });
        break;
      case 'waiting':
        this.memory.dequeue(s.op.byte, t);
        rec = { thread: t, what: `Atomics.wait times out ("timed-out")`, at: s.op.pos, footprint: { reads: NONE, writes: NONE, waitList: s.op.byte } };
        // the element's value now, for the spin window: a timed wait in a loop is answered locally from here on
        this.#resume(t, { value: 'timed-out', readValue: this.memory.read(s.op.type, s.op.byte), wrote: false });
        break;
      case 'op':
        rec = this.#perform(t, s.op);
        break;
      case 'idle':
        rec = this.#runJob(t);
        break;
      default:
        throw new Error('memweave explore: internal error, a step of a thread that cannot move');
    }
    if (this.memory.epoch !== epochBefore) {
      this.#unpark(rec.footprint.writes);
      for (let u = 0; u < this.#states.length; u++) if (u !== t) (this.#dirty[u] ??= []).push(...rec.footprint.writes);
    }
    return rec;
  }

  #perform(t: number, op: MemOp): StepRecord {
    const range = [op.byte, op.byte + sizeOf(op.type)] as const;
    const el = `${op.type}[${op.byte / sizeOf(op.type)}]`;
    switch (op.kind) {
      case 'wait': {
        const now = this.memory.read(op.type, op.byte);
        const fp = { reads: [range], writes: NONE, waitList: op.byte };
        this.#raced(t, range, true, false, true, `Atomics.wait(${el})`, op.pos);
        if (!this.memory.waitSleeps(op.type, op.byte, op.expected)) {
          this.#resume(t, { value: 'not-equal', readValue: now, wrote: false });
          return { thread: t, what: `Atomics.wait(${el}, ${op.expected}) → "not-equal" (holds ${now})`, at: op.pos, footprint: fp };
        }
        this.memory.enqueue(op.byte, t);
        this.#states[t] = { kind: 'waiting', op };
        const tm = op.timeout === Infinity ? '' : `, ${op.timeout} ms`;
        return { thread: t, what: `Atomics.wait(${el}, ${op.expected}${tm}) sleeps`, at: op.pos, footprint: fp };
      }
      case 'waitAsync':
        return this.#waitAsync(t, op, range, el);
      case 'notify': {
        const woken = this.memory.notify(op.byte, op.count);
        const clock = this.#races?.notified(t, woken.filter((w) => w.async < 0).map((w) => w.thread)) ?? null;
        for (const w of woken) this.#wake(w, clock);
        this.#resume(t, { value: woken.length, wrote: false });
        const names = woken.length === 0 ? 'nobody' : woken.map((w) => (w.async < 0 ? `thread ${w.thread}` : `thread ${w.thread}'s waitAsync #${w.async}`)).join(', ');
        return { thread: t, what: `Atomics.notify(${el}, ${op.count}) → ${woken.length} (wakes ${names})`, at: op.pos, footprint: { reads: NONE, writes: NONE, waitList: op.byte } };
      }
      default: {
        const a = this.memory.apply(op);
        const fp = { reads: [range], writes: op.kind === 'load' ? NONE : [range], waitList: -1 };
        const plain = (op.kind === 'load' || op.kind === 'store') && op.plain === true;
        const kindText = op.kind === 'load' ? (plain ? 'read' : 'Atomics.load') : op.kind === 'store' ? (plain ? 'write' : 'Atomics.store') : op.kind === 'cas' ? 'Atomics.compareExchange' : `Atomics.${op.fn}`;
        this.#raced(t, range, op.kind !== 'store', op.kind === 'cas' ? a.wrote : op.kind !== 'load', !plain, `${kindText} of ${el}`, op.pos);
        const what = describe(op, el, a.value, this.memory.read(op.type, op.byte));
        this.#resume(t, { value: a.value, ...(a.readValue === undefined ? {} : { readValue: a.readValue }), wrote: a.wrote });
        return { thread: t, what, at: op.pos, footprint: fp };
      }
    }
  }

  /** A notify woke `w`: a thread in Atomics.wait wakes; a waitAsync promise is queued for its thread. */
  #wake(w: Waiter, clock: readonly number[] | null): void {
    if (w.async < 0) {
      const ws = this.#states[w.thread];
      if (ws?.kind === 'waiting') this.#states[w.thread] = { kind: 'woken', op: ws.op };
      return;
    }
    const waits = this.#asyncWaits[w.thread] ?? [];
    const i = waits.findIndex((a) => a.id === w.async);
    const a = waits[i];
    if (a === undefined) throw new Error(`memweave explore: internal error, thread ${w.thread} has no waitAsync #${w.async}`);
    waits.splice(i, 1);
    (this.#resolutions[w.thread] ??= []).push({ ...a, clock });
  }

  /** Atomics.waitAsync: "not-equal" or (timeout 0) "timed-out" at once, else a pending promise. */
  #waitAsync(t: number, op: WaitAsyncOp, range: readonly [number, number], el: string): StepRecord {
    const now = this.memory.read(op.type, op.byte);
    const footprint = { reads: [range], writes: NONE, waitList: op.byte };
    this.#raced(t, range, true, false, true, `Atomics.waitAsync(${el})`, op.pos);
    const head = `Atomics.waitAsync(${el}, ${op.expected}${op.timeout === Infinity ? '' : `, ${op.timeout} ms`})`;
    if (!this.memory.waitSleeps(op.type, op.byte, op.expected)) {
      this.#resume(t, { value: { async: false, value: 'not-equal' }, readValue: now, wrote: false });
      return { thread: t, what: `${head} → "not-equal" (holds ${now})`, at: op.pos, footprint };
    }
    if (op.timeout === 0) {
      this.#resume(t, { value: { async: false, value: 'timed-out' }, readValue: now, wrote: false });
      return { thread: t, what: `${head} → "timed-out" at once`, at: op.pos, footprint };
    }
    const id = this.#asyncIds[t] ?? 0;
    this.#asyncIds[t] = id + 1;
    this.memory.enqueue(op.byte, t, id);
    (this.#asyncWaits[t] ??= []).push({ id, op });
    this.#resume(t, { value: { async: true, id }, wrote: false });
    return { thread: t, what: `${head} → a promise (#${id}) that waits`, at: op.pos, footprint };
  }

  /** An idle async thread runs its next job: the oldest queued resolution, else its oldest timed waitAsync times out. */
  #runJob(t: number): StepRecord {
    const queued = (this.#resolutions[t] ??= []).shift();
    const el = (op: WaitAsyncOp): string => `${op.type}[${op.byte / sizeOf(op.type)}]`;
    if (queued !== undefined) {
      if (queued.clock !== null) this.#races?.joinWake(t, queued.clock);
      const rec = { thread: t, what: `Atomics.waitAsync(${el(queued.op)}) promise #${queued.id} resolves "ok"`, at: queued.op.pos, footprint: { reads: NONE, writes: NONE, waitList: queued.op.byte } };
      this.#resumeJob(t, queued.id, 'ok');
      return rec;
    }
    const waits = this.#asyncWaits[t] ?? [];
    const i = waits.findIndex((w) => w.op.timeout !== Infinity);
    const w = waits[i];
    if (w === undefined) throw new Error(`memweave explore: internal error, idle thread ${t} has no job to run`);
    waits.splice(i, 1);
    this.memory.dequeue(w.op.byte, t, w.id);
    const rec = { thread: t, what: `Atomics.waitAsync(${el(w.op)}) promise #${w.id} times out ("timed-out")`, at: w.op.pos, footprint: { reads: NONE, writes: NONE, waitList: w.op.byte } };
    this.#resumeJob(t, w.id, 'timed-out');
    return rec;
  }

  /** Tell the race detector of an access; the first race is the execution's failure. */
  #raced(t: number, range: readonly [number, number], reads: boolean, writes: boolean, seqCst: boolean, what: string, at: string): void {
    if (this.#races === null) return;
    const race: Race | null = this.#races.access({ thread: t, from: range[0], to: range[1], reads, writes, seqCst, what, at });
    if (race === null || this.failure !== null) return;
    this.failure = {
      kind: 'race',
      at: race.second.at,
      message: `data race: thread ${race.first.thread}'s ${race.first.what} at ${race.first.at} and thread ${race.second.thread}'s ${race.second.what} at ${race.second.at} are not ordered by happens-before (ECMA-262 §29.7; not both Atomics operations on the same element), so JavaScript does not promise this code sequential consistency`,
    };
  }

  #resume(t: number, answer: { value: unknown; readValue?: number | bigint; wrote: boolean }): void {
    const dirty = this.#dirty[t] ?? [];
    this.#dirty[t] = [];
    const e = this.#pool.reply(t, { ...answer, epoch: this.memory.epoch, dirty });
    const s = this.#absorb(e);
    this.#states[t] = s;
    if (s.kind === 'failed' && this.failure === null) this.failure = { kind: s.error.kind, thread: t, error: s.error };
  }

  /** Resolve thread `t`'s waitAsync promise `id` with `value` and run the thread's jobs to their end. */
  #resumeJob(t: number, id: number, value: 'ok' | 'timed-out'): void {
    const dirty = this.#dirty[t] ?? [];
    this.#dirty[t] = [];
    const s = this.#absorb(this.#pool.resolve(t, { id, value, epoch: this.memory.epoch, dirty }));
    this.#states[t] = s;
    if (s.kind === 'failed' && this.failure === null) this.failure = { kind: s.error.kind, thread: t, error: s.error };
  }

  #absorb(e: WorkerEvent): ThreadState {
    switch (e.t) {
      case 'idle':
        return { kind: 'idle' };
      case 'op':
        return { kind: 'op', op: e.op };
      case 'park':
        return { kind: 'parked', op: e.op, reads: e.reads.map(rangeOfKey) };
      case 'done':
        return { kind: 'done', value: e.value };
      case 'failed':
        return { kind: 'failed', error: e.error };
      case 'aborted':
        return { kind: 'failed', error: { kind: 'error', message: 'aborted', pos: null } };
    }
  }

  #unpark(writes: readonly (readonly [number, number])[]): void {
    this.#states.forEach((s, t) => {
      if (s.kind === 'parked' && s.reads.some((r) => writes.some((w) => w[0] < r[1] && r[0] < w[1]))) this.#states[t] = { kind: 'op', op: s.op };
    });
  }

  /** Run setup or the check to its end, performing its operations at once (no other thread runs). */
  #sequential(first: WorkerEvent, role: 'setup' | 'check'): { ok: true; value: unknown } | { ok: false } {
    let e = first;
    for (;;) {
      switch (e.t) {
        case 'done':
          return { ok: true, value: e.value };
        case 'failed':
          this.failure = { kind: e.error.kind, thread: role, error: e.error };
          return { ok: false };
        case 'aborted':
          return { ok: false };
        case 'idle':
          throw new Error(`memweave explore: internal error, the ${role} went idle (only threads may be async)`);
        case 'park':
        case 'op': {
          const op = e.op;
          if (op.kind === 'wait') {
            const sleeps = this.memory.waitSleeps(op.type, op.byte, op.expected);
            if (sleeps && op.timeout === Infinity) {
              this.failure = { kind: 'error', thread: role, error: { kind: 'error', message: `the ${role} waits in Atomics.wait with no thread to wake it`, pos: op.pos } };
              this.#pool.abort(0);
              return { ok: false };
            }
            e = this.#pool.reply(0, { value: sleeps ? 'timed-out' : 'not-equal', wrote: false, epoch: this.memory.epoch });
          } else if (op.kind === 'waitAsync') {
            if (this.memory.waitSleeps(op.type, op.byte, op.expected) && op.timeout !== 0) {
              this.failure = { kind: 'error', thread: role, error: { kind: 'error', message: `the ${role} calls Atomics.waitAsync on a value that would wait: the ${role} runs synchronously, so nothing could resolve it`, pos: op.pos } };
              this.#pool.abort(0);
              return { ok: false };
            }
            const sleeps = this.memory.waitSleeps(op.type, op.byte, op.expected);
            e = this.#pool.reply(0, { value: { async: false, value: sleeps ? 'timed-out' : 'not-equal' }, wrote: false, epoch: this.memory.epoch });
          } else if (op.kind === 'notify') {
            e = this.#pool.reply(0, { value: 0, wrote: false, epoch: this.memory.epoch });
          } else {
            const a = this.memory.apply(op);
            e = this.#pool.reply(0, { value: a.value, wrote: a.wrote, epoch: this.memory.epoch });
          }
          break;
        }
      }
    }
  }

  /** After every thread finished: the check on worker 0 (true or undefined holds; false or a string is a violation). */
  runCheck(hasCheck: boolean): void {
    if (!hasCheck || this.failure !== null) return;
    const results = this.#states.map((s) => (s.kind === 'done' ? s.value : undefined));
    const r = this.#sequential(this.#pool.run(0, { role: 'check', index: 0, bytes: this.#bytes, context: this.context, results }), 'check');
    if (r.ok && r.value !== undefined && r.value !== true) {
      this.failure = { kind: 'check', message: typeof r.value === 'string' ? r.value : `the check returned ${String(r.value)}` };
    }
  }

  /** End the threads still running (after a failure or a bound). */
  abort(): void {
    this.#states.forEach((s, t) => {
      if (s.kind !== 'done' && s.kind !== 'failed') this.#pool.abort(t);
    });
  }

  /** The final state: memory bytes and the threads' results (for comparing explorations). */
  finalKey(): string {
    const results = this.#states.map((s) => (s.kind === 'done' ? s.value : s.kind));
    return `${Buffer.from(this.memory.bytes).toString('hex')}|${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`;
  }
}

function rangeOfKey(key: string): readonly [number, number] {
  const [type, byte] = key.split(':');
  const b = Number(byte);
  return [b, b + sizeOf(type as Parameters<typeof sizeOf>[0])];
}

function describe(op: MemOp, el: string, result: unknown, after: number | bigint): string {
  switch (op.kind) {
    case 'load':
      return op.plain === true ? `read ${el} → ${String(result)}` : `Atomics.load(${el}) → ${String(result)}`;
    case 'store':
      return op.plain === true ? `write ${el} = ${String(after)}` : `Atomics.store(${el}, ${String(op.value)})`;
    case 'rmw':
      return `Atomics.${op.fn}(${el}, ${String(op.value)}) → ${String(result)} (now ${String(after)})`;
    case 'cas':
      return `Atomics.compareExchange(${el}, ${String(op.expected)}, ${String(op.value)}) → ${String(result)}${result === after && after !== op.value ? ' (failed)' : ''}`;
    default:
      return op.kind;
  }
}
