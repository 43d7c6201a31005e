/**
 * The ECMAScript memory model (ECMA-262 §29, "Memory Model"), as corrected by Watt, Pulte,
 * Podkopaev, Barbier, Dolan, Flur, Pichon-Pharabod and Guo, "Repairing and mechanising the
 * JavaScript relaxed memory model", PLDI 2020, and adopted by the standard (tc39/ecma262#1511):
 * `js`; and the rules of ES2017 before that repair: `js2017`.
 *
 * `.mw` accesses are aligned and integer-typed (Int32Array elements, or Int8Array / Int16Array
 * views of them): `plain` is Unordered (a typed-array element access), `sc` is SeqCst (an
 * `Atomics` operation); every RMW is SeqCst. JavaScript has no other orderings and no fences:
 * programs using them are refused for these models (see `modes`). On a location only accessed as
 * words every access has the same range, so "equal ranges" and "overlapping ranges" both mean
 * "the same location", and tear-freedom holds by construction: this file's clauses. A location
 * accessed through narrower views is modelled byte by byte, and an execution with such events is
 * judged by jsBytes.ts, the same clauses over byte ranges (reads-bytes-from, Coherent Reads per
 * byte, Tear Free Reads, the equal-range conditions of sw and SC Atomics, per-byte final memory).
 * An RMW is one ReadModifyWriteSharedMemory event in the standard; here it is its read and its
 * write, adjacent in po and joined by `rmw`, and both count as the one event in memory-order (on a
 * byte-by-byte location: its byte reads then its byte writes, one access, jsBytes.ts). Waits and
 * notifies of a byte-by-byte word read the word from its bytes; their waiter lists are per word.
 *
 * Clause by clause (§29.6 relations, §29.7 valid executions):
 *   synchronizes-with  js: W sw R when R reads-from W, both SeqCst, equal ranges (Init writes take no part)
 *                      js2017: also Init sw R when R is SeqCst and reads only from Init writes
 *   happens-before     (agent-order ∪ sw ∪ [Init] ; overlapping)+  — here (po ∪ sw)+, initial writes first in po
 *   Valid Chosen Reads by construction (a read's value is its write's)
 *   Coherent Reads     no R reads-from W with R hb W; no write V to R's location with W hb V hb R
 *   Tear Free Reads    trivial: a read reads from exactly one write of equal range
 *   SC Atomics         some strict total order mo of all events, mo ⊇ hb, such that
 *                        js:     for R reads-from W, no SeqCst write V to R's location has W <mo V <mo R when
 *                                (a) W sw R                                  (V, R equal ranges)
 *                                (b) W hb R, V hb R, W SeqCst                (W, V equal ranges)
 *                                (c) W hb R, W hb V, R SeqCst                (V, R equal ranges)
 *                        js2017: for W sw R, no write V of any order to R's location has W <mo V <mo R
 *                      (the repair: V must be SeqCst in (a), the ARMv8 fix; (b) and (c) are the SC-DRF
 *                      fix of tc39/ecma262#1354/#1362; Init left synchronizes-with).
 *
 * Sources for the 2017 text: the shared-memory proposal's spec as merged into ES2017
 * (tc39/ecmascript_sharedmem), and the authors' artifact (conrad-watt/repairing-and-mechanising-
 * the-javascript-relaxed-memory-model), whose labelled tests examples/js/ pins.
 *
 * Deciding SC Atomics: the explorer enumerates, per location, every coherence order co of the
 * writes; a graph is judged with co taken as mo's order on that location's writes. With co fixed
 * every clause becomes an edge (V <mo W is co's; otherwise R <mo V is required), so the graph is
 * valid iff hb ∪ co ∪ those edges is acyclic once each RMW's two events are one node. Any valid
 * mo induces one of the enumerated co's, so the union over co is exactly the valid executions.
 *
 * Final memory: the standard has no final state; a location's final value is what a SeqCst read
 * in a thread that joins every agent (happens after all their events) may read: any write no
 * other write of the location happens after, as Coherent Reads and SC Atomics allow (`finalReads`).
 *
 * Races (§29.8): two conflicting accesses (same location, one a write) of different agents, not
 * ordered by hb, not both SeqCst. They are not undefined behaviour: the outcomes above are what
 * a racy program may do.
 *
 * Not modelled here: DataView and float arrays, Atomics.wait/notify in programs of many threads
 * and waits of two or more threads on a location accessed at mixed sizes (refused by the graph engine),
 * and the executions the explorer does not build (po ∪ rf cycles, word RMWs racing with plain
 * writes; an RMW of a byte-by-byte location is built with every placement of its writes) where
 * checker/beyondPorf.ts cannot enumerate them (it builds them herd-style, values out of thin air
 * left out, byte by byte where a location is accessed at mixed sizes; it does not take
 * wait/notify programs): checker/graphCheck.ts says when
 * they could matter, and the answer is then inconclusive.
 */
import type { Mode } from '../../ir.js';
import type { ExecEvent, Execution } from './executionGraph.js';
import { Relation } from './relation.js';
import type { GraphModel, Judgement } from './model.js';
import { eventsWhere } from './model.js';
import { hasByteEvents, isSeqCst, judgeJsBytes, racyBytes, tearFree, type JsRules } from './jsBytes.js';

/** The two rule sets. */
type Rules = JsRules;

/** synchronizes-with: [SeqCst W] ; rf ; [SeqCst R] (same location: equal ranges); js2017 adds [Init] ; rf ; [SeqCst R]. */
function synchronizesWith(x: Execution, rules: Rules): Relation {
  const sc = eventsWhere(x, isSeqCst);
  if (rules === 'js') return x.rf.restrict(sc, sc);
  const from = new Uint8Array(x.n);
  for (let i = 0; i < x.n; i++) from[i] = (sc[i] as number) | (x.IW[i] as number);
  return x.rf.restrict(from, sc);
}

