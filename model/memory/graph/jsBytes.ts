/**
 * The ECMAScript memory model over byte ranges (ECMA-262 §29 with mixed-size accesses; issue 15):
 * the judgement of js.ts for executions of programs that access a location through views of
 * different sizes (Int8Array, Int16Array, Int32Array over one SharedArrayBuffer).
 *
 * Such a location is modelled byte by byte (model/semantics/byteSlots.ts): an access of k bytes
 * is k consecutive events of its thread, one per byte slot, each carrying the access's range; an
 * initial write is one event per byte (ECMA-262 §6.2.9.2 CreateSharedByteDataBlock appends one
 * Init WriteSharedMemory of ElementSize 1, NoTear, per byte). The events of one access are one event of the
 * standard: every relation below is taken over accesses (`group`: the access's first byte event),
 * then spread back to its bytes.
 *
 * Clause by clause (ECMA-262 §29.5-§29.7; Watt et al., PLDI 2020, §3):
 *   reads-bytes-from   a read's byte events each read one write event covering that byte (the
 *                      explorer chooses them); Valid Chosen Reads: the value is composed from
 *                      those bytes, little-endian, sign-extended to the view (semantics/irThreads.ts)
 *   reads-from         R reads-from W when R reads some byte from W
 *   synchronizes-with  W sw R when R reads-from W, both SeqCst, equal ranges;
 *                      js2017 also Init sw R when R is SeqCst and reads only Init writes
 *   happens-before     (agent-order ∪ sw)+ over accesses (initial writes first in agent order)
 *   Coherent Reads     per byte: for R reading byte b from W, not R hb W, and no write V covering b
 *                      with W hb V hb R
 *   Tear Free Reads    a NoTear read reads from at most one NoTear write of its own range (§29.7.4);
 *                      every `.mw` access is NoTear (aligned integer typed-array accesses and
 *                      Atomics are, IsNoTearConfiguration), the 1-byte Init writes too. Checked on
 *                      complete executions only (`tearFree`): reading each byte's co-latest write,
 *                      the explorer's maximal choice, may tear, so pruning on it during the search
 *                      would lose the backward revisits of that read.
 *   SC Atomics         as js.ts, with its range conditions: for R reads-from W, no SeqCst write V
 *                      with W <mo V <mo R when (a) W sw R and V, R equal ranges; (b) W hb R, V hb R,
 *                      W SeqCst and W, V equal ranges; (c) W hb R, W hb V, R SeqCst and V, R equal
 *                      ranges. js2017: for W sw R, no write V (any order) of R's range between them.
 *
 * Memory order and coherence: the explorer enumerates a coherence order per byte slot (the order
 * of the writes covering that byte). Memory-order is one strict total order of all events, so
 * what the clauses need of it is its restriction to each byte's writes, which must agree with
 * one another: the graph is valid iff hb ∪ co ∪ the clauses' edges is acyclic with each access
 * (and each RMW) one node. A cycle through two bytes' orders (W before V on byte 0, V before W
 * on byte 1) is then inconsistent, as no total order has both. So per-byte co enumerates exactly
 * the restrictions of the possible memory orders; the cost is some inconsistent combinations,
 * judged and dropped.
 *
 * RMWs: an RMW of such a location (a ReadModifyWriteSharedMemory event, §29.1) is its byte reads
 * then its byte writes (`ByteAccess.rmw`; no writes when a compareExchange's compare failed), one
 * access: its node reads as a read and, when it wrote, counts as a write (`writes`) in SC Atomics.
 * §29.7 has no atomicity clause of its own (nor has the Alloy model of Watt et al.'s artifact,
 * memory_model_js.als): an RMW's atomicity is what Coherent Reads and SC Atomics give it, which is
 * full against SeqCst events of its range (clause (a): the other RMW or store would be a SeqCst
 * write of R's range between W and R) and none against a write of another range or an Unordered
 * one. So the explorer places each of its byte writes anywhere in its byte's coherence, as a
 * store's, and the clauses above decide; with each access one node, an RMW whose write is
 * co-before a write it read is judged as memory-order would have it (R <mo W), allowed unless hb
 * orders them.
 *
 * Races (§29.9): two accesses of different agents with overlapping ranges, one a write, not
 * ordered by hb, unless both are SeqCst with equal ranges (different-size Atomics on overlapping
 * bytes race) — the stateful detector's definition (model/memory/js.ts).
 *
 * A wait's read of such a word is four SeqCst byte reads (model/semantics/irThreads.ts); its
 * waiter list is per word, outside the bytes.
 *
 * Not modelled: waits of two or more threads on one such location (the graph engine refuses them,
 * checker/graphCheck.ts graphBytesUnsupported: its explorer misses executions there); DataView,
 * float and BigInt arrays (no such accesses in `.mw`).
 */
