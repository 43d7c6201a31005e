/**
 * Execution graphs in herd7's style, built from an execution (a trace with structured memory
 * events, see execution.ts). Pure data; the renderers (DOT, Mermaid, SVG) live in cli/graph/.
 *
 * - Events: one initial write per location the execution touches, then each thread's memory
 *   events in program order: reads (loads, awaits, waits), writes (stores) and RMWs (one event
 *   that both reads and writes; a failed cmpxchg only reads). Fences are not events: they
 *   annotate the po edge they sit on (herd draws them so too).
 * - po: between consecutive memory events of a thread (the transitive reduction).
 * - rf: from the write a read took its value from. Writes are tracked per slot through the
 *   trace: a store that went into a store buffer (tso/pso) is pending until its drain; a read
 *   first looks at its own thread's newest pending store to that slot (store forwarding), else
 *   at the write currently in memory (the initial write at first).
 * - co: per location, the order in which writes reached memory (the drain order under tso/pso),
 *   initial write first; shown as the chain of immediate successors. Stores still buffered when
 *   the execution ends come last, in buffer order (see placePendingWrites).
 * - fr: from a read to the co-successor of the write it read (immediate successor only; an RMW
 *   has no fr edge to itself).
 * - Atomics.wait and notify: a wait is a read event (the value it compared); a notify is an event
 *   of its own on its thread (it reads and writes no memory), with a wake edge to the wait of
 *   each thread it woke — the synchronisation Atomics.notify makes, which the JavaScript memory
 *   model counts as synchronizes-with. A notify that woke nobody has no wake edge: the picture of
 *   a lost wake-up.
 * - cycle: a shortest cycle in po ∪ rf ∪ co ∪ fr (wake edges are not part of it), or null. Such
 *   a cycle is exactly what makes an execution impossible under sequential consistency (Shasha &
 *   Snir 1988; Alglave, Maranget & Tautschnig, "Herding Cats", TOPLAS 2014, sc.cat), so it
 *   explains why an outcome reached under a weaker model is forbidden under SC.
 *
 * Not modelled: wait timeouts, critical regions, and the RMW atomicity edge (an RMW is one event
 * here, where herd draws a read and a write joined by its rmw relation).
 */
import type { IrProgram } from '../model/ir.js';
import type { ModelName } from './api.js';
import type { Execution } from './execution.js';

/** Kinds of graph events. */
export const GRAPH_EVENT_KINDS = ['init', 'read', 'write', 'rmw', 'notify'] as const;
/** One of {@link GRAPH_EVENT_KINDS}. */
export type GraphEventKind = (typeof GRAPH_EVENT_KINDS)[number];

/** Kinds of edges (herd's relations). */
export const EDGE_KINDS = ['po', 'rf', 'co', 'fr', 'wake'] as const;
/** One of {@link EDGE_KINDS}. */
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** One event (a node of the graph). */
export interface GraphEvent {
  /** unique id, safe in DOT and Mermaid: "i0" (initial write of slot 0) or "e0", "e1", … */
  readonly id: string;
  /** herd-style letter ("a", "b", …; "" for initial writes) */
  readonly letter: string;
  readonly kind: GraphEventKind;
  /** thread index, -1 for initial writes */
  readonly thread: number;
  /** index of the step in the execution, -1 for initial writes */
  readonly step: number;
  readonly slot: number;
  /** display name of the slot ("x", "a[1]") */
  readonly location: string;
  /** value read (reads, RMWs), else null; for a notify, the number of threads it woke */
  readonly read: number | null;
  /** value written (writes, successful RMWs, initial writes), else null */
  readonly written: number | null;
  /** a store that went through a store buffer */
  readonly buffered: boolean;
  /** for a buffered store: the step at which it reached memory (null: never, or not buffered) */
  readonly drainStep: number | null;
  /** source text of the instruction ("" for initial writes) */
  readonly text: string;
}

/** One edge. */
export interface GraphEdge {
  readonly kind: EdgeKind;
  readonly from: string;
  readonly to: string;
  /** true when the two events belong to different threads (an initial write counts as another thread) */
  readonly external: boolean;
  /** po only: the fences between the two events ("sc", "rel", …) */
  readonly fences: readonly string[];
}

/** The execution graph of one execution. */
export interface ExecutionGraph {
  readonly test: string;
  readonly model: ModelName;
  readonly threads: readonly string[];
  readonly events: readonly GraphEvent[];
  readonly edges: readonly GraphEdge[];
  /** a shortest cycle in po ∪ rf ∪ co ∪ fr (its edges in order), or null when there is none */
  readonly cycle: readonly GraphEdge[] | null;
}

