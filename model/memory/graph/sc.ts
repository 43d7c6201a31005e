/**
 * Sequential consistency, axiomatically (Lamport 1979; the form of herd's `sc.cat` and of
 * Alglave, Maranget, Tautschnig, "Herding cats", TOPLAS 2014, §4): an execution is SC when
 * program order and the communication relations together are acyclic, and RMWs are atomic.
 *
 *   let com = rf | co | fr
 *   acyclic po | com            as sc
 *   empty rmw & (fre ; coe)     as atomicity
 *
 * Access modes and fences mean nothing here (every access is SC), as in the stateful `sc`.
 * Not modelled: mixed-size accesses; wait/notify (refused by the graph engine).
 */
import type { GraphModel } from './model.js';
import { atomic } from './model.js';

export const scGraph: GraphModel = {
  name: 'sc',
  title: 'sequential consistency (axiomatic: acyclic po ∪ rf ∪ co ∪ fr)',
  source: 'Lamport 1979; Alglave, Maranget, Tautschnig, "Herding cats", TOPLAS 2014 (herd sc.cat)',
  notModelled: 'mixed-size accesses; wait/notify; access modes and fences are all SC',
  judge(x) {
    const com = x.rf.union(x.co, x.fr);
    const hb = x.po.union(com);
    if (!hb.acyclic()) return { violated: 'sc', hb };
    if (!atomic(x)) return { violated: 'atomicity', hb };
    return { violated: null, hb: hb.plus() };
  },
};
