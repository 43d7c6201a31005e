/**
 * Work stealing for the execution-graph explorer on several threads (issue 18).
 *
 * Why it is sound: an entry of the explorer's depth-first stack (checker/graphExplorer.ts) is a
 * whole execution graph, and everything below it in the exploration tree is a function of that
 * graph alone (its children are its next event's choices and the revisits it allows). So the
 * tree's subtrees can be handed from thread to thread at any time, and as long as every stack
 * entry is visited by exactly one thread the threads together visit the sequential explorer's
 * tree, each complete execution once, whatever the timing. Only which thread finds what (and so
 * which counterexample of a kind is reported first) depends on the timing.
 *
 * The protocol (one SharedArrayBuffer, `StealShared`; its words and steps are stealProtocol.ts's,
 * shared with the parallel stateful search), after the termination-detection scheme of a shared
 * counter of busy workers (Dijkstra & Scholten's, for a shared-memory pool):
 * - BUSY counts the workers holding work plus the graphs in flight. It starts at the number of
 *   workers; worker 0 starts with the root graph, the others start by asking for work.
 * - A worker whose stack is empty marks its mailbox HUNGRY, adds one to WANT, and takes one from
 *   BUSY; the one that takes BUSY to 0 knows that no worker holds work and no graph is in flight
 *   (a donor is busy while it donates), so the exploration is over: it sets DONE and wakes all.
 *   Otherwise it waits on its mailbox until a graph is FULL there, DONE is set, or STOP is.
 * - A busy worker with two or more stack entries looks at WANT every STEAL_CHECK_EVERY visits;
 *   when some worker waits, it claims a HUNGRY mailbox by compare-exchange (HUNGRY → FILLING),
 *   adds one to BUSY for the graph in flight, takes one from WANT, writes the graph encoded as
 *   words, and marks it FULL. It gives away its **oldest** entry (the bottom of its stack: the
 *   root of the largest subtree it has left), as work-stealing schedulers do (Blumofe &
 *   Leiserson, JACM 46(5), 1999: steal from the top of the tree).
 * The receiver takes the graph (BUSY already counts it) and explores it as its own.
 *
 * A graph crosses as words (`encodeStackItem`): its events' fields, its coherence orders and its
 * stamp counter; an event's origin (an IR instruction's, for messages) by its index among the
 * program's instructions, which both threads number alike. A graph larger than a mailbox is not
 * given away (the donor keeps it).
 */
import type { IrProgram, Origin } from '../model/ir.js';
import { MODES, RMW_OPS } from '../model/syntax/ast.js';
import { WAITER_OPS } from '../model/semantics/waiterList.js';
import { ExecutionGraph } from '../model/memory/graph/index.js';
import { claimHungry, deliver, finish, goHungry, initSteal, MAILBOX, mailboxState, received, someoneHungry, STEAL_DONE, STEAL_STOP_WORD, stealControlWords, stopAll, unclaim, waitMailbox, withdraw } from './stealProtocol.js';
import type { GraphEvent, GraphEventKind } from '../model/memory/graph/index.js';

/** Visits between two looks at WANT. */
export const STEAL_CHECK_EVERY = 16;
/** Words of one mailbox's payload (1 MiB): a graph of some 15,000 events. */
export const MAILBOX_WORDS = 1 << 18;

/** The shared words of one stealing exploration. */
export interface StealShared {
  /** the stealing protocol's words (stealProtocol.ts: BUSY, WANT, DONE, STOP, one mailbox state word per worker) */
  readonly control: SharedArrayBuffer;
  /** one mailbox of MAILBOX_WORDS words per worker */
  readonly mailboxes: SharedArrayBuffer;
  readonly workers: number;
}

/** The shared words for `workers` threads (BUSY: every worker, until each has asked for work or finished). */
export function createStealShared(workers: number): StealShared {
  const control = new SharedArrayBuffer(4 * stealControlWords(workers));
  initSteal(new Int32Array(control), workers);
  return { control, mailboxes: new SharedArrayBuffer(4 * MAILBOX_WORDS * workers), workers };
}

/** Why the exploration was stopped (the STOP word): the host stopped it (an interrupt, a failed worker), or a thread stopped with work left (a budget). */
export const STEAL_STOP = { host: 1, peer: 2 } as const;

/**
 * Stop the exploration. `host`: every thread stops (the ones waiting for work answer 'stopped';
 * the host aborts the busy ones). `peer`: a thread gave up with work left, so the answer is
 * incomplete whatever the others do; no more work changes hands, the waiting threads end (their
 * own part is complete), and the busy ones finish what they hold.
 */
