/**
 * The explorer's modelled shared memory under sequential consistency: one byte array the
 * scheduler owns (never the buffer the threads hold), the operations the worker runtime sends
 * (explore/worker.cjs), and `Atomics.wait`/`notify` waiter lists per ECMA-262 §25.4 (a FIFO list
 * per element: notify wakes the first `count` waiters in the order they started waiting).
 *
 * Not modelled here: weaker orders (every access is SC — plain element accesses too, so a race on
 * a plain access is explored as an interleaving, not reported as a data race), tearing of
 * unaligned or mixed-size accesses (ranges still conflict when they overlap).
 */

/** Element types the runtime names (a typed array's constructor without `Array`). */
export type ElementType = 'Int8' | 'Uint8' | 'Uint8Clamped' | 'Int16' | 'Uint16' | 'Int32' | 'Uint32' | 'Float32' | 'Float64' | 'BigInt64' | 'BigUint64';

/** One shared-memory operation, as the runtime posts it; `pos` is "file:line:col". */
export type MemOp =
  | { readonly kind: 'load'; readonly type: ElementType; readonly byte: number; readonly pos: string; readonly plain?: boolean }
  | { readonly kind: 'store'; readonly type: ElementType; readonly byte: number; readonly value: number | bigint; readonly pos: string; readonly plain?: boolean }
  | { readonly kind: 'rmw'; readonly fn: 'add' | 'sub' | 'and' | 'or' | 'xor' | 'exchange'; readonly type: ElementType; readonly byte: number; readonly value: number | bigint; readonly pos: string }
  | { readonly kind: 'cas'; readonly type: ElementType; readonly byte: number; readonly expected: number | bigint; readonly value: number | bigint; readonly pos: string }
  | { readonly kind: 'wait'; readonly type: ElementType; readonly byte: number; readonly expected: number | bigint; readonly timeout: number; readonly pos: string }
  | { readonly kind: 'waitAsync'; readonly type: ElementType; readonly byte: number; readonly expected: number | bigint; readonly timeout: number; readonly pos: string }
  | { readonly kind: 'notify'; readonly type: ElementType; readonly byte: number; readonly count: number; readonly pos: string };

/** What an operation did: its result, the value it read (for the spin window), whether it wrote. */
export interface MemAnswer {
  readonly value: unknown;
  readonly readValue?: number | bigint;
  readonly wrote: boolean;
}

const SIZES: Readonly<Record<ElementType, number>> = {
  Int8: 1, Uint8: 1, Uint8Clamped: 1, Int16: 2, Uint16: 2, Int32: 4, Uint32: 4, Float32: 4, Float64: 8, BigInt64: 8, BigUint64: 8,
};

/** Bytes an element of `type` covers. */
export function sizeOf(type: ElementType): number {
  return SIZES[type];
}

type View = { [i: number]: number | bigint };

/**
 * One entry of a waiter list: the thread, and for `Atomics.waitAsync` the id of its promise in
 * that thread (`async` ≥ 0); -1 for a thread blocked in `Atomics.wait`.
 */
export interface Waiter {
  readonly thread: number;
  readonly async: number;
}

/** The modelled memory of one execution: bytes, a view per type, the waiter lists. */
export class SharedMemory {
  readonly bytes: Uint8Array;
  readonly #views: Record<ElementType, View>;
  /** invariant: each list is FIFO, head is the oldest waiter */
  readonly #waiters = new Map<number, Waiter[]>();
  /** count of writes so far (the runtime's spin window is valid while this stays put) */
  epoch = 0;