import { byteOfByteSlot, isByteSlot, wordOfByteSlot } from '../../semantics/byteSlots.js';
import type { ExecEvent, Execution } from './executionGraph.js';
import { Relation } from './relation.js';
import type { Judgement } from './model.js';

/** A SeqCst access (an Atomics operation); initial writes are Init, never SeqCst. */
export function isSeqCst(e: ExecEvent): boolean {
  return e.thread >= 0 && e.mode === 'sc' && (e.kind === 'read' || e.kind === 'write');
}

/** The range of an event's access: its word, first byte and size (a word access: [0, 4); an initial write of a byte slot: its byte). */
export function rangeOf(e: ExecEvent): { readonly word: number; readonly lo: number; readonly size: number } {
  if (e.bytes !== undefined) return { word: wordOfByteSlot(e.slot), lo: e.bytes.lo, size: e.bytes.size };
  if (isByteSlot(e.slot)) return { word: wordOfByteSlot(e.slot), lo: byteOfByteSlot(e.slot), size: 1 };
  return { word: e.slot, lo: 0, size: 4 };
}

/** Do the accesses of two events have equal ranges (ECMA-262 §29.5, "equal ranges")? */
export function equalRanges(a: ExecEvent, b: ExecEvent): boolean {
  // two word accesses (the hot case): their ranges are their words
  if (a.bytes === undefined && b.bytes === undefined && !isByteSlot(a.slot) && !isByteSlot(b.slot)) return a.slot === b.slot;
  const ra = rangeOf(a);
  const rb = rangeOf(b);
  return ra.word === rb.word && ra.lo === rb.lo && ra.size === rb.size;
}

/** Does the execution have events of byte-by-byte locations? */
export function hasByteEvents(x: Execution): boolean {
  return x.events.some((e) => isByteSlot(e.slot));
}

/** Per event, the dense id of its access's first byte event (itself for a word access or an initial write). */
function groups(x: Execution): Int32Array {
  const g = new Int32Array(x.n);
  for (let i = 0; i < x.n; i++) g[i] = i - ((x.events[i] as ExecEvent).bytes?.part ?? 0);
  return g;
}

/** The two rule sets. */
export type JsRules = 'js' | 'js2017';

/** The judgement of an execution with byte events under the js rules (module comment). */
export function judgeJsBytes(x: Execution, rules: JsRules): Judgement {
  const n = x.n;
  const ev = x.events;
  const g = groups(x);
  const isRep = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (g[i] === i) isRep[i] = 1;
  const at = (i: number): ExecEvent => ev[i] as ExecEvent;
  // reads-from over accesses: R ← each W it reads some byte from
  const sources = new Map<number, Set<number>>();
  x.rf.forEach((w, r) => {
    const R = g[r] as number;
    let s = sources.get(R);
    if (s === undefined) sources.set(R, (s = new Set()));
    s.add(g[w] as number);
  });
  // synchronizes-with
  const sw = new Relation(n);
  for (const [R, ws] of sources) {
    if (!isSeqCst(at(R))) continue;
    const onlyInit = [...ws].every((W) => at(W).thread < 0);
    for (const W of ws) {
      if (isSeqCst(at(W)) && equalRanges(at(W), at(R))) sw.add(W, R);
      else if (rules === 'js2017' && onlyInit) sw.add(W, R);
    }
  }
  const hbA = x.po.restrict(isRep, isRep).union(sw).plus();
  // happens-before spread to every byte event of the accesses (and program order inside one access)
  const hb = new Relation(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (g[i] === g[j] ? x.po.has(i, j) : hbA.has(g[i] as number, g[j] as number)) hb.add(i, j);
    }
  }
  // Coherent Reads, per byte
  let incoherent = false;
  x.rf.forEach((w, r) => {
    if (incoherent) return;
    const W = g[w] as number;
    const R = g[r] as number;
    if (hbA.has(R, W)) incoherent = true;
    for (let v = 0; v < n && !incoherent; v++) {
      if (x.W[v] !== 1 || !x.loc.has(r, v)) continue;
      const V = g[v] as number;
      if (V !== W && hbA.has(W, V) && hbA.has(V, R)) incoherent = true;
    }
  });
  if (incoherent) return { violated: 'coherent-reads', hb };
  return scAtomicsBytes(x, g, isRep, sources, hbA, sw, rules) ? { violated: null, hb } : { violated: 'sc-atomics', hb };
}

