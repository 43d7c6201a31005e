/**
 * x86-TSO, axiomatically (Owens, Sarkar, Sewell, "A better x86 memory model: x86-TSO", TPHOLs
 * 2009; the clauses of herd's `x86tso.cat`; Alglave et al., "Herding cats", TOPLAS 2014, §4.3):
 *
 *   acyclic po-loc | com                         as uniproc     (sc per location)
 *   empty rmw & (fre ; coe)                      as atomicity
 *   let ppo     = po \ (W × R)                   (only a store then a load may reorder)
 *   let mfence  = po ; [F.sc] ; po               (MFENCE)
 *   let implied = [W];po;[R] where either end is locked (an RMW, or an sc store: XCHG)
 *   let ghb     = ppo | mfence | implied | rfe | co | fr
 *   acyclic ghb                                  as tso
 *
 * The mapping of `.mw` modes is the stateful tso's (model/memory/tso.ts): plain/rlx/rel stores
 * are MOVs, sc stores and every RMW are locked, fence.sc is MFENCE and other fences are no-ops,
 * loads of any mode are MOVs. Unlike the stateful tso, store buffers are unbounded here.
 * Mixed size (`judgeTsoBytes`, issue 15): herd's `x86tso-mixed.cat` (herdtools7,
 * herd/libdir/x86tso-mixed.cat), over byte events (model/semantics/byteSlots.ts: an access of k
 * bytes of a location accessed at mixed sizes is k events of its thread; `si` relates the events
 * of one instruction, an RMW's reads and writes included; `po` relates events of different
 * instructions only, as herd's does, except in `internal`'s po-loc, which keeps an RMW's read of
 * a byte before its write of it, herd's intra-instruction order):
 *
 *   let ca  = fr | co                            (coherence-after)
 *   let obs = rfe | fre | coe                    (observed-by)
 *   let lob = (po \ ([W];po;[R]) | [W];po;[MFENCE];po;[R] | [W];po;[R & X] | [W & X];po;[R])+
 *   let ob  = (obs ; si | lob)+
 *   acyclic po-loc | ca | rf                     as internal
 *   irreflexive ob                               as external
 *   empty rmw & (fre ; coe)                      as atomicity  (per byte; x86tso.cat's clause)
 *
 * X is a locked event (an RMW's, or an sc store's: XCHG). The stateful tso (model/memory/tso.ts)
 * is its operational reading; test/unit/checker/tsoMixed.test.ts holds the two against each other
 * through the brute-force oracle. The graph engine itself does not take such programs under tso
 * (S316): the explorer's byte events were built for js's clauses.
 *
 * Not modelled: non-temporal stores; wait/notify (refused by the graph engine).
 */
import type { ExecEvent, Execution } from './executionGraph.js';
import type { Judgement } from './model.js';
import { Relation } from './relation.js';
import type { GraphModel } from './model.js';
import { atomic, eventsWhere } from './model.js';

/** A locked access: part of an RMW, or an sc store (compiled to XCHG). */
function locked(e: ExecEvent): boolean {
  return e.rmw !== 'none' || (e.kind === 'write' && e.thread >= 0 && e.mode === 'sc');
}