  constructor(size: number) {
    const buf = new ArrayBuffer(size);
    this.bytes = new Uint8Array(buf);
    const whole = (n: number): number => Math.floor(size / n);
    this.#views = {
      Int8: new Int8Array(buf), Uint8: new Uint8Array(buf), Uint8Clamped: new Uint8ClampedArray(buf),
      Int16: new Int16Array(buf, 0, whole(2)), Uint16: new Uint16Array(buf, 0, whole(2)),
      Int32: new Int32Array(buf, 0, whole(4)), Uint32: new Uint32Array(buf, 0, whole(4)), Float32: new Float32Array(buf, 0, whole(4)),
      Float64: new Float64Array(buf, 0, whole(8)), BigInt64: new BigInt64Array(buf, 0, whole(8)), BigUint64: new BigUint64Array(buf, 0, whole(8)),
    };
  }

  /** The element of `type` at byte offset `byte`. */
  read(type: ElementType, byte: number): number | bigint {
    return this.#views[type][byte / SIZES[type]] as number | bigint;
  }

  /** Write `value` (coerced as the typed array would) and return what the element now holds. */
  write(type: ElementType, byte: number, value: number | bigint): number | bigint {
    const v = this.#views[type];
    v[byte / SIZES[type]] = value;
    this.epoch++;
    return v[byte / SIZES[type]] as number | bigint;
  }

  /** Perform a non-blocking operation (a wait is split: see `waitSleeps`, `enqueue`). */
  apply(op: MemOp): MemAnswer {
    switch (op.kind) {
      case 'load': {
        const v = this.read(op.type, op.byte);
        return { value: v, readValue: v, wrote: false };
      }
      case 'store':
        this.write(op.type, op.byte, op.value);
        return { value: undefined, wrote: true };
      case 'rmw': {
        const old = this.read(op.type, op.byte);
        this.write(op.type, op.byte, rmw(op.fn, old, op.value));
        return { value: old, readValue: old, wrote: true };
      }
      case 'cas': {
        const old = this.read(op.type, op.byte);
        if (old === this.coerce(op.type, op.expected)) {
          this.write(op.type, op.byte, op.value);
          return { value: old, readValue: old, wrote: true };
        }
        return { value: old, readValue: old, wrote: false };
      }
      case 'wait':
      case 'waitAsync':
        throw new Error('memweave explore: internal error, a wait goes through waitSleeps and enqueue');
      case 'notify':
        throw new Error('memweave explore: internal error, a notify goes through notify()');
    }
  }

  /** `value` as an element of `type` holds it (the comparison Atomics.compareExchange makes). */
  coerce(type: ElementType, value: number | bigint): number | bigint {
    const scratch = new (VIEW_CTORS[type])(1) as unknown as View;
    scratch[0] = value;
    return scratch[0] as number | bigint;
  }

  /** Whether a wait on (type, byte) expecting `expected` would sleep (the element still holds it). */
  waitSleeps(type: ElementType, byte: number, expected: number | bigint): boolean {
    return this.read(type, byte) === this.coerce(type, expected);
  }

  /** Append a waiter (thread `t`; `async`: its waitAsync promise's id, or -1) to the list of `byte`. */
  enqueue(byte: number, t: number, async = -1): void {
    const list = this.#waiters.get(byte) ?? [];
    list.push({ thread: t, async });
    this.#waiters.set(byte, list);
  }

  /** Remove a waiter from the list of `byte` (a timeout); whether it was there. */
  dequeue(byte: number, t: number, async = -1): boolean {
    const list = this.#waiters.get(byte);
    const i = list === undefined ? -1 : list.findIndex((w) => w.thread === t && w.async === async);
    if (list === undefined || i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  /** Wake up to `count` waiters of `byte`, oldest first; the waiters woken. */
  notify(byte: number, count: number): Waiter[] {
    const list = this.#waiters.get(byte) ?? [];
    const n = Math.min(count, list.length);
    return list.splice(0, n);
  }
}

const VIEW_CTORS: Readonly<Record<ElementType, new (n: number) => unknown>> = {
  Int8: Int8Array, Uint8: Uint8Array, Uint8Clamped: Uint8ClampedArray, Int16: Int16Array, Uint16: Uint16Array,
  Int32: Int32Array, Uint32: Uint32Array, Float32: Float32Array, Float64: Float64Array, BigInt64: BigInt64Array, BigUint64: BigUint64Array,
};

function rmw(fn: 'add' | 'sub' | 'and' | 'or' | 'xor' | 'exchange', old: number | bigint, v: number | bigint): number | bigint {
  if (typeof old === 'bigint') {
    const b = BigInt(v);
    switch (fn) {
      case 'add': return old + b;
      case 'sub': return old - b;
      case 'and': return old & b;
      case 'or': return old | b;
      case 'xor': return old ^ b;
      case 'exchange': return b;
    }
  }
  const n = Number(v);
  switch (fn) {
    case 'add': return old + n;
    case 'sub': return old - n;
    case 'and': return old & n;
    case 'or': return old | n;
    case 'xor': return old ^ n;
    case 'exchange': return n;
  }
}