export function stopSteal(shared: StealShared, why: (typeof STEAL_STOP)[keyof typeof STEAL_STOP]): void {
  stopAll(new Int32Array(shared.control), shared.workers, why);
}

/** The STOP word: 0, or why the exploration was stopped (STEAL_STOP). */
export function stealStopped(shared: StealShared): number {
  return Atomics.load(new Int32Array(shared.control), STEAL_STOP_WORD);
}

/** A stack entry as it crosses: the graph, and whether its newest event is a sink (graphExplorer.ts). */
export interface StolenItem {
  readonly g: ExecutionGraph;
  readonly sink: boolean;
}

/** What `take` gives a worker whose stack is empty. */
export type TakeResult = { readonly kind: 'item'; readonly item: StolenItem } | { readonly kind: 'done' } | { readonly kind: 'stopped' };

/** The explorer's side of the protocol (GraphExploreOptions.steal). */
export interface GraphSteal {
  /** start with the root graph (worker 0) or with an empty stack */
  readonly ownsRoot: boolean;
  /** true when some worker waits for work (cheap: one atomic load) */
  wanted(): boolean;
  /** hand this entry to a waiting worker; false when none could take it (the caller keeps it) */
  give(item: StolenItem): boolean;
  /** the stack is empty: wait for a graph, the end of the exploration, or a stop (`expired`: the time limit passed) */
  take(expired: () => boolean): TakeResult;
  /** this thread stops with work left (a budget): every thread stops, since the answer cannot be complete */
  abandon(): void;
  /** graphs given away and taken so far (statistics) */
  readonly given: number;
  readonly taken: number;
}

const KINDS: readonly GraphEventKind[] = ['read', 'write', 'fence', 'enter', 'exit'];
const RMW_PARTS = ['none', 'read', 'write'] as const;
const OPS: readonly string[] = [...RMW_OPS, ...WAITER_OPS];
/** Words per event. */
const EVENT_WORDS = 16;

/** Every instruction origin of the program, in thread and code order (both threads number them alike). */
function originTable(program: IrProgram): { readonly list: readonly Origin[]; readonly index: Map<Origin, number> } {
  const list: Origin[] = [];
  const index = new Map<Origin, number>();
  for (const th of program.threads) {
    for (const i of th.code) {
      if (!index.has(i.origin)) {
        index.set(i.origin, list.length);
        list.push(i.origin);
      }
    }
  }
  return { list, index };
}

/** The codec of stack entries for one program. */
export class StackItemCodec {
  private readonly origins: ReturnType<typeof originTable>;

  constructor(program: IrProgram) {
    this.origins = originTable(program);
  }

  /** Write `item` into `out` from 0; the number of words written, or -1 when it does not fit. */
  encode(item: StolenItem, out: Int32Array): number {
    const g = item.g;
    let n = 0;
    const put = (v: number): boolean => {
      if (n >= out.length) return false;
      out[n++] = v;
      return true;
    };
    put(g.threads.length);
    put(g.nextStamp);
    put(item.sink ? 1 : 0);
    for (const list of g.threads) {
      if (!put(list.length)) return -1;
      if (n + EVENT_WORDS * list.length > out.length) return -1;
      for (const e of list) {
        const a = e.rmwArgs;
        const b = e.bytes;
        out[n++] = KINDS.indexOf(e.kind);
        out[n++] = e.index;
        out[n++] = e.slot;
        out[n++] = MODES.indexOf(e.mode);
        out[n++] = e.value;
        out[n++] = e.rf;
        out[n++] = RMW_PARTS.indexOf(e.rmw);
        out[n++] = a === null ? -1 : OPS.indexOf(a.op);
        out[n++] = a === null ? 0 : a.operand;
        out[n++] = a === null ? 0 : a.expected;
        out[n++] = (e.addedMax ? 1 : 0) | (e.revisitable ? 2 : 0) | (b !== undefined ? 4 : 0) | (b?.rmw === true ? 8 : 0);
        out[n++] = e.region;
        out[n++] = e.stamp;
        out[n++] = e.origin === null ? -1 : (this.origins.index.get(e.origin) ?? -1);
        out[n++] = b === undefined ? 0 : b.lo | (b.size << 8);
        out[n++] = b === undefined ? 0 : b.part;
      }
    }
    if (!put(g.co.size)) return -1;
    for (const [slot, ws] of g.co) {
      if (!put(slot) || !put(ws.length)) return -1;
      for (const w of ws) if (!put(w)) return -1;
    }
    return n;
  }