/** Display names of every memory slot, by slot ("x", "a[0]", …). */
export function slotNames(program: IrProgram): string[] {
  const names: string[] = [];
  for (const loc of program.locations) {
    for (let i = 0; i < loc.size; i++) names[loc.base + i] = loc.isArray ? `${loc.name}[${i}]` : loc.name;
  }
  return names;
}

/** herd-style event letters: a … z, then a1 … z1, … */
export function eventLetter(i: number): string {
  const letter = String.fromCharCode(97 + (i % 26));
  const round = Math.floor(i / 26);
  return round === 0 ? letter : `${letter}${round}`;
}

/** The short label of an event: "a: W x=1", "b: R y=0", "c: RMW x=0→1", "init: W x=0". */
export function eventLabel(e: GraphEvent): string {
  const prefix = e.kind === 'init' ? 'init' : e.letter;
  switch (e.kind) {
    case 'init':
    case 'write':
      return `${prefix}: W ${e.location}=${e.written ?? 0}`;
    case 'read':
      return `${prefix}: R ${e.location}=${e.read ?? 0}`;
    case 'rmw':
      return e.written === null ? `${prefix}: RMW ${e.location}=${e.read ?? 0} (no write)` : `${prefix}: RMW ${e.location}=${e.read ?? 0}→${e.written}`;
    case 'notify':
      return `${prefix}: notify ${e.location} (woke ${e.read ?? 0})`;
  }
}

type MutableEvent = { -readonly [K in keyof GraphEvent]: GraphEvent[K] };

/** Build the execution graph of `execution` (a run of `program`). Throws only on an internal inconsistency. */
export function buildExecutionGraph(program: IrProgram, execution: Execution): ExecutionGraph {
  const b = new GraphBuilder(program, execution);
  execution.steps.forEach((s, step) => b.step(s, step));
  return b.finish();
}

function internalBug(what: string): never {
  throw new Error(`internal error: execution graph: ${what} (this is a bug in memweave)`);
}

/** The events and edges of one execution, built step by step (buildExecutionGraph). */
class GraphBuilder {
  private readonly names: readonly string[];
  private readonly initial: MutableEvent[];
  private readonly events: MutableEvent[] = [];
  /** each slot's write in memory (its co-latest so far) */
  private readonly memWrite: Map<number, MutableEvent>;
  private readonly co: Map<number, MutableEvent[]>;
  /** buffered writes per "thread:slot", oldest first */
  private readonly pending = new Map<string, MutableEvent[]>();
  private readonly rf: [MutableEvent, MutableEvent][] = [];
  private readonly lastOf = new Map<number, MutableEvent>();
  private readonly fencesSince = new Map<number, string[]>();
  private readonly edges: GraphEdge[] = [];

  private readonly program: IrProgram;
  private readonly execution: Execution;

  constructor(program: IrProgram, execution: Execution) {
    this.program = program;
    this.execution = execution;
    this.names = slotNames(program);
    // slots touched, for the initial writes
    const touched = new Set<number>();
    for (const s of execution.steps) {
      const ev = s.event;
      if (ev !== null && ev.kind !== 'fence') touched.add(ev.slot);
    }
    this.initial = [...touched]
      .sort((a, b) => a - b)
      .map((slot) => ({ ...this.blank(`i${slot}`, '', 'init', -1, -1, slot, ''), written: execution.initialState[this.nameOf(slot)] ?? 0 }));
    this.memWrite = new Map(this.initial.map((e) => [e.slot, e]));
    this.co = new Map(this.initial.map((e) => [e.slot, [e]]));
  }

  private nameOf(slot: number): string {
    return this.names[slot] ?? `#${slot}`;
  }

  private blank(id: string, letter: string, kind: GraphEventKind, thread: number, step: number, slot: number, text: string): MutableEvent {
    return { id, letter, kind, thread, step, slot, location: this.nameOf(slot), read: null, written: null, buffered: false, drainStep: null, text };
  }

  private inMemory(slot: number): MutableEvent {
    return this.memWrite.get(slot) ?? internalBug(`no write in memory for ${this.nameOf(slot)}`);
  }

  private toMemory(w: MutableEvent): void {
    this.memWrite.set(w.slot, w);
    const order = this.co.get(w.slot);
    if (order === undefined) this.co.set(w.slot, [w]);
    else order.push(w);
  }

  private addEvent(thread: number, step: number, slot: number, kind: GraphEventKind, text: string): MutableEvent {
    const e = this.blank(`e${this.events.length}`, eventLetter(this.events.length), kind, thread, step, slot, text);
    this.events.push(e);
    const prev = this.lastOf.get(thread);
    if (prev !== undefined) this.edges.push({ kind: 'po', from: prev.id, to: e.id, external: false, fences: this.fencesSince.get(thread) ?? [] });
    this.fencesSince.set(thread, []);
    this.lastOf.set(thread, e);
    return e;
  }

