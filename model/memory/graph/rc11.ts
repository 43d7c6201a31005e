/**
 * RC11, repaired C11 (Lahav, Vafeiadis, Kang, Hur, Dreyer, "Repairing sequential consistency in
 * C/C++11", PLDI 2017, §3, Definition 1; herd's `rc11.cat`). `.mw` modes are C11's memory
 * orders: plain = non-atomic (na), rlx = relaxed, acq, rel, acq_rel, sc = seq_cst. An RMW's read
 * is an acquire when its order is acq/acq_rel/sc, its write a release when rel/acq_rel/sc.
 *
 *   let rs      = [W] ; po|loc? ; [W ⊒ rlx] ; (rf ; rmw)*                    release sequence
 *   let sw      = [E ⊒ rel] ; ([F] ; po)? ; rs ; rf ; [R ⊒ rlx] ; (po ; [F])? ; [E ⊒ acq]
 *   let hb      = (po | sw)+
 *   let eco     = (rf | co | fr)+
 *   irreflexive hb ; eco?                                              as coherence
 *   empty rmw & (fre ; coe)                                            as atomicity
 *   let scb     = po | po|≠loc ; hb ; po|≠loc | hb|loc | co | fr
 *   let psc_base = ([E_sc] | [F_sc] ; hb?) ; scb ; ([E_sc] | hb? ; [F_sc])
 *   let psc_F   = [F_sc] ; (hb | hb ; eco ; hb) ; [F_sc]
 *   acyclic psc_base | psc_F                                           as sc
 *   acyclic po | rf                                                    as no-thin-air
 *
 * A data race — two conflicting accesses (same location, one a write) of different threads, not
 * ordered by hb, at least one non-atomic — is undefined behaviour (§3, "Races").
 * Not modelled: mixed-size accesses, consume, wait/notify (refused by the graph engine).
 * Initial writes are non-atomic and happen before every event.
 */
import type { ExecEvent, Execution } from './executionGraph.js';
import { Relation } from './relation.js';
import type { GraphModel } from './model.js';
import { atomic, coherent, eventsWhere, extendedCoherence } from './model.js';

/** At least release: a release (or stronger) write or fence, or the write of a rel/acq_rel/sc RMW. */
function isRel(e: ExecEvent): boolean {
  return (e.kind === 'write' || e.kind === 'fence') && (e.mode === 'rel' || e.mode === 'acq_rel' || e.mode === 'sc');
}
/** At least acquire: an acquire (or stronger) read or fence, or the read of an acq/acq_rel/sc RMW. */
function isAcq(e: ExecEvent): boolean {
  return (e.kind === 'read' || e.kind === 'fence') && (e.mode === 'acq' || e.mode === 'acq_rel' || e.mode === 'sc');
}
/** Atomic (at least relaxed): anything but a non-atomic access or an initial write. */
function isAtomic(e: ExecEvent): boolean {
  return e.thread >= 0 && e.mode !== 'plain';
}

/**
 * RC11's happens-before of an execution. Two identities keep it cheap without changing it: with
 * no fence, ([F] ; po)? and (po ; [F])? are the identity; with no RMW, (rf ; rmw)* is.
 */
export function rc11HappensBefore(x: Execution): Relation {
  const Wrlx = eventsWhere(x, (e) => e.kind === 'write' && isAtomic(e));
  const F = x.F;
  const hasFences = F.includes(1);
  // [A] ; r is r.restrict(A, null) and r ; [B] is r.restrict(null, B)
  let rs = x.po.inter(x.loc).opt().restrict(x.W, Wrlx);
  if (!x.rmw.isEmpty()) {
    const rfRmw = x.rf.seq(x.rmw);
    if (!rfRmw.isEmpty()) rs = rs.seq(rfRmw.plus().opt());
  }
  const Rrlx = eventsWhere(x, (e) => e.kind === 'read' && isAtomic(e));
  const rel = eventsWhere(x, isRel);
  const acq = eventsWhere(x, isAcq);
  const sw = hasFences
    ? x.po
        .restrict(F, null)
        .opt()
        .restrict(rel, null)
        .seq(rs)
        .seq(x.rf.restrict(null, Rrlx))
        .seq(x.po.restrict(null, F).opt().restrict(null, acq))
    : rs.restrict(rel, null).seq(x.rf.restrict(null, setAnd(Rrlx, acq)));
  return x.po.union(sw).plus();
}

/** A ∩ B of two event sets. */
function setAnd(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) & (b[i] as number);
  return out;
}

export const rc11Graph: GraphModel = {
  name: 'rc11',
  title: 'RC11, repaired C11 (PLDI 2017): na/rlx/acq/rel/acq_rel/sc, races on non-atomics are UB',
  source: 'Lahav, Vafeiadis, Kang, Hur, Dreyer, "Repairing sequential consistency in C/C++11", PLDI 2017 (herd rc11.cat)',
  notModelled: 'mixed-size accesses, memory_order_consume; wait/notify',
  racy: (a, b) => !isAtomic(a) || !isAtomic(b),
  mayRace: (mode) => mode === 'plain',
  judge(x) {
    const n = x.n;
    const hb = rc11HappensBefore(x);
    const eco = extendedCoherence(x);
    if (!coherent(hb, eco)) return { violated: 'coherence', hb };
    if (!atomic(x)) return { violated: 'atomicity', hb };
    const Esc = eventsWhere(x, (e) => e.thread >= 0 && e.mode === 'sc' && e.kind !== 'enter' && e.kind !== 'exit');
    const Fsc = eventsWhere(x, (e) => e.kind === 'fence' && e.mode === 'sc');
    const anySc = Esc.some((b) => b === 1);
    if (anySc) {
      const poNotLoc = x.po.minus(x.loc);
      const scb = x.po.union(poNotLoc.seq(hb).seq(poNotLoc), hb.inter(x.loc), x.co, x.fr);
      const hbOpt = hb.opt();
      const left = Relation.id(n, Esc).union(hbOpt.restrict(Fsc, null));
      const right = Relation.id(n, Esc).union(hbOpt.restrict(null, Fsc));
      const pscBase = left.seq(scb).seq(right);
      const pscF = hb.union(hb.seq(eco).seq(hb)).restrict(Fsc, Fsc);
      if (!pscBase.union(pscF).acyclic()) return { violated: 'sc', hb };
    }
    if (!x.po.union(x.rf).acyclic()) return { violated: 'no-thin-air', hb };
    return { violated: null, hb };
  },
};