/** ECMAScript happens-before: (po ∪ sw)+. */
export function jsHappensBefore(x: Execution, rules: Rules = 'js'): { hb: Relation; sw: Relation } {
  const sw = synchronizesWith(x, rules);
  return { hb: sw.isEmpty() ? x.po.plus() : x.po.union(sw).plus(), sw };
}

function judgeJs(x: Execution, rules: Rules): Judgement {
  // a program with mixed-size accesses: its byte-by-byte locations are judged over byte ranges
  if (hasByteEvents(x)) return judgeJsBytes(x, rules);
  const { hb, sw } = jsHappensBefore(x, rules);
  // Coherent Reads: R hb W for R reads-from W; or a write V of R's location with W hb V hb R
  if (x.rf.meetsInverse(hb)) return { violated: 'coherent-reads', hb };
  if (!hb.inter(x.loc).restrict(null, x.W).seq(hb).inter(x.rf).isEmpty()) return { violated: 'coherent-reads', hb };
  return scAtomics(x, hb, sw, rules) ? { violated: null, hb } : { violated: 'sc-atomics', hb };
}

/** Whether the execution admits a memory-order (module comment): acyclicity of hb ∪ co ∪ the clauses' edges, RMWs contracted. */
function scAtomics(x: Execution, hb: Relation, sw: Relation, rules: Rules): boolean {
  const n = x.n;
  const ev = x.events;
  // each RMW's write stands for its read: one node
  const rep = new Int32Array(n);
  for (let i = 0; i < n; i++) rep[i] = i;
  x.rmw.forEach((r, w) => (rep[w] = r));
  const sc = eventsWhere(x, isSeqCst);
  const edges = new Relation(n);
  const edge = (a: number, b: number): void => {
    const ra = rep[a] as number;
    const rb = rep[b] as number;
    if (ra !== rb) edges.add(ra, rb);
  };
  hb.forEach(edge);
  x.co.forEach(edge);
  x.rf.forEach((w, r) => {
    const loc = (ev[r] as ExecEvent).slot;
    const swWR = sw.has(w, r);
    // js2017 constrains synchronizing pairs only
    if (rules === 'js2017' && !swWR) return;
    for (let v = 0; v < n; v++) {
      const V = ev[v] as ExecEvent;
      if (v === w || V.kind !== 'write' || V.slot !== loc || rep[v] === rep[r]) continue;
      let applies: boolean;
      if (rules === 'js2017') applies = true; // any write, whatever its order
      else applies = sc[v] === 1 && (swWR || (hb.has(w, r) && ((sc[w] === 1 && hb.has(v, r)) || (sc[r] === 1 && hb.has(w, v)))));
      // the clause applies: V may not lie between W and R in mo. V <mo W is co's order (an
      // edge already); otherwise R <mo V is required
      if (applies && x.co.has(w, v)) edge(r, v);
    }
  });
  return edges.acyclic();
}

/** The modes JavaScript has: Unordered (plain) and SeqCst (sc) accesses; SeqCst RMWs; no fences. */
const JS_MODES: NonNullable<GraphModel['modes']> = { load: ['plain', 'sc'], store: ['plain', 'sc'], rmw: ['sc'], fence: [] };

/** The pairs that race (§29.9): not both SeqCst with equal ranges (both accesses are known to conflict and to be hb-unordered). */
const racy = racyBytes;

const mayRace = (mode: Mode): boolean => mode === 'plain';

export const jsGraph: GraphModel = {
  name: 'js',
  title: 'the ECMAScript memory model (ECMA-262 §29 as repaired by PLDI 2020): Atomics seq-cst, typed-array accesses unordered',
  source: 'ECMA-262 §29; Watt, Pulte, Podkopaev, Barbier, Dolan, Flur, Pichon-Pharabod, Guo, "Repairing and mechanising the JavaScript relaxed memory model", PLDI 2020 (tc39/ecma262#1511)',
  notModelled: 'DataView and float arrays; Atomics.wait/notify in programs of many threads, and waits of two or more threads on a location accessed at mixed sizes; values out of thin air (a read returns a value the program can produce without a circular justification: checker/beyondPorf.ts); po ∪ rf cycles and word RMWs racing with Unordered writes in programs with wait/notify, or past the enumeration\'s bounds (reported as inconclusive where they could matter)',
  perLocationCoherence: false,
  beyondPorf: { scDrf: true },
  finalReads: true,
  modes: JS_MODES,
  racy,
  raceMeans: 'not undefined, but no SC guarantee: the outcomes include its weak results',
  mayRace,
  mixedSize: true,
  judgeComplete: tearFree,
  judge: (x) => judgeJs(x, 'js'),
};

export const js2017Graph: GraphModel = {
  name: 'js2017',
  title: 'the ECMAScript memory model of ES2017, before the PLDI 2020 repair (not SC for data-race-free programs)',
  source: 'ECMA-262 8th edition (ES2017) §24.4; the flaws: Watt et al., PLDI 2020, and tc39/ecma262#1354',
  notModelled: 'as js',
  perLocationCoherence: false,
  beyondPorf: { scDrf: false },
  finalReads: true,
  modes: JS_MODES,
  racy,
  raceMeans: 'not undefined, but no SC guarantee: the outcomes include its weak results',
  mayRace,
  mixedSize: true,
  // ES2017 §24.4.4 Atomics.compareExchange: always a ReadModifyWriteSharedMemory event (a failed
  // compare writes the bytes it read); tc39/ecma262#2250 (Dec 2020) made it a read only, as js has it
  failedCasWrites: true,
  judgeComplete: tearFree,
  judge: (x) => judgeJs(x, 'js2017'),
};