  private readFrom(r: MutableEvent, value: number): void {
    const own = this.pending.get(`${r.thread}:${r.slot}`);
    const w = own !== undefined && own.length > 0 ? (own[own.length - 1] as MutableEvent) : this.inMemory(r.slot);
    if (w.written !== value) internalBug(`${r.letter} reads ${r.location}=${value} but the write it can see wrote ${String(w.written)}`);
    this.rf.push([w, r]);
  }

  /** The events and edges of trace step number `step`. */
  step(s: Execution['steps'][number], step: number): void {
    const ev = s.event;
    if (ev === null) return;
    switch (ev.kind) {
      case 'fence': {
        const list = this.fencesSince.get(s.thread) ?? [];
        list.push(ev.mode);
        this.fencesSince.set(s.thread, list);
        return;
      }
      case 'read': {
        const r = this.addEvent(s.thread, step, ev.slot, 'read', s.text);
        r.read = ev.value;
        this.readFrom(r, ev.value);
        return;
      }
      case 'write': {
        const w = this.addEvent(s.thread, step, ev.slot, 'write', s.text);
        w.written = ev.value;
        w.buffered = ev.buffered;
        if (ev.buffered) {
          const key = `${s.thread}:${ev.slot}`;
          const q = this.pending.get(key);
          if (q === undefined) this.pending.set(key, [w]);
          else q.push(w);
        } else this.toMemory(w);
        return;
      }
      case 'rmw': {
        const e = this.addEvent(s.thread, step, ev.slot, 'rmw', s.text);
        e.read = ev.read;
        this.readFrom(e, ev.read);
        if (ev.written !== null) {
          e.written = ev.written;
          this.toMemory(e);
        }
        return;
      }
      case 'notify': {
        const e = this.addEvent(s.thread, step, ev.slot, 'notify', s.text);
        e.read = ev.woken.length;
        for (const w of ev.woken) {
          // a woken thread did nothing since it blocked: its last event is the wait's read
          const wait = this.lastOf.get(w);
          if (wait === undefined || wait.slot !== ev.slot) internalBug(`notify of ${this.nameOf(ev.slot)} woke thread ${w}, whose last event is not a wait on it`);
          else this.edges.push({ kind: 'wake', from: e.id, to: wait.id, external: true, fences: [] });
        }
        return;
      }
      case 'drain': {
        const q = this.pending.get(`${s.thread}:${ev.slot}`);
        const w = q?.shift() ?? internalBug(`drain of ${this.nameOf(ev.slot)} by thread ${s.thread} with nothing pending`);
        if (w.written !== ev.value) internalBug(`drain of ${this.nameOf(ev.slot)}=${ev.value} but the oldest pending store wrote ${String(w.written)}`);
        w.drainStep = step;
        this.toMemory(w);
        return;
      }
    }
  }

  /** The graph: pending writes placed, then rf, co and fr edges, and the shortest cycle. */
  finish(): ExecutionGraph {
    const { co, rf, edges } = this;
    placePendingWrites(this.pending, co);
    const external = (a: MutableEvent, b: MutableEvent): boolean => a.thread !== b.thread;
    for (const [w, r] of rf) edges.push({ kind: 'rf', from: w.id, to: r.id, external: external(w, r), fences: [] });
    for (const slot of [...co.keys()].sort((a, b) => a - b)) {
      const order = co.get(slot) ?? [];
      for (let i = 1; i < order.length; i++) {
        const a = order[i - 1] as MutableEvent;
        const b = order[i] as MutableEvent;
        edges.push({ kind: 'co', from: a.id, to: b.id, external: external(a, b), fences: [] });
      }
    }
    // each write's position in its location's coherence order (an indexOf per read was quadratic)
    const position = new Map<MutableEvent, number>();
    for (const order of co.values()) order.forEach((w, i) => position.set(w, i));
    for (const [w, r] of rf) {
      const order = co.get(w.slot) ?? [];
      const next = order[(position.get(w) ?? -1) + 1];
      if (next !== undefined && next !== r) edges.push({ kind: 'fr', from: r.id, to: next.id, external: external(r, next), fences: [] });
    }
    const all: GraphEvent[] = [...this.initial, ...this.events];
    return {
      test: this.program.name,
      model: this.execution.model,
      threads: this.program.threads.map((t) => t.name),
      events: all,
      edges,
      cycle: shortestCycle(all, edges.filter((e) => e.kind !== 'wake')),
    };
  }
}

/**
 * An execution that ends with stores still in their buffers (a counterexample trace stops at the
 * violation) is completed for the picture: each pending store reaches memory after every write
 * already there, in its buffer's order, thread by thread (all of thread 0's, then thread 1's, …).
 * Draining the buffers one after the other is a real continuation under tso and pso, so the
 * coherence order drawn is one the execution can have, and a read of the old value gets its fr
 * edge to the store that overwrites it instead of to the initial write.
 */
