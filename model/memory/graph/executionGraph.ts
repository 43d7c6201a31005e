/**
 * Execution graphs (GenMC's and herd's sense): the events of each thread in program order, the
 * write each read reads from (rf), and per location the coherence order of its writes (co).
 * Every location starts with an implicit initial write, first in co. An RMW is a read event and
 * a write event next to each other in program order (its rmw pair); a cmpxchg whose compare
 * failed is a read alone.
 *
 * The explorer (checker/graphExplorer.ts) builds graphs event by event and copies them where it
 * branches; `toExecution` turns one into the dense form consistency predicates read (events
 * numbered 0..n-1, initial writes first, relations as bit matrices: see relation.ts).
 *
 * References to events: the initial write of slot s is `-(s + 1)`; event i of thread t is
 * `t * REF_STRIDE + i`.
 */
import type { Mode, Origin, RmwOp } from '../../ir.js';
import type { WaiterOp } from '../../semantics/waiterList.js';
import type { ByteAccess } from '../../semantics/byteSlots.js';
import { Relation } from './relation.js';
import type { EventSet } from './relation.js';

/** Events per thread a reference can name. */
export const REF_STRIDE = 1 << 20;

/** Reference to the initial write of `slot`. */
export function initRef(slot: number): number {
  return -(slot + 1);
}

/** Reference to event `index` of `thread`. */
export function eventRef(thread: number, index: number): number {
  return thread * REF_STRIDE + index;
}

/** The kinds of event. `enter`/`exit` mark critical regions; they touch no memory. */
export type GraphEventKind = 'read' | 'write' | 'fence' | 'enter' | 'exit';

/** One event of a thread. */
export interface GraphEvent {
  readonly kind: GraphEventKind;
  readonly thread: number;
  /** position in the thread's program order */
  readonly index: number;
  /** the memory word, -1 for fences and region markers */
  readonly slot: number;
  readonly mode: Mode;
  /** write: the value written; read: the value read */
  readonly value: number;
  /** read: reference of the write it reads from; -1 otherwise */
  readonly rf: number;
  /** part of a read-modify-write: its read or its write; 'none' otherwise */
  readonly rmw: 'none' | 'read' | 'write';
  /** the read of an RMW: what it computes, so its write follows from the value read (null otherwise) */
  readonly rmwArgs: { readonly op: RmwOp | WaiterOp; readonly operand: number; readonly expected: number } | null;
  /** added in its maximal way (TruSt): a read reading the co-latest write, a write placed co-last, when it was added */
  readonly addedMax: boolean;
  /** a read that a later write may still revisit (false once it is in the porf-prefix of a write that revisited another read) */
  readonly revisitable: boolean;
  /** enter/exit: the region's index; -1 otherwise */
  readonly region: number;
  /** when the explorer added it (TruSt's order <_G); kept events keep their stamps on a revisit */
  readonly stamp: number;
  readonly origin: Origin | null;
  /** one byte of an access to a location modelled byte by byte (slot is then a byte slot: semantics/byteSlots.ts); absent for a word access */
  readonly bytes?: ByteAccess;
}

/** A mutable execution graph. Copy it with `clone` before branching. */
export class ExecutionGraph {
  /** events per thread, in program order */
  readonly threads: GraphEvent[][];
  /** per slot, the writes to it after the initial write, in coherence order */
  readonly co: Map<number, number[]>;
  /** next stamp to hand out */
  nextStamp: number;

  constructor(threadCount: number, threads?: GraphEvent[][], co?: Map<number, number[]>, nextStamp = 0) {
    this.threads = threads ?? Array.from({ length: threadCount }, () => []);
    this.co = co ?? new Map();
    this.nextStamp = nextStamp;
  }

  /** An independent copy (events are immutable and shared). */
  clone(): ExecutionGraph {
    const co = new Map<number, number[]>();
    for (const [slot, ws] of this.co) co.set(slot, ws.slice());
    return new ExecutionGraph(this.threads.length, this.threads.map((t) => t.slice()), co, this.nextStamp);
  }

  /** The event a reference names; null for an initial write. */
  event(ref: number): GraphEvent | null {
    if (ref < 0) return null;
    const e = this.threads[Math.floor(ref / REF_STRIDE)]?.[ref % REF_STRIDE];
    if (e === undefined) throw new Error(`internal error: no event ${ref} in the graph (this is a bug in memweave)`);
    return e;
  }

  /** The value a reference's write wrote (0 … the program's initial value for an initial write). */
  writeValue(ref: number, initial: (slot: number) => number): number {
    if (ref < 0) return initial(-ref - 1);
    return (this.event(ref) as GraphEvent).value;
  }