export const tsoGraph: GraphModel = {
  name: 'tso',
  title: 'x86-TSO (axiomatic, herd x86tso.cat; unbounded store buffers)',
  source: 'Owens, Sarkar, Sewell, TPHOLs 2009; herd7 x86tso.cat; Alglave, Maranget, Tautschnig, TOPLAS 2014',
  notModelled: 'mixed-size accesses, non-temporal stores; wait/notify',
  judge(x) {
    if (x.events.some((e) => e.bytes !== undefined)) return judgeTsoBytes(x);
    const com = x.rf.union(x.co, x.fr);
    const M = eventsWhere(x, (e) => e.kind === 'read' || e.kind === 'write');
    const poM = x.po.restrict(M, M);
    const hbFallback = x.po.union(com);
    if (!poM.inter(x.loc).union(com).acyclic()) return { violated: 'uniproc', hb: hbFallback };
    if (!atomic(x)) return { violated: 'atomicity', hb: hbFallback };
    const ev = x.events;
    const W = x.W;
    const R = x.R;
    const wr = poM.restrict(W, R);
    const ppo = poM.minus(wr);
    const mfenceSet = eventsWhere(x, (e) => e.kind === 'fence' && e.mode === 'sc');
    const mfence = x.po.seq(Relation.id(x.n, mfenceSet)).seq(x.po).restrict(M, M);
    const implied = wr.filter((a, b) => locked(ev[a] as ExecEvent) || locked(ev[b] as ExecEvent));
    const rfe = x.rf.inter(x.ext);
    const ghb = ppo.union(mfence, implied, rfe, x.co, x.fr);
    if (!ghb.acyclic()) return { violated: 'tso', hb: hbFallback };
    // critical regions and races are ordered by ghb; region markers keep their place in program order
    const markers = eventsWhere(x, (e) => e.kind === 'enter' || e.kind === 'exit');
    const poMarkers = x.po.restrict(markers, null).union(x.po.restrict(null, markers));
    return { violated: null, hb: ghb.union(poMarkers).plus() };
  },
};

/** The judgement of an execution with byte events: x86tso-mixed.cat's clauses (module comment). */
export function judgeTsoBytes(x: Execution): Judgement {
  const ev = x.events;
  const n = x.n;
  const at = (i: number): ExecEvent => ev[i] as ExecEvent;
  // the instruction of each event: its access's first byte event (an RMW's writes come after its reads, part counting on)
  const instr = new Int32Array(n);
  for (let i = 0; i < n; i++) instr[i] = i - (at(i).bytes?.part ?? 0);
  const M = eventsWhere(x, (e) => e.kind === 'read' || e.kind === 'write');
  const po = x.po.filter((a, b) => instr[a] !== instr[b]);
  const poM = po.restrict(M, M);
  const com = x.rf.union(x.co, x.fr);
  const hbFallback = x.po.union(com);
  // po-loc here keeps the order inside an instruction (herd's iico): an RMW's read of a byte comes before its write of it
  if (!x.po.restrict(M, M).inter(x.loc).union(x.fr, x.co, x.rf).acyclic()) return { violated: 'internal', hb: hbFallback };
  // atomicity per byte: an RMW's write of byte b is paired with its read of byte b
  const rmw = new Relation(n);
  for (let i = 0; i < n; i++) {
    const b = at(i).bytes;
    if (b !== undefined && b.rmw === true && at(i).kind === 'write') rmw.add(i - b.size, i);
    else if (b === undefined && at(i).rmw === 'write') rmw.add(i - 1, i);
  }
  const fre = x.fr.inter(x.ext);
  const coe = x.co.inter(x.ext);
  if (!rmw.inter(fre.seq(coe)).isEmpty()) return { violated: 'atomicity', hb: hbFallback };
  const W = x.W;
  const R = x.R;
  const wr = poM.restrict(W, R);
  const mfenceSet = eventsWhere(x, (e) => e.kind === 'fence' && e.mode === 'sc');
  const viaFence = po.restrict(W, mfenceSet).seq(po.restrict(mfenceSet, R));
  const lockedWr = wr.filter((a, b) => locked(at(a)) || locked(at(b)));
  const lob = poM.minus(wr).union(viaFence, lockedWr);
  const si = Relation.where(n, (a, b) => instr[a] === instr[b] && M[a] === 1 && M[b] === 1);
  const obs = x.rf.inter(x.ext).union(fre, coe);
  const ob = obs.seq(si).union(lob).plus();
  if (!ob.irreflexive()) return { violated: 'external', hb: hbFallback };
  const markers = eventsWhere(x, (e) => e.kind === 'enter' || e.kind === 'exit');
  const poMarkers = x.po.restrict(markers, null).union(x.po.restrict(null, markers));
  return { violated: null, hb: ob.union(poMarkers, x.co, x.fr).plus() };
}