/** SC Atomics over accesses: acyclicity of hb ∪ co ∪ the clauses' edges, each access and each RMW one node. */
function scAtomicsBytes(x: Execution, g: Int32Array, isRep: Uint8Array, sources: ReadonlyMap<number, ReadonlySet<number>>, hbA: Relation, sw: Relation, rules: JsRules): boolean {
  const n = x.n;
  const ev = x.events;
  const at = (i: number): ExecEvent => ev[i] as ExecEvent;
  const node = new Int32Array(n);
  for (let i = 0; i < n; i++) node[i] = g[i] as number;
  // the accesses that write: a write access, an initial write, or an RMW whose compare did not fail
  // (an RMW's first event, its node, is a read)
  const writes = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (x.W[i] === 1) writes[g[i] as number] = 1;
  x.rmw.forEach((r, w) => (node[w] = node[r] as number));
  // coherence between accesses: W before V on some byte both cover
  const coA = new Relation(n);
  x.co.forEach((a, b) => coA.add(g[a] as number, g[b] as number));
  const edges = new Relation(n);
  const edge = (a: number, b: number): void => {
    const na = node[a] as number;
    const nb = node[b] as number;
    if (na !== nb) edges.add(na, nb);
  };
  hbA.forEach(edge);
  coA.forEach(edge);
  for (const [R, ws] of sources) {
    for (const W of ws) {
      const swWR = sw.has(W, R);
      if (rules === 'js2017' && !swWR) continue;
      for (let V = 0; V < n; V++) {
        if (isRep[V] !== 1 || V === W || writes[V] !== 1 || node[V] === node[R] || !coA.has(W, V)) continue;
        let applies: boolean;
        if (rules === 'js2017') applies = equalRanges(at(V), at(R));
        else {
          const scV = isSeqCst(at(V));
          applies =
            scV &&
            ((swWR && equalRanges(at(V), at(R))) ||
              (hbA.has(W, R) && ((isSeqCst(at(W)) && hbA.has(V, R) && equalRanges(at(W), at(V))) || (isSeqCst(at(R)) && hbA.has(W, V) && equalRanges(at(V), at(R))))));
        }
        // V may not lie between W and R in memory-order: W <mo V is coherence's, so R <mo V
        if (applies) edge(R, V);
      }
    }
  }
  return edges.acyclic();
}

/**
 * Tear Free Reads (ECMA-262 §29.7.4): no NoTear read reads bytes from two different NoTear
 * writes of its own range. The clause's name when violated, else null.
 */
export function tearFree(x: Execution): string | null {
  const g = groups(x);
  const seen = new Map<number, number>();
  let torn = false;
  x.rf.forEach((w, r) => {
    if (torn) return;
    const R = g[r] as number;
    const W = g[w] as number;
    const re = x.events[R] as ExecEvent;
    if (re.bytes === undefined || !equalRanges(x.events[W] as ExecEvent, re)) return;
    const before = seen.get(R);
    if (before === undefined) seen.set(R, W);
    else if (before !== W) torn = true;
  });
  return torn ? 'tear-free-reads' : null;
}

/** The pairs that race (§29.9), both accesses known to conflict on a byte and to be hb-unordered: not both SeqCst with equal ranges. */
export function racyBytes(a: ExecEvent, b: ExecEvent): boolean {
  return !(isSeqCst(a) && isSeqCst(b) && equalRanges(a, b));
}