  /** Number of events, initial writes not counted. */
  size(): number {
    let n = 0;
    for (const t of this.threads) n += t.length;
    return n;
  }

  /** Appends an event to its thread; returns its reference. */
  push(e: Omit<GraphEvent, 'index' | 'stamp'>): number {
    const list = this.threads[e.thread] as GraphEvent[];
    const ev: GraphEvent = { ...e, index: list.length, stamp: this.nextStamp++ };
    list.push(ev);
    return eventRef(e.thread, ev.index);
  }

  /** Replaces the event at `ref` (to change what a read reads from). */
  replace(ref: number, e: GraphEvent): void {
    (this.threads[Math.floor(ref / REF_STRIDE)] as GraphEvent[])[ref % REF_STRIDE] = e;
  }

  /** The coherence order of `slot`'s writes after its initial write (a live array). */
  coOf(slot: number): number[] {
    let ws = this.co.get(slot);
    if (ws === undefined) {
      ws = [];
      this.co.set(slot, ws);
    }
    return ws;
  }

  /** Every write to `slot`, the initial write first, then in coherence order. */
  writesTo(slot: number): number[] {
    return [initRef(slot), ...(this.co.get(slot) ?? [])];
  }

  /** Every read of `slot` in the graph. */
  readsOf(slot: number): number[] {
    const out: number[] = [];
    for (const t of this.threads) for (const e of t) if (e.kind === 'read' && e.slot === slot) out.push(eventRef(e.thread, e.index));
    return out;
  }

  /** Keeps only the events `keep` says yes to (a prefix of each thread), dropping removed writes from co. */
  restrict(keep: (e: GraphEvent) => boolean): void {
    for (let t = 0; t < this.threads.length; t++) {
      const list = this.threads[t] as GraphEvent[];
      let k = 0;
      while (k < list.length && keep(list[k] as GraphEvent)) k++;
      list.length = k;
    }
    for (const [slot, ws] of this.co) {
      this.co.set(
        slot,
        ws.filter((r) => {
          const t = Math.floor(r / REF_STRIDE);
          return r % REF_STRIDE < (this.threads[t]?.length ?? 0);
        }),
      );
    }
  }
}

/** An event in the dense form predicates read: a thread event, or an initial write (thread -1). */
export interface ExecEvent {
  readonly kind: GraphEventKind;
  readonly thread: number;
  readonly slot: number;
  readonly mode: Mode;
  readonly value: number;
  readonly rmw: 'none' | 'read' | 'write';
  readonly region: number;
  /** the event's reference in its graph */
  readonly ref: number;
  /** as GraphEvent's: one byte of an access of a byte-by-byte location; absent for word accesses and initial writes */
  readonly bytes?: ByteAccess;
}

/** An execution in dense form: the input of a consistency predicate. */
export interface Execution {
  /** events: the initial writes of the slots the graph touches first, then each thread's events in order */
  readonly events: readonly ExecEvent[];
  readonly n: number;
  /** program order (initial writes before every thread event) */
  readonly po: Relation;
  /** reads-from: write → read */
  readonly rf: Relation;
  /** coherence: write → later write to the same slot (transitive) */
  readonly co: Relation;
  /** from-reads: rf^-1 ; co */
  readonly fr: Relation;
  /** the read of an RMW → its write */
  readonly rmw: Relation;
  /** same slot (both memory events) */
  readonly loc: Relation;
  /** different threads (initial writes count as a thread of their own) */
  readonly ext: Relation;
  readonly R: EventSet;
  readonly W: EventSet;
  readonly F: EventSet;
  /** initial writes */
  readonly IW: EventSet;
  /** the dense id of a reference (an initial write or a thread event of this graph), -1 when it names none */
  idOf(ref: number): number;
}

