/**
 * Release/acquire (RA): C11's release/acquire fragment, in the form of Lahav, Giannarakis,
 * Vafeiadis, "Taming release-acquire consistency", POPL 2016 (§2, the RA model), as GenMC checks
 * it with --ra: every write is a release, every read an acquire, so
 *
 *   let hb  = (po | rf)+
 *   let eco = (rf | co | fr)+
 *   irreflexive hb ; eco?                        as coherence   (with hb irreflexive)
 *   empty rmw & (fre ; coe)                      as atomicity
 *
 * Modes: every access is release/acquire whatever its `.mw` mode says (plain and rlx accesses
 * are strengthened; use rc11 for their C11 meaning). fence.sc is an RMW of one hidden location
 * (the paper's §5 encoding of SC fences in RA), so sc fences are totally ordered and synchronise;
 * fence.acq/rel/acq_rel add nothing to accesses that are already release/acquire.
 * Not modelled: mixed-size accesses; wait/notify (refused by the graph engine); races are not
 * undefined behaviour here (every access is atomic).
 */
import type { GraphModel } from './model.js';
import { atomic, coherent, extendedCoherence } from './model.js';

export const raGraph: GraphModel = {
  name: 'ra',
  title: 'release/acquire (every write release, every read acquire; POPL 2016)',
  source: 'Lahav, Giannarakis, Vafeiadis, "Taming release-acquire consistency", POPL 2016',
  notModelled: 'mixed-size accesses; wait/notify; plain and rlx accesses are treated as release/acquire',
  scFenceAsRmw: true,
  judge(x) {
    const hb = x.po.union(x.rf).plus();
    if (!coherent(hb, extendedCoherence(x))) return { violated: 'coherence', hb };
    if (!atomic(x)) return { violated: 'atomicity', hb };
    return { violated: null, hb };
  },
};