function placePendingWrites(pending: ReadonlyMap<string, readonly MutableEvent[]>, co: Map<number, MutableEvent[]>): void {
  const queues = [...pending.values()].filter((q) => q.length > 0).sort((a, b) => (a[0] as MutableEvent).thread - (b[0] as MutableEvent).thread || (a[0] as MutableEvent).step - (b[0] as MutableEvent).step);
  for (const q of queues) {
    for (const w of q) {
      const order = co.get(w.slot);
      if (order === undefined) co.set(w.slot, [w]);
      else order.push(w);
    }
  }
}

/**
 * A shortest cycle through the edges (deterministic: the first shortest in edge order), or null.
 * Only edges inside a strongly connected component can lie on a cycle, and every path between
 * two events of one component stays in it, so the breadth-first searches run over those edges
 * alone, in the same order — the same answer, and linear time for an acyclic graph (a long
 * execution's picture was quadratic: 85 s at 20,000 events).
 */
export function shortestCycle(events: readonly GraphEvent[], allEdges: readonly GraphEdge[]): GraphEdge[] | null {
  const component = components(events, allEdges);
  const edges = allEdges.filter((e) => component.get(e.from) !== undefined && component.get(e.from) === component.get(e.to));
  if (edges.length === 0) return null;
  const out = new Map<string, GraphEdge[]>(events.map((e) => [e.id, []]));
  for (const e of edges) out.get(e.from)?.push(e);
  let best: GraphEdge[] | null = null;
  for (const start of edges) {
    // breadth-first from start.to back to start.from
    const prev = new Map<string, GraphEdge | null>([[start.to, null]]);
    const queue = [start.to];
    let found = start.to === start.from;
    for (let i = 0; i < queue.length && !found; i++) {
      const u = queue[i] as string;
      for (const e of out.get(u) ?? []) {
        if (prev.has(e.to)) continue;
        prev.set(e.to, e);
        if (e.to === start.from) {
          found = true;
          break;
        }
        queue.push(e.to);
      }
    }
    if (!found) continue;
    const path: GraphEdge[] = [];
    for (let v = start.from; v !== start.to; ) {
      const e = prev.get(v);
      if (e === undefined || e === null) break;
      path.push(e);
      v = e.from;
    }
    const cycle = [start, ...path.reverse()];
    if (best === null || cycle.length < best.length) best = cycle;
  }
  return best === null ? null : rotateToSmallest(best, events);
}

/** Each event's strongly connected component (Tarjan's algorithm, iterative: no recursion depth limit). */
function components(events: readonly GraphEvent[], edges: readonly GraphEdge[]): Map<string, number> {
  const out = new Map<string, string[]>(events.map((e) => [e.id, []]));
  for (const e of edges) out.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let next = 0;
  let count = 0;
  for (const root of events) {
    if (index.has(root.id)) continue;
    // frames: an event and the position of its next successor to visit
    const frames: [string, number][] = [[root.id, 0]];
    index.set(root.id, next);
    low.set(root.id, next++);
    stack.push(root.id);
    onStack.add(root.id);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as [string, number];
      const [v, i] = frame;
      const succ = out.get(v) ?? [];
      if (i < succ.length) {
        frame[1] = i + 1;
        const w = succ[i] as string;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          frames.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent[0], Math.min(low.get(parent[0]) ?? 0, low.get(v) ?? 0));
      if (low.get(v) === index.get(v)) {
        for (;;) {
          const w = stack.pop() as string;
          onStack.delete(w);
          component.set(w, count);
          if (w === v) break;
        }
        count++;
      }
    }
  }
  return component;
}

/** Rotate a cycle so it starts at its event earliest in `events` order (stable pictures and text). */
function rotateToSmallest(cycle: GraphEdge[], events: readonly GraphEvent[]): GraphEdge[] {
  const rank = new Map(events.map((e, i) => [e.id, i]));
  let at = 0;
  cycle.forEach((e, i) => {
    if ((rank.get(e.from) ?? 0) < (rank.get((cycle[at] as GraphEdge).from) ?? 0)) at = i;
  });
  return [...cycle.slice(at), ...cycle.slice(0, at)];
}

/** The cycle as text, herd-style: "a -po-> b -fr-> c -po-> d -fr-> a". */
export function cycleText(graph: ExecutionGraph): string | null {
  if (graph.cycle === null) return null;
  const letter = new Map(graph.events.map((e) => [e.id, e.kind === 'init' ? `init ${e.location}` : e.letter]));
  const first = graph.cycle[0];
  if (first === undefined) return null;
  return [letter.get(first.from) ?? first.from, ...graph.cycle.map((e) => `-${e.kind}${e.external ? 'e' : ''}-> ${letter.get(e.to) ?? e.to}`)].join(' ');
}
