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
 * Not modelled: mixed-size accesses, non-temporal stores; wait/notify (refused by the graph engine).
 */
import type { ExecEvent } from './executionGraph.js';
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