  /** The entry `encode` wrote into `words`. */
  decode(words: Int32Array): StolenItem {
    let n = 0;
    const get = (): number => words[n++] as number;
    const threadCount = get();
    const nextStamp = get();
    const sink = get() === 1;
    const threads: GraphEvent[][] = [];
    for (let t = 0; t < threadCount; t++) {
      const len = get();
      const list: GraphEvent[] = [];
      for (let i = 0; i < len; i++) {
        const kind = KINDS[get()] as GraphEventKind;
        const index = get();
        const slot = get();
        const mode = MODES[get()] as GraphEvent['mode'];
        const value = get();
        const rf = get();
        const rmw = RMW_PARTS[get()] as GraphEvent['rmw'];
        const op = get();
        const operand = get();
        const expected = get();
        const flags = get();
        const region = get();
        const stamp = get();
        const origin = get();
        const range = get();
        const part = get();
        const e: GraphEvent = {
          kind, thread: t, index, slot, mode, value, rf, rmw,
          rmwArgs: op < 0 ? null : { op: OPS[op] as NonNullable<GraphEvent['rmwArgs']>['op'], operand, expected },
          addedMax: (flags & 1) !== 0, revisitable: (flags & 2) !== 0, region, stamp,
          origin: origin < 0 ? null : (this.origins.list[origin] ?? null),
          ...((flags & 4) !== 0 ? { bytes: { lo: range & 0xff, size: range >> 8, part, ...((flags & 8) !== 0 ? { rmw: true as const } : {}) } } : {}),
        };
        list.push(e);
      }
      threads.push(list);
    }
    const co = new Map<number, number[]>();
    const slots = get();
    for (let k = 0; k < slots; k++) {
      const slot = get();
      const len = get();
      const ws: number[] = [];
      for (let i = 0; i < len; i++) ws.push(get());
      co.set(slot, ws);
    }
    return { g: new ExecutionGraph(threadCount, threads, co, nextStamp), sink };
  }
}

/** Wait this long (ms) between looks at DONE, STOP and the clock while waiting for work. */
const WAIT_SLICE_MS = 5;

/** Worker `me`'s side of the protocol over `shared`. */
export function stealPort(shared: StealShared, me: number, program: IrProgram): GraphSteal {
  const ctl = new Int32Array(shared.control);
  const codec = new StackItemCodec(program);
  const box = (w: number): Int32Array => new Int32Array(shared.mailboxes, 4 * MAILBOX_WORDS * w, MAILBOX_WORDS);
  const mine = box(me);
  let given = 0;
  let taken = 0;
  return {
    ownsRoot: me === 0,
    get given() {
      return given;
    },
    get taken() {
      return taken;
    },
    wanted: () => someoneHungry(ctl),
    abandon: () => stopSteal(shared, STEAL_STOP.peer),
    give(item) {
      const w = claimHungry(ctl, shared.workers, me);
      if (w < 0) return false;
      if (codec.encode(item, box(w)) < 0) {
        // too large for a mailbox: nothing is in flight after all, and w waits again
        unclaim(ctl, w);
        return false;
      }
      deliver(ctl, w);
      given++;
      return true;
    },
    take(expired) {
      // this worker took BUSY to 0: nobody holds work, nothing is in flight
      if (goHungry(ctl, me)) finish(ctl, shared.workers);
      for (;;) {
        const s = mailboxState(ctl, me);
        if (s === MAILBOX.full) {
          const item = codec.decode(mine);
          received(ctl, me);
          taken++;
          return { kind: 'item', item };
        }
        if (s === MAILBOX.hungry) {
          if (Atomics.load(ctl, STEAL_DONE) !== 0) return { kind: 'done' };
          const stop = Atomics.load(ctl, STEAL_STOP_WORD);
          if (stop !== 0 || expired()) {
            // withdraw the request unless a donor is filling the mailbox right now (then take that graph next round)
            if (withdraw(ctl, me)) {
              // stopped by a peer with work left: this thread's own part is complete
              return stop === STEAL_STOP.peer && !expired() ? { kind: 'done' } : { kind: 'stopped' };
            }
            continue;
          }
        }
        waitMailbox(ctl, me, s, WAIT_SLICE_MS);
      }
    },
  };
}