/** Builds the dense execution of a graph. `initial(slot)` is the initial value of a word. */
export function toExecution(g: ExecutionGraph, initial: (slot: number) => number, joinLast = false): Execution {
  // the slots touched, ascending (a byte per slot: slots are small, dense memory indices)
  let maxSlot = -1;
  for (const t of g.threads) for (const e of t) if (e.slot > maxSlot) maxSlot = e.slot;
  const initId = new Int32Array(maxSlot + 1).fill(-1);
  for (const t of g.threads) for (const e of t) if (e.slot >= 0) initId[e.slot] = 0;
  const sorted: number[] = [];
  const events: ExecEvent[] = [];
  for (let s = 0; s <= maxSlot; s++) {
    if (initId[s] !== 0) continue;
    initId[s] = events.length;
    sorted.push(s);
    events.push({ kind: 'write', thread: -1, slot: s, mode: 'plain', value: initial(s), rmw: 'none', region: -1, ref: initRef(s) });
  }
  const firstOf: number[] = [];
  for (const t of g.threads) {
    firstOf.push(events.length);
    for (const e of t) {
      const ev: ExecEvent = { kind: e.kind, thread: e.thread, slot: e.slot, mode: e.mode, value: e.value, rmw: e.rmw, region: e.region, ref: eventRef(e.thread, e.index) };
      events.push(e.bytes === undefined ? ev : { ...ev, bytes: e.bytes });
    }
  }
  const idOf = (ref: number): number => {
    if (ref < 0) return initId[-ref - 1] ?? -1;
    const t = Math.floor(ref / REF_STRIDE);
    const i = ref - t * REF_STRIDE;
    const th = g.threads[t];
    return th !== undefined && i < th.length ? (firstOf[t] as number) + i : -1;
  };
  const n = events.length;
  const nInit = sorted.length;
  const po = new Relation(n);
  const w = po.w;
  // set bits [from, to) of a row, a word at a time
  const setRange = (bits: Uint32Array, row: number, from: number, to: number): void => {
    let b = from;
    const base = row * w;
    while (b < to) {
      const word = b >>> 5;
      const lo = b & 31;
      const hi = Math.min(32, to - (word << 5));
      const mask = hi === 32 ? (0xffffffff << lo) >>> 0 : ((((1 << hi) >>> 0) - 1) & ~((1 << lo) - 1)) >>> 0;
      bits[base + word] = ((bits[base + word] as number) | mask) >>> 0;
      b = (word + 1) << 5;
    }
  };
  for (let a = 0; a < nInit; a++) setRange(po.bits, a, nInit, n);
  // joinLast: the last thread joins every other (each of their events is po-before each of its own)
  if (joinLast && g.threads.length > 0) {
    const joined = firstOf[g.threads.length - 1] as number;
    for (let a = nInit; a < joined; a++) setRange(po.bits, a, joined, n);
  }
  g.threads.forEach((t, ti) => {
    const base = firstOf[ti] as number;
    for (let i = 0; i < t.length; i++) setRange(po.bits, base + i, base + i + 1, base + t.length);
  });
  const rf = new Relation(n);
  const rmw = new Relation(n);
  g.threads.forEach((t, ti) => {
    const base = firstOf[ti] as number;
    t.forEach((e, i) => {
      if (e.kind === 'read') {
        const src = idOf(e.rf);
        if (src < 0) throw new Error(`internal error: a read reads from a missing write ${e.rf} (this is a bug in memweave)`);
        rf.add(src, base + i);
      }
      if (e.rmw === 'write') rmw.add(base + i - 1, base + i);
    });
  });
  const co = new Relation(n);
  for (const s of sorted) {
    const chain = [initId[s] as number, ...(g.co.get(s) ?? []).map(idOf)];
    for (let i = 0; i < chain.length; i++) for (let j = i + 1; j < chain.length; j++) co.add(chain[i] as number, chain[j] as number);
  }
  const fr = rf.inverse().seq(co);
  // loc: events of one slot; ext: events of different threads (initial writes: a thread of their own)
  const loc = new Relation(n);
  const row = new Uint32Array(w);
  for (const slot of sorted) {
    row.fill(0);
    for (let b = 0; b < n; b++) if ((events[b] as ExecEvent).slot === slot) row[b >>> 5] = (row[b >>> 5] as number) | (1 << (b & 31));
    for (let a = 0; a < n; a++) if ((events[a] as ExecEvent).slot === slot) loc.bits.set(row, a * w);
  }
  // ext: built on first use (only the atomicity clause and the tso model read it)
  let ext: Relation | null = null;
  const buildExt = (): Relation => {
    const r = new Relation(n);
    const spans: [number, number][] = [[0, nInit], ...g.threads.map((t, ti) => [firstOf[ti] as number, (firstOf[ti] as number) + t.length] as [number, number])];
    for (const [from, to] of spans) {
      if (from === to) continue;
      setRange(r.bits, from, 0, from);
      setRange(r.bits, from, to, n);
      const row = r.bits.subarray(from * w, from * w + w);
      for (let a = from + 1; a < to; a++) r.bits.set(row, a * w);
    }
    return r;
  };
  const R = new Uint8Array(n);
  const W = new Uint8Array(n);
  const F = new Uint8Array(n);
  const IW = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = events[i] as ExecEvent;
    if (e.kind === 'read') R[i] = 1;
    else if (e.kind === 'write') W[i] = 1;
    else if (e.kind === 'fence') F[i] = 1;
    if (e.thread < 0) IW[i] = 1;
  }
  return {
    events,
    n,
    po,
    rf,
    co,
    fr,
    rmw,
    loc,
    get ext(): Relation {
      ext ??= buildExt();
      return ext;
    },
    R,
    W,
    F,
    IW,
    idOf,
  };
}
